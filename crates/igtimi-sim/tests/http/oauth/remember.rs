//! `remember_tokens`: a never-expiring token issued before a restart still works after it,
//! until it is revoked; the file holds digests, never tokens.

use crate::common;
use igtimi_sim::{SimConfig, Simulator};
use reqwest::StatusCode;
use std::path::Path;

async fn start_remembering(path: &Path) -> Simulator {
    common::start_with(SimConfig {
        remember_tokens: Some(path.to_path_buf()),
        ..SimConfig::default()
    })
    .await
}

async fn account_status(sim: &Simulator, token: &str) -> StatusCode {
    common::http()
        .get(format!("{}/api/v1/account", sim.base_url()))
        .bearer_auth(token)
        .send()
        .await
        .expect("answer")
        .status()
}

#[tokio::test]
async fn a_token_survives_a_restart_until_it_is_revoked() {
    let dir = std::env::temp_dir().join(format!("igtimi-sim-remember-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let path = dir.join("tokens.json");

    let first = start_remembering(&path).await;
    let token = common::token_for(&first, 1373);
    assert_eq!(account_status(&first, &token).await, StatusCode::OK);
    let file = std::fs::read_to_string(&path).expect("the token was remembered");
    assert!(!file.contains(&token), "the file holds the token itself");
    first.shutdown().await;

    let second = start_remembering(&path).await;
    assert_eq!(account_status(&second, &token).await, StatusCode::OK);
    assert_eq!(
        account_status(&second, "not-a-token").await,
        StatusCode::UNAUTHORIZED
    );
    let client = common::app_client(&second);
    let revoked = common::http()
        .post(format!("{}/oauth/revoke", second.base_url()))
        .form(&[
            ("token", token.as_str()),
            ("client_id", client.client_id.as_str()),
            (
                "client_secret",
                client.client_secret.as_deref().unwrap_or(""),
            ),
        ])
        .send()
        .await
        .expect("answer");
    assert_eq!(revoked.status(), StatusCode::OK);
    assert_eq!(
        account_status(&second, &token).await,
        StatusCode::UNAUTHORIZED
    );
    second.shutdown().await;

    let third = start_remembering(&path).await;
    assert_eq!(
        account_status(&third, &token).await,
        StatusCode::UNAUTHORIZED
    );

    // Without the setting nothing outlives the run.
    let forgetful = common::start().await;
    assert_eq!(
        account_status(&forgetful, &token).await,
        StatusCode::UNAUTHORIZED
    );
    let _ = std::fs::remove_dir_all(&dir);
}

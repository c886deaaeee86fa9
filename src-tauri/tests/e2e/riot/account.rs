//! Steps on the Riot account: the account view it shows, the sign-out dialog, and the token
//! as the demo's Riot server sees it.

use crate::accounts::shown;
use crate::harness::{Harness, PATIENCE};
use crate::wait::wait_until;
use crate::{ensure, Failure};
use serde_json::Value;

/// Waits until the account view shows a Riot account: its user name, full name and email,
/// and no user id.
pub async fn expect_riot_account(
    h: &Harness,
    (username, name, email): (&str, &str, &str),
) -> Result<(), Failure> {
    h.wait_for_view("signed-in").await?;
    let want = (username.to_string(), name.to_string(), email.to_string());
    wait_until(
        &format!("the Riot account {username}"),
        PATIENCE,
        || async {
            let seen = async {
                Ok::<_, Failure>((
                    h.text("#account-username").await?,
                    h.text("#account-name").await?,
                    h.text("#account-email").await?,
                ))
            };
            match seen.await {
                Ok(seen) if seen == want => Ok(()),
                Ok(seen) => Err(format!("user name, name, email = {seen:?}, want {want:?}")),
                Err(e) => Err(e.to_string()),
            }
        },
    )
    .await?;
    ensure!(
        !shown(h, "#account-id-field").await?,
        "a Riot account shows an account id ({:?})",
        h.text("#account-id").await?
    );
    ensure!(
        !shown(h, "#keychain-note").await?,
        "#keychain-note is shown: the sign-in was not saved"
    );
    Ok(())
}

/// Signs out from the signed-in view through the Riot dialog, ticking "also invalidate it
/// at the server" when `invalidate`; returns the message shown afterwards.
pub async fn sign_out_riot(
    h: &mut Harness,
    invalidate: bool,
    shot: &str,
) -> Result<String, Failure> {
    h.click("#sign-out").await?;
    wait_until("the sign-out dialog", PATIENCE, || async {
        let open = h
            .wd()
            .execute(
                "return document.getElementById('sign-out-dialog').open",
                vec![],
            )
            .await
            .map_err(|e| e.to_string())?;
        match open == Value::Bool(true) {
            true => Ok(()),
            false => Err(format!("open = {open}")),
        }
    })
    .await?;
    let ticked = h
        .wd()
        .property(&h.element("#sign-out-invalidate").await?, "checked")
        .await?;
    ensure!(
        ticked == Value::Bool(false),
        "\"also invalidate\" is ticked by default"
    );
    if invalidate {
        h.click("#sign-out-invalidate").await?;
        let label = h.text("#sign-out-confirm").await?;
        ensure!(
            label == "Sign out and invalidate",
            "the confirm button says {label:?}"
        );
    }
    let warning = h.text("#sign-out-warning").await?;
    ensure!(
        warning.contains("every other app"),
        "the dialog does not warn about the other apps: {warning:?}"
    );
    h.screenshot(shot).await?;
    h.click("#sign-out-confirm").await?;
    h.wait_for_view("signed-out").await?;
    let said = h.wait_for_message("info").await?;
    Ok(said)
}

/// The token the demo's Riot server gives `username` (the same one the app holds: one token
/// per user), from its security service at `base`.
pub async fn riot_token(base: &str, username: &str, password: &str) -> Result<String, Failure> {
    let url = format!("{base}/security/api/restsecurity/access_token");
    let answer: Value = reqwest::Client::new()
        .post(&url)
        .form(&[("username", username), ("password", password)])
        .send()
        .await
        .map_err(|e| Failure(format!("POST {url}: {e}")))?
        .json()
        .await
        .map_err(|e| Failure(format!("POST {url}: {e}")))?;
    answer["access_token"]
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| Failure(format!("POST {url} gave {answer}")))
}

/// Whether the demo's Riot server at `base` takes `token` as a signed-in user.
pub async fn token_works(base: &str, token: &str) -> Result<bool, Failure> {
    let url = format!("{base}/security/api/restsecurity/hello");
    let response = reqwest::Client::new()
        .get(&url)
        .bearer_auth(token)
        .send()
        .await
        .map_err(|e| Failure(format!("GET {url}: {e}")))?;
    if !response.status().is_success() {
        return Ok(false);
    }
    let answer: Value = response
        .json()
        .await
        .map_err(|e| Failure(format!("GET {url}: {e}")))?;
    Ok(answer["authenticated"] == Value::Bool(true))
}

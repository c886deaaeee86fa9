//! Secrets stay secret: after signing in through the real pages (code + PKCE, with expiring
//! tokens so a refresh token exists too), browsing, and signing out, no access token, refresh
//! token, code, PKCE verifier or password appears in the app's log, its config and data
//! folders, the webview's data and cache folders, or the environment of the app and its
//! WebKit processes. The simulator lists every secret it issued or was shown
//! (`Store::secrets`); the user's password comes from the demo manifest. The same holds for a
//! Riot server (a `[[providers]]` profile in the settings file) signed in to with Telltale's
//! own form: no Riot token or session id the simulator issued (`RiotState::secrets`), nor
//! the password, is left behind.

use crate::accounts::{expect_emptied, pick, shown};
use crate::harness::{Harness, PATIENCE};
use crate::process::process_tree;
use crate::riot::{restart_with_club_riot, CLUB_RIOT};
use crate::sign_in::{demo_user, expect_account, sign_in, sign_out};
use crate::wait::wait_until;
use crate::{ensure, scenario_with, Failure};
use igtimi_sim::config::TokenLifetime;
use igtimi_sim::SimConfig;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// Every file under `dir`, recursively (symbolic links are not followed).
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(next) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&next) else {
            continue;
        };
        for entry in entries.flatten() {
            match entry.file_type() {
                Ok(kind) if kind.is_dir() => stack.push(entry.path()),
                Ok(kind) if kind.is_file() => found.push(entry.path()),
                _ => {}
            }
        }
    }
    found
}

/// Each secret as it could be written: as is, and percent-encoded.
fn forms(secret: &str) -> Vec<Vec<u8>> {
    let encoded: String = url::form_urlencoded::byte_serialize(secret.as_bytes()).collect();
    let mut forms = vec![secret.as_bytes().to_vec()];
    if encoded != secret {
        forms.push(encoded.into_bytes());
    }
    forms
}

/// Where in `places` (name, bytes) any of `secrets` occurs: (place, which secret kind).
fn hits(places: &[(String, Vec<u8>)], secrets: &[(&str, String)]) -> Vec<String> {
    let mut found = Vec::new();
    for (place, bytes) in places {
        for (kind, secret) in secrets {
            let leaked = forms(secret)
                .iter()
                .any(|form| bytes.windows(form.len()).any(|w| w == form.as_slice()));
            if leaked {
                found.push(format!("{kind} in {place}"));
            }
        }
    }
    found
}

/// The environment of every process of the app while it runs: tauri-driver, WebKitWebDriver,
/// the app and its WebKit processes.
fn environments(h: &Harness) -> Result<Vec<(String, Vec<u8>)>, Failure> {
    let tree = process_tree(h.driver_pid());
    ensure!(
        tree.len() >= 3,
        "expected tauri-driver, WebKitWebDriver and the app; found {tree:?}"
    );
    Ok(tree
        .iter()
        .filter_map(|pid| {
            let environ = std::fs::read(format!("/proc/{pid}/environ")).ok()?;
            Some((format!("the environment of process {pid}"), environ))
        })
        .collect())
}

/// Searches `environments` and every file under the test's folder (the app's log in
/// driver.log, its config and data folders, the webview's data and cache, exports, the
/// recording browser's list) for `secrets`, plain and percent-encoded; prints what was
/// searched and fails on any hit.
fn expect_no_leaks(
    h: &Harness,
    test: &str,
    environments: Vec<(String, Vec<u8>)>,
    secrets: &[(&str, String)],
) -> Result<(), Failure> {
    let processes = environments.len();
    let mut places = environments;
    for file in files_under(h.dir()) {
        if let Ok(bytes) = std::fs::read(&file) {
            places.push((file.display().to_string(), bytes));
        }
    }
    let scanned_files = places.len() - processes;
    ensure!(scanned_files >= 5, "only {scanned_files} files to search");
    let found = hits(&places, secrets);
    println!(
        "[{test}] searched {} places ({processes} processes, {scanned_files} files) for {} \
         secrets: {} hits",
        places.len(),
        secrets.len(),
        found.len()
    );
    ensure!(found.is_empty(), "secrets leaked: {found:#?}");
    Ok(())
}

#[tokio::test]
#[ignore = "end to end: run by scripts/e2e.sh"]
async fn no_token_code_verifier_or_password_is_left_in_logs_files_or_environments() {
    let test = "no_token_code_verifier_or_password_is_left_in_logs_files_or_environments";
    let config = SimConfig {
        token_lifetime: TokenLifetime::Expiring { access_secs: 3600 },
        ..SimConfig::default()
    };
    scenario_with(test, config, async |h: &mut Harness| {
        let bob = demo_user(h, "bob@telltale.demo")?;
        sign_in(h, &bob, "Authorize").await?;
        expect_account(h, &bob).await?;
        // Some API traffic with the token, as a user would cause.
        h.click("#refresh-account").await?;
        expect_account(h, &bob).await?;

        let mut secrets: Vec<(&str, String)> = h
            .sim()
            .state()
            .store
            .secrets()
            .into_iter()
            .map(|secret| ("a token, code or verifier", secret))
            .collect();
        ensure!(
            secrets.len() >= 4,
            "the simulator lists {} secrets; a code, a verifier, an access and a refresh \
             token were expected",
            secrets.len()
        );
        secrets.push(("the password", bob.password.clone()));

        let environments = environments(h)?;
        sign_out(h).await?;
        expect_no_leaks(h, test, environments, &secrets)
    })
    .await
}

/// Waits until the account view shows the Riot user `username`.
async fn expect_riot_user(h: &Harness, username: &str) -> Result<(), Failure> {
    h.wait_for_view("signed-in").await?;
    wait_until("the Riot account's user name", PATIENCE, || async {
        match h.text("#account-username").await {
            Ok(seen) if seen == username => Ok(()),
            Ok(seen) => Err(format!("user name {seen:?}, want {username:?}")),
            Err(e) => Err(e.to_string()),
        }
    })
    .await?;
    Ok(())
}

/// Signs out of a Riot account through its dialog with the default choice: the token stays
/// valid at the server.
async fn sign_out_keeping_the_token(h: &Harness) -> Result<(), Failure> {
    h.click("#sign-out").await?;
    wait_until("the sign-out dialog", PATIENCE, || async {
        let script = "return document.getElementById('sign-out-dialog').open";
        match h.wd().execute(script, vec![]).await {
            Ok(Value::Bool(true)) => Ok(()),
            Ok(open) => Err(format!("open = {open}")),
            Err(e) => Err(e.to_string()),
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
    h.click("#sign-out-confirm").await?;
    h.wait_for_view("signed-out").await
}

#[tokio::test]
#[ignore = "end to end: run by scripts/e2e.sh"]
async fn no_riot_token_or_password_is_left_in_logs_files_or_environments() {
    let test = "no_riot_token_or_password_is_left_in_logs_files_or_environments";
    scenario_with(test, SimConfig::default(), async |h: &mut Harness| {
        let bob = demo_user(h, "bob@telltale.demo")?;
        // A Riot server profile in the settings file, read at start: the test's simulator.
        restart_with_club_riot(h).await?;

        // Bob signs in with Telltale's own form: user name and password.
        pick(h, "add-profile", CLUB_RIOT).await?;
        let method = h
            .wd()
            .property(&h.element("#add-method").await?, "value")
            .await?;
        ensure!(method == "riot_password", "the method is {method}");
        ensure!(shown(h, "#credentials").await?, "the form is not shown");
        h.type_checked("#credentials-username", &bob.username)
            .await?;
        h.type_checked("#credentials-password", &bob.password)
            .await?;
        h.click("#credentials-submit").await?;
        expect_riot_user(h, &bob.username).await?;
        expect_emptied(h, "#credentials-password", "password").await?;

        // Some API traffic with the token, as a user would cause: the catalog of devices
        // loads on sign-in, then the account is refreshed.
        wait_until("the Riot catalog", PATIENCE, || async {
            let script = "const b = document.getElementById('browse'); \
                          return [b.dataset.dialect || '', \
                          document.querySelectorAll('#devices li[data-serial]').length]";
            match h.wd().execute(script, vec![]).await {
                Ok(v) if v[0] == "riot" && v[1].as_u64() > Some(0) => Ok(()),
                Ok(v) => Err(format!("dialect, devices = {v}")),
                Err(e) => Err(e.to_string()),
            }
        })
        .await?;
        h.click("#refresh-account").await?;
        expect_riot_user(h, &bob.username).await?;

        let mut secrets: Vec<(&str, String)> = h
            .sim()
            .state()
            .riot
            .secrets()
            .into_iter()
            .map(|secret| ("a Riot token or session id", secret))
            .collect();
        ensure!(
            !secrets.is_empty(),
            "the simulator lists no Riot secrets; at least bob's token was expected"
        );
        secrets.push(("the password", bob.password.clone()));

        let environments = environments(h)?;
        sign_out_keeping_the_token(h).await?;
        expect_no_leaks(h, test, environments, &secrets)
    })
    .await
}

#[test]
fn the_search_finds_a_secret_in_either_form() {
    let places = vec![
        ("plain".to_string(), b"log: token=abc123 done".to_vec()),
        ("encoded".to_string(), b"GET /cb?code=a%2Fb%3D".to_vec()),
        ("clean".to_string(), b"nothing here".to_vec()),
    ];
    let secrets = vec![
        ("token", "abc123".to_string()),
        ("code", "a/b=".to_string()),
    ];
    assert_eq!(
        hits(&places, &secrets),
        vec!["token in plain".to_string(), "code in encoded".to_string()]
    );
}

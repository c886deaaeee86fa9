//! Every sign-in method adds a working account: code (login view and loopback), implicit,
//! password, token API and Iternio's code, whose account view comes from its user info.

use crate::{World, IGTIMI, ITERNIO, TOKENS};
use igtimi_sim::demo::{ANA, BOB, KAI};
use std::time::Duration;
use telltale_core::accounts::SignInMethod;
use telltale_core::multi::{Accounts, AccountsOptions, Channel};
use telltale_core::Config;
use telltale_test_support::demo::{self, Decision};

#[tokio::test]
async fn every_method_signs_in_and_reaches_the_api() {
    let Some(world) = World::start("methods").await else {
        return;
    };
    let accounts = world.accounts().await;
    let implicit = world
        .redirect_sign_in(&accounts, IGTIMI, SignInMethod::Implicit, BOB)
        .await;
    assert_eq!(implicit.account.id, BOB);
    assert_eq!(implicit.summary.method, "implicit");
    assert!(implicit.account.saved_in_keychain);
    assert_eq!(
        accounts.api_access().await.expect("api").account_id,
        Some(BOB)
    );

    let tokens = world
        .form_sign_in(&accounts, TOKENS, SignInMethod::TokenApi, ANA)
        .await;
    assert_eq!(tokens.summary.key, format!("tokens/{ANA}"));
    let expiry = tokens
        .summary
        .token_expires_at
        .expect("the token API's expiry");
    let now = telltale_core::accounts::unix_now();
    assert!(
        expiry > now + 29 * 24 * 3600 && expiry <= now + 31 * 24 * 3600,
        "about 30 days: {expiry} vs {now}"
    );
    assert!(!tokens.summary.expires_soon);
    assert_eq!(
        accounts.api_access().await.expect("api").account_id,
        Some(ANA)
    );

    // The loopback redirect: the browser comes back to a listener of the app.
    let (url, attempt, loopback) = accounts.begin_loopback(IGTIMI).expect("loopback");
    assert!(
        url.as_str().contains("127.0.0.1"),
        "the redirect names the listener"
    );
    let browser = tokio::spawn({
        let base = world.sim.base_url();
        let url = url.to_string();
        async move {
            let redirect = demo::kai().signs_in(&base, &url, Decision::Authorize).await;
            reqwest::get(redirect).await.expect("the listener answers");
        }
    });
    let callback = accounts
        .wait_for_browser(loopback, &attempt, Duration::from_secs(20))
        .await
        .expect("the browser came back");
    browser.await.expect("browser");
    let kai = accounts
        .complete_sign_in(&callback, Channel::Loopback)
        .await
        .expect("signed in");
    assert_eq!(kai.account.id, KAI);
    assert_eq!(accounts.overview().await.accounts.len(), 3);
}

#[tokio::test]
async fn an_iternio_account_is_described_by_its_user_info() {
    let Some(world) = World::start("iternio").await else {
        return;
    };
    let accounts = world.accounts().await;
    let abrp = world
        .redirect_sign_in(&accounts, ITERNIO, SignInMethod::Code, ANA)
        .await;
    let ana = world
        .sim
        .manifest()
        .users
        .into_iter()
        .find(|user| user.id == ANA)
        .expect("Ana");
    assert_eq!(abrp.account.id, ANA);
    assert_eq!(abrp.account.name, ana.name);
    assert_eq!(abrp.account.email.as_deref(), Some(ana.email.as_str()));
    assert_eq!(abrp.summary.name, ana.name);
    assert!(world.sim.base_url().starts_with(&abrp.account.server));
    // After a restart the view is read again from the user info with the saved token.
    let restarted = world.accounts().await;
    let view = restarted.restore().await.expect("restore").expect("Ana");
    assert_eq!(view.email.as_deref(), Some(ana.email.as_str()));
    let browse = restarted.api_access().await.expect_err("no Igtimi data");
    assert_eq!(browse.kind(), "refused");
}

#[tokio::test]
async fn cancelling_an_attempt_makes_its_redirect_unknown() {
    let Some(world) = World::start("cancel").await else {
        return;
    };
    let accounts = world.accounts().await;
    let (url, attempt) = accounts
        .begin(IGTIMI, SignInMethod::Code, Channel::Window)
        .expect("start");
    assert!(accounts.overview().await.signing_in);
    let callback = demo::bob()
        .signs_in(&world.sim.base_url(), url.as_str(), Decision::Authorize)
        .await;
    assert!(accounts.cancel_sign_in(&attempt));
    let late = accounts
        .complete_sign_in(&callback, Channel::Window)
        .await
        .expect_err("cancelled");
    assert_eq!(late.kind(), "invalid_callback");
    assert!(accounts.overview().await.accounts.is_empty());
}

#[tokio::test]
async fn a_cancelled_or_expired_browser_sign_in_is_abandoned() {
    let Some(world) = World::start("loopback_cancel").await else {
        return;
    };
    let accounts = world.accounts().await;
    let (_, attempt, loopback) = accounts.begin_loopback(IGTIMI).expect("starts");
    loopback.canceller().cancel();
    let cancelled = accounts
        .wait_for_browser(loopback, &attempt, Duration::from_secs(20))
        .await
        .expect_err("cancelled");
    assert_eq!(cancelled.kind(), "cancelled");
    assert!(!accounts.overview().await.signing_in, "the attempt is gone");

    let (_, attempt, loopback) = accounts.begin_loopback(IGTIMI).expect("starts again");
    let late = accounts
        .wait_for_browser(loopback, &attempt, Duration::from_millis(100))
        .await
        .expect_err("no answer in time");
    assert_eq!(late.kind(), "invalid_callback");
    assert!(late.to_string().contains("did not come back"), "{late}");
    assert!(!accounts.overview().await.signing_in, "the attempt is gone");
}

#[tokio::test]
async fn the_demo_signs_in_to_the_simulator_inside_the_app() {
    let Some(world) = World::start("demo").await else {
        return;
    };
    let options = AccountsOptions {
        data_dir: None,
        ..world.options()
    };
    let accounts = Accounts::open_with(&Config::default(), &options)
        .await
        .expect("demo opens");
    let overview = accounts.overview().await;
    assert_eq!(overview.mode, "demo");
    assert_eq!(overview.default_profile, "simulator");
    assert!(
        overview.server.starts_with("http://127.0.0.1:"),
        "{}",
        overview.server
    );
    let simulator = overview
        .profiles
        .iter()
        .find(|profile| profile.id == "simulator")
        .expect("the simulator profile");
    assert!(simulator.usable, "{:?}", simulator.problem);
    let user = overview.demo_users.first().expect("demo users").clone();
    let signed_in = accounts
        .sign_in_with_password(
            "simulator",
            SignInMethod::Password,
            &user.email,
            &user.password,
        )
        .await
        .expect("signed in to the embedded simulator");
    assert!(signed_in.summary.key.starts_with("simulator/"));
    assert_eq!(
        signed_in.account.email.as_deref(),
        Some(user.email.as_str())
    );
}

//! Several accounts: two at the same provider and one at another, each in its own keychain
//! entry; switching; signing out of one leaves the others; signing in again replaces.

use crate::{World, IGTIMI, ITERNIO};
use igtimi_sim::demo::{ANA, BOB};
use telltale_core::accounts::SignInMethod;
use telltale_core::multi::Channel;
use telltale_core::tokens::RevocationOutcome;
use telltale_core::AppError;
use telltale_test_support::demo;

#[tokio::test]
async fn three_accounts_at_two_providers_each_in_its_own_entry_switch_and_sign_out_of_one() {
    let Some(world) = World::start("three").await else {
        return;
    };
    let accounts = world.accounts().await;
    let bob = world
        .redirect_sign_in(&accounts, IGTIMI, SignInMethod::Code, BOB)
        .await;
    let ana = world
        .form_sign_in(&accounts, IGTIMI, SignInMethod::Password, ANA)
        .await;
    let abrp = world
        .redirect_sign_in(&accounts, ITERNIO, SignInMethod::Code, BOB)
        .await;
    assert_eq!(bob.summary.key, format!("igtimi/{BOB}"));
    assert_eq!(ana.summary.key, format!("igtimi/{ANA}"));
    assert_eq!(abrp.summary.key, format!("abrp/{BOB}"));
    for key in [&bob.summary.key, &ana.summary.key, &abrp.summary.key] {
        assert!(world.entry_exists(key).await, "{key} has its own entry");
    }

    let overview = accounts.overview().await;
    let keys: Vec<&str> = overview.accounts.iter().map(|a| a.key.as_str()).collect();
    assert_eq!(
        keys,
        [&bob.summary.key, &ana.summary.key, &abrp.summary.key]
    );
    let active: Vec<&str> = overview
        .accounts
        .iter()
        .filter(|a| a.active)
        .map(|a| a.key.as_str())
        .collect();
    assert_eq!(
        active,
        [abrp.summary.key.as_str()],
        "the last sign-in is active"
    );
    assert_eq!(overview.accounts[2].profile_name, "A Better Route Planner");

    // Switching reads the account with its own token.
    let view = accounts
        .switch(&bob.summary.key)
        .await
        .expect("switch")
        .expect("an account");
    assert_eq!(view.id, BOB);
    let access = accounts.api_access().await.expect("Bob's API access");
    assert_eq!(access.account_id, Some(BOB));
    let view = accounts
        .switch(&ana.summary.key)
        .await
        .expect("switch")
        .expect("an account");
    assert_eq!(view.id, ANA);

    // Signing out of Ana revokes her token at Igtimi and wipes only her entry.
    let out = accounts.sign_out(&ana.summary.key).await.expect("sign out");
    assert_eq!(out.revoked, RevocationOutcome::Revoked);
    assert!(!world.entry_exists(&ana.summary.key).await);
    assert!(world.entry_exists(&bob.summary.key).await);
    assert!(world.entry_exists(&abrp.summary.key).await);
    let overview = accounts.overview().await;
    assert_eq!(overview.accounts.len(), 2);
    assert!(
        overview.accounts.iter().any(|a| a.active),
        "another account became active"
    );

    // Iternio offers no revocation: the UI is told the token stays valid there.
    let out = accounts
        .sign_out(&abrp.summary.key)
        .await
        .expect("sign out");
    assert_eq!(out.revoked, RevocationOutcome::NotSupported);
    assert!(out.message.contains("stays valid"), "{}", out.message);
    assert!(!world.entry_exists(&abrp.summary.key).await);

    // Bob still works, also after a restart (a fresh Accounts reading the saved list).
    let restarted = world.accounts().await;
    let view = restarted.restore().await.expect("restore").expect("Bob");
    assert_eq!(view.id, BOB);
    assert_eq!(restarted.overview().await.accounts.len(), 1);
}

#[tokio::test]
async fn signing_in_again_to_the_same_user_replaces_the_account() {
    let Some(world) = World::start("again").await else {
        return;
    };
    let accounts = world.accounts().await;
    let first = world
        .redirect_sign_in(&accounts, IGTIMI, SignInMethod::Code, BOB)
        .await;
    let second = world
        .form_sign_in(&accounts, IGTIMI, SignInMethod::Password, BOB)
        .await;
    assert_eq!(first.summary.key, second.summary.key);
    let overview = accounts.overview().await;
    assert_eq!(overview.accounts.len(), 1, "no duplicate");
    assert_eq!(
        overview.accounts[0].method, "password",
        "the newer sign-in wins"
    );
    assert!(overview.accounts[0].legacy);
}

#[tokio::test]
async fn unknown_accounts_forged_links_and_wrong_passwords_are_explained() {
    let Some(world) = World::start("errors").await else {
        return;
    };
    let accounts = world.accounts().await;
    let unknown = accounts.switch("igtimi/999").await.expect_err("unknown");
    assert_eq!(unknown.kind(), "accounts");
    assert!(unknown.to_string().contains("igtimi/999"), "{unknown}");
    let bad_key = accounts.sign_out("no slash").await.expect_err("bad key");
    assert_eq!(bad_key.kind(), "accounts");

    let forged = accounts
        .complete_sign_in(
            "io.telltale.app:/oauth/callback/igtimi?code=abc&state=forged",
            Channel::Window,
        )
        .await
        .expect_err("forged");
    assert_eq!(forged.kind(), "invalid_callback");

    let email = &demo::bob().email;
    let wrong = accounts
        .sign_in_with_password(IGTIMI, SignInMethod::Password, email, "not-the-password")
        .await
        .expect_err("wrong password");
    assert!(matches!(wrong, AppError::SignInRefused { .. }), "{wrong:?}");
    assert!(!wrong.to_string().contains("not-the-password"));
    let wrong = accounts
        .sign_in_with_password(crate::TOKENS, SignInMethod::TokenApi, email, "nope-nope")
        .await
        .expect_err("wrong password");
    assert_eq!(wrong.kind(), "sign_in_refused");
    let empty = accounts
        .sign_in_with_password(IGTIMI, SignInMethod::Password, " ", "")
        .await
        .expect_err("empty");
    assert!(empty.to_string().contains("user name"), "{empty}");
    let form_in_browser = accounts
        .begin(IGTIMI, SignInMethod::Password, Channel::Window)
        .expect_err("a form method has no page");
    assert_eq!(form_in_browser.kind(), "config");
    let unoffered = accounts
        .begin(ITERNIO, SignInMethod::Implicit, Channel::Window)
        .expect_err("Iternio has no implicit grant");
    assert!(unoffered.to_string().contains("implicit"), "{unoffered}");
    assert!(accounts.overview().await.accounts.is_empty());
}

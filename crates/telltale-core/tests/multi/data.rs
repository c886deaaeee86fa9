//! The data loaded for one account never shows under another: every change of the active
//! account forgets it, whichever path made the change (a redirect finishing a sign-in, a
//! form sign-in, a switch, a sign-out), because the rule lives in `Accounts`.

use crate::{World, IGTIMI, TOKENS};
use igtimi_sim::demo::{ANA, BOB};
use telltale_core::accounts::SignInMethod;
use telltale_core::browse::{LoadRequest, ViewRequest};
use telltale_core::multi::Accounts;
use telltale_core::AppError;
use telltale_test_support::demo::{HOUR, TERN, WEEK};

/// An hour of Tern's first day, as Bob reads it.
async fn load_terns_hour(accounts: &Accounts) {
    let account = accounts.active_tokens().await.expect("signed in");
    let request = LoadRequest {
        from: WEEK + 10 * HOUR,
        to: WEEK + 11 * HOUR,
        serials: vec![TERN.into()],
    };
    let summary = accounts.data().load(&account, request, |_| {}).await;
    assert!(summary.is_ok(), "{summary:?}");
    assert!(shown(accounts).await.is_ok(), "Tern's hour is shown");
}

async fn shown(accounts: &Accounts) -> Result<(), AppError> {
    let request = ViewRequest {
        from: WEEK + 10 * HOUR,
        to: WEEK + 11 * HOUR,
        width: 400,
    };
    accounts.data().view(request).await.map(|_| ())
}

#[tokio::test]
async fn another_active_account_never_sees_the_data_loaded_before() {
    let Some(world) = World::start("data").await else {
        return;
    };
    let accounts = world.accounts().await;
    let bob = world
        .redirect_sign_in(&accounts, IGTIMI, SignInMethod::Code, BOB)
        .await;
    load_terns_hour(&accounts).await;

    // A redirect finishing Ana's sign-in (what a deep link does, with no command around it).
    let ana = world
        .redirect_sign_in(&accounts, IGTIMI, SignInMethod::Implicit, ANA)
        .await;
    assert_forgotten(&accounts, "Ana signed in through a redirect").await;

    back_to_bob_with_data(&accounts, &bob.summary.key).await;
    accounts.switch(&ana.summary.key).await.expect("to Ana");
    assert_forgotten(&accounts, "switched to Ana").await;

    back_to_bob_with_data(&accounts, &bob.summary.key).await;
    world
        .form_sign_in(&accounts, TOKENS, SignInMethod::TokenApi, ANA)
        .await;
    assert_forgotten(&accounts, "Ana signed in with the form").await;

    back_to_bob_with_data(&accounts, &bob.summary.key).await;
    accounts
        .sign_out(&bob.summary.key)
        .await
        .expect("signed out");
    assert_forgotten(&accounts, "Bob signed out").await;
}

async fn back_to_bob_with_data(accounts: &Accounts, bob: &str) {
    accounts.switch(bob).await.expect("back to Bob");
    load_terns_hour(accounts).await;
}

async fn assert_forgotten(accounts: &Accounts, after: &str) {
    let shown = shown(accounts).await;
    assert!(
        matches!(shown, Err(AppError::NothingLoaded)),
        "Bob's data still shown after {after}: {shown:?}"
    );
}

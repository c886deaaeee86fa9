//! Token API tokens expire after 30 days and cannot be renewed: with less than three days
//! left the overview asks for a new sign-in; once expired the token is dropped and the
//! account stays listed, signed out. The simulator's clock is moved back so it issues
//! tokens whose expiry is near (or past) on this computer's clock.

use crate::{World, TOKENS};
use igtimi_sim::demo::BOB;
use igtimi_sim::SimConfig;
use telltale_core::accounts::SignInMethod;
use telltale_core::AppError;

const DAY: i64 = 24 * 3600;

#[tokio::test]
async fn a_token_with_less_than_three_days_left_asks_for_a_new_sign_in() {
    let Some(world) = World::start_with("soon", SimConfig::default()).await else {
        return;
    };
    world.sim.advance_clock(-(30 * DAY) + 2 * DAY);
    let accounts = world.accounts().await;
    let signed_in = world
        .form_sign_in(&accounts, TOKENS, SignInMethod::TokenApi, BOB)
        .await;
    assert!(signed_in.summary.expires_soon, "two days left");
    let overview = accounts.overview().await;
    assert!(overview.accounts[0].expires_soon);
    assert!(!overview.accounts[0].signed_out);
    assert_eq!(
        accounts.api_access().await.expect("still works").account_id,
        Some(BOB)
    );
}

#[tokio::test]
async fn an_expired_token_is_dropped_and_the_account_kept_signed_out() {
    let Some(world) = World::start_with("expired", SimConfig::default()).await else {
        return;
    };
    world.sim.advance_clock(-(30 * DAY) - 60);
    let accounts = world.accounts().await;
    let signed_in = world
        .form_sign_in(&accounts, TOKENS, SignInMethod::TokenApi, BOB)
        .await;
    let key = signed_in.summary.key.clone();
    // The server still takes the token on its own clock; Telltale goes by the expiry.
    let overview = accounts.overview().await;
    let account = &overview.accounts[0];
    assert!(account.signed_out, "dropped, never a silent failure");
    assert!(!account.expires_soon);
    assert!(
        !world.entry_exists(&key).await,
        "the token left the keychain"
    );
    assert_eq!(
        accounts.api_access().await.expect_err("gone"),
        AppError::SignedOut
    );
    assert_eq!(
        accounts.switch(&key).await.expect_err("gone"),
        AppError::SignedOut
    );
    // The mark survives a restart, and signing in again clears it.
    let restarted = world.accounts().await;
    assert!(restarted.overview().await.accounts[0].signed_out);
    assert_eq!(restarted.restore().await.expect("restore"), None);
    world.sim.advance_clock(30 * DAY + 60);
    let again = world
        .form_sign_in(&restarted, TOKENS, SignInMethod::TokenApi, BOB)
        .await;
    assert_eq!(again.summary.key, key);
    assert!(!restarted.overview().await.accounts[0].signed_out);
    assert!(world.entry_exists(&key).await);
}

/// The stored token of account `key`.
async fn stored(world: &World, key: &str) -> telltale_keychain::StoredToken {
    let (keychain, key) = (
        telltale_keychain::Keychain::new(&world.service),
        key.to_string(),
    );
    tokio::task::spawn_blocking(move || keychain.load(&key))
        .await
        .expect("keychain call")
        .expect("keychain readable")
        .expect("an entry")
}

#[tokio::test]
async fn expired_tokens_are_renewed_silently_and_the_rotated_refresh_token_is_kept() {
    let config = SimConfig {
        token_lifetime: igtimi_sim::config::TokenLifetime::Expiring { access_secs: 2 },
        ..SimConfig::default()
    };
    let Some(world) = World::start_with("rotate", config).await else {
        return;
    };
    let accounts = world.accounts().await;
    let signed_in = world
        .redirect_sign_in(&accounts, crate::IGTIMI, SignInMethod::Code, BOB)
        .await;
    let key = signed_in.summary.key.clone();
    let first = stored(&world, &key).await;
    let first_refresh = first.refresh_token.clone().expect("a refresh token");

    // Past the access token's expiry an API call renews it without asking anybody.
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    let access = accounts.api_access().await.expect("renewed silently");
    assert_eq!(access.account_id, Some(BOB));
    let second = stored(&world, &key).await;
    assert_ne!(
        second.access_token, first.access_token,
        "a new access token"
    );
    let second_refresh = second.refresh_token.clone().expect("a refresh token");
    assert_ne!(
        second_refresh, first_refresh,
        "the rotated refresh token was saved"
    );

    // After a restart, once that token expires too, the saved (rotated) refresh token renews
    // it again: the simulator no longer accepts the first one, so this fails if the
    // keychain kept it.
    drop(accounts);
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    let restarted = world.accounts().await;
    let account = restarted
        .restore()
        .await
        .expect("restored")
        .expect("an account");
    assert_eq!(account.id, BOB);
    let third = stored(&world, &key).await;
    assert_ne!(
        third.refresh_token.as_deref(),
        Some(second_refresh.as_str())
    );
}

//! Saved tokens are bound to the server and client that issued them (sign-in review L4):
//! when the settings point an account's profile elsewhere (`server` changed, a profile's
//! address or client id edited), the saved token is sent nowhere, the account is marked
//! signed out and the user is told why.

use crate::{World, IGTIMI};
use igtimi_sim::demo::BOB;
use igtimi_sim::{SimConfig, Simulator};
use telltale_core::accounts::SignInMethod;
use telltale_core::AppError;

#[tokio::test]
async fn a_token_is_never_sent_to_another_server_than_its_issuer() {
    let Some(world) = World::start("issuer").await else {
        return;
    };
    let accounts = world.accounts().await;
    let bob = world
        .redirect_sign_in(&accounts, IGTIMI, SignInMethod::Code, BOB)
        .await;
    drop(accounts);

    // The same settings but another server (same seed, so the same client id there).
    let elsewhere = Simulator::start(SimConfig::default())
        .await
        .expect("another simulator");
    let moved = world.settings.replace(
        &format!("server = \"{}\"", world.sim.base_url()),
        &format!("server = \"{}\"", elsewhere.base_url()),
    );
    assert_ne!(moved, world.settings, "the server line was replaced");
    let accounts = world.accounts_from(&moved).await;
    let before = elsewhere.requests().snapshot();
    let restored = accounts.restore().await;
    assert!(
        matches!(&restored, Err(AppError::SavedForAnotherServer { saved_for }) if saved_for.starts_with(&world.sim.base_url())),
        "{restored:?}"
    );
    let browse = accounts.api_access().await.map(|_| ());
    assert!(matches!(browse, Err(AppError::SignedOut)), "{browse:?}");
    let signed_out = accounts.sign_out(&bob.summary.key).await;
    assert!(signed_out.is_ok(), "{signed_out:?}");
    assert_eq!(
        elsewhere.requests().snapshot(),
        before,
        "the other server received nothing: no account read, no API call, no revocation"
    );
    drop(accounts);

    // Back at the issuer but with another client id: refused the same way.
    let accounts = world.accounts().await;
    let bob = world
        .redirect_sign_in(&accounts, IGTIMI, SignInMethod::Code, BOB)
        .await;
    drop(accounts);
    let client = world.sim.telltale_client().expect("client").client_id;
    let recast = world.settings.replace(&client, "another-client");
    assert_ne!(recast, world.settings, "the client id was replaced");
    let accounts = world.accounts_from(&recast).await;
    let restored = accounts.restore().await;
    assert!(
        matches!(restored, Err(AppError::SavedForAnotherServer { .. })),
        "{restored:?}"
    );
    let listed = accounts.overview().await.accounts;
    assert!(
        listed
            .iter()
            .any(|account| account.key == bob.summary.key && account.signed_out),
        "the account stays listed, signed out: {listed:?}"
    );

    // Settings put back: the entry was kept, but the account must be signed in again.
    let accounts = world.accounts_from(&world.settings).await;
    let again = world
        .redirect_sign_in(&accounts, IGTIMI, SignInMethod::Code, BOB)
        .await;
    assert_eq!(again.account.id, BOB);
}

//! The happy paths: sign in, restart, restore, refresh, sign out; and the offline demo.

use crate::{assert_kind, live_tokens, refresh, saved_entry, sign_in, tokens, World};
use igtimi_sim::demo::BOB;
use igtimi_sim::person::{person_signs_in, Decision};
use telltale_core::accounts::SignInMethod;
use telltale_core::multi::{Accounts, AccountsOptions, Channel};
use telltale_core::tokens::{RevocationOutcome, DEMO_TOKENS_FILE};
use telltale_core::Config;
use telltale_test_support::demo;

#[tokio::test]
async fn sign_in_is_saved_restored_after_a_restart_and_removed_by_sign_out() {
    let Some(world) = World::start("flow").await else {
        return;
    };
    let first = world.accounts().await;
    assert_eq!(first.restore().await.expect("nothing saved yet"), None);
    let key = sign_in(&world, &first, BOB).await.summary.key;
    assert!(saved_entry(&world, &key).await, "saved in the keychain");
    let overview = first.overview().await;
    assert_eq!(overview.mode, "igtimi");
    let shown = overview.account.expect("the account is known");
    assert_eq!(shown.name, "Bob Smith");
    assert_eq!(shown.email.as_ref(), Some(&demo::bob().email));
    assert!(shown.saved_in_keychain);
    assert_eq!(shown.server, world.config.server.trim_end_matches('/'));
    drop(first);

    // A restart: new accounts find the token in the keychain.
    let second = world.accounts().await;
    let restored = second
        .restore()
        .await
        .expect("restores")
        .expect("someone saved");
    assert_eq!(restored.id, BOB);
    assert_eq!(refresh(&second).await.expect("reads again").id, BOB);
    let bob = tokens(&second).await;
    assert_eq!(bob.refresh_account().await.expect("reads again").id, BOB);
    assert_eq!(live_tokens(&world), 1);

    let result = second.sign_out(&key).await.expect("signs out");
    assert_eq!(result.revoked, RevocationOutcome::Revoked);
    assert_eq!(result.message, "Signed out.");
    assert_eq!(live_tokens(&world), 0, "the server revoked the token");
    assert!(
        !saved_entry(&world, &key).await,
        "removed from the keychain"
    );
    assert_eq!(second.overview().await.account, None);
    assert_kind(refresh(&second).await, "signed_out");
    assert_kind(bob.refresh_account().await, "signed_out");

    // Another restart: nobody is saved any more.
    let third = world.accounts().await;
    assert_eq!(third.restore().await.expect("restores"), None);
}

#[tokio::test]
async fn the_demo_runs_its_own_simulator_and_a_restart_keeps_the_sign_in() {
    // The world only lends its scratch settings folder and keychain service.
    let Some(world) = World::start("demo").await else {
        return;
    };
    let config = Config {
        client_id: None,
        ..Config::default()
    };
    let data_dir = world.dir.path().join("data");
    let options = AccountsOptions {
        data_dir: Some(data_dir.clone()),
        ..world.options()
    };
    let accounts = Accounts::open_with(&config, &options)
        .await
        .expect("the demo opens");
    let overview = accounts.overview().await;
    assert_eq!(overview.mode, "demo");
    assert!(
        overview.server.starts_with("http://127.0.0.1:"),
        "{}",
        overview.server
    );
    let kai = overview
        .demo_users
        .iter()
        .find(|user| user.email == demo::kai().email)
        .expect("the demo lists its users");
    assert_eq!(kai.password, demo::kai().password);

    let (authorize, _attempt) = accounts
        .begin(
            &overview.default_profile,
            SignInMethod::Code,
            Channel::Window,
        )
        .expect("sign-in starts");
    assert!(authorize.as_str().starts_with(&overview.server));
    let callback = person_signs_in(
        &overview.server,
        authorize.as_str(),
        &kai.email,
        &kai.password,
        Decision::Authorize,
    )
    .await;
    let signed_in = accounts
        .complete_sign_in(&callback, Channel::Window)
        .await
        .expect("kai signs in");
    assert_eq!(signed_in.account.id, demo::KAI);
    drop(accounts);

    // A restart starts a new simulator on another port; the saved sign-in still works.
    let restarted = Accounts::open_with(&config, &options)
        .await
        .expect("reopens");
    assert_ne!(restarted.overview().await.server, overview.server);
    let restored = restarted.restore().await.expect("restores").expect("saved");
    assert_eq!(restored.id, demo::KAI);
    let digests = std::fs::read_to_string(data_dir.join(DEMO_TOKENS_FILE)).expect("remembered");
    assert!(
        !digests.contains(&callback),
        "no callback or code in the file"
    );
    restarted
        .sign_out(&signed_in.summary.key)
        .await
        .expect("signs out");
    let again = Accounts::open_with(&config, &options)
        .await
        .expect("reopens");
    assert_eq!(again.restore().await.expect("nothing saved"), None);
}

#[tokio::test]
async fn the_demo_riot_server_keeps_a_riot_sign_in_across_a_restart() {
    let Some(world) = World::start("demo_riot").await else {
        return;
    };
    let config = Config {
        client_id: None,
        ..Config::default()
    };
    let options = AccountsOptions {
        data_dir: Some(world.dir.path().join("data")),
        ..world.options()
    };
    let accounts = Accounts::open_with(&config, &options)
        .await
        .expect("the demo opens");
    let overview = accounts.overview().await;
    let ana = overview
        .demo_users
        .iter()
        .find(|user| user.email == demo::ana().email)
        .expect("the demo lists its users");
    assert_eq!(ana.username, "ana", "the Riot user name is shown");
    let signed_in = accounts
        .sign_in_with_password(
            telltale_core::accounts::SIMULATOR_RIOT_PROFILE_ID,
            SignInMethod::RiotPassword,
            &ana.username,
            &ana.password,
        )
        .await
        .expect("Ana signs in at the demo's Riot server");
    assert_eq!(signed_in.account.username.as_deref(), Some("ana"));
    drop(accounts);

    // A restart starts a new simulator; the saved Riot token still works there.
    let restarted = Accounts::open_with(&config, &options)
        .await
        .expect("reopens");
    let restored = restarted.restore().await.expect("restores").expect("saved");
    assert_eq!(restored.username.as_deref(), Some("ana"));
    let account = restarted.active_tokens().await.expect("active");
    let catalog = restarted.data().catalog(&account).await.expect("catalog");
    assert_eq!(catalog.dialect, "riot");
    assert!(catalog
        .devices
        .iter()
        .any(|d| d.name == "Wind buoy Charlie"));
}

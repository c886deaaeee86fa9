//! The happy paths: sign in, restart, restore, refresh, sign out; and the offline demo.

use crate::{sign_in_bob, World};
use igtimi_sim::browser::{person_signs_in, Decision};
use telltale_core::session::{RevocationOutcome, Session, SessionOptions, DEMO_TOKENS_FILE};
use telltale_core::Config;

#[tokio::test]
async fn sign_in_is_saved_restored_after_a_restart_and_removed_by_sign_out() {
    let world = World::start("flow").await;
    let first = world.session().await;
    assert_eq!(first.restore().await.expect("nothing saved yet"), None);
    sign_in_bob(&world, &first).await;
    let overview = first.overview().await;
    assert_eq!(overview.mode, "igtimi");
    let shown = overview.account.expect("the account is known");
    assert_eq!(shown.name, "Bob Smith");
    assert_eq!(shown.email.as_deref(), Some("bob@telltale.demo"));
    assert!(shown.saved_in_keychain);
    assert_eq!(shown.server, world.config.server.trim_end_matches('/'));
    drop(first);

    // A restart: a new session finds the token in the keychain.
    let second = world.session().await;
    let restored = second
        .restore()
        .await
        .expect("restores")
        .expect("someone saved");
    assert_eq!(restored.id, 1373);
    assert_eq!(
        second.refresh_account().await.expect("reads again").id,
        1373
    );
    assert_eq!(world.live_tokens(), 1);

    let result = second.sign_out().await.expect("signs out");
    assert_eq!(result.revoked, RevocationOutcome::Revoked);
    assert_eq!(result.message, "Signed out.");
    assert_eq!(world.live_tokens(), 0, "the server revoked the token");
    assert_eq!(second.overview().await.account, None);
    crate::assert_kind(second.refresh_account().await, "signed_out");

    // Another restart: nobody is saved any more.
    let third = world.session().await;
    assert_eq!(third.restore().await.expect("restores"), None);
}

#[tokio::test]
async fn the_demo_runs_its_own_simulator_and_a_restart_keeps_the_sign_in() {
    let config = Config {
        client_id: None,
        ..Config::default()
    };
    let data_dir = std::env::temp_dir().join(format!("telltale-demo-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data_dir);
    let options = SessionOptions {
        keychain_service: format!("io.telltale.test.demo.{}", std::process::id()),
        data_dir: Some(data_dir.clone()),
    };
    let session = Session::open_with(&config, &options)
        .await
        .expect("the demo opens");
    let overview = session.overview().await;
    assert_eq!(overview.mode, "demo");
    assert!(
        overview.server.starts_with("http://127.0.0.1:"),
        "{}",
        overview.server
    );
    let kai = overview
        .demo_users
        .iter()
        .find(|user| user.email == "kai@telltale.demo")
        .expect("the demo lists its users");
    assert_eq!(kai.password, "coach-3");

    let (authorize, _attempt) = session.begin_sign_in();
    assert!(authorize.as_str().starts_with(&overview.server));
    let callback = person_signs_in(
        &overview.server,
        authorize.as_str(),
        &kai.email,
        &kai.password,
        Decision::Authorize,
    )
    .await;
    let signed_in = session
        .complete_sign_in(&callback)
        .await
        .expect("kai signs in");
    assert_eq!(signed_in.account.id, 1375);
    drop(session);

    // A restart starts a new simulator on another port; the saved sign-in still works.
    let restarted = Session::open_with(&config, &options)
        .await
        .expect("reopens");
    assert_ne!(restarted.overview().await.server, overview.server);
    let restored = restarted.restore().await.expect("restores").expect("saved");
    assert_eq!(restored.id, 1375);
    let digests = std::fs::read_to_string(data_dir.join(DEMO_TOKENS_FILE)).expect("remembered");
    assert!(
        !digests.contains(&callback),
        "no callback or code in the file"
    );
    restarted.sign_out().await.expect("signs out");
    let again = Session::open_with(&config, &options)
        .await
        .expect("reopens");
    assert_eq!(again.restore().await.expect("nothing saved"), None);
    let _ = std::fs::remove_dir_all(&data_dir);
}

#[tokio::test]
async fn a_cancelled_attempt_no_longer_accepts_its_callback() {
    let world = World::start("cancel").await;
    let session = world.session().await;
    let (authorize, attempt) = session.begin_sign_in();
    assert!(session.overview().await.signing_in);
    let callback = person_signs_in(
        &world.sim.base_url(),
        authorize.as_str(),
        "bob@telltale.demo",
        "windward-1",
        Decision::Authorize,
    )
    .await;
    assert!(session.cancel_sign_in(&attempt), "the attempt was waiting");
    assert!(!session.cancel_sign_in(&attempt), "only once");
    assert!(!session.overview().await.signing_in);
    crate::assert_kind(
        session.complete_sign_in(&callback).await,
        "invalid_callback",
    );
    assert_eq!(session.overview().await.account, None);
}

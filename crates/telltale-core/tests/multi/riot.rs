//! An account on a Riot server (the simulator's Riot dialect) through `Accounts` and its data
//! browser: the form and the pasted token, who the account is, devices with their data
//! access windows, a race loaded through protobuf, a span no window covers, what an owner
//! manages, a token rotated elsewhere, and both ways of signing out.

use crate::{World, RIOT};
use telltale_core::accounts::SignInMethod;
use telltale_core::browse::LoadRequest;
use telltale_core::multi::Accounts;
use telltale_core::tokens::RevocationOutcome;
use telltale_core::AppError;
use telltale_test_support::demo::{BUOY, DAY, HOUR, MIN, TERN, WEEK};

/// The security service's path on the simulator.
const SECURITY: &str = "security/api/restsecurity";

/// `user`'s one token, asked of the server directly (as the user's other apps would).
async fn token_of(world: &World, user: &str, password: &str) -> String {
    let answer: serde_json::Value = reqwest::Client::new()
        .post(format!("{}/{SECURITY}/access_token", world.sim.base_url()))
        .form(&[("username", user), ("password", password)])
        .send()
        .await
        .expect("the security service answers")
        .error_for_status()
        .expect("the demo user signs in")
        .json()
        .await
        .expect("JSON");
    answer["access_token"]
        .as_str()
        .expect("a token")
        .to_string()
}

/// Whether the server still takes `token` (`hello` says authenticated).
async fn still_valid(world: &World, token: &str) -> bool {
    let answer = reqwest::Client::new()
        .get(format!("{}/{SECURITY}/hello", world.sim.base_url()))
        .bearer_auth(token)
        .send()
        .await
        .expect("hello answers");
    if !answer.status().is_success() {
        return false;
    }
    let hello: serde_json::Value = answer.json().await.expect("JSON");
    hello["authenticated"] == true
}

async fn bob_by_form(accounts: &Accounts) -> telltale_core::multi::AccountSignedIn {
    accounts
        .sign_in_with_password(RIOT, SignInMethod::RiotPassword, "bob", "windward-1")
        .await
        .expect("Bob signs in with the form")
}

#[tokio::test]
async fn the_form_and_a_pasted_token_sign_in_and_show_who_it_is() {
    let Some(world) = World::start("riot_sign_in").await else {
        return;
    };
    let accounts = world.accounts().await;
    let wrong = accounts
        .sign_in_with_password(RIOT, SignInMethod::RiotPassword, "bob", "leeward-2")
        .await;
    assert!(
        matches!(wrong, Err(AppError::SignInRefused { .. })),
        "{wrong:?}"
    );

    let bob = bob_by_form(&accounts).await;
    assert_eq!(bob.summary.key, "riot/bob");
    assert_eq!(bob.summary.method, "riot_password");
    assert_eq!(bob.account.username.as_deref(), Some("bob"));
    assert_eq!(bob.account.name, "Bob Smith");
    assert_eq!(bob.account.email.as_deref(), Some("bob@telltale.demo"));
    assert!(bob.account.saved_in_keychain);
    assert!(world.entry_exists("riot/bob").await);

    // The same user's token pasted: the same account, the same one token of the user.
    let token = token_of(&world, "bob", "windward-1").await;
    let pasted = accounts
        .sign_in_with_token(RIOT, &format!("  {token}\n"))
        .await
        .expect("the pasted token signs in");
    assert_eq!(pasted.summary.key, "riot/bob");
    assert_eq!(pasted.summary.method, "pasted_token");
    assert_eq!(accounts.overview().await.accounts.len(), 1);

    let junk = accounts
        .sign_in_with_token(RIOT, "not-a-token-at-all")
        .await;
    assert!(
        matches!(junk, Err(AppError::SignInRefused { .. })),
        "{junk:?}"
    );
    let blank = accounts.sign_in_with_token(RIOT, "   ").await;
    assert!(
        matches!(blank, Err(AppError::SignInRefused { .. })),
        "{blank:?}"
    );

    // After a restart the account is read again from the saved token.
    drop(accounts);
    let accounts = world.accounts().await;
    let view = accounts
        .restore()
        .await
        .expect("restored")
        .expect("an account");
    assert_eq!(view.username.as_deref(), Some("bob"));
}

#[tokio::test]
async fn riot_browsing_lists_devices_with_windows_and_loads_a_race() {
    let Some(world) = World::start("riot_browse").await else {
        return;
    };
    let accounts = world.accounts().await;
    bob_by_form(&accounts).await;
    let account = accounts.active_tokens().await.expect("active");
    let catalog = accounts.data().catalog(&account).await.expect("catalog");
    assert_eq!(catalog.dialect, "riot");
    assert!(catalog.sessions.is_empty() && catalog.groups.is_empty());
    let serials: Vec<&str> = catalog.devices.iter().map(|d| d.serial.as_str()).collect();
    for serial in [TERN, BUOY] {
        assert!(serials.contains(&serial), "{serial} in {serials:?}");
    }
    let tern = catalog
        .devices
        .iter()
        .find(|d| d.serial == TERN)
        .expect("Tern");
    assert_eq!(tern.name, "Tern");
    assert!(
        tern.access_windows
            .iter()
            .any(|w| w.start <= WEEK && w.end >= WEEK + 7 * DAY - 1000),
        "Bob's window over Tern's week: {:?}",
        tern.access_windows
    );
    assert!(catalog.newest_data_ms.is_some());

    let race = LoadRequest {
        from: WEEK + 10 * HOUR,
        to: WEEK + 10 * HOUR + 65 * MIN,
        serials: vec![TERN.into(), BUOY.into()],
    };
    let summary = accounts
        .data()
        .load(&account, race.clone(), |_| {})
        .await
        .expect("race 1 loads");
    assert!(summary.failed.is_empty(), "{:?}", summary.failed);
    assert!(summary.notes.is_empty(), "{:?}", summary.notes);
    assert!(summary.samples > 10_000, "{} samples", summary.samples);
    let tern_channels: Vec<&str> = summary
        .devices
        .iter()
        .find(|d| d.serial == TERN)
        .expect("Tern loaded")
        .channels
        .iter()
        .map(|c| c.label.as_str())
        .collect();
    assert!(tern_channels.contains(&"SOG"), "{tern_channels:?}");

    let gpx = accounts
        .data()
        .export(telltale_core::browse::ExportFormat::Gpx, race.from, race.to)
        .await
        .expect("GPX");
    assert!(gpx.contents.matches("<trkpt").count() > 1000);
    let latest = accounts
        .data()
        .latest(&account, vec![TERN.into()])
        .await
        .expect("latest");
    assert!(
        latest[0].values.iter().any(|v| v.channel.code == 9),
        "SOG among the newest values: {:?}",
        latest[0].values
    );
}

#[tokio::test]
async fn a_span_without_a_window_says_so_and_is_not_an_error() {
    let Some(world) = World::start("riot_no_window").await else {
        return;
    };
    let accounts = world.accounts().await;
    accounts
        .sign_in_with_password(RIOT, SignInMethod::RiotPassword, "kai", "coach-3")
        .await
        .expect("Kai signs in");
    let account = accounts.active_tokens().await.expect("active");
    // Kai coaches Tern on day 3 only.
    let day_one = LoadRequest {
        from: WEEK + 10 * HOUR,
        to: WEEK + 11 * HOUR,
        serials: vec![TERN.into()],
    };
    let summary = accounts
        .data()
        .load(&account, day_one, |_| {})
        .await
        .expect("not an error");
    assert_eq!(summary.samples, 0);
    assert!(summary.failed.is_empty());
    assert_eq!(summary.notes.len(), 1, "{:?}", summary.notes);
    assert!(summary.notes[0].contains(TERN), "{}", summary.notes[0]);
    let day_three = LoadRequest {
        from: WEEK + 2 * DAY + 10 * HOUR,
        to: WEEK + 2 * DAY + 11 * HOUR,
        serials: vec![TERN.into()],
    };
    let summary = accounts
        .data()
        .load(&account, day_three, |_| {})
        .await
        .expect("day 3 loads");
    assert!(summary.samples > 0 && summary.notes.is_empty());
}

#[tokio::test]
async fn an_owner_registers_a_device_and_opens_and_closes_windows() {
    let Some(world) = World::start("riot_manage").await else {
        return;
    };
    let accounts = world.accounts().await;
    bob_by_form(&accounts).await;
    let account = accounts.active_tokens().await.expect("active");
    let data = accounts.data();
    data.register_device(&account, "AA-BT-0999", "Gull")
        .await
        .expect("registered");
    let blank = data.register_device(&account, "  ", "x").await;
    assert!(matches!(blank, Err(AppError::Refused { .. })), "{blank:?}");
    let opened = data
        .open_window(&account, "AA-BT-0999", WEEK, WEEK + DAY)
        .await
        .expect("a window opens");
    let catalog = data.catalog(&account).await.expect("catalog");
    let gull = catalog
        .devices
        .iter()
        .find(|d| d.serial == "AA-BT-0999")
        .expect("the registered device is listed");
    assert_eq!(gull.name, "Gull");
    assert_eq!(gull.access_windows, vec![opened.clone()]);
    data.close_window(&account, opened.id)
        .await
        .expect("closed");
    let catalog = data.catalog(&account).await.expect("catalog");
    let gull = catalog
        .devices
        .iter()
        .find(|d| d.serial == "AA-BT-0999")
        .expect("still registered");
    assert!(gull.access_windows.is_empty());

    // Not the owner: Kai may not open a window on Bob's boat, and is told so.
    accounts
        .sign_in_with_password(RIOT, SignInMethod::RiotPassword, "kai", "coach-3")
        .await
        .expect("Kai signs in");
    let kai = accounts.active_tokens().await.expect("active");
    let refused = data.open_window(&kai, TERN, WEEK, WEEK + DAY).await;
    match refused {
        Err(AppError::Refused { detail }) => assert!(!detail.is_empty()),
        other => panic!("expected a plain refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn sign_out_keeps_the_shared_token_unless_asked_to_invalidate_it() {
    let Some(world) = World::start("riot_sign_out").await else {
        return;
    };
    let accounts = world.accounts().await;
    let bob = bob_by_form(&accounts).await;
    let token = token_of(&world, "bob", "windward-1").await;
    let out = accounts
        .sign_out(&bob.summary.key)
        .await
        .expect("signed out");
    assert_eq!(out.revoked, RevocationOutcome::KeptValid);
    assert!(out.message.contains("stays valid"), "{}", out.message);
    assert!(
        still_valid(&world, &token).await,
        "the default keeps the token"
    );
    assert!(!world.entry_exists("riot/bob").await);

    let bob = bob_by_form(&accounts).await;
    let out = accounts
        .sign_out_and_invalidate(&bob.summary.key)
        .await
        .expect("signed out");
    assert_eq!(out.revoked, RevocationOutcome::Rotated);
    assert!(out.message.contains("other app"), "{}", out.message);
    assert!(!still_valid(&world, &token).await, "the old token is gone");
}

#[tokio::test]
async fn a_token_rotated_elsewhere_asks_to_sign_in_again() {
    let Some(world) = World::start("riot_rotated").await else {
        return;
    };
    let accounts = world.accounts().await;
    let bob = bob_by_form(&accounts).await;
    let account = accounts.active_tokens().await.expect("active");
    accounts.data().catalog(&account).await.expect("catalog");
    // Another app of Bob's invalidates the token.
    let token = token_of(&world, "bob", "windward-1").await;
    reqwest::Client::new()
        .post(format!(
            "{}/{SECURITY}/remove_access_token",
            world.sim.base_url()
        ))
        .bearer_auth(&token)
        .send()
        .await
        .expect("rotated")
        .error_for_status()
        .expect("rotated");
    let refused = accounts.data().catalog(&account).await;
    assert_eq!(refused, Err(AppError::TokenRejected));
    // As with the old API: the sign-in is dropped, the account asks to sign in again.
    let again = accounts.active_tokens().await.map(|_| ());
    assert_eq!(again, Err(AppError::SignedOut));
    let overview = accounts.overview().await;
    let listed = overview
        .accounts
        .iter()
        .find(|a| a.key == bob.summary.key)
        .expect("the account stays listed");
    assert!(listed.signed_out, "marked signed out: {listed:?}");
}

#[tokio::test]
async fn riot_loads_retry_a_failing_server_and_report_a_broken_answer() {
    use igtimi_sim::{FaultKind, FaultRule};
    let Some(world) = World::start("riot_faults").await else {
        return;
    };
    let accounts = world.accounts().await;
    bob_by_form(&accounts).await;
    let account = accounts.active_tokens().await.expect("active");
    let data_path = "/igtimi/api/v1/resources/data";
    let hour = |day: i64| LoadRequest {
        from: WEEK + day * DAY + 10 * HOUR,
        to: WEEK + day * DAY + 11 * HOUR,
        serials: vec![TERN.into()],
    };
    // Two 503s, then the data: the chunk is retried and arrives whole.
    world.sim.faults().add(FaultRule {
        kind: FaultKind::Status { code: 503 },
        path_prefix: Some(data_path.into()),
        times: Some(2),
    });
    let summary = accounts
        .data()
        .load(&account, hour(0), |_| {})
        .await
        .expect("loads after retries");
    assert!(summary.failed.is_empty(), "{:?}", summary.failed);
    assert!(summary.samples > 0);

    // An answer cut off mid-way, every time: the chunk fails with a clear reason.
    world.sim.faults().add(FaultRule {
        kind: FaultKind::TruncatedJson,
        path_prefix: Some(data_path.into()),
        times: None,
    });
    let summary = accounts
        .data()
        .load(&account, hour(1), |_| {})
        .await
        .expect("a failed chunk is not a failed load");
    assert_eq!(summary.failed.len(), 1, "{:?}", summary.failed);
    assert_eq!(summary.failed[0].error.kind(), "invalid_response");
    assert_eq!(summary.samples, 0);
}

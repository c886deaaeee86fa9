//! Live through `Accounts`: the signed-in account's feed over each dialect against the
//! simulator's demo boats sailing today, what it keeps equal to what the server stores, and
//! the rules around it (one feed at a time, stopped by a change of account, a rejected
//! token ends the sign-in).

use crate::{World, IGTIMI, RIOT};
use igtimi_sim::world::TypeKey as SimKey;
use std::time::{Duration, Instant};
use telltale_core::accounts::SignInMethod;
use telltale_core::multi::Accounts;
use telltale_core::AppError;
use telltale_data::TypeKey;
use telltale_live::LiveStatus;
use telltale_test_support::demo::{BOB, PETREL, TERN};

/// Speed over ground, a channel every demo boat records at 1 Hz.
const SOG: u16 = 9;

/// Polls feed `id` until it has delivered at least `seconds` samples of `serial`'s SOG;
/// returns the statuses seen.
async fn watch(accounts: &Accounts, id: u64, serial: &str, seconds: usize) -> Vec<String> {
    let deadline = Instant::now() + Duration::from_secs(30);
    let (mut after, mut got, mut states) = (0, 0, Vec::new());
    while got < seconds {
        assert!(
            Instant::now() < deadline,
            "only {got} SOG samples of {serial} in 30 s; states {states:?}"
        );
        let update = accounts.live().next(id, after).await.expect("next");
        after = update.seq;
        let state = match &update.status {
            LiveStatus::Connecting { .. } => "connecting",
            LiveStatus::Live { .. } => "live",
            LiveStatus::Reconnecting { .. } => "reconnecting",
            LiveStatus::Stopped { reason, .. } => panic!("stopped: {reason}"),
        };
        if states.last().map(String::as_str) != Some(state) {
            states.push(state.to_string());
        }
        for samples in &update.samples {
            assert!(
                [TERN, PETREL].contains(&samples.serial.as_str()),
                "a device not asked for: {}",
                samples.serial
            );
            if samples.serial == serial && samples.code == SOG && samples.dsi == 0 {
                got += samples.t.len();
            }
        }
    }
    states
}

/// The feed's kept SOG of `serial` equals the server's stored samples at the same times.
fn assert_kept_equals_stored(world: &World, accounts: &Accounts, id: u64, serial: &str) {
    let kept = accounts.live().window(id).expect("the feed runs");
    let block = kept.block(serial, TypeKey::new(SOG)).expect("SOG was kept");
    let (first, last) = (block.t[0], *block.t.last().expect("samples"));
    let stored = world
        .sim
        .state()
        .data
        .series(serial, SimKey::new(SOG), first, last);
    let stored_t: Vec<i64> = stored.t.iter().map(|&t| t as i64).collect();
    assert_eq!(
        block.t, stored_t,
        "kept times equal the stored ones: no hole, no duplicate"
    );
    for (kept, stored) in block.fields[0].iter().zip(&stored.fields[0]) {
        assert!(
            (kept - stored).abs() < 1e-9,
            "kept {kept} vs stored {stored}"
        );
    }
}

#[tokio::test]
async fn live_on_the_old_api_and_on_riot_delivers_today_s_samples_as_stored() {
    let Some(world) = World::start("live_both_dialects").await else {
        return;
    };
    let accounts = world.accounts().await;

    world
        .form_sign_in(&accounts, IGTIMI, SignInMethod::Password, BOB)
        .await;
    let account = accounts.active_tokens().await.expect("signed in");
    let started = accounts
        .live()
        .start(accounts.data(), account, vec![TERN.into(), PETREL.into()])
        .await
        .expect("live starts on the old API");
    assert_eq!(started.devices[0].name, "Tern");
    assert_eq!(started.devices[1].name, "Petrel");
    let states = watch(&accounts, started.id, TERN, 3).await;
    assert!(states.contains(&"live".to_string()), "{states:?}");
    assert_kept_equals_stored(&world, &accounts, started.id, TERN);

    accounts
        .sign_in_with_password(RIOT, SignInMethod::RiotPassword, "bob", "windward-1")
        .await
        .expect("Bob signs in on Riot");
    // A new active account stops the old one's feed.
    assert!(matches!(
        accounts.live().next(started.id, 0).await,
        Err(AppError::LiveStopped)
    ));
    let account = accounts.active_tokens().await.expect("signed in");
    let riot = accounts
        .live()
        .start(accounts.data(), account, vec![TERN.into()])
        .await
        .expect("live starts on Riot");
    watch(&accounts, riot.id, TERN, 3).await;
    assert_kept_equals_stored(&world, &accounts, riot.id, TERN);
    assert!(accounts.live().stop(riot.id));
    assert!(!accounts.live().stop(riot.id), "stopped once");
}

#[tokio::test]
async fn live_refuses_an_empty_choice_and_a_revoked_token_ends_the_sign_in() {
    let Some(world) = World::start("live_rules").await else {
        return;
    };
    let accounts = world.accounts().await;
    world
        .form_sign_in(&accounts, IGTIMI, SignInMethod::Password, BOB)
        .await;
    let account = accounts.active_tokens().await.expect("signed in");
    let empty = accounts
        .live()
        .start(accounts.data(), account.clone(), vec![" ".into()])
        .await;
    assert!(matches!(empty, Err(AppError::Refused { .. })), "{empty:?}");

    let started = accounts
        .live()
        .start(accounts.data(), account, vec![TERN.into()])
        .await
        .expect("live starts");
    watch(&accounts, started.id, TERN, 1).await;
    assert!(world.sim.expire_all_tokens() > 0);
    world.sim.live_fault(igtimi_sim::live::LiveFault::Drop);
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut after = 0;
    loop {
        assert!(
            Instant::now() < deadline,
            "the rejected token was never noticed"
        );
        match accounts.live().next(started.id, after).await {
            Ok(update) => after = update.seq,
            Err(AppError::TokenRejected) => break,
            Err(other) => panic!("unexpected {other:?}"),
        }
    }
    assert!(
        matches!(accounts.active_tokens().await, Err(AppError::SignedOut)),
        "the sign-in ended"
    );
}

//! A locked collection: the `login` collection is locked after sign-ins. Every call must
//! give a clear keychain error within [`crate::BOUND`] (no prompt to wait for), nothing may be
//! written in plain text, and after unlocking with the collection's password (no human
//! needed) everything works again.

use crate::raw::SecretBus;
use crate::{is_kind, key, sign_in_unsaved, Outcome, Problems, Tally, World};
use igtimi_sim::demo::{ANA, BOB};
use std::sync::Arc;

pub async fn family(world: &World) {
    let mut tally = Tally::new("keychain, locked collection");
    let bus = SecretBus::connect().await;
    let accounts = world.accounts().await;
    world.sign_in(&accounts, ANA).await.expect("Ana signs in");
    world.sign_in(&accounts, BOB).await.expect("Bob signs in");
    drop(accounts);
    bus.lock().await;
    assert!(bus.is_locked().await, "the login collection is locked");

    // A fresh start with the collection locked.
    let accounts = Arc::new(world.accounts().await);
    let mut problems = Problems::default();
    let (outcome, took) = Outcome::of(&accounts, |a| async move { a.restore().await }).await;
    println!("locked: restore answered after {took:?}");
    match &outcome {
        Outcome::Returned(Err(error)) => problems
            .check(is_kind(error, "keychain_unavailable", "keychain"), || {
                format!("not a clear keychain error: {error:?}")
            }),
        other => problems
            .0
            .push(format!("restore gave {other:?} after {took:?}")),
    }
    tally.record_case(
        "start the app with the login collection locked",
        "keychain_unavailable naming the keychain, within the bound, no prompt waited for",
        problems.0,
    );

    let mut problems = Problems::default();
    sign_in_unsaved(&accounts, "locked", &mut problems).await;
    let (outcome, _) = Outcome::of(&accounts, |a| async move { a.api_access().await }).await;
    problems.check(matches!(outcome, Outcome::Returned(Ok(_))), || {
        format!("the sign-in in memory does not work: {outcome:?}")
    });
    tally.record_case(
        "sign Bob in again while the collection is locked",
        "signed in for this run only, with a keychain notice, within the bound",
        problems.0,
    );

    let mut problems = Problems::default();
    let (outcome, took) =
        Outcome::of(&accounts, |a| async move { a.sign_out(&key(ANA)).await }).await;
    match &outcome {
        Outcome::Returned(Ok(out)) => problems.check(out.message.contains("keychain"), || {
            format!(
                "the sign-out does not say the entry stayed: {:?}",
                out.message
            )
        }),
        other => problems
            .0
            .push(format!("sign-out gave {other:?} after {took:?}")),
    }
    tally.record_case(
        "sign out of Ana while the collection is locked",
        "signed out and revoked at the server; says the keychain could not be cleared",
        problems.0,
    );

    let mut problems = Problems::default();
    let hits = world.plaintext_hits();
    problems.check(hits.is_empty(), || {
        format!("tokens in plain text: {hits:?}")
    });
    tally.record_case(
        "look for any token in the settings folder after the locked-keychain sign-ins",
        "no token, code or verifier in any file",
        problems.0,
    );
    drop(accounts);

    // Unlocked with the collection's password: things work again, no human needed.
    bus.unlock().await;
    let mut problems = Problems::default();
    problems.check(!bus.is_locked().await, || "still locked".into());
    let accounts = world.accounts().await;
    match accounts.restore().await {
        Ok(Some(view)) => problems.check(view.id == BOB, || format!("restored {}", view.id)),
        other => problems.0.push(format!("restore gave {other:?}")),
    }
    match world.sign_in(&accounts, BOB).await {
        Ok(signed_in) => problems.check(
            signed_in.notice.is_none() && signed_in.account.saved_in_keychain,
            || format!("not saved: {:?}", signed_in.notice),
        ),
        Err(error) => problems.0.push(format!("sign-in failed: {error}")),
    }
    tally.record_case(
        "unlock the collection with its password, start afresh and sign in",
        "the saved sign-in is restored and a new one is saved",
        problems.0,
    );

    let _ = accounts.sign_out(&key(BOB)).await;
    world.delete_raw_if_any(&key(ANA)).await;
    tally.finish();
}

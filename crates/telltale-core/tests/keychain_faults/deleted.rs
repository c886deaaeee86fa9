//! An entry deleted behind the app's back, and two app instances writing the same entry.

use crate::{key, Outcome, Problems, Tally, World};
use igtimi_sim::demo::{ANA, BOB};
use std::sync::Arc;
use telltale_core::AppError;

/// Bob's entry is deleted by someone else, while the app is closed or while it runs.
pub async fn family(world: &World) {
    let mut tally = Tally::new("keychain, entry deleted behind our back");

    // Ana, then Bob (active); the app closes; Bob's entry is deleted; the app starts.
    let accounts = world.accounts().await;
    world.sign_in(&accounts, ANA).await.expect("Ana signs in");
    world.sign_in(&accounts, BOB).await.expect("Bob signs in");
    drop(accounts);
    world.delete_raw(&key(BOB)).await;
    let accounts = Arc::new(world.accounts().await);

    let mut problems = Problems::default();
    let (outcome, _) = Outcome::of(&accounts, |a| async move { a.restore().await }).await;
    problems.check(matches!(outcome, Outcome::Returned(Ok(None))), || {
        format!("restore gave {outcome:?}, not \"nobody signed in\"")
    });
    let overview = accounts.overview().await;
    let bob = overview.accounts.iter().find(|a| a.key == key(BOB));
    problems.check(bob.is_some_and(|bob| bob.signed_out && bob.active), || {
        format!("Bob is not listed as the active, signed-out account: {bob:?}")
    });
    problems.check(overview.account.is_none(), || {
        "an account is shown as signed in".into()
    });
    tally.record_case(
        "start the app with Bob active and his entry deleted while it was closed",
        "no crash, no error; Bob listed, marked signed out; nobody shown signed in",
        problems.0,
    );

    let mut problems = Problems::default();
    let (outcome, _) = Outcome::of(&accounts, |a| async move { a.api_access().await }).await;
    match &outcome {
        Outcome::Returned(Err(error @ AppError::SignedOut)) => problems
            .check(error.to_string().contains("sign in"), || {
                format!("not a plain message: {error}")
            }),
        other => problems.0.push(format!("API access gave {other:?}")),
    }
    tally.record_case(
        "use Bob's account for data (API access) with his entry gone",
        "signed_out, \"You are not signed in. Please sign in first.\"",
        problems.0,
    );

    let mut problems = Problems::default();
    match accounts.switch(&key(ANA)).await {
        Ok(Some(view)) => problems.check(view.id == ANA, || format!("switched to {}", view.id)),
        other => problems.0.push(format!("switching to Ana gave {other:?}")),
    }
    tally.record_case(
        "switch to Ana after Bob's entry vanished",
        "Ana's account is unaffected and works",
        problems.0,
    );

    let mut problems = Problems::default();
    let (outcome, _) = Outcome::of(&accounts, |a| async move { a.sign_out(&key(BOB)).await }).await;
    problems.check(matches!(outcome, Outcome::Returned(Ok(_))), || {
        format!("sign-out gave {outcome:?}")
    });
    let listed = accounts.overview().await.accounts;
    problems.check(listed.iter().all(|a| a.key != key(BOB)), || {
        "Bob is still listed".into()
    });
    problems.check(matches!(world.load(&key(ANA)).await, Ok(Some(_))), || {
        "Ana's entry is gone".into()
    });
    tally.record_case(
        "sign out of Bob, whose entry is gone",
        "signed out, Bob removed from the list, Ana's entry kept",
        problems.0,
    );

    // Bob signs in again; his entry is deleted while the app runs.
    let mut problems = Problems::default();
    world
        .sign_in(&accounts, BOB)
        .await
        .expect("Bob signs in again");
    world.delete_raw(&key(BOB)).await;
    let (outcome, _) = Outcome::of(&accounts, |a| async move { a.api_access().await }).await;
    problems.check(matches!(outcome, Outcome::Returned(Ok(_))), || {
        format!("API access from memory gave {outcome:?}")
    });
    let (outcome, _) = Outcome::of(&accounts, |a| async move { a.sign_out(&key(BOB)).await }).await;
    match &outcome {
        Outcome::Returned(Ok(out)) => problems.check(out.message.starts_with("Signed out"), || {
            format!("sign-out said {:?}", out.message)
        }),
        other => problems.0.push(format!("sign-out gave {other:?}")),
    }
    tally.record_case(
        "delete Bob's entry while the app runs, then use the account and sign out",
        "the sign-in in memory keeps working for this run; signing out works and revokes",
        problems.0,
    );

    accounts.sign_out(&key(ANA)).await.expect("sign Ana out");
    tally.finish();
}

/// Two app instances over the same keychain service and settings folder sign in at once.
pub async fn two_instances(world: &World) {
    let mut tally = Tally::new("keychain, two instances");
    let first = world.accounts().await;
    let second = world.accounts().await;

    let mut problems = Problems::default();
    for _ in 0..5 {
        let (a, b) = tokio::join!(world.sign_in(&first, BOB), world.sign_in(&second, BOB));
        problems.check(a.is_ok() && b.is_ok(), || {
            format!("sign-ins: {a:?} / {b:?}")
        });
    }
    let entry = world.load(&key(BOB)).await;
    problems.check(matches!(entry, Ok(Some(_))), || {
        format!("the entry does not read back as one token: {entry:?}")
    });
    let fresh = world.accounts().await;
    let overview = fresh.overview().await;
    problems.check(overview.notice.is_none(), || {
        format!("the account list was damaged: {:?}", overview.notice)
    });
    problems.check(
        overview
            .accounts
            .iter()
            .filter(|a| a.key == key(BOB))
            .count()
            == 1,
        || "Bob is not listed exactly once".into(),
    );
    match fresh.restore().await {
        Ok(Some(view)) => problems.check(view.id == BOB, || format!("restored {}", view.id)),
        other => problems.0.push(format!("restore gave {other:?}")),
    }
    tally.record_case(
        "two instances sign Bob in at the same moment, five times",
        "one entry holding one of the tokens, which a fresh start restores; list intact",
        problems.0,
    );

    let mut problems = Problems::default();
    let (a, b) = tokio::join!(world.sign_in(&first, ANA), world.sign_in(&second, BOB));
    problems.check(a.is_ok() && b.is_ok(), || {
        format!("sign-ins: {a:?} / {b:?}")
    });
    for id in [ANA, BOB] {
        problems.check(matches!(world.load(&key(id)).await, Ok(Some(_))), || {
            format!("{id} has no entry")
        });
    }
    tally.record_case(
        "two instances sign different accounts in at the same moment",
        "each account has its own entry",
        problems.0,
    );

    drop((first, second));
    let accounts = world.accounts().await;
    for id in [ANA, BOB] {
        let _ = accounts.sign_out(&key(id)).await;
        world.delete_raw_if_any(&key(id)).await;
    }
    tally.finish();
}

impl World {
    /// Deletes `key`'s entry when there is one.
    pub async fn delete_raw_if_any(&self, key: &str) {
        if matches!(self.load(key).await, Ok(Some(_))) {
            self.delete_raw(key).await;
        }
    }
}

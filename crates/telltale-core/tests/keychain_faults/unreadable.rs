//! An unreadable entry: the account's keychain entry replaced with garbage by someone else.
//! The app, started afresh, must say the saved sign-in could not be read, never send the
//! garbage as a token, mark the account signed out, remove the garbage, and let the user
//! sign in again, which writes a good entry.

use crate::proxy::Recorder;
use crate::{is_kind, key, Outcome, Problems, Tally, World};
use igtimi_sim::demo::{ANA, BOB};

/// What the app must make of the garbage.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// Not a token: "could not be read", no request carries any token.
    Unreadable,
    /// A well-formed token nobody issued: it can only be tried; the server refuses it.
    Refused,
    /// Another account's valid token: never shown as this account.
    OtherAccount,
}

struct Garbage {
    attempt: &'static str,
    secret: Vec<u8>,
    /// A piece of the garbage that must not appear in any request ("" when there is none).
    marker: &'static str,
    expect: Expect,
}

fn cases(ana_entry: Vec<u8>) -> Vec<Garbage> {
    let json = |text: &str| text.as_bytes().to_vec();
    let unreadable = |attempt, secret, marker| Garbage {
        attempt,
        secret,
        marker,
        expect: Expect::Unreadable,
    };
    vec![
        unreadable(
            "plain text, not JSON",
            json("GARBAGE-hunter2"),
            "GARBAGE-hunter2",
        ),
        unreadable("an empty secret", Vec::new(), ""),
        unreadable(
            "1 MiB of text",
            "GARBAGE-huge-".repeat(80_660).into_bytes(),
            "GARBAGE-huge-",
        ),
        unreadable(
            "bytes that are not UTF-8",
            vec![0xff, 0xfe, 0x00, 0xc3, 0x28, 0x80],
            "",
        ),
        unreadable(
            "JSON of the wrong shape",
            json(r#"{"access_token": 12345, "token_type": "GARBAGE-shape"}"#),
            "GARBAGE-shape",
        ),
        unreadable("JSON null", json("null"), ""),
        unreadable(
            "a JSON list of strings",
            json(r#"["GARBAGE-list", "Bearer"]"#),
            "GARBAGE-list",
        ),
        unreadable(
            "JSON nested 10,000 deep",
            ("[".repeat(10_000) + &"]".repeat(10_000)).into_bytes(),
            "",
        ),
        unreadable(
            "a token record with an empty access token",
            json(r#"{"access_token": "", "token_type": "Bearer"}"#),
            "",
        ),
        unreadable(
            "a token record of another token type (MAC)",
            json(r#"{"access_token": "GARBAGE-mac", "token_type": "MAC"}"#),
            "GARBAGE-mac",
        ),
        unreadable(
            "a token record whose access token has a line break (header injection)",
            json(r#"{"access_token": "GARBAGE-a\r\nX-Evil: 1", "token_type": "Bearer"}"#),
            "GARBAGE-a",
        ),
        unreadable(
            "a token record with a 5,000-character access token",
            format!(
                r#"{{"access_token": "GARBAGE-long{}", "token_type": "Bearer"}}"#,
                "x".repeat(5_000)
            )
            .into_bytes(),
            "GARBAGE-long",
        ),
        Garbage {
            attempt: "a well-formed token record with a token nobody issued",
            secret: json(r#"{"access_token": "GARBAGE-unissued", "token_type": "Bearer"}"#),
            marker: "",
            expect: Expect::Refused,
        },
        Garbage {
            attempt: "another account's (Ana's) valid token record in Bob's entry",
            secret: ana_entry,
            marker: "",
            expect: Expect::OtherAccount,
        },
    ]
}

pub async fn family(world: &World) {
    let mut tally = Tally::new("keychain, unreadable entry");
    let recorder = Recorder::start(world.sim.addr()).await;
    let via_relay = world.config_via(&recorder.base_url());

    // Ana and Bob signed in; Bob last, so Bob is active. Every start goes through the relay,
    // the one server these accounts know: their tokens are bound to its address.
    let accounts = world.accounts_at(&via_relay).await;
    world.sign_in(&accounts, ANA).await.expect("Ana signs in");
    let ana_token = world
        .load(&key(ANA))
        .await
        .expect("Ana's entry")
        .expect("Ana saved");
    let ana_entry = serde_json::to_vec(&ana_token).expect("encode");
    drop(accounts);

    for case in cases(ana_entry) {
        let accounts = world.accounts_at(&via_relay).await;
        let mut problems = Problems::default();
        world.sign_in(&accounts, BOB).await.expect("Bob signs in");
        drop(accounts);
        world.write_raw(&key(BOB), case.secret.clone()).await;

        recorder.clear();
        let accounts = std::sync::Arc::new(world.accounts_at(&via_relay).await);
        let (outcome, _) = Outcome::of(
            &accounts,
            |accounts| async move { accounts.restore().await },
        )
        .await;
        let want = match case.expect {
            Expect::Unreadable | Expect::OtherAccount => "saved_sign_in_unreadable",
            Expect::Refused => "token_rejected",
        };
        match &outcome {
            Outcome::Returned(Err(error)) if error.kind() == want => {
                if want == "saved_sign_in_unreadable" {
                    problems.check(is_kind(error, want, "sign in again"), || {
                        format!("the message does not ask to sign in again: {error}")
                    });
                }
            }
            other => problems
                .0
                .push(format!("restore gave {other:?}, not {want}")),
        }
        let sent = recorder.sent();
        if !case.marker.is_empty() {
            problems.check(!sent.contains(case.marker), || {
                "the garbage was sent to the server".into()
            });
        }
        if case.expect == Expect::Unreadable {
            problems.check(recorder.authorized_requests() == 0, || {
                format!(
                    "{} requests carried a token",
                    recorder.authorized_requests()
                )
            });
        }
        let overview = accounts.overview().await;
        let bob = overview.accounts.iter().find(|a| a.key == key(BOB));
        problems.check(bob.is_some_and(|bob| bob.signed_out), || {
            format!("Bob is not listed as signed out: {bob:?}")
        });
        problems.check(
            overview.account.as_ref().is_none_or(|view| view.id == BOB),
            || "another account is shown as Bob".into(),
        );
        problems.check(matches!(world.load(&key(BOB)).await, Ok(None)), || {
            "the garbage is still in the keychain".into()
        });
        problems.check(
            matches!(world.load(&key(ANA)).await, Ok(Some(token)) if token == ana_token),
            || "Ana's entry changed".into(),
        );

        // Signing in again replaces the entry with a good one, which a fresh start uses.
        match world.sign_in(&accounts, BOB).await {
            Ok(signed_in) => problems.check(signed_in.notice.is_none(), || {
                format!("signing in again gave a notice: {:?}", signed_in.notice)
            }),
            Err(error) => problems.0.push(format!("signing in again failed: {error}")),
        }
        drop(accounts);
        let fresh = world.accounts_at(&via_relay).await;
        match fresh.restore().await {
            Ok(Some(view)) if view.id == BOB => {}
            other => problems
                .0
                .push(format!("after signing in again, restore gave {other:?}")),
        }
        tally.record_case(
            case.attempt,
            "a clear error (or the server's refusal for a well-formed token), no garbage sent, \
             marked signed out, entry removed, signing in again works",
            problems.0,
        );
    }

    // Ana's own account still works after all this.
    let accounts = world.accounts_at(&via_relay).await;
    let mut problems = Problems::default();
    match accounts.switch(&key(ANA)).await {
        Ok(Some(view)) => problems.check(view.id == ANA, || format!("switched to {}", view.id)),
        other => problems.0.push(format!("switching to Ana gave {other:?}")),
    }
    tally.record_case(
        "switch to Ana, whose token was copied into Bob's entry",
        "Ana's account is untouched and works",
        problems.0,
    );
    accounts.sign_out(&key(ANA)).await.expect("sign Ana out");
    accounts.sign_out(&key(BOB)).await.expect("sign Bob out");
    tally.finish();
}

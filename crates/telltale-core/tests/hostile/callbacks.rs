//! Forged and malformed redirects delivered to [`Accounts::complete_sign_in`] while real
//! sign-ins (code flow, implicit grant, Iternio) wait: every one is refused with
//! `InvalidCallback`, none panics, and the real sign-ins complete afterwards.

use crate::{deliver, raw_param, refused, unknown, Case, Tally, World, IGTIMI, ITERNIO};
use igtimi_sim::demo::{ANA, BOB, KAI};
use std::time::{Duration, Instant};
use telltale_core::accounts::SignInMethod;
use telltale_core::multi::Channel;
use telltale_core::AppError;

/// The return address of the `igtimi` profile the code and implicit attempts start at.
const APP: &str = "io.telltale.app:/oauth/callback/igtimi";
/// The return address of the Iternio profile.
const APP_ITERNIO: &str = "io.telltale.app:/oauth/iternio/abrp";

/// A check and what it requires, in words.
type Check = (fn(&Result<(), AppError>) -> bool, &'static str);
const UNKNOWN: Check = (unknown, "refused as an unknown sign-in link");
const REFUSED: Check = (refused, "refused as an invalid sign-in answer");

fn case(attempt: impl Into<String>, raw: String, (check, must): Check) -> Case {
    Case {
        attempt: attempt.into(),
        raw,
        must,
        check,
    }
}

/// The forged redirects, given the waiting code sign-in's state and code (`s`, `c`), the
/// implicit attempt's state `si` and the Iternio attempt's state `sn`.
fn forgeries(s: &str, c: &str, si: &str, sn: &str) -> Vec<Case> {
    let mut flipped = s.to_owned();
    let last = if flipped.pop() == Some('A') { 'B' } else { 'A' };
    flipped.push(last);
    let double_encoded: String = s.bytes().map(|b| format!("%25{b:02X}")).collect();
    vec![
        case(
            "a wrong state",
            format!("{APP}?code={c}&state=not-a-state"),
            UNKNOWN,
        ),
        case(
            "a state differing in its last character",
            format!("{APP}?code={c}&state={flipped}"),
            UNKNOWN,
        ),
        case("no state", format!("{APP}?code={c}"), UNKNOWN),
        case("no code", format!("{APP}?state={s}"), REFUSED),
        case("an empty code", format!("{APP}?code=&state={s}"), REFUSED),
        case(
            "both a code and an error",
            format!("{APP}?code={c}&error=access_denied&state={s}"),
            REFUSED,
        ),
        case(
            "a query over MAX_CALLBACK_LEN",
            format!("{APP}?code={c}&state={s}&pad={}", "x".repeat(9000)),
            REFUSED,
        ),
        case(
            "a state over MAX_CALLBACK_LEN",
            format!("{APP}?code={c}&state={s}{}", "A".repeat(9000)),
            UNKNOWN,
        ),
        case(
            "a double-encoded state",
            format!("{APP}?code={c}&state={double_encoded}"),
            UNKNOWN,
        ),
        case(
            "%00 in the code",
            format!("{APP}?code={c}%00&state={s}"),
            REFUSED,
        ),
        case(
            "%00 after the state",
            format!("{APP}?code={c}&state={s}%00"),
            UNKNOWN,
        ),
        case(
            "escapes that are not UTF-8",
            format!("{APP}?code=%C0%AF%FF&state={s}"),
            REFUSED,
        ),
        case(
            "a stray % in the code",
            format!("{APP}?code={c}%&state={s}"),
            REFUSED,
        ),
        case(
            "a bad hex escape",
            format!("{APP}?code=%zz{c}&state={s}"),
            REFUSED,
        ),
        case(
            "a + (space) after the state",
            format!("{APP}?code={c}&state={s}+"),
            UNKNOWN,
        ),
        case(
            "a %20 (space) after the state",
            format!("{APP}?code={c}&state={s}%20"),
            UNKNOWN,
        ),
        case(
            "the state twice",
            format!("{APP}?code={c}&state={s}&state={s}"),
            REFUSED,
        ),
        case(
            "the code twice",
            format!("{APP}?code={c}&code={c}&state={s}"),
            REFUSED,
        ),
        case(
            "a parameter without =",
            format!("{APP}?code={c}&state={s}&junk"),
            REFUSED,
        ),
        case(
            "another app's scheme",
            format!("evil.app:/oauth/callback?code={c}&state={s}"),
            REFUSED,
        ),
        case(
            "a web address",
            format!("https://evil.example/oauth/callback?code={c}&state={s}"),
            REFUSED,
        ),
        case(
            "the scheme with `oauth` as host",
            format!("io.telltale.app://oauth/callback?code={c}&state={s}"),
            REFUSED,
        ),
        case(
            "another path",
            format!("io.telltale.app:/oauth/other?code={c}&state={s}"),
            REFUSED,
        ),
        case(
            "the Iternio path for an Igtimi sign-in",
            format!("{APP_ITERNIO}?code={c}&state={s}"),
            REFUSED,
        ),
        case(
            "user info before the path",
            format!("io.telltale.app://user:pw@/oauth/callback?code={c}&state={s}"),
            REFUSED,
        ),
        case(
            "a loopback address for an app-scheme sign-in",
            format!("http://127.0.0.1:45678/oauth/callback?code={c}&state={s}"),
            REFUSED,
        ),
        case(
            "a javascript: URL",
            format!("javascript:alert(1)//?code={c}&state={s}"),
            REFUSED,
        ),
        case(
            "a fragment where a query is expected",
            format!("{APP}#code={c}&state={s}"),
            REFUSED,
        ),
        case(
            "a fragment after a valid query",
            format!("{APP}?code={c}&state={s}#x"),
            REFUSED,
        ),
        case(
            "a newline inside the address",
            format!("{APP}?code={c}\n&state={s}"),
            REFUSED,
        ),
        case(
            "non-ASCII text in the address",
            format!("{APP}?code={c}é&state={s}"),
            REFUSED,
        ),
        case("an empty address", String::new(), UNKNOWN),
        case("not a URL at all", format!("state={s}&code={c}"), UNKNOWN),
        case(
            "an implicit answer in the query",
            format!("{APP}?access_token=tok&token_type=Bearer&state={si}"),
            REFUSED,
        ),
        case(
            "an implicit answer without a token type",
            format!("{APP}#access_token=tok&state={si}"),
            REFUSED,
        ),
        case(
            "an implicit answer with a MAC token",
            format!("{APP}#access_token=tok&token_type=mac&state={si}"),
            REFUSED,
        ),
        case(
            "an implicit answer with a token and an error",
            format!("{APP}#access_token=tok&token_type=Bearer&error=x&state={si}"),
            REFUSED,
        ),
        case(
            "an implicit answer with a lifetime that is not a number",
            format!("{APP}#access_token=tok&token_type=Bearer&expires_in=soon&state={si}"),
            REFUSED,
        ),
        case(
            "a code where the implicit grant expects a token",
            format!("{APP}#code={c}&state={si}"),
            REFUSED,
        ),
        case(
            "Iternio's answer with `code` instead of `auth_code`",
            format!("{APP_ITERNIO}?code={c}&state={sn}"),
            REFUSED,
        ),
        case(
            "Iternio's answer in a fragment",
            format!("{APP_ITERNIO}#auth_code={c}&state={sn}"),
            REFUSED,
        ),
        case(
            "Iternio's answer at the Igtimi path",
            format!("{APP}?auth_code={c}&state={sn}"),
            REFUSED,
        ),
    ]
}

#[tokio::test]
async fn forged_redirects_are_refused_and_the_real_sign_ins_still_complete() {
    let Some(world) = World::start("forged").await else {
        return;
    };
    let accounts = world.accounts().await;
    let (code_url, _code_attempt) = accounts
        .begin(IGTIMI, SignInMethod::Code, Channel::Window)
        .expect("code sign-in");
    let real_code = world.approve(code_url.as_str(), BOB).await;
    let (implicit_url, _) = accounts
        .begin(IGTIMI, SignInMethod::Implicit, Channel::Window)
        .expect("implicit");
    let real_implicit = world.approve(implicit_url.as_str(), ANA).await;
    let (iternio_url, _) = accounts
        .begin(ITERNIO, SignInMethod::Code, Channel::Window)
        .expect("iternio");
    let real_iternio = world.approve(iternio_url.as_str(), KAI).await;
    let (s, c) = (
        raw_param(&real_code, "state"),
        raw_param(&real_code, "code"),
    );
    assert!(
        !s.is_empty() && !c.is_empty(),
        "the simulator's redirect: {real_code}"
    );
    let si = raw_param(&real_implicit, "state");
    let sn = raw_param(&real_iternio, "state");

    let mut tally = Tally::new("callbacks");
    for case in forgeries(&s, &c, &si, &sn) {
        let outcome = deliver(&accounts, &case.raw).await;
        tally.record((case.check)(&outcome), || {
            format!("{}: must be {}, got {outcome:?}", case.attempt, case.must)
        });
    }
    let no_account = accounts.overview().await.accounts.is_empty();
    tally.record(no_account, || {
        "no forged redirect may add an account".into()
    });

    // The real code redirect still completes; finishing it ends the other attempts (they
    // may not switch the account later), so their redirects are unknown now.
    let bob = deliver(&accounts, &real_code).await;
    tally.record(bob.is_ok(), || {
        format!("the real code redirect must complete: {bob:?}")
    });
    for (what, raw) in [
        ("the code redirect reused (its state used)", &real_code),
        (
            "the implicit redirect, its attempt ended by Bob's sign-in",
            &real_implicit,
        ),
        (
            "the Iternio redirect, its attempt ended by Bob's sign-in",
            &real_iternio,
        ),
    ] {
        let outcome = deliver(&accounts, raw).await;
        tally.record(unknown(&outcome), || {
            format!("{what}: must be unknown, got {outcome:?}")
        });
    }
    // The implicit and Iternio sign-ins still work, each on its own.
    let (implicit_url, _) = accounts
        .begin(IGTIMI, SignInMethod::Implicit, Channel::Window)
        .expect("implicit again");
    let real_implicit = world.approve(implicit_url.as_str(), ANA).await;
    let ana = deliver(&accounts, &real_implicit).await;
    tally.record(ana.is_ok(), || {
        format!("the real implicit redirect must complete: {ana:?}")
    });
    let (iternio_url, _) = accounts
        .begin(ITERNIO, SignInMethod::Code, Channel::Window)
        .expect("iternio again");
    let real_iternio = world.approve(iternio_url.as_str(), KAI).await;
    let kai = deliver(&accounts, &real_iternio).await;
    tally.record(kai.is_ok(), || {
        format!("the real Iternio redirect must complete: {kai:?}")
    });
    tally.record(accounts.overview().await.accounts.len() == 3, || {
        "three accounts".into()
    });

    // A used code with the state of a new attempt: the server refuses it.
    let (again, _) = accounts
        .begin(IGTIMI, SignInMethod::Code, Channel::Window)
        .expect("another sign-in");
    let fresh_state = raw_param(again.as_str(), "state");
    let reused = deliver(&accounts, &format!("{APP}?code={c}&state={fresh_state}")).await;
    tally.record(
        matches!(reused, Err(AppError::SignInRefused { .. })),
        || format!("a used code must be refused by the server, got {reused:?}"),
    );
    tally.finish();
}

#[tokio::test]
async fn redirects_with_no_sign_in_waiting_are_unknown() {
    let Some(world) = World::start("nothing-waiting").await else {
        return;
    };
    let accounts = world.accounts().await;
    let mut tally = Tally::new("callbacks (none waiting)");
    let shapes = [
        format!("{APP}?code=abc&state=xyz"),
        format!("{APP}?error=access_denied&state=xyz"),
        format!("{APP}#access_token=t&token_type=Bearer&state=xyz"),
        format!("{APP_ITERNIO}?auth_code=abc&state=xyz"),
        "http://127.0.0.1:1/oauth/callback?code=abc&state=xyz".to_string(),
    ];
    for raw in shapes {
        let outcome = deliver(&accounts, &raw).await;
        tally.record(unknown(&outcome), || {
            format!("{raw}: must be unknown, got {outcome:?}")
        });
    }
    // A real redirect whose attempt was cancelled (its login view closed).
    let (url, attempt) = accounts
        .begin(IGTIMI, SignInMethod::Code, Channel::Window)
        .expect("sign-in");
    let real = world.approve(url.as_str(), BOB).await;
    tally.record(accounts.cancel_sign_in(&attempt), || {
        "the attempt was waiting".into()
    });
    let outcome = deliver(&accounts, &real).await;
    tally.record(unknown(&outcome), || {
        format!("a cancelled attempt's redirect: {outcome:?}")
    });
    tally.finish();
}

#[tokio::test]
async fn a_flood_of_forged_redirects_leaves_the_real_sign_in_working() {
    let Some(world) = World::start("flood").await else {
        return;
    };
    let accounts = world.accounts().await;
    let (url, _attempt) = accounts
        .begin(IGTIMI, SignInMethod::Code, Channel::Window)
        .expect("sign-in");
    let real = world.approve(url.as_str(), BOB).await;
    let (s, c) = (raw_param(&real, "state"), raw_param(&real, "code"));
    let templates = forgeries(&s, &c, "implicit-state-gone", "iternio-state-gone");

    let mut tally = Tally::new("callbacks (flood of 1000)");
    let started = Instant::now();
    for n in 0..1000usize {
        // Every fourth a random state; the rest cycle through the malformed shapes, most
        // carrying the real state.
        let raw = if n % 4 == 0 {
            format!(
                "{APP}?code={c}&state={:032x}",
                u128::from(n as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c835)
            )
        } else {
            templates[n % templates.len()].raw.clone()
        };
        let outcome = deliver(&accounts, &raw).await;
        tally.record(refused(&outcome), || {
            format!("forgery {n} ({raw:.80}): {outcome:?}")
        });
    }
    let elapsed = started.elapsed();
    tally.record(elapsed < Duration::from_secs(30), || {
        format!("1000 refusals took {elapsed:?}")
    });
    let outcome = accounts.complete_sign_in(&real, Channel::Window).await;
    tally.record(
        matches!(&outcome, Ok(signed) if signed.account.id == BOB),
        || format!("the real sign-in must complete after the flood: {outcome:?}"),
    );
    tally.finish();
}

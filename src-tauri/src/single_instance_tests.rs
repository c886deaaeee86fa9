//! The single-instance handover on the real session bus (`scripts/with-keyring.sh` gives the
//! test run a private one). Each test claims a name of its own.

use super::*;
use std::sync::mpsc;
use std::time::Instant;

/// A connection to the session bus, or `None` (test skipped) when there is none and the run
/// does not require one (`TELLTALE_REQUIRE_KEYRING=1`, set by `scripts/with-keyring.sh`).
fn session() -> Option<Connection> {
    match Connection::new_session() {
        Ok(connection) => Some(connection),
        Err(err) if !telltale_test_support::keyring::required() => {
            eprintln!("SKIPPED: no session bus ({})", describe(&err));
            None
        }
        Err(err) => panic!("TELLTALE_REQUIRE_KEYRING=1 but no session bus: {err:?}"),
    }
}

/// An identifier no other test (or test run) uses.
fn identifier(test: &str) -> String {
    format!("io.telltale.test.p{}.{test}", std::process::id())
}

fn launch(arg: &str) -> Handover {
    Handover {
        args: vec!["/usr/bin/telltale".into(), arg.into()],
        cwd: "/home/skipper".into(),
    }
}

fn first(claim: Claim) -> Primary {
    match claim {
        Claim::First(primary) => primary,
        Claim::HandedOver => panic!("expected to be first, but handed over"),
        Claim::NoAnswer(why) => panic!("expected to be first, but: no answer ({why})"),
        Claim::Alone(why) => panic!("expected to be first, but: alone ({why})"),
    }
}

fn outcome(claim: &Claim) -> String {
    match claim {
        Claim::First(_) => "first".into(),
        Claim::HandedOver => "handed over".into(),
        Claim::NoAnswer(why) => format!("no answer: {why}"),
        Claim::Alone(why) => format!("alone: {why}"),
    }
}

#[test]
fn a_second_launch_hands_its_arguments_to_the_first() {
    let Some(bus) = session() else { return };
    let id = identifier("handover");
    let (tell, heard) = mpsc::channel();
    first(claim_on(Ok(bus), &id, &launch("first"), HANDOVER_LIMIT)).serve(move |handover| {
        let _ = tell.send(handover);
    });

    let link = launch("io.telltale.app:/oauth/callback?code=c&state=s");
    let second = claim_on(Connection::new_session(), &id, &link, HANDOVER_LIMIT);
    assert_eq!(outcome(&second), "handed over");
    let received = heard
        .recv_timeout(Duration::from_secs(5))
        .expect("the first instance heard the launch");
    assert_eq!(received, link);

    // And the next one too: the first instance keeps serving.
    let third = claim_on(
        Connection::new_session(),
        &id,
        &launch("again"),
        HANDOVER_LIMIT,
    );
    assert_eq!(outcome(&third), "handed over");
    let received = heard.recv_timeout(Duration::from_secs(5)).expect("heard");
    assert_eq!(received.args[1], "again");
}

#[test]
fn the_name_is_free_again_once_the_first_instance_has_gone() {
    let Some(bus) = session() else { return };
    let id = identifier("released");
    let primary = first(claim_on(Ok(bus), &id, &launch("a"), HANDOVER_LIMIT));
    drop(primary);
    let next = claim_on(Connection::new_session(), &id, &launch("b"), HANDOVER_LIMIT);
    assert_eq!(outcome(&next), "first");
}

#[test]
fn an_owner_that_does_not_answer_is_reported_within_the_limit() {
    let Some(bus) = session() else { return };
    let id = identifier("silent");
    // Owns the name but never serves it (a hung first instance).
    let _silent = first(claim_on(Ok(bus), &id, &launch("a"), HANDOVER_LIMIT));
    let started = Instant::now();
    let second = claim_on(
        Connection::new_session(),
        &id,
        &launch("b"),
        Duration::from_millis(300),
    );
    let waited = started.elapsed();
    let said = outcome(&second);
    assert!(said.starts_with("no answer: "), "{said}");
    assert!(waited < Duration::from_secs(5), "waited {waited:?}");
}

#[test]
fn other_calls_on_the_name_get_an_error_and_are_not_launches() {
    let Some(bus) = session() else { return };
    let id = identifier("stray");
    let (name, path) = names(&id);
    let (tell, heard) = mpsc::channel();
    first(claim_on(Ok(bus), &id, &launch("a"), HANDOVER_LIMIT)).serve(move |handover| {
        let _ = tell.send(handover);
    });

    let caller = Connection::new_session().expect("session bus");
    let proxy = caller.with_proxy(name.as_str(), path.as_str(), Duration::from_secs(5));
    let wrong_member: Result<(), dbus::Error> = proxy.method_call(INTERFACE, "Quit", ());
    let wrong_args: Result<(), dbus::Error> =
        proxy.method_call(INTERFACE, METHOD, ("not a list", 7u32));
    let wrong_path: Result<(), dbus::Error> = caller
        .with_proxy(name.as_str(), "/elsewhere", Duration::from_secs(5))
        .method_call(INTERFACE, METHOD, (vec!["x".to_string()], "/".to_string()));
    for (what, result, error) in [
        (
            "member",
            wrong_member,
            "org.freedesktop.DBus.Error.UnknownMethod",
        ),
        (
            "arguments",
            wrong_args,
            "org.freedesktop.DBus.Error.InvalidArgs",
        ),
        (
            "path",
            wrong_path,
            "org.freedesktop.DBus.Error.UnknownMethod",
        ),
    ] {
        let err = result.expect_err(what);
        assert_eq!(err.name(), Some(error), "wrong {what}: {err:?}");
    }
    assert!(
        heard.try_recv().is_err(),
        "a stray call counted as a launch"
    );

    // The instance still serves real launches.
    let real = claim_on(Connection::new_session(), &id, &launch("b"), HANDOVER_LIMIT);
    assert_eq!(outcome(&real), "handed over");
    assert_eq!(
        heard
            .recv_timeout(Duration::from_secs(5))
            .expect("heard")
            .args[1],
        "b"
    );
}

#[test]
fn without_a_session_bus_the_app_runs_alone() {
    let nowhere = Connection::new_address("unix:path=/nonexistent/telltale-test-bus");
    let said = outcome(&claim_on(
        nowhere,
        "io.telltale.app",
        &launch("a"),
        HANDOVER_LIMIT,
    ));
    assert!(said.starts_with("alone: "), "{said}");
}

#[test]
fn an_identifier_that_makes_no_bus_name_runs_alone_without_panicking() {
    let Some(bus) = session() else { return };
    let said = outcome(&claim_on(
        Ok(bus),
        "io..telltale",
        &launch("a"),
        HANDOVER_LIMIT,
    ));
    assert_eq!(said, "alone: `io..telltale` does not make a D-Bus name");
}

#[test]
fn names_follow_the_tauri_plugin() {
    assert_eq!(
        names("io.telltale.my-app"),
        (
            "io.telltale.my-app.SingleInstance".to_string(),
            "/io/telltale/my_app/SingleInstance".to_string()
        )
    );
}

//! Sign-in in the system browser on the mock runtime: `start_sign_in` with `via`, the page
//! handed to the launcher (a recorder here; the desktop's browser in the app, see `tests/e2e`),
//! the answer as a deep link or at the loopback listener, cancelling, and a launcher that
//! fails.

use super::{harness, hear_main_events, invoke, window, Harness};
use crate::{callback, Launcher, LOGIN_LABEL, MAIN_LABEL};
use std::sync::mpsc;
use std::time::Duration;
use tauri::test::MockRuntime;
use tauri::{Manager, WebviewUrl, WebviewWindow};
use telltale_core::multi::Channel;
use telltale_test_support::demo::{self, Decision};
use url::Url;

const PATIENCE: Duration = Duration::from_secs(20);

/// The app with a launcher that records the pages it is asked to open, and the events of
/// the main window (`ignored:` before a `callback-ignored` payload).
struct SystemBrowserWorld {
    h: Harness,
    main: WebviewWindow<MockRuntime>,
    opened: mpsc::Receiver<Url>,
    events: mpsc::Receiver<String>,
}

fn world(test: &str) -> SystemBrowserWorld {
    let h = harness(test);
    let (opened_tx, opened) = mpsc::channel();
    let opened_tx = std::sync::Mutex::new(opened_tx);
    h.app.manage(Launcher::<MockRuntime>::new(move |_, url| {
        let sender = opened_tx
            .lock()
            .map_err(|_| "recorder broken".to_string())?;
        sender.send(url.clone()).map_err(|err| err.to_string())
    }));
    let events = hear_main_events(&h.app);
    let main = window(&h.app, MAIN_LABEL, WebviewUrl::App("index.html".into()));
    SystemBrowserWorld {
        h,
        main,
        opened,
        events,
    }
}

impl SystemBrowserWorld {
    fn call(&self, cmd: &str, body: serde_json::Value) -> Result<serde_json::Value, String> {
        invoke(&self.main, "tauri://localhost", cmd, body).map_err(|err| err.to_string())
    }

    fn signing_in(&self) -> bool {
        let status = self
            .call("app_status", serde_json::json!({}))
            .expect("status");
        status["signingIn"] == serde_json::Value::Bool(true)
    }

    /// Starts a sign-in `via` and returns the page the browser was asked to open.
    fn start(&self, via: &str) -> Url {
        self.call("start_sign_in", serde_json::json!({ "via": via }))
            .expect("sign-in starts");
        let page = self.opened.recv_timeout(PATIENCE).expect("a page opened");
        assert!(
            self.h.app.get_webview_window(LOGIN_LABEL).is_none(),
            "no sign-in window for a browser sign-in"
        );
        assert!(self.signing_in());
        page
    }

    fn person_authorizes(&self, authorize: &Url) -> String {
        tauri::async_runtime::block_on(demo::bob().signs_in(
            &self.h.sim_base,
            authorize.as_str(),
            Decision::Authorize,
        ))
    }

    fn next_event(&self) -> serde_json::Value {
        let text = self.events.recv_timeout(PATIENCE).expect("an event");
        let json = text.strip_prefix("ignored:").unwrap_or(&text);
        let mut value: serde_json::Value = serde_json::from_str(json).expect("JSON");
        if text.starts_with("ignored:") {
            value["ignored"] = serde_json::Value::Bool(true);
        }
        value
    }
}

fn redirect_uri_of(authorize: &Url) -> String {
    authorize
        .query_pairs()
        .find(|(name, _)| name == "redirect_uri")
        .map(|(_, value)| value.into_owned())
        .unwrap_or_default()
}

#[test]
fn a_browser_sign_in_comes_back_as_a_link_and_a_forged_one_is_ignored() {
    let w = world("browser_link");
    let authorize = w.start("browser");
    assert!(authorize.as_str().starts_with(&w.h.sim_base), "{authorize}");
    assert_eq!(
        redirect_uri_of(&authorize),
        "io.telltale.app:/oauth/callback/igtimi"
    );

    callback::deliver(
        w.h.app.handle(),
        "io.telltale.app:/oauth/callback?code=forged&state=forged".into(),
        Channel::DeepLink,
    );
    let ignored = w.next_event();
    assert_eq!(ignored["ignored"], true, "{ignored}");
    assert_eq!(ignored["kind"], "invalid_callback");
    assert!(w.signing_in(), "the attempt goes on");

    let link = w.person_authorizes(&authorize);
    callback::deliver(w.h.app.handle(), link, Channel::DeepLink);
    let done = w.next_event();
    assert_eq!(done["account"]["id"], 1373, "{done}");
    assert!(!w.signing_in());
    // Cancelling afterwards finds nothing to cancel and reports nothing.
    w.call("cancel_sign_in", serde_json::json!({}))
        .expect("cancel");
    assert!(w.events.recv_timeout(Duration::from_millis(300)).is_err());
}

#[test]
fn a_loopback_sign_in_comes_back_over_http() {
    let w = world("browser_loopback");
    let authorize = w.start("loopback");
    let redirect = redirect_uri_of(&authorize);
    assert!(redirect.starts_with("http://127.0.0.1:"), "{redirect}");
    assert!(redirect.ends_with("/oauth/callback/igtimi"), "{redirect}");

    let back = w.person_authorizes(&authorize);
    assert!(back.starts_with(&redirect), "{back}");
    let status = tauri::async_runtime::block_on(async {
        reqwest::get(&back).await.map(|r| r.status().as_u16())
    });
    assert_eq!(status.ok(), Some(200));
    let done = w.next_event();
    assert_eq!(done["account"]["email"], "bob@telltale.demo", "{done}");
    assert!(!w.signing_in());
}

#[test]
fn cancelling_a_browser_sign_in_ends_it_and_closes_the_listener() {
    let w = world("browser_cancel");
    let authorize = w.start("loopback");
    let redirect = redirect_uri_of(&authorize);
    w.call("cancel_sign_in", serde_json::json!({}))
        .expect("cancel");
    let cancelled = w.next_event();
    assert_eq!(cancelled["error"]["kind"], "cancelled", "{cancelled}");
    assert!(!w.signing_in());
    let closed = tauri::async_runtime::block_on(async {
        let mut closed = false;
        for _ in 0..50 {
            if reqwest::get(&redirect).await.is_err() {
                closed = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        closed
    });
    assert!(closed, "still listening at {redirect}");

    let authorize = w.start("browser");
    w.call("cancel_sign_in", serde_json::json!({}))
        .expect("cancel");
    assert_eq!(w.next_event()["error"]["kind"], "cancelled");
    // The cancelled attempt's answer is refused.
    let link = w.person_authorizes(&authorize);
    callback::deliver(w.h.app.handle(), link, Channel::DeepLink);
    assert_eq!(w.next_event()["ignored"], true);
}

#[test]
fn an_unknown_method_or_a_browser_that_cannot_open_is_an_error() {
    let h = harness("browser_fails");
    h.app.manage(Launcher::<MockRuntime>::new(|_, _| {
        Err("no browser here".into())
    }));
    let main = window(&h.app, MAIN_LABEL, WebviewUrl::App("index.html".into()));
    let origin = "tauri://localhost";
    let failed = invoke(
        &main,
        origin,
        "start_sign_in",
        serde_json::json!({ "via": "browser" }),
    )
    .expect_err("the launcher failed");
    assert_eq!(failed["kind"], "internal", "{failed}");
    assert!(failed["message"]
        .as_str()
        .unwrap_or("")
        .contains("no browser here"));
    let unknown = invoke(
        &main,
        origin,
        "start_sign_in",
        serde_json::json!({ "via": "carrier-pigeon" }),
    )
    .expect_err("an unknown method");
    assert!(unknown["message"]
        .as_str()
        .unwrap_or("")
        .contains("unknown sign-in method"));
    let status = invoke(&main, origin, "app_status", serde_json::json!({})).expect("status");
    assert_eq!(status["signingIn"], false, "nothing is left waiting");
}

//! Several accounts through the commands on the mock runtime: the status lists profiles
//! (methods, legacy flags) and accounts; a password sign-in in our form and a code sign-in
//! add two accounts; switching and signing out of one by key.

use super::{harness, hear_main_events, invoke, window};
use crate::{callback, LOGIN_LABEL, MAIN_LABEL};
use std::time::Duration;
use tauri::{Manager, WebviewUrl};
use telltale_core::multi::Channel;
use telltale_test_support::demo::{self, Decision};

#[test]
fn two_accounts_are_listed_switched_and_one_signed_out_by_key() {
    let h = harness("multi");
    let main = window(&h.app, MAIN_LABEL, WebviewUrl::App("index.html".into()));
    let call = |cmd: &str, body: serde_json::Value| {
        invoke(&main, "tauri://localhost", cmd, body).map_err(|err| err.to_string())
    };

    let status = call("app_status", serde_json::json!({})).expect("status");
    let igtimi = status["profiles"]
        .as_array()
        .expect("profiles")
        .iter()
        .find(|profile| profile["id"] == "igtimi")
        .expect("the Igtimi profile")
        .clone();
    assert_eq!(igtimi["kind"], "igtimi");
    assert_eq!(igtimi["usable"], true, "{igtimi}");
    let methods = igtimi["methods"].as_array().expect("methods");
    assert_eq!(methods[0]["id"], "code");
    assert_eq!(methods[0]["legacy"], false);
    let password = methods
        .iter()
        .find(|method| method["id"] == "password")
        .expect("password");
    assert_eq!(password["legacy"], true);
    assert_eq!(password["usesForm"], true);
    assert!(!password["legacyReason"].as_str().unwrap_or("").is_empty());
    assert_eq!(status["accounts"], serde_json::json!([]));

    // Ana in our own form (legacy password grant).
    let ana = call(
        "sign_in_with_password",
        serde_json::json!({
            "profile": "igtimi", "method": "password",
            "username": demo::ana().email, "password": "wrong",
        }),
    );
    assert!(ana.is_err(), "a wrong password is refused");
    let (email, secret) = (&demo::ana().email, &demo::ana().password);
    let ana = call(
        "sign_in_with_password",
        serde_json::json!({
            "profile": "igtimi", "method": "password",
            "username": email, "password": secret,
        }),
    )
    .expect("Ana signs in");
    assert_eq!(ana["summary"]["method"], "password");
    assert!(!ana.to_string().contains(secret), "no password comes back");

    // Bob in the sign-in window (code + PKCE).
    let rx = hear_main_events(&h.app);
    call(
        "start_sign_in",
        serde_json::json!({ "profile": "igtimi", "method": "code" }),
    )
    .expect("sign-in starts");
    let authorize = h
        .app
        .get_webview_window(LOGIN_LABEL)
        .expect("the sign-in window")
        .url()
        .expect("its URL");
    let redirect = tauri::async_runtime::block_on(demo::bob().signs_in(
        &h.sim_base,
        authorize.as_str(),
        Decision::Authorize,
    ));
    callback::deliver(h.app.handle(), redirect, Channel::Window);
    let done: serde_json::Value =
        serde_json::from_str(&rx.recv_timeout(Duration::from_secs(20)).expect("finished"))
            .expect("JSON");
    assert_eq!(done["summary"]["key"], "igtimi/1373", "{done}");

    let status = call("app_status", serde_json::json!({})).expect("status");
    let accounts = status["accounts"].as_array().expect("accounts");
    assert_eq!(accounts.len(), 2, "{status}");
    assert_eq!(accounts[1]["active"], true);
    assert_eq!(status["account"]["id"], 1373);

    let switched = call(
        "switch_account",
        serde_json::json!({ "key": "igtimi/1374" }),
    )
    .expect("switch");
    assert_eq!(switched["id"], 1374);
    let status = call("app_status", serde_json::json!({})).expect("status");
    assert_eq!(status["accounts"][0]["active"], true);

    let out = call("sign_out", serde_json::json!({ "key": "igtimi/1373" })).expect("sign out");
    assert_eq!(out["revoked"], "revoked");
    let status = call("app_status", serde_json::json!({})).expect("status");
    let keys: Vec<&str> = status["accounts"]
        .as_array()
        .expect("accounts")
        .iter()
        .filter_map(|account| account["key"].as_str())
        .collect();
    assert_eq!(keys, ["igtimi/1374"], "Ana is still signed in");
    let unknown = call(
        "switch_account",
        serde_json::json!({ "key": "igtimi/1373" }),
    );
    assert!(unknown.is_err());
}

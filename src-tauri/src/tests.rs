//! The shell on Tauri's mock runtime, with the real configuration and capabilities
//! (`generate_context!(test = true)`) and a real session against the simulator: which
//! webview may invoke what, and the sign-in wiring from command to event. The real webview
//! is exercised by `tests/e2e`.

use crate::{
    callback, configure, AppEvent, AppState, MainEvents, CALLBACK_IGNORED, LOAD_PROGRESS,
    LOGIN_LABEL, MAIN_LABEL, SIGN_IN_FINISHED,
};
use igtimi_sim::{SimConfig, Simulator};
use std::sync::mpsc;
use std::time::Duration;
use tauri::ipc::{CallbackFn, Channel, InvokeBody, InvokeResponseBody};
use tauri::test::{get_ipc_response, mock_builder, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{App, Manager, WebviewUrl, WebviewWindow, WebviewWindowBuilder};
use telltale_core::multi::{Accounts, AccountsOptions};
use telltale_core::Config;
use telltale_test_support::demo::{self, Decision};
use telltale_test_support::Scratch;

mod accounts;
mod map;
mod progress;
mod system_browser;
mod ts_bindings;

/// Opens the main window's event channel as the page does, and hands on what it carries:
/// a finished sign-in's payload, `ignored:<payload>` for an ignored sign-in link, or
/// `progress:<payload>` for a data load's progress.
fn hear_main_events(app: &App<MockRuntime>) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel::<String>();
    let channel = Channel::<AppEvent>::new(move |body| {
        let InvokeResponseBody::Json(json) = body else {
            panic!("the channel carried bytes, not JSON");
        };
        let message: serde_json::Value = serde_json::from_str(&json).expect("JSON on the channel");
        let payload = message["payload"].to_string();
        let text = match message["event"].as_str() {
            Some(SIGN_IN_FINISHED) => payload,
            Some(CALLBACK_IGNORED) => format!("ignored:{payload}"),
            Some(LOAD_PROGRESS) => format!("progress:{payload}"),
            other => panic!("an unknown event on the channel: {other:?}"),
        };
        let _ = tx.send(text);
        Ok(())
    });
    app.state::<MainEvents>().listen(channel);
    rx
}

struct Harness {
    app: App<MockRuntime>,
    sim_base: String,
    _sim: Simulator,
    _dir: Scratch,
}

fn harness(test: &str) -> Harness {
    let (sim, config) = tauri::async_runtime::block_on(async {
        let sim = Simulator::start(SimConfig::default())
            .await
            .expect("simulator");
        let client = sim.telltale_client().expect("Telltale client");
        let config = Config {
            server: sim.base_url(),
            client_id: Some(client.client_id),
            client_secret: client.client_secret,
            // Every method, so that each can be tried (the default is the code flow only).
            methods: Some(telltale_core::accounts::SignInMethod::ALL.to_vec()),
            ..Config::default()
        };
        (sim, config)
    });
    let dir = Scratch::new(test);
    let options = AccountsOptions {
        keychain_service: format!("io.telltale.test.shell.{test}.{}", std::process::id()),
        config_dir: dir.path().to_path_buf(),
        data_dir: None,
    };
    let accounts = tauri::async_runtime::block_on(Accounts::open_with(&config, &options));
    let app = configure(mock_builder(), AppState::from_accounts(accounts))
        .build(tauri::generate_context!("../tauri.conf.json", test = true))
        .expect("the app builds on the mock runtime");
    Harness {
        app,
        sim_base: sim.base_url(),
        _sim: sim,
        _dir: dir,
    }
}

fn window(app: &App<MockRuntime>, label: &str, url: WebviewUrl) -> WebviewWindow<MockRuntime> {
    match app.get_webview_window(label) {
        Some(window) => window,
        None => WebviewWindowBuilder::new(app, label, url)
            .build()
            .expect("window"),
    }
}

fn invoke(
    window: &WebviewWindow<MockRuntime>,
    origin: &str,
    cmd: &str,
    body: serde_json::Value,
) -> Result<serde_json::Value, serde_json::Value> {
    get_ipc_response(
        window,
        InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: origin.parse().expect("origin"),
            body: InvokeBody::Json(body),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
    .map(|body| {
        body.deserialize::<serde_json::Value>()
            .expect("JSON answer")
    })
}

#[test]
fn the_main_window_may_call_the_app_and_the_login_view_may_call_nothing() {
    let h = harness("acl");
    let main = window(&h.app, MAIN_LABEL, WebviewUrl::App("index.html".into()));
    let status = invoke(
        &main,
        "tauri://localhost",
        "app_status",
        serde_json::json!({}),
    )
    .expect("the main window may ask for the status");
    assert_eq!(status["mode"], "igtimi");
    assert_eq!(status["account"], serde_json::Value::Null);

    let login_url = format!("{}/oauth/authorize", h.sim_base);
    let login = window(
        &h.app,
        LOGIN_LABEL,
        WebviewUrl::External(login_url.parse().expect("url")),
    );
    for cmd in [
        "app_status",
        "restore_account",
        "start_sign_in",
        "sign_in_with_password",
        "switch_account",
        "sign_out",
        "browse_catalog",
        "load_data",
        "data_view",
        "latest_values",
        "analyse_data",
        "set_target_polar",
        "export_data",
        "sign_in_with_token",
        "register_device",
        "open_data_window",
        "close_data_window",
        "live_start",
        "live_next",
        "live_stop",
        "map_tiles",
        "save_preference",
        "plugin:event|listen",
        "plugin:webview|create_webview_window",
    ] {
        let refused = invoke(&login, &h.sim_base, cmd, serde_json::json!({}));
        assert!(
            refused.is_err(),
            "the login view could call {cmd}: {refused:?}"
        );
        let text = refused.unwrap_err().to_string();
        assert!(text.contains("not allowed"), "{cmd}: {text}");
    }

    // Nothing of Tauri's own, not even its events: the backend speaks through the channel.
    let listen = invoke(
        &main,
        "tauri://localhost",
        "plugin:event|listen",
        serde_json::json!({ "event": LOAD_PROGRESS, "target": { "kind": "Any" }, "handler": 0 }),
    );
    assert!(
        listen.is_err_and(|refusal| refusal.to_string().contains("not allowed")),
        "the main window may listen to Tauri's events"
    );

    // The main window's capability is for the app's own pages only.
    let remote = invoke(
        &main,
        "https://evil.example",
        "app_status",
        serde_json::json!({}),
    );
    assert!(
        remote.is_err(),
        "a remote page in the main window could call the app"
    );
}

#[test]
fn a_sign_in_runs_from_command_to_event_and_a_forged_link_is_ignored() {
    let h = harness("flow");
    let main = window(&h.app, MAIN_LABEL, WebviewUrl::App("index.html".into()));
    let rx = hear_main_events(&h.app);

    invoke(
        &main,
        "tauri://localhost",
        "start_sign_in",
        serde_json::json!({}),
    )
    .expect("sign-in starts");
    let login = h
        .app
        .get_webview_window(LOGIN_LABEL)
        .expect("the sign-in window opened");
    let authorize = login.url().expect("its URL");
    assert!(authorize.as_str().starts_with(&h.sim_base), "{authorize}");
    assert!(authorize
        .query()
        .unwrap_or("")
        .contains("code_challenge_method=S256"));

    callback::deliver(
        h.app.handle(),
        "io.telltale.app:/oauth/callback?code=forged&state=forged".into(),
        telltale_core::multi::Channel::Window,
    );
    let ignored = rx.recv_timeout(Duration::from_secs(10)).expect("an answer");
    assert!(ignored.starts_with("ignored:"), "{ignored}");
    assert!(ignored.contains("invalid_callback"), "{ignored}");
    assert!(
        h.app.get_webview_window(LOGIN_LABEL).is_some(),
        "the attempt goes on"
    );

    let callback_url = tauri::async_runtime::block_on(demo::bob().signs_in(
        &h.sim_base,
        authorize.as_str(),
        Decision::Authorize,
    ));
    callback::deliver(
        h.app.handle(),
        callback_url,
        telltale_core::multi::Channel::Window,
    );
    let done: serde_json::Value =
        serde_json::from_str(&rx.recv_timeout(Duration::from_secs(20)).expect("finished"))
            .expect("JSON");
    assert_eq!(done["account"]["id"], 1373, "{done}");
    assert_eq!(done["account"]["name"], "Bob Smith");
    assert!(done.get("error").is_none());
    let serialized = done.to_string();
    assert!(
        !serialized.to_lowercase().contains("token\""),
        "{serialized}"
    );

    let status = invoke(
        &main,
        "tauri://localhost",
        "app_status",
        serde_json::json!({}),
    )
    .expect("status");
    assert_eq!(status["account"]["email"], "bob@telltale.demo");
    let signed_out = invoke(
        &main,
        "tauri://localhost",
        "sign_out",
        serde_json::json!({}),
    )
    .expect("signs out");
    assert_eq!(signed_out["revoked"], "revoked");
}

//! Load progress on the mock runtime: `load_data` reports its chunks on the main window's
//! channel (`load-progress`, the same channel as the sign-in results), for its own load id,
//! up to the chunk count its answer gives.

use super::{harness, hear_main_events, invoke, window};
use crate::MAIN_LABEL;
use tauri::WebviewUrl;
use telltale_test_support::demo::{self, HOUR, MIN, TERN, WEEK};

#[test]
fn a_load_reports_its_progress_on_the_main_window_s_channel() {
    let h = harness("progress");
    let main = window(&h.app, MAIN_LABEL, WebviewUrl::App("index.html".into()));
    let call = |cmd: &str, body: serde_json::Value| {
        invoke(&main, "tauri://localhost", cmd, body).map_err(|err| err.to_string())
    };
    let bob = demo::bob();
    call(
        "sign_in_with_password",
        serde_json::json!({
            "profile": "igtimi", "method": "password",
            "username": bob.email, "password": bob.password,
        }),
    )
    .expect("Bob signs in");
    let rx = hear_main_events(&h.app);

    // Race 1 (day 1, 10:00 UTC), its first 40 minutes.
    let from = WEEK + 10 * HOUR;
    let summary = call(
        "load_data",
        serde_json::json!({ "request": { "from": from, "to": from + 40 * MIN, "serials": [TERN] } }),
    )
    .expect("the load");
    let progress: Vec<serde_json::Value> = rx
        .try_iter()
        .filter_map(|heard| {
            let payload = heard.strip_prefix("progress:")?;
            Some(serde_json::from_str(payload).expect("JSON"))
        })
        .collect();

    assert!(!progress.is_empty(), "no progress came for {summary}");
    assert!(
        progress.iter().all(|p| p["loadId"] == summary["loadId"]),
        "{progress:?}"
    );
    let done: Vec<u64> = progress
        .iter()
        .map(|p| p["chunksDone"].as_u64().expect("chunksDone"))
        .collect();
    assert!(done.windows(2).all(|w| w[0] <= w[1]), "{done:?}");
    let last = progress.last().expect("progress");
    assert_eq!(last["chunksDone"], summary["chunksTotal"], "{progress:?}");
    assert_eq!(last["chunksTotal"], summary["chunksTotal"]);
    assert_eq!(last["chunksFailed"], 0);
}

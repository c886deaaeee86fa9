//! The map on the mock runtime: `map_tiles` tells the page the `tile:` template, the credit
//! and the zoom; the scheme's answers, against the simulator's tile server, give the main
//! window PNGs and everyone else 403, a bad address 404 and an offline miss 503.

use super::{invoke, window};
use crate::tile_scheme::{answer, PAGE_TILE_URL};
use crate::{configure, AppState, LOGIN_LABEL, MAIN_LABEL};
use igtimi_sim::{SimConfig, Simulator};
use std::sync::Arc;
use tauri::http::Method;
use tauri::test::mock_builder;
use tauri::WebviewUrl;
use telltale_core::tiles::{TileSettings, TileSource, Tiles};
use telltale_core::AppError;
use telltale_test_support::Scratch;

fn tiles(sim: &Simulator, dir: &Scratch) -> Tiles {
    let settings = TileSettings {
        source: TileSource {
            url_template: format!("{}/tiles/{{z}}/{{x}}/{{y}}.png", sim.base_url()),
            attribution: "© simulated contributors".into(),
            max_zoom: 18,
        },
        cache_max_bytes: 1 << 20,
    };
    Tiles::open(&settings, dir.path().to_path_buf()).expect("tiles")
}

#[test]
fn map_tiles_names_the_tile_scheme_the_credit_and_the_zoom() {
    let sim =
        tauri::async_runtime::block_on(Simulator::start(SimConfig::default())).expect("simulator");
    let dir = Scratch::new("map-command");
    let state = AppState::from_accounts(Err(AppError::SignedOut)).with_tiles(tiles(&sim, &dir));
    let app = configure(mock_builder(), state)
        .build(tauri::generate_context!("../tauri.conf.json", test = true))
        .expect("the app builds on the mock runtime");
    let main = window(&app, MAIN_LABEL, WebviewUrl::App("index.html".into()));
    let view = invoke(
        &main,
        "tauri://localhost",
        "map_tiles",
        serde_json::json!({}),
    )
    .expect("the main window may ask");
    assert_eq!(
        view,
        serde_json::json!({
            "url": PAGE_TILE_URL,
            "attribution": "© simulated contributors",
            "maxZoom": 18,
        })
    );
    assert!(PAGE_TILE_URL.ends_with("localhost/{z}/{x}/{y}.png"));
    assert!(PAGE_TILE_URL.starts_with("tile://") || PAGE_TILE_URL.starts_with("http://tile."));
}

#[test]
fn without_a_map_the_command_says_why() {
    let app = configure(
        mock_builder(),
        AppState::from_accounts(Err(AppError::SignedOut)),
    )
    .build(tauri::generate_context!("../tauri.conf.json", test = true))
    .expect("the app builds on the mock runtime");
    let main = window(&app, MAIN_LABEL, WebviewUrl::App("index.html".into()));
    let error = invoke(
        &main,
        "tauri://localhost",
        "map_tiles",
        serde_json::json!({}),
    )
    .expect_err("no map");
    assert_eq!(error["kind"], "internal", "{error}");
}

#[test]
fn the_scheme_serves_the_main_window_only_and_says_what_went_wrong() {
    tauri::async_runtime::block_on(async {
        let sim = Simulator::start(SimConfig::default())
            .await
            .expect("simulator");
        let dir = Scratch::new("map-scheme");
        let tiles = Ok(Arc::new(tiles(&sim, &dir)));
        let get = Method::GET;

        let png = answer(MAIN_LABEL, &get, "/12/2200/1343.png", tiles.clone()).await;
        assert_eq!(png.status(), 200);
        assert_eq!(png.headers()["content-type"], "image/png");
        assert!(png.body().starts_with(b"\x89PNG\r\n\x1a\n"));

        let login = answer(LOGIN_LABEL, &get, "/12/2200/1344.png", tiles.clone()).await;
        assert_eq!(login.status(), 403);
        let posted = answer(
            MAIN_LABEL,
            &Method::POST,
            "/12/2200/1344.png",
            tiles.clone(),
        )
        .await;
        assert_eq!(posted.status(), 405);
        for bad in ["/12/2200/1343", "/19/0/0.png", "/../config.toml"] {
            let refused = answer(MAIN_LABEL, &get, bad, tiles.clone()).await;
            assert_eq!(refused.status(), 404, "{bad}");
        }
        assert_eq!(sim.tiles().requests(12, 2200, 1344).total(), 0);
        assert_eq!(sim.tiles().all_requests().total(), 1);

        sim.shutdown().await;
        let cached = answer(MAIN_LABEL, &get, "/12/2200/1343.png", tiles.clone()).await;
        assert_eq!(cached.status(), 200, "a cached tile is shown offline");
        let offline = answer(MAIN_LABEL, &get, "/12/2200/1344.png", tiles).await;
        assert_eq!(offline.status(), 503);
        assert_eq!(
            offline.headers()["content-type"],
            "text/plain; charset=utf-8"
        );
        let text = String::from_utf8_lossy(offline.body()).into_owned();
        assert!(text.contains("offline"), "{text}");

        let none = answer(
            MAIN_LABEL,
            &get,
            "/1/0/0.png",
            Err(AppError::Internal {
                detail: "no map".into(),
            }),
        )
        .await;
        assert_eq!(none.status(), 500);
    });
}

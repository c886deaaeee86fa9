//! The map tiles over HTTP, under OpenStreetMap's rules: an identified client gets a PNG
//! with caching headers and a 304 for the tag it holds; anonymous and library clients get
//! 403; tiles outside the pyramid get 404; every answer is counted per tile.

use crate::common;
use igtimi_sim::tiles::{TileCount, BLOCKED_REASON, DEFAULT_MAX_AGE_SECS};

const AGENT: &str = "Telltale-tests/1 (+https://example.invalid/telltale)";

#[tokio::test]
async fn an_identified_client_gets_a_png_then_304_for_its_tag() {
    let sim = common::start().await;
    let http = common::http();
    let url = format!("{}/tiles/12/2200/1343.png", sim.base_url());
    let first = http
        .get(&url)
        .header("user-agent", AGENT)
        .send()
        .await
        .expect("answers");
    assert_eq!(first.status(), 200);
    let header = |name: &str| {
        first
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(header("content-type"), "image/png");
    assert_eq!(
        header("cache-control"),
        format!("max-age={DEFAULT_MAX_AGE_SECS}")
    );
    let etag = header("etag");
    assert!(etag.starts_with('"') && etag.ends_with('"'), "{etag}");
    let png = first.bytes().await.expect("a body");
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));

    sim.tiles().set_max_age(0);
    let again = http
        .get(&url)
        .header("user-agent", AGENT)
        .header("if-none-match", &etag)
        .send()
        .await
        .expect("answers");
    assert_eq!(again.status(), 304);
    assert_eq!(again.headers()["etag"], etag.as_str());
    assert_eq!(again.headers()["cache-control"], "max-age=0");
    assert!(again.bytes().await.expect("body").is_empty());

    let other = http
        .get(format!("{}/tiles/12/2201/1343.png", sim.base_url()))
        .header("user-agent", AGENT)
        .header("if-none-match", &etag)
        .send()
        .await
        .expect("answers");
    assert_eq!(other.status(), 200, "another tile has another tag");
    assert_ne!(other.headers()["etag"], etag.as_str());
    assert_ne!(other.bytes().await.expect("body"), png);

    assert_eq!(
        sim.tiles().requests(12, 2200, 1343),
        TileCount {
            sent: 1,
            not_modified: 1,
            refused: 0
        }
    );
    assert_eq!(sim.tiles().all_requests().total(), 3);
}

#[tokio::test]
async fn anonymous_and_library_clients_are_refused_with_a_reason() {
    let sim = common::start().await;
    let url = format!("{}/tiles/3/4/2.png", sim.base_url());
    // reqwest sends no User-Agent unless told to: its default is none at all.
    let bare = reqwest::get(&url).await.expect("answers");
    assert_eq!(bare.status(), 403);
    assert_eq!(bare.text().await.expect("body"), BLOCKED_REASON);
    for agent in ["", "reqwest/0.12", "curl/8.5.0", "Wget/1.21"] {
        let refused = common::http()
            .get(&url)
            .header("user-agent", agent)
            .send()
            .await
            .expect("answers");
        assert_eq!(refused.status(), 403, "{agent:?}");
    }
    assert_eq!(sim.tiles().requests(3, 4, 2).refused, 5);
    assert_eq!(sim.tiles().requests(3, 4, 2).sent, 0);
}

#[tokio::test]
async fn tiles_outside_the_pyramid_are_not_found() {
    let sim = common::start().await;
    for path in [
        "20/0/0.png",
        "2/4/0.png",
        "2/0/4.png",
        "2/0/1.jpg",
        "2/0/x.png",
        "-1/0/0.png",
        "2/0/1.png.png",
    ] {
        let answer = common::http()
            .get(format!("{}/tiles/{path}", sim.base_url()))
            .header("user-agent", AGENT)
            .send()
            .await
            .expect("answers");
        assert_eq!(answer.status(), 404, "{path}");
    }
    assert_eq!(sim.tiles().all_requests(), TileCount::default());
}

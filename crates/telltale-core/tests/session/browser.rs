//! Sign-in in the system browser with the loopback redirect: the attempt names the
//! loopback address, the answer arrives there over HTTP, and `complete_sign_in` finishes it.

use crate::World;
use igtimi_sim::browser::{person_signs_in, Decision};
use std::time::Duration;

const PATIENCE: Duration = Duration::from_secs(20);

#[tokio::test]
async fn a_loopback_sign_in_comes_back_over_http_and_signs_in() {
    let world = World::start("loopback").await;
    let session = std::sync::Arc::new(world.session().await);
    let (authorize, attempt, loopback) = session.begin_loopback_sign_in().expect("starts");
    let redirect_uri = loopback.redirect_uri().clone();
    let sent: Vec<(String, String)> = authorize.query_pairs().into_owned().collect();
    assert!(
        sent.contains(&("redirect_uri".into(), redirect_uri.to_string())),
        "{sent:?}"
    );
    assert!(redirect_uri.as_str().starts_with("http://127.0.0.1:"));
    assert!(session.overview().await.signing_in);

    let waiting = session.clone();
    let wait =
        tokio::spawn(async move { waiting.wait_for_browser(loopback, &attempt, PATIENCE).await });
    let back = person_signs_in(
        &world.sim.base_url(),
        authorize.as_str(),
        "bob@telltale.demo",
        "windward-1",
        Decision::Authorize,
    )
    .await;
    assert!(back.starts_with(redirect_uri.as_str()), "{back}");
    let page = reqwest::get(&back)
        .await
        .expect("the app answers the browser");
    assert_eq!(page.status().as_u16(), 200);
    let callback = wait.await.expect("joins").expect("the answer arrived");
    assert_eq!(callback, back);

    let signed_in = session.complete_sign_in(&callback).await.expect("signs in");
    assert_eq!(signed_in.account.id, 1373);
    assert!(!session.overview().await.signing_in);
    // The code was bound to the loopback address and is used up.
    crate::assert_kind(
        session.complete_sign_in(&callback).await,
        "invalid_callback",
    );
    session.sign_out().await.expect("signs out");
}

#[tokio::test]
async fn a_cancelled_or_expired_browser_sign_in_is_abandoned() {
    let world = World::start("loopback_cancel").await;
    let session = world.session().await;
    let (_, attempt, loopback) = session.begin_loopback_sign_in().expect("starts");
    let cancel = loopback.canceller();
    cancel.cancel();
    let result = session.wait_for_browser(loopback, &attempt, PATIENCE).await;
    crate::assert_kind(result, "cancelled");
    assert!(!session.overview().await.signing_in, "the attempt is gone");

    let (_, attempt, loopback) = session.begin_loopback_sign_in().expect("starts again");
    let late = session
        .wait_for_browser(loopback, &attempt, Duration::from_millis(100))
        .await;
    let error = crate::assert_kind(late, "invalid_callback");
    assert!(error.to_string().contains("did not come back"), "{error}");
    assert!(!session.overview().await.signing_in, "the attempt is gone");
}

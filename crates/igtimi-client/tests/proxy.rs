//! A system proxy (`HTTP_PROXY`, `HTTPS_PROXY`, `ALL_PROXY`) never sees a request to a server
//! on this computer (the embedded demo, a simulator): its tokens and codes would pass
//! through a third party for no reason. Servers elsewhere still go through it. A test binary
//! of its own, since it sets the process's proxy variables.

// Shared with the other test binaries; this one uses a part of it.
#[allow(dead_code)]
mod support;

use igtimi_client::{AccessToken, ApiError, IgtimiClient};
use std::time::Duration;
use support::{http, json_ok, serve};
use url::Url;

#[tokio::test]
async fn loopback_servers_are_reached_directly_and_others_through_the_system_proxy() {
    // The "proxy" answers 502 to whatever reaches it and records it.
    let mut proxy = serve(http("502 Bad Gateway", "text/plain", "")).await;
    let proxy_url = proxy.base.as_str().trim_end_matches('/').to_string();
    for name in [
        "HTTP_PROXY",
        "http_proxy",
        "HTTPS_PROXY",
        "https_proxy",
        "ALL_PROXY",
        "all_proxy",
    ] {
        std::env::set_var(name, &proxy_url);
    }
    std::env::remove_var("NO_PROXY");
    std::env::remove_var("no_proxy");
    let token = AccessToken::new("loopback-token-0123456789").expect("token");

    let mut server = serve(json_ok(r#"{"user":{"id":7,"first_name":"Kai"}}"#)).await;
    let client = IgtimiClient::new(server.base.clone()).expect("client");
    let account = client.account(&token).await.expect("reached directly");
    assert_eq!(account.id, 7);
    assert!(
        server.requests.try_recv().is_ok(),
        "the server got the call"
    );
    assert!(
        proxy.requests.try_recv().is_err(),
        "the proxy saw a request to this computer"
    );

    // A server elsewhere (never resolved: the proxy answers for it) goes through the proxy.
    let far = Url::parse("http://wind.invalid/").expect("url");
    let client = IgtimiClient::new(far).expect("client");
    let answer = tokio::time::timeout(Duration::from_secs(20), client.account(&token))
        .await
        .expect("the proxy answers");
    assert!(
        matches!(answer, Err(ApiError::Server { status: 502 })),
        "{answer:?}"
    );
    let head = proxy.requests.recv().await.expect("the proxy got the call");
    assert!(head.contains("wind.invalid"), "{head}");
}

//! Errors of the authorize endpoint: shown on a page while the client or redirect URI is
//! untrusted, redirected to the client (with `state`) afterwards.

use super::person::*;
use crate::common;
use reqwest::header::LOCATION;
use reqwest::StatusCode;

#[tokio::test]
async fn public_client_without_a_challenge_gets_invalid_request_with_state() {
    let sim = common::start().await;
    let person = Person::new(&sim);
    let cli = client(&sim, CLI);
    let params = [
        ("response_type", "code"),
        ("client_id", cli.client_id.as_str()),
        ("redirect_uri", "http://127.0.0.1:4000/oauth/callback"),
        ("state", "st"),
    ];
    let response = person
        .get(&format!(
            "/oauth/authorize?{}",
            form_urlencoded::Serializer::new(String::new())
                .extend_pairs(params)
                .finish()
        ))
        .await;
    assert_eq!(response.status(), StatusCode::FOUND);
    let url = url::Url::parse(&location(&response)).unwrap();
    assert_eq!(
        query_param(&url, "error").as_deref(),
        Some("invalid_request")
    );
    assert_eq!(query_param(&url, "state").as_deref(), Some("st"));
    assert!(query_param(&url, "error_description")
        .unwrap()
        .contains("PKCE"));
}

#[tokio::test]
async fn bad_parameters_are_redirected_once_the_redirect_uri_is_trusted() {
    let sim = common::start().await;
    let person = Person::new(&sim);
    let app = client(&sim, APP);
    let id = app.client_id.as_str();
    let cases: [(&[(&str, &str)], &str); 4] = [
        (
            &[("client_id", id), ("redirect_uri", APP_REDIRECT)],
            "invalid_request",
        ),
        (
            &[
                ("response_type", "id_token"),
                ("client_id", id),
                ("redirect_uri", APP_REDIRECT),
            ],
            "unsupported_response_type",
        ),
        (
            &[
                ("response_type", "code"),
                ("client_id", id),
                ("redirect_uri", APP_REDIRECT),
                ("scope", "admin"),
            ],
            "invalid_scope",
        ),
        (
            &[
                ("response_type", "code"),
                ("client_id", id),
                ("redirect_uri", APP_REDIRECT),
                ("code_challenge", "short"),
            ],
            "invalid_request",
        ),
    ];
    for (params, expected) in cases {
        let mut params = params.to_vec();
        params.push(("state", "keep"));
        let query = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(&params)
            .finish();
        let response = person.get(&format!("/oauth/authorize?{query}")).await;
        assert_eq!(response.status(), StatusCode::FOUND, "{params:?}");
        let url = url::Url::parse(&location(&response)).unwrap();
        assert!(url.as_str().starts_with(APP_REDIRECT));
        assert_eq!(
            query_param(&url, "error").as_deref(),
            Some(expected),
            "{params:?}"
        );
        assert_eq!(query_param(&url, "state").as_deref(), Some("keep"));
    }
}

#[tokio::test]
async fn untrusted_client_or_redirect_uri_gets_an_error_page_never_a_redirect() {
    let sim = common::start().await;
    let person = Person::new(&sim);
    let app = client(&sim, APP);
    let id = app.client_id.as_str();
    let cases: [&[(&str, &str)]; 5] = [
        &[
            ("response_type", "code"),
            ("client_id", "nope"),
            ("redirect_uri", APP_REDIRECT),
        ],
        &[("response_type", "code"), ("redirect_uri", APP_REDIRECT)],
        &[
            ("response_type", "code"),
            ("client_id", id),
            ("redirect_uri", "https://evil.example/cb"),
        ],
        // Several URIs are registered, so omitting it is not allowed.
        &[("response_type", "code"), ("client_id", id)],
        // Only 127.0.0.1 loopback URIs may vary their port.
        &[
            ("response_type", "code"),
            ("client_id", id),
            ("redirect_uri", "http://127.0.0.1:80/oauth/other"),
        ],
    ];
    for params in cases {
        let query = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(params)
            .finish();
        let response = person.get(&format!("/oauth/authorize?{query}")).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{params:?}");
        assert!(response.headers().get(LOCATION).is_none(), "{params:?}");
        let html = response.text().await.unwrap();
        assert!(html.contains("id=\"error_description\""), "{html}");
    }
}

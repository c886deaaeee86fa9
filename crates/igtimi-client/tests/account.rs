//! `GET /api/v1/account` over real HTTP on loopback: good answers, lenient parsing, and every
//! kind of failure the app must tell apart.

mod support;

use igtimi_client::{AccessToken, Account, ApiError, IgtimiClient, JSON_BODY_LIMIT};
use std::time::{Duration, Instant};
use support::{closed_port_url, http, json_ok, serve, Answer};

const TOKEN: &str = "6f1c2a9e0b7d4c3f8a5e2d1b0c9f8e7d6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d";

fn token() -> AccessToken {
    AccessToken::new(TOKEN).expect("valid token")
}

async fn account_from(answer: Answer) -> Result<Account, ApiError> {
    let server = serve(answer).await;
    let client = IgtimiClient::new(server.base.clone()).expect("client");
    client.account(&token()).await
}

fn assert_invalid(result: Result<Account, ApiError>, expected_words: &str) {
    match result {
        Err(ApiError::InvalidResponse { detail }) => {
            assert!(detail.contains(expected_words), "detail was: {detail}");
        }
        other => panic!("expected InvalidResponse, got {other:?}"),
    }
}

#[tokio::test]
async fn reads_the_account_and_sends_bearer_token_and_user_agent() {
    let mut server = serve(json_ok(
        r#"{"user":{"id":2,"first_name":"Ada","surname":"Sailor","email":"ada@example.org","blob":false,"extra":[1]}}"#,
    ))
    .await;
    let client = IgtimiClient::new(server.base.clone()).expect("client");
    let account = client.account(&token()).await.expect("account");
    assert_eq!(account.id, 2);
    assert_eq!(account.first_name.as_deref(), Some("Ada"));
    assert_eq!(account.surname.as_deref(), Some("Sailor"));
    assert_eq!(account.email.as_deref(), Some("ada@example.org"));
    assert_eq!(account.blob, Some(false));

    let head = server.requests.recv().await.expect("one request");
    assert!(
        head.starts_with("GET /api/v1/account HTTP/1.1\r\n"),
        "{head}"
    );
    let lower = head.to_ascii_lowercase();
    assert!(
        lower.contains(&format!("authorization: bearer {TOKEN}\r\n")),
        "{head}"
    );
    assert!(lower.contains("user-agent: telltale/"), "{head}");
    assert!(lower.contains("accept: application/json"), "{head}");
}

#[tokio::test]
async fn float_ids_and_missing_optional_fields_are_accepted() {
    let account = account_from(json_ok(r#"{"user":{"id":2.0,"email":null}}"#))
        .await
        .expect("lenient parse");
    assert_eq!(account.id, 2);
    assert_eq!(account.first_name, None);
    assert_eq!(account.email, None);
    assert_eq!(account.display_name(), "user 2");
}

#[tokio::test]
async fn a_fractional_id_is_refused() {
    assert_invalid(
        account_from(json_ok(r#"{"user":{"id":2.5}}"#)).await,
        "lacks expected data",
    );
}

#[tokio::test]
async fn a_missing_id_or_user_is_an_invalid_response() {
    assert_invalid(
        account_from(json_ok(r#"{"user":{"first_name":"Ada"}}"#)).await,
        "lacks expected data",
    );
    assert_invalid(
        account_from(json_ok(r#"{"account":{}}"#)).await,
        "lacks expected data",
    );
}

#[tokio::test]
async fn an_html_page_is_an_invalid_response() {
    assert_invalid(
        account_from(http(
            "200 OK",
            "text/html",
            "<!DOCTYPE html><title>Sign in</title>",
        ))
        .await,
        "HTML",
    );
}

#[tokio::test]
async fn truncated_json_is_an_invalid_response() {
    assert_invalid(
        account_from(json_ok(r#"{"user":{"id":2,"first_na"#)).await,
        "cut off",
    );
}

#[tokio::test]
async fn a_body_shorter_than_its_content_length_is_an_invalid_response() {
    let raw = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{\"user\":{\"id\":2";
    assert_invalid(
        account_from(Answer::Raw(raw.as_bytes().to_vec())).await,
        "cut off",
    );
}

#[tokio::test]
async fn an_error_object_is_reported_in_words() {
    assert_invalid(
        account_from(json_ok(r#"{"error":"not_found","reason":"no such user"}"#)).await,
        "not_found (no such user)",
    );
}

#[tokio::test]
async fn status_401_means_unauthorized() {
    let result = account_from(http(
        "401 Unauthorized",
        "application/json",
        r#"{"error":"invalid_token"}"#,
    ))
    .await;
    assert_eq!(result, Err(ApiError::Unauthorized));
}

#[tokio::test]
async fn server_errors_and_redirects_carry_their_status() {
    let result = account_from(http(
        "503 Service Unavailable",
        "text/html",
        "<h1>down</h1>",
    ))
    .await;
    assert_eq!(result, Err(ApiError::Server { status: 503 }));
    let redirect = "HTTP/1.1 302 Found\r\nLocation: /users/sign_in\r\nContent-Length: 0\r\n\r\n";
    let result = account_from(Answer::Raw(redirect.as_bytes().to_vec())).await;
    assert_eq!(result, Err(ApiError::Server { status: 302 }));
}

#[tokio::test]
async fn a_declared_100_mb_body_fails_before_reading() {
    let started = Instant::now();
    let head =
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000000\r\n\r\n";
    let result = account_from(Answer::Stream {
        head: head.into(),
        total: 100_000_000,
    })
    .await;
    assert_eq!(
        result,
        Err(ApiError::TooLarge {
            limit_bytes: JSON_BODY_LIMIT
        })
    );
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn an_undeclared_100_mb_body_stops_at_the_cap() {
    let started = Instant::now();
    // No Content-Length: the body runs until the server closes, so only the cap stops it.
    let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n";
    let result = account_from(Answer::Stream {
        head: head.into(),
        total: 100_000_000,
    })
    .await;
    assert_eq!(
        result,
        Err(ApiError::TooLarge {
            limit_bytes: JSON_BODY_LIMIT
        })
    );
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "took {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_closed_port_is_unreachable_with_advice() {
    let base = closed_port_url().await;
    let client = IgtimiClient::new(base.clone()).expect("client");
    let err = client.account(&token()).await.expect_err("nothing listens");
    let port = base.port().expect("explicit port");
    assert_eq!(
        err,
        ApiError::Unreachable {
            server: format!("127.0.0.1:{port}")
        }
    );
    assert!(err.to_string().contains("try again"));
}

#[tokio::test]
async fn a_silent_server_times_out() {
    let server = serve(Answer::Silent).await;
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_millis(300))
        .build()
        .expect("http client");
    let client = IgtimiClient::with_http(server.base.clone(), http).expect("client");
    assert_eq!(client.account(&token()).await, Err(ApiError::Timeout));
}

#[tokio::test]
async fn no_error_message_or_debug_output_contains_the_token() {
    let answers = [
        http("401 Unauthorized", "text/plain", TOKEN),
        http("500 Internal Server Error", "text/plain", TOKEN),
        json_ok(&format!(r#"{{"error":"bad token {TOKEN}"}}"#)),
        json_ok(&format!(r#"{{"user":{{"id":"{TOKEN}"}}}}"#)),
    ];
    for answer in answers {
        let err = account_from(answer).await.expect_err("every answer fails");
        // Even when the server echoes the token back, the error must not repeat it.
        let shown = format!("{err} {err:?}");
        if shown.contains(TOKEN) {
            panic!("token leaked into: {shown}");
        }
    }
}

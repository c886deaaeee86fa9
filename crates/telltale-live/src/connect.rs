//! Opening a live connection: ask the server for its WebSocket servers, refuse those that
//! would carry the token in clear, and open the first that answers, with the frame limits
//! set and the token where the dialect wants it.

use crate::dialect::Dialect;
use crate::frame::MAX_FRAME_BYTES;
use igtimi_client::{is_loopback, AccessToken, LazyHttp};
use std::time::Duration;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::{header, HeaderValue};
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::Error as WsError;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};
use url::Url;

/// An open live connection.
pub type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// Largest server list read.
const LIST_LIMIT: usize = 64 * 1024;
/// Most servers tried from one list.
const MAX_SERVERS: usize = 8;

/// Why no connection was opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// It may work later: reconnect after the backoff.
    Retry(String),
    /// The server refused the token.
    SignInAgain(String),
    /// It cannot work with this server as it is configured: stop.
    GiveUp(String),
}

/// What a connection attempt needs.
pub struct Opener<'a> {
    pub http: &'a LazyHttp,
    pub dialect: Dialect,
    pub base: &'a Url,
    pub token: &'a AccessToken,
    pub timeout: Duration,
}

impl Opener<'_> {
    /// The server list, then the first usable server that accepts the upgrade. `notes`
    /// receives a sentence per refused server.
    pub async fn open(&self, notes: &mut Vec<String>) -> Result<(Socket, Url), Failure> {
        let listed = self.servers().await?;
        let (usable, refused) = choose(self.base, self.dialect, &listed);
        let any_refused = !refused.is_empty();
        notes.extend(refused);
        if usable.is_empty() {
            let why = if listed.is_empty() {
                "the server lists no live-data server"
            } else {
                "none of the live-data servers the server lists can be used"
            };
            return Err(if any_refused {
                Failure::GiveUp(why.into())
            } else {
                Failure::Retry(why.into())
            });
        }
        let mut last = Failure::Retry("no live-data server answered".into());
        for url in usable {
            match self.upgrade(&url).await {
                Ok(socket) => return Ok((socket, url)),
                Err(failure @ (Failure::SignInAgain(_) | Failure::GiveUp(_))) => {
                    return Err(failure)
                }
                Err(failure) => last = failure,
            }
        }
        Err(last)
    }

    /// `GET` the server list: `{"web_socket_servers": ["wss://..", ..]}`.
    async fn servers(&self) -> Result<Vec<String>, Failure> {
        if self.dialect.bearer() && self.base.scheme() != "https" && !is_loopback(self.base) {
            return Err(Failure::GiveUp(format!(
                "{} is not a secure (https) address; the token travels only over https",
                self.base.origin().ascii_serialization()
            )));
        }
        let url = self
            .dialect
            .lister_url(self.base)
            .map_err(Failure::GiveUp)?;
        let client = self.http.get_for(&url).map_err(Failure::Retry)?;
        let mut request = client.get(url).timeout(self.timeout);
        if self.dialect.bearer() {
            request = request.bearer_auth(self.token.expose_secret());
        }
        let mut response = request.send().await.map_err(|e| {
            Failure::Retry(format!(
                "the live-data server list could not be fetched: {}",
                without_url(&e)
            ))
        })?;
        match response.status().as_u16() {
            200..=299 => {}
            401 | 403 => {
                return Err(Failure::SignInAgain(format!(
                    "the server refused the sign-in when asked for live data (HTTP {})",
                    response.status().as_u16()
                )))
            }
            404 | 405 | 410 => {
                return Err(Failure::GiveUp(
                    "this server offers no live data (it has no WebSocket server list)".into(),
                ))
            }
            status => {
                return Err(Failure::Retry(format!(
                    "the server answered the live-data server list with HTTP {status}"
                )))
            }
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| {
            Failure::Retry(format!(
                "the live-data server list was cut off: {}",
                without_url(&e)
            ))
        })? {
            if body.len() + chunk.len() > LIST_LIMIT {
                return Err(Failure::Retry(
                    "the live-data server list is too large".into(),
                ));
            }
            body.extend_from_slice(&chunk);
        }
        read_list(&body)
    }

    /// Opens the WebSocket at `url`.
    async fn upgrade(&self, url: &Url) -> Result<Socket, Failure> {
        let place = url.origin().ascii_serialization();
        let mut request = url
            .as_str()
            .into_client_request()
            .map_err(|e| Failure::Retry(format!("{place} cannot be opened: {e}")))?;
        let headers = request.headers_mut();
        if let Ok(agent) = HeaderValue::from_str(&igtimi_client::user_agent()) {
            headers.insert(header::USER_AGENT, agent);
        }
        if self.dialect.bearer() {
            let mut bearer =
                HeaderValue::from_str(&format!("Bearer {}", self.token.expose_secret()))
                    .map_err(|_| Failure::SignInAgain("the token cannot be sent".into()))?;
            bearer.set_sensitive(true);
            headers.insert(header::AUTHORIZATION, bearer);
        }
        let config = WebSocketConfig::default()
            .max_message_size(Some(MAX_FRAME_BYTES))
            .max_frame_size(Some(MAX_FRAME_BYTES));
        let connecting =
            tokio_tungstenite::connect_async_tls_with_config(request, Some(config), true, None);
        match tokio::time::timeout(self.timeout, connecting).await {
            Err(_) => Err(Failure::Retry(format!(
                "{place} did not open the live connection within {}",
                crate::socket::words(self.timeout)
            ))),
            Ok(Ok((socket, _))) => Ok(socket),
            Ok(Err(WsError::Http(response))) => match response.status().as_u16() {
                401 | 403 => Err(Failure::SignInAgain(format!(
                    "the server refused the sign-in when opening the live connection (HTTP {})",
                    response.status().as_u16()
                ))),
                status => Err(Failure::Retry(format!(
                    "{place} refused the live connection (HTTP {status})"
                ))),
            },
            Ok(Err(e)) => Err(Failure::Retry(format!(
                "{place} could not be reached for live data: {e}"
            ))),
        }
    }
}

/// reqwest's error without the URL it names (which may carry a path the user never saw).
fn without_url(error: &reqwest::Error) -> String {
    let mut text = error.to_string();
    if let Some(url) = error.url() {
        text = text.replace(url.as_str(), "the server");
    }
    if error.is_timeout() {
        return "it took too long".into();
    }
    if error.is_connect() {
        return "the server could not be reached".into();
    }
    text
}

/// Reads `{"web_socket_servers": [..]}`; entries that are not strings are skipped.
fn read_list(body: &[u8]) -> Result<Vec<String>, Failure> {
    #[derive(serde::Deserialize)]
    struct List {
        web_socket_servers: Vec<serde_json::Value>,
    }
    let list: List = serde_json::from_slice(body)
        .map_err(|_| Failure::Retry("the live-data server list is not the expected JSON".into()))?;
    Ok(list
        .web_socket_servers
        .into_iter()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .take(MAX_SERVERS)
        .collect())
}

/// The listed servers that may be used, in order, and a sentence for each refused one.
/// A server must be `ws://` or `wss://` without credentials; `ws://` (no encryption) is
/// refused for a host that is not this computer unless the API itself is plain http to a
/// host elsewhere (the old API only: Riot's token never goes over plain http).
pub fn choose(base: &Url, dialect: Dialect, listed: &[String]) -> (Vec<Url>, Vec<String>) {
    let clear_api = base.scheme() == "http" && !is_loopback(base) && !dialect.bearer();
    let mut usable = Vec::new();
    let mut refused = Vec::new();
    for text in listed {
        let shown: String = text.chars().take(80).collect();
        let url = match Url::parse(text) {
            Ok(url) if url.host_str().is_some_and(|h| !h.is_empty()) => url,
            _ => {
                refused.push(format!(
                    "The live-data server {shown:?} is not an address; skipped"
                ));
                continue;
            }
        };
        let origin = url.origin().ascii_serialization();
        if !url.username().is_empty() || url.password().is_some() {
            refused.push(format!(
                "The live-data server {origin} names a user; skipped"
            ));
        } else if !matches!(url.scheme(), "ws" | "wss") {
            refused.push(format!(
                "The live-data server {shown:?} is not a WebSocket address; skipped"
            ));
        } else if url.scheme() == "ws" && !is_loopback(&url) && !clear_api {
            refused.push(format!(
                "The live-data server {origin} was skipped: it is not encrypted (ws://), and \
                 the sign-in must not travel in clear"
            ));
        } else {
            usable.push(url);
        }
    }
    (usable, refused)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn clear_servers_elsewhere_are_refused_for_an_https_api() {
        let base = Url::parse("https://wind.example/").unwrap();
        let (usable, refused) = choose(
            &base,
            Dialect::Riot,
            &list(&[
                "ws://wind.example/igtimi/websocket",
                "wss://wind.example/igtimi/websocket",
                "ws://127.0.0.1:9/igtimi/websocket",
                "https://wind.example/x",
                "wss://user:pw@wind.example/",
                "not a url",
            ]),
        );
        let usable: Vec<&str> = usable.iter().map(Url::as_str).collect();
        assert_eq!(
            usable,
            vec![
                "wss://wind.example/igtimi/websocket",
                "ws://127.0.0.1:9/igtimi/websocket"
            ]
        );
        assert_eq!(refused.len(), 4);
        assert!(refused[0].contains("not encrypted") && refused[0].contains("ws://wind.example"));
        assert!(!refused.iter().any(|r| r.contains("pw")), "{refused:?}");
    }

    #[test]
    fn a_plain_http_old_api_elsewhere_may_use_ws() {
        let base = Url::parse("http://igtimi.example/").unwrap();
        let servers = list(&["ws://igtimi.example/websocket"]);
        assert_eq!(choose(&base, Dialect::Igtimi, &servers).0.len(), 1);
        assert_eq!(choose(&base, Dialect::Riot, &servers).0.len(), 0);
        let https = Url::parse("https://igtimi.example/").unwrap();
        assert_eq!(choose(&https, Dialect::Igtimi, &servers).0.len(), 0);
    }

    #[test]
    fn the_list_is_read_leniently_and_bounded() {
        let body = br#"{"web_socket_servers":["wss://a/ws", 3, null, "ws://b/ws"]}"#;
        assert_eq!(read_list(body).unwrap(), list(&["wss://a/ws", "ws://b/ws"]));
        assert!(matches!(read_list(b"<html>"), Err(Failure::Retry(_))));
        let many = format!(
            r#"{{"web_socket_servers":[{}]}}"#,
            vec!["\"wss://a/\""; 50].join(",")
        );
        assert_eq!(read_list(many.as_bytes()).unwrap().len(), MAX_SERVERS);
    }
}

//! What differs between the two WebSocket dialects: where the server list is, how the
//! token and the devices are sent, and how a frame reads.

use crate::config::Endpoint;
use crate::frame::{read_json_frame, read_riot_frame, FrameError, JsonFrame, RiotFrame};
use igtimi_client::AccessToken;
use telltale_data::Dataset;
use tokio_tungstenite::tungstenite::Message;
use url::Url;

/// The dialect of a feed's server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// The old JSON API.
    Igtimi,
    /// Riot.
    Riot,
}

/// One frame, read.
#[derive(Debug, PartialEq)]
pub enum Incoming {
    /// The server's time in ms (its answer to the subscription).
    Time(i64),
    /// A heartbeat.
    Heartbeat,
    /// Samples by device.
    Samples(Dataset),
    /// The server says it is closing (Riot's `channel_management.disconnect`).
    Disconnect { code: u32, reason: String },
    /// Nothing to act on (pings, acknowledgements).
    Nothing,
    /// An unreadable frame.
    Bad(FrameError),
}

impl Dialect {
    pub fn of(endpoint: &Endpoint) -> Self {
        match endpoint {
            Endpoint::Igtimi(_) => Dialect::Igtimi,
            Endpoint::Riot(_) => Dialect::Riot,
        }
    }

    /// `GET` this for the list of WebSocket servers.
    pub fn lister_url(self, base: &Url) -> Result<Url, String> {
        let path = match self {
            Dialect::Igtimi => "server_listers/web_sockets",
            Dialect::Riot => "igtimi/api/v1/server_listers/web_sockets",
        };
        base.join(path)
            .map_err(|e| format!("the server list's address cannot be formed: {e}"))
    }

    /// Whether the token goes as `Authorization: Bearer` on the list request and the
    /// upgrade (Riot), rather than in the first message (old API).
    pub fn bearer(self) -> bool {
        self == Dialect::Riot
    }

    /// The first message: the devices, and on the old API the token. It holds the token:
    /// it is sent, never logged.
    pub fn subscription(self, token: &AccessToken, serials: &[String]) -> String {
        let message = match self {
            Dialect::Igtimi => serde_json::json!({
                "access_token": token.expose_secret(),
                "devices": serials,
            }),
            Dialect::Riot => serde_json::json!({ "devices": serials }),
        };
        message.to_string()
    }

    /// Reads a frame (close frames are the caller's).
    pub fn read(self, message: &Message) -> Incoming {
        match (self, message) {
            (_, Message::Text(text)) => match read_json_frame(text.as_str()) {
                Ok(JsonFrame::Time(ms)) => Incoming::Time(ms),
                Ok(JsonFrame::Heartbeat) => Incoming::Heartbeat,
                Ok(JsonFrame::Samples(data)) if self == Dialect::Igtimi => Incoming::Samples(data),
                Ok(JsonFrame::Samples(_)) => Incoming::Bad(FrameError::Unexpected(
                    "JSON data on Riot's socket, where data comes as binary messages",
                )),
                Err(e) => Incoming::Bad(e),
            },
            (Dialect::Riot, Message::Binary(bytes)) => match read_riot_frame(bytes) {
                Ok(RiotFrame::Data { data, .. }) => Incoming::Samples(data),
                Ok(RiotFrame::Heartbeat(_)) => Incoming::Heartbeat,
                Ok(RiotFrame::Disconnect { code, reason }) => Incoming::Disconnect { code, reason },
                Ok(RiotFrame::Other) => Incoming::Nothing,
                Err(e) => Incoming::Bad(e),
            },
            (Dialect::Igtimi, Message::Binary(bytes)) => match std::str::from_utf8(bytes) {
                Ok(text) => Dialect::Igtimi.read(&Message::text(text)),
                Err(_) => Incoming::Bad(FrameError::Unexpected(
                    "a binary frame on the JSON API's socket, where everything is text",
                )),
            },
            _ => Incoming::Nothing,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lister_paths_keep_the_base_prefix() {
        let base = Url::parse("https://example.org/igtimi-root/").unwrap();
        assert_eq!(
            Dialect::Igtimi.lister_url(&base).unwrap().as_str(),
            "https://example.org/igtimi-root/server_listers/web_sockets"
        );
        assert_eq!(
            Dialect::Riot.lister_url(&base).unwrap().as_str(),
            "https://example.org/igtimi-root/igtimi/api/v1/server_listers/web_sockets"
        );
    }

    #[test]
    fn subscriptions_carry_the_token_only_on_the_old_api() {
        let token = AccessToken::new("s3cret-token").unwrap();
        let serials = vec!["AA-1".to_string(), "AA-2".to_string()];
        let old: serde_json::Value =
            serde_json::from_str(&Dialect::Igtimi.subscription(&token, &serials)).unwrap();
        assert_eq!(
            old,
            serde_json::json!({"access_token": "s3cret-token", "devices": ["AA-1", "AA-2"]})
        );
        let riot = Dialect::Riot.subscription(&token, &serials);
        assert_eq!(riot, r#"{"devices":["AA-1","AA-2"]}"#);
        assert!(Dialect::Riot.bearer() && !Dialect::Igtimi.bearer());
    }

    #[test]
    fn frames_read_per_dialect() {
        let text = Message::text("1750000000000");
        assert_eq!(Dialect::Riot.read(&text), Incoming::Time(1_750_000_000_000));
        assert_eq!(
            Dialect::Igtimi.read(&Message::text("1")),
            Incoming::Heartbeat
        );
        let data = Message::text(r#"[{"A":{"9":{"t":[1],"1":[2]}}}]"#);
        assert!(matches!(Dialect::Igtimi.read(&data), Incoming::Samples(_)));
        assert!(matches!(
            Dialect::Riot.read(&data),
            Incoming::Bad(FrameError::Unexpected(_))
        ));
        let as_binary = Message::binary(b"1".to_vec());
        assert_eq!(Dialect::Igtimi.read(&as_binary), Incoming::Heartbeat);
        assert!(matches!(
            Dialect::Igtimi.read(&Message::binary(vec![0xff, 0x00])),
            Incoming::Bad(_)
        ));
        assert!(matches!(
            Dialect::Riot.read(&Message::binary(vec![0xff])),
            Incoming::Bad(FrameError::Riot(_))
        ));
        assert_eq!(
            Dialect::Riot.read(&Message::Ping(Vec::new().into())),
            Incoming::Nothing
        );
    }
}

//! `GET resources/data`: the raw bytes of a device-data answer, for a decoder that reads them
//! straight into columns.

use crate::body::{read_capped, reported_error};
use crate::request::{On401, Params};
use crate::{AccessToken, ApiError, IgtimiClient};
use std::time::Duration;

/// Cap for one `resources/data` answer (a week of 1 Hz data of a full instrument set is
/// tens of megabytes).
pub const DATA_BODY_LIMIT: u64 = 256 * 1024 * 1024;
/// How long one `resources/data` request, body included, may take.
pub const DATA_REQUEST_TIMEOUT: Duration = Duration::from_secs(120);

/// What to ask `resources/data` for.
#[derive(Debug, Clone, PartialEq)]
pub struct DataQuery {
    /// First moment, ms since the epoch (inclusive).
    pub start: i64,
    /// Last moment, ms since the epoch (inclusive).
    pub end: i64,
    /// The devices.
    pub serials: Vec<String>,
    /// Type codes with their compression (max error in degrees, used for type 1; 0 = none).
    pub types: Vec<(u16, f64)>,
}

impl DataQuery {
    /// `start_time`, `end_time`, `serial_numbers[]` and `types[<code>]=<compression>`.
    pub(crate) fn params(&self) -> Params {
        let mut params = vec![
            ("start_time".to_owned(), self.start.to_string()),
            ("end_time".to_owned(), self.end.to_string()),
        ];
        params.extend(
            self.serials
                .iter()
                .map(|s| ("serial_numbers[]".to_owned(), s.clone())),
        );
        params.extend(
            self.types
                .iter()
                .map(|(code, compression)| (format!("types[{code}]"), compression.to_string())),
        );
        params
    }
}

impl IgtimiClient {
    /// The same client with other limits for `resources/data`: a time limit per request
    /// (default [`DATA_REQUEST_TIMEOUT`]) and a size cap per answer (default
    /// [`DATA_BODY_LIMIT`]).
    pub fn with_data_limits(mut self, timeout: Duration, max_bytes: u64) -> Self {
        self.data_timeout = timeout;
        self.data_limit = max_bytes;
        self
    }

    /// `GET resources/data`: the answer's bytes, undecoded
    /// (`{"<serial>": {"<type>[:<dsi>]": {"t": [..], "1": [..]}}}`). A refusal (a 4xx, or an
    /// `{"error": .., "reason": ..}` answer such as a span that is too long) is
    /// [`ApiError::Refused`] with the server's reason. A long parameter list goes as a
    /// `_method=GET` POST.
    pub async fn data(&self, token: &AccessToken, query: &DataQuery) -> Result<Vec<u8>, ApiError> {
        let response = self
            .send(
                "api/v1/resources/data",
                &query.params(),
                token,
                Some(self.data_timeout),
                On401::TokenRejected,
            )
            .await?;
        let status = response.status().as_u16();
        let body = read_capped(response, self.data_limit).await?;
        if starts_with_error_key(&body) {
            if let Some(reason) = reported_error(&body, token.expose_secret()) {
                return Err(ApiError::Refused { status, reason });
            }
        }
        Ok(body)
    }
}

/// Whether the body's first key is `"error"` (cheap: a data answer is never parsed here).
fn starts_with_error_key(body: &[u8]) -> bool {
    let rest = body.trim_ascii_start();
    let Some(rest) = rest.strip_prefix(b"{") else {
        return false;
    };
    rest.trim_ascii_start().starts_with(b"\"error\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spots_an_error_object_without_parsing_data() {
        assert!(starts_with_error_key(b" { \"error\":\"x\"}"));
        assert!(!starts_with_error_key(b"{\"AA-1\":{\"error\":1}}"));
        assert!(!starts_with_error_key(b"[]"));
    }

    #[test]
    fn query_parameters_name_every_serial_and_type() {
        let query = DataQuery {
            start: 10,
            end: 20,
            serials: vec!["A".into(), "B".into()],
            types: vec![(1, 3e-7), (9, 0.0)],
        };
        let text = crate::request::encode(&query.params());
        assert_eq!(
            text,
            "start_time=10&end_time=20&serial_numbers%5B%5D=A&serial_numbers%5B%5D=B\
             &types%5B1%5D=0.0000003&types%5B9%5D=0"
        );
    }
}

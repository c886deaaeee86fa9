//! Request parameters the way Igtimi takes them: from the query string and a form-encoded
//! body alike, with repeated names (`serial_numbers[]=a&serial_numbers[]=b`) and indexed
//! names (`types[1]=3e-7`).

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

/// Largest form body read (long filters are POSTed with `_method=GET`).
pub const MAX_FORM_BYTES: usize = 1 << 20;

/// Query and form parameters of a request, in order, repeated names kept.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Params(pub Vec<(String, String)>);

impl Params {
    /// Parameters of a query string (without the `?`).
    pub fn from_query(query: Option<&str>) -> Self {
        let mut p = Params::default();
        if let Some(q) = query {
            p.extend_encoded(q.as_bytes());
        }
        p
    }

    /// Adds the pairs of an `application/x-www-form-urlencoded` string.
    pub fn extend_encoded(&mut self, encoded: &[u8]) {
        self.0
            .extend(form_urlencoded::parse(encoded).map(|(k, v)| (k.into_owned(), v.into_owned())));
    }

    /// The first value of `name` (also found as `name[]`), whole: commas are kept.
    pub fn get(&self, name: &str) -> Option<&str> {
        let bracketed = format!("{name}[]");
        self.0
            .iter()
            .find(|(k, _)| k == name || *k == bracketed)
            .map(|(_, v)| v.as_str())
    }

    /// Every value given as `name`, `name[]`, or comma-separated within one of those.
    pub fn all(&self, name: &str) -> Vec<&str> {
        let bracketed = format!("{name}[]");
        self.0
            .iter()
            .filter(|(k, _)| k == name || *k == bracketed)
            .flat_map(|(_, v)| v.split(','))
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .collect()
    }

    /// Pairs given as `name[KEY]=value`, as (KEY, value).
    pub fn indexed(&self, name: &str) -> Vec<(&str, &str)> {
        let prefix = format!("{name}[");
        self.0
            .iter()
            .filter_map(|(k, v)| {
                let inner = k.strip_prefix(&prefix)?.strip_suffix(']')?;
                (!inner.is_empty()).then_some((inner, v.as_str()))
            })
            .collect()
    }

    /// An integer-valued parameter; `Err` names the parameter when it is not a number.
    /// Igtimi's times are float milliseconds, so `1384941923580.0` is accepted.
    pub fn get_i64(&self, name: &str) -> Result<Option<i64>, String> {
        match self.get(name) {
            None => Ok(None),
            Some(v) => v
                .parse::<i64>()
                .ok()
                .or_else(|| {
                    v.parse::<f64>()
                        .ok()
                        .filter(|f| f.is_finite())
                        .map(|f| f as i64)
                })
                .map(Some)
                .ok_or_else(|| format!("Parameter {name} must be a number, got {v:?}")),
        }
    }
}

/// A time parameter (ms) that must be given; `Err` is the message naming it, the same in
/// both dialects.
pub fn required_ms(params: &Params, name: &str) -> Result<i64, String> {
    params
        .get_i64(name)?
        .ok_or_else(|| format!("Parameter {name} is required (milliseconds)"))
}

/// Why `start_time`/`end_time` were refused; each dialect words the span errors itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SpanError {
    /// A time is missing or not a number: the message names it.
    Time(String),
    /// `end_time` is before `start_time`.
    EndBeforeStart { start: i64, end: i64 },
    /// The span (ms) is longer than the longest allowed.
    TooLong { span: i64 },
}

/// The required `start_time` and `end_time` (ms), with end >= start and at most
/// `max_span_ms` apart.
pub fn time_span(params: &Params, max_span_ms: i64) -> Result<(i64, i64), SpanError> {
    let start = required_ms(params, "start_time").map_err(SpanError::Time)?;
    let end = required_ms(params, "end_time").map_err(SpanError::Time)?;
    if end < start {
        return Err(SpanError::EndBeforeStart { start, end });
    }
    let span = end.saturating_sub(start);
    if span > max_span_ms {
        return Err(SpanError::TooLong { span });
    }
    Ok((start, end))
}

/// The `serial_numbers[]` given, each once, in order (empty when none are).
pub fn unique_serials(params: &Params) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    params
        .all("serial_numbers")
        .into_iter()
        .filter(|s| seen.insert(*s))
        .map(str::to_string)
        .collect()
}

/// A compression value: empty (or blank) is 0, else a finite number of 0 or more.
pub fn compression(text: &str) -> Option<f64> {
    match text.trim() {
        "" => Some(0.0),
        text => text
            .parse::<f64>()
            .ok()
            .filter(|c| c.is_finite() && *c >= 0.0),
    }
}

/// The `types[<key>]=<compression>` pairs, then the list form `types[]=<key>` (compression
/// 0), in that order. `indexed` and `listed` read a key; `bad_compression` words the error for
/// a key's compression, given as sent.
pub fn types_with_compression<K: Copy, E>(
    params: &Params,
    indexed: impl Fn(&str) -> Result<K, E>,
    listed: impl Fn(&str) -> Result<K, E>,
    bad_compression: impl Fn(K, &str) -> E,
) -> Result<Vec<(K, f64)>, E> {
    let mut out = Vec::new();
    for (raw, text) in params.indexed("types") {
        let key = indexed(raw)?;
        let value = compression(text).ok_or_else(|| bad_compression(key, text))?;
        out.push((key, value));
    }
    for raw in params.all("types") {
        out.push((listed(raw)?, 0.0));
    }
    Ok(out)
}

/// True for a form-encoded content type.
pub fn is_form(content_type: Option<&header::HeaderValue>) -> bool {
    content_type
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"))
}

impl<S: Send + Sync> FromRequest<S> for Params {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let mut params = Params::from_query(req.uri().query());
        if is_form(req.headers().get(header::CONTENT_TYPE)) {
            let body = Bytes::from_request(req, state)
                .await
                .map_err(|e| e.into_response())?;
            if body.len() > MAX_FORM_BYTES {
                return Err((StatusCode::PAYLOAD_TOO_LARGE, "form body too large").into_response());
            }
            params.extend_encoded(&body);
        }
        Ok(params)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrays_indexes_and_numbers() {
        let p = Params::from_query(Some(
            "serial_numbers[]=A&serial_numbers[]=B,C&types[1]=3e-7&types[9]=0&start_time=1384941923580.0&x=y",
        ));
        assert_eq!(p.all("serial_numbers"), vec!["A", "B", "C"]);
        assert_eq!(p.indexed("types"), vec![("1", "3e-7"), ("9", "0")]);
        assert_eq!(p.get_i64("start_time"), Ok(Some(1_384_941_923_580)));
        assert!(p.get_i64("x").is_err());
        assert_eq!(p.get_i64("missing"), Ok(None));
        let p = Params::from_query(Some("state=a%2Cb&password=x,y"));
        assert_eq!(p.get("state"), Some("a,b"));
        assert_eq!(p.get("password"), Some("x,y"));
    }
}

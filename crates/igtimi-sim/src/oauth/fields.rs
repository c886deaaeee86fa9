//! Parameters of an OAuth request, taken verbatim.
//!
//! Unlike [`crate::params::Params`], values are never split at commas (a `state` or a
//! password may contain one), a parameter given twice is an error (RFC 6749 §3.1) and an
//! empty value counts as absent.

use axum::http::{header, HeaderMap};

/// Name/value pairs of one request, in order.
#[derive(Clone, Debug, Default)]
pub struct Fields(Vec<(String, String)>);

impl Fields {
    /// The pairs of a query string (without the `?`).
    pub fn from_query(query: Option<&str>) -> Self {
        Self::from_encoded(query.unwrap_or("").as_bytes())
    }

    /// The pairs of an `application/x-www-form-urlencoded` body or query.
    pub fn from_encoded(encoded: &[u8]) -> Self {
        Fields(
            form_urlencoded::parse(encoded)
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        )
    }

    /// The pairs of a form body; `Err` when the body is not form-encoded.
    pub fn from_form(headers: &HeaderMap, body: &[u8]) -> Result<Self, String> {
        if crate::params::is_form(headers.get(header::CONTENT_TYPE)) {
            Ok(Self::from_encoded(body))
        } else if body.is_empty() {
            Ok(Fields::default())
        } else {
            Err("The request body must be application/x-www-form-urlencoded".into())
        }
    }

    /// The value of `name`: `Ok(None)` when absent or empty, `Err` when given more than once.
    pub fn one(&self, name: &str) -> Result<Option<&str>, String> {
        let mut values = self
            .0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str());
        let first = values.next();
        if values.next().is_some() {
            return Err(format!("The parameter {name} was given more than once"));
        }
        Ok(first.filter(|v| !v.is_empty()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_commas_rejects_duplicates_and_treats_empty_as_absent() {
        let f = Fields::from_query(Some("state=a%2Cb,c&x=1&x=2&empty="));
        assert_eq!(f.one("state"), Ok(Some("a,b,c")));
        assert!(f.one("x").is_err());
        assert_eq!(f.one("empty"), Ok(None));
        assert_eq!(f.one("missing"), Ok(None));
    }

    #[test]
    fn refuses_a_body_that_is_not_a_form() {
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_TYPE, "application/json".parse().unwrap());
        assert!(Fields::from_form(&headers, b"{}").is_err());
        assert!(Fields::from_form(&headers, b"").is_ok());
    }
}

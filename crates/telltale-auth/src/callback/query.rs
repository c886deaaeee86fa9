//! Strict parsing of a callback's query string: every pair must be `name=value`, every
//! percent sign must start a two-digit hex escape, and the decoded text must be UTF-8.

use super::CallbackError;

/// One decoded `name=value` pair.
pub(crate) struct Pair {
    pub(crate) name: String,
    pub(crate) value: String,
}

/// Splits and decodes a query (without the `?`). `+` means a space, as in HTML forms.
pub(crate) fn parse_pairs(query: &str) -> Result<Vec<Pair>, CallbackError> {
    if query.is_empty() {
        return Ok(Vec::new());
    }
    query
        .split('&')
        .map(|segment| {
            let (name, value) = segment
                .split_once('=')
                .ok_or(CallbackError::MalformedQuery)?;
            let name = decode(name)?;
            if name.is_empty() {
                return Err(CallbackError::MalformedQuery);
            }
            Ok(Pair {
                name,
                value: decode(value)?,
            })
        })
        .collect()
}

/// Percent-decodes one component, refusing stray `%`, bad hex and non-UTF-8 results.
fn decode(component: &str) -> Result<String, CallbackError> {
    let bytes = component.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while let Some(&byte) = bytes.get(index) {
        match byte {
            b'%' => {
                let high = bytes.get(index + 1).and_then(|b| hex_value(*b));
                let low = bytes.get(index + 2).and_then(|b| hex_value(*b));
                match (high, low) {
                    (Some(high), Some(low)) => decoded.push(high << 4 | low),
                    _ => return Err(CallbackError::BadEncoding),
                }
                index += 3;
            }
            b'+' => {
                decoded.push(b' ');
                index += 1;
            }
            other => {
                decoded.push(other);
                index += 1;
            }
        }
    }
    String::from_utf8(decoded).map_err(|_| CallbackError::NotUtf8)
}

fn hex_value(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(query: &str) -> Result<Vec<(String, String)>, CallbackError> {
        parse_pairs(query).map(|pairs| pairs.into_iter().map(|p| (p.name, p.value)).collect())
    }

    #[test]
    fn decodes_escapes_and_plus() {
        let parsed = pairs("a=1%2F2&b=x+y&c%61=%C3%A9").expect("valid query");
        assert_eq!(
            parsed,
            vec![
                ("a".into(), "1/2".into()),
                ("b".into(), "x y".into()),
                ("ca".into(), "é".into())
            ]
        );
    }

    #[test]
    fn refuses_malformed_pieces() {
        assert_eq!(pairs("a").err(), Some(CallbackError::MalformedQuery));
        assert_eq!(pairs("a=1&&b=2").err(), Some(CallbackError::MalformedQuery));
        assert_eq!(pairs("=1").err(), Some(CallbackError::MalformedQuery));
        assert_eq!(pairs("a=1&").err(), Some(CallbackError::MalformedQuery));
        assert_eq!(pairs("a=%").err(), Some(CallbackError::BadEncoding));
        assert_eq!(pairs("a=%4").err(), Some(CallbackError::BadEncoding));
        assert_eq!(pairs("a=%zz").err(), Some(CallbackError::BadEncoding));
        assert_eq!(pairs("a=%C0%AF").err(), Some(CallbackError::NotUtf8));
        assert_eq!(pairs("a=%FF").err(), Some(CallbackError::NotUtf8));
    }
}

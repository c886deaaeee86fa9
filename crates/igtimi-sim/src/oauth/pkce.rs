//! Proof Key for Code Exchange (RFC 7636).

use crate::store::PkceMethod;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// True when `value` is a well-formed code verifier or challenge: 43 to 128 characters of
/// `[A-Za-z0-9-._~]` (RFC 7636 §4.1–4.2).
pub fn is_well_formed(value: &str) -> bool {
    (43..=128).contains(&value.len())
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'))
}

/// The transformation named by `code_challenge_method`; `plain` when absent (RFC 7636 §4.3).
pub fn parse_method(method: Option<&str>) -> Result<PkceMethod, String> {
    match method {
        None | Some("plain") => Ok(PkceMethod::Plain),
        Some("S256") => Ok(PkceMethod::S256),
        Some(other) => Err(format!(
            "code_challenge_method {other:?} is not supported; use S256 or plain"
        )),
    }
}

/// `BASE64URL(SHA256(verifier))` without padding: the S256 challenge of a verifier.
pub fn s256_challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// Checks a code verifier against the challenge of the authorize request, in constant time.
pub fn verify(challenge: &str, method: PkceMethod, verifier: &str) -> bool {
    if !is_well_formed(verifier) {
        return false;
    }
    let derived = match method {
        PkceMethod::Plain => verifier.to_string(),
        PkceMethod::S256 => s256_challenge(verifier),
    };
    derived.as_bytes().ct_eq(challenge.as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc7636_appendix_b_example() {
        let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
        assert_eq!(s256_challenge(verifier), challenge);
        assert!(verify(challenge, PkceMethod::S256, verifier));
        assert!(!verify(challenge, PkceMethod::Plain, verifier));
        assert!(verify(verifier, PkceMethod::Plain, verifier));
    }

    #[test]
    fn shape_and_methods() {
        assert!(!is_well_formed(&"a".repeat(42)));
        assert!(is_well_formed(&"a".repeat(43)));
        assert!(is_well_formed(&"a".repeat(128)));
        assert!(!is_well_formed(&"a".repeat(129)));
        assert!(!is_well_formed(&format!("{}+", "a".repeat(43))));
        assert_eq!(parse_method(None), Ok(PkceMethod::Plain));
        assert_eq!(parse_method(Some("S256")), Ok(PkceMethod::S256));
        assert!(parse_method(Some("s256")).is_err());
    }
}

//! The simulator's secrets: how they are made and how a presented one is compared.

use rand::RngCore;

/// A fresh random secret: 64 lowercase hex characters, the shape Igtimi's tokens have.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// Equal secrets, compared in constant time (over digests, so lengths do not leak either).
pub fn secrets_equal(expected: &str, presented: &str) -> bool {
    use sha2::{Digest, Sha256};
    use subtle::ConstantTimeEq;
    let a = Sha256::digest(expected.as_bytes());
    let b = Sha256::digest(presented.as_bytes());
    a.ct_eq(&b).into()
}

#[cfg(test)]
mod tests {
    use super::secrets_equal;

    #[test]
    fn secrets_compare() {
        assert!(secrets_equal("abc", "abc"));
        assert!(!secrets_equal("abc", "abd"));
        assert!(!secrets_equal("abc", "abcd"));
        assert!(!secrets_equal("abc", ""));
    }
}

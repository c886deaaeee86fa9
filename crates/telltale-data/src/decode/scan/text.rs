//! Strings, escapes and skipping of values the decoder does not use.

use super::Scanner;
use crate::decode::DecodeError;
use std::borrow::Cow;

/// How deeply an ignored value may nest before the input is refused.
const MAX_SKIP_DEPTH: u32 = 128;

impl<'a> Scanner<'a> {
    /// Reads a string (at its opening quote), borrowing it when it has no escapes.
    pub fn string(&mut self) -> Result<Cow<'a, str>, DecodeError> {
        let open = self.pos;
        if self.peek() != Some(b'"') {
            return Err(self.error("a string"));
        }
        self.pos += 1;
        let start = self.pos;
        loop {
            match self.bytes.get(self.pos) {
                None => return Err(self.error_at(open, "unterminated string")),
                Some(b'"') => {
                    let raw = self.bytes.get(start..self.pos).unwrap_or_default();
                    self.pos += 1;
                    return std::str::from_utf8(raw).map(Cow::Borrowed).map_err(|e| {
                        self.error_at(start + e.valid_up_to(), "invalid UTF-8 in a string")
                    });
                }
                Some(b'\\') => return self.string_with_escapes(open, start),
                Some(&b) if b < 0x20 => {
                    return Err(self.error_at(self.pos, "control character in a string"))
                }
                Some(_) => self.pos += 1,
            }
        }
    }

    fn string_with_escapes(
        &mut self,
        open: usize,
        start: usize,
    ) -> Result<Cow<'a, str>, DecodeError> {
        let mut out: Vec<u8> = self.bytes.get(start..self.pos).unwrap_or_default().to_vec();
        loop {
            match self.bytes.get(self.pos) {
                None => return Err(self.error_at(open, "unterminated string")),
                Some(b'"') => {
                    self.pos += 1;
                    return String::from_utf8(out)
                        .map(Cow::Owned)
                        .map_err(|_| self.error_at(open, "invalid UTF-8 in a string"));
                }
                Some(b'\\') => {
                    let c = self.escape()?;
                    let mut utf8 = [0u8; 4];
                    out.extend_from_slice(c.encode_utf8(&mut utf8).as_bytes());
                }
                Some(&b) if b < 0x20 => {
                    return Err(self.error_at(self.pos, "control character in a string"))
                }
                Some(&b) => {
                    out.push(b);
                    self.pos += 1;
                }
            }
        }
    }

    /// Reads one escape sequence at its backslash.
    fn escape(&mut self) -> Result<char, DecodeError> {
        let at = self.pos;
        let c = match self.bytes.get(at + 1) {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                self.pos = at + 2;
                let high = self.hex4()?;
                if !(0xD800..0xDC00).contains(&high) {
                    return char::from_u32(high)
                        .ok_or_else(|| self.error_at(at, "lone low surrogate in a \\u escape"));
                }
                if self.bytes.get(self.pos..self.pos + 2) != Some(b"\\u") {
                    return Err(self.error_at(at, "high surrogate without its low half"));
                }
                self.pos += 2;
                let low = self.hex4()?;
                if !(0xDC00..0xE000).contains(&low) {
                    return Err(self.error_at(at, "high surrogate without its low half"));
                }
                let code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
                return char::from_u32(code).ok_or_else(|| self.error_at(at, "bad surrogate pair"));
            }
            _ => return Err(self.error_at(at, "bad escape sequence in a string")),
        };
        self.pos = at + 2;
        Ok(c)
    }

    fn hex4(&mut self) -> Result<u32, DecodeError> {
        let digits = self
            .bytes
            .get(self.pos..self.pos + 4)
            .ok_or_else(|| self.error_at(self.pos, "short \\u escape"))?;
        let mut value = 0u32;
        for &d in digits {
            let nibble = (d as char)
                .to_digit(16)
                .ok_or_else(|| self.error_at(self.pos, "bad hex digit in a \\u escape"))?;
            value = value * 16 + nibble;
        }
        self.pos += 4;
        Ok(value)
    }

    /// Skips a string at its opening quote, checking escapes but not decoding.
    pub fn skip_string(&mut self) -> Result<(), DecodeError> {
        let open = self.pos;
        self.pos += 1;
        loop {
            match self.bytes.get(self.pos) {
                None => return Err(self.error_at(open, "unterminated string")),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(());
                }
                Some(b'\\') => {
                    self.escape()?;
                }
                Some(&b) if b < 0x20 => {
                    return Err(self.error_at(self.pos, "control character in a string"))
                }
                Some(_) => self.pos += 1,
            }
        }
    }

    /// Skips any JSON value (after whitespace).
    pub fn skip_value(&mut self) -> Result<(), DecodeError> {
        self.skip_nested(0)
    }

    fn skip_nested(&mut self, depth: u32) -> Result<(), DecodeError> {
        if depth > MAX_SKIP_DEPTH {
            return Err(self.error_at(self.pos, "values nested too deeply"));
        }
        match self.peek_non_ws() {
            Some(b'{') => {
                self.pos += 1;
                if self.peek_non_ws() == Some(b'}') {
                    self.pos += 1;
                    return Ok(());
                }
                loop {
                    if self.peek_non_ws() != Some(b'"') {
                        return Err(self.error("a key string"));
                    }
                    self.skip_string()?;
                    self.expect(b':', "':' after a key")?;
                    self.skip_nested(depth + 1)?;
                    match self.peek_non_ws() {
                        Some(b',') => self.pos += 1,
                        Some(b'}') => {
                            self.pos += 1;
                            return Ok(());
                        }
                        _ => return Err(self.error("',' or '}' in an object")),
                    }
                }
            }
            Some(b'[') => {
                self.pos += 1;
                if self.peek_non_ws() == Some(b']') {
                    self.pos += 1;
                    return Ok(());
                }
                loop {
                    self.skip_nested(depth + 1)?;
                    match self.peek_non_ws() {
                        Some(b',') => self.pos += 1,
                        Some(b']') => {
                            self.pos += 1;
                            return Ok(());
                        }
                        _ => return Err(self.error("',' or ']' in an array")),
                    }
                }
            }
            Some(b'"') => self.skip_string(),
            Some(b'-' | b'0'..=b'9') => self.number().map(drop),
            Some(b't') => self.literal(b"true"),
            Some(b'f') => self.literal(b"false"),
            Some(b'n') => self.literal(b"null"),
            _ => Err(self.error("a JSON value")),
        }
    }
}

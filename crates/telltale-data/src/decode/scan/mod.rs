//! A byte scanner over JSON text: whitespace, strings, numbers, literals and skipping of
//! values, each reporting the byte offset of what it could not read. Every read goes through
//! `get`, and all arithmetic on input digits is bounded, so no input can make it panic.

use super::DecodeError;

mod number;
mod text;

/// Cursor over the input bytes.
pub(crate) struct Scanner<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Scanner<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Scanner { bytes, pos: 0 }
    }

    /// The current byte offset.
    pub fn offset(&self) -> usize {
        self.pos
    }

    /// A `Malformed` error at `offset`.
    pub fn error_at(&self, offset: usize, detail: impl Into<String>) -> DecodeError {
        DecodeError::Malformed {
            offset,
            detail: detail.into(),
        }
    }

    /// A `Malformed` error at the current offset, naming what was found there.
    pub fn error(&self, expected: &str) -> DecodeError {
        let found = match self.peek() {
            None => "the end of the input".to_string(),
            Some(b) if b.is_ascii_graphic() => format!("'{}'", b as char),
            Some(b) => format!("byte 0x{b:02x}"),
        };
        self.error_at(self.pos, format!("expected {expected}, found {found}"))
    }

    #[inline(always)]
    pub fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    #[inline(always)]
    pub fn skip_ws(&mut self) {
        while let Some(&b) = self.bytes.get(self.pos) {
            if !matches!(b, b' ' | b'\n' | b'\r' | b'\t') {
                return;
            }
            self.pos += 1;
        }
    }

    /// Skips whitespace and returns the next byte without consuming it.
    #[inline(always)]
    pub fn peek_non_ws(&mut self) -> Option<u8> {
        self.skip_ws();
        self.peek()
    }

    /// Skips whitespace and consumes `byte`, or fails naming `expected`.
    pub fn expect(&mut self, byte: u8, expected: &str) -> Result<(), DecodeError> {
        if self.peek_non_ws() == Some(byte) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.error(expected))
        }
    }

    /// Whether only whitespace is left.
    pub fn at_end(&mut self) -> bool {
        self.peek_non_ws().is_none()
    }

    /// Skips a UTF-8 byte order mark at the start.
    pub fn skip_bom(&mut self) {
        if self.pos == 0 && self.bytes.starts_with(b"\xEF\xBB\xBF") {
            self.pos = 3;
        }
    }

    /// Consumes `word` (a JSON literal) or fails.
    pub(super) fn literal(&mut self, word: &[u8]) -> Result<(), DecodeError> {
        if self.bytes.get(self.pos..self.pos + word.len()) == Some(word) {
            self.pos += word.len();
            Ok(())
        } else {
            Err(self.error("a JSON value"))
        }
    }
}

//! A byte scanner over JSON text: whitespace, strings, numbers, literals and skipping of
//! values, each reporting the byte offset of what it could not read. Every read goes through
//! `get`, and all arithmetic on input digits is bounded, so no input can make it panic.

use super::DecodeError;
use std::borrow::Cow;

/// How deeply an ignored value may nest before the input is refused.
const MAX_SKIP_DEPTH: u32 = 128;

/// Exact powers of ten that an `f64` holds without rounding (Clinger's fast path).
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// Largest integer below which every integer is exact in an `f64`.
const EXACT_MANTISSA: u64 = 1 << 53;

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

    /// Consumes `word` (a JSON literal) or fails.
    fn literal(&mut self, word: &[u8]) -> Result<(), DecodeError> {
        if self.bytes.get(self.pos..self.pos + word.len()) == Some(word) {
            self.pos += word.len();
            Ok(())
        } else {
            Err(self.error("a JSON value"))
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

    /// Reads an array of sample values (numbers; `null`, strings, bools and other values
    /// become NaN, bools 1/0) into `out`.
    pub fn values(&mut self, out: &mut Vec<f64>) -> Result<(), DecodeError> {
        self.expect(b'[', "'[' opening a value array")?;
        if self.peek_non_ws() == Some(b']') {
            self.pos += 1;
            return Ok(());
        }
        loop {
            self.skip_ws();
            let value = match self.peek() {
                Some(b'-' | b'0'..=b'9') => {
                    let v = self.number()?;
                    if v.is_finite() {
                        v
                    } else {
                        f64::NAN
                    }
                }
                Some(b'n') => self.literal(b"null").map(|_| f64::NAN)?,
                Some(b't') => self.literal(b"true").map(|_| 1.0)?,
                Some(b'f') => self.literal(b"false").map(|_| 0.0)?,
                _ => self.skip_value().map(|_| f64::NAN)?,
            };
            out.push(value);
            match self.peek_non_ws() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(());
                }
                _ => return Err(self.error("',' or ']' in a value array")),
            }
        }
    }

    /// Reads an array of timestamps (numbers, floored to whole milliseconds) into `out`.
    pub fn times(&mut self, out: &mut Vec<i64>) -> Result<(), DecodeError> {
        self.expect(b'[', "'[' opening the \"t\" array")?;
        if self.peek_non_ws() == Some(b']') {
            self.pos += 1;
            return Ok(());
        }
        loop {
            self.skip_ws();
            out.push(self.time()?);
            match self.peek_non_ws() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(());
                }
                _ => return Err(self.error("',' or ']' in the \"t\" array")),
            }
        }
    }

    /// Reads one timestamp: integers and plain decimals exactly, anything else through f64.
    #[inline(always)]
    fn time(&mut self) -> Result<i64, DecodeError> {
        let start = self.pos;
        let b = self.bytes;
        let mut i = start;
        let negative = b.get(i) == Some(&b'-');
        if negative {
            i += 1;
        }
        let int_start = i;
        let mut value: i64 = 0;
        while let Some(&c) = b.get(i) {
            let d = c.wrapping_sub(b'0');
            if d > 9 {
                break;
            }
            if i - int_start >= 18 {
                return self.time_via_float(start);
            }
            value = value * 10 + d as i64;
            i += 1;
        }
        let int_digits = i - int_start;
        if int_digits == 0 || (int_digits > 1 && b.get(int_start) == Some(&b'0')) {
            return self.time_via_float(start);
        }
        let mut fraction = false;
        if b.get(i) == Some(&b'.') {
            i += 1;
            let fraction_start = i;
            while let Some(&c) = b.get(i) {
                let d = c.wrapping_sub(b'0');
                if d > 9 {
                    break;
                }
                fraction |= d != 0;
                i += 1;
            }
            if i == fraction_start {
                return self.time_via_float(start);
            }
        }
        if matches!(b.get(i), Some(b'e' | b'E')) {
            return self.time_via_float(start);
        }
        self.pos = i;
        Ok(match (negative, fraction) {
            (false, _) => value,
            (true, false) => -value,
            (true, true) => -value - 1,
        })
    }

    fn time_via_float(&mut self, start: usize) -> Result<i64, DecodeError> {
        self.pos = start;
        if !matches!(self.peek(), Some(b'-' | b'0'..=b'9')) {
            return Err(self.error("a time (a number of milliseconds)"));
        }
        let v = self.number()?.floor();
        // Beyond ±2^62 ms (146 million years) a time is nonsense and near i64's edge.
        if v.is_finite() && v.abs() < 4.6e18 {
            Ok(v as i64)
        } else {
            Err(self.error_at(start, "time out of range"))
        }
    }

    /// Reads a JSON number: exactly when digits and exponent allow Clinger's fast path,
    /// otherwise by the correct (Eisel-Lemire) parser of `fast-float2` on its validated text.
    #[inline(always)]
    pub fn number(&mut self) -> Result<f64, DecodeError> {
        let start = self.pos;
        let b = self.bytes;
        let mut i = start;
        let negative = b.get(i) == Some(&b'-');
        if negative {
            i += 1;
        }
        let int_start = i;
        let mut mantissa: u64 = 0;
        while let Some(&c) = b.get(i) {
            let d = c.wrapping_sub(b'0');
            if d > 9 {
                break;
            }
            mantissa = mantissa.wrapping_mul(10).wrapping_add(d as u64);
            i += 1;
        }
        let int_digits = i - int_start;
        if int_digits == 0 {
            self.pos = i;
            return Err(self.error("a digit"));
        }
        if int_digits > 1 && b.get(int_start) == Some(&b'0') {
            return Err(self.error_at(int_start, "leading zero in a number"));
        }
        let mut fraction_digits = 0;
        if b.get(i) == Some(&b'.') {
            i += 1;
            let fraction_start = i;
            while let Some(&c) = b.get(i) {
                let d = c.wrapping_sub(b'0');
                if d > 9 {
                    break;
                }
                mantissa = mantissa.wrapping_mul(10).wrapping_add(d as u64);
                i += 1;
            }
            fraction_digits = i - fraction_start;
            if fraction_digits == 0 {
                self.pos = i;
                return Err(self.error("a digit after the decimal point"));
            }
        }
        let mut exponent: i64 = 0;
        if matches!(b.get(i), Some(b'e' | b'E')) {
            i += 1;
            let exponent_negative = match b.get(i) {
                Some(b'-') => {
                    i += 1;
                    true
                }
                Some(b'+') => {
                    i += 1;
                    false
                }
                _ => false,
            };
            let exponent_start = i;
            while let Some(&c) = b.get(i) {
                let d = c.wrapping_sub(b'0');
                if d > 9 {
                    break;
                }
                exponent = (exponent * 10 + d as i64).min(1_000_000);
                i += 1;
            }
            if i == exponent_start {
                self.pos = i;
                return Err(self.error("a digit in the exponent"));
            }
            if exponent_negative {
                exponent = -exponent;
            }
        }
        self.pos = i;
        if int_digits + fraction_digits <= 19 && mantissa <= EXACT_MANTISSA {
            let power = exponent - fraction_digits as i64;
            if (-22..=22).contains(&power) {
                let m = mantissa as f64;
                let v = if power < 0 {
                    m / POW10[(-power) as usize]
                } else {
                    m * POW10[power as usize]
                };
                return Ok(if negative { -v } else { v });
            }
        }
        let text = b.get(start..i).unwrap_or_default();
        fast_float2::parse::<f64, _>(text).map_err(|_| self.error_at(start, "unreadable number"))
    }
}

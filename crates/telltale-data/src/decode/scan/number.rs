//! Numbers: value arrays, time arrays and single JSON numbers.

use super::Scanner;
use crate::decode::DecodeError;

/// Exact powers of ten that an `f64` holds without rounding (Clinger's fast path).
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// Largest integer below which every integer is exact in an `f64`.
const EXACT_MANTISSA: u64 = 1 << 53;

impl Scanner<'_> {
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
        let mut whole = 0u64;
        i = read_digits(b, i, &mut whole);
        let int_digits = i - int_start;
        if int_digits == 0 || int_digits > 18 || (int_digits > 1 && b.get(int_start) == Some(&b'0'))
        {
            return self.time_via_float(start);
        }
        let value = whole as i64;
        let mut fraction = 0u64;
        if b.get(i) == Some(&b'.') {
            let fraction_start = i + 1;
            i = read_digits(b, fraction_start, &mut fraction);
            if i == fraction_start || i - fraction_start > 19 {
                return self.time_via_float(start);
            }
        }
        let fraction = fraction != 0;
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
        i = read_digits(b, i, &mut mantissa);
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
            i = read_digits(b, i, &mut mantissa);
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

/// Reads the decimal digits at `b[i..]` into `mantissa` (wrapping beyond 19 digits), eight
/// at a time while it can, and returns the index after the last digit.
#[inline(always)]
fn read_digits(b: &[u8], mut i: usize, mantissa: &mut u64) -> usize {
    while let Some(chunk) = b.get(i..i + 8) {
        let Ok(bytes) = <[u8; 8]>::try_from(chunk) else {
            break;
        };
        let word = u64::from_le_bytes(bytes);
        if !all_digits(word) {
            break;
        }
        *mantissa = mantissa
            .wrapping_mul(100_000_000)
            .wrapping_add(eight_digits(word));
        i += 8;
    }
    while let Some(&c) = b.get(i) {
        let d = c.wrapping_sub(b'0');
        if d > 9 {
            break;
        }
        *mantissa = mantissa.wrapping_mul(10).wrapping_add(u64::from(d));
        i += 1;
    }
    i
}

/// Whether all eight bytes of `word` are ASCII digits: each has the high nibble 3, and
/// adding 6 leaves it 3 (a byte that would carry into its neighbour fails on its own).
#[inline(always)]
fn all_digits(word: u64) -> bool {
    const HIGH: u64 = 0xF0F0_F0F0_F0F0_F0F0;
    let high = word & HIGH;
    let after_six = word.wrapping_add(0x0606_0606_0606_0606) & HIGH;
    (high | (after_six >> 4)) == 0x3333_3333_3333_3333
}

/// The value of eight ASCII digits read little-endian (the first digit in the low byte):
/// digits are combined into pairs, then pairs into the whole in two multiplications.
#[inline(always)]
fn eight_digits(word: u64) -> u64 {
    const LOW_BYTES: u64 = 0x0000_00FF_0000_00FF;
    let digits = word.wrapping_sub(0x3030_3030_3030_3030);
    // Byte 2k now holds the pair (digit 2k) * 10 + (digit 2k + 1).
    let pairs = digits.wrapping_mul(10).wrapping_add(digits >> 8);
    let outer = (pairs & LOW_BYTES).wrapping_mul(100 + (1_000_000 << 32));
    let inner = ((pairs >> 16) & LOW_BYTES).wrapping_mul(1 + (10_000 << 32));
    outer.wrapping_add(inner) >> 32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eight_digits_at_a_time() {
        for text in ["00000000", "12345678", "99999999", "10000001", "07070707"] {
            let word = u64::from_le_bytes(text.as_bytes().try_into().expect("8 bytes"));
            assert!(all_digits(word), "{text}");
            assert_eq!(eight_digits(word), text.parse::<u64>().expect("number"));
        }
        let odd: [&[u8; 8]; 6] = [
            b"1234567/",
            b"1234567:",
            b"a2345678",
            b"1234 678",
            b"\xff2345678",
            b"\xfa9999999",
        ];
        for bytes in odd {
            assert!(!all_digits(u64::from_le_bytes(*bytes)), "{bytes:?}");
        }
        let mut m = 0;
        assert_eq!(read_digits(b"x123456789012.5", 1, &mut m), 13);
        assert_eq!(m, 123_456_789_012);
    }
}

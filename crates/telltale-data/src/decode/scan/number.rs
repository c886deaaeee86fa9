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

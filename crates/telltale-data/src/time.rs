//! Times as text: RFC 3339 in UTC with milliseconds, computed from the civil calendar
//! without a date library.

use std::fmt::Write;

const MS_PER_DAY: i64 = 86_400_000;

/// `t` (ms since the Unix epoch) as `YYYY-MM-DDTHH:MM:SS.mmmZ`, e.g.
/// `2025-06-21T10:00:00.000Z`. Years outside 0000..=9999 (which RFC 3339 cannot express)
/// are written with a sign and as many digits as needed rather than refused.
pub fn rfc3339_ms(t: i64) -> String {
    let mut out = String::with_capacity(24);
    write_rfc3339_ms(&mut out, t);
    out
}

/// Appends [`rfc3339_ms`] of `t` to `out` (for writers of many rows).
pub fn write_rfc3339_ms(out: &mut String, t: i64) {
    let days = t.div_euclid(MS_PER_DAY);
    let ms_of_day = t.rem_euclid(MS_PER_DAY);
    let (year, month, day) = civil_from_days(days);
    let (hour, minute) = (ms_of_day / 3_600_000, ms_of_day / 60_000 % 60);
    let (second, milli) = (ms_of_day / 1000 % 60, ms_of_day % 1000);
    // Writing to a String cannot fail.
    let _ = if (0..=9999).contains(&year) {
        write!(out, "{year:04}")
    } else {
        write!(out, "{year:+}")
    };
    let _ = write!(
        out,
        "-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}.{milli:03}Z"
    );
}

/// The proleptic Gregorian date `days` after 1970-01-01, by counting 400-year eras of
/// 146 097 days from 0000-03-01 (so the leap day falls at the end of each counted year).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let shifted = days + 719_468; // days from 0000-03-01 to 1970-01-01
    let era = shifted.div_euclid(146_097);
    let day_of_era = shifted.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * month_from_march + 2) / 5 + 1) as u32;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_instants() {
        assert_eq!(rfc3339_ms(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(rfc3339_ms(1_750_500_000_123), "2025-06-21T10:00:00.123Z");
        assert_eq!(rfc3339_ms(951_782_400_000), "2000-02-29T00:00:00.000Z");
        assert_eq!(rfc3339_ms(4_107_542_399_999), "2100-02-28T23:59:59.999Z");
        assert_eq!(rfc3339_ms(-1), "1969-12-31T23:59:59.999Z");
        assert_eq!(rfc3339_ms(-62_135_596_800_000), "0001-01-01T00:00:00.000Z");
        assert_eq!(rfc3339_ms(253_402_300_799_999), "9999-12-31T23:59:59.999Z");
        assert_eq!(
            rfc3339_ms(253_402_300_800_000),
            "+10000-01-01T00:00:00.000Z"
        );
    }

    #[test]
    fn every_day_over_centuries_follows_the_previous() {
        // Walk day by day across leap years and century rules; each date must be the
        // successor of the one before.
        let days_in = |y: i64, m: u32| match m {
            2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        let mut previous = civil_from_days(-200_000);
        for day in -199_999..200_000 {
            let (y, m, d) = civil_from_days(day);
            let (py, pm, pd) = previous;
            let expected = if pd < days_in(py, pm) {
                (py, pm, pd + 1)
            } else if pm < 12 {
                (py, pm + 1, 1)
            } else {
                (py + 1, 1, 1)
            };
            assert_eq!((y, m, d), expected, "day {day}");
            previous = (y, m, d);
        }
        assert_eq!(civil_from_days(0), (1970, 1, 1));
    }

    #[test]
    fn extreme_times_do_not_panic() {
        assert!(rfc3339_ms(i64::MIN).starts_with('-'));
        assert!(rfc3339_ms(i64::MAX).starts_with('+'));
    }
}

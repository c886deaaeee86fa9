//! CSV tables: one row per distinct time over all columns, one column per channel.
//!
//! RFC 4180: comma-separated, CRLF line ends, fields with a comma, quote or line break
//! quoted with quotes doubled. Times are RFC 3339 UTC with milliseconds; numbers use the
//! shortest text that reads back as the same `f64`; a column without a sample at a row's
//! time (or with a NaN there) has an empty cell.
//!
//! Text cells (the headers: device serials and the server's type names and units) can start
//! with `=`, `+`, `-`, `@`, tab or CR, which a spreadsheet would run as a formula (CSV
//! injection); such a cell is written with a leading `'`, as OWASP advises, so it opens as
//! text. Numbers are ours and written bare, so `-3.5` stays a number.

use crate::time::write_rfc3339_ms;
use std::borrow::Cow;
use std::fmt::Write;

/// Header of the first column.
pub const TIME_HEADER: &str = "time_utc";

/// One column of the table: a header with the unit (`AA-BT-0417 SOG (kn)`) and samples.
#[derive(Debug, Clone, PartialEq)]
pub struct CsvColumn<'a> {
    /// Column header, units included.
    pub header: String,
    /// Sample times (ms since the Unix epoch), ascending.
    pub t: Cow<'a, [i64]>,
    /// Values parallel to `t` (extra values on either side are ignored).
    pub v: Cow<'a, [f64]>,
}

/// Writes the table for `columns`.
pub fn write(columns: &[CsvColumn<'_>]) -> String {
    write_counted(columns).0
}

/// Writes the table for `columns` and returns it with its number of data rows (the header
/// row not counted).
pub fn write_counted(columns: &[CsvColumn<'_>]) -> (String, u64) {
    let samples: usize = columns.iter().map(|c| c.t.len()).sum();
    let mut out = String::with_capacity(64 + samples * 12 + samples / columns.len().max(1) * 26);
    text_cell_into(&mut out, TIME_HEADER);
    for column in columns {
        out.push(',');
        text_cell_into(&mut out, &column.header);
    }
    out.push_str("\r\n");

    let lengths: Vec<usize> = columns.iter().map(|c| c.t.len().min(c.v.len())).collect();
    let mut cursors = vec![0usize; columns.len()];
    let mut rows = 0u64;
    loop {
        let next = columns
            .iter()
            .zip(&cursors)
            .zip(&lengths)
            .filter(|((_, &at), &len)| at < len)
            .map(|((c, &at), _)| c.t[at])
            .min();
        let Some(time) = next else {
            break;
        };
        write_rfc3339_ms(&mut out, time);
        for ((column, cursor), &len) in columns.iter().zip(&mut cursors).zip(&lengths) {
            out.push(',');
            if *cursor < len && column.t[*cursor] == time {
                let value = column.v[*cursor];
                if value.is_finite() {
                    // Writing to a String cannot fail.
                    let _ = write!(out, "{value}");
                }
                // A repeated time in one column: the first sample stands.
                while *cursor < len && column.t[*cursor] == time {
                    *cursor += 1;
                }
            }
        }
        out.push_str("\r\n");
        rows += 1;
    }
    (out, rows)
}

/// First characters that make a spreadsheet read a cell as a formula (OWASP, CSV injection).
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Appends the text `field`: with a `'` before it when it starts like a formula, then quoted
/// when it holds a comma, quote or line break.
fn text_cell_into(out: &mut String, field: &str) {
    let guard = if field.starts_with(FORMULA_STARTS) {
        "'"
    } else {
        ""
    };
    if field.contains([',', '"', '\r', '\n']) {
        out.push('"');
        out.push_str(guard);
        out.push_str(&field.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(guard);
        out.push_str(field);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn column<'a>(header: &str, t: &'a [i64], v: &'a [f64]) -> CsvColumn<'a> {
        CsvColumn {
            header: header.into(),
            t: Cow::Borrowed(t),
            v: Cow::Borrowed(v),
        }
    }

    #[test]
    fn rows_are_the_union_of_times_with_empty_cells() {
        let sog = column(
            "AA-BT-0417 SOG (kn)",
            &[0, 1000, 2000],
            &[6.5, f64::NAN, 7.0],
        );
        let hdg = column("AA-BT-0417 HDG (deg)", &[1000, 1500], &[359.9, 0.1]);
        let (csv, rows) = write_counted(&[sog, hdg]);
        assert_eq!(rows, 4);
        assert_eq!(
            csv,
            "time_utc,AA-BT-0417 SOG (kn),AA-BT-0417 HDG (deg)\r\n\
             1970-01-01T00:00:00.000Z,6.5,\r\n\
             1970-01-01T00:00:01.000Z,,359.9\r\n\
             1970-01-01T00:00:01.500Z,,0.1\r\n\
             1970-01-01T00:00:02.000Z,7,\r\n"
        );
    }

    #[test]
    fn headers_are_quoted_and_numbers_round_trip() {
        let values = [0.1 + 0.2, -1e-7, 1e21, 54.123456789012345];
        let t = [1, 2, 3, 4];
        let csv = write(&[column("Tern, \"fast\" (m/s²)", &t, &values)]);
        let mut lines = csv.split("\r\n");
        assert_eq!(lines.next(), Some("time_utc,\"Tern, \"\"fast\"\" (m/s²)\""));
        for (line, value) in lines.zip(values) {
            let cell = line.split(',').nth(1).expect("a value cell");
            assert_eq!(cell.parse::<f64>(), Ok(value), "{cell}");
            assert!(!cell.contains('e'), "{cell}");
        }
    }

    /// The header row of a one-column table with header `header`.
    fn header_row(header: &str) -> String {
        let csv = write(&[column(header, &[], &[])]);
        let row = csv.strip_suffix("\r\n").expect("one CRLF-ended row");
        row.strip_prefix("time_utc,")
            .expect("the time header")
            .to_string()
    }

    #[test]
    fn text_starting_like_a_formula_gets_a_quote_prefix() {
        assert_eq!(header_row("=1+2"), "'=1+2");
        assert_eq!(header_row("+1"), "'+1");
        assert_eq!(header_row("-1+2"), "'-1+2");
        assert_eq!(header_row("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(header_row("\t=1"), "'\t=1");
        // CR also needs quotes; the prefix goes inside them.
        assert_eq!(header_row("\r=1"), "\"'\r=1\"");
        assert_eq!(
            header_row("=HYPERLINK(\"http://x\",\"y\")"),
            "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""
        );
        assert_eq!(header_row("-2, SOG\n(kn)"), "\"'-2, SOG\n(kn)\"");
    }

    #[test]
    fn ordinary_text_and_negative_numbers_are_unchanged() {
        for text in [
            "AA-BT-0417 SOG (kn)",
            "Tern's =boat",
            "a@b",
            "",
            "'=already",
        ] {
            assert_eq!(header_row(text), text);
        }
        // Only a leading line feed is not a formula start; it is quoted as before.
        assert_eq!(header_row("\n=1"), "\"\n=1\"");
        let csv = write(&[column("-", &[0, 1], &[-3.5, -0.25])]);
        assert_eq!(
            csv,
            "time_utc,'-\r\n\
             1970-01-01T00:00:00.000Z,-3.5\r\n\
             1970-01-01T00:00:00.001Z,-0.25\r\n"
        );
    }

    #[test]
    fn repeated_times_and_short_value_columns_are_tolerated() {
        let csv = write(&[column("a", &[5, 5, 6, 7], &[1.0, 2.0, 3.0])]);
        assert_eq!(
            csv,
            "time_utc,a\r\n1970-01-01T00:00:00.005Z,1\r\n1970-01-01T00:00:00.006Z,3\r\n"
        );
        assert_eq!(write(&[]), "time_utc\r\n");
    }
}

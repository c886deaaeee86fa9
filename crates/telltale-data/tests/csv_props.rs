//! Property tests of the CSV writer against CSV injection: whatever text the server sends
//! for a header, the file read back by a strict RFC 4180 reader has every text cell either
//! as sent or, when it starts like a formula, as sent behind a `'`, so none starts with a
//! formula character; and every number, negative ones included, reads back bare as written.

use proptest::prelude::*;
use std::borrow::Cow;
use std::collections::BTreeSet;
use telltale_data::export::csv::{write_counted, CsvColumn, TIME_HEADER};
use telltale_data::time::rfc3339_ms;

/// What makes a spreadsheet run a cell (OWASP), listed here apart from the writer's own.
const DANGEROUS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 300,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Reads `text` as RFC 4180 with CRLF line ends, refusing anything loose: a quote inside an
/// unquoted field, text after a closing quote, a bare CR or LF, a missing final CRLF.
fn read(text: &str) -> Result<Vec<Vec<String>>, String> {
    let (mut records, mut record, mut field) = (Vec::new(), Vec::new(), String::new());
    let (mut in_quotes, mut closed) = (false, false);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if in_quotes {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => (in_quotes, closed) = (false, true),
                c => field.push(c),
            }
            continue;
        }
        match c {
            '"' if field.is_empty() && !closed => in_quotes = true,
            ',' => {
                record.push(std::mem::take(&mut field));
                closed = false;
            }
            '\r' if chars.next() == Some('\n') => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
                closed = false;
            }
            c if closed || matches!(c, '"' | '\r' | '\n') => {
                return Err(format!("loose {c:?} after {field:?} in {text:?}"));
            }
            c => field.push(c),
        }
    }
    if in_quotes || !field.is_empty() || !record.is_empty() {
        return Err(format!("an unfinished record in {text:?}"));
    }
    Ok(records)
}

/// Header text: anything, often starting with a formula character or holding the
/// characters that need quotes.
fn header() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[=+@\t\r\n\"',-]{0,3}[ -~\t\r\n]{0,12}",
        (
            proptest::sample::select(DANGEROUS.to_vec()),
            any::<String>()
        )
            .prop_map(|(first, rest)| format!("{first}{rest}")),
    ]
}

/// A column: a header and up to 20 samples at distinct ascending times, values of either
/// sign or gaps (NaN).
fn column() -> impl Strategy<Value = (String, Vec<i64>, Vec<f64>)> {
    let value = prop_oneof![4 => -1.0e9f64..1.0e9, 1 => Just(f64::NAN)];
    (
        header(),
        proptest::collection::btree_set(0i64..4_102_444_800_000, 0..20),
    )
        .prop_flat_map(move |(header, times)| {
            let len = times.len();
            proptest::collection::vec(value.clone(), len)
                .prop_map(move |values| (header.clone(), times.iter().copied().collect(), values))
        })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn text_cells_never_start_like_a_formula(
        spec in proptest::collection::vec(column(), 0..4),
    ) {
        let columns: Vec<CsvColumn<'_>> = spec
            .iter()
            .map(|(header, t, v)| CsvColumn {
                header: header.clone(),
                t: Cow::Borrowed(t),
                v: Cow::Borrowed(v),
            })
            .collect();
        let (text, rows) = write_counted(&columns);
        let records = read(&text).map_err(TestCaseError::fail)?;
        prop_assert_eq!(records.len() as u64, rows + 1);

        let (head, body) = records.split_first().expect("a header row");
        prop_assert_eq!(head.len(), spec.len() + 1);
        prop_assert_eq!(head[0].as_str(), TIME_HEADER);
        for (cell, (sent, _, _)) in head[1..].iter().zip(&spec) {
            prop_assert!(!cell.starts_with(DANGEROUS), "{:?}", cell);
            if sent.starts_with(DANGEROUS) {
                prop_assert_eq!(cell, &format!("'{sent}"));
            } else {
                prop_assert_eq!(cell, sent);
            }
        }

        // One row per distinct time; each filled cell is that time's value, negative ones bare.
        let times: BTreeSet<i64> = spec.iter().flat_map(|(_, t, _)| t.iter().copied()).collect();
        prop_assert_eq!(body.len(), times.len());
        for (record, &time) in body.iter().zip(&times) {
            prop_assert_eq!(record.len(), spec.len() + 1);
            prop_assert_eq!(&record[0], &rfc3339_ms(time));
            for (cell, (_, t, v)) in record[1..].iter().zip(&spec) {
                match t.iter().position(|&x| x == time).map(|i| v[i]) {
                    Some(value) if value.is_finite() => {
                        prop_assert_eq!(cell.parse::<f64>(), Ok(value), "{:?}", cell);
                    }
                    _ => prop_assert_eq!(cell.as_str(), ""),
                }
            }
        }
    }
}

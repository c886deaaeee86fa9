use super::*;

fn ok(text: &str) -> Dataset {
    decode(text.as_bytes()).unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn block<'d>(data: &'d Dataset, serial: &str, key: &str) -> &'d Block {
    let key: TypeKey = key.parse().expect("key");
    data.devices
        .get(serial)
        .and_then(|d| d.channels.get(&key))
        .unwrap_or_else(|| panic!("no block {serial} {key}"))
}

fn malformed_at(text: &[u8]) -> (usize, String) {
    match decode(text) {
        Err(DecodeError::Malformed { offset, detail }) => (offset, detail),
        other => panic!(
            "{:?}: expected Malformed, got {other:?}",
            String::from_utf8_lossy(text)
        ),
    }
}

fn same(a: &[f64], b: &[f64]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.to_bits() == y.to_bits())
}

#[test]
fn decodes_a_realistic_payload_with_float_times_and_dsi_keys() {
    let data = ok(r#"{
        "AA-BT-0417": {
            "1": {"t": [1750500000000.0, 1750500001000.0], "1": [-122.41, -122.4101], "2": [37.8, 37.8002]},
            "9": {"t": [1750500000000, 1750500001000], "1": [6.25, 6.5]},
            "13:100": {"t": [1750500000500.75], "1": [12.0], "2": [3], "3": [142]}
        },
        "AA-BT-0420": {}
    }"#);
    let position = block(&data, "AA-BT-0417", "1");
    assert_eq!(position.t, vec![1_750_500_000_000, 1_750_500_001_000]);
    assert_eq!(
        position.fields,
        vec![vec![-122.41, -122.4101], vec![37.8, 37.8002]]
    );
    let hr = block(&data, "AA-BT-0417", "13:100");
    assert_eq!(hr.t, vec![1_750_500_000_500]);
    assert_eq!(hr.fields, vec![vec![12.0], vec![3.0], vec![142.0]]);
    assert_eq!(block(&data, "AA-BT-0417", "9").fields[0], vec![6.25, 6.5]);
    assert!(data.devices["AA-BT-0420"].channels.is_empty());
    assert_eq!(data.sample_count(), 5);
}

#[test]
fn t_may_follow_the_columns_and_odd_values_become_nan_or_numbers() {
    let data = ok(
        r#"{"S":{"9":{"1":[1.5,null,"x",true,false,{"a":[1]},[2],-0.0,1e2],"t":[1,2,3,4,5,6,7,8,9]}}}"#,
    );
    let b = block(&data, "S", "9");
    assert_eq!(b.t, (1..=9).collect::<Vec<i64>>());
    let nan = f64::NAN;
    assert!(same(
        &b.fields[0],
        &[1.5, nan, nan, 1.0, 0.0, nan, nan, -0.0, 100.0]
    ));
}

#[test]
fn a_missing_middle_column_is_nan_and_lengths_follow_t() {
    let data = ok(r#"{"S":{"17":{"t":[1,2,3],"1":[1,2,3,4,5],"3":[7],"4":[]}}}"#);
    let b = block(&data, "S", "17");
    let nan = f64::NAN;
    assert_eq!(b.fields.len(), 4);
    assert!(same(&b.fields[0], &[1.0, 2.0, 3.0]));
    assert!(same(&b.fields[1], &[nan, nan, nan]));
    assert!(same(&b.fields[2], &[7.0, nan, nan]));
    assert!(same(&b.fields[3], &[nan, nan, nan]));
}

#[test]
fn unsorted_and_repeated_times_are_ordered_keeping_the_first() {
    let data = ok(r#"{"S":{"9":{"t":[3000,1000,2000,1000.9,3000],"1":[3,1,2,99,98]}}}"#);
    let b = block(&data, "S", "9");
    assert_eq!(b.t, vec![1000, 2000, 3000]);
    assert_eq!(b.fields[0], vec![1.0, 2.0, 3.0]);
}

#[test]
fn times_floor_to_whole_milliseconds() {
    let data = ok(r#"{"S":{"9":{"t":[-1.5,-1,0.999,1e3,12.5E1,1750500000000.0000001],"1":[]}}}"#);
    assert_eq!(
        block(&data, "S", "9").t,
        vec![-2, -1, 0, 125, 1000, 1_750_500_000_000]
    );
}

#[test]
fn unknown_block_keys_are_skipped_and_escaped_keys_read() {
    let data = ok(
        r#"{"A\u002dB\"\n":{"9":{"meta":{"x":[1,{"y":"}"}]},"0":[5],"01":[6],"t":[1],"1":[2],"unit":"kn"}}}"#,
    );
    let b = block(&data, "A-B\"\n", "9");
    assert_eq!(b.fields, vec![vec![2.0]]);
}

#[test]
fn numbers_parse_exactly() {
    let cases = [
        "0.1",
        "-122.41234567891234",
        "37.80000000000001",
        "1.7976931348623157e308",
        "5e-324",
        "123456789012345678901234567890",
        "0.30000000000000004",
        "2.2250738585072014E-308",
        "9007199254740993",
    ];
    let text = format!(
        "{{\"S\":{{\"9\":{{\"t\":[{}],\"1\":[{}]}}}}}}",
        {
            (0..cases.len())
                .map(|i| i.to_string())
                .collect::<Vec<_>>()
                .join(",")
        },
        cases.join(",")
    );
    let data = ok(&text);
    let got = &block(&data, "S", "9").fields[0];
    for (case, value) in cases.iter().zip(got) {
        assert_eq!(*value, case.parse::<f64>().expect("std parse"), "{case}");
    }
}

#[test]
fn huge_numbers_in_values_become_nan_and_in_times_are_refused() {
    let data = ok(r#"{"S":{"9":{"t":[1],"1":[1e400]}}}"#);
    assert!(block(&data, "S", "9").fields[0][0].is_nan());
    let (offset, detail) = malformed_at(br#"{"S":{"9":{"t":[1e300]}}}"#);
    assert_eq!((offset, detail.as_str()), (16, "time out of range"));
}

#[test]
fn server_errors_are_reported_as_such() {
    assert_eq!(
        decode(br#"{"error":"bad_request","reason":"Time span too long"}"#),
        Err(DecodeError::Server {
            error: "bad_request".into(),
            reason: "Time span too long".into()
        })
    );
    assert_eq!(
        decode(br#" {"reason":"r", "error":"e"} "#),
        Err(DecodeError::Server {
            error: "e".into(),
            reason: "r".into()
        })
    );
    let message = decode(br#"{"error":"invalid_token"}"#)
        .unwrap_err()
        .to_string();
    assert!(message.contains("invalid_token"), "{message}");
}

#[test]
fn empty_object_is_an_empty_dataset() {
    assert_eq!(ok(" {} \n"), Dataset::default());
    assert_eq!(ok("\u{feff}{}"), Dataset::default());
}

#[test]
fn malformed_bodies_say_where() {
    let cases: &[(&[u8], usize, &str)] = &[
        (b"", 0, "empty body"),
        (b"[]", 0, "expected '{' opening the data object"),
        (
            b"{\"S\":{\"9\":{\"t\":[1,2],\"1\":[1 2]}}}",
            28,
            "expected ',' or ']'",
        ),
        (b"{\"S\":{\"x9\":{}}}", 6, "not a data type key"),
        (b"{\"S\":{\"9\":{\"1\":[1]}}}", 10, "no \"t\""),
        (b"{\"S\":{\"9\":{\"t\":[null]}}}", 16, "expected a time"),
        (b"{\"S\":{\"9\":{\"t\":[1],\"t\":[2]}}}", 19, "twice"),
        (b"{\"S\":{\"9\":{\"t\":[01]}}}", 16, "leading zero"),
        (
            b"{\"S\":{\"9\":{\"t\":[1.]}}}",
            18,
            "digit after the decimal point",
        ),
        (b"{\"S\":3}", 5, "not an object of channels"),
        (b"{} x", 3, "expected the end of the body"),
        (
            b"{\"S\":{\"9\":{\"t\":[1],\"1\":[nul]}}}",
            24,
            "expected a JSON value",
        ),
        (b"{\"S\xff\":{}}", 3, "invalid UTF-8"),
        (b"{\"S\":{\"9\":{\"t\":[1],\"99\":[]}}}", 19, "beyond"),
    ];
    for (text, offset, detail) in cases {
        let (got_offset, got_detail) = malformed_at(text);
        assert!(
            got_detail.contains(detail) && got_offset == *offset,
            "{:?}: got {got_offset} {got_detail:?}",
            String::from_utf8_lossy(text)
        );
    }
}

#[test]
fn deep_nesting_in_skipped_values_is_refused_not_overflowed() {
    let mut text = String::from(r#"{"S":{"9":{"t":[1],"x":"#);
    text.push_str(&"[".repeat(100_000));
    let (_, detail) = malformed_at(text.as_bytes());
    assert!(detail.contains("nested too deeply"), "{detail}");
}

const SAMPLE: &str = r#"{"AA-BT-0417":{"1":{"t":[1750500000000.0,1750500001000.0],"1":[-122.41,-122.4101],"2":[37.8,37.8002]},"13:100":{"2":[3,null],"t":[1750500000500,1750500001500],"1":[12.5e0,"x"],"note":{"a":[true,false]}}},"B\u00e9":{"9":{"t":[1],"1":[-0.5]}}}"#;

#[test]
fn every_prefix_of_a_sample_is_an_error_not_a_panic() {
    assert!(decode(SAMPLE.as_bytes()).is_ok());
    let bytes = SAMPLE.as_bytes();
    for cut in 0..bytes.len() {
        match decode(&bytes[..cut]) {
            Err(DecodeError::Malformed { offset, .. }) => assert!(offset <= cut, "prefix {cut}"),
            other => panic!("prefix {cut}: {other:?}"),
        }
    }
}

#[test]
fn corrupted_bytes_never_panic() {
    let bytes = SAMPLE.as_bytes();
    let replacements = [
        b'"', b'\\', b'[', b']', b'{', b'}', b',', b':', b'-', b'e', b'9', 0xff, 0,
    ];
    for at in 0..bytes.len() {
        for &r in &replacements {
            let mut copy = bytes.to_vec();
            copy[at] = r;
            let _ = decode(&copy);
            copy.remove(at);
            let _ = decode(&copy);
        }
    }
}

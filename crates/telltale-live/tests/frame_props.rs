//! Property tests of the two frame readers on arbitrary input, on valid frames, and on
//! valid frames mutated (bytes flipped, cut, inserted, deleted): never a panic; what is
//! read is well-formed (columns as long as the times, times strictly ascending, only the
//! frame's device); errors are short sentences that do not echo the frame.

use proptest::prelude::*;
use riot_proto::data_msg::Source;
use riot_proto::data_point::Point;
use riot_proto::{msg, Data, DataMsg, DataPoint, GnssPosition, Message, Msg, SpeedOverGround};
use telltale_data::{Dataset, TypeKey};
use telltale_live::frame::{read_json_frame, read_riot_frame, FrameError, JsonFrame, RiotFrame};

fn well_formed(data: &Dataset) {
    for (_, _, block) in data.blocks() {
        for column in &block.fields {
            assert_eq!(column.len(), block.t.len());
        }
        assert!(block.t.windows(2).all(|w| w[0] < w[1]));
    }
}

fn clear(error: &FrameError) {
    let text = error.to_string();
    assert!(!text.is_empty() && text.len() < 400, "{text}");
}

fn check_json(text: &str) {
    match read_json_frame(text) {
        Ok(JsonFrame::Samples(data)) => well_formed(&data),
        Ok(_) => {}
        Err(e) => clear(&e),
    }
}

fn check_riot(bytes: &[u8]) {
    match read_riot_frame(bytes) {
        Ok(RiotFrame::Data { serial, data }) => {
            assert!(!serial.is_empty());
            assert!(data.devices.keys().all(|s| *s == serial));
            well_formed(&data);
        }
        Ok(_) => {}
        Err(e) => clear(&e),
    }
}

/// A JSON data frame of one device: SOG at the given times (any order, repeats allowed).
fn json_frame(serial: &str, times: &[u32]) -> String {
    let t: Vec<String> = times.iter().map(|t| t.to_string()).collect();
    let v: Vec<String> = times.iter().map(|t| format!("{}.5", t % 40)).collect();
    format!(
        r#"[{{"{serial}":{{"9":{{"t":[{}],"1":[{}]}},"1":{{"t":[{}],"1":[10.5],"2":[54.3]}}}}}}]"#,
        t.join(","),
        v.join(","),
        t.first().map_or(String::new(), |t| t.to_string()),
    )
}

fn riot_frame(serial: &str, times: &[u32]) -> Vec<u8> {
    let mut points: Vec<DataPoint> = times
        .iter()
        .map(|&t| DataPoint {
            source_id: 0,
            point: Some(Point::Sog(SpeedOverGround {
                timestamp: u64::from(t) + 1,
                value: f64::from(t % 40),
            })),
        })
        .collect();
    points.push(DataPoint {
        source_id: 2,
        point: Some(Point::Pos(GnssPosition {
            timestamp: 5,
            latitude: 54.3,
            longitude: 10.1,
            altitude: 2.0,
            fields: 7,
        })),
    });
    Msg {
        msg: Some(msg::Msg::Data(Data {
            data: vec![DataMsg {
                data: points,
                source: Some(Source::SerialNumber(serial.into())),
                ..Default::default()
            }],
        })),
    }
    .encode_to_vec()
}

/// One mutation of a byte string.
#[derive(Debug, Clone)]
enum Mutation {
    Flip(usize, u8),
    Cut(usize),
    Insert(usize, u8),
    Delete(usize, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(at, b)| Mutation::Flip(at, b)),
        any::<usize>().prop_map(Mutation::Cut),
        (any::<usize>(), any::<u8>()).prop_map(|(at, b)| Mutation::Insert(at, b)),
        (any::<usize>(), 1usize..16).prop_map(|(at, n)| Mutation::Delete(at, n)),
    ]
}

fn mutate(mut bytes: Vec<u8>, mutations: &[Mutation]) -> Vec<u8> {
    for m in mutations {
        let len = bytes.len().max(1);
        match *m {
            Mutation::Flip(at, b) if !bytes.is_empty() => bytes[at % len] ^= b | 1,
            Mutation::Cut(at) => bytes.truncate(at % len),
            Mutation::Insert(at, b) => bytes.insert(at % (bytes.len() + 1), b),
            Mutation::Delete(at, n) if !bytes.is_empty() => {
                let start = at % len;
                let end = (start + n).min(bytes.len());
                bytes.drain(start..end);
            }
            _ => {}
        }
    }
    bytes
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn json_reader_survives_any_text(text in any::<String>()) {
        check_json(&text);
    }

    #[test]
    fn json_reader_survives_json_like_text(text in r#"[\[\]{}":,0-9tA-Z. -]{0,120}"#) {
        check_json(&text);
    }

    #[test]
    fn json_reader_reads_valid_frames_exactly(times in prop::collection::vec(0u32..100_000, 1..40)) {
        let Ok(JsonFrame::Samples(data)) = read_json_frame(&json_frame("AA-1", &times)) else {
            panic!("a valid frame reads");
        };
        well_formed(&data);
        let sog = data.block("AA-1", TypeKey::new(9)).expect("SOG");
        let mut expected: Vec<i64> = Vec::new();
        for &t in &times {
            if !expected.contains(&i64::from(t)) {
                expected.push(i64::from(t));
            }
        }
        expected.sort_unstable();
        prop_assert_eq!(&sog.t, &expected);
        for (t, v) in sog.t.iter().zip(&sog.fields[0]) {
            prop_assert_eq!(*v, (t % 40) as f64 + 0.5);
        }
    }

    #[test]
    fn json_reader_survives_mutated_frames(
        times in prop::collection::vec(0u32..100_000, 0..20),
        mutations in prop::collection::vec(mutation(), 1..6),
    ) {
        let bytes = mutate(json_frame("AA-1", &times).into_bytes(), &mutations);
        check_json(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn riot_reader_survives_any_bytes(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        check_riot(&bytes);
    }

    #[test]
    fn riot_reader_reads_valid_frames(times in prop::collection::vec(0u32..100_000, 0..40)) {
        let Ok(RiotFrame::Data { serial, data }) = read_riot_frame(&riot_frame("AA-1", &times)) else {
            panic!("a valid frame reads");
        };
        prop_assert_eq!(serial.as_str(), "AA-1");
        well_formed(&data);
        let distinct: std::collections::BTreeSet<u32> = times.iter().copied().collect();
        let sog = data.block("AA-1", TypeKey::new(9)).map_or(0, |b| b.len());
        prop_assert_eq!(sog, distinct.len());
        prop_assert!(data.block("AA-1", TypeKey::with_dsi(1, 2)).is_some(), "the position");
    }

    #[test]
    fn riot_reader_survives_mutated_frames(
        times in prop::collection::vec(0u32..100_000, 0..20),
        mutations in prop::collection::vec(mutation(), 1..6),
    ) {
        check_riot(&mutate(riot_frame("AA-1", &times), &mutations));
    }
}

#[test]
fn errors_never_echo_a_long_frame() {
    let secretish = format!("x{}", "s3cret".repeat(50));
    let err = read_json_frame(&secretish).expect_err("not a frame");
    assert!(!err.to_string().contains(&"s3cret".repeat(3)), "{err}");
}

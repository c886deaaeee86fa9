use super::*;
use riot_proto::data_point::Point;
use riot_proto::{
    ChannelManagement, Data, DataMsg, DataPoint, ServerDisconnecting, SpeedOverGround,
};
use telltale_data::TypeKey;

pub(crate) fn riot_sog(serial: &str, points: &[(u64, f64)]) -> Vec<u8> {
    let part = DataMsg {
        data: points
            .iter()
            .map(|&(timestamp, value)| DataPoint {
                source_id: 0,
                point: Some(Point::Sog(SpeedOverGround { timestamp, value })),
            })
            .collect(),
        source: Some(Source::SerialNumber(serial.into())),
        ..Default::default()
    };
    Msg {
        msg: Some(msg::Msg::Data(Data { data: vec![part] })),
    }
    .encode_to_vec()
}

#[test]
fn json_time_heartbeat_and_data() {
    assert_eq!(read_json_frame("1"), Ok(JsonFrame::Heartbeat));
    assert_eq!(read_json_frame(" 1\n"), Ok(JsonFrame::Heartbeat));
    assert_eq!(
        read_json_frame("1750500000000"),
        Ok(JsonFrame::Time(1_750_500_000_000))
    );
    assert_eq!(
        read_json_frame("1384941923580.7"),
        Ok(JsonFrame::Time(1_384_941_923_580))
    );
    let text = r#"[{"AA-1":{"9":{"t":[1000,2000],"1":[5.5,6.5]}}},{"AA-2":{"13:100":{"t":[1500],"1":[80],"2":[1]}}}]"#;
    let Ok(JsonFrame::Samples(data)) = read_json_frame(text) else {
        panic!("data expected");
    };
    let sog = data.block("AA-1", TypeKey::new(9)).expect("AA-1 SOG");
    assert_eq!(sog.t, vec![1000, 2000]);
    assert_eq!(sog.fields, vec![vec![5.5, 6.5]]);
    let hr = data.block("AA-2", TypeKey::with_dsi(13, 100)).expect("HR");
    assert_eq!(hr.fields, vec![vec![80.0], vec![1.0]]);
    assert_eq!(
        read_json_frame("[]"),
        Ok(JsonFrame::Samples(Dataset::default()))
    );
    assert!(matches!(
        read_json_frame(r#"{"AA-1":{"9":{"t":[1],"1":[2]}}}"#),
        Ok(JsonFrame::Samples(_))
    ));
}

#[test]
fn json_objects_of_one_device_in_one_frame_join_in_time_order() {
    let text = r#"[{"A":{"9":{"t":[1,2],"1":[1,2]}}},{"A":{"9":{"t":[2,3],"1":[9,3]}}}]"#;
    let Ok(JsonFrame::Samples(data)) = read_json_frame(text) else {
        panic!("data expected");
    };
    let sog = data.block("A", TypeKey::new(9)).expect("SOG");
    assert_eq!(sog.t, vec![1, 2, 3]);
    assert_eq!(sog.fields, vec![vec![1.0, 2.0, 3.0]]);
}

#[test]
fn json_errors_are_clear() {
    let cases: &[(&str, &str)] = &[
        ("", "an empty frame"),
        ("hello", "neither the time"),
        ("12x", "not a whole number"),
        ("-", "not a whole number"),
        ("1e400", "not a whole number"),
        ("[", "not closed"),
        ("[{}] x", "text after"),
        ("[1]", "not an object"),
        ("[{},]", "empty element"),
        ("[,{}]", "empty element"),
        (r#"[{"A":{"9":{"t":[1],"1":[1]}}]"#, "cannot be read"),
        (r#"{"error":"bad token"}"#, "the server sent an error"),
        ("{", "cannot be read"),
        ("[}]", "unmatched"),
    ];
    for (text, words) in cases {
        let err = read_json_frame(text).expect_err(text);
        assert!(err.to_string().contains(words), "{text:?}: {err}");
    }
    let big = format!("[{}]", " ".repeat(MAX_FRAME_BYTES));
    assert!(matches!(
        read_json_frame(&big),
        Err(FrameError::TooLarge(_))
    ));
}

#[test]
fn riot_data_heartbeat_disconnect_and_other() {
    let bytes = riot_sog("AA-1", &[(1000, 18.52), (2000, 3.704)]);
    let Ok(RiotFrame::Data { serial, data }) = read_riot_frame(&bytes) else {
        panic!("data expected");
    };
    assert_eq!(serial, "AA-1");
    let sog = data.block("AA-1", TypeKey::new(9)).expect("SOG");
    assert_eq!(sog.t, vec![1000, 2000]);
    assert!((sog.fields[0][0] - 10.0).abs() < 1e-9, "km/h became knots");

    let heartbeat = Msg {
        msg: Some(msg::Msg::ChannelManagement(ChannelManagement {
            management: Some(Management::Heartbeat(7)),
        })),
    };
    assert_eq!(
        read_riot_frame(&heartbeat.encode_to_vec()),
        Ok(RiotFrame::Heartbeat(7))
    );
    let bye = Msg {
        msg: Some(msg::Msg::ChannelManagement(ChannelManagement {
            management: Some(Management::Disconnect(ServerDisconnecting {
                code: 401,
                reason: "token\nrevoked".into(),
                ..Default::default()
            })),
        })),
    };
    assert_eq!(
        read_riot_frame(&bye.encode_to_vec()),
        Ok(RiotFrame::Disconnect {
            code: 401,
            reason: "token revoked".into()
        })
    );
    let nothing = Msg { msg: None }.encode_to_vec();
    assert!(nothing.is_empty(), "an empty Msg encodes to no bytes");
    let ack = Msg {
        msg: Some(msg::Msg::AckResponse(Default::default())),
    };
    assert_eq!(read_riot_frame(&ack.encode_to_vec()), Ok(RiotFrame::Other));
}

#[test]
fn riot_errors_are_clear() {
    assert_eq!(read_riot_frame(&[]), Err(FrameError::Empty));
    let err = read_riot_frame(&[0x12, 0x40, 1]).expect_err("truncated");
    assert!(err.to_string().contains("cannot be read"), "{err}");
    let err = read_riot_frame(b"\xff\xff\xff").expect_err("junk");
    assert!(matches!(err, FrameError::Riot(_)), "{err}");

    let two = {
        let mut a = Msg::decode(riot_sog("A", &[(1, 1.0)]).as_slice()).unwrap();
        let b = Msg::decode(riot_sog("B", &[(2, 1.0)]).as_slice()).unwrap();
        if let (Some(msg::Msg::Data(a)), Some(msg::Msg::Data(b))) = (&mut a.msg, b.msg) {
            a.data.extend(b.data);
        }
        a.encode_to_vec()
    };
    assert_eq!(read_riot_frame(&two), Err(FrameError::SeveralDevices));

    let mut anonymous = Msg::decode(riot_sog("A", &[(1, 1.0)]).as_slice()).unwrap();
    if let Some(msg::Msg::Data(d)) = &mut anonymous.msg {
        d.data[0].source = None;
    }
    assert_eq!(
        read_riot_frame(&anonymous.encode_to_vec()),
        Err(FrameError::NoDevice)
    );
    let mut session = anonymous.clone();
    if let Some(msg::Msg::Data(d)) = &mut session.msg {
        d.data[0].source = Some(Source::SessionId(4));
    }
    assert!(read_riot_frame(&session.encode_to_vec())
        .expect_err("a session's data")
        .to_string()
        .contains("session 4"));
    let big = riot_sog("A", &vec![(1, 1.0); 30_000]);
    assert!(matches!(
        read_riot_frame(&big),
        Err(FrameError::TooLarge(_))
    ));
}

#[test]
fn server_text_is_cleaned_and_cut() {
    assert_eq!(clean_text(" a\r\nb\t"), "a  b");
    let long = "x".repeat(500);
    assert_eq!(clean_text(&long).chars().count(), MAX_REASON_BYTES + 1);
    // Two-byte characters: cut by bytes, on a character boundary.
    let wide = "\u{0471}".repeat(500);
    assert!(clean_text(&wide).len() <= MAX_REASON_BYTES + '…'.len_utf8());
}

/// Found by the `live_frame` fuzz target: a device key of many two-byte characters made the
/// decoder's error, quoted into the note, over 400 bytes.
#[test]
fn a_frame_of_wide_characters_gets_a_short_error() {
    let frame = String::from_utf8_lossy(include_bytes!("../tests/data/long-key-frame.bin"));
    let error = read_json_frame(&frame).expect_err("not data");
    let words = error.to_string();
    assert!(words.len() < 300, "{} bytes: {words}", words.len());
}

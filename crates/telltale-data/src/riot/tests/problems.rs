//! What is skipped and counted, what is one message's problem, and what fails a body as a
//! whole.

use super::*;

#[test]
fn untimed_points_and_messages_without_data_are_skipped_and_counted() {
    use riot_proto::Text;
    let heartbeat = Msg {
        msg: Some(msg::Msg::ChannelManagement(ChannelManagement {
            management: Some(channel_management::Management::Heartbeat(7)),
        })),
    };
    let got = one_device(&[
        data(
            Some(SERIAL),
            vec![
                sog(0, 5.0),
                sog(1000, 5.0),
                point(Point::Txt(Text {
                    timestamp: 1000,
                    value: "hello".into(),
                })),
                DataPoint {
                    source_id: 3,
                    point: None,
                },
            ],
        ),
        heartbeat,
        data(Some(SERIAL), vec![]),
        Msg::default(),
    ]);
    assert!(got.problems.is_empty());
    assert_eq!(
        got.skipped,
        Skipped {
            untimed_points: 1,
            other_points: 2,
            other_messages: 3
        }
    );
    assert_eq!(got.skipped.total(), 6);
    assert_eq!(
        got.skipped.to_string(),
        "1 point without a time, 2 points that are not series, 3 messages without data"
    );
    assert_eq!(Skipped::default().to_string(), "nothing");
    assert_eq!(got.dataset.sample_count(), 1);
}

#[test]
fn a_bad_message_is_dropped_and_reported_the_rest_kept() {
    let good = data(Some(SERIAL), vec![hdg(1000, 1.0)]);
    let later = data(Some(SERIAL), vec![hdg(2000, 2.0)]);
    let bytes = good.encode_to_vec();
    let other = "AA-BT-0999";
    let mut list = texts(std::slice::from_ref(&good));
    list.push(b64(&bytes[..bytes.len() - 3])); // 1: truncated
    list.push("not*base64".into()); // 2
    list.push(b64(&data(Some(other), vec![hdg(5000, 5.0)]).encode_to_vec())); // 3
    let session = Msg {
        msg: Some(msg::Msg::Data(Data {
            data: vec![DataMsg {
                data: vec![hdg(6000, 6.0)],
                source: Some(Source::SessionId(42)),
                type_of_service: 3,
                stream_id: 0,
            }],
        })),
    };
    list.push(b64(&session.encode_to_vec())); // 4
    list.push(b64(
        &data(None, vec![hdg(7000, 7.0), hdg(u64::MAX, 8.0)]).encode_to_vec()
    )); // 5
    list.extend(texts(&[later]));
    let got = decode_answer(&body(&[
        (SERIAL, list),
        (other, texts(&[data(Some(other), vec![sog(1000, 1.852)])])),
    ]))
    .unwrap();
    let texts: Vec<String> = got.problems.iter().map(ToString::to_string).collect();
    assert_eq!(
        texts,
        [
            "device AA-BT-0417, message 1: not a protobuf Msg (truncated)",
            "device AA-BT-0417, message 2: not base64 ('*' at 3 is not a base64 character here)",
            "device AA-BT-0417, message 3: a wrong serial: its data is of device \"AA-BT-0999\"",
            "device AA-BT-0417, message 4: its data is of session 42, not of a device",
            "device AA-BT-0417, message 5: a data point's time, 18446744073709551615 ms, is \
             beyond any date",
        ]
    );
    let kept = got.dataset.block(SERIAL, TypeKey::new(8)).unwrap();
    assert_eq!(
        kept.t,
        vec![1000, 2000],
        "only the good messages, none of message 5"
    );
    let theirs = got.dataset.block(other, TypeKey::new(9)).unwrap();
    assert!(close(theirs.fields[0][0], 1.0));
}

#[test]
fn base64_with_or_without_padding_and_escaped_slashes() {
    let msg = data(Some(SERIAL), vec![sog(1000, 1.852), hdg(1000, 90.0)]);
    let padded = b64(&msg.encode_to_vec());
    assert!(
        padded.ends_with('='),
        "a length that needs padding: {padded}"
    );
    let bare = padded.trim_end_matches('=').to_string();
    let got = one_device(&[]);
    assert!(got.dataset.devices[SERIAL].channels.is_empty());
    for text in [padded.clone(), bare] {
        let got = decode_answer(&body(&[(SERIAL, vec![text])])).unwrap();
        assert!(got.problems.is_empty(), "{:?}", got.problems);
        assert_eq!(got.dataset.sample_count(), 2);
    }
    // A server that escapes '/' (Java's JSON writers may): `\/` reads as `/`.
    let msg = data(Some(SERIAL), (0..60).map(|i| sog(1000 + i, 1.0)).collect());
    let text = b64(&msg.encode_to_vec());
    assert!(text.contains('/'), "{text}");
    let json = format!("{{\"{SERIAL}\":[\"{}\"]}}", text.replace('/', "\\/"));
    let got = decode_answer(json.as_bytes()).unwrap();
    assert!(got.problems.is_empty(), "{:?}", got.problems);
    assert_eq!(got.dataset.sample_count(), 60);
    // Whitespace, the URL-safe alphabet and stray bits are refused.
    for bad in [
        format!(" {padded}"),
        padded.replace('/', "_"),
        "QR==".to_string(),
    ] {
        let got = decode_answer(&body(&[(SERIAL, vec![bad.clone()])])).unwrap();
        assert_eq!(got.problems.len(), 1, "{bad}");
        assert!(
            got.problems[0].to_string().contains("not base64"),
            "{}",
            got.problems[0]
        );
    }
}

#[test]
fn a_body_not_of_the_shape_fails_as_a_whole() {
    let cases: [(&[u8], &str); 7] = [
        (b"", "empty body"),
        (b"[]", "invalid type: sequence"),
        (b"{\"A\": 5}", "expected a list of base64 messages"),
        (b"{\"A\": [5]}", "expected a base64 string"),
        (b"{\"A\": \"x\"}", "is a string, not a list"),
        (b"{\"A\": []", "EOF"),
        (b"{\"A\": []} x", "trailing characters"),
    ];
    for (body, expected) in cases {
        match decode_answer(body) {
            Err(DecodeError::Malformed { offset, detail }) => {
                assert!(detail.contains(expected), "{body:?}: {detail}");
                assert!(offset <= body.len(), "{body:?}: {offset}");
            }
            other => panic!("{body:?}: {other:?}"),
        }
    }
    let err = decode_answer(b"{\n  \"A\": [],\n  \"B\": 5\n}").unwrap_err();
    assert!(
        matches!(err, DecodeError::Malformed { offset: 20, .. }),
        "the byte offset of line 3's 5: {err:?}"
    );
    assert_eq!(
        decode_answer(br#"{"error":"unauthorized","reason":"no window"}"#),
        Err(DecodeError::Server {
            error: "unauthorized".into(),
            reason: "no window".into()
        })
    );
    let empty = decode_answer(b"\xEF\xBB\xBF {} ").unwrap();
    assert_eq!(empty, RiotDecoded::default());
}

#[test]
fn problems_beyond_the_listed_are_counted() {
    let list = vec!["%".to_string(); MAX_LISTED_PROBLEMS + 5];
    let got = decode_answer(&body(&[(SERIAL, list), ("B", vec!["%".into()])])).unwrap();
    assert_eq!(got.problems.len(), MAX_LISTED_PROBLEMS + 1);
    assert_eq!(got.unlisted_problems, 5);
    assert!(got.dataset.devices.contains_key(SERIAL) && got.dataset.devices.contains_key("B"));
}

#[test]
fn protobuf_problems_in_plain_words() {
    let words = |bytes: &[u8]| match decode_msg_into(&mut Dataset::default(), SERIAL, bytes) {
        Err(MsgProblem::NotProtobuf(words)) => words,
        other => panic!("{bytes:?}: {other:?}"),
    };
    // Msg.data (2) with a length prefix of 2^62: nothing is allocated.
    let mut huge = vec![0x12];
    prost::encoding::encode_varint(1 << 62, &mut huge);
    assert_eq!(words(&huge), "truncated");
    // Msg.data declared as a varint.
    assert_eq!(words(&[0x10, 0x01]), "a wrong wire type");
    // Deeply nested groups in an unknown field.
    let deep = vec![0x7b; 200]; // field 15, start group, 200 times
    assert_eq!(words(&deep), "nested too deeply");
    // An invalid UTF-8 serial number.
    let msg = data(Some("AA-\u{e9}"), vec![]);
    let mut bytes = msg.encode_to_vec();
    let at = bytes.iter().position(|&b| b == 0xc3).unwrap();
    bytes[at] = 0xff;
    assert_eq!(words(&bytes), "a text field is not UTF-8");
    assert_eq!(words(&[0x00]), "a broken field key");
    assert_eq!(words(&[0x12, 0x05, 0x0a]), "truncated");
    assert_eq!(
        words(&[0x78, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
        "a broken number (varint)"
    );
    // Unknown fields are ignored.
    let mut bytes = data(Some(SERIAL), vec![hdg(1000, 1.0)]).encode_to_vec();
    bytes.extend_from_slice(&[0xf8, 0x07, 0x05]); // field 127, varint 5
    let mut dataset = Dataset::default();
    decode_msg_into(&mut dataset, SERIAL, &bytes).unwrap();
    assert_eq!(dataset.sample_count(), 1);
}

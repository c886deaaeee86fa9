//! Family "riot benign oddity": benign oddities change nothing but the skip counts.

use crate::expect::{expected, holds};
use crate::generate::{b64, body, data_msg, data_point, ld, messages, raw, PointSpec, Raw};
use crate::{family, BYSTANDER, VICTIM};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use riot_proto::*;
use telltale_data::riot::decode_answer;

#[derive(Debug, Clone)]
enum Oddity {
    /// Unknown fields of every wire type at every level.
    UnknownFields,
    /// A heartbeat instead of data.
    Heartbeat,
    /// A Msg with no part set (an empty base64 string).
    Empty,
    /// An acknowledgement carrying a data message (not `data`: skipped).
    Ack,
    /// An APIData message (field 4, not in our .proto): a Msg with none of its parts.
    ApiData,
    /// `data` whose DataMsg has no points.
    NoPoints,
    /// 200 levels of raw nested length-delimited bytes in an unknown field.
    NestedUnknown,
}

#[test]
fn benign_oddities_change_nothing_but_the_skip_counts() {
    let oddity = prop_oneof![
        Just(Oddity::UnknownFields),
        Just(Oddity::Heartbeat),
        Just(Oddity::Empty),
        Just(Oddity::Ack),
        Just(Oddity::ApiData),
        Just(Oddity::NoPoints),
        Just(Oddity::NestedUnknown),
    ];
    let input = (messages(), messages(), any::<prop::sample::Index>(), oddity);
    family(
        "riot benign oddity",
        300,
        input,
        |(victim, bystander, which, oddity)| {
            let k = which.index(victim.len());
            let named = Raw {
                serial: Some(VICTIM.as_bytes().to_vec()),
                ..Raw::default()
            };
            let mut texts: Vec<String> = victim
                .iter()
                .map(|points| b64(&raw(points, &named)))
                .collect();
            let mut kept: Vec<&[PointSpec]> = victim.iter().map(Vec::as_slice).collect();
            let odd = match oddity {
                Oddity::UnknownFields => raw(
                    &victim[k],
                    &Raw {
                        unknown: true,
                        ..named.clone()
                    },
                ),
                Oddity::Heartbeat => Msg {
                    msg: Some(msg::Msg::ChannelManagement(ChannelManagement {
                        management: Some(channel_management::Management::Heartbeat(3)),
                    })),
                }
                .encode_to_vec(),
                Oddity::Empty => Vec::new(),
                Oddity::Ack => Msg {
                    msg: Some(msg::Msg::AckResponse(AckResponse {
                        timestamp: 1,
                        ack: true,
                        code: 200,
                        reason: "OK".into(),
                        data_message: Some(DataMsg {
                            data: victim[k].iter().map(data_point).collect(),
                            source: None,
                            type_of_service: 0,
                            stream_id: 0,
                        }),
                    })),
                }
                .encode_to_vec(),
                Oddity::ApiData => ld(4, &ld(1, b"request", None), None),
                Oddity::NoPoints => raw(&[], &named),
                Oddity::NestedUnknown => {
                    let mut nested = b"core".to_vec();
                    for _ in 0..200 {
                        nested = ld(77, &nested, None);
                    }
                    let mut bytes = raw(&victim[k], &named);
                    bytes.extend(nested);
                    bytes
                }
            };
            texts[k] = b64(&odd);
            let counted = !matches!(oddity, Oddity::UnknownFields | Oddity::NestedUnknown);
            if counted {
                kept.remove(k);
            }
            let theirs: Vec<String> = bystander
                .iter()
                .map(|points| b64(&data_msg(Some(BYSTANDER), points).encode_to_vec()))
                .collect();
            let got = decode_answer(&body(&[(VICTIM, texts), (BYSTANDER, theirs)]))
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert!(got.problems.is_empty(), "{:?}", got.problems);
            prop_assert_eq!(got.skipped.other_messages, usize::from(counted));
            prop_assert_eq!(got.skipped.total(), usize::from(counted));
            holds(&got.dataset, VICTIM, &expected(&kept))?;
            let refs: Vec<&[PointSpec]> = bystander.iter().map(Vec::as_slice).collect();
            holds(&got.dataset, BYSTANDER, &expected(&refs))?;
            Ok(())
        },
    );
}

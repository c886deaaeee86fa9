//! Family "riot hostile message": one hostile message among good ones is one problem.

use crate::expect::{expected, holds, same_dataset};
use crate::generate::{b64, body, data_msg, ld, messages, raw, PointSpec, Raw};
use crate::{family, BYSTANDER, VICTIM};
use base64::Engine;
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use prost::encoding::{encode_key, WireType};
use prost::Message;
use telltale_data::riot::{decode_answer, decode_msg_into, MsgProblem, RiotDecoded};

/// What is done to one of the victim's messages.
#[derive(Debug, Clone)]
enum Harm {
    /// Cut to this fraction of its bytes (at least one byte kept, at least one cut).
    Truncate(f64),
    /// The top-level key's wire type replaced (0 varint, 1 64-bit, 5 32-bit).
    WireType(u8),
    /// A length prefix at `level` replaced by a huge number.
    HugeLength(usize, u64),
    /// Unclosed groups nested this deep, appended as an unknown field.
    DeepGroups(usize),
    /// 200 levels of Msg{ack_response{data_message{session_id as a message{..}}}}.
    NestedAcks,
    /// `serial_number` with a byte that is not UTF-8.
    BadUtf8Serial,
    WrongSerial(String),
    Session(u32),
    /// A point's time beyond `i64::MAX`.
    BadTime(u64),
    /// A character outside standard base64 inserted at this fraction of the text.
    BadBase64(char, f64),
}

fn harm() -> impl Strategy<Value = Harm> {
    prop_oneof![
        (0.0f64..1.0).prop_map(Harm::Truncate),
        prop::sample::select(&[0u8, 1, 5][..]).prop_map(Harm::WireType),
        (0usize..3, prop_oneof![Just(u64::MAX), 1u64 << 31..u64::MAX])
            .prop_map(|(level, n)| Harm::HugeLength(level, n)),
        prop_oneof![150usize..300, Just(100_000)].prop_map(Harm::DeepGroups),
        Just(Harm::NestedAcks),
        Just(Harm::BadUtf8Serial),
        "[A-Z]{2}-[A-Z]{2}-[0-9]{4}"
            .prop_filter("another device", |s| s != VICTIM)
            .prop_map(Harm::WrongSerial),
        any::<u32>().prop_map(Harm::Session),
        (i64::MAX as u64 + 1..=u64::MAX).prop_map(Harm::BadTime),
        (
            prop::sample::select(&['!', '*', '-', '_', ' ', '\n', '.', '\u{e9}', '\0'][..]),
            0.0f64..1.0
        )
            .prop_map(|(c, at)| Harm::BadBase64(c, at)),
    ]
}

/// The harmed message's text, and a check of the problem it must get.
fn harmed(points: &[PointSpec], harm: &Harm) -> (String, fn(&MsgProblem) -> bool) {
    let named = Raw {
        serial: Some(VICTIM.as_bytes().to_vec()),
        ..Raw::default()
    };
    let good = raw(points, &named);
    let protobuf = |p: &MsgProblem| matches!(p, MsgProblem::NotProtobuf(_));
    match harm {
        Harm::Truncate(at) => {
            let len = ((good.len() as f64 * at) as usize).clamp(1, good.len() - 1);
            (b64(&good[..len]), protobuf)
        }
        Harm::WireType(wire) => {
            let mut bytes = good.clone();
            bytes[0] = (2 << 3) | wire;
            (b64(&bytes), |p| {
                p == &MsgProblem::NotProtobuf("a wrong wire type")
            })
        }
        Harm::HugeLength(level, n) => (
            b64(&raw(
                points,
                &Raw {
                    huge: Some((*level, *n)),
                    ..named
                },
            )),
            |p| p == &MsgProblem::NotProtobuf("truncated"),
        ),
        Harm::DeepGroups(depth) => {
            let mut bytes = good.clone();
            for _ in 0..*depth {
                encode_key(15, WireType::StartGroup, &mut bytes);
            }
            (b64(&bytes), |p| {
                p == &MsgProblem::NotProtobuf("nested too deeply")
            })
        }
        Harm::NestedAcks => {
            // Msg.ack_response (3) → AckResponse.data_message (5) → DataMsg field 3 (a
            // session id, a varint) written as a message, and so on 200 times.
            let mut inner = good.clone();
            for _ in 0..200 {
                inner = ld(3, &ld(5, &inner, None), None);
            }
            (b64(&inner), protobuf)
        }
        Harm::BadUtf8Serial => {
            let mut serial = VICTIM.as_bytes().to_vec();
            serial[3] = 0xff;
            (
                b64(&raw(
                    points,
                    &Raw {
                        serial: Some(serial),
                        ..Raw::default()
                    },
                )),
                |p| p == &MsgProblem::NotProtobuf("a text field is not UTF-8"),
            )
        }
        Harm::WrongSerial(other) => {
            let text = b64(&raw(
                points,
                &Raw {
                    serial: Some(other.as_bytes().to_vec()),
                    ..Raw::default()
                },
            ));
            (
                text,
                |p| matches!(p, MsgProblem::WrongSerial(s) if s != VICTIM),
            )
        }
        Harm::Session(id) => (
            b64(&raw(
                points,
                &Raw {
                    session: Some(*id),
                    ..Raw::default()
                },
            )),
            |p| matches!(p, MsgProblem::SessionSource(_)),
        ),
        Harm::BadTime(ms) => {
            let mut points = points.to_vec();
            points[0].t = *ms;
            (
                b64(&raw(&points, &named)),
                |p| matches!(p, MsgProblem::BadTime(t) if *t > i64::MAX as u64),
            )
        }
        Harm::BadBase64(c, at) => {
            let mut text = b64(&good);
            let mut index = (text.len() as f64 * at) as usize;
            while !text.is_char_boundary(index) {
                index -= 1;
            }
            text.insert(index, *c);
            (text, |p| matches!(p, MsgProblem::NotBase64(_)))
        }
    }
}

#[test]
fn one_hostile_message_is_one_problem_and_harms_nothing_else() {
    let input = (messages(), messages(), any::<prop::sample::Index>(), harm());
    family(
        "riot hostile message",
        600,
        input,
        |(victim, bystander, which, harm)| {
            let k = which.index(victim.len());
            let named = Raw {
                serial: Some(VICTIM.as_bytes().to_vec()),
                ..Raw::default()
            };
            let mut texts: Vec<String> = victim
                .iter()
                .map(|points| b64(&raw(points, &named)))
                .collect();
            let (text, right_problem) = harmed(&victim[k], &harm);
            texts[k] = text.clone();
            let theirs: Vec<String> = bystander
                .iter()
                .map(|points| b64(&data_msg(Some(BYSTANDER), points).encode_to_vec()))
                .collect();
            let got: RiotDecoded = decode_answer(&body(&[(VICTIM, texts), (BYSTANDER, theirs)]))
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(got.problems.len(), 1, "{:?}", got.problems);
            let problem = &got.problems[0];
            prop_assert_eq!(&problem.serial, VICTIM);
            prop_assert_eq!(problem.message, k);
            prop_assert!(right_problem(&problem.problem), "{:?}: {}", harm, problem);
            let words = problem.to_string();
            prop_assert!(
                words.starts_with(&format!("device {VICTIM}, message {k}: ")),
                "{}",
                words
            );
            let kept: Vec<&[PointSpec]> = victim
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != k)
                .map(|(_, m)| m.as_slice())
                .collect();
            holds(&got.dataset, VICTIM, &expected(&kept))?;
            let refs: Vec<&[PointSpec]> = bystander.iter().map(Vec::as_slice).collect();
            holds(&got.dataset, BYSTANDER, &expected(&refs))?;
            // The same message alone, as a live frame, is the same problem and changes nothing.
            if !matches!(harm, Harm::BadBase64(..)) {
                let bytes = base64::engine::general_purpose::STANDARD
                    .decode(&text)
                    .expect("harmed after base64");
                let mut dataset = got.dataset.clone();
                let alone = decode_msg_into(&mut dataset, VICTIM, &bytes);
                prop_assert_eq!(alone.as_ref().err(), Some(&problem.problem));
                same_dataset(&dataset, &got.dataset)?;
            }
            Ok(())
        },
    );
}

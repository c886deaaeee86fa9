//! Messages merge in time order, the first of a repeated time kept: in one answer, one
//! message at a time, and on one thread or several.

use super::*;

#[test]
fn unordered_messages_merge_in_time_order_and_repeats_keep_the_first() {
    let got = one_device(&[
        data(Some(SERIAL), vec![hdg(3000, 3.0), hdg(4000, 4.0)]),
        data(None, vec![hdg(1000, 1.0), hdg(3000, 30.0)]),
        data(Some(SERIAL), vec![hdg(2000, 2.0), hdg(1000, 10.0)]),
    ]);
    let block = got.dataset.block(SERIAL, TypeKey::new(8)).unwrap();
    assert_eq!(block.t, vec![1000, 2000, 3000, 4000]);
    assert_eq!(block.fields, vec![vec![1.0, 2.0, 3.0, 4.0]]);
    assert!(got.problems.is_empty());
}

#[test]
fn one_message_merges_into_a_dataset() {
    let mut dataset = Dataset::default();
    let first = data(Some(SERIAL), vec![hdg(2000, 2.0), hdg(3000, 3.0)]);
    let skipped = decode_msg_into(&mut dataset, SERIAL, &first.encode_to_vec()).unwrap();
    assert_eq!(skipped, Skipped::default());
    let later = data(Some(SERIAL), vec![hdg(4000, 4.0)]);
    decode_msg_into(&mut dataset, SERIAL, &later.encode_to_vec()).unwrap();
    let earlier = data(Some(SERIAL), vec![hdg(1000, 1.0), hdg(3000, 30.0)]);
    decode_msg_into(&mut dataset, SERIAL, &earlier.encode_to_vec()).unwrap();
    let block = dataset.block(SERIAL, TypeKey::new(8)).unwrap();
    assert_eq!(block.t, vec![1000, 2000, 3000, 4000]);
    assert_eq!(block.fields, vec![vec![1.0, 2.0, 3.0, 4.0]]);

    let before = dataset.clone();
    let wrong = data(Some("ZZ-1"), vec![hdg(5000, 5.0)]);
    assert_eq!(
        decode_msg_into(&mut dataset, SERIAL, &wrong.encode_to_vec()),
        Err(MsgProblem::WrongSerial("ZZ-1".into()))
    );
    assert_eq!(
        decode_msg_into(&mut dataset, SERIAL, &[0x12, 0x7f]),
        Err(MsgProblem::NotProtobuf("truncated"))
    );
    let heartbeat = Msg {
        msg: Some(msg::Msg::ChannelManagement(ChannelManagement {
            management: Some(channel_management::Management::Heartbeat(1)),
        })),
    };
    let skipped = decode_msg_into(&mut dataset, "OTHER", &heartbeat.encode_to_vec()).unwrap();
    assert_eq!(skipped.other_messages, 1);
    assert_eq!(dataset, before, "refused and empty messages change nothing");
}

#[test]
fn a_long_list_decodes_alike_on_one_thread_and_several() {
    // 10,000 messages (over PARALLEL_MESSAGES), out of order with repeated times, 31 of
    // them bad and spread over the parts (more than are listed), one refused after some
    // of its points were put (a bad time in its last point).
    let n = 10_000u64;
    let mut list = Vec::new();
    for i in 0..n {
        let t = 1_000 * ((i * 7919) % 6_000) + 1;
        let msg = if i % 333 == 7 {
            data(Some(SERIAL), vec![hdg(t, 1.0), hdg(u64::MAX, 2.0)])
        } else {
            data(Some(SERIAL), vec![hdg(t, i as f64), sog(t, 2.0 * i as f64)])
        };
        list.push(b64(&msg.encode_to_vec()));
    }
    let answer = body(&[
        (SERIAL, list),
        ("B", texts(&[data(None, vec![hdg(5, 5.0)])])),
    ]);
    let one = body::read(&answer, 1).unwrap();
    for threads in [2, 3, 8] {
        assert_eq!(
            body::read(&answer, threads).unwrap(),
            one,
            "{threads} threads"
        );
    }
    assert_eq!(one.problems.len(), MAX_LISTED_PROBLEMS);
    assert_eq!(one.unlisted_problems, 31 - MAX_LISTED_PROBLEMS);
    assert_eq!(
        one.problems.iter().map(|p| p.message).collect::<Vec<_>>(),
        (0..MAX_LISTED_PROBLEMS)
            .map(|k| 7 + 333 * k)
            .collect::<Vec<_>>()
    );
    let headings = one.dataset.block(SERIAL, TypeKey::new(8)).unwrap();
    let good_times: std::collections::BTreeSet<u64> = (0..n)
        .filter(|i| i % 333 != 7)
        .map(|i| 1_000 * ((i * 7919) % 6_000) + 1)
        .collect();
    assert_eq!(headings.len(), good_times.len());
    assert!(headings.t.windows(2).all(|w| w[0] < w[1]));
    // Each time's first good message, in list order.
    for (t, value) in headings.t.iter().zip(&headings.fields[0]) {
        let first = (0..n)
            .find(|i| i % 333 != 7 && 1_000 * ((i * 7919) % 6_000) + 1 == *t as u64)
            .unwrap();
        assert_eq!(*value, first as f64);
    }
    assert_eq!(one.dataset.block("B", TypeKey::new(8)).unwrap().t, vec![5]);
}

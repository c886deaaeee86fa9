use super::*;
use telltale_data::{Block, TypeKey};

const SOG: TypeKey = TypeKey::new(9);

fn data(serial: &str, t: &[i64]) -> Dataset {
    let mut d = Dataset::default();
    d.devices.entry(serial.into()).or_default().channels.insert(
        SOG,
        Block {
            t: t.to_vec(),
            fields: vec![t.iter().map(|&t| t as f64).collect()],
        },
    );
    d
}

fn state() -> FeedState {
    FeedState::new(
        vec!["A".into(), "B".into()],
        Duration::from_secs(600),
        Duration::from_secs(30),
    )
}

fn delivered(update: &LiveUpdate, serial: &str) -> Vec<i64> {
    update
        .samples
        .iter()
        .filter(|s| s.serial == serial)
        .flat_map(|s| s.t.clone())
        .collect()
}

#[test]
fn live_samples_are_delivered_once_in_order_and_repeats_counted() {
    let mut s = state();
    s.accept(data("A", &[1, 2, 3]), Origin::Live);
    s.accept(data("A", &[3, 4]), Origin::Live);
    let u = s.update(0);
    assert_eq!(delivered(&u, "A"), vec![1, 2, 3, 4]);
    assert_eq!(u.counts.received, 4);
    assert_eq!(u.counts.duplicates, 1);
    let seq = u.seq;
    assert!(s.update(seq).samples.is_empty(), "acknowledged");
}

#[test]
fn a_gap_fill_then_held_samples_leave_no_hole_and_no_duplicate() {
    let mut s = state();
    s.went_live(local_ms());
    s.accept(data("A", &[10, 20]), Origin::Live);
    let after = s.update(0).seq;
    // Disconnected; the new connection's live samples overlap the gap's end.
    let mut hold = crate::gap::Hold::default();
    assert_eq!(hold.push(data("A", &[50, 60])), 0);
    assert_eq!(hold.push(data("A", &[60, 70])), 0);
    s.accept(data("A", &[30, 40, 50]), Origin::Gap);
    s.accept(hold.take(), Origin::Live);
    let u = s.update(after);
    assert_eq!(delivered(&u, "A"), vec![30, 40, 50, 60, 70]);
    assert_eq!(u.counts.gap_filled, 3);
    assert_eq!(u.counts.received, 2 + 2, "20 and 10, then 60 and 70");
    assert_eq!(u.counts.duplicates, 2, "50 from the gap, 60 twice");
    let kept = &s.window().data().block("A", SOG).unwrap().t;
    assert_eq!(kept, &vec![10, 20, 30, 40, 50, 60, 70]);
}

#[test]
fn foreign_devices_are_dropped_and_counted_per_frame() {
    let mut s = state();
    let mut frame = data("A", &[1]);
    frame.devices.extend(data("Z", &[1]).devices);
    s.keep_followed(&mut frame);
    assert_eq!(frame.devices.keys().collect::<Vec<_>>(), vec!["A"]);
    let mut only_foreign = data("Z", &[2]);
    s.keep_followed(&mut only_foreign);
    assert!(only_foreign.devices.is_empty());
    s.accept(data("Z", &[3]), Origin::Live);
    let u = s.update(0);
    assert_eq!(u.counts.foreign_frames, 2);
    assert!(delivered(&u, "Z").is_empty());
}

#[test]
fn bad_frames_are_noted_a_few_times_then_counted() {
    let mut s = state();
    for _ in 0..20 {
        s.bad_frame("junk");
    }
    let u = s.update(0);
    assert_eq!(u.counts.bad_frames, 20);
    assert_eq!(u.notes.len(), NOTED_BAD_FRAMES as usize + 1);
    assert!(u.notes[0].contains("junk"));
    assert!(u.notes.last().unwrap().contains("only counted"));
    let seq = u.seq;
    s.bad_frame("more");
    assert!(s.update(seq).notes.is_empty());
}

#[test]
fn notes_are_bounded_and_once_notes_are_given_once() {
    let mut s = state();
    for i in 0..100 {
        s.note(format!("note {i}"));
        s.note_once("the same".into());
    }
    let u = s.update(0);
    assert_eq!(u.notes.len(), MAX_NOTES);
    assert_eq!(u.notes.last().unwrap(), "note 99");
}

#[test]
fn status_changes_count_reconnects_and_stopped_is_final() {
    let mut s = state();
    let reconnecting = LiveStatus::Reconnecting {
        in_ms: 1000,
        reason: "x".into(),
    };
    s.set_status(reconnecting.clone());
    s.set_status(LiveStatus::Connecting { attempt: 2 });
    s.set_status(reconnecting);
    s.set_status(LiveStatus::Stopped {
        reason: "done".into(),
        sign_in_again: false,
    });
    s.set_status(LiveStatus::Connecting { attempt: 3 });
    let u = s.update(0);
    assert_eq!(u.counts.reconnects, 2);
    assert!(u.status.is_stopped());
}

#[test]
fn quiet_devices_are_those_without_recent_samples() {
    let mut s = FeedState::new(
        vec!["A".into(), "B".into(), "C".into()],
        Duration::from_secs(600),
        Duration::from_secs(30),
    );
    assert!(
        s.update(0).quiet.is_empty(),
        "not live yet: nothing is quiet"
    );
    let now = local_ms();
    s.went_live(now - 60_000);
    s.clock_offset_ms = 0;
    s.accept(data("A", &[now - 1_000]), Origin::Live);
    s.accept(data("B", &[now - 45_000]), Origin::Live);
    let quiet = s.update(0).quiet;
    assert_eq!(
        quiet,
        vec![
            QuietDevice {
                serial: "B".into(),
                since_ms: Some(now - 45_000)
            },
            QuietDevice {
                serial: "C".into(),
                since_ms: None
            },
        ]
    );
    let seq = s.seq;
    s.refresh_quiet();
    assert_eq!(s.seq, seq, "no change, no bump");
}

#[test]
fn the_update_serializes_as_the_page_reads_it() {
    let mut s = state();
    s.accept(data("A", &[1]), Origin::Live);
    s.set_status(LiveStatus::Reconnecting {
        in_ms: 1500,
        reason: "no heartbeat from the server for 45 s".into(),
    });
    let json = serde_json::to_value(s.update(0)).unwrap();
    assert_eq!(json["status"]["state"], "reconnecting");
    assert_eq!(json["status"]["in_ms"], 1500);
    assert_eq!(json["samples"][0]["code"], 9);
    assert_eq!(json["samples"][0]["t"][0], 1);
    assert_eq!(json["counts"]["received"], 1);
}

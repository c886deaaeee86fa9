use super::*;
use telltale_data::{Block, TypeKey};

fn block(t: &[i64]) -> Block {
    Block {
        t: t.to_vec(),
        fields: vec![t.iter().map(|&t| t as f64).collect()],
    }
}

fn one(serial: &str, key: TypeKey, t: &[i64]) -> Dataset {
    let mut d = Dataset::default();
    d.devices
        .entry(serial.into())
        .or_default()
        .channels
        .insert(key, block(t));
    d
}

#[test]
fn spans_start_after_the_oldest_newest_channel_and_stay_within_keep() {
    let mut w = Window::new(Duration::from_secs(60));
    w.take("A", TypeKey::new(9), &block(&[100_000, 101_000]));
    w.take("A", TypeKey::new(1), &block(&[100_500]));
    w.take("A", TypeKey::with_dsi(1, 2), &block(&[100_700]));
    w.take("B", TypeKey::new(9), &block(&[10_000]));
    let serials = vec!["A".to_string(), "B".to_string(), "C".to_string()];
    let spans = plan(&w, &serials, 95_000, 120_000);
    assert_eq!(
        spans,
        vec![
            GapSpan {
                serial: "A".into(),
                start: 100_501,
                end: 120_000,
                codes: vec![1, 9],
            },
            GapSpan {
                serial: "B".into(),
                start: 60_000,
                end: 120_000,
                codes: vec![9],
            },
            GapSpan {
                serial: "C".into(),
                start: 95_000,
                end: 120_000,
                codes: vec![],
            },
        ]
    );
    assert!(plan(&w, &serials, 95_000, 50_000)
        .iter()
        .all(|s| s.serial == "C" || s.start <= s.end));
    assert!(
        plan(&w, &["A".to_string()], 0, 100_000).is_empty(),
        "nothing to fill"
    );
}

#[test]
fn json_gap_fills_ask_for_every_known_type_uncompressed() {
    let codes = json_codes(&[9, 9, 30]);
    assert!(codes.iter().all(|&(_, compression)| compression == 0.0));
    let codes: Vec<u16> = codes.into_iter().map(|(c, _)| c).collect();
    assert!(codes.contains(&1) && codes.contains(&9) && codes.contains(&30));
    assert!(codes.windows(2).all(|w| w[0] < w[1]), "sorted, no repeats");
    assert!(riot_fields().contains(&1) && riot_fields().contains(&9));
}

#[test]
fn the_hold_keeps_arrival_order_and_its_bound() {
    let mut hold = Hold::default();
    assert_eq!(hold.push(one("A", TypeKey::new(9), &[5, 6])), 0);
    assert_eq!(hold.push(one("A", TypeKey::new(9), &[6, 7])), 0);
    assert_eq!(hold.len(), 4);
    let many: Vec<i64> = (10..10 + HOLD_LIMIT as i64).collect();
    assert_eq!(hold.push(one("A", TypeKey::new(9), &many)), 4);
    let held = hold.take();
    let b = held.block("A", TypeKey::new(9)).unwrap();
    assert_eq!(b.len(), HOLD_LIMIT);
    assert_eq!(b.t[0], 10, "the oldest went first");
    assert_eq!(hold.len(), 0);
}

#[test]
fn fetched_blocks_are_cut_to_the_span() {
    let mut b = block(&[1, 2, 3, 4, 5]);
    cut(&mut b, 2, 4);
    assert_eq!(b.t, vec![2, 3, 4]);
    assert_eq!(b.fields[0], vec![2.0, 3.0, 4.0]);
    let mut odd = Block {
        t: vec![1, 2, 3],
        fields: vec![vec![1.0]],
    };
    cut(&mut odd, 2, 3);
    assert!(odd.fields[0].is_empty(), "a short column does not panic");
}

#[test]
fn spans_are_described_in_utc() {
    let span = GapSpan {
        serial: "AA-BT-0417".into(),
        start: 1_750_500_000_000,
        end: 1_750_500_060_000,
        codes: vec![],
    };
    assert_eq!(
        describe(&span),
        "AA-BT-0417 from 2025-06-21T10:00:00.000Z to 2025-06-21T10:01:00.000Z"
    );
}

#[test]
fn absurd_times_from_a_server_do_not_panic() {
    let w = Window::new(Duration::from_secs(600));
    let serials = vec!["A".to_string()];
    for (first, end) in [(i64::MIN, i64::MAX), (i64::MAX, i64::MIN), (0, i64::MAX)] {
        for span in plan(&w, &serials, first, end) {
            assert!(span.start <= span.end);
            assert!(!describe(&span).is_empty());
        }
    }
}

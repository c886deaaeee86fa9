//! The maneuver detector against the simulator's sailing model, which knows when each
//! boat tacked and gybed: every demo race, every boat (Petrel has no wind instruments and
//! takes the fleet's wind). Goals: precision and recall at least 95%, every matched
//! maneuver's time within 5 s of the model's (the middle of its turn).

use igtimi_sim::demo::track::{generate, planned_turns, TurnKind};
use igtimi_sim::world::Device;
use telltale_analysis::maneuvers::{find_maneuvers, ManeuverKind};
use telltale_analysis::track::BoatTrack;
use telltale_analysis::wind::{fleet_winds, WindSource};
use telltale_data::{Block, DeviceData, TypeKey};

/// A maneuver this close to either end of a race may be cut by it, and is not counted.
const EDGE_MS: i64 = 60_000;
/// Detections and the model's turns pair up within this, same kind ...
const MATCH_MS: i64 = 15_000;
/// ... and a paired one must be this close.
const TIME_GOAL_MS: i64 = 5_000;

/// The device's data over `from..=to` as the app reads it.
fn device_data(device: &Device, from: i64, to: i64) -> DeviceData {
    let chunk = generate(device, from, to);
    let t: Vec<i64> = chunk.t.iter().map(|&t| t as i64).collect();
    let mut data = DeviceData::default();
    for (key, fields) in chunk.channels {
        data.channels.insert(
            TypeKey::with_dsi(key.code, key.dsi),
            Block {
                t: t.clone(),
                fields,
            },
        );
    }
    data
}

#[derive(Default, Debug)]
struct Tally {
    /// Heading change (absolute), speed lost and distance lost of each found maneuver.
    costs: Vec<(ManeuverKind, f64, f64, f64)>,
    truths: usize,
    found: usize,
    matched: usize,
    worst_ms: i64,
    misses: Vec<String>,
}

#[test]
fn every_demo_race_precision_and_recall_at_least_95_percent_within_5_s() {
    let week = igtimi_sim::config::DEFAULT_WEEK_START_MS;
    let world = igtimi_sim::demo::world(1, week);
    let races: Vec<_> = world
        .sessions
        .iter()
        .filter(|s| s.name.contains("race"))
        .collect();
    assert_eq!(races.len(), 17, "the demo week's races");
    let mut tally = Tally::default();
    let mut sources = Vec::new();
    for race in &races {
        let (from, to) = (race.start_ms, race.end_ms.expect("races end"));
        let boats: Vec<&Device> = world
            .devices
            .iter()
            .filter(|d| race.device_serials.contains(&d.serial_number) && !d.anchored)
            .collect();
        let tracks: Vec<(&Device, BoatTrack)> = boats
            .iter()
            .map(|d| {
                let track = BoatTrack::from_device(&device_data(d, from, to), from, to)
                    .expect("the boat sailed");
                (*d, track)
            })
            .collect();
        let winds = fleet_winds(&tracks.iter().map(|(_, t)| t).collect::<Vec<_>>());
        for ((device, track), wind) in tracks.iter().zip(winds) {
            sources.push((device.name.clone(), wind.source));
            let inner = |t: i64| t >= from + EDGE_MS && t <= to - EDGE_MS;
            let truths: Vec<(ManeuverKind, i64)> = planned_turns(device, from, to)
                .into_iter()
                .map(|turn| {
                    let kind = match turn.kind {
                        TurnKind::Tack => ManeuverKind::Tack,
                        TurnKind::Gybe => ManeuverKind::Gybe,
                    };
                    (kind, (turn.start_ms + turn.end_ms) / 2)
                })
                .filter(|&(_, t)| inner(t))
                .collect();
            let maneuvers = find_maneuvers(track, &wind);
            tally.costs.extend(maneuvers.iter().map(|m| {
                (
                    m.kind,
                    m.heading_change.abs(),
                    m.speed_lost,
                    m.distance_lost_m,
                )
            }));
            let found: Vec<(ManeuverKind, i64)> = maneuvers
                .into_iter()
                .map(|m| (m.kind, m.at_ms))
                .filter(|&(_, t)| inner(t))
                .collect();
            let mut used = vec![false; found.len()];
            for &(kind, t) in &truths {
                let best = found
                    .iter()
                    .enumerate()
                    .filter(|(i, f)| !used[*i] && f.0 == kind && (f.1 - t).abs() <= MATCH_MS)
                    .min_by_key(|(_, f)| (f.1 - t).abs());
                match best {
                    Some((i, f)) => {
                        used[i] = true;
                        tally.matched += 1;
                        tally.worst_ms = tally.worst_ms.max((f.1 - t).abs());
                    }
                    None => tally.misses.push(format!(
                        "{} {}: missed {kind:?} at {t}",
                        race.name, device.name
                    )),
                }
            }
            for (_, f) in found.iter().enumerate().filter(|(i, _)| !used[*i]) {
                tally.misses.push(format!(
                    "{} {}: extra {:?} at {}",
                    race.name, device.name, f.0, f.1
                ));
            }
            tally.truths += truths.len();
            tally.found += found.len();
        }
    }
    assert!(
        sources
            .iter()
            .any(|(n, s)| n == "Petrel" && *s == WindSource::Fleet),
        "Petrel sails in the fleet's wind: {sources:?}"
    );
    let precision = tally.matched as f64 / tally.found.max(1) as f64;
    let recall = tally.matched as f64 / tally.truths.max(1) as f64;
    println!(
        "maneuvers: {} in the model, {} found, {} matched; precision {precision:.3}, \
         recall {recall:.3}, worst time error {} ms",
        tally.truths, tally.found, tally.matched, tally.worst_ms
    );
    assert!(tally.truths > 100, "too few maneuvers to judge: {tally:?}");
    assert!(
        precision >= 0.95 && recall >= 0.95,
        "precision {precision:.3}, recall {recall:.3}:\n{}",
        tally.misses.join("\n")
    );
    // What they cost, against the model: a tack turns through about twice the boat's
    // close-hauled angle (41 to 43) and loses half its speed at the middle; a gybe turns
    // through twice 180 less its downwind angle (145 to 152) and loses 15%.
    let (tack, gybe) = (ManeuverKind::Tack, ManeuverKind::Gybe);
    let turn = (
        mean_cost(&tally, tack, |c| c.1),
        mean_cost(&tally, gybe, |c| c.1),
    );
    let lost = (
        mean_cost(&tally, tack, |c| c.2),
        mean_cost(&tally, gybe, |c| c.2),
    );
    let metres = (
        mean_cost(&tally, tack, |c| c.3),
        mean_cost(&tally, gybe, |c| c.3),
    );
    println!("mean heading change {turn:?}, speed lost {lost:?} kn, distance lost {metres:?} m");
    assert!(
        (75.0..=95.0).contains(&turn.0),
        "a tack turns {} degrees",
        turn.0
    );
    assert!(
        (50.0..=75.0).contains(&turn.1),
        "a gybe turns {} degrees",
        turn.1
    );
    assert!(
        lost.0 > 1.5 && lost.1 > 0.2 && lost.0 > 2.0 * lost.1,
        "speed lost {lost:?}"
    );
    assert!(
        metres.0 > 5.0 && metres.1 > 0.0 && metres.0 > metres.1,
        "distance lost {metres:?}"
    );
    assert!(
        tally.worst_ms <= TIME_GOAL_MS,
        "a maneuver's time is {} ms off",
        tally.worst_ms
    );
}

/// The mean of the `pick`ed cost over the found maneuvers of `kind`.
fn mean_cost(
    tally: &Tally,
    kind: ManeuverKind,
    pick: fn(&(ManeuverKind, f64, f64, f64)) -> f64,
) -> f64 {
    let v: Vec<f64> = tally
        .costs
        .iter()
        .filter(|c| c.0 == kind)
        .map(pick)
        .collect();
    v.iter().sum::<f64>() / v.len().max(1) as f64
}

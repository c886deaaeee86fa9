//! The sailing analysis of a loaded race, the whole way: the simulator's data over HTTP,
//! decoded, loaded, analysed. Tern's tacks and gybes are the ones its sailing model made.

use crate::*;
use igtimi_sim::demo::track::{planned_turns, TurnKind};
use telltale_analysis::{LegKind, ManeuverKind, WindSource};

#[tokio::test]
async fn a_loaded_race_shows_terns_maneuvers_as_the_model_sailed_them() {
    let Some(world) = World::start("analysis").await else {
        return;
    };
    let before = world.data.analysis(RACE_START, RACE_END).await;
    assert_eq!(
        before.map(|_| ()).map_err(|e| e.kind()),
        Err("nothing_loaded")
    );
    world.load_race().await.0.expect("loads");
    let view = world
        .data
        .analysis(RACE_START, RACE_END)
        .await
        .expect("analysed");
    let tern = view.boats.iter().find(|b| b.serial == TERN).expect("Tern");
    assert_eq!(
        (tern.name.as_str(), tern.wind),
        ("Tern", WindSource::Measured)
    );

    let state = world.sim().state();
    let device = state
        .world
        .devices
        .iter()
        .find(|d| d.serial_number == TERN)
        .expect("Tern in the world");
    // Turns well inside the race (one cut by its start or end is not compared).
    let inside = |t: i64| t > RACE_START + MIN && t < RACE_END - MIN;
    let model: Vec<(ManeuverKind, i64)> = planned_turns(device, RACE_START, RACE_END)
        .into_iter()
        .map(|turn| {
            let kind = match turn.kind {
                TurnKind::Tack => ManeuverKind::Tack,
                TurnKind::Gybe => ManeuverKind::Gybe,
            };
            (kind, (turn.start_ms + turn.end_ms) / 2)
        })
        .filter(|&(_, t)| inside(t))
        .collect();
    let found: Vec<(ManeuverKind, i64)> = tern
        .maneuvers
        .iter()
        .map(|m| (m.kind, m.at_ms))
        .filter(|&(_, t)| inside(t))
        .collect();
    assert!(model.len() >= 10, "a race has tacks and gybes: {model:?}");
    assert_eq!(found.len(), model.len(), "found {found:?}\nmodel {model:?}");
    for (f, m) in found.iter().zip(&model) {
        assert_eq!(f.0, m.0);
        assert!((f.1 - m.1).abs() <= 5000, "found {f:?} for {m:?}");
    }
    for m in &tern.maneuvers {
        assert!(m.start_ms <= m.at_ms && m.at_ms <= m.end_ms, "{m:?}");
        assert!(m.speed_lost > 0.0, "{m:?}");
    }
    // Laps: upwind and downwind legs alternate, upwind VMG towards the wind.
    let kinds: Vec<LegKind> = tern.legs.iter().map(|l| l.kind).collect();
    assert!(kinds.contains(&LegKind::Upwind) && kinds.contains(&LegKind::Downwind));
    assert!(kinds.windows(2).all(|p| p[0] != p[1]), "{kinds:?}");
    assert!(
        tern.legs.iter().all(|l| l.vmg > 2.0 && l.vmg < 10.0),
        "{:?}",
        tern.legs
    );

    // The moored buoy swings head to wind: no maneuvers.
    let buoy = view
        .boats
        .iter()
        .find(|b| b.serial == BUOY)
        .expect("the buoy");
    assert!(buoy.maneuvers.is_empty(), "{:?}", buoy.maneuvers);
}

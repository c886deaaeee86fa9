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

#[tokio::test]
async fn a_target_polar_gives_each_polar_bin_its_target_until_cleared() {
    let Some(world) = World::start("analysis-polar").await else {
        return;
    };
    world.load_race().await.0.expect("loads");
    let tern = |view: &telltale_core::browse::AnalysisView| {
        view.boats
            .iter()
            .find(|b| b.serial == TERN)
            .expect("Tern")
            .clone()
    };
    let plain = world.data.analysis(RACE_START, RACE_END).await.expect("ok");
    let bins = tern(&plain).polar;
    assert!(bins.len() >= 6, "upwind and downwind angles: {bins:?}");
    assert!(bins.iter().all(|b| b.target.is_none() && b.mean > 0.0));
    assert_eq!(plain.target, None);

    // A table covering every angle and wind: each bin gets a target in its wind's columns.
    let table = "twa/tws 0 40\n0 5 5\n180 5 9\n";
    world.data.set_target_polar(Some(table)).expect("reads");
    let view = world.data.analysis(RACE_START, RACE_END).await.expect("ok");
    assert_eq!(
        view.target.as_ref().map(|t| t.tws.clone()),
        Some(vec![0.0, 40.0])
    );
    for bin in tern(&view).polar {
        // 5 kn at 0 degrees; at 180 from 5 kn (no wind) to 9 kn (40 kn of wind).
        let want = 5.0 + (bin.twa / 180.0) * (bin.tws / 40.0) * 4.0;
        let got = bin.target.expect("inside the table");
        assert!((got - want).abs() < 1e-9, "{bin:?}: {got} for {want}");
    }

    // A broken table is refused with where it broke, and the one in use stays.
    let refused = world.data.set_target_polar(Some("twa 6 10\n40 4 x\n"));
    let error = refused.expect_err("not a table");
    assert_eq!(error.kind(), "unreadable_file");
    assert!(error.to_string().contains("line 2"), "{error}");
    assert!(world.data.target_polar().is_some());

    world.data.set_target_polar(None).expect("cleared");
    let cleared = world.data.analysis(RACE_START, RACE_END).await.expect("ok");
    assert!(tern(&cleared).polar.iter().all(|b| b.target.is_none()));
}

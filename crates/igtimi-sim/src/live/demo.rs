//! The demo ticker: while the hub has readers, every [`TICK`] it publishes each demo
//! device's samples with `last published < t <= now` (the simulator's clock), read from the
//! [`DataStore`](crate::demo::data::DataStore), so each 1 Hz sample goes out as soon as its
//! second has passed and live readers see exactly what `resources/data` serves. With no
//! reader it sleeps on the hub (no timer at all: the app embeds this server), and it ends
//! when the simulator shuts down.

use super::LivePoints;
use crate::server::{AppState, Shared};
use crate::world::TypeKey;
use std::time::Duration;
use tokio::sync::watch;
use tokio::time::{interval, MissedTickBehavior};

/// How often the ticker looks for passed seconds.
pub const TICK: Duration = Duration::from_millis(100);
/// The longest stretch published at once: after a clock jump (`advance_clock`) readers get
/// the last seconds before the new now, not hours of samples in one go.
pub const MAX_CATCH_UP_MS: i64 = 10_000;

/// Runs until `stop` turns `true` (or its sender goes away).
pub async fn run(state: Shared, mut stop: watch::Receiver<bool>) {
    loop {
        tokio::select! {
            _ = state.live.wait_for_listener() => {}
            _ = stopped(&mut stop) => return,
        }
        // Someone listens: read today's data once (a cold cache generates whole days,
        // seconds in a debug build), then stream from now on, not what passed meanwhile.
        let reader = state.clone();
        let now = state.clock.now_ms();
        let _ = tokio::task::spawn_blocking(move || passed(&reader, now - 1000, now)).await;
        let mut last = state.clock.now_ms();
        let mut tick = interval(TICK);
        tick.set_missed_tick_behavior(MissedTickBehavior::Skip);
        while state.live.listeners() > 0 {
            tokio::select! {
                _ = tick.tick() => {}
                _ = stopped(&mut stop) => return,
            }
            let now = state.clock.now_ms();
            let after = last.max(now - MAX_CATCH_UP_MS);
            if now <= after {
                continue;
            }
            let reader = state.clone();
            // Reading may generate a day of a device (a cache miss): off the async threads.
            let batches = tokio::task::spawn_blocking(move || passed(&reader, after, now)).await;
            for batch in batches.unwrap_or_default() {
                state.live.publish(batch);
            }
            last = now;
        }
    }
}

async fn stopped(stop: &mut watch::Receiver<bool>) {
    // A dropped sender means the simulator is gone: stop as well.
    let _ = stop.wait_for(|&s| s).await;
}

/// Every demo device's samples with `after < t <= upto`, one batch per device that has any.
pub fn passed(state: &AppState, after: i64, upto: i64) -> Vec<LivePoints> {
    state
        .world
        .devices
        .iter()
        .filter_map(|device| samples(state, &device.serial_number, after + 1, upto))
        .collect()
}

/// A device's samples with `from <= t <= to`, every channel in key order; `None` if none.
pub fn samples(state: &AppState, serial: &str, from: i64, to: i64) -> Option<LivePoints> {
    let mut keys: Vec<TypeKey> = state.data.sensors(serial).to_vec();
    keys.sort();
    let channels: Vec<_> = keys
        .into_iter()
        .map(|key| (key, state.data.series(serial, key, from, to)))
        .filter(|(_, series)| !series.is_empty())
        .collect();
    (!channels.is_empty()).then(|| LivePoints {
        serial: serial.to_string(),
        channels,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::SimConfig;
    use std::sync::Arc;

    /// A simulator state whose live days are the demo week's day 0 and the clock at its
    /// 10:00, where Tern sails and the buoy swings.
    fn state() -> (Shared, i64) {
        let config = SimConfig::default();
        let week = config.demo_week_start_ms;
        let state = Arc::new(AppState::new(config));
        let now = state.clock.now_ms();
        let target = week + 10 * 3600 * 1000;
        state.clock.advance_secs((target - now).div_euclid(1000));
        (state, target)
    }

    #[test]
    fn passed_seconds_come_once_per_device() {
        let (state, at) = state();
        let second = at - at.rem_euclid(1000);
        let batches = passed(&state, second - 3000, second);
        assert_eq!(
            batches.len(),
            4,
            "every demo device sails or swings at 10:00"
        );
        for batch in &batches {
            for (_, series) in &batch.channels {
                let t: Vec<f64> = series.t.clone();
                let expected: Vec<f64> =
                    (0..3).map(|i| (second - 2000 + i * 1000) as f64).collect();
                assert_eq!(t, expected, "{}", batch.serial);
            }
        }
        // The next stretch starts after the last published second.
        let next = passed(&state, second, second + 999);
        assert!(next.iter().all(|b| b.channels.is_empty()));
    }

    #[tokio::test]
    async fn the_ticker_sleeps_without_readers_and_stops_on_shutdown() {
        let (state, _) = state();
        let (stop_tx, stop) = watch::channel(false);
        let ticker = tokio::spawn(run(state.clone(), stop));
        let mut rx = state.live.subscribe();
        let batch = tokio::time::timeout(Duration::from_secs(10), rx.recv())
            .await
            .expect("a second passes")
            .expect("a batch");
        assert!(batch.last_ms().is_some());
        drop(rx);
        stop_tx.send_replace(true);
        tokio::time::timeout(Duration::from_secs(5), ticker)
            .await
            .expect("the ticker stops")
            .expect("without a panic");
    }
}

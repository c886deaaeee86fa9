//! Live days: the demo boats sail now, not only in the 2025 regatta week. Every demo device
//! gets one resource per UTC day for the day before the simulator started, the start day
//! and the next one (00:00 to 23:59:59: a boat waits at its spot before 09:00 and sails
//! laps after, the buoy swings all day), so `resources/data` answers for today and the live
//! WebSockets have samples to stream. The day before gives a simulator started just after
//! midnight a recent past (a live view opens with the last minutes); the day after keeps
//! one running past midnight sailing.
//!
//! Who reads what live: owners their own devices (the JSON dialect lets owners read
//! everything; Riot gets owner windows, see [`crate::riot::state`]), Kai (coach) Tern and
//! Team Tern Ana's wind buoy, each through a window over the live days.

use super::{KAI, TEAM_TERN_GROUP};
use crate::world::{DataAccessWindow, Recipient, Resource, World};
use serde::Serialize;

/// Number of live days: the day before the start day, the start day and the next.
pub const LIVE_DAYS: i64 = 3;
/// Ids of the live days' resources start after this (31010 to 31012 for Tern, ..).
const FIRST_LIVE_RESOURCE_ID: u64 = 31_000;
/// Kai's window on Tern over the live days.
pub const KAI_LIVE_WINDOW_ID: u64 = 7003;
/// Team Tern's window on the wind buoy over the live days.
pub const TEAM_TERN_LIVE_WINDOW_ID: u64 = 7004;

const DAY_MS: i64 = 24 * 3600 * 1000;

/// The UTC midnight at or before `ms`.
pub fn day_start(ms: i64) -> i64 {
    ms.div_euclid(DAY_MS) * DAY_MS
}

/// The live days around the UTC day of `any_ms`: `[first midnight, last second]`.
pub fn span(any_ms: i64) -> (i64, i64) {
    let start = day_start(any_ms) - DAY_MS;
    (start, start + LIVE_DAYS * DAY_MS - 1000)
}

/// Adds the live days around the UTC day of `any_ms` to a demo world: a resource per device
/// and day, and Kai's and Team Tern's windows. A day that falls in the regatta week keeps
/// the week's resources only (two resources over one second would send it twice).
pub fn add_live_days(world: &mut World, week_start_ms: i64, any_ms: i64) {
    let (start, end) = span(any_ms);
    let week_end = week_start_ms + 7 * DAY_MS;
    for device in &world.devices {
        let mut codes: Vec<u16> = device.sensors.iter().map(|k| k.code).collect();
        codes.sort_unstable();
        codes.dedup();
        for day in 0..LIVE_DAYS {
            let midnight = start + day * DAY_MS;
            if midnight + DAY_MS > week_start_ms && midnight < week_end {
                continue;
            }
            world.resources.push(Resource {
                id: FIRST_LIVE_RESOURCE_ID + device.id % 100 * 10 + day as u64,
                device_serial_number: device.serial_number.clone(),
                start_ms: midnight,
                end_ms: midnight + DAY_MS - 1000,
                data_types: codes.clone(),
            });
        }
    }
    let window = |id, serial: &str, recipient| DataAccessWindow {
        id,
        device_serial_number: serial.into(),
        start_ms: start,
        end_ms: end,
        recipient,
        read: true,
        modify: false,
    };
    world.windows.extend([
        window(KAI_LIVE_WINDOW_ID, "AA-BT-0417", Recipient::User(KAI)),
        window(
            TEAM_TERN_LIVE_WINDOW_ID,
            "AA-BT-0731",
            Recipient::Group(TEAM_TERN_GROUP),
        ),
    ]);
}

/// What the manifest says about live data.
#[derive(Clone, Debug, Serialize)]
pub struct LiveManifest {
    /// The JSON dialect's WebSocket (its lister: `/server_listers/web_sockets`).
    pub websocket: &'static str,
    /// Riot's WebSocket (its lister: `/igtimi/api/v1/server_listers/web_sockets`).
    pub riot_websocket: &'static str,
    pub note: &'static str,
}

/// The live part of the manifest.
pub fn manifest() -> LiveManifest {
    LiveManifest {
        websocket: "/websocket",
        riot_websocket: "/igtimi/websocket",
        note: "The boats sail live yesterday, today and tomorrow (UTC days around the \
               server's start): \
               resources/data serves today's samples up to now, and both WebSockets stream \
               each new second. Owners read their devices, Kai reads Tern, Team Tern the buoy",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo;

    #[test]
    fn live_days_add_a_resource_per_device_and_day_and_two_windows() {
        let week = crate::config::DEFAULT_WEEK_START_MS;
        let mut world = demo::world(1, week);
        let (resources, windows) = (world.resources.len(), world.windows.len());
        let today = week + 400 * DAY_MS + 5 * 3600 * 1000;
        add_live_days(&mut world, week, today);
        assert_eq!(world.resources.len(), resources + 12);
        assert_eq!(world.windows.len(), windows + 2);
        let midnight = week + 400 * DAY_MS;
        let tern: Vec<_> = world
            .resources
            .iter()
            .filter(|r| r.id > FIRST_LIVE_RESOURCE_ID && r.device_serial_number == "AA-BT-0417")
            .map(|r| (r.id, r.start_ms, r.end_ms))
            .collect();
        assert_eq!(
            tern,
            vec![
                (31_010, midnight - DAY_MS, midnight - 1000),
                (31_011, midnight, midnight + DAY_MS - 1000),
                (31_012, midnight + DAY_MS, midnight + 2 * DAY_MS - 1000)
            ]
        );
        assert_eq!(
            world.readable_intervals(KAI, "AA-BT-0417"),
            vec![
                (
                    week + 2 * DAY_MS + 9 * 3600 * 1000,
                    week + 2 * DAY_MS + 17 * 3600 * 1000
                ),
                (midnight - DAY_MS, midnight + 2 * DAY_MS - 1000)
            ]
        );
        assert!(world.readable_intervals(KAI, "AA-BT-0522").is_empty());
    }

    #[test]
    fn a_start_just_after_midnight_has_a_recent_past() {
        let week = crate::config::DEFAULT_WEEK_START_MS;
        let just_after = week + 400 * DAY_MS + 35_000;
        let (start, end) = span(just_after);
        assert!(just_after - start >= DAY_MS, "a whole day before now");
        assert!(end - just_after > DAY_MS, "and more than a day after");
    }

    #[test]
    fn a_live_day_inside_the_week_keeps_the_weeks_resources() {
        let week = crate::config::DEFAULT_WEEK_START_MS;
        let mut world = demo::world(1, week);
        let resources = world.resources.len();
        // The last two days of the week and the day after it.
        add_live_days(&mut world, week, week + 6 * DAY_MS + 1);
        assert_eq!(world.resources.len(), resources + 4, "only the day after");
        assert_eq!(span(week + 6 * DAY_MS + 1).0, week + 5 * DAY_MS);
    }
}

//! What the live tests share: a simulator with short heartbeats, feeds of either dialect
//! for a demo user, a watcher that drains the long poll and checks every delivery, and the
//! comparison of the kept window with what `resources/data` stores.

pub use igtimi_client::{AccessToken, IgtimiClient, RiotClient};
pub use igtimi_sim::{LiveFault, SimConfig, Simulator};
pub use std::time::Duration;
pub use telltale_live::{Endpoint, Feed, FeedConfig, LiveCounts, LiveStatus, LiveUpdate, Timing};
pub use telltale_test_support::demo::{BOB, PETREL, SKUA, TERN};

use igtimi_client::DataQuery;
use std::collections::BTreeMap;
use std::time::Instant;
pub use telltale_data::{Dataset, TypeKey};

/// The two dialects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Json,
    Riot,
}

pub const BOTH: [Kind; 2] = [Kind::Json, Kind::Riot];

/// The simulator's live heartbeat in these tests.
pub const SIM_HEARTBEAT: Duration = Duration::from_millis(200);

/// A simulator config whose live sockets beat every 200 ms.
pub fn sim_config() -> SimConfig {
    SimConfig {
        live_heartbeat: SIM_HEARTBEAT,
        ..SimConfig::default()
    }
}

pub async fn start_sim() -> Simulator {
    Simulator::start(sim_config())
        .await
        .expect("the simulator starts")
}

/// Short timings: silence 1.5 s, heartbeat 300 ms, a reconnect after 1.2 s to 2 s (long
/// enough for a 1 Hz sample to fall in the gap), quiet after 2 s.
pub fn timing() -> Timing {
    Timing {
        silence: Duration::from_millis(1500),
        heartbeat: Duration::from_millis(300),
        backoff_min: Duration::from_millis(1200),
        backoff_max: Duration::from_millis(2000),
        quiet_after: Duration::from_secs(2),
        connect_timeout: Duration::from_secs(3),
    }
}

/// `user`'s token for the dialect: an old-API token from the store, or the Riot one.
pub fn token(sim: &Simulator, kind: Kind, user: u64) -> AccessToken {
    let raw = match kind {
        Kind::Json => telltale_test_support::demo::token(sim, user),
        Kind::Riot => sim.state().riot.token_for(user),
    };
    AccessToken::new(raw).expect("a valid token")
}

fn client(sim: &Simulator) -> IgtimiClient {
    IgtimiClient::new(sim.base_url().parse().expect("URL")).expect("a client")
}

pub fn endpoint(sim: &Simulator, kind: Kind) -> Endpoint {
    match kind {
        Kind::Json => Endpoint::Igtimi(client(sim)),
        Kind::Riot => Endpoint::Riot(RiotClient::new(client(sim))),
    }
}

/// The tests' feed settings for `serials` and `token`: live samples only, no history.
pub fn config(sim: &Simulator, kind: Kind, token: AccessToken, serials: &[&str]) -> FeedConfig {
    FeedConfig {
        endpoint: endpoint(sim, kind),
        token,
        serials: serials.iter().map(|s| s.to_string()).collect(),
        timing: timing(),
        keep: Duration::from_secs(600),
        history: Duration::ZERO,
    }
}

/// A feed of `serials` for `token`.
pub fn feed_with(sim: &Simulator, kind: Kind, token: AccessToken, serials: &[&str]) -> Feed {
    Feed::start(config(sim, kind, token, serials))
}

/// A feed of `serials` for Bob.
pub fn feed(sim: &Simulator, kind: Kind, serials: &[&str]) -> Feed {
    feed_with(sim, kind, token(sim, kind, BOB), serials)
}

/// Drains a feed's long poll, keeping what was delivered, and checks as it goes that
/// each channel's samples come strictly ascending (no duplicate, never back in time).
pub struct Watch {
    pub feed: Feed,
    pub kind: Kind,
    after: u64,
    /// Delivered times by (serial, code, dsi).
    pub delivered: BTreeMap<(String, u16, u32), Vec<i64>>,
    pub statuses: Vec<LiveStatus>,
    pub notes: Vec<String>,
    pub last: Option<LiveUpdate>,
    /// Every update as the page would get it, to look for the token.
    pub json: Vec<String>,
}

impl Watch {
    pub fn new(feed: Feed, kind: Kind) -> Watch {
        Watch {
            feed,
            kind,
            after: 0,
            delivered: BTreeMap::new(),
            statuses: Vec::new(),
            notes: Vec::new(),
            last: None,
            json: Vec::new(),
        }
    }

    fn take(&mut self, update: LiveUpdate) {
        assert!(update.seq >= self.after, "{:?}: seq went back", self.kind);
        self.after = update.seq;
        for s in &update.samples {
            assert!(s.fields.iter().all(|c| c.len() == s.t.len()));
            let got = self
                .delivered
                .entry((s.serial.clone(), s.code, s.dsi))
                .or_default();
            for &t in &s.t {
                if let Some(&last) = got.last() {
                    assert!(
                        t > last,
                        "{:?} {} {}: {t} after {last}",
                        self.kind,
                        s.serial,
                        s.code
                    );
                }
                got.push(t);
            }
        }
        if self.statuses.last() != Some(&update.status) {
            self.statuses.push(update.status.clone());
        }
        self.notes.extend(update.notes.iter().cloned());
        self.json
            .push(serde_json::to_string(&update).expect("serializes"));
        self.last = Some(update);
    }

    /// Polls until `done` holds, failing after `secs` seconds with `what`.
    pub async fn until(&mut self, what: &str, secs: f64, done: impl Fn(&Watch) -> bool) {
        let deadline = Instant::now() + Duration::from_secs_f64(secs);
        loop {
            if self.last.is_some() && done(self) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "{:?}: {what} not within {secs} s; statuses {:?}, counts {:?}, notes {:?}",
                self.kind,
                self.statuses,
                self.counts(),
                self.notes
            );
            let update = self.feed.next(self.after, Duration::from_millis(200)).await;
            self.take(update);
        }
    }

    /// Polls for `secs` seconds whatever happens.
    pub async fn during(&mut self, secs: f64) {
        let end = Instant::now() + Duration::from_secs_f64(secs);
        while Instant::now() < end {
            let update = self.feed.next(self.after, Duration::from_millis(100)).await;
            self.take(update);
        }
    }

    pub fn counts(&self) -> LiveCounts {
        self.last
            .as_ref()
            .map(|u| u.counts.clone())
            .unwrap_or_default()
    }

    pub fn status(&self) -> Option<&LiveStatus> {
        self.last.as_ref().map(|u| &u.status)
    }

    pub fn is_live(&self) -> bool {
        matches!(self.status(), Some(LiveStatus::Live { .. }))
    }

    /// Samples delivered of `serial`, all channels.
    pub fn samples_of(&self, serial: &str) -> usize {
        self.delivered
            .iter()
            .filter(|((s, ..), _)| s == serial)
            .map(|(_, t)| t.len())
            .sum()
    }

    /// SOG samples delivered of `serial` (every demo boat records SOG at 1 Hz).
    pub fn sog_of(&self, serial: &str) -> usize {
        self.delivered
            .get(&(serial.to_string(), 9, 0))
            .map_or(0, Vec::len)
    }

    /// The reasons of the reconnects seen: in the statuses polled, and in the notes of
    /// lost connections (a status may change twice between two polls).
    pub fn reconnect_reasons(&self) -> Vec<String> {
        self.statuses
            .iter()
            .filter_map(|s| match s {
                LiveStatus::Reconnecting { reason, .. } => Some(reason.clone()),
                _ => None,
            })
            .chain(
                self.notes
                    .iter()
                    .filter(|n| n.starts_with("The live connection was lost"))
                    .cloned(),
            )
            .collect()
    }

    /// Waits until the feed is live with at least `more` new SOG samples of `serial`.
    pub async fn more_samples(&mut self, serial: &str, more: usize) {
        let wanted = self.sog_of(serial) + more;
        let serial = serial.to_string();
        self.until(&format!("{more} more SOG samples of {serial}"), 15.0, |w| {
            w.is_live() && w.sog_of(&serial) >= wanted
        })
        .await;
    }

    /// The kept window equals what the server stores over each channel's span, and what
    /// was delivered is exactly what is kept.
    pub async fn assert_kept_as_stored(&mut self, sim: &Simulator, serial: &str) {
        let kept = self.feed.window();
        // What was kept by now has all been delivered once the page drains.
        let update = self.feed.next(self.after, Duration::ZERO).await;
        self.take(update);
        assert_window_equals_stored(sim, self.kind, &kept, serial).await;
        for (key, block) in kept.devices[serial].channels.iter() {
            let delivered = &self.delivered[&(serial.to_string(), key.code, key.dsi)];
            assert_eq!(
                &block.t[..],
                &delivered[..block.t.len().min(delivered.len())],
                "{:?} {serial} {key}: what is kept was delivered",
                self.kind
            );
        }
    }
}

/// `resources/data` for `serial` over `[start, end]`, decoded.
pub async fn stored(
    sim: &Simulator,
    kind: Kind,
    serial: &str,
    start: i64,
    end: i64,
    codes: &[u16],
) -> Dataset {
    let token = token(sim, kind, BOB);
    match kind {
        Kind::Json => {
            let query = DataQuery {
                start,
                end,
                serials: vec![serial.to_string()],
                types: codes.iter().map(|&c| (c, 0.0)).collect(),
            };
            let body = client(sim).data(&token, &query).await.expect("stored data");
            telltale_data::decode(&body).expect("decodes")
        }
        Kind::Riot => {
            let fields: Vec<u32> = riot_proto::units::KINDS.iter().map(|k| k.field).collect();
            let body = RiotClient::new(client(sim))
                .data(&token, start, end, &[serial.to_string()], &fields)
                .await
                .expect("stored data");
            let decoded = telltale_data::riot::decode_answer(&body).expect("decodes");
            assert!(decoded.problems.is_empty(), "{:?}", decoded.problems);
            decoded.dataset
        }
    }
}

/// Each kept channel of `serial` holds exactly the stored samples between its first and
/// last time: no hole, no duplicate, the same values.
pub async fn assert_window_equals_stored(
    sim: &Simulator,
    kind: Kind,
    kept: &Dataset,
    serial: &str,
) {
    let device = kept.devices.get(serial).expect("samples were kept");
    let first = device
        .channels
        .values()
        .filter_map(|b| b.t.first())
        .min()
        .copied();
    let last = device
        .channels
        .values()
        .filter_map(|b| b.t.last())
        .max()
        .copied();
    let (Some(first), Some(last)) = (first, last) else {
        panic!("{kind:?}: nothing kept of {serial}");
    };
    let mut codes: Vec<u16> = device.channels.keys().map(|k| k.code).collect();
    codes.dedup();
    let stored = stored(sim, kind, serial, first, last, &codes).await;
    for (key, block) in &device.channels {
        let (from, to) = (block.t[0], *block.t.last().expect("samples"));
        let all = stored
            .block(serial, *key)
            .unwrap_or_else(|| panic!("{kind:?} {serial} {key}: nothing stored"));
        let range = all.index_range(from, to);
        assert_eq!(
            block.t,
            all.t[range.clone()],
            "{kind:?} {serial} {key}: kept times are the stored ones"
        );
        for (column, stored_column) in block.fields.iter().zip(&all.fields) {
            for (a, b) in column.iter().zip(&stored_column[range.clone()]) {
                assert!(
                    a == b || (a.is_nan() && b.is_nan()) || (a - b).abs() < 1e-9,
                    "{kind:?} {serial} {key}: kept {a} vs stored {b}"
                );
            }
        }
    }
    assert!(
        device.channels.contains_key(&TypeKey::new(9)),
        "{kind:?}: SOG was kept"
    );
}

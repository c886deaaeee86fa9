//! Everything a feed has learnt, behind one lock: the status, the kept window, the page
//! buffer, the counts, the notes and the change counter the long poll waits on. The
//! socket reader only ever holds the lock for a moment; it never waits for the page.

use crate::page::Page;
use crate::update::{LiveCounts, LiveStatus, LiveUpdate, QuietDevice};
use crate::window::Window;
use std::collections::{BTreeMap, VecDeque};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use telltale_data::Dataset;

/// Notes kept for pages that poll late; older ones are forgotten.
const MAX_NOTES: usize = 32;

/// Unreadable frames that get a note of their own; later ones are only counted.
const NOTED_BAD_FRAMES: u64 = 5;

/// Where samples came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Over the socket.
    Live,
    /// From `resources/data`, to fill the gap a reconnect left.
    Gap,
}

/// The feed's state.
#[derive(Debug)]
pub struct FeedState {
    /// Bumped on every change a page can see.
    pub seq: u64,
    status: LiveStatus,
    window: Window,
    page: Page,
    counts: LiveCounts,
    notes: VecDeque<(u64, String)>,
    noted_once: Vec<String>,
    serials: Vec<String>,
    quiet_after_ms: i64,
    /// The newest sample time of each followed device.
    newest: BTreeMap<String, i64>,
    /// Server time minus this computer's, from the last time reply (ms).
    clock_offset_ms: i64,
    /// The server's time when the feed first went live (ms); gap-fills of devices with no
    /// sample start here.
    first_live_ms: Option<i64>,
    quiet: Vec<QuietDevice>,
}

/// This computer's time, ms since the epoch.
pub fn local_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

fn millis(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

impl FeedState {
    pub fn new(serials: Vec<String>, keep: Duration, quiet_after: Duration) -> Self {
        FeedState {
            seq: 1,
            status: LiveStatus::Connecting { attempt: 1 },
            window: Window::new(keep),
            page: Page::default(),
            counts: LiveCounts::default(),
            notes: VecDeque::new(),
            noted_once: Vec::new(),
            serials,
            quiet_after_ms: millis(quiet_after),
            newest: BTreeMap::new(),
            clock_offset_ms: 0,
            first_live_ms: None,
            quiet: Vec::new(),
        }
    }

    fn bump(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    pub fn status(&self) -> &LiveStatus {
        &self.status
    }

    /// Sets the status (a stopped feed stays stopped).
    pub fn set_status(&mut self, status: LiveStatus) {
        if self.status.is_stopped() || self.status == status {
            return;
        }
        if matches!(status, LiveStatus::Reconnecting { .. }) {
            self.counts.reconnects += 1;
        }
        self.status = status;
        self.bump();
    }

    /// The server answered with its time: the connection is live.
    pub fn went_live(&mut self, server_ms: i64) {
        self.clock_offset_ms = server_ms.saturating_sub(local_ms());
        self.first_live_ms.get_or_insert(server_ms);
        self.set_status(LiveStatus::Live {
            since_ms: server_ms,
        });
    }

    /// The server's time now, as far as the last time reply tells.
    pub fn server_now_ms(&self) -> i64 {
        local_ms().saturating_add(self.clock_offset_ms)
    }

    /// Whether the feed was ever live (a connection after that needs a gap-fill).
    pub fn first_live_ms(&self) -> Option<i64> {
        self.first_live_ms
    }

    pub fn serials(&self) -> &[String] {
        &self.serials
    }

    pub fn window(&self) -> &Window {
        &self.window
    }

    /// Adds a note for the page.
    pub fn note(&mut self, text: impl Into<String>) {
        let stamp = self.bump();
        self.notes.push_back((stamp, text.into()));
        while self.notes.len() > MAX_NOTES {
            self.notes.pop_front();
        }
    }

    /// Adds a note unless the same one was given before (a refused server is named once,
    /// not at every reconnect).
    pub fn note_once(&mut self, text: String) {
        if !self.noted_once.contains(&text) {
            self.noted_once.push(text.clone());
            self.note(text);
        }
    }

    /// A frame could not be read: counted, and noted for the first few.
    pub fn bad_frame(&mut self, why: &str) {
        self.counts.bad_frames += 1;
        match self.counts.bad_frames {
            n if n <= NOTED_BAD_FRAMES => {
                self.note(format!("An unreadable frame was skipped: {why}"))
            }
            n if n == NOTED_BAD_FRAMES + 1 => {
                self.note("More unreadable frames were skipped; they are only counted from now on")
            }
            _ => {
                self.bump();
            }
        }
    }

    /// Drops the devices that are not followed from `data`; counts the frame as foreign
    /// when it held any.
    pub fn keep_followed(&mut self, data: &mut Dataset) {
        let before = data.devices.len();
        data.devices
            .retain(|serial, _| self.serials.contains(serial));
        if data.devices.len() < before {
            self.counts.foreign_frames += 1;
            self.bump();
        }
    }

    /// Takes new samples into the window and the page (duplicates and samples older than
    /// what a channel holds are dropped and, when live, counted).
    pub fn accept(&mut self, data: Dataset, origin: Origin) {
        let stamp = self.seq + 1;
        let mut changed = false;
        for (serial, device) in &data.devices {
            if !self.serials.contains(serial) {
                continue;
            }
            for (key, block) in &device.channels {
                let taken = self.window.take(serial, *key, block);
                if taken.refused {
                    self.note_once(format!(
                        "{serial} sends more kinds of data than are kept; the rest is dropped"
                    ));
                }
                let fresh = taken.fresh.len() as u64;
                match origin {
                    Origin::Live => {
                        self.counts.received += fresh;
                        self.counts.duplicates += taken.older as u64;
                    }
                    Origin::Gap => self.counts.gap_filled += fresh,
                }
                self.counts.dropped_old += taken.trimmed as u64;
                if let Some(&last) = taken.fresh.t.last() {
                    let newest = self.newest.entry(serial.clone()).or_insert(last);
                    *newest = (*newest).max(last);
                    let skipped = self.page.push(serial, *key, stamp, &taken.fresh);
                    self.counts.skipped_for_page += skipped as u64;
                }
                changed |= fresh > 0 || taken.older > 0 || taken.trimmed > 0;
            }
        }
        if changed {
            self.bump();
        }
    }

    /// Samples held back that had to be dropped.
    pub fn dropped(&mut self, n: usize) {
        if n > 0 {
            self.counts.dropped_old += n as u64;
            self.bump();
        }
    }

    /// Followed devices with no sample for `quiet_after` (of the server's time); a device
    /// with none at all once the feed has been live that long.
    fn quiet_now(&self) -> Vec<QuietDevice> {
        let now = self.server_now_ms();
        let threshold = now.saturating_sub(self.quiet_after_ms);
        let Some(first_live) = self.first_live_ms else {
            return Vec::new();
        };
        self.serials
            .iter()
            .filter_map(|serial| match self.newest.get(serial) {
                Some(&t) if t < threshold => Some(QuietDevice {
                    serial: serial.clone(),
                    since_ms: Some(t),
                }),
                None if first_live < threshold => Some(QuietDevice {
                    serial: serial.clone(),
                    since_ms: None,
                }),
                _ => None,
            })
            .collect()
    }

    /// Recomputes the quiet devices; a change is a change the page sees.
    pub fn refresh_quiet(&mut self) {
        let quiet = self.quiet_now();
        if quiet != self.quiet {
            self.quiet = quiet;
            self.bump();
        }
    }

    /// What is new after `after`; forgets pending samples the page has.
    pub fn update(&mut self, after: u64) -> LiveUpdate {
        self.refresh_quiet();
        LiveUpdate {
            seq: self.seq,
            status: self.status.clone(),
            samples: self.page.since(after),
            quiet: self.quiet.clone(),
            counts: self.counts.clone(),
            notes: self
                .notes
                .iter()
                .filter(|(stamp, _)| *stamp > after)
                .map(|(_, text)| text.clone())
                .collect(),
        }
    }
}

#[cfg(test)]
#[path = "state_tests.rs"]
mod tests;

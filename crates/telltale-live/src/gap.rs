//! Filling the gap a reconnect leaves: for each followed device, `resources/data` from just
//! after its newest kept sample to the new connection's time reply. Live samples that
//! arrive meanwhile wait in a [`Hold`] and are released after the fill, so every channel's
//! delivered samples stay strictly ascending with no hole and no duplicate (the window
//! decides what is new, [`crate::window::Window::take`]).

use crate::config::Endpoint;
use crate::window::{append, Window};
use igtimi_client::{AccessToken, DataQuery};
use std::time::Duration;
use telltale_data::Dataset;

/// Longest the fill of one reconnect may take, all devices together.
pub const GAP_TIMEOUT: Duration = Duration::from_secs(60);

/// Most held samples per channel (a minute at far more than any device's rate).
pub const HOLD_LIMIT: usize = 20_000;

/// One device's span to fetch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GapSpan {
    pub serial: String,
    /// First and last ms, inclusive.
    pub start: i64,
    pub end: i64,
    /// The type codes it had (asked for on top of the usual ones).
    pub codes: Vec<u16>,
}

/// The spans to fetch: each device from just after the oldest of its channels' newest
/// samples (a channel already holding part of that is cut by the window), or from when
/// the feed first went live if it has none, but never more than `keep` before `end`.
pub fn plan(window: &Window, serials: &[String], first_live_ms: i64, end: i64) -> Vec<GapSpan> {
    let earliest = end.saturating_sub(window.keep_ms());
    serials
        .iter()
        .filter_map(|serial| {
            let lasts = window.lasts(serial);
            let from = match lasts.iter().map(|(_, t)| *t).min() {
                Some(t) => t.saturating_add(1),
                None => first_live_ms,
            };
            let start = from.max(earliest);
            let mut codes: Vec<u16> = lasts.iter().map(|(key, _)| key.code).collect();
            codes.dedup();
            (start <= end).then(|| GapSpan {
                serial: serial.clone(),
                start,
                end,
                codes,
            })
        })
        .collect()
}

/// The JSON API's codes asked for in every gap-fill: 1..=24 (those the data reader knows).
fn json_codes(seen: &[u16]) -> Vec<(u16, f64)> {
    let mut codes: Vec<u16> = (1..=24)
        .filter(|c| telltale_data::types::is_known(*c))
        .chain(seen.iter().copied())
        .collect();
    codes.sort_unstable();
    codes.dedup();
    // Compression 0: the gap must hold exactly the stored samples.
    codes.into_iter().map(|c| (c, 0.0)).collect()
}

/// Riot's `DataPoint` fields asked for: every kind that is a series.
fn riot_fields() -> Vec<u32> {
    riot_proto::units::KINDS.iter().map(|k| k.field).collect()
}

/// Fetches one span; the error is a sentence without the token.
pub async fn fetch(
    endpoint: &Endpoint,
    token: &AccessToken,
    span: &GapSpan,
) -> Result<Dataset, String> {
    let serials = std::slice::from_ref(&span.serial);
    let mut data = match endpoint {
        Endpoint::Igtimi(client) => {
            let query = DataQuery {
                start: span.start,
                end: span.end,
                serials: serials.to_vec(),
                types: json_codes(&span.codes),
            };
            let body = client
                .data(token, &query)
                .await
                .map_err(|e| e.to_string())?;
            telltale_data::decode(&body).map_err(|e| e.to_string())?
        }
        Endpoint::Riot(client) => {
            let body = client
                .data(token, span.start, span.end, serials, &riot_fields())
                .await
                .map_err(|e| e.to_string())?;
            let decoded = telltale_data::riot::decode_answer(&body).map_err(|e| e.to_string())?;
            if let Some(problem) = decoded.problems.first() {
                let more = decoded.problems.len() - 1 + decoded.unlisted_problems;
                return Err(format!("{problem} (and {more} more unreadable messages)"));
            }
            decoded.dataset
        }
    };
    data.devices.retain(|serial, _| *serial == span.serial);
    for device in data.devices.values_mut() {
        for block in device.channels.values_mut() {
            cut(block, span.start, span.end);
        }
    }
    Ok(data)
}

/// Keeps only `[start, end]` of a block (a server may send a little more).
fn cut(block: &mut telltale_data::Block, start: i64, end: i64) {
    let range = block.index_range(start, end);
    block.t = block.t[range.clone()].to_vec();
    for column in &mut block.fields {
        *column = column
            .get(range.clone())
            .map(<[f64]>::to_vec)
            .unwrap_or_default();
    }
}

/// `span` in words for a note: `AA-BT-0417 from 2025-06-21T10:00:00.000Z to ...`.
pub fn describe(span: &GapSpan) -> String {
    format!(
        "{} from {} to {}",
        span.serial,
        telltale_data::time::rfc3339_ms(span.start),
        telltale_data::time::rfc3339_ms(span.end)
    )
}

/// Live samples held while a gap-fill runs, per channel in ascending time, bounded.
#[derive(Debug, Default)]
pub struct Hold {
    data: Dataset,
}

impl Hold {
    /// Holds `data` as it came (the window drops repeats on release, and counts them);
    /// returns how many held samples were dropped to stay within [`HOLD_LIMIT`] per
    /// channel, the oldest first.
    pub fn push(&mut self, data: Dataset) -> usize {
        let mut dropped = 0;
        for (serial, device) in data.devices {
            let held = self.data.devices.entry(serial).or_default();
            for (key, block) in device.channels {
                let into = held.channels.entry(key).or_default();
                append(into, &block);
                dropped += limit(into);
            }
        }
        dropped
    }

    /// Everything held, for release.
    pub fn take(&mut self) -> Dataset {
        std::mem::take(&mut self.data)
    }

    /// Samples held.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.data.sample_count()
    }
}

fn limit(block: &mut telltale_data::Block) -> usize {
    let over = block.t.len().saturating_sub(HOLD_LIMIT);
    if over > 0 {
        block.t.drain(..over);
        for column in &mut block.fields {
            column.drain(..over.min(column.len()));
        }
    }
    over
}

#[cfg(test)]
#[path = "gap_tests.rs"]
mod tests;

//! Live data inside the simulator: every new sample of every device passes through one
//! [`LiveHub`], whoever made it (the demo boats sailing now, or a device pushing over the
//! Riot device port), and every live reader (the JSON WebSocket, Riot's binary WebSocket)
//! subscribes to it and keeps what its user may read.
//!
//! - [`demo`]: the ticker that publishes the demo devices' samples as their seconds pass,
//!   only while someone listens.
//! - [`socket`]: what both WebSockets share (heartbeat, idle limit, faults, shutdown), each
//!   dialect bringing its own messages ([`crate::api::live`], [`crate::riot::websocket`]).
//! - [`sockets`]: the registry of open live sockets, for faults and shutdown.

pub mod demo;
pub mod socket;
pub mod sockets;

pub use sockets::LiveFault;

use crate::demo::data::Series;
use crate::world::TypeKey;
use std::sync::Arc;
use tokio::sync::{broadcast, Notify};

/// Batches a slow reader may fall behind by before it starts losing the oldest (it is then
/// told how many it lost, see [`broadcast::error::RecvError::Lagged`]).
const BACKLOG: usize = 4096;

/// One device's new samples, in the app's units and type codes (the JSON dialect's), as
/// both live readers encode them.
#[derive(Clone, Debug, PartialEq)]
pub struct LivePoints {
    pub serial: String,
    /// Channels with their new samples, each in time order.
    pub channels: Vec<(TypeKey, Series)>,
}

impl LivePoints {
    /// The samples with a time in one of the sorted, disjoint intervals `[start, end]` (ms);
    /// channels left empty are dropped. What a reader keeps of a batch its user may read
    /// only in part.
    pub fn within(&self, intervals: &[(i64, i64)]) -> LivePoints {
        let inside = |t: f64| {
            intervals
                .iter()
                .any(|&(s, e)| s as f64 <= t && t <= e as f64)
        };
        let channels = self
            .channels
            .iter()
            .filter_map(|(key, series)| {
                let keep: Vec<usize> = (0..series.t.len())
                    .filter(|&i| inside(series.t[i]))
                    .collect();
                if keep.is_empty() {
                    return None;
                }
                let pick = |v: &Vec<f64>| keep.iter().filter_map(|&i| v.get(i).copied()).collect();
                let series = Series {
                    t: pick(&series.t),
                    fields: series.fields.iter().map(pick).collect(),
                };
                Some((*key, series))
            })
            .collect();
        LivePoints {
            serial: self.serial.clone(),
            channels,
        }
    }

    /// The oldest sample time of the batch (ms), if it holds any.
    pub fn first_ms(&self) -> Option<i64> {
        self.channels
            .iter()
            .filter_map(|(_, s)| s.t.first().copied())
            .fold(None, |acc: Option<f64>, t| {
                Some(acc.map_or(t, |a| a.min(t)))
            })
            .map(|t| t as i64)
    }

    /// The newest sample time of the batch (ms), if it holds any.
    pub fn last_ms(&self) -> Option<i64> {
        self.channels
            .iter()
            .filter_map(|(_, s)| s.t.last().copied())
            .fold(None, |acc: Option<f64>, t| {
                Some(acc.map_or(t, |a| a.max(t)))
            })
            .map(|t| t as i64)
    }
}

/// Where new samples are published and live readers subscribe.
pub struct LiveHub {
    tx: broadcast::Sender<Arc<LivePoints>>,
    /// Woken by each new reader, so the demo ticker can sleep while nobody listens.
    first_reader: Notify,
}

impl Default for LiveHub {
    fn default() -> Self {
        let (tx, _) = broadcast::channel(BACKLOG);
        LiveHub {
            tx,
            first_reader: Notify::new(),
        }
    }
}

impl LiveHub {
    /// Sends `points` to every subscribed reader; returns how many there are.
    pub fn publish(&self, points: LivePoints) -> usize {
        self.tx.send(Arc::new(points)).unwrap_or(0)
    }

    /// A new reader: it hears every batch published from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<LivePoints>> {
        let rx = self.tx.subscribe();
        self.first_reader.notify_one();
        rx
    }

    /// Returns once there is a reader (at once if there is one already).
    pub async fn wait_for_listener(&self) {
        while self.listeners() == 0 {
            // `notify_one` keeps a permit when nobody waits, so no new reader is missed.
            self.first_reader.notified().await;
        }
    }

    /// How many readers are subscribed (the demo boats only sail live while someone
    /// watches).
    pub fn listeners(&self) -> usize {
        self.tx.receiver_count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn batch(serial: &str, t: &[f64]) -> LivePoints {
        LivePoints {
            serial: serial.into(),
            channels: vec![(
                TypeKey::new(9),
                Series {
                    t: t.to_vec(),
                    fields: vec![t.iter().map(|_| 5.0).collect()],
                },
            )],
        }
    }

    #[tokio::test]
    async fn every_subscriber_hears_what_is_published_after_it_subscribed() {
        let hub = LiveHub::default();
        assert_eq!(hub.publish(batch("A", &[1.0])), 0, "nobody listens yet");
        let mut first = hub.subscribe();
        let mut second = hub.subscribe();
        assert_eq!(hub.listeners(), 2);
        assert_eq!(hub.publish(batch("B", &[1000.0, 2000.0])), 2);
        for rx in [&mut first, &mut second] {
            let heard = rx.recv().await.unwrap();
            assert_eq!(heard.serial, "B");
            assert_eq!(heard.last_ms(), Some(2000));
        }
        drop(first);
        assert_eq!(hub.listeners(), 1);
        // A reader is there: waiting for one returns at once.
        hub.wait_for_listener().await;
    }

    #[test]
    fn within_keeps_the_samples_inside_the_intervals() {
        let points = batch("A", &[1000.0, 2000.0, 3000.0, 4000.0]);
        let kept = points.within(&[(1500, 2000), (4000, 9000)]);
        assert_eq!(kept.channels[0].1.t, vec![2000.0, 4000.0]);
        assert_eq!(kept.channels[0].1.fields, vec![vec![5.0, 5.0]]);
        assert_eq!((kept.first_ms(), kept.last_ms()), (Some(2000), Some(4000)));
        assert!(points.within(&[(5000, 6000)]).channels.is_empty());
        assert!(points.within(&[]).channels.is_empty());
    }
}

//! Live data inside the simulator: every new sample of every device passes through one
//! [`LiveHub`], whoever made it (the demo boats sailing now, or a device pushing over the
//! Riot device port), and every live reader (the JSON WebSocket, Riot's binary WebSocket)
//! subscribes to it and keeps what its user may read.

use crate::demo::data::Series;
use crate::world::TypeKey;
use std::sync::Arc;
use tokio::sync::broadcast;

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
}

impl Default for LiveHub {
    fn default() -> Self {
        let (tx, _) = broadcast::channel(BACKLOG);
        LiveHub { tx }
    }
}

impl LiveHub {
    /// Sends `points` to every subscribed reader; returns how many there are.
    pub fn publish(&self, points: LivePoints) -> usize {
        self.tx.send(Arc::new(points)).unwrap_or(0)
    }

    /// A new reader: it hears every batch published from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<LivePoints>> {
        self.tx.subscribe()
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
    }
}

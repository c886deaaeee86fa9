//! What the server does with a device's `Data`: each `DataMsg` names its device by serial
//! number (ones naming a session id are let be: the simulator has no Riot sessions). Its
//! points become samples in the app's units ([`crate::riot::points::sample`]; a position's
//! altitude becomes type 5 of the same data source), a timestamp of 0 becomes the server's
//! receive time, and then by `type_of_service` (its low two bits; the higher ones are
//! update/sync/ack flags): 1 live only (published, not stored), 2 persistent only (stored,
//! not published), 0 and 3 both.
//!
//! Points that are not numbers (text, logs, files, ..), carry a value that is not finite,
//! or are stamped more than [`MAX_AHEAD_MS`] after the server's clock are dropped.

use crate::demo::data::Series;
use crate::live::LivePoints;
use crate::riot::points::sample;
use crate::server::AppState;
use crate::world::TypeKey;
use riot_proto::{data_msg, Data, DataPoint};
use std::collections::BTreeMap;

/// Points stamped further ahead of the server's clock than this (a day) are dropped: a
/// device with a broken clock should not push a channel's history out of the store.
pub const MAX_AHEAD_MS: i64 = 24 * 3600 * 1000;
/// Longest serial number taken, as `POST devices`.
const MAX_SERIAL_CHARS: usize = 64;
/// The app's type code of altitude, which Riot sends inside `pos`.
const ALTITUDE: u16 = 5;

/// Why a device is disconnected: a code that reads like HTTP's and a reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    pub code: u32,
    pub reason: String,
}

/// Whether a `type_of_service` is stored and whether it is published live.
pub fn service(type_of_service: u32) -> (bool, bool) {
    match type_of_service & 3 {
        1 => (false, true),
        2 => (true, false),
        _ => (true, true),
    }
}

/// A device's points grouped into channels, each in time order with one sample per time
/// (the last point of a time wins).
pub fn channels(points: &[DataPoint], now_ms: i64) -> Vec<(TypeKey, Series)> {
    let mut grouped: BTreeMap<TypeKey, Vec<(i64, Vec<f64>)>> = BTreeMap::new();
    for p in points {
        let Some(s) = sample(p) else {
            continue;
        };
        let t = match i64::try_from(s.t_ms) {
            Ok(0) => now_ms,
            Ok(t) if t <= now_ms.saturating_add(MAX_AHEAD_MS) => t,
            _ => continue,
        };
        if !s.values.iter().all(|v| v.is_finite()) {
            continue;
        }
        grouped
            .entry(TypeKey::with_dsi(s.kind.app_code, s.dsi))
            .or_default()
            .push((t, s.values));
        if let Some(altitude) = s.altitude.filter(|a| a.is_finite()) {
            grouped
                .entry(TypeKey::with_dsi(ALTITUDE, s.dsi))
                .or_default()
                .push((t, vec![altitude]));
        }
    }
    grouped
        .into_iter()
        .map(|(key, mut samples)| {
            // Stable, so the last of equal times stays last; then keep that one.
            samples.sort_by_key(|(t, _)| *t);
            let mut series = Series::default();
            for (t, values) in samples {
                if series.t.last() == Some(&(t as f64)) {
                    series.t.pop();
                    for column in &mut series.fields {
                        column.pop();
                    }
                }
                series.t.push(t as f64);
                series
                    .fields
                    .resize(values.len().max(series.fields.len()), Vec::new());
                for (column, v) in series.fields.iter_mut().zip(values) {
                    column.push(v);
                }
            }
            (key, series)
        })
        .collect()
}

fn valid_serial(serial: &str) -> bool {
    !serial.trim().is_empty()
        && serial.chars().count() <= MAX_SERIAL_CHARS
        && !serial.chars().any(char::is_control)
}

/// Takes in one `Data` message (see the module docs).
pub fn ingest(state: &AppState, data: Data) -> Result<(), Refusal> {
    let now = state.clock.now_ms();
    for message in data.data {
        let serial = match message.source {
            Some(data_msg::Source::SerialNumber(serial)) => serial,
            Some(data_msg::Source::SessionId(id)) => {
                tracing::debug!(id, "device port: data for a session id let be");
                continue;
            }
            None => {
                tracing::debug!("device port: data naming no device let be");
                continue;
            }
        };
        let serial = serial.trim().to_string();
        if !valid_serial(&serial) {
            return Err(Refusal {
                code: 400,
                reason: format!(
                    "A serial number must be 1 to {MAX_SERIAL_CHARS} printable characters"
                ),
            });
        }
        let created = state
            .riot
            .device_connected(&state.world, &serial)
            .map_err(|reason| Refusal { code: 507, reason })?;
        if created {
            tracing::info!(serial, "device port: a new device, with no owner yet");
        }
        let channels = channels(&message.data, now);
        if channels.is_empty() {
            continue;
        }
        let (store, live) = service(message.type_of_service);
        if store {
            state
                .pushed
                .insert(&serial, &channels)
                .map_err(|e| Refusal {
                    code: 507,
                    reason: e.to_string(),
                })?;
        }
        if live {
            state.live.publish(LivePoints { serial, channels });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use riot_proto::data_point::Point;
    use riot_proto::{GnssPosition, SpeedOverGround, Text};

    fn sog(t: u64, kmh: f64) -> DataPoint {
        DataPoint {
            source_id: 0,
            point: Some(Point::Sog(SpeedOverGround {
                timestamp: t,
                value: kmh,
            })),
        }
    }

    #[test]
    fn points_group_into_channels_in_app_units() {
        let pos = DataPoint {
            source_id: 100,
            point: Some(Point::Pos(GnssPosition {
                timestamp: 2000,
                latitude: 54.4,
                longitude: 10.2,
                altitude: 3.0,
                fields: 7,
            })),
        };
        let text = DataPoint {
            source_id: 0,
            point: Some(Point::Txt(Text::default())),
        };
        let points = [
            sog(3000, 18.52),
            sog(1000, 1.852),
            sog(0, 3.704),
            sog(3000, 37.04),
            sog(5 * MAX_AHEAD_MS as u64, 1.0),
            sog(4000, f64::NAN),
            pos,
            text,
        ];
        let got: BTreeMap<TypeKey, Series> = channels(&points, 9000).into_iter().collect();
        let speeds = &got[&TypeKey::new(9)];
        assert_eq!(speeds.t, [1000.0, 3000.0, 9000.0]);
        let knots: Vec<f64> = speeds.fields[0].iter().map(|v| v.round()).collect();
        assert_eq!(knots, [1.0, 20.0, 2.0], "the later point of a time wins");
        assert_eq!(
            got[&TypeKey::with_dsi(1, 100)].fields,
            [vec![10.2], vec![54.4]]
        );
        assert_eq!(got[&TypeKey::with_dsi(5, 100)].fields, [vec![3.0]]);
        assert_eq!(got.len(), 3);
    }

    #[test]
    fn type_of_service_picks_store_and_live() {
        assert_eq!(service(0), (true, true));
        assert_eq!(service(1), (false, true));
        assert_eq!(service(2), (true, false));
        assert_eq!(service(3), (true, true));
        assert_eq!(service(6), (true, false), "flags above the low two bits");
    }
}

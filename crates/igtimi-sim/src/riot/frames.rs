//! Riot's live frames: a batch of samples as one `Msg` per second, each exactly the `Msg`
//! `resources/data` answers for that second ([`super::encode`]): the points of every
//! channel Riot has a kind for, ordered by `DataPoint` field and then by type key, in the
//! service's units ([`super::points`]), a position carrying the altitude of the same data
//! source and timestamp.

use super::encode::message;
use super::points::{kind_of, point};
use crate::demo::data::Series;
use crate::live::LivePoints;
use crate::world::TypeKey;
use riot_proto::units::Kind;
use riot_proto::{DataPoint, Msg};

/// The app's type code of altitude, which Riot sends inside `pos`.
const ALTITUDE: u16 = 5;

/// One channel of the batch with its kind, and its altitude column for positions.
struct Channel<'a> {
    kind: &'static Kind,
    key: TypeKey,
    series: &'a Series,
    altitude: Option<&'a Series>,
}

/// The altitude at exactly time `t`, if the altitude series has one.
fn altitude_at(altitude: Option<&Series>, t: f64) -> Option<f64> {
    let altitude = altitude?;
    let i = altitude.t.partition_point(|&a| a < t);
    (altitude.t.get(i) == Some(&t))
        .then(|| altitude.fields.first().and_then(|c| c.get(i)).copied())
        .flatten()
        .filter(|a| !a.is_nan())
}

/// The point of sample `i` of a channel.
fn point_of(channel: &Channel<'_>, i: usize) -> Option<DataPoint> {
    let mut values = [f64::NAN; 4];
    for (slot, column) in values.iter_mut().zip(&channel.series.fields) {
        *slot = column.get(i).copied().unwrap_or(f64::NAN);
    }
    let t = channel.series.t[i];
    let altitude = altitude_at(channel.altitude, t);
    point(
        channel.kind,
        channel.key.dsi,
        t.max(0.0) as u64,
        &values,
        altitude,
    )
}

/// The batch as Riot messages, one per second with samples, in time order, with each
/// second's start (Unix seconds).
pub fn messages(points: &LivePoints) -> Vec<(i64, Msg)> {
    let find = |key: TypeKey| {
        points
            .channels
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, s)| s)
    };
    let mut channels: Vec<Channel<'_>> = points
        .channels
        .iter()
        .filter_map(|(key, series)| {
            let kind = kind_of(key.code)?;
            let altitude = (kind.field == 1)
                .then(|| find(TypeKey::with_dsi(ALTITUDE, key.dsi)))
                .flatten();
            Some(Channel {
                kind,
                key: *key,
                series,
                altitude,
            })
        })
        .collect();
    channels.sort_by_key(|c| (c.kind.field, c.key));
    let mut seconds: Vec<i64> = channels
        .iter()
        .flat_map(|c| c.series.t.iter().map(|&t| (t as i64).div_euclid(1000)))
        .collect();
    seconds.sort_unstable();
    seconds.dedup();
    seconds
        .into_iter()
        .map(|second| {
            let (from, to) = ((second * 1000) as f64, (second * 1000 + 1000) as f64);
            let mut out = Vec::new();
            for channel in &channels {
                let t = &channel.series.t;
                let lo = t.partition_point(|&x| x < from);
                let hi = t.partition_point(|&x| x < to);
                out.extend((lo..hi).filter_map(|i| point_of(channel, i)));
            }
            (second, message(&points.serial, out))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use riot_proto::data_point::Point;
    use riot_proto::msg;

    fn series(t: &[f64], values: &[&[f64]]) -> Series {
        Series {
            t: t.to_vec(),
            fields: values.iter().map(|v| v.to_vec()).collect(),
        }
    }

    #[test]
    fn one_message_per_second_ordered_by_field_with_altitude_in_positions() {
        let points = LivePoints {
            serial: "S".into(),
            channels: vec![
                (TypeKey::new(9), series(&[1000.0, 2000.0], &[&[1.0, 2.0]])),
                (
                    TypeKey::new(1),
                    series(&[1000.0, 2000.0], &[&[10.0, 10.1], &[54.0, 54.1]]),
                ),
                (TypeKey::new(5), series(&[2000.0], &[&[3.5]])),
            ],
        };
        let messages = messages(&points);
        assert_eq!(messages.iter().map(|(s, _)| *s).collect::<Vec<_>>(), [1, 2]);
        let points_of = |m: &Msg| -> Vec<DataPoint> {
            let Some(msg::Msg::Data(data)) = &m.msg else {
                panic!("data");
            };
            data.data[0].data.clone()
        };
        let first = points_of(&messages[0].1);
        assert_eq!(first.len(), 2, "altitude rides in pos");
        let Some(Point::Pos(pos)) = &first[0].point else {
            panic!("pos first (field 1)");
        };
        assert_eq!((pos.latitude, pos.longitude, pos.fields), (54.0, 10.0, 3));
        assert!(matches!(first[1].point, Some(Point::Sog(_))));
        let Some(Point::Pos(pos)) = &points_of(&messages[1].1)[0].point else {
            panic!("pos");
        };
        assert_eq!((pos.altitude, pos.fields, pos.timestamp), (3.5, 7, 2000));
    }
}

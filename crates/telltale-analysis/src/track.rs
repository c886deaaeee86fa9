//! One boat's channels on a grid of whole seconds: the common clock of every analysis.
//! Instruments log at their own rates (1 to 10 Hz, not in step); each grid second takes
//! the mean of the samples within half a second of it (a circular mean for angles), and
//! is NaN where a channel has none.

use crate::angle;
use telltale_data::{Block, DeviceData};

/// Longest span analysed at once: a week and a day of seconds (11 channels, 57 MB).
pub const MAX_SECONDS: i64 = 8 * 86_400;

/// Channel codes of the old API, which Riot data is read into too.
pub mod code {
    pub const GPS: u16 = 1;
    pub const COG: u16 = 6;
    pub const HDG: u16 = 8;
    pub const SOG: u16 = 9;
    pub const STW: u16 = 10;
    pub const AWA: u16 = 11;
    pub const AWS: u16 = 12;
    pub const TWD: u16 = 22;
    pub const TWS: u16 = 23;
}

/// One boat's channels, each as long as `t`; NaN where the boat logged nothing near.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BoatTrack {
    /// Whole seconds, Unix ms, one second apart.
    pub t: Vec<i64>,
    pub lon: Vec<f64>,
    pub lat: Vec<f64>,
    pub cog: Vec<f64>,
    /// True heading; the course over ground where the boat logs no heading.
    pub hdg: Vec<f64>,
    pub sog: Vec<f64>,
    pub stw: Vec<f64>,
    pub awa: Vec<f64>,
    pub aws: Vec<f64>,
    pub twd: Vec<f64>,
    pub tws: Vec<f64>,
}

impl BoatTrack {
    /// The grid of `device` over `from..=to`, trimmed to its samples of position or
    /// speed; `None` when it has none there. Spans over [`MAX_SECONDS`] are cut to it.
    pub fn from_device(device: &DeviceData, from: i64, to: i64) -> Option<Self> {
        let anchor = [code::SOG, code::GPS, code::COG]
            .into_iter()
            .filter_map(|c| block(device, c))
            .filter_map(|b| {
                let r = b.index_range(from, to);
                (!r.is_empty()).then(|| (b.t[r.start], b.t[r.end - 1]))
            })
            .reduce(|a, b| (a.0.min(b.0), a.1.max(b.1)))?;
        let first = anchor.0.div_euclid(1000) * 1000;
        let last = (anchor.1.div_euclid(1000) * 1000).min(first + (MAX_SECONDS - 1) * 1000);
        let t: Vec<i64> = (first..=last).step_by(1000).collect();
        let linear = |c: u16, field: usize| resample(&t, block(device, c), field, false);
        let angular = |c: u16| resample(&t, block(device, c), 0, true);
        let cog = angular(code::COG);
        let hdg = match block(device, code::HDG) {
            Some(_) => angular(code::HDG),
            None => cog.clone(),
        };
        Some(BoatTrack {
            lon: linear(code::GPS, 0),
            lat: linear(code::GPS, 1),
            cog,
            hdg,
            sog: linear(code::SOG, 0),
            stw: linear(code::STW, 0),
            awa: resample(&t, block(device, code::AWA), 0, true)
                .into_iter()
                .map(|a| if a.is_finite() { angle::norm180(a) } else { a })
                .collect(),
            aws: linear(code::AWS, 0),
            twd: angular(code::TWD),
            tws: linear(code::TWS, 0),
            t,
        })
    }

    /// Number of grid seconds.
    pub fn len(&self) -> usize {
        self.t.len()
    }

    /// Whether the grid is empty.
    pub fn is_empty(&self) -> bool {
        self.t.is_empty()
    }

    /// The grid index of `t_ms` (rounded to its second), clamped to the grid.
    pub fn index_of(&self, t_ms: i64) -> usize {
        let Some(&first) = self.t.first() else {
            return 0;
        };
        let i = ((t_ms - first) as f64 / 1000.0).round().max(0.0) as usize;
        i.min(self.t.len() - 1)
    }
}

/// The block of `code` from the lowest data source id.
fn block(device: &DeviceData, code: u16) -> Option<&Block> {
    device
        .channels
        .iter()
        .find(|(key, b)| key.code == code && !b.is_empty())
        .map(|(_, b)| b)
}

/// `field` of `block` on the grid `t`: the mean of the samples within half a second of
/// each grid second (circular for angles), NaN where there are none.
fn resample(t: &[i64], block: Option<&Block>, field: usize, angular: bool) -> Vec<f64> {
    let mut out = vec![f64::NAN; t.len()];
    let Some(block) = block else {
        return out;
    };
    let Some(values) = block.fields.get(field) else {
        return out;
    };
    let mut i = block
        .t
        .partition_point(|&s| s < t.first().copied().unwrap_or(0) - 500);
    for (slot, &g) in out.iter_mut().zip(t) {
        while i < block.t.len() && block.t[i] < g - 500 {
            i += 1;
        }
        let mut j = i;
        while j < block.t.len() && block.t[j] < g + 500 {
            j += 1;
        }
        let near = values.get(i..j).unwrap_or_default();
        *slot = if angular {
            angle::mean(near.iter().copied())
        } else {
            let finite: Vec<f64> = near.iter().copied().filter(|v| v.is_finite()).collect();
            if finite.is_empty() {
                f64::NAN
            } else {
                finite.iter().sum::<f64>() / finite.len() as f64
            }
        };
        i = j;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use telltale_data::TypeKey;

    fn device(channels: &[(u16, Vec<i64>, Vec<f64>)]) -> DeviceData {
        let mut d = DeviceData::default();
        for (c, t, v) in channels {
            d.channels.insert(
                TypeKey::new(*c),
                Block {
                    t: t.clone(),
                    fields: vec![v.clone()],
                },
            );
        }
        d
    }

    #[test]
    fn ten_hertz_is_averaged_per_second_and_headings_wrap() {
        let t: Vec<i64> = (0..30).map(|i| 1_000_000 + i * 100).collect();
        let sog: Vec<f64> = (0..30).map(|i| f64::from(i / 10) + 5.0).collect();
        let hdg: Vec<f64> = (0..30)
            .map(|i| if i % 2 == 0 { 359.0 } else { 1.0 })
            .collect();
        let d = device(&[(code::SOG, t.clone(), sog), (code::HDG, t, hdg)]);
        let track = BoatTrack::from_device(&d, 0, i64::MAX).expect("a track");
        assert_eq!(track.t, vec![1_000_000, 1_001_000, 1_002_000]);
        // Second 0 takes samples 0..5 (5.0); second 1 takes 5..15 (five of 5, five of 6).
        assert_eq!(track.sog[0], 5.0);
        assert_eq!(track.sog[1], 5.5);
        assert!(
            angle::diff(0.0, track.hdg[1]).abs() < 1e-9,
            "{}",
            track.hdg[1]
        );
        assert!(track.twd.iter().all(|v| v.is_nan()), "not logged");
    }

    #[test]
    fn course_stands_in_for_a_missing_heading_and_gaps_stay_nan() {
        let d = device(&[
            (code::SOG, vec![0, 1000, 5000], vec![4.0, 4.0, 4.0]),
            (code::COG, vec![0, 1000, 5000], vec![90.0, 91.0, 92.0]),
        ]);
        let track = BoatTrack::from_device(&d, 0, 10_000).expect("a track");
        assert_eq!(track.len(), 6);
        assert_eq!(track.hdg[1], 91.0);
        assert!(track.sog[3].is_nan());
        assert_eq!(track.index_of(4_600), 5);
        assert!(BoatTrack::from_device(&d, 20_000, 30_000).is_none());
    }
}

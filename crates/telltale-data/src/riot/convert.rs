//! One Riot data point in the app's terms: its type code, its value columns in that type's
//! order, and its values in the app's units. The one place the service's units (km/h,
//! radians, Pa) become the app's (knots, degrees, hPa): [`convert`] multiplies every value
//! by the kind's `to_app` from `riot_proto::units`, the table the simulator divides by.

use riot_proto::data_point::Point;
use riot_proto::units::{Kind, KINDS};
use riot_proto::DataPoint;

/// The app's type code for altitude, which Riot carries inside a position.
pub(super) const ALTITUDE: u16 = 5;

/// Value columns a sample has at most (orientation's w, x, y, z; a file's four).
pub(super) const MAX_WIDTH: usize = 4;

/// One sample of one block, converted: what [`convert`] puts into a [`Sink`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Reading {
    /// The app's type code.
    pub code: u16,
    /// The data-source id (the point's `source_id`).
    pub dsi: u32,
    /// Milliseconds since the epoch.
    pub t: i64,
    /// How many of `values` are columns of this type.
    pub width: u8,
    /// The values in the app's units and column order; NaN where missing or not finite.
    pub values: [f64; MAX_WIDTH],
}

/// Where converted samples go: the columns, or a list (tests).
pub(super) trait Sink {
    fn put(&mut self, reading: Reading);
}

impl Sink for Vec<Reading> {
    fn put(&mut self, reading: Reading) {
        self.push(reading);
    }
}

/// Why a point gave no sample.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum NoSample {
    /// Its timestamp is 0: protobuf's default, "unset". Skipped and counted.
    Untimed,
    /// Not a series (text, JSON, command, event, log, session log entry, corrections), of a
    /// kind this reader does not know, or a position with none of its parts present.
    /// Skipped and counted.
    NotSeries,
    /// Its timestamp (ms) is beyond `i64::MAX`: the message is refused.
    BadTime(u64),
}

/// The `units::KINDS` row of a `DataPoint` field number, found at compile time (a missing
/// row stops the build). The same rows `units::by_field` returns, without a search per point.
const fn row(field: u32) -> &'static Kind {
    let mut i = 0;
    while i < KINDS.len() {
        if KINDS[i].field == field {
            return &KINDS[i];
        }
        i += 1;
    }
    panic!("riot_proto::units::KINDS has no row for this field")
}

/// A value in the app's unit: `value × to_app`, NaN when that is not finite (as the JSON
/// path reads values that are not numbers).
#[inline(always)]
fn app(value: f64, to_app: f64) -> f64 {
    let v = value * to_app;
    if v.is_finite() {
        v
    } else {
        f64::NAN
    }
}

/// The point's time: 0 is unset, beyond `i64::MAX` is refused.
#[inline(always)]
fn time(ms: u64) -> Result<i64, NoSample> {
    match i64::try_from(ms) {
        Ok(0) => Err(NoSample::Untimed),
        Ok(t) => Ok(t),
        Err(_) => Err(NoSample::BadTime(ms)),
    }
}

/// Converts one data point: pushes its samples (none, one, or two for a position with an
/// altitude) onto `out`, or says why it has none. The only unit conversion of the reader.
///
/// - `pos` is type 1 `[longitude, latitude]` (Riot sends latitude first) and, when `fields`
///   bit 2 is set, type 5 `[altitude]`. `fields` 0 (proto3's default) means latitude and
///   longitude are present; otherwise bits 0 and 1 say which are, a missing one is NaN.
/// - `hr` is `[event_time, hb_count, heart_rate]`, `ori` `[w, x, y, z]`, `acc`/`spd`/`for`
///   `[x, y, z]`, `file` `[NaN, NaN, NaN, size]` (the JSON type's strings have no numbers);
///   `bool` is 1 or 0, integers become `f64`. Their `fields` bits are not read: every
///   column is taken as sent.
/// - Every value is multiplied by the kind's `to_app`, and is NaN when not finite.
#[inline]
pub(super) fn convert(point: &DataPoint, out: &mut impl Sink) -> Result<(), NoSample> {
    let dsi = point.source_id;
    let Some(kind) = point.point.as_ref() else {
        // A kind this build does not know (a newer firmware's field number), or none.
        return Err(NoSample::NotSeries);
    };
    let mut push = |kind: &Kind, ms: u64, values: &[f64]| -> Result<(), NoSample> {
        let t = time(ms)?;
        let mut reading = Reading {
            code: kind.app_code,
            dsi,
            t,
            width: values.len() as u8,
            values: [f64::NAN; MAX_WIDTH],
        };
        for (slot, &v) in reading.values.iter_mut().zip(values) {
            *slot = app(v, kind.to_app);
        }
        out.put(reading);
        Ok(())
    };
    macro_rules! scalar {
        ($field:literal, $p:expr) => {
            push(const { row($field) }, $p.timestamp, &[$p.value as f64])
        };
    }
    match kind {
        Point::Pos(p) => {
            const POS: &Kind = row(1);
            let t = time(p.timestamp)?;
            let (lat, lon, alt) = match p.fields {
                0 => (true, true, false),
                bits => (bits & 1 != 0, bits & 2 != 0, bits & 4 != 0),
            };
            let present = |yes: bool, v: f64| if yes { app(v, POS.to_app) } else { f64::NAN };
            if lat || lon {
                out.put(Reading {
                    code: POS.app_code,
                    dsi,
                    t,
                    width: 2,
                    values: [
                        present(lon, p.longitude),
                        present(lat, p.latitude),
                        f64::NAN,
                        f64::NAN,
                    ],
                });
            }
            if alt {
                out.put(Reading {
                    code: ALTITUDE,
                    dsi,
                    t,
                    width: 1,
                    values: [app(p.altitude, POS.to_app), f64::NAN, f64::NAN, f64::NAN],
                });
            }
            if lat || lon || alt {
                Ok(())
            } else {
                Err(NoSample::NotSeries)
            }
        }
        Point::Satq(p) => scalar!(2, p),
        Point::Satc(p) => scalar!(3, p),
        Point::Len(p) => scalar!(4, p),
        Point::Ang(p) => scalar!(5, p),
        Point::Cog(p) => scalar!(6, p),
        Point::Hdgm(p) => scalar!(7, p),
        Point::Hdg(p) => scalar!(8, p),
        Point::Sog(p) => scalar!(9, p),
        Point::Stw(p) => scalar!(10, p),
        Point::Awa(p) => scalar!(11, p),
        Point::Aws(p) => scalar!(12, p),
        Point::Hr(p) => push(
            const { row(13) },
            p.timestamp,
            &[
                p.event_time as f64,
                f64::from(p.hb_count),
                f64::from(p.heart_rate),
            ],
        ),
        Point::Freq(p) => scalar!(14, p),
        Point::Temp(p) => scalar!(15, p),
        Point::File(p) => push(
            const { row(16) },
            p.timestamp,
            &[f64::NAN, f64::NAN, f64::NAN, p.size as f64],
        ),
        Point::Ori(p) => push(const { row(17) }, p.timestamp, &[p.w, p.x, p.y, p.z]),
        Point::Acc(p) => push(const { row(18) }, p.timestamp, &[p.x, p.y, p.z]),
        Point::Spd(p) => push(const { row(19) }, p.timestamp, &[p.x, p.y, p.z]),
        Point::For(p) => push(const { row(20) }, p.timestamp, &[p.x, p.y, p.z]),
        Point::Torq(p) => scalar!(21, p),
        Point::Twd(p) => scalar!(22, p),
        Point::Tws(p) => scalar!(23, p),
        Point::Press(p) => scalar!(24, p),
        Point::Pwr(p) => scalar!(25, p),
        Point::Volt(p) => scalar!(26, p),
        Point::Amp(p) => scalar!(27, p),
        Point::Time(p) => scalar!(28, p),
        Point::Num(p) => scalar!(50, p),
        Point::Int(p) => scalar!(51, p),
        Point::Bool(p) => push(
            const { row(53) },
            p.timestamp,
            &[if p.value { 1.0 } else { 0.0 }],
        ),
        Point::Txt(_)
        | Point::Json(_)
        | Point::Event(_)
        | Point::Log(_)
        | Point::Cmd(_)
        | Point::Sle(_)
        | Point::Cor(_) => Err(NoSample::NotSeries),
    }
}

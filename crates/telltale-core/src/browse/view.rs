//! Downsampled views of the loaded data: chart series (M4 per pixel column, gaps as null)
//! and tracks (evenly picked positions with a speed for colouring). No network.

use super::catalog::check_range;
use super::channels::TypeTable;
use super::views::*;
use super::{worker_failed, DataBrowser, Loaded};
use crate::AppError;
use std::sync::Arc;
use telltale_data::downsample::{break_wraps, is_direction, min_max, pick_track};
use telltale_data::{Block, Dataset, DeviceData, TypeKey};

/// Narrowest and widest view, pixels.
pub const VIEW_WIDTHS: std::ops::RangeInclusive<u32> = 100..=8192;
/// Most positions a track view holds.
pub const MAX_TRACK_POINTS: usize = 4000;
/// How far (ms) a SOG sample may be from a position to give its speed.
pub(crate) const MATCH_WITHIN_MS: i64 = 5000;
/// Metres per second in a knot.
pub(crate) const MPS_PER_KNOT: f64 = 1852.0 / 3600.0;
/// Mean Earth radius, metres.
const EARTH_RADIUS_M: f64 = 6_371_008.8;

impl DataBrowser {
    /// The loaded data over `[from, to]` for a chart `width` pixels wide (clamped to
    /// 100..=8192): per device, type key and value column a series of at most `4 × width`
    /// points with `null` at gaps (directions also break where they wrap around 0/360); per
    /// device with positions a track of at most 4000 points.
    /// [`AppError::NothingLoaded`] before a load.
    pub async fn view(&self, request: ViewRequest) -> Result<DataView, AppError> {
        check_range(request.from, request.to)?;
        let loaded = self.loaded()?;
        let width = request
            .width
            .clamp(*VIEW_WIDTHS.start(), *VIEW_WIDTHS.end()) as usize;
        self.memory().view_width = Some(width);
        if let Some(view) = view_ahead(&loaded, request.from, request.to, width).await {
            return Ok(DataView::clone(&view));
        }
        build_apart(loaded, request.from, request.to, width).await
    }

    /// What a load about to end over `[from, to]` should build ahead: its whole span at
    /// the width the page asked for last (nothing before its first view).
    pub(crate) fn ahead_of(&self, from: i64, to: i64) -> Option<ViewAhead> {
        let width = self.memory().view_width?;
        Some(ViewAhead {
            from,
            to,
            width,
            view: tokio::sync::OnceCell::new(),
        })
    }
}

/// The view of a load's whole span at the width the page asked for last, built as soon as
/// the load ends: that is the page's next request, made once it has shown the load's
/// summary. In the plot benchmark building it took 6-7 ms of a reopen's 12-23 ms view.
#[derive(Debug)]
pub(crate) struct ViewAhead {
    from: i64,
    to: i64,
    width: usize,
    /// `None`: the build failed (a worker panic); the request then builds it again.
    view: tokio::sync::OnceCell<Option<Arc<DataView>>>,
}

/// Starts building `loaded`'s view ahead, if it has one to build.
pub(crate) fn start_view_ahead(loaded: &Arc<Loaded>) {
    if let Some(ahead) = &loaded.ahead {
        let (from, to, width) = (ahead.from, ahead.to, ahead.width);
        let loaded = Arc::clone(loaded);
        tokio::spawn(async move { view_ahead(&loaded, from, to, width).await });
    }
}

/// The view built ahead when it is the one asked for, waiting for it if it is still
/// being built.
async fn view_ahead(
    loaded: &Arc<Loaded>,
    from: i64,
    to: i64,
    width: usize,
) -> Option<Arc<DataView>> {
    let ahead = loaded.ahead.as_ref()?;
    if (ahead.from, ahead.to, ahead.width) != (from, to, width) {
        return None;
    }
    let build = || async {
        let view = build_apart(Arc::clone(loaded), from, to, width).await;
        view.ok().map(Arc::new)
    };
    ahead.view.get_or_init(build).await.clone()
}

/// [`build`] on a blocking thread: a week of data takes milliseconds.
async fn build_apart(
    loaded: Arc<Loaded>,
    from: i64,
    to: i64,
    width: usize,
) -> Result<DataView, AppError> {
    tokio::task::spawn_blocking(move || {
        let name_of = |serial: &str| loaded.name(serial);
        build(&loaded.dataset, &name_of, &loaded.types, from, to, width)
    })
    .await
    .map_err(worker_failed)
}

/// The charts' view of `dataset` over `[from, to]` at `width` buckets, as [`DataBrowser::view`]
/// builds it for a load, with devices named by serial and the built-in type table. For
/// benchmarks and tools that hold a decoded dataset without a session.
pub fn view_of(dataset: &Dataset, from: i64, to: i64, width: usize) -> DataView {
    build(
        dataset,
        &|serial| serial.to_string(),
        &TypeTable::from_server(&[]),
        from,
        to,
        width,
    )
}

/// The view of `dataset`, with `name_of` naming devices by serial and `types` describing
/// the channels. The series are downsampled on every core (each column is independent).
fn build(
    dataset: &Dataset,
    name_of: &dyn Fn(&str) -> String,
    types: &TypeTable,
    from: i64,
    to: i64,
    width: usize,
) -> DataView {
    let mut columns = Vec::new();
    let mut tracks = Vec::new();
    for (serial, device) in &dataset.devices {
        let device_name = name_of(serial);
        for (key, block) in &device.channels {
            if key.code == 1 {
                if key.dsi == 0 {
                    if let Some(track) = track(device, block, from, to) {
                        tracks.push(TrackView {
                            serial: serial.clone(),
                            device_name: device_name.clone(),
                            ..track
                        });
                    }
                }
                continue;
            }
            for (index, column) in block.fields.iter().enumerate() {
                columns.push(Column {
                    serial,
                    device_name: device_name.clone(),
                    channel: types.channel(*key, index + 1),
                    t: &block.t,
                    values: column,
                });
            }
        }
    }
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let per_thread = columns.len().div_ceil(threads).max(1);
    let series = std::thread::scope(|scope| {
        let workers: Vec<_> = columns
            .chunks(per_thread)
            .map(|part| scope.spawn(move || downsample_columns(part, from, to, width)))
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| worker.join().expect("downsampling does not panic"))
            .collect()
    });
    DataView {
        from,
        to,
        series,
        tracks,
    }
}

/// One value column to downsample into a chart series.
struct Column<'a> {
    serial: &'a str,
    device_name: String,
    channel: super::views::ChannelView,
    t: &'a [i64],
    values: &'a [f64],
}

/// The non-empty series of `columns` over `[from, to]` at `width` buckets, in order; a
/// direction's series breaks where it wraps around.
fn downsample_columns(columns: &[Column], from: i64, to: i64, width: usize) -> Vec<SeriesView> {
    columns
        .iter()
        .filter_map(|column| {
            let (t, v) = min_max(column.t, column.values, from, to, width);
            let (t, v) = if is_direction(column.channel.code) {
                break_wraps(&t, &v)
            } else {
                (t, v)
            };
            (!t.is_empty()).then(|| SeriesView {
                serial: column.serial.to_string(),
                device_name: column.device_name.clone(),
                channel: column.channel.clone(),
                t,
                v: v.into_iter().map(|x| x.is_finite().then_some(x)).collect(),
            })
        })
        .collect()
}

/// The track of one device's primary position block, without serial and name.
fn track(device: &DeviceData, position: &Block, from: i64, to: i64) -> Option<TrackView> {
    let (lon, lat) = match position.fields.as_slice() {
        [lon, lat, ..] => (lon, lat),
        _ => return None,
    };
    let picked = pick_track(&position.t, lon, lat, from, to, MAX_TRACK_POINTS);
    if picked.is_empty() {
        return None;
    }
    let sog = device.channels.get(&TypeKey::new(9));
    let speed = picked
        .iter()
        .map(|&i| {
            sample_near(sog, position.t[i]).or_else(|| computed_speed_kn(&position.t, lon, lat, i))
        })
        .collect();
    Some(TrackView {
        serial: String::new(),
        device_name: String::new(),
        t: picked.iter().map(|&i| position.t[i]).collect(),
        lon: picked.iter().map(|&i| lon[i]).collect(),
        lat: picked.iter().map(|&i| lat[i]).collect(),
        speed,
    })
}

/// The first-column value of `block` nearest to `t`, if within [`MATCH_WITHIN_MS`] and finite.
pub(crate) fn sample_near(block: Option<&Block>, t: i64) -> Option<f64> {
    let block = block?;
    let column = block.fields.first()?;
    let index = nearest(&block.t, t, MATCH_WITHIN_MS)?;
    column.get(index).copied().filter(|v| v.is_finite())
}

/// Index of the time in `times` (ascending) nearest to `t`, if within `within` ms.
pub(crate) fn nearest(times: &[i64], t: i64, within: i64) -> Option<usize> {
    let after = times.partition_point(|&x| x < t);
    let candidates = [after.checked_sub(1), Some(after)];
    candidates
        .into_iter()
        .flatten()
        .filter(|&i| i < times.len())
        .min_by_key(|&i| (times[i] - t).unsigned_abs())
        .filter(|&i| (times[i] - t).abs() <= within)
}

/// Speed in knots from the positions around index `i` (the previous one, else the next).
fn computed_speed_kn(t: &[i64], lon: &[f64], lat: &[f64], i: usize) -> Option<f64> {
    let other = if i > 0 { i - 1 } else { i + 1 };
    let (a, b) = (i.min(other), i.max(other));
    if b >= t.len() {
        return None;
    }
    let seconds = (t[b] - t[a]) as f64 / 1000.0;
    if seconds <= 0.0 {
        return None;
    }
    let metres = distance_m(lon[a], lat[a], lon[b], lat[b]);
    let knots = metres / seconds / MPS_PER_KNOT;
    knots.is_finite().then_some(knots)
}

/// Great-circle distance in metres (haversine).
fn distance_m(lon1: f64, lat1: f64, lon2: f64, lat2: f64) -> f64 {
    let (phi1, phi2) = (lat1.to_radians(), lat2.to_radians());
    let d_phi = phi2 - phi1;
    let d_lambda = (lon2 - lon1).to_radians();
    let h = (d_phi / 2.0).sin().powi(2) + phi1.cos() * phi2.cos() * (d_lambda / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_M * h.sqrt().min(1.0).asin()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A boat's speed (SOG) and positions, one a second for an hour.
    fn loaded(ahead: Option<(i64, i64, usize)>) -> Arc<Loaded> {
        let t: Vec<String> = (0..3600).map(|i| (1000 * i).to_string()).collect();
        let sog: Vec<String> = (0..3600).map(|i| (i % 17).to_string()).collect();
        let lon: Vec<String> = (0..3600)
            .map(|i| (10.0 + i as f64 * 1e-5).to_string())
            .collect();
        let json = format!(
            r#"{{"B":{{"9":{{"t":[{t}],"1":[{sog}]}},"1":{{"t":[{t}],"1":[{lon}],"2":[{lon}]}}}}}}"#,
            t = t.join(","),
            sog = sog.join(","),
            lon = lon.join(","),
        );
        Arc::new(Loaded {
            dataset: telltale_data::decode(json.as_bytes()).expect("a dataset"),
            names: Default::default(),
            types: TypeTable::from_server(&[]),
            ahead: ahead.map(|(from, to, width)| ViewAhead {
                from,
                to,
                width,
                view: tokio::sync::OnceCell::new(),
            }),
        })
    }

    fn built(loaded: &Loaded, from: i64, to: i64, width: usize) -> DataView {
        let name_of = |serial: &str| loaded.name(serial);
        build(&loaded.dataset, &name_of, &loaded.types, from, to, width)
    }

    #[tokio::test]
    async fn the_view_ahead_is_built_unasked_and_is_the_view_asked_for() {
        let loaded = loaded(Some((0, 3_599_000, 300)));
        start_view_ahead(&loaded);
        let ahead = loaded.ahead.as_ref().expect("a view ahead");
        for _ in 0..500 {
            if ahead.view.initialized() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        assert!(ahead.view.initialized(), "built without being asked for");
        let served = view_ahead(&loaded, 0, 3_599_000, 300)
            .await
            .expect("served");
        let expected = built(&loaded, 0, 3_599_000, 300);
        assert!(!expected.series.is_empty() && !expected.tracks.is_empty());
        assert_eq!(*served, expected);
    }

    #[tokio::test]
    async fn another_range_or_width_is_not_served_from_the_view_ahead() {
        let loaded = loaded(Some((0, 3_599_000, 300)));
        assert!(view_ahead(&loaded, 0, 3_599_000, 301).await.is_none());
        assert!(view_ahead(&loaded, 1000, 3_599_000, 300).await.is_none());
        assert!(view_ahead(&loaded, 0, 3_000_000, 300).await.is_none());
        // Asked for before it was started: built then, once.
        let first = view_ahead(&loaded, 0, 3_599_000, 300).await.expect("built");
        let again = view_ahead(&loaded, 0, 3_599_000, 300).await.expect("kept");
        assert!(Arc::ptr_eq(&first, &again));
        let none = self::loaded(None);
        start_view_ahead(&none);
        assert!(view_ahead(&none, 0, 3_599_000, 300).await.is_none());
    }

    #[test]
    fn nearest_times_within_a_tolerance() {
        let times = [0, 1000, 2000, 10_000];
        assert_eq!(nearest(&times, 1400, 500), Some(1));
        assert_eq!(nearest(&times, 1600, 500), Some(2));
        assert_eq!(nearest(&times, 6000, 3000), None);
        assert_eq!(nearest(&times, 12_000, 5000), Some(3));
        assert_eq!(nearest(&[], 1, 5), None);
    }

    #[test]
    fn speed_from_positions() {
        // One minute of latitude (1852 m) in 100 s is 36 kn.
        let t = [0, 100_000];
        let lon = [10.0, 10.0];
        let lat = [54.0, 54.0 + 1.0 / 60.0];
        let knots = computed_speed_kn(&t, &lon, &lat, 1).expect("speed");
        assert!((knots - 36.0).abs() < 0.1, "{knots}");
        assert_eq!(computed_speed_kn(&[5], &[1.0], &[1.0], 0), None);
    }
}

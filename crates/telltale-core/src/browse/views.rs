//! What browsing shows the UI: plain data, serialised in camelCase, times as ms since 1970.

use crate::AppError;
use serde::{Deserialize, Serialize};

/// Everything the account can browse, for the "Your data" area.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct CatalogView {
    /// The API the server speaks: `igtimi` (the old JSON API) or `riot`. A Riot server has
    /// no sessions and no groups: data is browsed by device and time.
    #[cfg_attr(feature = "ts", ts(type = "\"igtimi\" | \"riot\""))]
    pub dialect: &'static str,
    /// Own devices, then devices shared with the account.
    pub devices: Vec<DeviceView>,
    /// The groups the account belongs to.
    pub groups: Vec<GroupView>,
    /// Readable sessions, newest first.
    pub sessions: Vec<SessionView>,
    /// The data types, the server's descriptions over the built-in table.
    pub data_types: Vec<TypeView>,
    /// End of the newest readable resource in the last 400 days (else of all time), to
    /// anchor the "last day"/"last week" presets.
    pub newest_data_ms: Option<i64>,
}

/// A device the account can read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct DeviceView {
    /// Serial number.
    pub serial: String,
    /// Its name (the serial when the account does not own it and no name is known).
    pub name: String,
    /// Whether the account owns it.
    pub owned: bool,
    /// For a device shared with the account: the windows through which it is readable.
    pub shared_windows: Vec<WindowView>,
    /// On a Riot server: the device's data access windows (data is readable only inside
    /// one, even for its owner), oldest first. Empty on the old API.
    pub access_windows: Vec<AccessWindowView>,
}

/// A Riot data access window: the device's data in `[start, end]` is readable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct AccessWindowView {
    /// The server's id (to close it).
    pub id: u64,
    /// The device.
    pub serial: String,
    /// First moment covered, ms.
    pub start: i64,
    /// Last moment covered, ms.
    pub end: i64,
}

/// A data access window on a shared device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct WindowView {
    /// First moment covered.
    pub start: i64,
    /// Last moment covered.
    pub end: i64,
    /// Who it grants to (`Kai Jensen`, `group Team Tern`).
    pub recipient: String,
}

/// A group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct GroupView {
    /// Group id.
    pub id: u64,
    /// Name.
    pub name: String,
    /// Hidden from listings meant for others.
    pub hidden: bool,
}

/// A session (race, training).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct SessionView {
    /// Session id.
    pub id: u64,
    /// Name.
    pub name: String,
    /// Start.
    pub start: i64,
    /// End; `None` while it goes on.
    pub end: Option<i64>,
    /// Owner's user id.
    pub owner_id: Option<u64>,
    /// Owner's name, when the account can see that user.
    pub owner_name: Option<String>,
}

/// A data type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct TypeView {
    /// Code.
    pub code: u16,
    /// Abbreviation (`SOG`).
    pub short_name: String,
    /// Full name.
    pub name: String,
    /// Value columns.
    pub fields: Vec<FieldView>,
}

/// A value column of a data type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct FieldView {
    /// What it holds.
    pub name: String,
    /// Unit symbol, empty when dimensionless.
    pub unit: String,
}

/// A block of one device's data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ResourceView {
    /// Resource id.
    pub id: u64,
    /// Device serial.
    pub serial: String,
    /// Device name (the serial when unknown).
    pub device_name: String,
    /// First sample.
    pub start: i64,
    /// Last sample.
    pub end: i64,
    /// Type codes held.
    pub types: Vec<u16>,
    /// Their short names, in the same order.
    pub type_names: Vec<String>,
}

/// What to load: devices over a time range.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct LoadRequest {
    /// Start, ms (inclusive).
    pub from: i64,
    /// End, ms (inclusive).
    pub to: i64,
    /// Device serials.
    pub serials: Vec<String>,
}

/// Progress of a load, sent after every chunk and before every retry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct LoadProgress {
    /// Which load this is about.
    pub load_id: u64,
    /// Chunks finished (from the cache or fetched).
    pub chunks_done: u64,
    /// Chunks in the load.
    pub chunks_total: u64,
    /// Chunks that failed for good.
    pub chunks_failed: u64,
    /// Bytes downloaded so far.
    pub bytes: u64,
    /// Whether a chunk is waiting to be tried again.
    pub retrying: bool,
}

/// The outcome of a load.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct LoadSummary {
    /// Which load this was.
    pub load_id: u64,
    /// Start of the range.
    pub from: i64,
    /// End of the range.
    pub to: i64,
    /// The devices with the channels that came back.
    pub devices: Vec<LoadedDevice>,
    /// Samples held (timestamps over all blocks).
    pub samples: u64,
    /// Bytes downloaded by this load.
    pub bytes: u64,
    /// Chunks (time windows) in the load.
    pub chunks_total: u64,
    /// Chunks taken from the cache, without a request.
    pub chunks_from_cache: u64,
    /// Chunks that still failed after retries, and devices whose part of a chunk could not
    /// be read; what arrived is kept.
    pub failed: Vec<FailedChunk>,
    /// Things to know that are not failures, in plain words (on a Riot server: a device
    /// with no data access window over the range).
    pub notes: Vec<String>,
}

/// A loaded device and its channels (position excluded: it is the track).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct LoadedDevice {
    /// Serial.
    pub serial: String,
    /// Name.
    pub name: String,
    /// One per type key and value column.
    pub channels: Vec<ChannelView>,
}

/// A window that could not be fetched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct FailedChunk {
    /// Window start.
    pub start: i64,
    /// Window end.
    pub end: i64,
    /// Why.
    pub error: AppError,
}

/// One value column of one type key: what a chart shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ChannelView {
    /// Type key (`9`, `13:100`).
    pub key: String,
    /// Type code.
    pub code: u16,
    /// Data-source id.
    pub dsi: u32,
    /// Value column, 1-based.
    pub field: u8,
    /// Type abbreviation.
    pub short_name: String,
    /// Type name, with the column's name for types of several columns.
    pub name: String,
    /// Unit symbol.
    pub unit: String,
    /// Label to show (`SOG`, `SOG (src 100)`, `HR heart rate`).
    pub label: String,
}

/// What to show: a range at a pixel width.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ViewRequest {
    /// Start, ms.
    pub from: i64,
    /// End, ms.
    pub to: i64,
    /// Pixels across (100..=8192); at most 4 points per pixel per series come back.
    pub width: u32,
}

/// Downsampled series and tracks of the loaded data over a range.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct DataView {
    /// Start, ms.
    pub from: i64,
    /// End, ms.
    pub to: i64,
    /// One per device, type key and value column (position excluded).
    pub series: Vec<SeriesView>,
    /// One per device with positions.
    pub tracks: Vec<TrackView>,
}

/// One chart line.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct SeriesView {
    /// Device serial.
    pub serial: String,
    /// Device name.
    pub device_name: String,
    /// What the values are.
    pub channel: ChannelView,
    /// Times, ms.
    pub t: Vec<i64>,
    /// Values; `null` marks a gap where the line breaks.
    pub v: Vec<Option<f64>>,
}

/// One device's track.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct TrackView {
    /// Device serial.
    pub serial: String,
    /// Device name.
    pub device_name: String,
    /// Times, ms.
    pub t: Vec<i64>,
    /// Longitudes, degrees.
    pub lon: Vec<f64>,
    /// Latitudes, degrees.
    pub lat: Vec<f64>,
    /// Speed in knots: SOG within 5 s, else computed from the positions.
    pub speed: Vec<Option<f64>>,
}

/// A device's newest values.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct LatestView {
    /// Device serial.
    pub serial: String,
    /// Device name.
    pub device_name: String,
    /// One per type and value column.
    pub values: Vec<LatestValue>,
}

/// One newest value.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct LatestValue {
    /// What it is.
    pub channel: ChannelView,
    /// The value.
    pub value: f64,
    /// When it was recorded, ms.
    pub time: i64,
}

/// The file formats of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    /// GPX 1.1 tracks with speed and course.
    Gpx,
    /// One row per timestamp, one column per channel.
    Csv,
}

/// An export's contents, for the shell to write where the user chooses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Export {
    /// Suggested file name (`telltale-20250621T100000Z-20250621T110500Z.gpx`).
    pub file_name: String,
    /// The file's text.
    pub contents: String,
    /// Track points (GPX) or data rows (CSV).
    pub rows: u64,
}

//! `GET resources/data` and `GET resources/data/latest`.

use super::access::readable_within;
use super::auth::ApiCall;
use super::encode::{encode, DeviceData};
use super::error::{ApiError, ApiResult};
use super::shape;
use super::simplify::douglas_peucker;
use super::types;
use crate::demo::data::{DataStore, Series};
use crate::params::{time_span, types_with_compression, unique_serials, Params, SpanError};
use crate::server::{AppState, Shared};
use crate::world::TypeKey;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Map, Value};

/// A parsed `resources/data` request.
#[derive(Clone, Debug, PartialEq)]
pub struct DataRequest {
    pub start: i64,
    pub end: i64,
    pub serials: Vec<String>,
    /// Type codes with their compression (max error in degrees; used for type 1 only).
    pub types: Vec<(u16, f64)>,
}

fn required_serials(params: &Params) -> ApiResult<Vec<String>> {
    let serials = unique_serials(params);
    if serials.is_empty() {
        return Err(ApiError::bad(
            "Parameter serial_numbers[] is required (one or more device serials)",
        ));
    }
    Ok(serials)
}

/// Parses a type code and checks it is one the server knows.
fn type_code(name: &str, raw: &str) -> ApiResult<u16> {
    let code = raw
        .trim()
        .parse::<u16>()
        .map_err(|_| ApiError::bad(format!("Parameter {name} needs a type code, got {raw:?}")))?;
    types::by_code(code)
        .map(|_| code)
        .ok_or_else(|| ApiError::bad(format!("Parameter {name}: unknown data type {code}")))
}

impl DataRequest {
    /// Reads and checks the parameters against the server's longest span.
    pub fn parse(params: &Params, max_span_ms: i64) -> ApiResult<Self> {
        let (start, end) = time_span(params, max_span_ms).map_err(|e| match e {
            SpanError::Time(message) => ApiError::BadParameter(message),
            SpanError::EndBeforeStart { start, end } => ApiError::bad(format!(
                "Parameter end_time ({end}) is before start_time ({start})"
            )),
            SpanError::TooLong { span } => ApiError::SpanTooLong(format!(
                "The span from start_time to end_time is {span} ms; at most {max_span_ms} ms \
                 ({} days) can be requested at once, split the request",
                max_span_ms / 86_400_000
            )),
        })?;
        let serials = required_serials(params)?;
        // The plain list form `types[]=1&types[]=9` (no compression) is accepted too.
        let mut codes = types_with_compression(
            params,
            |raw| type_code(&format!("types[{raw}]"), raw),
            |raw| type_code("types[]", raw),
            |code, compression| {
                ApiError::bad(format!(
                    "Parameter types[{code}] must be a compression of 0 or more \
                     degrees, got {compression:?}"
                ))
            },
        )?;
        if codes.is_empty() {
            return Err(ApiError::bad(
                "Parameter types[<code>]=<compression> is required, e.g. types[1]=0&types[9]=0",
            ));
        }
        let mut seen = std::collections::HashSet::new();
        codes.retain(|(code, _)| seen.insert(*code));
        codes.sort_by_key(|(code, _)| *code);
        if let Some(v) = params.get("restore_archives") {
            super::query::get_bool(params, "restore_archives").map_err(|_| {
                ApiError::bad(format!(
                    "Parameter restore_archives must be true or false, got {v:?}"
                ))
            })?;
        }
        Ok(DataRequest {
            start,
            end,
            serials,
            types: codes,
        })
    }
}

/// Concatenates a channel over the readable intervals, then applies type 1 compression.
/// Both dialects read their samples through it (the Riot one in [`crate::riot::encode`]).
pub fn channel(
    data: &DataStore,
    serial: &str,
    key: TypeKey,
    intervals: &[(i64, i64)],
    compression: f64,
) -> Series {
    let mut out = Series::default();
    for &(from, to) in intervals {
        let part = data.series(serial, key, from, to);
        out.t.extend_from_slice(&part.t);
        if out.fields.len() < part.fields.len() {
            out.fields.resize(part.fields.len(), Vec::new());
        }
        for (column, values) in out.fields.iter_mut().zip(&part.fields) {
            column.extend_from_slice(values);
        }
    }
    if key.code == 1 && compression > 0.0 && out.fields.len() >= 2 {
        let kept = douglas_peucker(&out.fields[0], &out.fields[1], compression);
        if kept.len() < out.len() {
            let pick = |v: &Vec<f64>| kept.iter().filter_map(|&i| v.get(i).copied()).collect();
            out = Series {
                t: pick(&out.t),
                fields: out.fields.iter().map(pick).collect(),
            };
        }
    }
    out
}

/// Collects the readable data of a request (CPU-bound: runs on a blocking thread).
pub fn collect(state: &AppState, user_id: u64, request: &DataRequest) -> Vec<DeviceData> {
    let mut devices = Vec::new();
    for serial in &request.serials {
        let Some(device) = state.world.device_by_serial(serial) else {
            continue;
        };
        let intervals = readable_within(&state.world, user_id, serial, request.start, request.end);
        if intervals.is_empty() {
            continue;
        }
        let mut keys: Vec<TypeKey> = device.sensors.clone();
        keys.sort();
        let mut channels = Vec::new();
        for key in keys {
            let Some(&(_, compression)) = request.types.iter().find(|(c, _)| *c == key.code) else {
                continue;
            };
            let series = channel(&state.data, serial, key, &intervals, compression);
            if !series.is_empty() {
                channels.push((key, series));
            }
        }
        devices.push((serial.clone(), channels));
    }
    devices
}

/// `GET resources/data`: see the module docs of [`super`] and the data encoding.
pub async fn data(State(state): State<Shared>, call: ApiCall) -> ApiResult<Response> {
    let mut request = DataRequest::parse(&call.params, state.config.max_data_span_ms)?;
    // Data is recorded as time passes: nothing after now (the live days run into tomorrow).
    request.end = request.end.min(state.clock.now_ms());
    let user_id = call.user_id();
    let body = tokio::task::spawn_blocking(move || encode(&collect(&state, user_id, &request)))
        .await
        .map_err(|e| ApiError::Internal(format!("data generation failed: {e}")))?;
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}

/// The newest readable sample of one channel at or before `now`, with its resource id.
fn latest_of(
    state: &AppState,
    user_id: u64,
    serial: &str,
    key: TypeKey,
    now: i64,
) -> Option<Value> {
    let intervals = readable_within(&state.world, user_id, serial, i64::MIN, now);
    let (t, values) = intervals
        .iter()
        .rev()
        .find_map(|&(from, to)| state.data.latest(serial, key, from, to))?;
    let resource_id = state
        .data
        .resources_of(serial)
        .iter()
        .find(|r| (r.start_ms as f64) <= t && t <= r.end_ms as f64)
        .map(|r| r.id);
    let mut datum = Map::new();
    datum.insert("serial_number".into(), json!(serial));
    datum.insert("resource_id".into(), json!(resource_id));
    for (i, v) in values.iter().enumerate() {
        datum.insert(format!("c{}", i + 1), json!(v));
    }
    datum.insert("timestamp".into(), json!(t));
    Some(Value::Object(datum))
}

/// `GET resources/data/latest` (`type=<code>`, `serial_numbers[]`): the last readable sample
/// at or before the simulator's now of each device, from its primary (lowest) data source.
pub async fn latest(State(state): State<Shared>, call: ApiCall) -> ApiResult<Json<Value>> {
    let raw = call
        .params
        .get("type")
        .ok_or_else(|| ApiError::bad("Parameter type is required (a data type code)"))?;
    let code = type_code("type", raw)?;
    let serials = required_serials(&call.params)?;
    let user_id = call.user_id();
    let items = tokio::task::spawn_blocking(move || {
        let now = state.clock.now_ms();
        serials
            .iter()
            .filter_map(|serial| {
                let device = state.world.device_by_serial(serial)?;
                let key = device.sensors.iter().filter(|k| k.code == code).min()?;
                latest_of(&state, user_id, serial, *key, now)
            })
            .collect::<Vec<Value>>()
    })
    .await
    .map_err(|e| ApiError::Internal(format!("data generation failed: {e}")))?;
    Ok(Json(shape::list("latest_data", "latest_datum", items)))
}

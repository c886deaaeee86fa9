//! `GET resources/data` and `GET resources/data/latest` of the Riot dialect: the JSON
//! dialect's samples and those devices pushed over the device port ([`super::pushed`]),
//! gated by Riot's windows ([`super::access`]) and encoded by [`super::encode`].
//!
//! `resources/data` needs `start_time` and `end_time` (ms, at most the JSON API's longest
//! span apart), `serial_numbers[]` and `types[<field>]=<compression>` with `<field>` a
//! `DataPoint` field number (`types[1]=0&types[9]=0`; the list form `types[]=9` works too);
//! `restore_archives` is ignored. Serials the caller cannot read within the span are left
//! out of the answer; readable ones are present, with an empty list when there is no data.

use super::auth::RiotCall;
use super::encode::{encode_body_with, message, write_message, DeviceRequest};
use super::error::{RiotError, RiotResult};
use super::points::{point, series_kind};
use crate::params::{time_span, types_with_compression, unique_serials, Params, SpanError};
use crate::server::{AppState, Shared};
use crate::world::TypeKey;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use riot_proto::units;

/// `DataPoint` fields that are not series (text, JSON, events, logs, commands, session log
/// entries, corrections): accepted in `types`, never answered with data.
const OTHER_FIELDS: [u32; 7] = [52, 54, 55, 56, 57, 100, 101];

fn known_field(raw: &str) -> RiotResult<u32> {
    raw.trim()
        .parse::<u32>()
        .ok()
        .filter(|f| units::by_field(*f).is_some() || OTHER_FIELDS.contains(f))
        .ok_or_else(|| RiotError::bad(format!("{raw:?} is not a DataPoint field number")))
}

fn serials(params: &Params) -> RiotResult<Vec<String>> {
    let serials = unique_serials(params);
    if serials.is_empty() {
        return Err(RiotError::bad("Parameter serial_numbers[] is required"));
    }
    Ok(serials)
}

/// A parsed `resources/data` request.
#[derive(Clone, Debug, PartialEq)]
pub struct DataRequest {
    pub start: i64,
    pub end: i64,
    pub serials: Vec<String>,
    /// `DataPoint` field numbers with their compression.
    pub kinds: Vec<(u32, f64)>,
}

impl DataRequest {
    pub fn parse(params: &Params, max_span_ms: i64) -> RiotResult<Self> {
        let (start, end) = time_span(params, max_span_ms).map_err(|e| match e {
            SpanError::Time(message) => RiotError::BadRequest(message),
            SpanError::EndBeforeStart { start, end } => {
                RiotError::bad(format!("end_time ({end}) is before start_time ({start})"))
            }
            SpanError::TooLong { span } => RiotError::bad(format!(
                "The span from start_time to end_time is {span} ms; at most {max_span_ms} ms can \
                 be requested at once"
            )),
        })?;
        let serials = serials(params)?;
        let kinds = types_with_compression(params, known_field, known_field, |field, text| {
            RiotError::bad(format!(
                "types[{field}] must be a compression of 0 or more, got {:?}",
                text.trim()
            ))
        })?;
        if kinds.is_empty() {
            return Err(RiotError::bad(
                "Parameter types[<field>]=<compression> is required, e.g. types[1]=0&types[9]=0",
            ));
        }
        Ok(DataRequest {
            start,
            end,
            serials,
            kinds,
        })
    }
}

/// What to encode for each requested serial the caller can read within the span.
fn plan(state: &AppState, user: u64, request: &DataRequest) -> Vec<DeviceRequest> {
    request
        .serials
        .iter()
        .filter_map(|serial| {
            let intervals =
                state
                    .riot
                    .readable_within(&state.world, user, serial, request.start, request.end);
            (!intervals.is_empty()).then(|| DeviceRequest {
                serial: serial.clone(),
                sensors: state.data.sensors(serial).to_vec(),
                intervals,
                kinds: request.kinds.clone(),
            })
        })
        .collect()
}

fn json_body(body: Vec<u8>) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], body).into_response()
}

/// `GET resources/data`.
pub async fn data(State(state): State<Shared>, call: RiotCall) -> RiotResult<Response> {
    let mut request = DataRequest::parse(call.params(), state.config.max_data_span_ms)?;
    // Data is recorded as time passes: nothing after now (the live days run into tomorrow).
    request.end = request.end.min(state.clock.now_ms());
    let devices = plan(&state, call.user(), &request);
    let body = tokio::task::spawn_blocking(move || {
        encode_body_with(&state.data, Some(&state.pushed), &devices)
    })
    .await
    .map_err(|e| RiotError::Internal(format!("data generation failed: {e}")))?;
    Ok(json_body(body))
}

/// The later of two samples; the second at the same time.
fn later(a: Option<(f64, Vec<f64>)>, b: Option<(f64, Vec<f64>)>) -> Option<(f64, Vec<f64>)> {
    match (a, b) {
        (Some(a), Some(b)) => Some(if a.0 > b.0 { a } else { b }),
        (a, b) => b.or(a),
    }
}

/// The last readable sample of one kind at or before `now`, generated or pushed, as one
/// message with one point.
fn latest_of(state: &AppState, user: u64, serial: &str, field: u32, now: i64) -> Option<Vec<u8>> {
    let kind = series_kind(field)?;
    let sensors = state.data.sensors(serial);
    let pushed = state.pushed.keys(serial);
    let key = *sensors
        .iter()
        .chain(&pushed)
        .filter(|k| k.code == kind.app_code)
        .min()?;
    let intervals = state
        .riot
        .readable_within(&state.world, user, serial, i64::MIN, now);
    let (t, values) = intervals.iter().rev().find_map(|&(from, to)| {
        later(
            state.data.latest(serial, key, from, to),
            state.pushed.latest(serial, key, from, to),
        )
    })?;
    let height = TypeKey::with_dsi(5, key.dsi);
    let altitude = if field == 1 {
        let at = t as i64;
        let generated = sensors
            .contains(&height)
            .then(|| state.data.latest(serial, height, at, at))
            .flatten();
        later(generated, state.pushed.latest(serial, height, at, at))
            .and_then(|(_, v)| v.first().copied())
    } else {
        None
    };
    let point = point(kind, key.dsi, t as u64, &values, altitude)?;
    let mut out = Vec::new();
    write_message(&mut out, &mut Vec::new(), &message(serial, vec![point]));
    Some(out)
}

/// `GET resources/data/latest` (`type=<field>`, `serial_numbers[]`): per serial, the last
/// message readable at or before the simulator's now, cut to its last point of that kind
/// (from the lowest data source). Serials with nothing readable are left out.
pub async fn latest(State(state): State<Shared>, call: RiotCall) -> RiotResult<Response> {
    let raw = call
        .params()
        .get("type")
        .ok_or_else(|| RiotError::bad("Parameter type is required (a DataPoint field number)"))?;
    let field = known_field(raw)?;
    let serials = serials(call.params())?;
    let user = call.user();
    let body = tokio::task::spawn_blocking(move || {
        let now = state.clock.now_ms();
        let mut out = b"{".to_vec();
        let mut first = true;
        for serial in &serials {
            let Some(message) = latest_of(&state, user, serial, field, now) else {
                continue;
            };
            if !first {
                out.push(b',');
            }
            first = false;
            let _ = serde_json::to_writer(&mut out, serial);
            out.extend_from_slice(b":[");
            out.extend_from_slice(&message);
            out.push(b']');
        }
        out.push(b'}');
        out
    })
    .await
    .map_err(|e| RiotError::Internal(format!("data generation failed: {e}")))?;
    Ok(json_body(body))
}

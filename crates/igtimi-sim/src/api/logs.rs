//! `GET sessions/{id}/logs`: a session's log as XML,
//! `<session><content><log><log_entry>..</log_entry>..</log></content></session>`.
//!
//! Each `log_entry` has an `id`, a `created_at` (float ms) and one of: `device` (a unit
//! joined the session), `object` (a course mark was laid), `object_data` (where that mark is)
//! or `metadata` (a fact about the race). Races (sessions with a parent) get a
//! windward-leeward course whose axis follows the race's wind.

use super::auth::ApiCall;
use super::error::ApiResult;
use super::sessions::readable_session;
use crate::pages::escape;
use crate::server::Shared;
use crate::world::{Session, World};
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use std::fmt::Write;

/// Middle of the race area (Kiel Bay), degrees.
const AREA_LAT: f64 = 54.47;
const AREA_LON: f64 = 10.24;
/// One nautical mile in degrees of latitude.
const NM_DEG: f64 = 1.0 / 60.0;

/// One entry of a session log.
enum Entry {
    Device { serial: String, name: String },
    Object { object_id: u32, name: &'static str },
    ObjectData { object_id: u32, lat: f64, lon: f64 },
    Metadata { name: &'static str, value: String },
}

/// Where a mark lies: `along` nm up the course axis and `across` nm to its right.
fn offset(axis_deg: f64, along: f64, across: f64) -> (f64, f64) {
    let a = axis_deg.to_radians();
    let north = along * a.cos() - across * a.sin();
    let east = along * a.sin() + across * a.cos();
    (
        AREA_LAT + north * NM_DEG,
        AREA_LON + east * NM_DEG / AREA_LAT.to_radians().cos(),
    )
}

fn entries(world: &World, session: &Session) -> Vec<Entry> {
    let mut out: Vec<Entry> = session
        .device_serials
        .iter()
        .map(|serial| Entry::Device {
            serial: serial.clone(),
            name: world
                .device_by_serial(serial)
                .map(|d| d.name.clone())
                .unwrap_or_default(),
        })
        .collect();
    out.push(Entry::Metadata {
        name: "name",
        value: session.name.clone(),
    });
    out.push(Entry::Metadata {
        name: "start_time",
        value: format!("{:.1}", session.start_ms as f64),
    });
    if session.parent_session_id.is_some() {
        // The wind, and so the course axis, swings by race: 230..270 degrees.
        let axis = 230.0 + (session.id.wrapping_mul(53) % 41) as f64;
        out.push(Entry::Metadata {
            name: "course",
            value: "windward-leeward, 2 laps".into(),
        });
        out.push(Entry::Metadata {
            name: "wind_direction",
            value: format!("{axis:.0}"),
        });
        let marks: [(&'static str, f64, f64); 5] = [
            ("Committee boat", 0.0, 0.1),
            ("Pin end", 0.0, -0.1),
            ("Windward mark", 1.2, 0.0),
            ("Leeward gate port", 0.1, -0.05),
            ("Leeward gate starboard", 0.1, 0.05),
        ];
        for (i, (name, along, across)) in marks.into_iter().enumerate() {
            let object_id = i as u32 + 1;
            let (lat, lon) = offset(axis, along, across);
            out.push(Entry::Object { object_id, name });
            out.push(Entry::ObjectData {
                object_id,
                lat,
                lon,
            });
        }
    }
    out
}

/// The whole log document of a session.
pub fn render(world: &World, session: &Session) -> String {
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<session>");
    let _ = write!(xml, "<id>{}</id><content><log>", session.id);
    for (n, entry) in entries(world, session).into_iter().enumerate() {
        // Entries are logged a second apart from the session's start.
        let created = session.start_ms + n as i64 * 1000;
        let _ = write!(
            xml,
            "<log_entry><id>{}</id><created_at>{:.1}</created_at>",
            session.id * 1000 + n as u64 + 1,
            created as f64
        );
        let _ = match entry {
            Entry::Device { serial, name } => write!(
                xml,
                "<device><serial_number>{}</serial_number><name>{}</name></device>",
                escape(&serial),
                escape(&name)
            ),
            Entry::Object { object_id, name } => write!(
                xml,
                "<object><object_id>{object_id}</object_id><name>{}</name>\
                 <type>mark</type></object>",
                escape(name)
            ),
            Entry::ObjectData {
                object_id,
                lat,
                lon,
            } => write!(
                xml,
                "<object_data><object_id>{object_id}</object_id>\
                 <latitude>{lat:.6}</latitude><longitude>{lon:.6}</longitude></object_data>"
            ),
            Entry::Metadata { name, value } => write!(
                xml,
                "<metadata><name>{}</name><value>{}</value></metadata>",
                escape(name),
                escape(&value)
            ),
        };
        xml.push_str("</log_entry>");
    }
    xml.push_str("</log></content></session>\n");
    xml
}

/// `GET sessions/{id}/logs`: XML, with the same 404/401 rules as `sessions/{id}`.
pub async fn logs(
    State(state): State<Shared>,
    Path(id): Path<String>,
    call: ApiCall,
) -> ApiResult<Response> {
    let session = readable_session(&state.world, call.user_id(), &id)?;
    let xml = render(&state.world, session);
    Ok(([(header::CONTENT_TYPE, "application/xml")], xml).into_response())
}

//! The demo world: a regatta week (Kiel Week) with a few sailors, their YachtBot units, a
//! coach who sees one boat through a data access window, and the registered apps.
//! Deterministic: the same seed and week start give the same world.

pub mod data;
pub mod live;
mod manifest;
pub mod track;

pub use manifest::{manifest, Manifest, ManifestDevice, ManifestUser, RiotManifest};

use crate::world::*;
use sha2::{Digest, Sha256};

/// The private-use URI scheme of the Telltale app (RFC 8252 §7.1, reverse DNS).
pub const APP_SCHEME: &str = "io.telltale.app";
/// The Telltale app's redirect URI for Igtimi's OAuth2.
pub const APP_REDIRECT_URI: &str = "io.telltale.app:/oauth/callback";
/// The Telltale app's redirect URI for the Iternio dialect: the return address of its
/// Iternio profile `abrp` (`<scheme>:/oauth/iternio/<profile id>`).
pub const APP_ITERNIO_REDIRECT_URI: &str = "io.telltale.app:/oauth/iternio/abrp";
/// Loopback redirect registered for the app; any port matches (RFC 8252 §7.3).
pub const APP_LOOPBACK_REDIRECT_URI: &str = "http://127.0.0.1/oauth/callback";
/// The ids of the app's built-in provider profiles that may point at this server: the
/// embedded demo (`simulator`) and the Igtimi profile aimed at a simulator (`igtimi`).
/// The app gives each profile its own return address, `<APP_REDIRECT_URI>/<profile id>`
/// (and `/oauth/callback/<profile id>` on loopback), so the demo registers those too.
pub const APP_PROFILES: [&str; 2] = ["simulator", "igtimi"];
/// The name the demo registers the Telltale app under.
pub const TELLTALE_CLIENT_NAME: &str = "Telltale";
/// Igtimi's out-of-band redirect: the code is shown on a page.
pub const OOB_REDIRECT_URI: &str = "urn:ietf:wg:oauth:2.0:oob";

const DAY_MS: i64 = 24 * 3600 * 1000;
const HOUR_MS: i64 = 3600 * 1000;
const MIN_MS: i64 = 60 * 1000;

pub const DEVELOPER: u64 = 1000;
pub const BOB: u64 = 1373;
pub const ANA: u64 = 1374;
pub const KAI: u64 = 1375;
pub const FLEET_GROUP: u64 = 501;
pub const TEAM_TERN_GROUP: u64 = 502;
pub const ADMIN_GROUP: u64 = 503;

/// A stable 64-hex-character identifier derived from the seed, so the demo's client ids and
/// secrets are the same on every start with the same seed.
fn derived_hex(seed: u64, label: &str) -> String {
    let mut h = Sha256::new();
    h.update(seed.to_le_bytes());
    h.update(label.as_bytes());
    hex::encode(h.finalize())
}

fn user(
    id: u64,
    username: &str,
    (first, surname): (&str, &str),
    email: &str,
    password: &str,
    groups: &[u64],
) -> User {
    User {
        id,
        username: username.into(),
        first_name: first.into(),
        surname: surname.into(),
        email: email.into(),
        password: password.into(),
        group_ids: groups.to_vec(),
    }
}

fn sensors(keys: &[(u16, u32)]) -> Vec<TypeKey> {
    keys.iter().map(|&(c, d)| TypeKey::with_dsi(c, d)).collect()
}

/// Builds the demo world for a seed and the start of the regatta week (UTC midnight, ms).
pub fn world(seed: u64, week_start_ms: i64) -> World {
    let users = vec![
        user(
            DEVELOPER,
            "developer",
            ("Telltale", "Developer"),
            "dev@telltale.demo",
            "developer-0",
            &[],
        ),
        user(
            BOB,
            "bob",
            ("Bob", "Smith"),
            "bob@telltale.demo",
            "windward-1",
            &[FLEET_GROUP, TEAM_TERN_GROUP],
        ),
        user(
            ANA,
            "ana",
            ("Ana", "Costa"),
            "ana@telltale.demo",
            "leeward-2",
            &[FLEET_GROUP, ADMIN_GROUP],
        ),
        user(
            KAI,
            "kai",
            ("Kai", "Jensen"),
            "kai@telltale.demo",
            "coach-3",
            &[FLEET_GROUP, TEAM_TERN_GROUP],
        ),
    ];
    let groups = vec![
        Group {
            id: FLEET_GROUP,
            name: "Kiel Week J/70 fleet".into(),
            hidden: false,
            owner_id: ANA,
        },
        Group {
            id: TEAM_TERN_GROUP,
            name: "Team Tern".into(),
            hidden: false,
            owner_id: BOB,
        },
        Group {
            id: ADMIN_GROUP,
            name: "Device admins".into(),
            hidden: true,
            owner_id: ANA,
        },
    ];

    let boat = |id: u64, name: &str, serial: &str, owner: u64, keys: &[(u16, u32)]| Device {
        id,
        name: name.into(),
        serial_number: serial.into(),
        uid: derived_hex(seed, serial)[..16].to_string(),
        imei: format!("35{:013}", id * 7919 % 10_000_000_000_000),
        owner_id: owner,
        device_user_group_id: 600 + id % 100,
        admin_device_user_group_id: ADMIN_GROUP,
        device_info: "YachtBot YB-3, firmware 4.2.1".into(),
        service_tag: format!("ST-{}", &derived_hex(seed, name)[..8].to_uppercase()),
        sensors: sensors(keys),
        seed: seed.wrapping_mul(31).wrapping_add(id),
        anchored: id == 2004,
    };
    // Full instrument set: GPS (position, quality, satellites, HDOP, altitude), COG, HDGM,
    // HDG, SOG, STW, AWA, AWS, battery, TWD, TWS.
    let full: &[(u16, u32)] = &[
        (1, 0),
        (2, 0),
        (3, 0),
        (4, 0),
        (5, 0),
        (6, 0),
        (7, 0),
        (8, 0),
        (9, 0),
        (10, 0),
        (11, 0),
        (12, 0),
        (15, 0),
        (22, 0),
        (23, 0),
    ];
    let mut tern_keys = full.to_vec();
    // A second GPS on data-source id 100.
    tern_keys.extend([(1, 100), (6, 100), (9, 100)]);
    let devices = vec![
        boat(2001, "Tern", "AA-BT-0417", BOB, &tern_keys),
        // No wind instruments; the helm wears an ANT+ heart-rate strap.
        boat(
            2002,
            "Petrel",
            "AA-BT-0522",
            BOB,
            &[
                (1, 0),
                (2, 0),
                (3, 0),
                (4, 0),
                (6, 0),
                (8, 0),
                (9, 0),
                (13, 0),
                (15, 0),
            ],
        ),
        boat(2003, "Skua", "AA-BT-0658", ANA, full),
        // Anchored on the race area, logging around the clock.
        boat(
            2004,
            "Wind buoy Charlie",
            "AA-BT-0731",
            ANA,
            &[
                (1, 0),
                (2, 0),
                (3, 0),
                (6, 0),
                (8, 0),
                (9, 0),
                (11, 0),
                (12, 0),
                (15, 0),
                (22, 0),
                (23, 0),
                (24, 0),
            ],
        ),
    ];

    // Resources: boats power up 09:00-16:30 UTC each of the seven days; the buoy runs 24 h.
    let mut resources = Vec::new();
    for device in &devices {
        let mut codes: Vec<u16> = device.sensors.iter().map(|k| k.code).collect();
        codes.sort_unstable();
        codes.dedup();
        for day in 0..7 {
            let midnight = week_start_ms + day * DAY_MS;
            let (start, end) = if device.id == 2004 {
                (midnight, midnight + DAY_MS - 1000)
            } else {
                (
                    midnight + 9 * HOUR_MS,
                    midnight + 16 * HOUR_MS + 30 * MIN_MS,
                )
            };
            resources.push(Resource {
                id: 30_000 + device.id % 100 * 100 + day as u64,
                device_serial_number: device.serial_number.clone(),
                start_ms: start,
                end_ms: end,
                data_types: codes.clone(),
            });
        }
    }

    let windows = vec![
        // Kai coaches Tern on day 3 only.
        DataAccessWindow {
            id: 7001,
            device_serial_number: "AA-BT-0417".into(),
            start_ms: week_start_ms + 2 * DAY_MS + 9 * HOUR_MS,
            end_ms: week_start_ms + 2 * DAY_MS + 17 * HOUR_MS,
            recipient: Recipient::User(KAI),
            read: true,
            modify: false,
        },
        // Ana's wind buoy is shared with Team Tern for the whole week.
        DataAccessWindow {
            id: 7002,
            device_serial_number: "AA-BT-0731".into(),
            start_ms: week_start_ms,
            end_ms: week_start_ms + 7 * DAY_MS - 1000,
            recipient: Recipient::Group(TEAM_TERN_GROUP),
            read: true,
            modify: false,
        },
    ];

    let all_boats = vec![
        "AA-BT-0417".to_string(),
        "AA-BT-0522".into(),
        "AA-BT-0658".into(),
        "AA-BT-0731".into(),
    ];
    let mut sessions = vec![Session {
        id: 9000,
        name: "Kiel Week 2025".into(),
        start_ms: week_start_ms,
        end_ms: Some(week_start_ms + 7 * DAY_MS),
        owner_id: ANA,
        session_group_id: FLEET_GROUP,
        admin_session_group_id: ADMIN_GROUP,
        parent_session_id: None,
        public: true,
        device_serials: all_boats.clone(),
    }];
    let race_starts = [(10, 0), (11, 30), (13, 0)];
    let mut race_no = 0;
    for day in 0..6 {
        let races = if day == 5 { 2 } else { 3 };
        for &(h, m) in &race_starts[..races] {
            race_no += 1;
            let start = week_start_ms + day * DAY_MS + h * HOUR_MS + m * MIN_MS;
            sessions.push(Session {
                id: 9000 + race_no,
                name: format!("Kiel Week 2025 · J/70 race {race_no}"),
                start_ms: start,
                end_ms: Some(start + 65 * MIN_MS),
                owner_id: ANA,
                session_group_id: FLEET_GROUP,
                admin_session_group_id: ADMIN_GROUP,
                parent_session_id: Some(9000),
                public: false,
                device_serials: all_boats.clone(),
            });
        }
    }
    // Bob's own training on the last day, and one still open (no end time).
    sessions.push(Session {
        id: 9100,
        name: "Tern · boat-speed training".into(),
        start_ms: week_start_ms + 6 * DAY_MS + 10 * HOUR_MS,
        end_ms: Some(week_start_ms + 6 * DAY_MS + 12 * HOUR_MS),
        owner_id: BOB,
        session_group_id: TEAM_TERN_GROUP,
        admin_session_group_id: TEAM_TERN_GROUP,
        parent_session_id: None,
        public: false,
        device_serials: vec!["AA-BT-0417".into(), "AA-BT-0522".into()],
    });
    sessions.push(Session {
        id: 9101,
        name: "Tern · delivery home (in progress)".into(),
        start_ms: week_start_ms + 6 * DAY_MS + 14 * HOUR_MS,
        end_ms: None,
        owner_id: BOB,
        session_group_id: TEAM_TERN_GROUP,
        admin_session_group_id: TEAM_TERN_GROUP,
        parent_session_id: None,
        public: false,
        device_serials: vec!["AA-BT-0417".into()],
    });

    let mut redirects = vec![
        APP_REDIRECT_URI.to_string(),
        APP_LOOPBACK_REDIRECT_URI.to_string(),
        OOB_REDIRECT_URI.to_string(),
    ];
    for profile in APP_PROFILES {
        redirects.push(format!("{APP_REDIRECT_URI}/{profile}"));
        redirects.push(format!("{APP_LOOPBACK_REDIRECT_URI}/{profile}"));
    }
    let mut app = Client::new(
        TELLTALE_CLIENT_NAME,
        &derived_hex(seed, "client:telltale"),
        Some(&derived_hex(seed, "secret:telltale")),
        &redirects.join(" "),
    );
    app.owner_id = DEVELOPER;
    let mut cli = Client::new(
        "Igtimi command line (public client)",
        &derived_hex(seed, "client:cli"),
        None,
        &format!("{OOB_REDIRECT_URI} {APP_LOOPBACK_REDIRECT_URI}"),
    );
    cli.owner_id = DEVELOPER;
    // Iternio gives numeric client ids and calls the secret an API key.
    let mut iternio = Client::new(
        "Telltale (Iternio dialect)",
        "4242",
        Some(&derived_hex(seed, "apikey:iternio")[..32]),
        APP_ITERNIO_REDIRECT_URI,
    );
    iternio.owner_id = DEVELOPER;
    iternio.dialect = Dialect::Iternio;

    World {
        users,
        groups,
        devices,
        windows,
        resources,
        sessions,
        clients: vec![app, cli, iternio],
    }
}

//! What `igtimi-sim --print-demo` prints about the demo world: its users and passwords, the
//! registered apps, the devices, and where the Riot dialect answers.

use super::{live, ANA, BOB, DEVELOPER, KAI};
use crate::world::{Client, World};
use serde::Serialize;

/// What `igtimi-sim --print-demo` prints: how other tools sign in to this server.
#[derive(Clone, Debug, Serialize)]
pub struct Manifest {
    pub users: Vec<ManifestUser>,
    pub clients: Vec<Client>,
    pub devices: Vec<ManifestDevice>,
    pub riot: RiotManifest,
    /// The boats sail live today: see [`live`].
    pub live: live::LiveManifest,
}

#[derive(Clone, Debug, Serialize)]
pub struct ManifestUser {
    pub id: u64,
    pub name: String,
    /// The Riot security service's sign-in name (the email works there too).
    pub username: String,
    pub email: String,
    pub password: String,
    pub role: &'static str,
}

#[derive(Clone, Debug, Serialize)]
pub struct ManifestDevice {
    pub serial_number: String,
    pub name: String,
    pub owner_id: u64,
}

/// Where the Riot dialect answers on the same server, over the same users and data.
#[derive(Clone, Debug, Serialize)]
pub struct RiotManifest {
    /// The security service: `access_token`, `hello`, `login`, `create_user`, ..
    pub security: &'static str,
    /// The client API: `devices`, `data_access_windows`, `resources/data`, ..
    pub api: &'static str,
    /// A unit known to the Riot side with no owner yet: `POST devices` claims it.
    pub unclaimed_device: &'static str,
    /// The device-group token devices and `igtimi-sim device` authenticate with on the
    /// device port (any non-empty token is accepted, as on the real servers).
    pub device_group_token: &'static str,
    pub note: &'static str,
}

/// Describes a world for people and tools.
pub fn manifest(world: &World) -> Manifest {
    let role = |id: u64| match id {
        DEVELOPER => "developer (owns the registered apps)",
        BOB => "sailor (owns Tern and Petrel)",
        ANA => "sailor (owns Skua and the wind buoy)",
        KAI => "coach (sees Tern through data access windows: race day 3, and live today)",
        _ => "user",
    };
    Manifest {
        users: world
            .users
            .iter()
            .map(|u| ManifestUser {
                id: u.id,
                name: u.full_name(),
                username: u.username.clone(),
                email: u.email.clone(),
                password: u.password.clone(),
                role: role(u.id),
            })
            .collect(),
        clients: world.clients.clone(),
        devices: world
            .devices
            .iter()
            .map(|d| ManifestDevice {
                serial_number: d.serial_number.clone(),
                name: d.name.clone(),
                owner_id: d.owner_id,
            })
            .collect(),
        riot: RiotManifest {
            security: crate::riot::SECURITY_PREFIX,
            api: crate::riot::API_PREFIX,
            unclaimed_device: crate::riot::state::UNCLAIMED_SERIAL,
            device_group_token: crate::riot::device::DEMO_DEVICE_GROUP_TOKEN,
            note: "Sign in with a username or email and the password above; each owner reads \
                   their own devices over the demo week and live today, Kai Tern on day 3 and \
                   today, Team Tern the buoy",
        },
        live: live::manifest(),
    }
}

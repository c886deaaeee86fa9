//! The simulator's demo world as the tests meet it: its users with their credentials, read
//! from the simulator's own manifest (so no test spells a password again), the serials of
//! their devices, the regatta week, and ways to be signed in there.

use igtimi_sim::config::DEFAULT_WEEK_START_MS;
use igtimi_sim::person::person_signs_in;
use igtimi_sim::store::Origin;
use igtimi_sim::{SimConfig, Simulator, TokenLifetime};
use std::sync::LazyLock;

pub use igtimi_sim::demo::{ANA, BOB, DEVELOPER, KAI};
pub use igtimi_sim::person::Decision;

/// Tern, Bob's boat (two GPS).
pub const TERN: &str = "AA-BT-0417";
/// Petrel, Bob's other boat (a heart-rate strap, no wind instruments).
pub const PETREL: &str = "AA-BT-0522";
/// Skua, Ana's boat.
pub const SKUA: &str = "AA-BT-0658";
/// Wind buoy Charlie, Ana's, logging around the clock; Bob's group sees it.
pub const BUOY: &str = "AA-BT-0731";

/// The demo week's first midnight (Kiel Week 2025), in ms.
pub const WEEK: i64 = DEFAULT_WEEK_START_MS;
/// A minute, an hour and a day, in ms.
pub const MIN: i64 = 60_000;
pub const HOUR: i64 = 60 * MIN;
pub const DAY: i64 = 24 * HOUR;

/// A demo user and how they sign in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoUser {
    pub id: u64,
    /// "First Last".
    pub name: String,
    pub email: String,
    pub password: String,
}

impl DemoUser {
    /// This user, at the simulator at `base`, opens `authorize`, signs in and presses
    /// `decision`; returns the redirect that leaves the simulator (to the client's redirect
    /// URI), not yet delivered to anyone.
    pub async fn signs_in(&self, base: &str, authorize: &str, decision: Decision) -> String {
        person_signs_in(base, authorize, &self.email, &self.password, decision).await
    }
}

/// The users of the default demo world (the same for every seed).
static USERS: LazyLock<Vec<DemoUser>> = LazyLock::new(|| {
    let config = SimConfig::default();
    let world = igtimi_sim::demo::world(config.seed, config.demo_week_start_ms);
    igtimi_sim::demo::manifest(&world)
        .users
        .into_iter()
        .map(|user| DemoUser {
            id: user.id,
            name: user.name,
            email: user.email,
            password: user.password,
        })
        .collect()
});

/// Demo user `id` ([`BOB`], [`ANA`], [`KAI`], [`DEVELOPER`]).
pub fn user(id: u64) -> &'static DemoUser {
    USERS
        .iter()
        .find(|user| user.id == id)
        .unwrap_or_else(|| panic!("the demo world has no user {id}"))
}

/// Bob: owns Tern and Petrel, member of Team Tern.
pub fn bob() -> &'static DemoUser {
    user(BOB)
}

/// Ana: owns Skua and the wind buoy.
pub fn ana() -> &'static DemoUser {
    user(ANA)
}

/// Kai: a coach who sees Tern on day 3 only.
pub fn kai() -> &'static DemoUser {
    user(KAI)
}

/// A never-expiring access token of the demo's Telltale registration for user `id`, issued
/// by `sim`'s store directly: signed in without the sign-in pages.
pub fn token(sim: &Simulator, id: u64) -> String {
    let state = sim.state();
    let app = sim.telltale_client().expect("the demo registers Telltale");
    state
        .store
        .issue(
            TokenLifetime::Never,
            state.clock.now_secs(),
            id,
            &app.client_id,
            "read",
            Origin::Password,
        )
        .access_token
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_serials_are_the_demo_devices_of_their_owners() {
        let config = SimConfig::default();
        let world = igtimi_sim::demo::world(config.seed, config.demo_week_start_ms);
        let devices = igtimi_sim::demo::manifest(&world).devices;
        for (serial, name, owner) in [
            (TERN, "Tern", BOB),
            (PETREL, "Petrel", BOB),
            (SKUA, "Skua", ANA),
            (BUOY, "Wind buoy Charlie", ANA),
        ] {
            let device = devices
                .iter()
                .find(|device| device.serial_number == serial)
                .unwrap_or_else(|| panic!("no demo device {serial}"));
            assert_eq!((device.name.as_str(), device.owner_id), (name, owner));
        }
    }

    #[test]
    fn every_demo_user_is_known_by_id() {
        assert_eq!(bob().name, "Bob Smith");
        assert_eq!(ana().id, ANA);
        assert_eq!(kai().id, KAI);
        assert_eq!(user(DEVELOPER).id, DEVELOPER);
        assert!(USERS.iter().all(|user| !user.password.is_empty()));
    }
}

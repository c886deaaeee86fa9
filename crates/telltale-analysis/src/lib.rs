//! Sailing analysis of one loaded span: what a coach reads from the numbers.
//!
//! - [`track`]: one boat's channels on a one-second grid (the unit of every rule here).
//! - [`wind`]: true wind (TWA, TWS, TWD) derived from the apparent wind where the device
//!   logged none, marked as derived; VMG.
//! - [`maneuvers`]: tacks and gybes found from heading against the wind, each with its
//!   duration, heading change, speed lost and distance lost against the VMG before it.
//! - [`legs`]: upwind and downwind stretches with their average VMG.
//! - [`polar`]: boat speed by true wind angle and speed band, and target polar tables.
//!
//! Angles are degrees, speeds knots, times Unix milliseconds. A true wind angle is
//! positive with the wind over the starboard side (`TWA = TWD - heading`).

pub mod angle;
pub mod legs;
pub mod maneuvers;
pub mod polar;
pub mod track;
pub mod wind;

pub use legs::{find_legs, Leg, LegKind};
pub use maneuvers::{find_maneuvers, Maneuver, ManeuverKind};
pub use polar::{polar_points, PolarBin, TargetPolar, TargetPolarError};
pub use track::BoatTrack;
pub use wind::{TrueWind, WindSource};

/// Metres per second in a knot.
pub const KNOT_MS: f64 = 1852.0 / 3600.0;

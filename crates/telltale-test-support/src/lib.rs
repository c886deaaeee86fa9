//! What the tests of several crates share, so that each fact has one home: the demo world's
//! users, devices and week ([`demo`], read from the simulator's own manifest), scratch
//! folders ([`Scratch`]), the keyring harness ([`keyring`], [`EmptyBus`]) and the counts of
//! the hostile-input and fault families ([`Tally`]). A dev-dependency only.

mod bus;
pub mod demo;
pub mod keyring;
mod scratch;
mod tally;

pub use bus::EmptyBus;
pub use scratch::Scratch;
pub use tally::{report, Tally};

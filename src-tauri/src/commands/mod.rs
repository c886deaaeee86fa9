//! The commands the main window invokes: thin calls into `telltale-core`. Each needs its
//! `allow-<name>` permission (see `build.rs` and `capabilities/main.json`).

mod account;
mod browse;
mod live;
mod map;
mod prefs;

pub use account::*;
pub use browse::*;
pub use live::*;
pub use map::*;
pub use prefs::*;

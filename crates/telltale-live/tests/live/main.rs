//! The live feed over real WebSockets on loopback, against the in-process simulator: both
//! dialects, heartbeats, refused tokens, and the simulator's live faults.

mod dialects;
mod faults;
mod gaps;
mod support;

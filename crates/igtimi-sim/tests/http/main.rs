//! Integration tests of the simulator over real HTTP on loopback. One binary, one module
//! per area.

mod common;

mod api;
mod cli;
mod device;
mod faults;
mod host;
mod live;
mod oauth;
mod riot;
mod seeds;
mod tiles;

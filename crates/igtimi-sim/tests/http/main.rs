//! Integration tests of the simulator over real HTTP on loopback. One binary, one module
//! per area.

mod common;

mod api;
mod cli;
mod faults;
mod host;
mod oauth;
mod riot;
mod seeds;

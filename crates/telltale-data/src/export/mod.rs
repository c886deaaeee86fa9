//! Exports of loaded data as text files: GPX tracks and CSV tables.

pub mod csv;
pub mod gpx;

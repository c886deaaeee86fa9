//! Tests of the faults area; see main.rs.

//! Tests of the api area; see main.rs.

//! Tests of the oauth area; see main.rs.

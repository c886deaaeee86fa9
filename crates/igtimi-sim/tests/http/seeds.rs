//! Tests of the seeds area; see main.rs.

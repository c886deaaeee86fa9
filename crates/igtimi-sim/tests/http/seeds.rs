//! Tests of the two other seed systems over real HTTP: the username/password token API and
//! the Iternio OAuth2 dialect.

mod iternio;
mod token_api;

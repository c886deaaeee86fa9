//! The sign-in dialects besides Igtimi's authorization code with PKCE: Igtimi's legacy
//! implicit and password grants, the username/password token API, and Iternio's OAuth2.

pub mod implicit;
pub mod iternio;
pub mod password;
pub mod token_api;

//! A client for the Igtimi REST API (YachtBot sailing data), used by the Telltale app.
//!
//! Every call carries an [`AccessToken`] as `Authorization: Bearer`; answers are read with a
//! size cap and parsed leniently (ids and times may be floats, optional fields may be
//! missing); reading calls are retried when the failure may pass ([`RetryPolicy`]); every
//! failure is an [`ApiError`] whose message never contains the token.
//!
//! ```no_run
//! # async fn demo() -> Result<(), igtimi_client::ApiError> {
//! use igtimi_client::{AccessToken, IgtimiClient};
//! let client = IgtimiClient::new("http://127.0.0.1:8080".parse().expect("valid URL"))?;
//! let token = AccessToken::new("0123abcd").expect("valid token");
//! let me = client.account(&token).await?;
//! println!("signed in as {}", me.display_name());
//! # Ok(()) }
//! ```

mod body;
mod calls;
mod catalog;
mod client;
mod data;
mod error;
pub mod flex;
mod lazy;
mod models;
mod request;
mod retry;
pub mod riot;
mod token;

pub use catalog::{
    DataAccessWindow, DataType, DataTypeField, Device, Group, LatestDatum, Permissions, Recipient,
    Resource, Session, User,
};
pub use client::{user_agent, IgtimiClient, CONNECT_TIMEOUT, JSON_BODY_LIMIT, REQUEST_TIMEOUT};
pub use data::{DataQuery, DATA_BODY_LIMIT, DATA_REQUEST_TIMEOUT};
pub use error::ApiError;
pub use flex::EpochMillis;
pub use lazy::{is_loopback, LazyHttp};
pub use models::Account;
pub use request::MAX_QUERY_BYTES;
pub use retry::RetryPolicy;
pub use riot::{RiotClient, RiotDevice, RiotSignIn, RiotUser, RiotWindow};
pub use token::{AccessToken, InvalidToken};

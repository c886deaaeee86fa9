//! A client for a **Riot** server: the Igtimi service of today (the Sailing Analytics
//! replacement at `https://wind.sapsailing.com`, or one's own). No OAuth: the security
//! service (`security/api/restsecurity/`) trades a user name and password for a bearer
//! token, and the client API lives under `igtimi/api/v1/` with data as base64 protobuf.
//!
//! [`RiotClient`] shares [`IgtimiClient`]'s HTTP client, limits, retries and errors; what
//! differs is here: the paths, the shapes and the plain-text error bodies.

mod calls;
mod models;
mod send;

pub use models::{RiotDevice, RiotSignIn, RiotUser, RiotWindow};

use crate::{ApiError, IgtimiClient};
use url::Url;

/// A client for one Riot server.
#[derive(Debug, Clone)]
pub struct RiotClient {
    inner: IgtimiClient,
}

impl RiotClient {
    /// A client over `client`'s HTTP stack, limits and retry policy, for the Riot server at
    /// `client`'s base URL.
    pub fn new(client: IgtimiClient) -> Self {
        RiotClient { inner: client }
    }

    /// The server root.
    pub fn base_url(&self) -> &Url {
        self.inner.base_url()
    }

    /// Refuses to send a password or token over plain HTTP except to this computer.
    fn check_transport(&self) -> Result<(), ApiError> {
        let base = self.inner.base_url();
        if base.scheme() == "https" || crate::is_loopback(base) {
            Ok(())
        } else {
            Err(ApiError::Config {
                detail: format!(
                    "{} is not a secure (https) address; Telltale sends passwords and tokens \
                     only over https, or to this computer",
                    base.origin().ascii_serialization()
                ),
            })
        }
    }
}

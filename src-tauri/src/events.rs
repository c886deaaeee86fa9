//! Events sent to the main window.

use serde::Serialize;
use telltale_core::multi::AccountSignedIn;
use telltale_core::AppError;

/// A sign-in ended: `{summary, account, notice}` or `{error}`.
pub const SIGN_IN_FINISHED: &str = "sign-in-finished";
/// A sign-in link arrived that matches no attempt, or was malformed; nothing changed.
pub const CALLBACK_IGNORED: &str = "callback-ignored";

/// The payload of [`SIGN_IN_FINISHED`].
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum SignInFinished {
    /// Signed in.
    Done(Box<AccountSignedIn>),
    /// The attempt ended without a sign-in.
    Failed {
        /// Why.
        error: AppError,
    },
}

/// Progress of a data load: chunks done of total, bytes, failures.
pub const LOAD_PROGRESS: &str = "load-progress";

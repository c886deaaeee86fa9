//! The one handler for the provider's redirect, whether the login window caught it as a
//! navigation or the OS delivered it as a deep link.

use crate::events::{SignInFinished, CALLBACK_IGNORED, SIGN_IN_FINISHED};
use crate::state::AppState;
use crate::{focus_main, login, MAIN_LABEL};
use tauri::{AppHandle, Emitter, Manager, Runtime};
use telltale_core::AppError;

/// Completes the sign-in `raw_url` answers, in the background, and tells the main window.
/// A link matching no attempt (forged, replayed, malformed) is reported and changes nothing:
/// a sign-in in progress goes on.
pub fn deliver<R: Runtime>(app: &AppHandle<R>, raw_url: String) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let Ok(session) = app.state::<AppState>().accounts() else {
            tracing::warn!("a sign-in link arrived but there is no session");
            return;
        };
        match session.complete_sign_in(&raw_url).await {
            Ok(signed_in) => {
                login::finish(&app);
                emit(
                    &app,
                    SIGN_IN_FINISHED,
                    SignInFinished::Done(Box::new(signed_in)),
                );
                focus_main(&app);
            }
            Err(error @ AppError::InvalidCallback { .. }) => {
                tracing::warn!(%error, "ignored a sign-in link");
                emit(&app, CALLBACK_IGNORED, error);
            }
            Err(error) => {
                tracing::warn!(%error, "sign-in failed");
                login::finish(&app);
                emit(&app, SIGN_IN_FINISHED, SignInFinished::Failed { error });
                focus_main(&app);
            }
        }
    });
}

/// Sends `payload` to the main window only.
pub(crate) fn emit<R: Runtime, P: serde::Serialize + Clone>(
    app: &AppHandle<R>,
    event: &str,
    payload: P,
) {
    if let Err(err) = app.emit_to(MAIN_LABEL, event, payload) {
        tracing::warn!(error = %err, event, "could not tell the main window");
    }
}

//! The one handler for the provider's redirect, whether the login window caught it as a
//! navigation or the OS delivered it as a deep link.

use crate::events::{AppEvent, MainEvents, SignInFinished};
use crate::state::AppState;
use crate::{focus_main, login};
use tauri::{AppHandle, Manager, Runtime};
use telltale_core::multi::Channel;
use telltale_core::AppError;

/// Completes the sign-in `raw_url` answers, which arrived through `channel`, in the
/// background, and tells the main window. A link matching no attempt (forged, replayed,
/// malformed, or arriving another way than its attempt was started) is reported and changes
/// nothing: a sign-in in progress goes on.
pub fn deliver<R: Runtime>(app: &AppHandle<R>, raw_url: String, channel: Channel) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let Ok(accounts) = app.state::<AppState>().accounts() else {
            tracing::warn!("a sign-in link arrived but the accounts are not ready");
            return;
        };
        match accounts.complete_sign_in(&raw_url, channel).await {
            Ok(signed_in) => {
                login::finish(&app);
                tell_main(
                    &app,
                    AppEvent::SignInFinished(SignInFinished::Done(Box::new(signed_in))),
                );
                focus_main(&app);
            }
            Err(error @ AppError::InvalidCallback { .. }) => {
                tracing::warn!(%error, "ignored a sign-in link");
                tell_main(&app, AppEvent::CallbackIgnored(error));
            }
            Err(error) => {
                tracing::warn!(%error, "sign-in failed");
                login::finish(&app);
                tell_main(
                    &app,
                    AppEvent::SignInFinished(SignInFinished::Failed { error }),
                );
                focus_main(&app);
            }
        }
    });
}

/// Tells the main window `event` (see [`MainEvents`]).
pub(crate) fn tell_main<R: Runtime>(app: &AppHandle<R>, event: AppEvent) {
    app.state::<MainEvents>().tell(event);
}

//! The app as a person sees it: its views and messages (the issue 3 contract's element
//! ids), its sign-in window and the simulator's sign-in and consent pages inside it.

use crate::ensure;
use crate::harness::{Harness, PATIENCE};
use crate::wait::wait_until;
use crate::wd::Element;
use crate::x11::wait_for_native_window;
use crate::Failure;
use serde_json::Value;

/// The native title of the app's sign-in window: the provider's host and the connection
/// (the demo runs on loopback).
pub const SIGN_IN_TITLE: &str = "Sign in at 127.0.0.1 (this computer, http)";

/// The views `document.body.dataset.view` can name.
const VIEWS: &[&str] = &["loading", "signed-out", "signing-in", "signed-in", "broken"];

/// What the sign-in window shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProviderPage {
    /// The password form (`#new_user`).
    SignIn,
    /// The consent form (`#consent`).
    Consent,
}

impl Harness {
    /// The current view of the main window (`document.body.dataset.view`).
    pub async fn view(&self) -> Result<String, Failure> {
        let script = "return document.body ? (document.body.dataset.view || '') : '';";
        let value = self.wd().execute(script, vec![]).await?;
        Ok(value.as_str().unwrap_or_default().to_string())
    }

    /// Waits until the main window shows `view` and exactly that view's section
    /// (`#view-<view>`) is displayed.
    pub async fn wait_for_view(&self, view: &str) -> Result<(), Failure> {
        wait_until(&format!("the view '{view}'"), PATIENCE, || async {
            let seen = self.view().await.map_err(|e| e.to_string())?;
            let shown = self.shown_views().await.map_err(|e| e.to_string())?;
            match seen == view && shown == [view] {
                true => Ok(()),
                false => Err(format!("view '{seen}', sections shown {shown:?}")),
            }
        })
        .await?;
        Ok(())
    }

    /// The views whose `#view-<name>` section is displayed.
    async fn shown_views(&self) -> Result<Vec<&'static str>, Failure> {
        let mut shown = Vec::new();
        for view in VIEWS {
            for section in self.wd().find_all(&format!("#view-{view}")).await? {
                if self.wd().is_displayed(&section).await? {
                    shown.push(*view);
                }
            }
        }
        Ok(shown)
    }

    /// How far the browse area's code is loaded (`data-browse` on the body: empty before
    /// its first use, then loading, loaded or failed) and which of its stylesheets
    /// (`uplot.css`, `browse.css`) the page has.
    pub async fn browse_code(&self) -> Result<(String, Vec<String>), Failure> {
        let script = "return [document.body.dataset.browse || '', \
                      [...document.styleSheets].map((s) => (s.href || '').split('/').pop())\
                      .filter((n) => n === 'uplot.css' || n === 'browse.css').sort()];";
        let value = self.wd().execute(script, vec![]).await?;
        let state = value[0].as_str().unwrap_or_default().to_string();
        let sheets = value[1]
            .as_array()
            .map(|names| {
                names
                    .iter()
                    .filter_map(|n| n.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default();
        Ok((state, sheets))
    }

    /// The one element matching `css` in the current window.
    pub async fn element(&self, css: &str) -> Result<Element, Failure> {
        Ok(self.wd().find(css).await?)
    }

    /// Clicks the element matching `css`.
    pub async fn click(&self, css: &str) -> Result<(), Failure> {
        let element = self.element(css).await?;
        Ok(self.wd().click(&element).await?)
    }

    /// The trimmed text of the element matching `css`.
    pub async fn text(&self, css: &str) -> Result<String, Failure> {
        let element = self.element(css).await?;
        Ok(self.wd().text(&element).await?.trim().to_string())
    }

    /// Waits until `#message` is displayed with `data-kind` = `kind`; returns its text.
    pub async fn wait_for_message(&self, kind: &str) -> Result<String, Failure> {
        let message = wait_until(&format!("a message of kind '{kind}'"), PATIENCE, || async {
            let wd = self.wd();
            let element = wd.find("#message").await.map_err(|e| e.to_string())?;
            let seen = wd
                .attribute(&element, "data-kind")
                .await
                .map_err(|e| e.to_string())?;
            let shown = wd.is_displayed(&element).await.map_err(|e| e.to_string())?;
            let text = wd.text(&element).await.map_err(|e| e.to_string())?;
            match shown && seen.as_deref() == Some(kind) {
                true => Ok(text),
                false => Err(format!(
                    "data-kind {seen:?}, displayed {shown}, text {text:?}"
                )),
            }
        })
        .await?;
        Ok(message)
    }

    /// Waits for a window other than the main one, makes it current and returns its handle.
    /// The app's native window titled [`SIGN_IN_TITLE`] must be open too (WebDriver's
    /// title is the page's).
    pub async fn switch_to_sign_in_window(&self) -> Result<String, Failure> {
        let main = self.main_window().to_string();
        let handle = wait_until("a second window (the sign-in window)", PATIENCE, || async {
            let handles = self
                .wd()
                .window_handles()
                .await
                .map_err(|e| e.to_string())?;
            match handles.iter().find(|h| **h != main) {
                Some(other) => Ok(other.clone()),
                None => Err(format!("window handles {handles:?} (main: {main})")),
            }
        })
        .await?;
        self.wd().switch_to_window(&handle).await?;
        wait_for_native_window(SIGN_IN_TITLE, true).await?;
        Ok(handle)
    }

    /// Waits until the current window shows one of the simulator's pages and says which.
    pub async fn wait_for_provider_page(&self) -> Result<ProviderPage, Failure> {
        let what = "the simulator's sign-in or consent page";
        Ok(wait_until(what, PATIENCE, || self.provider_page_now()).await?)
    }

    /// Waits until the current window shows the simulator's `page`.
    pub async fn wait_for_page(&self, page: ProviderPage) -> Result<(), Failure> {
        let what = format!("the simulator's {page:?} page");
        wait_until(&what, PATIENCE, || async {
            match self.provider_page_now().await {
                Ok(seen) if seen == page => Ok(()),
                Ok(seen) => Err(format!("the {seen:?} page")),
                Err(e) => Err(e),
            }
        })
        .await?;
        Ok(())
    }

    /// Which of the simulator's pages the current window shows; `Err` describes what it
    /// shows instead.
    async fn provider_page_now(&self) -> Result<ProviderPage, String> {
        let wd = self.wd();
        let url = wd.url().await.map_err(|e| e.to_string())?;
        let title = wd.title().await.map_err(|e| e.to_string())?;
        let sign_in = wd.find_all("#new_user").await.map_err(|e| e.to_string())?;
        let consent = wd.find_all("#consent").await.map_err(|e| e.to_string())?;
        match (
            url.starts_with(&self.sim().base_url()),
            sign_in.is_empty(),
            consent.is_empty(),
        ) {
            (true, false, _) => Ok(ProviderPage::SignIn),
            (true, true, false) => Ok(ProviderPage::Consent),
            _ => Err(format!("url {url}, title {title:?}")),
        }
    }

    /// Fills the simulator's password form and submits it. The form's email field has
    /// `autofocus`, which WebKit applies at the first rendering update after the load:
    /// typing before it once moved the password's keystrokes into the email field. So this
    /// waits for the load and two animation frames (autofocus is flushed before frame
    /// callbacks run), and checks both values after typing, failing with what the fields
    /// hold rather than typing again.
    pub async fn submit_password(&self, email: &str, password: &str) -> Result<(), Failure> {
        let settled = "const done = arguments[arguments.length - 1];\
                       const frames = () => requestAnimationFrame(() => \
                           requestAnimationFrame(() => done(true)));\
                       if (document.readyState === 'complete') frames();\
                       else addEventListener('load', frames, { once: true });";
        wait_until(
            "the provider's sign-in page to load and draw",
            PATIENCE,
            || async {
                match self.wd().execute_async(settled, vec![]).await {
                    Ok(Value::Bool(true)) => Ok(()),
                    Ok(other) => Err(format!("settled: {other}")),
                    Err(e) => Err(e.to_string()),
                }
            },
        )
        .await?;
        for (css, text) in [("#user_email", email), ("#user_password", password)] {
            self.type_checked(css, text).await?;
        }
        self.click("#new_user button[type=submit]").await
    }

    /// Types `text` into the field `css` and checks that the field holds exactly it. The
    /// failure gives lengths only: the text may be a password.
    pub async fn type_checked(&self, css: &str, text: &str) -> Result<(), Failure> {
        let field = self.element(css).await?;
        self.wd().send_keys(&field, text).await?;
        let held = self.wd().property(&field, "value").await?;
        let held = held.as_str().unwrap_or_default();
        ensure!(
            held == text,
            "typed {} characters into {css}, but it holds {} (did focus move while typing?)",
            text.chars().count(),
            held.chars().count()
        );
        Ok(())
    }

    /// Presses `Authorize` or `Deny` on the consent page. The page then sends the browser
    /// to the app's redirect URI, and the app closes the window, possibly while the click
    /// is still being answered: WebKitWebDriver then answers "no such window", or, when the
    /// window went away while it waited for the navigation to settle, "timeout". Only those
    /// are accepted; the caller then checks that the window closed and what the app shows.
    pub async fn decide(&self, button: &str) -> Result<(), Failure> {
        let css = format!("#consent button[name=commit][value={button}]");
        let element = self.element(&css).await?;
        match self.wd().click(&element).await {
            Ok(()) => Ok(()),
            Err(e) if e.error == "no such window" || e.error == "timeout" => Ok(()),
            Err(e) => Err(e.into()),
        }
    }

    /// Waits until only the main window is left, both for WebDriver and on the display (no
    /// native window titled [`SIGN_IN_TITLE`]), and makes it current again.
    pub async fn wait_for_sign_in_window_to_close(&self) -> Result<(), Failure> {
        let main = self.main_window().to_string();
        wait_until("the sign-in window to close", PATIENCE, || async {
            let handles = self
                .wd()
                .window_handles()
                .await
                .map_err(|e| e.to_string())?;
            match handles == [main.clone()] {
                true => Ok(()),
                false => Err(format!("window handles {handles:?} (main: {main})")),
            }
        })
        .await?;
        self.wd().switch_to_window(&main).await?;
        wait_for_native_window(SIGN_IN_TITLE, false).await
    }

    /// Runs `invoke(command, args)` through `window.__TAURI_INTERNALS__` in the current
    /// window. `Ok(value)` when it resolved, `Err(text)` when it was rejected or did not
    /// answer within 5 s; a `Failure` when the page has no `__TAURI_INTERNALS__` at all.
    pub async fn invoke(
        &self,
        command: &str,
        args: Value,
    ) -> Result<Result<Value, String>, Failure> {
        let script = r#"
            const [command, args, done] = arguments;
            const internals = window.__TAURI_INTERNALS__;
            if (!internals || typeof internals.invoke !== 'function') {
                done({ internals: false });
                return;
            }
            const late = new Promise((resolve) =>
                setTimeout(() => resolve({ ok: false, error: 'no answer within 5 s' }), 5000));
            const call = Promise.resolve()
                .then(() => internals.invoke(command, args))
                .then((value) => ({ ok: true, value: value === undefined ? null : value }),
                      (error) => ({ ok: false, error: typeof error === 'string'
                          ? error : JSON.stringify(error) || String(error) }));
            Promise.race([call, late]).then((outcome) => done({ internals: true, ...outcome }));
        "#;
        let args = vec![Value::from(command), args];
        let outcome = self.wd().execute_async(script, args).await?;
        if outcome["internals"] != Value::Bool(true) {
            return Err(Failure(format!(
                "window.__TAURI_INTERNALS__.invoke is missing in this page ({})",
                self.wd().url().await.unwrap_or_default()
            )));
        }
        Ok(match outcome["ok"].as_bool() {
            Some(true) => Ok(outcome["value"].clone()),
            _ => Err(outcome["error"].as_str().unwrap_or("?").to_string()),
        })
    }
}

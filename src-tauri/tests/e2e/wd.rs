//! The end-to-end tests' WebDriver client: thirtyfour, behind the calls the scenarios make
//! (`h.wd().click(&element)`, `h.wd().execute(script, args)`, ...).
//!
//! thirtyfour sends each command as one plain HTTP request through a `reqwest::Client` we
//! give it, bounded by [`COMMAND_TIMEOUT`] (a WebKitWebDriver that died mid-navigation never
//! answers). What this module adds: every error names the command and the W3C error code
//! (`no such window`, `timeout`, ...), or `transport` when the driver could not be reached
//! at all, which `wait::wait_until` stops on; and the session is ended by the harness, not
//! by thirtyfour's blocking quit on drop.

use serde_json::Value;
use std::fmt;
use std::time::Duration;
use thirtyfour::common::command::Command;
use thirtyfour::common::config::WebDriverConfig;
use thirtyfour::error::{WebDriverError, WebDriverErrorInfo, WebDriverErrorInner as E};
use thirtyfour::prelude::*;
use thirtyfour::{Capabilities, TimeoutConfiguration, WindowHandle};

pub use thirtyfour::WebElement as Element;

/// How long one command may take before the driver counts as gone. Generous: WebKitWebDriver
/// holds a command back until a navigation settles, and scripts have their own timeout.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(90);

/// The error code of a failure to reach the driver at all (tauri-driver or WebKitWebDriver
/// died or stopped answering), unlike an answer that says a command failed.
pub const TRANSPORT: &str = "transport";

/// A failed WebDriver command: the command, the W3C error code (or [`TRANSPORT`], or
/// `protocol` for an answer that is not WebDriver's) and the driver's message.
#[derive(Clone)]
pub struct WdError {
    /// What was asked, e.g. `find #message`.
    pub command: String,
    /// The W3C error code, e.g. `no such element`.
    pub error: String,
    /// The driver's message, or what went wrong around it.
    pub message: String,
}

impl WdError {
    fn new(command: String, error: WebDriverError) -> WdError {
        let (error, message) = match &*error {
            E::HttpError(why) | E::RequestFailed(why) => (TRANSPORT.to_string(), why.clone()),
            E::IoError(why) => (TRANSPORT.to_string(), why.to_string()),
            inner => match info(inner) {
                Some(info) => (code(info), info.value.message.clone()),
                None => ("protocol".to_string(), inner.to_string()),
            },
        };
        WdError {
            command,
            error,
            message,
        }
    }
}

impl fmt::Display for WdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.command, self.error, self.message)
    }
}

impl fmt::Debug for WdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for WdError {}

/// The W3C error code of an error answer (the legacy `state` when the driver gave one).
fn code(info: &WebDriverErrorInfo) -> String {
    match info.value.error.as_deref() {
        Some(code) if !code.is_empty() => code.to_string(),
        _ => info.error.clone(),
    }
}

/// The driver's answer inside a thirtyfour error, when the driver answered.
fn info(inner: &E) -> Option<&WebDriverErrorInfo> {
    match inner {
        E::NotInSpec(i)
        | E::ElementClickIntercepted(i)
        | E::ElementNotInteractable(i)
        | E::InsecureCertificate(i)
        | E::InvalidArgument(i)
        | E::InvalidCookieDomain(i)
        | E::InvalidElementState(i)
        | E::InvalidSelector(i)
        | E::InvalidSessionId(i)
        | E::JavascriptError(i)
        | E::MoveTargetOutOfBounds(i)
        | E::NoSuchAlert(i)
        | E::NoSuchCookie(i)
        | E::NoSuchElement(i)
        | E::NoSuchFrame(i)
        | E::NoSuchWindow(i)
        | E::ScriptTimeout(i)
        | E::SessionNotCreated(i)
        | E::StaleElementReference(i)
        | E::WebDriverTimeout(i)
        | E::UnableToSetCookie(i)
        | E::UnableToCaptureScreen(i)
        | E::UnexpectedAlertOpen(i)
        | E::UnknownCommand(i)
        | E::UnknownError(i)
        | E::UnknownMethod(i)
        | E::UnsupportedOperation(i) => Some(i),
        _ => None,
    }
}

/// Names a failed command: `on(what)` turns thirtyfour's error into a [`WdError`].
fn on(what: impl Into<String>) -> impl FnOnce(WebDriverError) -> WdError {
    let what = what.into();
    move |error| WdError::new(what, error)
}

/// One WebDriver session: the app, started by tauri-driver for it.
pub struct Session {
    driver: Option<WebDriver>,
    id: String,
}

impl Session {
    /// Creates a session on the driver at `base` (e.g. `http://127.0.0.1:4444`, plain HTTP)
    /// with `capabilities` as its `alwaysMatch`.
    pub async fn new(base: &str, capabilities: Capabilities) -> Result<Session, WdError> {
        let http = reqwest::Client::builder()
            .timeout(COMMAND_TIMEOUT)
            .build()
            .map_err(|e| WdError {
                command: "new session".into(),
                error: TRANSPORT.into(),
                message: format!("building the HTTP client: {e}"),
            })?;
        let config = WebDriverConfig::builder()
            .build()
            .map_err(on("new session"))?;
        let driver = WebDriver::new_with_config_and_client(base, capabilities, config, http)
            .await
            .map_err(on("new session"))?;
        let id = driver.session_id().to_string();
        Ok(Session {
            driver: Some(driver),
            id,
        })
    }

    fn driver(&self) -> &WebDriver {
        self.driver.as_ref().expect("the session was not ended")
    }

    /// The session id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Ends the session; the driver closes the browser (here: the app).
    pub async fn delete(mut self) -> Result<(), WdError> {
        let driver = self.driver.take().expect("the session was not ended");
        let ended = driver.clone().quit().await.map_err(on("delete session"));
        if ended.is_err() {
            // Not ended: thirtyfour would try again, blocking, when the last handle goes.
            let _ = driver.leak();
        }
        ended
    }

    /// Sets the script, page load and implicit wait timeouts (milliseconds).
    pub async fn set_timeouts(
        &self,
        script: u64,
        page_load: u64,
        implicit: u64,
    ) -> Result<(), WdError> {
        let ms = |n| Some(Duration::from_millis(n));
        let timeouts = TimeoutConfiguration::new(ms(script), ms(page_load), ms(implicit));
        self.driver()
            .update_timeouts(timeouts)
            .await
            .map_err(on("set timeouts"))
    }

    /// The first element matching a CSS selector.
    pub async fn find(&self, css: &str) -> Result<Element, WdError> {
        let find = self.driver().find(By::Css(css));
        find.await.map_err(on(format!("find {css}")))
    }

    /// All elements matching a CSS selector (possibly none).
    pub async fn find_all(&self, css: &str) -> Result<Vec<Element>, WdError> {
        let find = self.driver().find_all(By::Css(css));
        find.await.map_err(on(format!("find all {css}")))
    }

    /// Clicks an element.
    pub async fn click(&self, element: &Element) -> Result<(), WdError> {
        element.click().await.map_err(on("click"))
    }

    /// Types text into an element.
    pub async fn send_keys(&self, element: &Element, text: &str) -> Result<(), WdError> {
        element.send_keys(text).await.map_err(on("send keys"))
    }

    /// The element's rendered text.
    pub async fn text(&self, element: &Element) -> Result<String, WdError> {
        element.text().await.map_err(on("element text"))
    }

    /// An attribute of the element, `None` when it has none.
    pub async fn attribute(
        &self,
        element: &Element,
        name: &str,
    ) -> Result<Option<String>, WdError> {
        let attr = element.attr(name);
        attr.await.map_err(on(format!("attribute {name}")))
    }

    /// A DOM property of the element, as the JSON the driver gave (thirtyfour's `prop`
    /// turns it into a string, and the tests compare booleans and numbers).
    pub async fn property(&self, element: &Element, name: &str) -> Result<Value, WdError> {
        let what = format!("property {name}");
        let command = Command::GetElementProperty(element.element_id(), name.into());
        let answer = self.driver().cmd(command).await.map_err(on(&*what))?;
        answer.value().map_err(on(what))
    }

    /// Whether the element is displayed.
    pub async fn is_displayed(&self, element: &Element) -> Result<bool, WdError> {
        element.is_displayed().await.map_err(on("is displayed"))
    }

    /// Runs a synchronous script (a function body) and returns its result.
    pub async fn execute(&self, script: &str, args: Vec<Value>) -> Result<Value, WdError> {
        let run = self.driver().execute(script, args);
        let answer = run.await.map_err(on("execute script"))?;
        Ok(answer.json().clone())
    }

    /// Runs an asynchronous script: its last argument is the callback that ends it.
    pub async fn execute_async(&self, script: &str, args: Vec<Value>) -> Result<Value, WdError> {
        let run = self.driver().execute_async(script, args);
        let answer = run.await.map_err(on("execute async script"))?;
        Ok(answer.json().clone())
    }

    /// The handle of the current window.
    pub async fn window_handle(&self) -> Result<String, WdError> {
        let handle = self.driver().window().await.map_err(on("window handle"))?;
        Ok(handle.to_string())
    }

    /// The handles of all windows the driver knows.
    pub async fn window_handles(&self) -> Result<Vec<String>, WdError> {
        let handles = self.driver().windows().await;
        let handles = handles.map_err(on("window handles"))?;
        Ok(handles.iter().map(WindowHandle::to_string).collect())
    }

    /// Makes another window the current one.
    pub async fn switch_to_window(&self, handle: &str) -> Result<(), WdError> {
        let switch = self.driver().switch_to_window(WindowHandle::from(handle));
        switch
            .await
            .map_err(on(format!("switch to window {handle}")))
    }

    /// Closes the current window (the W3C "Close Window" command).
    pub async fn close_window(&self) -> Result<(), WdError> {
        self.driver()
            .close_window()
            .await
            .map_err(on("close window"))
    }

    /// The current document's title.
    pub async fn title(&self) -> Result<String, WdError> {
        self.driver().title().await.map_err(on("title"))
    }

    /// The current document's URL.
    pub async fn url(&self) -> Result<String, WdError> {
        let url = self.driver().current_url().await.map_err(on("url"))?;
        Ok(url.to_string())
    }

    /// A PNG screenshot of the current window.
    pub async fn screenshot(&self) -> Result<Vec<u8>, WdError> {
        let shot = self.driver().screenshot_as_png();
        shot.await.map_err(on("screenshot"))
    }
}

impl Drop for Session {
    /// thirtyfour would end a session it still holds by blocking the thread on a DELETE
    /// without a bound; the harness ends it itself (`delete`, or a bounded request from its
    /// own `Drop`), so the handle is let go without one.
    fn drop(&mut self) {
        if let Some(driver) = self.driver.take() {
            let _ = driver.leak();
        }
    }
}

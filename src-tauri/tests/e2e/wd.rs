//! The end-to-end tests' WebDriver client: fantoccini, behind the calls the scenarios make
//! (`h.wd().click(&element)`, `h.wd().execute(script, args)`, ...).
//!
//! What this adds to fantoccini: every command is bounded by [`COMMAND_TIMEOUT`] (fantoccini
//! waits for an answer forever, and a WebKitWebDriver that died mid-navigation never gives
//! one), and every error names the command and the WebDriver error code, and says when the
//! driver could not be reached at all ([`UNREACHABLE`]), which `wait::wait_until` stops on.

pub use fantoccini::elements::Element;
use fantoccini::error::{CmdError, NewSessionError};
use fantoccini::wd::{Capabilities, TimeoutConfiguration, WebDriverCompatibleCommand};
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::Value;
use std::fmt;
use std::future::Future;
use std::time::Duration;

/// How long one command may take before the driver counts as gone. Generous: WebKitWebDriver
/// holds a command back until a navigation settles, and scripts have their own timeout.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(90);

/// Begins the description of an error that means the driver could not be reached at all
/// (tauri-driver or WebKitWebDriver died or stopped answering), unlike an answer that says a
/// command failed.
pub const UNREACHABLE: &str = "the driver did not answer";

/// A failed WebDriver command: what was asked and fantoccini's error.
pub struct WdError {
    /// What was asked, e.g. `find #message`.
    pub command: String,
    /// fantoccini's error: `CmdError::Standard` carries the WebDriver error code.
    pub error: CmdError,
}

impl fmt::Display for WdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.command, describe(&self.error))
    }
}

impl fmt::Debug for WdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for WdError {}

/// A fantoccini error in words: the WebDriver error code and message (fantoccini's own
/// text leaves the code out), or [`UNREACHABLE`] and why.
pub fn describe(error: &CmdError) -> String {
    match error {
        CmdError::Standard(e) => format!("{}: {}", e.error, e.message),
        e if is_unreachable(e) => format!("{UNREACHABLE} ({e})"),
        e => e.to_string(),
    }
}

/// Whether `error` means that no answer came (the connection failed, broke or timed out).
pub fn is_unreachable(error: &CmdError) -> bool {
    matches!(
        error,
        CmdError::Failed(_) | CmdError::FailedC(_) | CmdError::Lost(_)
    )
}

/// [`is_unreachable`] for a failed New Session.
pub fn is_new_session_unreachable(error: &NewSessionError) -> bool {
    matches!(
        error,
        NewSessionError::Failed(_) | NewSessionError::FailedC(_) | NewSessionError::Lost(_)
    )
}

/// [`describe`] for a failed New Session, the unreachable cases marked the same way.
pub fn describe_new_session(error: &NewSessionError) -> String {
    match error {
        e if is_new_session_unreachable(e) => format!("{UNREACHABLE} ({e})"),
        NewSessionError::UnexpectedError(e) => describe(e),
        e => e.to_string(),
    }
}

/// One WebDriver session: the app, started by tauri-driver for it.
pub struct Wd {
    client: Client,
    id: String,
}

impl Wd {
    /// Starts a session on the driver at `driver_url` (e.g. `http://127.0.0.1:4444`, plain
    /// HTTP: no TLS) with `capabilities` as its `alwaysMatch`.
    pub async fn connect(
        driver_url: &str,
        capabilities: Capabilities,
    ) -> Result<Wd, NewSessionError> {
        let mut builder = ClientBuilder::new(HttpConnector::new());
        builder.capabilities(capabilities);
        let connect = builder.connect(driver_url);
        let client = match tokio::time::timeout(COMMAND_TIMEOUT, connect).await {
            Ok(client) => client?,
            Err(_) => return Err(NewSessionError::Lost(no_answer("new session"))),
        };
        let id = client
            .session_creation_response()
            .map(|r| r.session_id().to_string())
            .unwrap_or_default();
        // The harness ends the session itself (`delete`, or a blocking request when it is
        // dropped). fantoccini would send a DELETE of its own when the last handle goes:
        // a second one, maybe while the app restarts in the next session.
        let wd = Wd { client, id };
        match wd.run("persist".into(), wd.client.persist()).await {
            Ok(()) => Ok(wd),
            Err(e) => Err(NewSessionError::UnexpectedError(e.error)),
        }
    }

    /// The session id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Runs `command` under [`COMMAND_TIMEOUT`]; `what` names it in the error.
    async fn run<T>(
        &self,
        what: String,
        command: impl Future<Output = Result<T, CmdError>>,
    ) -> Result<T, WdError> {
        match tokio::time::timeout(COMMAND_TIMEOUT, command).await {
            Ok(outcome) => outcome.map_err(|error| WdError {
                command: what,
                error,
            }),
            Err(_) => Err(WdError {
                error: CmdError::Lost(no_answer(&what)),
                command: what,
            }),
        }
    }

    /// Ends the session; the driver closes the browser (here: the app). Unlike fantoccini's
    /// `close`, it reports a failed request.
    pub async fn delete(&self) -> Result<(), WdError> {
        let delete = SessionCommand::new(http::Method::DELETE, "");
        let command = self.client.issue_cmd(delete);
        self.run("delete session".into(), command).await.map(drop)
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
        let command = self.client.update_timeouts(timeouts);
        self.run("set timeouts".into(), command).await
    }

    /// The first element matching a CSS selector.
    pub async fn find(&self, css: &str) -> Result<Element, WdError> {
        let command = self.client.find(Locator::Css(css));
        self.run(format!("find {css}"), command).await
    }

    /// All elements matching a CSS selector (possibly none).
    pub async fn find_all(&self, css: &str) -> Result<Vec<Element>, WdError> {
        let command = self.client.find_all(Locator::Css(css));
        self.run(format!("find all {css}"), command).await
    }

    /// Clicks an element.
    pub async fn click(&self, element: &Element) -> Result<(), WdError> {
        self.run("click".into(), element.click()).await
    }

    /// Types text into an element.
    pub async fn send_keys(&self, element: &Element, text: &str) -> Result<(), WdError> {
        self.run("send keys".into(), element.send_keys(text)).await
    }

    /// The element's rendered text.
    pub async fn text(&self, element: &Element) -> Result<String, WdError> {
        self.run("element text".into(), element.text()).await
    }

    /// An attribute of the element, `None` when it has none.
    pub async fn attribute(
        &self,
        element: &Element,
        name: &str,
    ) -> Result<Option<String>, WdError> {
        self.run(format!("attribute {name}"), element.attr(name))
            .await
    }

    /// A DOM property of the element, as the JSON the driver gave (fantoccini's `prop`
    /// turns it into a string, and the tests compare booleans and numbers).
    pub async fn property(&self, element: &Element, name: &str) -> Result<Value, WdError> {
        let path = format!("/element/{}/property/{name}", &*element.element_id());
        let command = self
            .client
            .issue_cmd(SessionCommand::new(http::Method::GET, &path));
        self.run(format!("property {name}"), command).await
    }

    /// Whether the element is displayed.
    pub async fn is_displayed(&self, element: &Element) -> Result<bool, WdError> {
        self.run("is displayed".into(), element.is_displayed())
            .await
    }

    /// Runs a synchronous script (a function body) and returns its result.
    pub async fn execute(&self, script: &str, args: Vec<Value>) -> Result<Value, WdError> {
        let command = self.client.execute(script, args);
        self.run("execute script".into(), command).await
    }

    /// Runs an asynchronous script: its last argument is the callback that ends it.
    pub async fn execute_async(&self, script: &str, args: Vec<Value>) -> Result<Value, WdError> {
        let command = self.client.execute_async(script, args);
        self.run("execute async script".into(), command).await
    }

    /// The handle of the current window.
    pub async fn window_handle(&self) -> Result<String, WdError> {
        let handle = self.run("window handle".into(), self.client.window());
        Ok(handle.await?.into())
    }

    /// The handles of all windows the driver knows.
    pub async fn window_handles(&self) -> Result<Vec<String>, WdError> {
        let handles = self.run("window handles".into(), self.client.windows());
        Ok(handles.await?.into_iter().map(String::from).collect())
    }

    /// Makes another window the current one.
    pub async fn switch_to_window(&self, handle: &str) -> Result<(), WdError> {
        let what = format!("switch to window {handle}");
        let command = async {
            let handle = handle.try_into()?;
            self.client.switch_to_window(handle).await
        };
        self.run(what, command).await
    }

    /// Closes the current window (the W3C "Close Window" command).
    pub async fn close_window(&self) -> Result<(), WdError> {
        self.run("close window".into(), self.client.close_window())
            .await
    }

    /// The current document's title.
    pub async fn title(&self) -> Result<String, WdError> {
        self.run("title".into(), self.client.title()).await
    }

    /// The current document's URL.
    pub async fn url(&self) -> Result<String, WdError> {
        let url = self.run("url".into(), self.client.current_url());
        Ok(url.await?.into())
    }

    /// A PNG screenshot of the current window.
    pub async fn screenshot(&self) -> Result<Vec<u8>, WdError> {
        self.run("screenshot".into(), self.client.screenshot())
            .await
    }
}

fn no_answer(what: &str) -> std::io::Error {
    let secs = COMMAND_TIMEOUT.as_secs();
    std::io::Error::new(
        std::io::ErrorKind::TimedOut,
        format!("no answer to {what} within {secs} s"),
    )
}

/// A command fantoccini has no method for: `method` on `path` below `/session/<id>`.
#[derive(Debug)]
struct SessionCommand {
    method: http::Method,
    path: String,
}

impl SessionCommand {
    fn new(method: http::Method, path: &str) -> SessionCommand {
        SessionCommand {
            method,
            path: path.to_string(),
        }
    }
}

impl WebDriverCompatibleCommand for SessionCommand {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!(
            "session/{}{}",
            session.unwrap_or_default(),
            self.path
        ))
    }

    fn method_and_body(&self, _url: &url::Url) -> (http::Method, Option<String>) {
        (self.method.clone(), None)
    }
}

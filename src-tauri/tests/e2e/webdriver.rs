//! A small W3C WebDriver client: just what the end-to-end tests use, over `reqwest`.
//!
//! Every command returns `Result<_, WdError>`; an error carries the WebDriver error code
//! (`no such element`, `javascript error`, ...) and its message, or the transport failure.

pub use crate::protocol::WdError;
use crate::protocol::{protocol, send, transport};
use base64::Engine as _;
use serde_json::{json, Value};
use std::time::Duration;

/// The key of a web element reference in W3C WebDriver JSON.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A web element found in the current browsing context.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Element(pub String);

impl Element {
    /// The element as a script argument (`arguments[i]` in executed scripts).
    pub fn to_arg(&self) -> Value {
        json!({ ELEMENT_KEY: self.0 })
    }
}

/// One WebDriver session on a driver at `base` (e.g. `http://127.0.0.1:4444`).
pub struct Session {
    http: reqwest::Client,
    base: String,
    id: String,
}

impl Session {
    /// Creates a session with the given capabilities (the `capabilities` object of the
    /// New Session request).
    pub async fn new(base: &str, capabilities: Value) -> Result<Session, WdError> {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(90))
            .build()
            .map_err(|e| transport("building the HTTP client", &e))?;
        let base = base.trim_end_matches('/').to_string();
        let body = json!({ "capabilities": capabilities });
        let value = send(
            &http,
            reqwest::Method::POST,
            &format!("{base}/session"),
            Some(body),
        )
        .await?;
        let id = value["sessionId"]
            .as_str()
            .ok_or_else(|| protocol("POST /session", &value))?
            .to_string();
        Ok(Session { http, base, id })
    }

    /// The session id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Ends the session; the driver closes the browser (here: the app).
    pub async fn delete(&self) -> Result<(), WdError> {
        let url = format!("{}/session/{}", self.base, self.id);
        send(&self.http, reqwest::Method::DELETE, &url, None)
            .await
            .map(drop)
    }

    async fn get(&self, path: &str) -> Result<Value, WdError> {
        let url = format!("{}/session/{}{path}", self.base, self.id);
        send(&self.http, reqwest::Method::GET, &url, None).await
    }

    async fn post(&self, path: &str, body: Value) -> Result<Value, WdError> {
        let url = format!("{}/session/{}{path}", self.base, self.id);
        send(&self.http, reqwest::Method::POST, &url, Some(body)).await
    }

    /// Sets the script, page load and implicit wait timeouts (milliseconds).
    pub async fn set_timeouts(
        &self,
        script: u64,
        page_load: u64,
        implicit: u64,
    ) -> Result<(), WdError> {
        let body = json!({ "script": script, "pageLoad": page_load, "implicit": implicit });
        self.post("/timeouts", body).await.map(drop)
    }

    /// The first element matching a CSS selector.
    pub async fn find(&self, css: &str) -> Result<Element, WdError> {
        let body = json!({ "using": "css selector", "value": css });
        element_of(&self.post("/element", body).await?)
    }

    /// All elements matching a CSS selector (possibly none).
    pub async fn find_all(&self, css: &str) -> Result<Vec<Element>, WdError> {
        let body = json!({ "using": "css selector", "value": css });
        let value = self.post("/elements", body).await?;
        let list = value
            .as_array()
            .ok_or_else(|| protocol("POST /elements", &value))?;
        list.iter().map(element_of).collect()
    }

    /// Clicks an element.
    pub async fn click(&self, element: &Element) -> Result<(), WdError> {
        self.post(&format!("/element/{}/click", element.0), json!({}))
            .await
            .map(drop)
    }

    /// Types text into an element.
    pub async fn send_keys(&self, element: &Element, text: &str) -> Result<(), WdError> {
        let body = json!({ "text": text });
        self.post(&format!("/element/{}/value", element.0), body)
            .await
            .map(drop)
    }

    /// The element's rendered text.
    pub async fn text(&self, element: &Element) -> Result<String, WdError> {
        let value = self.get(&format!("/element/{}/text", element.0)).await?;
        Ok(value.as_str().unwrap_or_default().to_string())
    }

    /// An attribute of the element, `None` when it has none.
    pub async fn attribute(
        &self,
        element: &Element,
        name: &str,
    ) -> Result<Option<String>, WdError> {
        let value = self
            .get(&format!("/element/{}/attribute/{name}", element.0))
            .await?;
        Ok(value.as_str().map(str::to_string))
    }

    /// A DOM property of the element.
    pub async fn property(&self, element: &Element, name: &str) -> Result<Value, WdError> {
        self.get(&format!("/element/{}/property/{name}", element.0))
            .await
    }

    /// Whether the element is displayed.
    pub async fn is_displayed(&self, element: &Element) -> Result<bool, WdError> {
        let value = self
            .get(&format!("/element/{}/displayed", element.0))
            .await?;
        value
            .as_bool()
            .ok_or_else(|| protocol("GET displayed", &value))
    }

    /// Runs a synchronous script (a function body) and returns its result.
    pub async fn execute(&self, script: &str, args: Vec<Value>) -> Result<Value, WdError> {
        self.post("/execute/sync", json!({ "script": script, "args": args }))
            .await
    }

    /// Runs an asynchronous script: its last argument is the callback that ends it.
    pub async fn execute_async(&self, script: &str, args: Vec<Value>) -> Result<Value, WdError> {
        self.post("/execute/async", json!({ "script": script, "args": args }))
            .await
    }

    /// Resizes the current window (the W3C "Set Window Rect" command).
    pub async fn set_window_size(&self, width: u32, height: u32) -> Result<(), WdError> {
        self.post("/window/rect", json!({ "width": width, "height": height }))
            .await
            .map(drop)
    }

    /// The handle of the current window.
    pub async fn window_handle(&self) -> Result<String, WdError> {
        let value = self.get("/window").await?;
        value
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| protocol("GET /window", &value))
    }

    /// The handles of all windows the driver knows.
    pub async fn window_handles(&self) -> Result<Vec<String>, WdError> {
        let value = self.get("/window/handles").await?;
        let list = value
            .as_array()
            .ok_or_else(|| protocol("GET /window/handles", &value))?;
        Ok(list
            .iter()
            .filter_map(|h| h.as_str().map(str::to_string))
            .collect())
    }

    /// Makes another window the current one.
    pub async fn switch_to_window(&self, handle: &str) -> Result<(), WdError> {
        self.post("/window", json!({ "handle": handle }))
            .await
            .map(drop)
    }

    /// Closes the current window (the W3C "Close Window" command).
    pub async fn close_window(&self) -> Result<(), WdError> {
        let url = format!("{}/session/{}/window", self.base, self.id);
        send(&self.http, reqwest::Method::DELETE, &url, None)
            .await
            .map(drop)
    }

    /// The current document's title.
    pub async fn title(&self) -> Result<String, WdError> {
        Ok(self
            .get("/title")
            .await?
            .as_str()
            .unwrap_or_default()
            .to_string())
    }

    /// The current document's URL.
    pub async fn url(&self) -> Result<String, WdError> {
        Ok(self
            .get("/url")
            .await?
            .as_str()
            .unwrap_or_default()
            .to_string())
    }

    /// A PNG screenshot of the current window.
    pub async fn screenshot(&self) -> Result<Vec<u8>, WdError> {
        let value = self.get("/screenshot").await?;
        let encoded = value
            .as_str()
            .ok_or_else(|| protocol("GET /screenshot", &value))?;
        base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .map_err(|e| WdError {
                command: "GET /screenshot".into(),
                error: "protocol".into(),
                message: format!("the screenshot is not base64: {e}"),
            })
    }
}

fn element_of(value: &Value) -> Result<Element, WdError> {
    value[ELEMENT_KEY]
        .as_str()
        .map(|id| Element(id.to_string()))
        .ok_or_else(|| protocol("element reference", value))
}

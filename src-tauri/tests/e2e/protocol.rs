//! The wire side of the WebDriver client: sending a command and reading its answer or
//! its error.

use serde_json::Value;
use std::fmt;

/// A failed WebDriver command: the command, the WebDriver `error` code and its `message`.
#[derive(Clone)]
pub struct WdError {
    /// What was asked, e.g. `POST /session/../element`.
    pub command: String,
    /// The WebDriver error code, or `transport` / `protocol` for failures around it.
    pub error: String,
    /// The driver's message.
    pub message: String,
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

/// Sends one command and unwraps the `value` of the answer, or its error.
pub async fn send(
    http: &reqwest::Client,
    method: reqwest::Method,
    url: &str,
    body: Option<Value>,
) -> Result<Value, WdError> {
    let command = format!("{method} {url}");
    let request = match body {
        Some(body) => http.request(method, url).json(&body),
        None => http.request(method, url),
    };
    let response = request.send().await.map_err(|e| transport(&command, &e))?;
    let status = response.status();
    let text = response.text().await.map_err(|e| transport(&command, &e))?;
    let parsed: Value = serde_json::from_str(&text).map_err(|_| WdError {
        command: command.clone(),
        error: "protocol".into(),
        message: format!("HTTP {status}, not JSON: {text}"),
    })?;
    let value = parsed.get("value").cloned().unwrap_or(Value::Null);
    if status.is_success() {
        return Ok(value);
    }
    Err(WdError {
        command,
        error: value["error"]
            .as_str()
            .unwrap_or("unknown error")
            .to_string(),
        message: value["message"].as_str().unwrap_or(&text).to_string(),
    })
}

pub fn transport(command: &str, error: &reqwest::Error) -> WdError {
    WdError {
        command: command.to_string(),
        error: "transport".into(),
        message: error.to_string(),
    }
}

pub fn protocol(command: &str, value: &Value) -> WdError {
    WdError {
        command: command.to_string(),
        error: "protocol".into(),
        message: format!("unexpected answer: {value}"),
    }
}

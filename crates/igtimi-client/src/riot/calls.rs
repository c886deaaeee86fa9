//! The Riot calls: the security service's sign-in, token rotation and user, then devices,
//! data access windows, data and latest values under `igtimi/api/v1/`.

use super::models::{RiotDevice, RiotSignIn, RiotUser, RiotWindow};
use super::send::Body;
use super::RiotClient;
use crate::body::decode_json;
use crate::{AccessToken, ApiError};
use reqwest::Method;
use serde::Deserialize;
use serde_json::json;

const SECURITY: &str = "security/api/restsecurity/";
const API: &str = "igtimi/api/v1/";

fn param(name: &str, value: impl ToString) -> (String, String) {
    (name.to_owned(), value.to_string())
}

fn serials(params: &mut Vec<(String, String)>, serials: &[String]) {
    params.extend(serials.iter().map(|s| param("serial_numbers[]", s)));
}

#[derive(Deserialize)]
struct Devices {
    devices: Vec<RiotDevice>,
}

#[derive(Deserialize)]
struct Windows {
    data_access_windows: Vec<WrappedWindow>,
}

#[derive(Deserialize)]
struct WrappedWindow {
    data_access_window: RiotWindow,
}

impl RiotClient {
    /// `POST access_token` with the user name (or e-mail) and password as a form: the user's
    /// one token. Sent once, only over https or to this computer; a wrong password is
    /// [`ApiError::Unauthorized`].
    pub async fn sign_in(&self, username: &str, password: &str) -> Result<RiotSignIn, ApiError> {
        let form = [("username", username), ("password", password)];
        let body = self
            .change(
                Method::POST,
                &format!("{SECURITY}access_token"),
                Body::Form(&form),
                None,
            )
            .await?;
        decode_json(&body, password)
    }

    /// `POST remove_access_token`: the server deletes the user's token and hands out a new
    /// one, so every other app of the user must sign in again.
    pub async fn rotate_token(&self, token: &AccessToken) -> Result<RiotSignIn, ApiError> {
        let body = self
            .change(
                Method::POST,
                &format!("{SECURITY}remove_access_token"),
                Body::None,
                Some(token),
            )
            .await?;
        decode_json(&body, token.expose_secret())
    }

    /// `GET user?username=..`: name and e-mail of the user.
    pub async fn user(&self, token: &AccessToken, username: &str) -> Result<RiotUser, ApiError> {
        self.get_json(
            &format!("{SECURITY}user"),
            &[param("username", username)],
            token,
        )
        .await
    }

    /// `GET hello`: the user name the token belongs to, or `None` when the server sees an
    /// anonymous caller.
    pub async fn whoami(&self, token: &AccessToken) -> Result<Option<String>, ApiError> {
        #[derive(Deserialize)]
        struct Hello {
            #[serde(default)]
            principal: Option<String>,
            #[serde(default)]
            authenticated: bool,
        }
        let hello: Hello = self
            .get_json(&format!("{SECURITY}hello"), &[], token)
            .await?;
        Ok(hello.principal.filter(|_| hello.authenticated))
    }

    /// `GET devices/`: the devices the user may read (own and shared alike).
    pub async fn devices(&self, token: &AccessToken) -> Result<Vec<RiotDevice>, ApiError> {
        let answer: Devices = self.get_json(&format!("{API}devices/"), &[], token).await?;
        Ok(answer.devices)
    }

    /// `POST devices`: registers `serial` under `name`; the caller becomes its owner if it
    /// has none. Best done before the device first connects.
    pub async fn register_device(
        &self,
        token: &AccessToken,
        serial: &str,
        name: &str,
    ) -> Result<(), ApiError> {
        let device = json!({"id": 0, "serial_number": serial, "name": name});
        self.change(
            Method::POST,
            &format!("{API}devices"),
            Body::Json(device),
            Some(token),
        )
        .await
        .map(drop)
    }

    /// `GET data_access_windows` of `serials` overlapping `[start, end]`. With no serials the
    /// server answers nothing (its quirk), so none is asked.
    pub async fn windows(
        &self,
        token: &AccessToken,
        start: i64,
        end: i64,
        of: &[String],
    ) -> Result<Vec<RiotWindow>, ApiError> {
        if of.is_empty() {
            return Ok(Vec::new());
        }
        let mut params = vec![param("start_time", start), param("end_time", end)];
        serials(&mut params, of);
        let answer: Windows = self
            .get_json(&format!("{API}data_access_windows"), &params, token)
            .await?;
        Ok(answer
            .data_access_windows
            .into_iter()
            .map(|w| w.data_access_window)
            .collect())
    }

    /// `POST data_access_windows`: makes `serial`'s data in `[start, end]` readable.
    pub async fn open_window(
        &self,
        token: &AccessToken,
        serial: &str,
        start: i64,
        end: i64,
    ) -> Result<RiotWindow, ApiError> {
        let window = json!({
            "id": 0,
            "start_time": start,
            "end_time": end,
            "device_serial_number": serial,
        });
        let body = self
            .change(
                Method::POST,
                &format!("{API}data_access_windows"),
                Body::Json(window),
                Some(token),
            )
            .await?;
        let value: serde_json::Value = decode_json(&body, token.expose_secret())?;
        let inner = value.get("data_access_window").unwrap_or(&value);
        RiotWindow::deserialize(inner).map_err(|err| ApiError::InvalidResponse {
            detail: format!("the created window could not be read ({err})"),
        })
    }

    /// `DELETE data_access_windows/{id}`.
    pub async fn close_window(&self, token: &AccessToken, id: u64) -> Result<(), ApiError> {
        self.change(
            Method::DELETE,
            &format!("{API}data_access_windows/{id}"),
            Body::None,
            Some(token),
        )
        .await
        .map(drop)
    }

    /// `GET resources/data`: the raw answer (`{"<serial>": ["<base64 Msg>", ..]}`) for
    /// `serials` over `[start, end]`, data point kinds by their field numbers.
    pub async fn data(
        &self,
        token: &AccessToken,
        start: i64,
        end: i64,
        of: &[String],
        fields: &[u32],
    ) -> Result<Vec<u8>, ApiError> {
        let mut params = vec![param("start_time", start), param("end_time", end)];
        serials(&mut params, of);
        params.extend(
            fields
                .iter()
                .map(|f| (format!("types[{f}]"), "0".to_owned())),
        );
        let response = self
            .send(
                Method::GET,
                &format!("{API}resources/data"),
                &params,
                Body::None,
                Some(token),
                Some(self.inner.data_timeout),
            )
            .await?;
        crate::body::read_capped(response, self.inner.data_limit).await
    }

    /// `GET resources/data/latest`: the last message of each of `serials` holding kind
    /// `field`, cut to that point; same shape as [`RiotClient::data`].
    pub async fn latest(
        &self,
        token: &AccessToken,
        field: u32,
        of: &[String],
    ) -> Result<Vec<u8>, ApiError> {
        let mut params = vec![param("type", field)];
        serials(&mut params, of);
        let response = self
            .send(
                Method::GET,
                &format!("{API}resources/data/latest"),
                &params,
                Body::None,
                Some(token),
                None,
            )
            .await?;
        crate::body::read_capped(response, crate::client::JSON_BODY_LIMIT).await
    }
}

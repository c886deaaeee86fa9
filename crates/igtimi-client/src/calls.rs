//! The browsing calls: devices, data access windows, groups, sessions, users, resources,
//! data types and latest values.

use crate::catalog::{
    DataAccessWindow, DataType, Device, Group, LatestDatum, Resource, Session, User,
};
use crate::request::{On401, Params};
use crate::{AccessToken, ApiError, EpochMillis, IgtimiClient};

fn param(name: &str, value: impl ToString) -> (String, String) {
    (name.to_owned(), value.to_string())
}

fn serial_params(params: &mut Params, serials: &[String]) {
    params.extend(serials.iter().map(|s| param("serial_numbers[]", s)));
}

impl IgtimiClient {
    /// `GET devices`: the devices the caller owns.
    pub async fn devices(&self, token: &AccessToken) -> Result<Vec<Device>, ApiError> {
        self.get_list("api/v1/devices", &[], token, "devices", "device")
            .await
    }

    /// `GET devices/data_access_windows` (`type=read`): readable windows overlapping
    /// `[start, end]`, both those on the caller's devices and those granted to the caller.
    pub async fn data_access_windows(
        &self,
        token: &AccessToken,
        start: EpochMillis,
        end: EpochMillis,
    ) -> Result<Vec<DataAccessWindow>, ApiError> {
        let params = vec![
            param("start_time", start.0),
            param("end_time", end.0),
            param("type", "read"),
        ];
        self.get_list(
            "api/v1/devices/data_access_windows",
            &params,
            token,
            "data_access_windows",
            "data_access_window",
        )
        .await
    }

    /// `GET groups`: the groups the caller belongs to.
    pub async fn groups(&self, token: &AccessToken) -> Result<Vec<Group>, ApiError> {
        self.get_list("api/v1/groups", &[], token, "groups", "group")
            .await
    }

    /// `GET sessions`: the sessions the caller can read (the server's order, newest first).
    pub async fn sessions(&self, token: &AccessToken) -> Result<Vec<Session>, ApiError> {
        self.get_list("api/v1/sessions", &[], token, "sessions", "session")
            .await
    }

    /// `GET sessions/{id}`. A session the caller may not read is [`ApiError::Refused`] with
    /// status 401 (Igtimi answers 401 there); only a 401 naming the token is
    /// [`ApiError::Unauthorized`].
    pub async fn session(&self, token: &AccessToken, id: u64) -> Result<Session, ApiError> {
        let path = format!("api/v1/sessions/{id}");
        self.get_one(&path, token, "session", On401::MaybeForbidden)
            .await
    }

    /// `GET users/{id}`: a user the caller can see (themself or a fellow group member).
    pub async fn users(&self, token: &AccessToken, id: u64) -> Result<User, ApiError> {
        let path = format!("api/v1/users/{id}");
        self.get_one(&path, token, "user", On401::TokenRejected)
            .await
    }

    /// `GET resources` (`permission=read`): the blocks of data of `serials` (all readable
    /// devices when empty) overlapping `[start, end]`.
    pub async fn resources(
        &self,
        token: &AccessToken,
        start: EpochMillis,
        end: EpochMillis,
        serials: &[String],
    ) -> Result<Vec<Resource>, ApiError> {
        let mut params = vec![
            param("permission", "read"),
            param("start_time", start.0),
            param("end_time", end.0),
        ];
        serial_params(&mut params, serials);
        self.get_list("api/v1/resources", &params, token, "resources", "resource")
            .await
    }

    /// `GET data_types`: the data types the server describes.
    pub async fn data_types(&self, token: &AccessToken) -> Result<Vec<DataType>, ApiError> {
        self.get_list("api/v1/data_types", &[], token, "data_types", "data_type")
            .await
    }

    /// `GET resources/data/latest` (`type=<code>`): the newest sample of type `code` of each
    /// of `serials` (devices without one are left out).
    pub async fn latest(
        &self,
        token: &AccessToken,
        code: u16,
        serials: &[String],
    ) -> Result<Vec<LatestDatum>, ApiError> {
        let mut params = vec![param("type", code)];
        serial_params(&mut params, serials);
        self.get_list(
            "api/v1/resources/data/latest",
            &params,
            token,
            "latest_data",
            "latest_datum",
        )
        .await
    }
}

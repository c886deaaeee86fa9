//! The catalog (devices, groups, sessions, types) and the resources in a range.

use super::channels::TypeTable;
use super::riot::riot_of;
use super::views::*;
use super::{checked, DataBrowser};
use crate::tokens::{AccountTokens, ApiAccess};
use crate::AppError;
use igtimi_client::{EpochMillis, Recipient};
use std::collections::{BTreeMap, HashMap};
use std::time::{SystemTime, UNIX_EPOCH};
use tokio::task::JoinSet;

/// How far back the newest data is looked for.
const NEWEST_DATA_LOOKBACK_MS: i64 = 400 * 24 * 3600 * 1000;
/// How far ahead of now data access windows are listed.
const WINDOW_LOOKAHEAD_MS: i64 = 366 * 24 * 3600 * 1000;

/// Now, ms since 1970.
pub(crate) fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

impl DataBrowser {
    /// Everything the account can browse: own devices, devices shared with it (with their
    /// windows), groups, sessions newest first with owner names, data types, and the end of
    /// the newest data of the last 400 days (of all time when there is none that recent).
    pub async fn catalog(&self, account: &AccountTokens) -> Result<CatalogView, AppError> {
        let access = account.api_access().await?;
        if let Some(riot) = riot_of(&access) {
            return self.riot_catalog(account, &access, &riot).await;
        }
        let client = &access.client;
        let token = &access.token;
        let now = now_ms();
        let (devices, windows, groups, sessions, types, recent) = tokio::join!(
            client.devices(token),
            client.data_access_windows(
                token,
                EpochMillis(0),
                EpochMillis(now.saturating_add(WINDOW_LOOKAHEAD_MS))
            ),
            client.groups(token),
            client.sessions(token),
            client.data_types(token),
            client.resources(
                token,
                EpochMillis(now - NEWEST_DATA_LOOKBACK_MS),
                EpochMillis(now),
                &[]
            ),
        );
        let devices = checked(account, &access, devices).await?;
        let windows = checked(account, &access, windows).await?;
        let groups = checked(account, &access, groups).await?;
        let sessions = checked(account, &access, sessions).await?;
        let mut newest_data_ms = checked(account, &access, recent)
            .await?
            .iter()
            .map(|r| r.end_time.0)
            .max();
        if newest_data_ms.is_none() {
            // Nothing lately (the demo's regatta week is in 2025): look at all of history.
            let all = client
                .resources(token, EpochMillis(0), EpochMillis(now), &[])
                .await;
            newest_data_ms = checked(account, &access, all)
                .await?
                .iter()
                .map(|r| r.end_time.0)
                .max();
        }
        // A server without a data_types list (its shape is not documented) still browses.
        let types = match types {
            Ok(types) => TypeTable::from_server(&types),
            Err(err) => match checked::<()>(account, &access, Err(err)).await {
                Err(AppError::TokenRejected) => return Err(AppError::TokenRejected),
                _ => TypeTable::default(),
            },
        };

        let mut shared: BTreeMap<String, Vec<WindowView>> = BTreeMap::new();
        for window in &windows {
            if devices
                .iter()
                .any(|d| d.serial_number == window.device_serial_number)
                || !window.permissions.is_none_or(|p| p.read)
            {
                continue;
            }
            shared
                .entry(window.device_serial_number.clone())
                .or_default()
                .push(WindowView {
                    start: window.start_time.0,
                    end: window.end_time.0,
                    recipient: window
                        .recipient
                        .as_ref()
                        .map(Recipient::label)
                        .unwrap_or_default(),
                });
        }
        let mut device_views: Vec<DeviceView> = devices
            .iter()
            .map(|d| DeviceView {
                serial: d.serial_number.clone(),
                name: display_name(&d.name, &d.serial_number),
                owned: true,
                shared_windows: Vec::new(),
                access_windows: Vec::new(),
            })
            .collect();
        for (serial, mut windows) in shared {
            windows.sort_by_key(|w| (w.start, w.end));
            device_views.push(DeviceView {
                name: serial.clone(),
                serial,
                owned: false,
                shared_windows: windows,
                access_windows: Vec::new(),
            });
        }

        let owner_names = self.owner_names(&access, &sessions).await;
        let mut session_views: Vec<SessionView> = sessions
            .iter()
            .map(|s| SessionView {
                id: s.id,
                name: s.name.clone(),
                start: s.start_time.0,
                end: s.end_time.map(|e| e.0),
                owner_id: s.owner_id,
                owner_name: s.owner_id.and_then(|id| owner_names.get(&id).cloned()),
            })
            .collect();
        session_views.sort_by_key(|s| (std::cmp::Reverse(s.start), s.id));

        {
            let mut memory = self.memory();
            memory.names = devices
                .iter()
                .map(|d| {
                    let name = display_name(&d.name, &d.serial_number);
                    (d.serial_number.clone(), name)
                })
                .collect();
            memory.types = Some(types.clone());
        }
        Ok(CatalogView {
            dialect: "igtimi",
            devices: device_views,
            groups: groups
                .into_iter()
                .map(|g| GroupView {
                    id: g.id,
                    name: g.name,
                    hidden: g.hidden,
                })
                .collect(),
            sessions: session_views,
            data_types: types.views(),
            newest_data_ms,
        })
    }

    /// The resources of every readable device overlapping `[from, to]`, in time order.
    pub async fn resources(
        &self,
        account: &AccountTokens,
        from: i64,
        to: i64,
    ) -> Result<Vec<ResourceView>, AppError> {
        check_range(from, to)?;
        let access = account.api_access().await?;
        if let Some(riot) = riot_of(&access) {
            return self.riot_resources(account, &access, &riot, from, to).await;
        }
        let found = access
            .client
            .resources(&access.token, EpochMillis(from), EpochMillis(to), &[])
            .await;
        let found = checked(account, &access, found).await?;
        let (names, types) = self.names_and_types(account, &access).await?;
        let mut views: Vec<ResourceView> = found
            .into_iter()
            .map(|r| ResourceView {
                id: r.id,
                device_name: names
                    .get(&r.device_serial_number)
                    .cloned()
                    .unwrap_or_else(|| r.device_serial_number.clone()),
                serial: r.device_serial_number,
                start: r.start_time.0,
                end: r.end_time.0,
                type_names: r
                    .data_types
                    .iter()
                    .map(|&code| types.describe(code).short_name)
                    .collect(),
                types: r.data_types,
            })
            .collect();
        views.sort_by_key(|r| (r.start, r.serial.clone(), r.id));
        Ok(views)
    }

    /// Names of the account's devices and the type table, read from the server the first
    /// time. Failures other than a rejected token leave the built-in names and types.
    pub(crate) async fn names_and_types(
        &self,
        account: &AccountTokens,
        access: &ApiAccess,
    ) -> Result<(HashMap<String, String>, TypeTable), AppError> {
        {
            let memory = self.memory();
            if let Some(types) = &memory.types {
                return Ok((memory.names.clone(), types.clone()));
            }
        }
        if let Some(riot) = riot_of(access) {
            return self.riot_names_and_types(account, access, &riot).await;
        }
        let (devices, types) = tokio::join!(
            access.client.devices(&access.token),
            access.client.data_types(&access.token)
        );
        let names: HashMap<String, String> = match checked(account, access, devices).await {
            Ok(devices) => devices
                .into_iter()
                .map(|d| {
                    (
                        d.serial_number.clone(),
                        display_name(&d.name, &d.serial_number),
                    )
                })
                .collect(),
            Err(AppError::TokenRejected) => return Err(AppError::TokenRejected),
            Err(_) => HashMap::new(),
        };
        let types = match checked(account, access, types).await {
            Ok(types) => TypeTable::from_server(&types),
            Err(AppError::TokenRejected) => return Err(AppError::TokenRejected),
            Err(_) => TypeTable::default(),
        };
        let mut memory = self.memory();
        memory.names = names.clone();
        memory.types = Some(types.clone());
        Ok((names, types))
    }

    /// Names of the sessions' owners the account can see, read concurrently; unknown ones
    /// are left out.
    async fn owner_names(
        &self,
        access: &ApiAccess,
        sessions: &[igtimi_client::Session],
    ) -> HashMap<u64, String> {
        let mut ids: Vec<u64> = sessions.iter().filter_map(|s| s.owner_id).collect();
        ids.sort_unstable();
        ids.dedup();
        let mut tasks = JoinSet::new();
        for id in ids {
            let client = access.client.clone();
            let token = access.token.clone();
            tasks.spawn(async move { (id, client.users(&token, id).await) });
        }
        let mut names = HashMap::new();
        while let Some(done) = tasks.join_next().await {
            if let Ok((id, Ok(user))) = done {
                names.insert(id, user.display_name());
            }
        }
        names
    }
}

/// A device's name to show: its name, else its serial.
pub(super) fn display_name(name: &str, serial: &str) -> String {
    match name.trim() {
        "" => serial.to_string(),
        name => name.to_string(),
    }
}

/// A time range must not end before it starts.
pub(crate) fn check_range(from: i64, to: i64) -> Result<(), AppError> {
    if to < from {
        return Err(AppError::Internal {
            detail: format!("the time range ends ({to}) before it starts ({from})"),
        });
    }
    Ok(())
}

//! Browsing a Riot server: devices with their data access windows (no sessions, no groups:
//! data is browsed by device and time), the windows of a range, the newest values, and what
//! an owner manages before any data can be read: registering a device, opening and closing
//! windows.

use super::catalog::{check_range, display_name, now_ms};
use super::channels::TypeTable;
use super::views::*;
use super::{checked, lock, worker_failed, DataBrowser};
use crate::tokens::{AccountTokens, ApiAccess};
use crate::AppError;
use igtimi_client::{ApiError, RiotClient, RiotDevice, RiotWindow};
use std::collections::{BTreeMap, HashMap};
use telltale_data::TypeKey;
use tokio::task::JoinSet;

/// How far ahead of now data access windows are listed.
const WINDOW_LOOKAHEAD_MS: i64 = 366 * 24 * 3600 * 1000;

/// The kinds asked for when the newest values of devices with no loaded data are wanted:
/// what a sailor looks at first.
const LATEST_FIELDS: [u32; 11] = [1, 6, 8, 9, 10, 11, 12, 22, 23, 24, 50];

/// Every numeric data point kind, by its Riot field number: what a load asks for.
pub(super) fn all_fields() -> Vec<u32> {
    riot_proto::units::KINDS.iter().map(|k| k.field).collect()
}

/// The Riot client of `access`, when the account is on a Riot server.
pub(super) fn riot_of(access: &ApiAccess) -> Option<RiotClient> {
    access.riot.clone()
}

impl DataBrowser {
    /// The catalog of a Riot account: its devices, each with its data access windows.
    pub(super) async fn riot_catalog(
        &self,
        account: &AccountTokens,
        access: &ApiAccess,
        riot: &RiotClient,
    ) -> Result<CatalogView, AppError> {
        let devices = riot.devices(&access.token).await;
        let devices = checked(account, access, devices).await?;
        let serials: Vec<String> = devices.iter().map(|d| d.serial_number.clone()).collect();
        let now = now_ms();
        let windows = riot
            .windows(
                &access.token,
                0,
                now.saturating_add(WINDOW_LOOKAHEAD_MS),
                &serials,
            )
            .await;
        let windows = checked(account, access, windows).await?;
        let mut by_serial: HashMap<&str, Vec<AccessWindowView>> = HashMap::new();
        for window in &windows {
            by_serial
                .entry(window.device_serial_number.as_str())
                .or_default()
                .push(window_view(window));
        }
        let device_views = devices
            .iter()
            .map(|d| {
                let mut access_windows = by_serial
                    .remove(d.serial_number.as_str())
                    .unwrap_or_default();
                access_windows.sort_by_key(|w| (w.start, w.end, w.id));
                DeviceView {
                    serial: d.serial_number.clone(),
                    name: display_name(&d.name, &d.serial_number),
                    // Riot lists what the user may read without saying who owns it; the
                    // server refuses an owner's action on someone else's device.
                    owned: true,
                    shared_windows: Vec::new(),
                    access_windows,
                }
            })
            .collect();
        let newest_data_ms = windows.iter().map(|w| w.end_time.0.min(now)).max();
        let types = self.remember_riot_names(names_of(&devices));
        Ok(CatalogView {
            dialect: "riot",
            devices: device_views,
            groups: Vec::new(),
            sessions: Vec::new(),
            data_types: types.views(),
            newest_data_ms,
        })
    }

    /// Names of the Riot account's devices and the type table (Riot has no type list: the
    /// built-in table, with Riot's own kinds, names every channel). Failures other than a
    /// rejected token leave no names.
    pub(super) async fn riot_names_and_types(
        &self,
        account: &AccountTokens,
        access: &ApiAccess,
        riot: &RiotClient,
    ) -> Result<(HashMap<String, String>, TypeTable), AppError> {
        let devices = riot.devices(&access.token).await;
        let names = match checked(account, access, devices).await {
            Ok(devices) => names_of(&devices),
            Err(AppError::TokenRejected) => return Err(AppError::TokenRejected),
            Err(_) => HashMap::new(),
        };
        let types = self.remember_riot_names(names.clone());
        Ok((names, types))
    }

    /// Keeps the device names and the built-in type table for later calls; returns the table.
    fn remember_riot_names(&self, names: HashMap<String, String>) -> TypeTable {
        let types = TypeTable::default();
        let mut memory = self.memory();
        memory.names = names;
        memory.types = Some(types.clone());
        types
    }

    /// The readable windows of a Riot account's devices overlapping `[from, to]`, as the
    /// spans of data there are (Riot's own `resources` call is no longer supported).
    pub(super) async fn riot_resources(
        &self,
        account: &AccountTokens,
        access: &ApiAccess,
        riot: &RiotClient,
        from: i64,
        to: i64,
    ) -> Result<Vec<ResourceView>, AppError> {
        let (names, _) = self.names_and_types(account, access).await?;
        let serials: Vec<String> = names.keys().cloned().collect();
        let windows = riot.windows(&access.token, from, to, &serials).await;
        let windows = checked(account, access, windows).await?;
        let mut views: Vec<ResourceView> = windows
            .into_iter()
            .map(|w| ResourceView {
                id: w.id,
                device_name: names
                    .get(&w.device_serial_number)
                    .cloned()
                    .unwrap_or_else(|| w.device_serial_number.clone()),
                serial: w.device_serial_number,
                start: w.start_time.0.max(from),
                end: w.end_time.0.min(to),
                types: Vec::new(),
                type_names: Vec::new(),
            })
            .collect();
        views.sort_by_key(|r| (r.start, r.serial.clone(), r.id));
        Ok(views)
    }

    /// The spans of `[from, to]` covered by a readable window of any of `serials`, and a
    /// note for each device none covers.
    pub(super) async fn riot_coverage(
        &self,
        account: &AccountTokens,
        access: &ApiAccess,
        riot: &RiotClient,
        serials: &[String],
        (from, to): (i64, i64),
    ) -> Result<(Vec<(i64, i64)>, Vec<String>), AppError> {
        if serials.is_empty() {
            return Ok((Vec::new(), Vec::new()));
        }
        let windows = riot.windows(&access.token, from, to, serials).await;
        let windows = checked(account, access, windows).await?;
        let (names, _) = self.names_and_types(account, access).await?;
        let busy = windows
            .iter()
            .filter(|w| w.end_time.0 >= from && w.start_time.0 <= to)
            .map(|w| (w.start_time.0.max(from), w.end_time.0.min(to)))
            .collect();
        let notes = serials
            .iter()
            .filter(|serial| {
                !windows.iter().any(|w| {
                    &w.device_serial_number == *serial
                        && w.end_time.0 >= from
                        && w.start_time.0 <= to
                })
            })
            .map(|serial| {
                let name = names.get(serial).cloned().unwrap_or_else(|| serial.clone());
                format!(
                    "No data access window covers this time for {name} ({serial}), so the \
                     server shows none of its data here. Its owner can open one under Devices."
                )
            })
            .collect();
        Ok((busy, notes))
    }

    /// The newest values of Riot devices: one `resources/data/latest` per kind, at once. The
    /// kinds are those of the last load when it holds these devices, else the usual ones.
    pub(super) async fn riot_latest(
        &self,
        account: &AccountTokens,
        access: &ApiAccess,
        riot: &RiotClient,
        wanted: &[String],
    ) -> Result<BTreeMap<String, Vec<LatestValue>>, AppError> {
        let (_, table) = self.names_and_types(account, access).await?;
        let mut fields: Vec<u32> = match self.memory().loaded.clone() {
            Some(loaded) => loaded
                .dataset
                .devices
                .iter()
                .filter(|(serial, _)| wanted.contains(serial))
                .flat_map(|(_, device)| device.channels.keys().map(|key| key.code))
                .filter_map(|code| riot_proto::units::for_app_code(code).map(|k| k.field))
                .collect(),
            None => Vec::new(),
        };
        if fields.is_empty() {
            fields = LATEST_FIELDS.to_vec();
        }
        fields.sort_unstable();
        fields.dedup();
        let mut tasks = JoinSet::new();
        for field in fields {
            let riot = riot.clone();
            let token = access.token.clone();
            let serials = wanted.to_vec();
            tasks.spawn(async move { (field, riot.latest(&token, field, &serials).await) });
        }
        let mut by_serial: BTreeMap<String, Vec<LatestValue>> = BTreeMap::new();
        while let Some(joined) = tasks.join_next().await {
            let (field, answer) = joined.map_err(worker_failed)?;
            let body = match answer {
                Ok(body) => body,
                Err(ApiError::Refused { .. }) => continue,
                Err(err) => return checked(account, access, Err(err)).await,
            };
            let decoded =
                tokio::task::spawn_blocking(move || telltale_data::riot::decode_answer(&body))
                    .await
                    .map_err(worker_failed)?;
            let Ok(decoded) = decoded else {
                tracing::info!(field, "an unreadable latest-values answer was skipped");
                continue;
            };
            for (serial, key, block) in decoded.dataset.blocks() {
                let Some(last) = block.t.len().checked_sub(1) else {
                    continue;
                };
                let values = by_serial.entry(serial.to_string()).or_default();
                for (index, column) in block.fields.iter().enumerate() {
                    if let Some(value) = column.get(last).filter(|v| v.is_finite()) {
                        values.push(LatestValue {
                            channel: table.channel(TypeKey::with_dsi(key.code, key.dsi), index + 1),
                            value: *value,
                            time: block.t[last],
                        });
                    }
                }
            }
        }
        Ok(by_serial)
    }

    /// Registers a device by serial and name on the account's Riot server (`POST devices`):
    /// the account becomes its owner if it has none. Best done before the device first
    /// connects. The names the browser knows are read again.
    pub async fn register_device(
        &self,
        account: &AccountTokens,
        serial: &str,
        name: &str,
    ) -> Result<(), AppError> {
        let serial = serial.trim();
        let name = name.trim();
        if serial.is_empty() || serial.len() > 64 || serial.chars().any(char::is_control) {
            return Err(AppError::Refused {
                detail: "enter the device's serial number (as printed on it, e.g. AA-BT-0417)"
                    .into(),
            });
        }
        let (access, riot) = self.riot_access(account).await?;
        let done = riot.register_device(&access.token, serial, name).await;
        checked(account, &access, done).await?;
        self.memory().types = None;
        Ok(())
    }

    /// Opens a data access window over `[from, to]` on the device `serial` (its owner only).
    pub async fn open_window(
        &self,
        account: &AccountTokens,
        serial: &str,
        from: i64,
        to: i64,
    ) -> Result<AccessWindowView, AppError> {
        check_range(from, to)?;
        let (access, riot) = self.riot_access(account).await?;
        let window = riot.open_window(&access.token, serial, from, to).await;
        let window = checked(account, &access, window).await?;
        lock(&self.cache).clear();
        Ok(window_view(&window))
    }

    /// Closes the data access window `id`: its data is no longer readable through it.
    pub async fn close_window(&self, account: &AccountTokens, id: u64) -> Result<(), AppError> {
        let (access, riot) = self.riot_access(account).await?;
        let done = riot.close_window(&access.token, id).await;
        checked(account, &access, done).await?;
        lock(&self.cache).clear();
        Ok(())
    }

    /// The active account's access and Riot client; an account on the old API is told that
    /// these are Riot's.
    async fn riot_access(
        &self,
        account: &AccountTokens,
    ) -> Result<(ApiAccess, RiotClient), AppError> {
        let access = account.api_access().await?;
        let riot = riot_of(&access).ok_or_else(|| AppError::Refused {
            detail: "registering devices and data access windows are managed this way only \
                     on a Riot server; this account is on the old Igtimi API"
                .into(),
        })?;
        Ok((access, riot))
    }
}

/// Device names to show, by serial.
fn names_of(devices: &[RiotDevice]) -> HashMap<String, String> {
    devices
        .iter()
        .map(|d| {
            (
                d.serial_number.clone(),
                display_name(&d.name, &d.serial_number),
            )
        })
        .collect()
}

fn window_view(window: &RiotWindow) -> AccessWindowView {
    AccessWindowView {
        id: window.id,
        serial: window.device_serial_number.clone(),
        start: window.start_time.0,
        end: window.end_time.0,
    }
}

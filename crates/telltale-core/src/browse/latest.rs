//! The newest values of devices: one `resources/data/latest` request per type present in
//! the devices' resources, all at once.

use super::catalog::now_ms;
use super::riot::riot_of;
use super::views::{LatestValue, LatestView};
use super::{checked, worker_failed, DataBrowser};
use crate::tokens::AccountTokens;
use crate::AppError;
use igtimi_client::{ApiError, EpochMillis};
use std::collections::BTreeMap;
use telltale_data::TypeKey;
use tokio::task::JoinSet;

impl DataBrowser {
    /// The newest value of every type and value column of each of `serials`, in the order
    /// given. A type the server refuses is left out; a rejected token ends the call.
    pub async fn latest(
        &self,
        account: &AccountTokens,
        serials: Vec<String>,
    ) -> Result<Vec<LatestView>, AppError> {
        let mut wanted = serials.clone();
        wanted.sort();
        wanted.dedup();
        if wanted.is_empty() {
            return Ok(Vec::new());
        }
        let access = account.api_access().await?;
        if let Some(riot) = riot_of(&access) {
            let mut by_serial = self.riot_latest(account, &access, &riot, &wanted).await?;
            let (names, _) = self.names_and_types(account, &access).await?;
            return Ok(in_order(serials, &mut by_serial, &names));
        }
        let found = access
            .client
            .resources(
                &access.token,
                EpochMillis(0),
                EpochMillis(now_ms()),
                &wanted,
            )
            .await;
        let resources = checked(account, &access, found).await?;
        let mut codes: Vec<u16> = resources
            .iter()
            .flat_map(|r| r.data_types.iter().copied())
            .collect();
        codes.sort_unstable();
        codes.dedup();
        let (names, table) = self.names_and_types(account, &access).await?;

        let mut tasks = JoinSet::new();
        for code in codes {
            let client = access.client.clone();
            let token = access.token.clone();
            let serials = wanted.clone();
            tasks.spawn(async move { (code, client.latest(&token, code, &serials).await) });
        }
        let mut by_serial: BTreeMap<String, Vec<LatestValue>> = BTreeMap::new();
        while let Some(joined) = tasks.join_next().await {
            let (code, answer) = joined.map_err(worker_failed)?;
            let data = match answer {
                Ok(data) => data,
                Err(ApiError::Refused { .. }) => continue,
                Err(err) => return checked(account, &access, Err(err)).await,
            };
            for datum in data {
                let values = by_serial.entry(datum.serial_number.clone()).or_default();
                for (index, value) in datum.values.iter().enumerate() {
                    if value.is_finite() {
                        values.push(LatestValue {
                            channel: table.channel(TypeKey::new(code), index + 1),
                            value: *value,
                            time: datum.timestamp.0,
                        });
                    }
                }
            }
        }
        Ok(in_order(serials, &mut by_serial, &names))
    }
}

/// The views of `serials` in the order given (each once), values sorted by channel.
fn in_order(
    serials: Vec<String>,
    by_serial: &mut BTreeMap<String, Vec<LatestValue>>,
    names: &std::collections::HashMap<String, String>,
) -> Vec<LatestView> {
    let mut seen = std::collections::HashSet::new();
    serials
        .into_iter()
        .filter(|serial| seen.insert(serial.clone()))
        .map(|serial| {
            let mut values = by_serial.remove(&serial).unwrap_or_default();
            values.sort_by_key(|v| (v.channel.code, v.channel.field));
            LatestView {
                device_name: names
                    .get(&serial)
                    .cloned()
                    .unwrap_or_else(|| serial.clone()),
                serial,
                values,
            }
        })
        .collect()
}

//! What an account can browse: devices, data access windows, groups, sessions, resources,
//! data types and latest values. Parsed leniently like [`crate::Account`]: ids and times may
//! be floats, optional fields may be missing or `null`, unknown fields are ignored.

use crate::flex::{self, EpochMillis};
use crate::models::Account;
use serde::de::{self, Deserializer};
use serde::Deserialize;
use serde_json::{Map, Value};

/// Another user as the API shows them (`users`, `users/{id}`, window recipients); the same
/// shape as the signed-in [`Account`].
pub type User = Account;

/// What the caller may do with an object.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
pub struct Permissions {
    /// May read it.
    #[serde(default, deserialize_with = "flex::flag")]
    pub read: bool,
    /// May change it.
    #[serde(default, deserialize_with = "flex::flag")]
    pub modify: bool,
}

/// A YachtBot unit the caller owns (`GET devices`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Device {
    /// The device's id.
    #[serde(deserialize_with = "flex::id")]
    pub id: u64,
    /// The name its owner gave it (empty when the server has none).
    #[serde(default, deserialize_with = "flex::text")]
    pub name: String,
    /// The serial number, the key of its data (`AA-BT-0417`).
    pub serial_number: String,
    /// Who owns it.
    #[serde(default, deserialize_with = "flex::opt_id")]
    pub owner_id: Option<u64>,
    /// What the caller may do with it.
    #[serde(default)]
    pub permissions: Option<Permissions>,
    /// Hardware and firmware description.
    #[serde(default)]
    pub device_info: Option<String>,
}

/// Who a data access window grants to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recipient {
    /// One user.
    User(User),
    /// Every member of a group.
    Group {
        /// The group's id.
        id: u64,
        /// The group's name, when shown.
        name: Option<String>,
    },
}

impl Recipient {
    /// A label to show: the user's name, or `group <name>`.
    pub fn label(&self) -> String {
        match self {
            Recipient::User(user) => user.display_name(),
            Recipient::Group { id, name } => match name.as_deref().map(str::trim) {
                Some(name) if !name.is_empty() => format!("group {name}"),
                _ => format!("group {id}"),
            },
        }
    }
}

impl<'de> Deserialize<'de> for Recipient {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct GroupShape {
            #[serde(deserialize_with = "flex::id")]
            id: u64,
            #[serde(default)]
            name: Option<String>,
        }
        #[derive(Deserialize)]
        struct Shape {
            #[serde(default)]
            user: Option<User>,
            #[serde(default)]
            group: Option<GroupShape>,
        }
        match Shape::deserialize(deserializer)? {
            Shape {
                user: Some(user), ..
            } => Ok(Recipient::User(user)),
            Shape {
                group: Some(group), ..
            } => Ok(Recipient::Group {
                id: group.id,
                name: group.name,
            }),
            _ => Err(de::Error::custom(
                "a recipient must hold a \"user\" or a \"group\"",
            )),
        }
    }
}

/// A grant of one device's data over an interval (`GET devices/data_access_windows`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct DataAccessWindow {
    /// The window's id.
    #[serde(deserialize_with = "flex::id")]
    pub id: u64,
    /// First moment covered.
    pub start_time: EpochMillis,
    /// Last moment covered.
    pub end_time: EpochMillis,
    /// The device whose data is granted.
    pub device_serial_number: String,
    /// What the window grants.
    #[serde(default)]
    pub permissions: Option<Permissions>,
    /// Who it grants to.
    #[serde(default)]
    pub recipient: Option<Recipient>,
}

/// A group the caller belongs to (`GET groups`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Group {
    /// The group's id.
    #[serde(deserialize_with = "flex::id")]
    pub id: u64,
    /// Its name (empty when the server has none).
    #[serde(default, deserialize_with = "flex::text")]
    pub name: String,
    /// What the caller may do with it.
    #[serde(default)]
    pub permissions: Option<Permissions>,
    /// Hidden from listings meant for others.
    #[serde(default, deserialize_with = "flex::flag")]
    pub hidden: bool,
}

/// A sailing session: a race or a training (`GET sessions`, `GET sessions/{id}`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Session {
    /// The session's id.
    #[serde(deserialize_with = "flex::id")]
    pub id: u64,
    /// Its name (empty when the server has none).
    #[serde(default, deserialize_with = "flex::text")]
    pub name: String,
    /// When it starts.
    pub start_time: EpochMillis,
    /// When it ends; `None` while it is still going on.
    #[serde(default)]
    pub end_time: Option<EpochMillis>,
    /// Who owns it.
    #[serde(default, deserialize_with = "flex::opt_id")]
    pub owner_id: Option<u64>,
    /// What the caller may do with it.
    #[serde(default)]
    pub permissions: Option<Permissions>,
}

/// A block of one device's data, about one power cycle (`GET resources`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Resource {
    /// The resource's id.
    #[serde(deserialize_with = "flex::id")]
    pub id: u64,
    /// Its first sample's time.
    pub start_time: EpochMillis,
    /// Its last sample's time.
    pub end_time: EpochMillis,
    /// The device that recorded it.
    pub device_serial_number: String,
    /// The data type codes it holds.
    #[serde(default, deserialize_with = "flex::codes")]
    pub data_types: Vec<u16>,
}

/// One value column of a [`DataType`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct DataTypeField {
    /// The column's index in the data encoding (`1` is `"1"`).
    #[serde(deserialize_with = "flex::id")]
    pub index: u64,
    /// What the column holds (`speed`).
    #[serde(default, deserialize_with = "flex::text")]
    pub name: String,
    /// Its unit symbol (`kn`); empty for dimensionless values.
    #[serde(default, deserialize_with = "flex::text")]
    pub unit: String,
}

/// A data type the server knows (`GET data_types`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct DataType {
    /// The type code (`9`).
    #[serde(deserialize_with = "flex::code")]
    pub id: u16,
    /// The full name (`Speed over ground`).
    #[serde(default, deserialize_with = "flex::text")]
    pub name: String,
    /// The abbreviation (`SOG`), when given.
    #[serde(default)]
    pub short_name: Option<String>,
    /// Its value columns, when given.
    #[serde(default)]
    pub fields: Vec<DataTypeField>,
}

/// The newest sample of one type of one device (`GET resources/data/latest`).
#[derive(Debug, Clone, PartialEq)]
pub struct LatestDatum {
    /// The device.
    pub serial_number: String,
    /// The resource the sample belongs to, when known.
    pub resource_id: Option<u64>,
    /// When it was recorded.
    pub timestamp: EpochMillis,
    /// Its values, from `c1`, `c2`, ... (a `null` or non-number value is `NaN`).
    pub values: Vec<f64>,
}

impl<'de> Deserialize<'de> for LatestDatum {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Fixed {
            serial_number: String,
            #[serde(default, deserialize_with = "flex::opt_id")]
            resource_id: Option<u64>,
            timestamp: EpochMillis,
        }
        let map = Map::<String, Value>::deserialize(deserializer)?;
        let fixed = Fixed::deserialize(Value::Object(map.clone())).map_err(de::Error::custom)?;
        let mut values = Vec::new();
        // c1, c2, ... until one is missing.
        while let Some(value) = map.get(&format!("c{}", values.len() + 1)) {
            values.push(value.as_f64().unwrap_or(f64::NAN));
        }
        Ok(LatestDatum {
            serial_number: fixed.serial_number,
            resource_id: fixed.resource_id,
            timestamp: fixed.timestamp,
            values,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recipients_are_users_or_groups() {
        let user: Recipient =
            serde_json::from_str(r#"{"user":{"id":1375.0,"first_name":"Kai","surname":"J"}}"#)
                .expect("user");
        assert_eq!(user.label(), "Kai J");
        let group: Recipient =
            serde_json::from_str(r#"{"group":{"id":502,"name":"Team Tern"}}"#).expect("group");
        assert_eq!(
            group,
            Recipient::Group {
                id: 502,
                name: Some("Team Tern".into())
            }
        );
        assert_eq!(group.label(), "group Team Tern");
        assert!(serde_json::from_str::<Recipient>(r#"{"robot":{}}"#).is_err());
    }

    #[test]
    fn latest_values_come_from_c_columns_in_order() {
        let datum: LatestDatum = serde_json::from_str(
            r#"{"c2":54.3,"serial_number":"X","c1":10.1,"c4":9,"timestamp":1750500000000.0,"resource_id":null}"#,
        )
        .expect("datum");
        assert_eq!(datum.values, vec![10.1, 54.3], "stops at the first gap");
        assert_eq!(datum.timestamp, EpochMillis(1_750_500_000_000));
        assert_eq!(datum.resource_id, None);
        let text: LatestDatum =
            serde_json::from_str(r#"{"serial_number":"X","timestamp":1,"c1":"on"}"#)
                .expect("datum");
        assert!(text.values[0].is_nan());
    }
}

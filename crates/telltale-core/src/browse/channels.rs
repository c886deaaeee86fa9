//! Names and units of channels: the server's `data_types` where it gave them, the built-in
//! table of `telltale_data::types` otherwise.

use super::views::{ChannelView, FieldView, TypeView};
use igtimi_client::DataType;
use std::collections::BTreeMap;
use telltale_data::TypeKey;

/// A data type's names and value columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TypeDesc {
    pub short_name: String,
    pub name: String,
    /// `(name, unit)` per value column.
    pub fields: Vec<(String, String)>,
}

/// The data type table in use: server descriptions over the built-in ones.
#[derive(Debug, Clone, Default)]
pub(crate) struct TypeTable {
    server: BTreeMap<u16, TypeDesc>,
}

impl TypeTable {
    /// A table with the server's descriptions (those without a name are left out).
    pub fn from_server(types: &[DataType]) -> Self {
        let server = types
            .iter()
            .filter(|t| !t.name.trim().is_empty() || t.short_name.is_some())
            .map(|t| {
                let builtin = telltale_data::types::describe(t.id);
                let mut fields: Vec<(String, String)> = builtin
                    .fields
                    .iter()
                    .map(|(n, u)| (n.to_string(), u.to_string()))
                    .collect();
                if !t.fields.is_empty() {
                    let mut given = t.fields.clone();
                    given.sort_by_key(|f| f.index);
                    fields = given.into_iter().map(|f| (f.name, f.unit)).collect();
                }
                let short_name = t
                    .short_name
                    .clone()
                    .filter(|s| !s.trim().is_empty())
                    .unwrap_or(builtin.short_name);
                let name = if t.name.trim().is_empty() {
                    builtin.name
                } else {
                    t.name.clone()
                };
                (
                    t.id,
                    TypeDesc {
                        short_name,
                        name,
                        fields,
                    },
                )
            })
            .collect();
        TypeTable { server }
    }

    /// What `code` means.
    pub fn describe(&self, code: u16) -> TypeDesc {
        if let Some(desc) = self.server.get(&code) {
            return desc.clone();
        }
        let builtin = telltale_data::types::describe(code);
        TypeDesc {
            short_name: builtin.short_name,
            name: builtin.name,
            fields: builtin
                .fields
                .iter()
                .map(|(n, u)| (n.to_string(), u.to_string()))
                .collect(),
        }
    }

    /// Every type for the catalog: the built-in codes 1..=24 and the server's, by code.
    pub fn views(&self) -> Vec<TypeView> {
        let mut codes: Vec<u16> = (1..=24)
            .filter(|c| telltale_data::types::is_known(*c))
            .collect();
        codes.extend(self.server.keys().copied());
        codes.sort_unstable();
        codes.dedup();
        codes
            .into_iter()
            .map(|code| {
                let desc = self.describe(code);
                TypeView {
                    code,
                    short_name: desc.short_name,
                    name: desc.name,
                    fields: desc
                        .fields
                        .into_iter()
                        .map(|(name, unit)| FieldView { name, unit })
                        .collect(),
                }
            })
            .collect()
    }

    /// The channel of value column `field` (1-based) of `key`.
    pub fn channel(&self, key: TypeKey, field: usize) -> ChannelView {
        let desc = self.describe(key.code);
        let (field_name, unit) = desc
            .fields
            .get(field.saturating_sub(1))
            .cloned()
            .unwrap_or_else(|| (format!("value {field}"), String::new()));
        let several = desc.fields.len() > 1 || field > 1;
        let mut label = if several {
            format!("{} {}", desc.short_name, field_name)
        } else {
            desc.short_name.clone()
        };
        if key.dsi != 0 {
            label.push_str(&format!(" (src {})", key.dsi));
        }
        ChannelView {
            key: key.to_string(),
            code: key.code,
            dsi: key.dsi,
            field: u8::try_from(field).unwrap_or(u8::MAX),
            short_name: desc.short_name,
            name: if several {
                format!("{} ({})", desc.name, field_name)
            } else {
                desc.name
            },
            unit,
            label,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use igtimi_client::DataTypeField;

    #[test]
    fn labels_name_sources_and_columns() {
        let table = TypeTable::default();
        let sog = table.channel(TypeKey::new(9), 1);
        assert_eq!((sog.label.as_str(), sog.unit.as_str()), ("SOG", "kn"));
        assert_eq!(sog.key, "9");
        let second = table.channel(TypeKey::with_dsi(9, 100), 1);
        assert_eq!(second.label, "SOG (src 100)");
        assert_eq!(second.key, "9:100");
        let unknown = table.channel(TypeKey::new(77), 1);
        assert_eq!(unknown.label, "T77");
    }

    #[test]
    fn the_server_overrides_the_built_in_table() {
        let table = TypeTable::from_server(&[DataType {
            id: 9,
            name: "Boat speed".into(),
            short_name: Some("BSP".into()),
            fields: vec![DataTypeField {
                index: 1,
                name: "speed".into(),
                unit: "m/s".into(),
            }],
        }]);
        let sog = table.channel(TypeKey::new(9), 1);
        assert_eq!((sog.label.as_str(), sog.unit.as_str()), ("BSP", "m/s"));
        assert_eq!(table.channel(TypeKey::new(6), 1).label, "COG");
        assert!(table.views().iter().any(|t| t.code == 24));
    }
}

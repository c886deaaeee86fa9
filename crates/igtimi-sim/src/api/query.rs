//! Parsing of the filter parameters several endpoints share, each failure a 400 that names
//! the parameter.

use super::error::{ApiError, ApiResult};
use crate::params::Params;

/// An optional `[start_time, end_time]` filter (ms); either end may be open.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TimeFilter {
    pub start: Option<i64>,
    pub end: Option<i64>,
}

impl TimeFilter {
    /// Reads `start_time` and `end_time`; an end before the start is refused.
    pub fn parse(params: &Params) -> ApiResult<Self> {
        let start = params
            .get_i64("start_time")
            .map_err(ApiError::BadParameter)?;
        let end = params.get_i64("end_time").map_err(ApiError::BadParameter)?;
        if let (Some(s), Some(e)) = (start, end) {
            if e < s {
                return Err(ApiError::bad(format!(
                    "Parameter end_time ({e}) is before start_time ({s})"
                )));
            }
        }
        Ok(TimeFilter { start, end })
    }

    /// True when `[from, to]` overlaps the filter.
    pub fn overlaps(&self, from: i64, to: i64) -> bool {
        self.start.is_none_or(|s| to >= s) && self.end.is_none_or(|e| from <= e)
    }
}

/// Serial numbers given as `serial_numbers[]`; `None` when the parameter is absent.
pub fn serial_filter(params: &Params) -> Option<Vec<String>> {
    let serials = params.all("serial_numbers");
    (!serials.is_empty()).then(|| serials.into_iter().map(str::to_string).collect())
}

/// True when no serial filter is given or the serial is in it.
pub fn serial_matches(filter: &Option<Vec<String>>, serial: &str) -> bool {
    filter
        .as_ref()
        .is_none_or(|list| list.iter().any(|s| s == serial))
}

/// A permission a filter asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Permission {
    Read,
    Modify,
}

impl Permission {
    /// Parses `read` or `modify`; `name` is the parameter, for the error.
    pub fn parse(name: &str, value: &str) -> ApiResult<Self> {
        match value.to_ascii_lowercase().as_str() {
            "read" => Ok(Permission::Read),
            "modify" => Ok(Permission::Modify),
            _ => Err(ApiError::bad(format!(
                "Parameter {name} must be read or modify, got {value:?}"
            ))),
        }
    }

    /// True when `(read, modify)` grants this permission.
    pub fn granted_by(self, read: bool, modify: bool) -> bool {
        match self {
            Permission::Read => read,
            Permission::Modify => modify,
        }
    }
}

/// The permissions asked for by any of the given parameter names (each may repeat or be an
/// array); empty when none is given.
pub fn permission_filter(params: &Params, names: &[&str]) -> ApiResult<Vec<Permission>> {
    let mut wanted = Vec::new();
    for name in names {
        for value in params.all(name) {
            wanted.push(Permission::parse(name, value)?);
        }
    }
    Ok(wanted)
}

/// A boolean parameter: `true/false`, `1/0`, `yes/no`; `None` when absent.
pub fn get_bool(params: &Params, name: &str) -> ApiResult<Option<bool>> {
    match params.get(name) {
        None => Ok(None),
        Some(v) => match v.to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" | "on" => Ok(Some(true)),
            "false" | "0" | "no" | "off" => Ok(Some(false)),
            _ => Err(ApiError::bad(format!(
                "Parameter {name} must be true or false, got {v:?}"
            ))),
        },
    }
}

/// A list of ids given as `name[]`; every value must be a whole number.
pub fn id_list(params: &Params, name: &str) -> ApiResult<Vec<u64>> {
    params
        .all(name)
        .into_iter()
        .map(|v| {
            v.parse::<u64>()
                .map_err(|_| ApiError::bad(format!("Parameter {name}[] must hold ids, got {v:?}")))
        })
        .collect()
}

/// Parses a path id; anything but a whole number is a 404 for that kind of object.
pub fn path_id(kind: &str, raw: &str) -> ApiResult<u64> {
    raw.parse::<u64>()
        .map_err(|_| ApiError::NotFound(format!("No {kind} with id {raw:?}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_filter_overlap_and_order() {
        let p = Params::from_query(Some("start_time=100&end_time=200.0"));
        let f = TimeFilter::parse(&p).expect("valid");
        assert!(f.overlaps(150, 300));
        assert!(f.overlaps(0, 100));
        assert!(!f.overlaps(201, 300));
        let bad = Params::from_query(Some("start_time=300&end_time=200"));
        assert!(TimeFilter::parse(&bad).is_err());
    }

    #[test]
    fn permissions_and_bools() {
        let p = Params::from_query(Some("types[]=read&types[]=MODIFY&x=maybe&y=1"));
        assert_eq!(
            permission_filter(&p, &["type", "types"]).expect("valid"),
            vec![Permission::Read, Permission::Modify]
        );
        assert!(get_bool(&p, "x").is_err());
        assert_eq!(get_bool(&p, "y"), Ok(Some(true)));
        assert_eq!(get_bool(&p, "z"), Ok(None));
    }
}

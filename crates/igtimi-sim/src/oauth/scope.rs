//! The scopes this server knows. Igtimi documents none, so the simulator offers two, grants
//! `read` when none is asked for, and refuses anything else with `invalid_scope`.

/// Scopes a client may request, with what the consent page says about each.
pub const KNOWN: &[(&str, &str)] = &[
    ("read", "See your devices, sessions and recorded data"),
    ("write", "Change your sessions, groups and data sharing"),
];

/// Granted when a request names no scope.
pub const DEFAULT: &str = "read";

/// Validates a space-delimited scope list; returns it without duplicates, in the order given.
pub fn normalize(requested: Option<&str>) -> Result<String, String> {
    let Some(requested) = requested.filter(|s| !s.trim().is_empty()) else {
        return Ok(DEFAULT.to_string());
    };
    let mut granted: Vec<&str> = Vec::new();
    for item in requested.split(' ').filter(|s| !s.is_empty()) {
        if !KNOWN.iter().any(|(name, _)| *name == item) {
            return Err(format!(
                "Unknown scope {item:?}; this server knows: {}",
                KNOWN.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
            ));
        }
        if !granted.contains(&item) {
            granted.push(item);
        }
    }
    Ok(granted.join(" "))
}

/// What the consent page says about one granted scope.
pub fn describe(scope: &str) -> &'static str {
    KNOWN
        .iter()
        .find(|(name, _)| *name == scope)
        .map_or("", |(_, text)| *text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_dedupes_and_refuses_unknown() {
        assert_eq!(normalize(None).unwrap(), "read");
        assert_eq!(normalize(Some("  ")).unwrap(), "read");
        assert_eq!(normalize(Some("write read write")).unwrap(), "write read");
        assert!(normalize(Some("read admin")).is_err());
    }
}

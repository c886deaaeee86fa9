//! The main window's UI preferences (its colour theme, its pane sizes): a few short named
//! texts the page owns, kept in `<config dir>/telltale/ui-prefs.json`.
//!
//! Why not the page's own web storage: the sign-in window shares the main window's web
//! context, and the app clears that context's data at every start and after every sign-in
//! (`login::forget_browsing_data` in the shell), so nothing a provider's page stored
//! survives. The page's preferences would go with it. So they live here, reach the page
//! before its first paint (an initialization script, [`UiPrefs::page_script`]), and each
//! change comes back through one command. Only preferences: names start with `telltale.`,
//! values are short, and the page parses what it reads back defensively.

use crate::AppError;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

/// The file, in the config folder.
pub const FILE: &str = "ui-prefs.json";
/// Most preferences kept.
pub const MAX_PREFS: usize = 16;
/// Longest name and value, in bytes.
pub const MAX_NAME: usize = 64;
pub const MAX_VALUE: usize = 4096;
/// A file larger than this is not read.
const MAX_FILE: u64 = 256 * 1024;

/// The preferences and the file they are kept in (none: kept in memory only).
#[derive(Debug)]
pub struct UiPrefs {
    path: Option<PathBuf>,
    values: Mutex<BTreeMap<String, String>>,
}

/// Whether `name` may be kept: `telltale.` then lowercase letters, digits, dots or dashes.
pub fn valid_name(name: &str) -> bool {
    name.len() <= MAX_NAME
        && name.strip_prefix("telltale.").is_some_and(|rest| {
            !rest.is_empty()
                && rest
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-')
        })
}

/// The preferences in `text` (the file's content): the valid entries of a JSON object of
/// strings, the first [`MAX_PREFS`] by name; anything else is dropped, never an error.
pub fn read_prefs(text: &str) -> BTreeMap<String, String> {
    let Ok(serde_json::Value::Object(object)) = serde_json::from_str(text) else {
        return BTreeMap::new();
    };
    // Sorted by name before the cut: a JSON object's order is the file's in some builds
    // (serde_json's `preserve_order`, which the end-to-end tests' WebDriver client turns
    // on) and sorted in others, and which entries are kept must not depend on that.
    let valid: BTreeMap<String, String> = object
        .into_iter()
        .filter_map(|(name, value)| match value {
            serde_json::Value::String(value) if valid_name(&name) && value.len() <= MAX_VALUE => {
                Some((name, value))
            }
            _ => None,
        })
        .collect();
    valid.into_iter().take(MAX_PREFS).collect()
}

impl UiPrefs {
    /// The preferences kept in `dir` (`None`: memory only, as in tests). A missing,
    /// unreadable or broken file means no preferences, which is what a first start has.
    pub fn open(dir: Option<&Path>) -> UiPrefs {
        let path = dir.map(|dir| dir.join(FILE));
        let values = path
            .as_deref()
            .and_then(|path| {
                let size = std::fs::metadata(path).ok()?.len();
                if size > MAX_FILE {
                    tracing::warn!(size, "the UI preferences file is too large; ignored");
                    return None;
                }
                std::fs::read_to_string(path).ok()
            })
            .map(|text| read_prefs(&text))
            .unwrap_or_default();
        UiPrefs {
            path,
            values: Mutex::new(values),
        }
    }

    /// Every preference kept.
    pub fn all(&self) -> BTreeMap<String, String> {
        self.lock().clone()
    }

    /// Keeps `value` under `name` (`None` forgets it) and writes the file.
    pub fn set(&self, name: &str, value: Option<&str>) -> Result<(), AppError> {
        if !valid_name(name) {
            return Err(AppError::Internal {
                detail: format!("{:?} is not the name of a preference", truncate(name)),
            });
        }
        let mut values = self.lock();
        match value {
            Some(value) if value.len() > MAX_VALUE => {
                return Err(AppError::Internal {
                    detail: format!("the preference {name} is longer than {MAX_VALUE} bytes"),
                })
            }
            Some(value) => {
                if !values.contains_key(name) && values.len() >= MAX_PREFS {
                    return Err(AppError::Internal {
                        detail: format!("more than {MAX_PREFS} preferences"),
                    });
                }
                values.insert(name.to_string(), value.to_string());
            }
            None => {
                values.remove(name);
            }
        }
        match &self.path {
            Some(path) => write_atomically(path, &values),
            None => Ok(()),
        }
    }

    /// The script that hands the preferences to the page before its own scripts run:
    /// `window.__TELLTALE_PREFS__`, a frozen object of strings (JSON is a JavaScript
    /// expression, and every value is a string).
    pub fn page_script(&self) -> String {
        let json = serde_json::to_string(&*self.lock()).unwrap_or_else(|_| "{}".into());
        format!(
            "Object.defineProperty(window, '__TELLTALE_PREFS__', {{ value: Object.freeze({json}) }});"
        )
    }

    fn lock(&self) -> MutexGuard<'_, BTreeMap<String, String>> {
        self.values.lock().unwrap_or_else(|e| e.into_inner())
    }
}

fn truncate(text: &str) -> String {
    text.chars().take(40).collect()
}

/// Writes `values` to `path` atomically, readable by the owner only.
fn write_atomically(path: &Path, values: &BTreeMap<String, String>) -> Result<(), AppError> {
    let text = serde_json::to_string_pretty(values).map_err(|e| AppError::Internal {
        detail: format!("the preferences could not be written: {e}"),
    })?;
    crate::private_file::write_atomically(path, text.as_bytes()).map_err(|e| AppError::Io {
        detail: format!("{}: {e}", path.display()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn preferences_survive_a_restart_and_bad_ones_are_refused() {
        let dir = tempfile::tempdir().expect("temp dir");
        let prefs = UiPrefs::open(Some(dir.path()));
        assert!(prefs.all().is_empty(), "a first start has none");
        prefs.set("telltale.theme", Some("dark")).expect("kept");
        prefs
            .set("telltale.layout", Some("{\"sidebar\":320}"))
            .expect("kept");
        prefs.set("telltale.layout", None).expect("forgotten");
        let again = UiPrefs::open(Some(dir.path()));
        assert_eq!(
            again.all(),
            BTreeMap::from([("telltale.theme".to_string(), "dark".to_string())])
        );
        for name in [
            "theme",
            "telltale.",
            "telltale.Token",
            "telltale.a b",
            "x.telltale.a",
        ] {
            assert!(prefs.set(name, Some("1")).is_err(), "{name}");
        }
        assert!(prefs
            .set("telltale.big", Some(&"x".repeat(MAX_VALUE + 1)))
            .is_err());
        for i in 1..MAX_PREFS {
            prefs
                .set(&format!("telltale.p{i}"), Some("1"))
                .expect("room");
        }
        assert!(prefs.set("telltale.one-too-many", Some("1")).is_err());
        assert!(
            prefs.set("telltale.theme", Some("light")).is_ok(),
            "a change"
        );
    }

    #[test]
    fn the_page_script_is_one_frozen_object_of_strings() {
        let prefs = UiPrefs::open(None);
        prefs
            .set("telltale.theme", Some("</script>\u{2028}\"'"))
            .expect("kept");
        let script = prefs.page_script();
        let json = script
            .split_once("Object.freeze(")
            .and_then(|(_, rest)| rest.strip_suffix(") });"))
            .expect("the object");
        let back: BTreeMap<String, String> = serde_json::from_str(json).expect("JSON");
        assert_eq!(back, prefs.all());
    }

    #[test]
    fn a_broken_file_is_no_preferences() {
        assert!(read_prefs("{").is_empty());
        assert!(read_prefs("[\"telltale.theme\"]").is_empty());
        let kept = read_prefs(r#"{"telltale.theme":"dark","token":"x","telltale.n":3}"#);
        assert_eq!(kept.keys().collect::<Vec<_>>(), ["telltale.theme"]);
    }

    #[test]
    fn an_over_full_file_keeps_the_first_by_name_whatever_its_order() {
        let names: Vec<String> = (0..MAX_PREFS + 4)
            .rev()
            .map(|i| format!("telltale.p{i:02}"))
            .collect();
        let text = format!(
            "{{{}}}",
            names
                .iter()
                .map(|name| format!("\"{name}\":\"1\""))
                .collect::<Vec<_>>()
                .join(",")
        );
        let kept: Vec<String> = read_prefs(&text).into_keys().collect();
        let expected: Vec<String> = (0..MAX_PREFS)
            .map(|i| format!("telltale.p{i:02}"))
            .collect();
        assert_eq!(kept, expected);
    }

    proptest! {
        #[test]
        fn any_file_reads_to_valid_preferences(text in "\\PC{0,400}") {
            let prefs = read_prefs(&text);
            prop_assert!(prefs.len() <= MAX_PREFS);
            prop_assert!(prefs.iter().all(|(k, v)| valid_name(k) && v.len() <= MAX_VALUE));
        }

        #[test]
        fn any_object_of_strings_keeps_its_valid_entries(
            entries in proptest::collection::btree_map("telltale\\.[a-z.-]{0,8}|[ -~]{0,12}", "[ -~]{0,20}", 0..8)
        ) {
            let text = serde_json::to_string(&entries).expect("JSON");
            let prefs = read_prefs(&text);
            let valid: BTreeMap<_, _> = entries
                .into_iter()
                .filter(|(k, _)| valid_name(k))
                .collect();
            prop_assert_eq!(prefs, valid);
        }
    }
}

//! The map's settings, the file's `[tiles]` table and `TELLTALE_TILE_URL`, and the cache
//! folder the tiles are kept in:
//!
//! ```toml
//! [tiles]
//! url = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"  # http(s), with {z}, {x}, {y}
//! attribution = "© OpenStreetMap contributors"            # the credit the map shows
//! max_zoom = 19                                            # 0 to 22
//! cache_size_mib = 200                                     # the disk cache's cap
//! ```
//!
//! Every key is optional; what is left out keeps OpenStreetMap's value.

use super::ConfigError;
use crate::tiles::{check_max_zoom, check_url_template, TileSettings, TileSource};
use serde::Deserialize;
use std::ffi::OsString;
use std::path::PathBuf;
use toml::Spanned;

/// Overrides the tile URL template; empty restores OpenStreetMap's.
pub const ENV_TILE_URL: &str = "TELLTALE_TILE_URL";
/// Overrides the cache folder (tests use their own).
pub const ENV_CACHE_DIR: &str = "TELLTALE_CACHE_DIR";
/// The largest cache cap accepted: 1 TiB.
const MAX_CACHE_MIB: i64 = 1024 * 1024;

/// The `[tiles]` table as written. Unknown keys are an error.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct TilesTable {
    url: Option<Spanned<String>>,
    attribution: Option<String>,
    max_zoom: Option<Spanned<i64>>,
    cache_size_mib: Option<Spanned<i64>>,
}

/// Checks the table; a problem comes with its byte offset in the file.
pub(super) fn build(table: TilesTable) -> Result<TileSettings, (usize, String)> {
    let mut settings = TileSettings::default();
    if let Some(url) = table.url {
        settings.source.url_template = check_url_template(url.get_ref())
            .map_err(|message| (url.span().start, format!("tiles.url: {message}")))?;
    }
    if let Some(attribution) = table.attribution {
        settings.source.attribution = attribution.trim().to_string();
    }
    if let Some(zoom) = table.max_zoom {
        settings.source.max_zoom = check_max_zoom(*zoom.get_ref())
            .map_err(|message| (zoom.span().start, format!("tiles.max_zoom: {message}")))?;
    }
    if let Some(mib) = table.cache_size_mib {
        let value = *mib.get_ref();
        if !(1..=MAX_CACHE_MIB).contains(&value) {
            return Err((
                mib.span().start,
                format!("tiles.cache_size_mib: {value} is not a size from 1 to {MAX_CACHE_MIB}"),
            ));
        }
        settings.cache_max_bytes = value.unsigned_abs() * 1024 * 1024;
    }
    Ok(settings)
}

/// `TELLTALE_TILE_URL` on top of the file: a template replaces the file's (its credit and
/// zoom stay, as the user wrote them); an empty value restores OpenStreetMap's source
/// whole, since the file's credit and zoom were for the file's server.
pub(super) fn apply_env(settings: &mut TileSettings, value: &str) -> Result<(), ConfigError> {
    if value.trim().is_empty() {
        settings.source = TileSource::default();
        return Ok(());
    }
    settings.source.url_template =
        check_url_template(value).map_err(|message| ConfigError::InEnvironment {
            variable: ENV_TILE_URL.to_string(),
            message,
        })?;
    Ok(())
}

/// The cache folder: `$TELLTALE_CACHE_DIR` when set and not empty, else `<user cache
/// dir>/telltale`, else (a platform without one) `<temporary folder>/telltale-cache`.
pub fn cache_dir() -> Result<PathBuf, ConfigError> {
    cache_dir_with(|name| std::env::var_os(name), dirs::cache_dir())
}

/// [`cache_dir`] with `env` standing in for the process environment and `user_cache_dir`
/// for the platform's cache folder.
pub fn cache_dir_with(
    env: impl Fn(&str) -> Option<OsString>,
    user_cache_dir: Option<PathBuf>,
) -> Result<PathBuf, ConfigError> {
    match env(ENV_CACHE_DIR) {
        Some(dir) if !dir.is_empty() => {
            let dir = dir.into_string().map_err(|_| ConfigError::InEnvironment {
                variable: ENV_CACHE_DIR.to_string(),
                message: "the value is not valid text (UTF-8)".to_string(),
            })?;
            Ok(PathBuf::from(dir))
        }
        _ => Ok(user_cache_dir.map_or_else(
            || std::env::temp_dir().join("telltale-cache"),
            |dir| dir.join("telltale"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Config, ENV_CONFIG_DIR, FILE_NAME};
    use super::*;
    use crate::tiles::{DEFAULT_ATTRIBUTION, DEFAULT_TILE_URL};
    use telltale_test_support::Scratch;

    const SIM: &str = "http://127.0.0.1:8080/tiles/{z}/{x}/{y}.png";

    /// Loads `file` (if any) with exactly the variables `vars`.
    fn load(file: Option<&str>, vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let scratch = Scratch::new("tiles-config");
        if let Some(text) = file {
            scratch.write(FILE_NAME, text);
        }
        let dir = scratch.path().as_os_str().to_owned();
        Config::load_with(
            |name| {
                if name == ENV_CONFIG_DIR {
                    return Some(dir.clone());
                }
                vars.iter()
                    .find(|(var, _)| *var == name)
                    .map(|(_, value)| OsString::from(value))
            },
            None,
        )
    }

    #[test]
    fn without_settings_the_map_is_openstreetmap_with_200_mib() {
        let tiles = load(None, &[]).expect("loads").tiles;
        assert_eq!(tiles.source.url_template, DEFAULT_TILE_URL);
        assert_eq!(tiles.source.attribution, DEFAULT_ATTRIBUTION);
        assert_eq!(tiles.source.max_zoom, 19);
        assert_eq!(tiles.cache_max_bytes, 200 * 1024 * 1024);
    }

    #[test]
    fn the_tiles_table_sets_the_source_and_the_cap() {
        let file = "[tiles]\nurl = \"https://maps.example/{z}/{x}/{y}.png\"\n\
                    attribution = \"© Example\"\nmax_zoom = 17\ncache_size_mib = 5\n";
        let tiles = load(Some(file), &[]).expect("loads").tiles;
        assert_eq!(
            tiles.source,
            TileSource {
                url_template: "https://maps.example/{z}/{x}/{y}.png".into(),
                attribution: "© Example".into(),
                max_zoom: 17,
            }
        );
        assert_eq!(tiles.cache_max_bytes, 5 * 1024 * 1024);
    }

    #[test]
    fn the_variable_overrides_the_url_and_empty_restores_openstreetmap() {
        let file = "[tiles]\nurl = \"https://maps.example/{z}/{x}/{y}.png\"\n\
                    attribution = \"© Example\"\ncache_size_mib = 5\n";
        let tiles = load(Some(file), &[(ENV_TILE_URL, SIM)])
            .expect("loads")
            .tiles;
        assert_eq!(tiles.source.url_template, SIM);
        assert_eq!(tiles.source.attribution, "© Example");

        let tiles = load(Some(file), &[(ENV_TILE_URL, " ")])
            .expect("loads")
            .tiles;
        assert_eq!(tiles.source, TileSource::default());
        assert_eq!(tiles.cache_max_bytes, 5 * 1024 * 1024, "the cap stays");
    }

    #[test]
    fn bad_tile_settings_are_errors_that_say_where() {
        for (file, line, says) in [
            ("\n[tiles]\nurl = \"ftp://x/{z}/{x}/{y}\"\n", 3, "tiles.url"),
            (
                "[tiles]\nurl = \"https://x.example/{z}/{y}.png\"\n",
                2,
                "{x}",
            ),
            ("[tiles]\nmax_zoom = 23\n", 2, "tiles.max_zoom"),
            ("[tiles]\ncache_size_mib = 0\n", 2, "tiles.cache_size_mib"),
            ("[tiles]\nzoom = 3\n", 2, "unknown setting"),
        ] {
            match load(Some(file), &[]) {
                Err(ConfigError::InFile {
                    line: at, message, ..
                }) => {
                    assert_eq!(at, line, "{file}: {message}");
                    assert!(message.contains(says), "{file}: {message}");
                }
                other => panic!("{file}: expected an error in the file, got {other:?}"),
            }
        }
        match load(None, &[(ENV_TILE_URL, "https://x.example/tiles")]) {
            Err(error @ ConfigError::InEnvironment { .. }) => {
                let shown = error.to_string();
                assert!(shown.contains(ENV_TILE_URL), "{shown}");
                assert!(shown.contains("{z}"), "{shown}");
            }
            other => panic!("expected an error in the variable, got {other:?}"),
        }
    }

    #[test]
    fn the_cache_folder_is_the_variable_or_the_platforms() {
        let user = Some(PathBuf::from("/home/sailor/.cache"));
        let set = |value: &'static str| {
            move |name: &str| (name == ENV_CACHE_DIR).then(|| OsString::from(value))
        };
        assert_eq!(
            cache_dir_with(set("/tmp/elsewhere"), user.clone()),
            Ok(PathBuf::from("/tmp/elsewhere"))
        );
        assert_eq!(
            cache_dir_with(set(""), user.clone()),
            Ok(PathBuf::from("/home/sailor/.cache/telltale"))
        );
        assert_eq!(
            cache_dir_with(|_| None, None),
            Ok(std::env::temp_dir().join("telltale-cache"))
        );
    }
}

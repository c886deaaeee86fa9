//! Where map tiles come from: a URL template with `{z}`, `{x}` and `{y}`, the credit the
//! map must show, and the deepest zoom level it has.

use super::path::{TileId, ZOOM_LIMIT};

/// OpenStreetMap's standard tiles.
pub const DEFAULT_TILE_URL: &str = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";
/// The credit OpenStreetMap's licence asks for.
pub const DEFAULT_ATTRIBUTION: &str = "© OpenStreetMap contributors";
/// The deepest zoom level of OpenStreetMap's standard tiles.
pub const DEFAULT_MAX_ZOOM: u8 = 19;
/// The disk cache's default size: 200 MiB.
pub const DEFAULT_CACHE_MAX_BYTES: u64 = 200 * 1024 * 1024;

/// A tile server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TileSource {
    /// An http(s) URL with `{z}`, `{x}` and `{y}`, e.g. [`DEFAULT_TILE_URL`].
    pub url_template: String,
    /// The credit the map shows (plain text).
    pub attribution: String,
    /// The deepest zoom level the server has tiles for.
    pub max_zoom: u8,
}

impl Default for TileSource {
    fn default() -> Self {
        TileSource {
            url_template: DEFAULT_TILE_URL.to_string(),
            attribution: DEFAULT_ATTRIBUTION.to_string(),
            max_zoom: DEFAULT_MAX_ZOOM,
        }
    }
}

/// The map settings: the source and how much of it may be kept on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TileSettings {
    pub source: TileSource,
    /// The disk cache's size cap in bytes; the least recently used tiles go first.
    pub cache_max_bytes: u64,
}

impl Default for TileSettings {
    fn default() -> Self {
        TileSettings {
            source: TileSource::default(),
            cache_max_bytes: DEFAULT_CACHE_MAX_BYTES,
        }
    }
}

impl TileSource {
    /// The URL of one tile.
    pub fn url(&self, tile: TileId) -> String {
        self.url_template
            .replace("{z}", &tile.z.to_string())
            .replace("{x}", &tile.x.to_string())
            .replace("{y}", &tile.y.to_string())
    }

    /// The server's name, for messages.
    pub fn host(&self) -> String {
        url::Url::parse(&self.url(TileId::ROOT))
            .ok()
            .and_then(|url| url.host_str().map(str::to_string))
            .unwrap_or_else(|| self.url_template.clone())
    }

    /// A short stable name of the template, the folder of its tiles in the cache: two
    /// sources never share cached tiles.
    pub(super) fn cache_folder(&self) -> String {
        format!("{:016x}", super::entry::fnv1a(self.url_template.as_bytes()))
    }
}

/// Checks a tile URL template; returns it trimmed. It must be a plain http(s) address with
/// `{z}`, `{x}` and `{y}` and no other `{…}` placeholder (Leaflet's `{s}` or `{r}` are not
/// filled in here).
pub fn check_url_template(raw: &str) -> Result<String, String> {
    let template = raw.trim();
    for needed in ["{z}", "{x}", "{y}"] {
        if !template.contains(needed) {
            return Err(format!(
                "`{template}` must contain {{z}}, {{x}} and {{y}} (it has no {needed})"
            ));
        }
    }
    let sample = TileSource {
        url_template: template.to_string(),
        attribution: String::new(),
        max_zoom: 0,
    }
    .url(TileId::ROOT);
    if let Some(open) = sample.find('{') {
        let rest = &sample[open..];
        let placeholder = rest.find('}').map_or(rest, |end| &rest[..=end]);
        return Err(format!(
            "`{template}` has the placeholder {placeholder}; only {{z}}, {{x}} and {{y}} are filled in"
        ));
    }
    let url = url::Url::parse(&sample)
        .map_err(|error| format!("`{template}` is not a web address ({error})"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!(
            "`{template}` must start with http:// or https://, not {}://",
            url.scheme()
        ));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(format!("`{template}` has no server name"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(format!(
            "`{template}` must not contain a user name or password"
        ));
    }
    Ok(template.to_string())
}

/// Checks a deepest zoom level.
pub fn check_max_zoom(zoom: i64) -> Result<u8, String> {
    u8::try_from(zoom)
        .ok()
        .filter(|zoom| *zoom <= ZOOM_LIMIT)
        .ok_or_else(|| format!("{zoom} is not a zoom level (0 to {ZOOM_LIMIT})"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_need_the_three_placeholders_and_http() {
        assert_eq!(
            check_url_template(" https://tiles.example/{z}/{x}/{y}.png?key=a "),
            Ok("https://tiles.example/{z}/{x}/{y}.png?key=a".to_string())
        );
        for (bad, says) in [
            ("https://tiles.example/{z}/{x}.png", "no {y}"),
            ("ftp://tiles.example/{z}/{x}/{y}.png", "http://"),
            ("file:///tiles/{z}/{x}/{y}.png", "http://"),
            ("https://{s}.tile.example/{z}/{x}/{y}.png", "{s}"),
            ("https://tile.example/{z}/{x}/{y}{r}.png", "{r}"),
            ("https://u:p@tile.example/{z}/{x}/{y}.png", "user name"),
            ("tile.example/{z}/{x}/{y}.png", "not a web address"),
        ] {
            let error = check_url_template(bad).expect_err(bad);
            assert!(error.contains(says), "{bad}: {error}");
        }
    }

    #[test]
    fn a_tile_url_fills_the_template() {
        let source = TileSource::default();
        assert_eq!(
            source.url(TileId::new(12, 2200, 1343).expect("a tile")),
            "https://tile.openstreetmap.org/12/2200/1343.png"
        );
        assert_eq!(source.host(), "tile.openstreetmap.org");
        assert_ne!(
            source.cache_folder(),
            TileSource {
                url_template: "http://127.0.0.1:9/{z}/{x}/{y}.png".into(),
                ..TileSource::default()
            }
            .cache_folder()
        );
    }

    #[test]
    fn zoom_levels_are_checked() {
        assert_eq!(check_max_zoom(19), Ok(19));
        assert_eq!(check_max_zoom(0), Ok(0));
        assert!(check_max_zoom(-1).is_err());
        assert!(check_max_zoom(i64::from(ZOOM_LIMIT) + 1).is_err());
    }
}

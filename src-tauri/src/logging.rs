//! Logs to stderr through `tracing`. Nothing logged carries a token, code, verifier, state
//! or password: the types holding them print as `<redacted>`, and URLs are logged by origin.

use std::str::FromStr;
use tracing_subscriber::filter::Targets;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

/// What is logged unless `RUST_LOG` says otherwise: warnings, and Telltale's own news.
const DEFAULT_FILTER: &str = "warn,telltale=info,telltale_core=info,telltale_auth=info";

/// Starts logging; `RUST_LOG` (targets and levels, e.g. `info,telltale_core=debug`)
/// overrides the default. A `RUST_LOG` that does not parse is reported and the default used.
pub fn init() {
    let (filter, bad) = match std::env::var("RUST_LOG") {
        Ok(wanted) => match Targets::from_str(&wanted) {
            Ok(filter) => (filter, None),
            Err(err) => (default_filter(), Some(format!("{wanted:?}: {err}"))),
        },
        Err(_) => (default_filter(), None),
    };
    let _ = tracing_subscriber::registry()
        .with(tracing_subscriber::fmt::layer().with_writer(std::io::stderr))
        .with(filter)
        .try_init();
    if let Some(bad) = bad {
        tracing::warn!("RUST_LOG ignored, it does not parse: {bad}");
    }
}

fn default_filter() -> Targets {
    // A constant that is checked by the test below.
    Targets::from_str(DEFAULT_FILTER).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use tracing::Level;

    #[test]
    fn the_default_filter_keeps_telltale_news_and_other_warnings() {
        let filter = Targets::from_str(DEFAULT_FILTER).expect("the default filter parses");
        assert!(filter.would_enable("telltale_core::multi", &Level::INFO));
        assert!(filter.would_enable("telltale", &Level::INFO));
        assert!(!filter.would_enable("telltale_core", &Level::DEBUG));
        assert!(filter.would_enable("tao", &Level::WARN));
        assert!(!filter.would_enable("tao", &Level::INFO));
    }
}

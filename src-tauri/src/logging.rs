//! Logs to stderr through `tracing`. Nothing logged carries a token, code, verifier, state
//! or password: the types holding them print as `<redacted>`, and URLs are logged by origin.

use tracing_subscriber::EnvFilter;

/// Starts logging; `RUST_LOG` overrides the default of `info` for Telltale's crates.
pub fn init() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| {
        EnvFilter::new("warn,telltale=info,telltale_core=info,telltale_auth=info")
    });
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

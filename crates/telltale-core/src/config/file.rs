//! Reading and checking the TOML settings file.

use super::providers::{self, ProviderTable};
use super::{check_scope, non_blank, normalize_server, Config, ConfigError};
use crate::accounts::BUILT_IN_PROFILE_IDS;
use serde::Deserialize;
use std::path::Path;
use toml::Spanned;

/// The file's shape. Unknown keys are an error so that a misspelt `client_id` does not
/// silently start the demo.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSettings {
    server: Option<Spanned<String>>,
    client_id: Option<String>,
    client_secret: Option<String>,
    scopes: Option<Vec<Spanned<String>>>,
    methods: Option<Spanned<Vec<Spanned<crate::accounts::SignInMethod>>>>,
    default_provider: Option<Spanned<String>>,
    providers: Option<Vec<Spanned<ProviderTable>>>,
    tiles: Option<super::tiles::TilesTable>,
}

/// Reads `path` into a [`Config`]; a missing file gives the defaults.
pub(super) fn read(path: &Path) -> Result<Config, ConfigError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
        Err(error) => {
            return Err(ConfigError::Unreadable {
                path: path.to_path_buf(),
                detail: error.to_string(),
            })
        }
    };
    let in_file = |offset: Option<usize>, message: String| ConfigError::InFile {
        path: path.to_path_buf(),
        line: offset.map_or(1, |offset| line_of(&text, offset)),
        message,
    };

    let settings: FileSettings = toml::from_str(&text).map_err(|error| {
        let message = error
            .message()
            .replacen("unknown field", "unknown setting", 1);
        in_file(error.span().map(|span| span.start), message)
    })?;

    let mut config = Config {
        source_file: Some(path.to_path_buf()),
        ..Config::default()
    };
    if let Some(server) = settings.server {
        config.server = normalize_server(server.get_ref())
            .map_err(|message| in_file(Some(server.span().start), format!("server: {message}")))?;
    }
    config.client_id = settings.client_id.and_then(non_blank);
    config.client_secret = settings.client_secret.and_then(non_blank);
    for scope in settings.scopes.unwrap_or_default() {
        check_scope(scope.get_ref())
            .map_err(|message| in_file(Some(scope.span().start), format!("scopes: {message}")))?;
        config.scopes.push(scope.into_inner());
    }
    if let Some(methods) = settings.methods {
        config.methods = Some(
            providers::checked_methods(crate::accounts::ProviderKind::Igtimi, methods)
                .map_err(|(at, message)| in_file(Some(at), format!("methods: {message}")))?,
        );
    }
    if let Some(tiles) = settings.tiles {
        config.tiles = super::tiles::build(tiles)
            .map_err(|(offset, message)| in_file(Some(offset), message))?;
    }
    for table in settings.providers.unwrap_or_default() {
        let at = table.span().start;
        let profile = providers::build(table.into_inner(), at, &config.providers)
            .map_err(|(offset, message)| in_file(Some(offset), message))?;
        config.providers.push(profile);
    }
    if let Some(default) = settings.default_provider {
        let id = default.get_ref().trim();
        let known = BUILT_IN_PROFILE_IDS.contains(&id)
            || config.providers.iter().any(|profile| profile.id == id);
        if !known {
            let mut ids = BUILT_IN_PROFILE_IDS.to_vec();
            ids.extend(config.providers.iter().map(|profile| profile.id.as_str()));
            return Err(in_file(
                Some(default.span().start),
                format!(
                    "default_provider: `{id}` is not a provider profile; known ids: {}",
                    ids.join(", ")
                ),
            ));
        }
        config.default_provider = Some(id.to_string());
    }
    Ok(config)
}

/// The 1-based line holding byte `offset` of `text` (the last line if past the end).
fn line_of(text: &str, offset: usize) -> usize {
    let before = text.get(..offset).unwrap_or(text);
    before.matches('\n').count() + 1
}

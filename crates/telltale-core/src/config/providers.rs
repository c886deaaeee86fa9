//! The settings file's `[[providers]]` tables, each checked into a [`ProviderProfile`]:
//!
//! ```toml
//! default_provider = "club"               # optional; a profile id
//!
//! [[providers]]
//! id = "club"                             # lowercase letters, digits, - and _
//! name = "Club server"                    # optional; shown to the user
//! kind = "igtimi"                         # igtimi | iternio | token_api | riot
//! base_url = "https://club.example"       # the sign-in server
//! api_url = "https://api.club.example"    # optional; the REST API, if elsewhere
//! client_id = "..."                       # needed by every method except token_api
//! client_secret = "..."                   # optional (Iternio: the API key, required)
//! scopes = ["read"]                       # optional
//! redirect_scheme = "org.club.telltale"   # optional; reverse DNS, default io.telltale.app
//! methods = ["code", "password"]          # optional; default: the kind's non-legacy ones
//! ```

use super::{check_scope, non_blank, normalize_server};
use crate::accounts::{
    check_endpoint, check_profile_id, check_redirect_scheme, ProviderKind, ProviderProfile,
    SignInMethod, BUILT_IN_PROFILE_IDS, DEFAULT_REDIRECT_SCHEME, IGTIMI_PROFILE_ID,
};
use serde::Deserialize;
use toml::Spanned;
use url::Url;

/// One `[[providers]]` table as written. Unknown keys are an error.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ProviderTable {
    id: Spanned<String>,
    name: Option<Spanned<String>>,
    kind: Spanned<ProviderKind>,
    base_url: Spanned<String>,
    api_url: Option<Spanned<String>>,
    client_id: Option<Spanned<String>>,
    client_secret: Option<Spanned<String>>,
    scopes: Option<Vec<Spanned<String>>>,
    redirect_scheme: Option<Spanned<String>>,
    methods: Option<Spanned<Vec<Spanned<SignInMethod>>>>,
}

/// A problem at a byte offset of the file.
pub(super) type Located = (usize, String);

/// Checks `table` (at byte `at` of the file) against the profiles before it.
pub(super) fn build(
    table: ProviderTable,
    at: usize,
    earlier: &[ProviderProfile],
) -> Result<ProviderProfile, Located> {
    let id = table.id.get_ref().trim().to_string();
    let id_at = table.id.span().start;
    let fail = |offset: usize, message: String| (offset, format!("providers `{id}`: {message}"));
    check_profile_id(&id).map_err(|message| (id_at, format!("providers: {message}")))?;
    if BUILT_IN_PROFILE_IDS.contains(&id.as_str()) {
        let hint = if id == IGTIMI_PROFILE_ID {
            "; set its client with the top-level `server`, `client_id`, `client_secret` and \
             `scopes` settings"
        } else {
            ""
        };
        return Err(fail(
            id_at,
            format!("the id `{id}` belongs to a built-in profile; choose another id{hint}"),
        ));
    }
    if earlier.iter().any(|profile| profile.id == id) {
        return Err(fail(
            id_at,
            format!("the id `{id}` is already used by an earlier [[providers]] table"),
        ));
    }

    let name = match table.name {
        Some(name) => non_blank(name.get_ref().clone())
            .ok_or_else(|| fail(name.span().start, "the name cannot be empty".to_string()))?,
        None => id.clone(),
    };
    let kind = *table.kind.get_ref();
    let base_url = address(&table.base_url)
        .map_err(|message| fail(table.base_url.span().start, format!("base_url: {message}")))?;
    let api_url = match &table.api_url {
        Some(api_url) => Some(
            address(api_url)
                .map_err(|message| fail(api_url.span().start, format!("api_url: {message}")))?,
        ),
        None => None,
    };

    let methods = match table.methods {
        Some(methods) => {
            checked_methods(kind, methods).map_err(|(at, message)| fail(at, message))?
        }
        None => kind.default_methods(),
    };

    let client_id = match &table.client_id {
        Some(client_id) => {
            let value = non_blank(client_id.get_ref().clone());
            if kind == ProviderKind::Iternio
                && value
                    .as_deref()
                    .is_some_and(|value| !value.chars().all(|c| c.is_ascii_digit()))
            {
                return Err(fail(
                    client_id.span().start,
                    "an Iternio client id is a number".to_string(),
                ));
            }
            value
        }
        None => None,
    };
    if client_id.is_none() {
        if let Some(method) = methods.iter().find(|method| method.needs_client_id()) {
            return Err(fail(
                at,
                format!(
                    "the `{}` sign-in method needs a `client_id` (the id the provider issued \
                     to Telltale)",
                    method.name()
                ),
            ));
        }
    }
    let client_secret = table
        .client_secret
        .and_then(|secret| non_blank(secret.into_inner()));
    if kind == ProviderKind::Iternio && client_secret.is_none() {
        return Err(fail(
            at,
            "an Iternio provider needs a `client_secret` (the API key Iternio issued)".to_string(),
        ));
    }

    let mut scopes = Vec::new();
    for scope in table.scopes.unwrap_or_default() {
        check_scope(scope.get_ref())
            .map_err(|message| fail(scope.span().start, format!("scopes: {message}")))?;
        scopes.push(scope.into_inner());
    }
    let redirect_scheme = match table.redirect_scheme {
        Some(scheme) => {
            let offset = scheme.span().start;
            let scheme = scheme.into_inner().trim().to_string();
            check_redirect_scheme(&scheme).map_err(|message| fail(offset, message))?;
            scheme
        }
        None => DEFAULT_REDIRECT_SCHEME.to_string(),
    };

    Ok(ProviderProfile {
        id,
        name,
        kind,
        base_url: Some(base_url),
        api_url,
        client_id,
        client_secret,
        scopes,
        redirect_scheme,
        methods,
    })
}

/// A checked server address: a plain http(s) base, and https unless it is this computer.
fn address(raw: &Spanned<String>) -> Result<Url, String> {
    let normalized = normalize_server(raw.get_ref())?;
    let url = Url::parse(&normalized).map_err(|error| format!("`{normalized}`: {error}"))?;
    check_endpoint(&url)?;
    Ok(url)
}

/// A `methods` list checked for `kind`: not empty, each method one the kind supports, none
/// twice. Errors carry the byte offset to report.
pub(super) fn checked_methods(
    kind: ProviderKind,
    methods: Spanned<Vec<Spanned<SignInMethod>>>,
) -> Result<Vec<SignInMethod>, (usize, String)> {
    let list_at = methods.span().start;
    let methods = methods.into_inner();
    if methods.is_empty() {
        return Err((list_at, "list at least one sign-in method".to_string()));
    }
    let mut checked: Vec<SignInMethod> = Vec::new();
    for method in methods {
        let (offset, method) = (method.span().start, method.into_inner());
        if !kind.supports(method) {
            let can: Vec<&str> = kind
                .supported_methods()
                .iter()
                .map(|method| method.name())
                .collect();
            return Err((
                offset,
                format!(
                    "a provider of kind `{}` cannot sign in with `{}`; it can use: {}",
                    kind.name(),
                    method.name(),
                    can.join(", ")
                ),
            ));
        }
        if checked.contains(&method) {
            return Err((
                offset,
                format!("the method `{}` is listed twice", method.name()),
            ));
        }
        checked.push(method);
    }
    Ok(checked)
}

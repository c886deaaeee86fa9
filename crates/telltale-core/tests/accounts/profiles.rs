//! `[[providers]]` tables, the built-in profiles and every validation error.

use crate::{file_error, load, Scratch};
use telltale_core::accounts::{
    ProviderKind, SignInMethod, DEFAULT_REDIRECT_SCHEME, IGTIMI_PROFILE_ID, SIMULATOR_PROFILE_ID,
};
use telltale_core::config::{ENV_CLIENT_ID, ENV_SERVER};
use telltale_core::ConfigError;

const CLUB: &str = r#"
server = "https://www.igtimi.com"
client_id = "top-level-id"

[[providers]]
id = "club"
name = "Club server"
kind = "igtimi"
base_url = "https://club.example/igtimi/"
api_url = "https://api.club.example"
client_id = "club-app"
client_secret = "CLUB-SECRET-123"
scopes = ["read", "write"]
redirect_scheme = "org.club.telltale"
methods = ["code", "password"]

[[providers]]
id = "tokens_only"
kind = "token_api"
base_url = "http://127.0.0.1:8123"

[[providers]]
id = "abrp"
name = "A Better Routeplanner"
kind = "iternio"
base_url = "https://api.iternio.example/1"
client_id = "4242"
client_secret = "api-key"
"#;

#[test]
fn provider_tables_become_profiles_after_the_built_ins() {
    let scratch = Scratch::new("tables");
    scratch.write_config(CLUB);
    let config = load(&scratch.0, &[]).expect("load");
    let profiles = config.profiles().expect("profiles");
    let ids: Vec<&str> = profiles.all().iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["igtimi", "simulator", "club", "tokens_only", "abrp"]);

    let club = profiles.get("club").expect("club");
    assert_eq!(club.name, "Club server");
    assert_eq!(club.kind, ProviderKind::Igtimi);
    assert_eq!(
        club.base_url.as_ref().map(|u| u.as_str()),
        Some("https://club.example/igtimi")
    );
    assert_eq!(
        club.api_base().map(|u| u.as_str()),
        Some("https://api.club.example/")
    );
    assert_eq!(club.client_id.as_deref(), Some("club-app"));
    assert_eq!(club.client_secret.as_deref(), Some("CLUB-SECRET-123"));
    assert_eq!(club.scopes, ["read", "write"]);
    assert_eq!(club.methods, [SignInMethod::Code, SignInMethod::Password]);
    assert_eq!(
        club.redirect_uri().expect("uri").as_str(),
        "org.club.telltale:/oauth/callback"
    );
    let provider = club.oauth_provider(SignInMethod::Code).expect("provider");
    assert_eq!(
        provider.authorize_url.as_str(),
        "https://club.example/igtimi/oauth/authorize"
    );
    assert_eq!(provider.scopes, ["read", "write"]);
    assert!(provider.revoke_url.is_some());

    let tokens = profiles.get("tokens_only").expect("tokens_only");
    assert_eq!(tokens.name, "tokens_only", "the name defaults to the id");
    assert_eq!(tokens.methods, [SignInMethod::TokenApi]);
    assert_eq!(tokens.client_id, None, "the token API needs no client id");
    assert_eq!(tokens.redirect_scheme, DEFAULT_REDIRECT_SCHEME);
    assert_eq!(
        tokens.api_base().map(|u| u.as_str()),
        Some("http://127.0.0.1:8123/"),
        "the API defaults to the base address"
    );
    tokens
        .check_usable(SignInMethod::TokenApi)
        .expect("a token API profile is usable without a client id");
    assert!(tokens.oauth_provider(SignInMethod::TokenApi).is_err());

    let abrp = profiles.get("abrp").expect("abrp");
    assert_eq!(abrp.methods, [SignInMethod::Code], "Iternio: code only");
    let provider = abrp.oauth_provider(SignInMethod::Code).expect("provider");
    assert_eq!(provider.revoke_url, None, "Iternio has no revocation");
    assert_eq!(
        provider.redirect_uri.as_str(),
        "io.telltale.app:/oauth/iternio"
    );
}

#[test]
fn the_default_profile_is_igtimi_with_a_client_id_else_the_simulator_unless_named() {
    let scratch = Scratch::new("default");
    let demo = load(&scratch.0, &[]).expect("load");
    assert_eq!(
        demo.profiles().expect("profiles").default_profile().id,
        SIMULATOR_PROFILE_ID
    );
    let igtimi = load(&scratch.0, &[(ENV_CLIENT_ID, "env-id")]).expect("load");
    assert_eq!(
        igtimi.profiles().expect("profiles").default_profile().id,
        IGTIMI_PROFILE_ID
    );

    scratch.write_config(&format!("default_provider = \"abrp\"\n{CLUB}"));
    let named = load(&scratch.0, &[]).expect("load");
    assert_eq!(named.default_provider.as_deref(), Some("abrp"));
    assert_eq!(
        named.profiles().expect("profiles").default_profile().id,
        "abrp"
    );
}

#[test]
fn the_built_in_igtimi_profile_takes_the_top_level_settings_and_the_environment() {
    let scratch = Scratch::new("builtin_igtimi");
    let without = load(&scratch.0, &[]).expect("load");
    let profiles = without.profiles().expect("profiles");
    let igtimi = profiles.get(IGTIMI_PROFILE_ID).expect("igtimi");
    assert_eq!(
        igtimi.base_url.as_ref().map(|u| u.as_str()),
        Some("https://www.igtimi.com/")
    );
    assert_eq!(igtimi.methods, SignInMethod::ALL);
    let error = igtimi
        .check_usable(SignInMethod::Code)
        .expect_err("no client id, unusable");
    let shown = error.to_string();
    assert!(matches!(error, ConfigError::Unusable { .. }), "{error:?}");
    assert!(
        shown.contains("client id") && shown.contains(ENV_CLIENT_ID),
        "{shown}"
    );

    scratch.write_config("client_id = \"file-id\"\nclient_secret = \"s\"\nscopes = [\"read\"]\n");
    let with = load(&scratch.0, &[(ENV_SERVER, "http://127.0.0.1:9/")]).expect("load");
    let profiles = with.profiles().expect("profiles");
    let igtimi = profiles.get(IGTIMI_PROFILE_ID).expect("igtimi");
    assert_eq!(igtimi.client_id.as_deref(), Some("file-id"));
    assert_eq!(igtimi.scopes, ["read"]);
    let provider = igtimi.oauth_provider(SignInMethod::Code).expect("usable");
    assert_eq!(
        provider.token_url.as_str(),
        "http://127.0.0.1:9/oauth/token"
    );
    assert_eq!(
        provider.redirect_uri.as_str(),
        "io.telltale.app:/oauth/callback"
    );

    // Plain http to another computer is accepted as a server setting (as before) but the
    // profile refuses to sign in there.
    let remote = load(&scratch.0, &[(ENV_SERVER, "http://igtimi.example")]).expect("load");
    let profiles = remote.profiles().expect("profiles");
    let error = profiles
        .get(IGTIMI_PROFILE_ID)
        .expect("igtimi")
        .check_usable(SignInMethod::Code)
        .expect_err("http to another computer");
    assert!(error.to_string().contains("https"), "{error}");
}

#[test]
fn the_built_in_simulator_profile_offers_every_method_once_started() {
    let scratch = Scratch::new("builtin_sim");
    let config = load(&scratch.0, &[]).expect("load");
    let profiles = config.profiles().expect("profiles");
    let simulator = profiles.get(SIMULATOR_PROFILE_ID).expect("simulator");
    assert!(simulator.is_embedded());
    assert_eq!(simulator.methods, SignInMethod::ALL);
    let error = simulator
        .check_usable(SignInMethod::Code)
        .expect_err("not started");
    assert!(error.to_string().contains("not been started"), "{error}");
}

#[test]
fn debug_hides_every_client_secret() {
    let scratch = Scratch::new("debug");
    scratch.write_config(CLUB);
    let config = load(&scratch.0, &[]).expect("load");
    let shown = format!("{config:?} {:?}", config.profiles().expect("profiles"));
    assert!(!shown.contains("CLUB-SECRET-123"), "{shown}");
    assert!(shown.contains("<redacted>"), "{shown}");
}

/// A one-table settings file with `extra` keys after `id = "club"`.
fn table(extra: &str) -> String {
    format!("[[providers]]\nid = \"club\"\n{extra}")
}

#[test]
fn duplicate_and_reserved_ids_are_refused() {
    let twice = format!(
        "{}\n{}",
        table("kind = \"token_api\"\nbase_url = \"https://a.example\"\n"),
        table("kind = \"token_api\"\nbase_url = \"https://b.example\"\n"),
    );
    let (line, message) = file_error("dup", &twice);
    assert_eq!(line, 7, "the second id");
    assert!(message.contains("already used"), "{message}");

    for reserved in [IGTIMI_PROFILE_ID, SIMULATOR_PROFILE_ID] {
        let text = format!(
            "[[providers]]\nid = \"{reserved}\"\nkind = \"token_api\"\nbase_url = \"https://a.example\"\n"
        );
        let (line, message) = file_error("reserved", &text);
        assert_eq!(line, 2);
        assert!(message.contains("built-in"), "{message}");
    }
    for bad in [
        "Club",
        "9club",
        "club/one",
        "",
        "a-very-long-id-that-goes-on-and-on-and-on-x",
    ] {
        let text = format!(
            "[[providers]]\nid = \"{bad}\"\nkind = \"token_api\"\nbase_url = \"https://a.example\"\n"
        );
        let (line, message) = file_error("bad_id", &text);
        assert_eq!(line, 2, "{bad}");
        assert!(message.contains("lowercase letter"), "{bad}: {message}");
    }
}

#[test]
fn bad_addresses_are_refused_where_they_were_written() {
    let cases = [
        ("base_url = \"not a url\"", "not a web address"),
        ("base_url = \"ftp://files.example\"", "http:// or https://"),
        (
            "base_url = \"http://club.example\"",
            "plain http to another computer",
        ),
        (
            "base_url = \"http://192.168.1.10:8000\"",
            "plain http to another computer",
        ),
        (
            "base_url = \"https://club.example/?x=1\"",
            "plain base address",
        ),
    ];
    for (line_text, expected) in cases {
        let (line, message) = file_error(
            "bad_url",
            &table(&format!("kind = \"token_api\"\n{line_text}\n")),
        );
        assert_eq!(line, 4, "{line_text}");
        assert!(
            message.contains("base_url") && message.contains(expected),
            "{line_text}: {message}"
        );
        assert!(message.contains("club"), "the profile is named: {message}");
    }
    let (line, message) = file_error(
        "bad_api_url",
        &table("kind = \"token_api\"\nbase_url = \"https://a.example\"\napi_url = \"http://api.example\"\n"),
    );
    assert_eq!(line, 5);
    assert!(
        message.contains("api_url") && message.contains("plain http"),
        "{message}"
    );

    // http to this computer is fine.
    for local in [
        "http://127.0.0.1:8000",
        "http://localhost:8000",
        "http://[::1]:8000",
    ] {
        let scratch = Scratch::new("local");
        scratch.write_config(&table(&format!(
            "kind = \"token_api\"\nbase_url = \"{local}\"\n"
        )));
        load(&scratch.0, &[]).unwrap_or_else(|error| panic!("{local}: {error}"));
    }
}

#[test]
fn methods_a_kind_cannot_do_are_refused() {
    let cases = [
        (
            "iternio",
            "[\"code\", \"password\"]",
            7,
            "cannot sign in with `password`",
        ),
        ("token_api", "[\"code\"]", 7, "cannot sign in with `code`"),
        ("igtimi", "[\"code\", \"code\"]", 7, "listed twice"),
        ("igtimi", "[]", 7, "at least one"),
        ("igtimi", "[\"magic\"]", 7, "magic"),
    ];
    for (kind, methods, expected_line, expected) in cases {
        let text = table(&format!(
            "kind = \"{kind}\"\nbase_url = \"https://a.example\"\nclient_id = \"1\"\nclient_secret = \"k\"\nmethods = {methods}\n"
        ));
        let (line, message) = file_error("methods", &text);
        assert_eq!(line, expected_line, "{kind} {methods}: {message}");
        assert!(message.contains(expected), "{kind} {methods}: {message}");
    }
    let (line, message) = file_error(
        "kind",
        &table("kind = \"oauth1\"\nbase_url = \"https://a.example\"\n"),
    );
    assert_eq!(line, 3);
    assert!(
        message.contains("oauth1") && message.contains("iternio"),
        "{message}"
    );
}

#[test]
fn redirect_schemes_must_be_reverse_dns() {
    for bad in [
        "telltale",
        "http",
        "Io.Telltale.App",
        "io..app",
        ".io.app",
        "io.telltale.app:/x",
        "io_x.app",
    ] {
        let text = table(&format!(
            "kind = \"igtimi\"\nbase_url = \"https://a.example\"\nclient_id = \"x\"\nredirect_scheme = \"{bad}\"\n"
        ));
        let (line, message) = file_error("scheme", &text);
        assert_eq!(line, 6, "{bad}");
        assert!(message.contains("reverse domain name"), "{bad}: {message}");
    }
}

#[test]
fn missing_or_malformed_client_settings_are_explained() {
    let (line, message) = file_error(
        "no_client",
        &table("kind = \"igtimi\"\nbase_url = \"https://a.example\"\n"),
    );
    assert_eq!(line, 1, "the table's header");
    assert!(
        message.contains("client_id") && message.contains("`code`"),
        "{message}"
    );

    let (line, message) = file_error(
        "iternio_id",
        &table("kind = \"iternio\"\nbase_url = \"https://a.example\"\nclient_id = \"abc\"\nclient_secret = \"k\"\n"),
    );
    assert_eq!(line, 5);
    assert!(message.contains("number"), "{message}");

    let (_, message) = file_error(
        "iternio_secret",
        &table("kind = \"iternio\"\nbase_url = \"https://a.example\"\nclient_id = \"42\"\n"),
    );
    assert!(
        message.contains("client_secret") && message.contains("API key"),
        "{message}"
    );
}

#[test]
fn other_table_mistakes_name_their_line() {
    let (line, message) = file_error(
        "unknown_key",
        &table("kind = \"token_api\"\nbase_url = \"https://a.example\"\nbaseurl = \"x\"\n"),
    );
    assert_eq!(line, 5);
    assert!(
        message.contains("unknown setting") && message.contains("baseurl"),
        "{message}"
    );

    let (line, message) = file_error("missing_base", &table("kind = \"token_api\"\n"));
    assert_eq!(line, 1, "the table's header");
    assert!(message.contains("base_url"), "{message}");

    let (line, message) = file_error(
        "blank_name",
        &table("name = \"  \"\nkind = \"token_api\"\nbase_url = \"https://a.example\"\n"),
    );
    assert_eq!(line, 3);
    assert!(message.contains("name cannot be empty"), "{message}");

    let (line, message) = file_error("scope", &table("kind = \"igtimi\"\nbase_url = \"https://a.example\"\nclient_id = \"x\"\nscopes = [\"read\", \"a b\"]\n"));
    assert_eq!(line, 6);
    assert!(message.contains("a b"), "{message}");

    let (line, message) = file_error(
        "default",
        "client_id = \"x\"\ndefault_provider = \"nowhere\"\n",
    );
    assert_eq!(line, 2);
    assert!(
        message.contains("nowhere") && message.contains("igtimi, simulator"),
        "{message}"
    );
}

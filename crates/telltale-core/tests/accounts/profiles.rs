//! `[[providers]]` tables and the built-in profiles.

use crate::load;
use telltale_core::accounts::{
    ProviderKind, SignInMethod, DEFAULT_REDIRECT_SCHEME, IGTIMI_PROFILE_ID,
    SAILING_ANALYTICS_PROFILE_ID, SIMULATOR_PROFILE_ID, SIMULATOR_RIOT_PROFILE_ID,
};
use telltale_core::config::{ENV_CLIENT_ID, ENV_SERVER, FILE_NAME};
use telltale_core::ConfigError;
use telltale_test_support::Scratch;

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
    scratch.write(FILE_NAME, CLUB);
    let config = load(scratch.path(), &[]).expect("load");
    let profiles = config.profiles().expect("profiles");
    let ids: Vec<&str> = profiles.all().iter().map(|p| p.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "sapsailing",
            "igtimi",
            "simulator",
            "simulator-riot",
            "club",
            "tokens_only",
            "abrp"
        ]
    );

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
        "org.club.telltale:/oauth/callback/club",
        "each profile has its own return address"
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
        "io.telltale.app:/oauth/iternio/abrp"
    );
}

#[test]
fn the_default_profile_is_igtimi_with_a_client_id_else_the_simulator_unless_named() {
    let scratch = Scratch::new("default");
    let demo = load(scratch.path(), &[]).expect("load");
    assert_eq!(
        demo.profiles().expect("profiles").default_profile().id,
        SIMULATOR_PROFILE_ID
    );
    let igtimi = load(scratch.path(), &[(ENV_CLIENT_ID, "env-id")]).expect("load");
    assert_eq!(
        igtimi.profiles().expect("profiles").default_profile().id,
        IGTIMI_PROFILE_ID
    );

    scratch.write(FILE_NAME, &format!("default_provider = \"abrp\"\n{CLUB}"));
    let named = load(scratch.path(), &[]).expect("load");
    assert_eq!(named.default_provider.as_deref(), Some("abrp"));
    assert_eq!(
        named.profiles().expect("profiles").default_profile().id,
        "abrp"
    );
}

#[test]
fn the_built_in_igtimi_profile_takes_the_top_level_settings_and_the_environment() {
    let scratch = Scratch::new("builtin_igtimi");
    let without = load(scratch.path(), &[]).expect("load");
    let profiles = without.profiles().expect("profiles");
    let igtimi = profiles.get(IGTIMI_PROFILE_ID).expect("igtimi");
    assert_eq!(
        igtimi.base_url.as_ref().map(|u| u.as_str()),
        Some("https://www.igtimi.com/")
    );
    assert_eq!(
        igtimi.methods,
        [SignInMethod::Code],
        "the legacy grants are opt-in"
    );
    let error = igtimi
        .check_usable(SignInMethod::Code)
        .expect_err("no client id, unusable");
    let shown = error.to_string();
    assert!(matches!(error, ConfigError::Unusable { .. }), "{error:?}");
    assert!(
        shown.contains("client id") && shown.contains(ENV_CLIENT_ID),
        "{shown}"
    );

    scratch.write(
        FILE_NAME,
        "client_id = \"file-id\"\nclient_secret = \"s\"\nscopes = [\"read\"]\n",
    );
    let with = load(scratch.path(), &[(ENV_SERVER, "http://127.0.0.1:9/")]).expect("load");
    let profiles = with.profiles().expect("profiles");
    let igtimi = profiles.get(IGTIMI_PROFILE_ID).expect("igtimi");
    assert_eq!(igtimi.client_id.as_deref(), Some("file-id"));
    assert_eq!(igtimi.scopes, ["read"]);
    assert_eq!(igtimi.methods, [SignInMethod::Code]);

    let provider = igtimi.oauth_provider(SignInMethod::Code).expect("usable");
    assert_eq!(
        provider.token_url.as_str(),
        "http://127.0.0.1:9/oauth/token"
    );
    assert_eq!(
        provider.redirect_uri.as_str(),
        "io.telltale.app:/oauth/callback/igtimi"
    );

    // Plain http to another computer is accepted as a server setting (as before) but the
    // profile refuses to sign in there.
    let remote = load(scratch.path(), &[(ENV_SERVER, "http://igtimi.example")]).expect("load");
    let profiles = remote.profiles().expect("profiles");
    let error = profiles
        .get(IGTIMI_PROFILE_ID)
        .expect("igtimi")
        .check_usable(SignInMethod::Code)
        .expect_err("http to another computer");
    assert!(error.to_string().contains("https"), "{error}");
    scratch.write(
        FILE_NAME,
        "client_id = \"file-id\"\nmethods = [\"code\", \"implicit\", \"password\"]\n",
    );
    let opted = load(scratch.path(), &[]).expect("load");
    let profiles = opted.profiles().expect("profiles");
    let igtimi = profiles.get(IGTIMI_PROFILE_ID).expect("igtimi");
    assert_eq!(
        igtimi.methods,
        [
            SignInMethod::Code,
            SignInMethod::Implicit,
            SignInMethod::Password
        ],
        "the settings may ask for the legacy grants"
    );
    scratch.write(
        FILE_NAME,
        "client_id = \"file-id\"\nmethods = [\"carrier-pigeon\"]\n",
    );
    assert!(
        load(scratch.path(), &[]).is_err(),
        "an unknown method is refused"
    );
}

#[test]
fn the_built_in_simulator_profiles_offer_every_method_of_their_dialect_once_started() {
    let scratch = Scratch::new("builtin_sim");
    let config = load(scratch.path(), &[]).expect("load");
    let profiles = config.profiles().expect("profiles");
    let simulator = profiles.get(SIMULATOR_PROFILE_ID).expect("simulator");
    assert!(simulator.is_embedded());
    assert_eq!(simulator.methods, SignInMethod::IGTIMI);
    let error = simulator
        .check_usable(SignInMethod::Code)
        .expect_err("not started");
    assert!(error.to_string().contains("not been started"), "{error}");

    let riot = profiles.get(SIMULATOR_RIOT_PROFILE_ID).expect("riot demo");
    assert!(riot.is_embedded());
    assert_eq!(riot.kind, ProviderKind::Riot);
    assert_eq!(
        riot.methods,
        [SignInMethod::RiotPassword, SignInMethod::PastedToken]
    );
    let started = riot.at_started_simulator(
        "http://127.0.0.1:9/".parse().expect("url"),
        "client".into(),
        Some("secret".into()),
    );
    assert_eq!(started.client_id, None, "Riot has no OAuth client");
    started
        .check_usable(SignInMethod::RiotPassword)
        .expect("usable once started");

    let sap = profiles.get(SAILING_ANALYTICS_PROFILE_ID).expect("SAP");
    assert_eq!(sap.kind, ProviderKind::Riot);
    assert_eq!(
        sap.base_url.as_ref().map(|u| u.as_str()),
        Some("https://wind.sapsailing.com/")
    );
    sap.check_usable(SignInMethod::PastedToken)
        .expect("usable with no settings");
    assert!(
        sap.check_usable(SignInMethod::Code).is_err(),
        "Riot has no OAuth page"
    );
}

#[test]
fn debug_hides_every_client_secret() {
    let scratch = Scratch::new("debug");
    scratch.write(FILE_NAME, CLUB);
    let config = load(scratch.path(), &[]).expect("load");
    let shown = format!("{config:?} {:?}", config.profiles().expect("profiles"));
    assert!(!shown.contains("CLUB-SECRET-123"), "{shown}");
    assert!(shown.contains("<redacted>"), "{shown}");
}

//! Profiles against the simulator over loopback HTTP: the built-in simulator profile signs
//! in with the code flow and the password grant, an Iternio profile reaches the Iternio
//! dialect, a token API profile reaches the token form.

use crate::load;
use igtimi_client::IgtimiClient;
use igtimi_sim::demo::{ANA, BOB};
use igtimi_sim::{SimConfig, Simulator};
use std::time::{Duration, SystemTime};
use telltale_auth::{
    finish_sign_in, AccessToken, AuthHttp, PendingSignIns, RefreshToken, SignIn, TokenSet,
};
use telltale_core::accounts::{ProviderProfile, SignInMethod, SIMULATOR_PROFILE_ID};
use telltale_core::config::FILE_NAME;
use telltale_test_support::demo::{self, Decision};
use telltale_test_support::Scratch;
use url::Url;

pub async fn start_sim() -> Simulator {
    Simulator::start(SimConfig::default())
        .await
        .expect("simulator starts")
}

/// The built-in simulator profile, resolved at `sim`.
pub fn simulator_profile(sim: &Simulator) -> ProviderProfile {
    let scratch = Scratch::new("sim_profile");
    let config = load(scratch.path(), &[]).expect("load");
    let profiles = config.profiles().expect("profiles");
    let client = sim.telltale_client().expect("the demo registers Telltale");
    profiles
        .get(SIMULATOR_PROFILE_ID)
        .expect("built in")
        .at_started_simulator(
            Url::parse(&sim.base_url()).expect("url"),
            client.client_id,
            client.client_secret,
        )
}

/// Signs `id` in with the code flow through the simulator's pages.
pub async fn code_sign_in(sim: &Simulator, profile: &ProviderProfile, id: u64) -> TokenSet {
    let provider = profile.oauth_provider(SignInMethod::Code).expect("usable");
    let (authorize, pending) = SignIn::start(&provider);
    let registry = PendingSignIns::new();
    registry.insert(pending);
    let callback = demo::user(id)
        .signs_in(&sim.base_url(), authorize.as_str(), Decision::Authorize)
        .await;
    let http = AuthHttp::new();
    finish_sign_in(&registry, &callback, &provider, &http)
        .await
        .expect("signed in")
}

/// Signs `id` in with the legacy password grant at the profile's token endpoint.
pub async fn password_sign_in(profile: &ProviderProfile, id: u64) -> TokenSet {
    let provider = profile
        .oauth_provider(SignInMethod::Password)
        .expect("usable");
    let user = demo::user(id);
    let mut form = vec![
        ("grant_type", "password".to_string()),
        ("username", user.email.clone()),
        ("password", user.password.clone()),
        ("client_id", provider.client_id.clone()),
    ];
    if let Some(secret) = &provider.client_secret {
        form.push(("client_secret", secret.clone()));
    }
    let answer: serde_json::Value = reqwest::Client::new()
        .post(provider.token_url.clone())
        .form(&form)
        .send()
        .await
        .expect("token call")
        .error_for_status()
        .expect("granted")
        .json()
        .await
        .expect("json");
    TokenSet {
        access_token: AccessToken::new(answer["access_token"].as_str().expect("token"))
            .expect("token"),
        refresh_token: answer["refresh_token"].as_str().and_then(RefreshToken::new),
        expires_at: answer["expires_in"]
            .as_u64()
            .map(|secs| SystemTime::now() + Duration::from_secs(secs)),
        scope: Vec::new(),
    }
}

#[tokio::test]
async fn the_simulator_profile_signs_in_by_code_and_by_password_and_reaches_the_api() {
    let sim = start_sim().await;
    let profile = simulator_profile(&sim);
    assert!(!profile.is_embedded());
    for method in SignInMethod::IGTIMI {
        profile.check_usable(method).expect("every method usable");
    }
    let api = IgtimiClient::new(profile.api_base().expect("api").clone()).expect("client");

    let bob = code_sign_in(&sim, &profile, BOB).await;
    let account = api.account(&bob.access_token).await.expect("account");
    assert_eq!(account.id, BOB);

    let ana = password_sign_in(&profile, ANA).await;
    let account = api.account(&ana.access_token).await.expect("account");
    assert_eq!(account.id, ANA);
}

#[tokio::test]
async fn an_iternio_profile_reaches_the_iternio_dialect() {
    let sim = start_sim().await;
    let iternio = sim
        .manifest()
        .clients
        .into_iter()
        .find(|client| client.client_id == "4242")
        .expect("the demo's Iternio client");
    let scratch = Scratch::new("iternio");
    scratch.write(
        FILE_NAME,
        &format!(
            "[[providers]]\nid = \"abrp\"\nkind = \"iternio\"\nbase_url = \"{}/iternio/1\"\n\
         client_id = \"4242\"\nclient_secret = \"{}\"\n",
            sim.base_url(),
            iternio.client_secret.expect("an API key")
        ),
    );
    let config = load(scratch.path(), &[]).expect("load");
    let profiles = config.profiles().expect("profiles");
    let profile = profiles.get("abrp").expect("abrp");
    let provider = profile.oauth_provider(SignInMethod::Code).expect("usable");

    let (authorize, pending) = SignIn::start(&provider);
    let callback = demo::bob()
        .signs_in(&sim.base_url(), authorize.as_str(), Decision::Authorize)
        .await;
    let callback = Url::parse(&callback).expect("callback");
    assert_eq!(
        format!("{}:{}", callback.scheme(), callback.path()),
        "io.telltale.app:/oauth/iternio/abrp",
        "the registered Iternio redirect"
    );
    let pairs: Vec<(String, String)> = callback.query_pairs().into_owned().collect();
    let value = |name: &str| {
        pairs
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
    };
    assert_eq!(value("state").as_deref(), Some(pending.state_secret()));
    let code = value("auth_code").expect("Iternio's auth_code");

    let answer: serde_json::Value = reqwest::Client::new()
        .post(provider.token_url.clone())
        .form(&[
            ("grant_type", "authorization_code"),
            ("client_id", provider.client_id.as_str()),
            (
                "client_secret",
                provider.client_secret.as_deref().unwrap_or(""),
            ),
            ("code", code.as_str()),
            ("redirect_uri", provider.redirect_uri.as_str()),
        ])
        .send()
        .await
        .expect("token call")
        .json()
        .await
        .expect("json");
    assert!(answer["user_token"].as_str().is_some(), "{answer}");
}

#[tokio::test]
async fn a_token_api_profile_reaches_the_token_form() {
    let sim = start_sim().await;
    let scratch = Scratch::new("token_api");
    scratch.write(
        FILE_NAME,
        &format!(
            "[[providers]]\nid = \"tokens\"\nkind = \"token_api\"\nbase_url = \"{}\"\n",
            sim.base_url()
        ),
    );
    let config = load(scratch.path(), &[]).expect("load");
    let profiles = config.profiles().expect("profiles");
    let profile = profiles.get("tokens").expect("tokens");
    profile
        .check_usable(SignInMethod::TokenApi)
        .expect("no client id needed");
    let base = profile.base_url.as_ref().expect("address");
    let bob = demo::bob();
    let answer: serde_json::Value = reqwest::Client::new()
        .post(base.join("v1/oauth/").expect("url"))
        .form(&[
            ("username", bob.email.as_str()),
            ("password", bob.password.as_str()),
        ])
        .send()
        .await
        .expect("token call")
        .json()
        .await
        .expect("json");
    assert_eq!(answer["success"], true, "{answer}");
    let token = answer["data"]["access_token"].as_str().expect("token");
    let api = IgtimiClient::new(profile.api_base().expect("api").clone()).expect("client");
    let account = api
        .account(&AccessToken::new(token).expect("token"))
        .await
        .expect("the token works on the API");
    assert_eq!(account.id, BOB);
}

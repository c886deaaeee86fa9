//! The real simulator for the dialect tests: providers for its demo clients and the fault
//! table every token-issuing endpoint is checked against. The demo users and the person
//! who signs in are `telltale_test_support::demo`'s.

use igtimi_sim::{FaultKind, FaultRule, SimConfig, Simulator};
use std::time::Duration;
use telltale_auth::{password, token_api, AuthError, AuthHttp, Provider, TokenSet};
use telltale_test_support::demo::DemoUser;
use url::Url;

/// The app's redirect URI for Igtimi's OAuth2.
pub const REDIRECT: &str = igtimi_sim::demo::APP_REDIRECT_URI;
/// The app's redirect URI for Iternio's dialect.
pub const ITERNIO_REDIRECT: &str = igtimi_sim::demo::APP_ITERNIO_REDIRECT_URI;
/// The demo's Iternio client id.
pub const ITERNIO_CLIENT: &str = "4242";

/// A simulator with the default demo world.
pub async fn start() -> Simulator {
    start_with(SimConfig::default()).await
}

/// A simulator with `config`.
pub async fn start_with(config: SimConfig) -> Simulator {
    Simulator::start(config).await.expect("simulator starts")
}

/// The simulator's base address.
pub fn base(sim: &Simulator) -> Url {
    Url::parse(&sim.base_url()).expect("base URL")
}

/// The demo's registration of the Telltale app, for Igtimi's endpoints.
pub fn telltale_provider(sim: &Simulator) -> Provider {
    let app = sim.telltale_client().expect("the demo registers the app");
    Provider::igtimi(
        &base(sim),
        app.client_id,
        app.client_secret,
        Url::parse(REDIRECT).expect("redirect"),
    )
    .expect("provider")
}

/// The API key the demo gives the Iternio client.
pub fn iternio_api_key(sim: &Simulator) -> String {
    sim.manifest()
        .clients
        .into_iter()
        .find(|client| client.client_id == ITERNIO_CLIENT)
        .and_then(|client| client.client_secret)
        .expect("the demo registers the Iternio client with an API key")
}

/// The demo's Iternio client.
pub fn iternio_provider(sim: &Simulator) -> Provider {
    Provider::iternio(
        &base(sim),
        ITERNIO_CLIENT,
        iternio_api_key(sim),
        Url::parse(ITERNIO_REDIRECT).expect("redirect"),
    )
    .expect("provider")
}

/// `who` signs in with the password grant at `provider`.
pub async fn password_sign_in(
    provider: &Provider,
    who: &DemoUser,
    http: &AuthHttp,
) -> Result<TokenSet, AuthError> {
    password::sign_in(provider, &who.email, &who.password, http).await
}

/// `who` asks the token API at `base` for a token for this device (`device_info`).
pub async fn token_api_token(
    base: &Url,
    who: &DemoUser,
    device_info: &str,
    http: &AuthHttp,
) -> Result<TokenSet, AuthError> {
    token_api::generate(base, &who.email, &who.password, device_info, http).await
}

/// The app's HTTP client.
pub fn http() -> AuthHttp {
    AuthHttp::new()
}

/// A client that gives up after one second, for the slow faults.
pub fn impatient_http() -> AuthHttp {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(1))
        .build()
        .expect("http client");
    AuthHttp::with_client(client)
}

/// Makes the next request under `path` fail with `kind`.
pub fn fail_next(sim: &Simulator, path: &str, kind: FaultKind) {
    sim.faults().add(FaultRule {
        kind,
        path_prefix: Some(path.into()),
        times: Some(1),
    });
}

/// One injected fault and the error it must give.
pub struct FaultCase {
    /// The fault.
    pub kind: FaultKind,
    /// Whether the error is the right one.
    pub expected: fn(&AuthError) -> bool,
}

impl FaultCase {
    /// Asserts that `result` is the expected error.
    pub fn check<T: std::fmt::Debug>(&self, result: &Result<T, AuthError>) {
        match result {
            Err(err) if (self.expected)(err) => {}
            other => panic!("{:?} gave {other:?}", self.kind),
        }
    }
}

fn invalid_response_saying(err: &AuthError, words: &str) -> bool {
    matches!(err, AuthError::InvalidResponse { detail } if detail.contains(words))
}

/// The faults every endpoint must survive with the same error kinds, whatever it speaks:
/// server errors, web pages, broken and oversized JSON, a reset connection, slowness.
/// Use [`impatient_http`] so the slow ones end in a second.
pub fn transport_faults() -> Vec<FaultCase> {
    vec![
        FaultCase {
            kind: FaultKind::Status { code: 503 },
            expected: |e| *e == AuthError::Server { status: 503 },
        },
        FaultCase {
            kind: FaultKind::HtmlError { code: 502 },
            expected: |e| *e == AuthError::Server { status: 502 },
        },
        FaultCase {
            kind: FaultKind::HtmlError { code: 404 },
            expected: |e| invalid_response_saying(e, "HTML"),
        },
        FaultCase {
            kind: FaultKind::MalformedJson,
            expected: |e| invalid_response_saying(e, "JSON"),
        },
        FaultCase {
            kind: FaultKind::TruncatedJson,
            expected: |e| invalid_response_saying(e, "cut off"),
        },
        FaultCase {
            kind: FaultKind::HugeBody {
                bytes: 2 * 1024 * 1024,
            },
            expected: |e| invalid_response_saying(e, "larger than"),
        },
        FaultCase {
            kind: FaultKind::Reset,
            expected: |e| *e == AuthError::Unreachable,
        },
        FaultCase {
            kind: FaultKind::Latency { ms: 3_000 },
            expected: |e| *e == AuthError::Timeout,
        },
        FaultCase {
            kind: FaultKind::SlowDrip {
                bytes_per_chunk: 1,
                interval_ms: 400,
            },
            expected: |e| *e == AuthError::Timeout,
        },
    ]
}

//! Token endpoint faults, measured: every token-issuing call of every dialect (code
//! exchange, refresh, password grant, token API, Iternio's code exchange) meets each
//! transport fault the simulator can inject, including a 100 MB body, and must give its
//! clear error within a bounded time; once the faults are used up, each call works again
//! (nothing wrong was kept). Prints "token endpoint faults: N cases, N passed".

mod support;

use igtimi_sim::{FaultKind, SimConfig, Simulator, TokenLifetime};
use std::time::{Duration, Instant};
use support::sim::{self, FaultCase};
use telltale_auth::{
    finish_sign_in, iternio, refresh, AuthError, AuthHttp, PendingSignIns, SignIn, TokenSet,
};
use telltale_test_support::demo::{self, Decision};
use telltale_test_support::Tally;

/// The longest any faulted call may take (the client gives up after one second).
const BOUND: Duration = Duration::from_secs(5);

/// The calls under test.
#[derive(Clone, Copy, Debug)]
enum Call {
    CodeExchange,
    Refresh,
    Password,
    TokenApi,
    IternioExchange,
}

impl Call {
    fn path(self) -> &'static str {
        match self {
            Call::CodeExchange | Call::Refresh | Call::Password => "/oauth/token",
            Call::TokenApi => "/v1/oauth/",
            Call::IternioExchange => "/iternio/1/oauth/token",
        }
    }
}

/// Everything a call needs up to its token request, prepared before the fault is set (so
/// the fault hits the token request and nothing before it).
enum Ready {
    Code(PendingSignIns, String),
    Refresh(TokenSet),
    Form,
}

async fn prepare(sim: &Simulator, call: Call) -> Ready {
    match call {
        Call::CodeExchange => {
            let provider = sim::telltale_provider(sim);
            let registry = PendingSignIns::new();
            let (url, pending) = SignIn::start(&provider);
            registry.insert(pending);
            let callback = demo::bob()
                .signs_in(&sim.base_url(), url.as_str(), Decision::Authorize)
                .await;
            Ready::Code(registry, callback)
        }
        Call::IternioExchange => {
            let provider = sim::iternio_provider(sim);
            let registry = PendingSignIns::new();
            let (url, pending) = iternio::start(&provider);
            registry.insert(pending);
            let callback = demo::bob()
                .signs_in(&sim.base_url(), url.as_str(), Decision::Authorize)
                .await;
            Ready::Code(registry, callback)
        }
        Call::Refresh => {
            let provider = sim::telltale_provider(sim);
            let tokens = sim::password_sign_in(&provider, demo::ana(), &sim::http())
                .await
                .expect("a token with a refresh token");
            Ready::Refresh(tokens)
        }
        Call::Password | Call::TokenApi => Ready::Form,
    }
}

async fn run(sim: &Simulator, call: Call, ready: Ready, http: &AuthHttp) -> Result<(), AuthError> {
    let provider = sim::telltale_provider(sim);
    let result = match (call, ready) {
        (Call::CodeExchange, Ready::Code(registry, callback)) => {
            finish_sign_in(&registry, &callback, &provider, http).await
        }
        (Call::IternioExchange, Ready::Code(registry, callback)) => {
            let provider = sim::iternio_provider(sim);
            iternio::finish_sign_in(&registry, &callback, &provider, http).await
        }
        (Call::Refresh, Ready::Refresh(tokens)) => {
            let token = tokens.refresh_token.expect("a refresh token");
            refresh(&provider, &token, http).await
        }
        (Call::Password, _) => sim::password_sign_in(&provider, demo::bob(), http).await,
        (Call::TokenApi, _) => {
            sim::token_api_token(&sim::base(sim), demo::bob(), "fault test", http).await
        }
        (call, _) => panic!("{call:?} was prepared for another call"),
    };
    result.map(|_| ())
}

fn cases() -> Vec<FaultCase> {
    let mut cases = sim::transport_faults();
    cases.push(FaultCase {
        kind: FaultKind::HugeBody {
            bytes: 100 * 1024 * 1024,
        },
        expected: |e| matches!(e, AuthError::InvalidResponse { detail } if detail.contains("larger than")),
    });
    cases
}

#[tokio::test]
async fn every_token_call_meets_every_fault_with_a_clear_error_in_bounded_time() {
    let sim = sim::start_with(SimConfig {
        token_lifetime: TokenLifetime::Expiring { access_secs: 3600 },
        ..SimConfig::default()
    })
    .await;
    let http = sim::impatient_http();
    let calls = [
        Call::CodeExchange,
        Call::Refresh,
        Call::Password,
        Call::TokenApi,
        Call::IternioExchange,
    ];
    let mut tally = Tally::new("token endpoint faults");
    for call in calls {
        for case in cases() {
            let ready = prepare(&sim, call).await;
            sim::fail_next(&sim, call.path(), case.kind.clone());
            let started = Instant::now();
            let result = run(&sim, call, ready, &http).await;
            let took = started.elapsed();
            let right = matches!(&result, Err(err) if (case.expected)(err));
            tally.record(right && took <= BOUND, || {
                format!("{call:?} with {:?}: {result:?} after {took:?}", case.kind)
            });
        }
        // The faults are used up: the same call works.
        let ready = prepare(&sim, call).await;
        let result = run(&sim, call, ready, &sim::http()).await;
        tally.record(result.is_ok(), || {
            format!("{call:?} after the faults: {result:?}")
        });
    }
    tally.finish();
}

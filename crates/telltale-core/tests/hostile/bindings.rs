//! Redirects that carry a real attempt's state but break one of its bindings (sign-in
//! review M1, M3, L1, L2): another provider profile's return address (a provider that
//! forwarded the browser to another provider), a foreign issuer, another channel, a
//! loopback answer with a wrong state, and flows without PKCE asked to leave the window.
//! Family "bindings" prints its count like the others.

use crate::{deliver, raw_param, Tally, World, IGTIMI, ITERNIO};
use igtimi_sim::demo::{ANA, BOB};
use igtimi_sim::{SimConfig, Simulator};
use std::time::Duration;
use telltale_core::accounts::SignInMethod;
use telltale_core::multi::{Accounts, Channel};
use telltale_core::AppError;
use telltale_test_support::demo::{self, Decision};
use url::Url;

fn mix_up(outcome: &Result<(), AppError>) -> bool {
    matches!(outcome, Err(AppError::MixUp { .. }))
}

fn refused(outcome: &Result<(), AppError>) -> bool {
    matches!(outcome, Err(AppError::InvalidCallback { .. }))
}

/// Settings of the test world plus a profile `club` at another simulator.
async fn with_club(world: &World, club: &Simulator) -> Accounts {
    let app = club.telltale_client().expect("the club's registration");
    let extra = format!(
        "\n[[providers]]\nid = \"club\"\nname = \"Club server\"\nkind = \"igtimi\"\n\
         base_url = \"{}\"\nclient_id = \"{}\"\nclient_secret = \"{}\"\n",
        club.base_url(),
        app.client_id,
        app.client_secret.unwrap_or_default()
    );
    world.accounts_with(&extra).await
}

#[tokio::test]
async fn redirects_that_break_an_attempts_bindings_are_refused() {
    let Some(world) = World::start("bindings").await else {
        return;
    };
    let club = Simulator::start(SimConfig::default())
        .await
        .expect("the club's simulator");
    let accounts = with_club(&world, &club).await;
    let mut tally = Tally::new("bindings");

    // M1: the club forwards the browser to the demo provider's authorize page with the
    // club attempt's state and challenge, and the return address the demo provider has
    // registered for Telltale's `igtimi` profile. The answer must not be exchanged at the
    // club (which would get the demo's code and our verifier), nor anywhere else.
    let (club_url, _) = accounts
        .begin("club", SignInMethod::Code, Channel::Window)
        .expect("club sign-in");
    let victim = accounts
        .profile(IGTIMI)
        .expect("igtimi profile")
        .redirect_uri()
        .expect("its return address");
    let demo_client = world.sim.telltale_client().expect("demo registration");
    let mut forwarded =
        Url::parse(&format!("{}/oauth/authorize", world.sim.base_url())).expect("demo authorize");
    forwarded
        .query_pairs_mut()
        .append_pair("response_type", "code")
        .append_pair("client_id", &demo_client.client_id)
        .append_pair("redirect_uri", victim.as_str())
        .append_pair("state", &raw_param(club_url.as_str(), "state"))
        .append_pair(
            "code_challenge",
            &raw_param(club_url.as_str(), "code_challenge"),
        )
        .append_pair("code_challenge_method", "S256");
    let bounced = world.approve(forwarded.as_str(), BOB).await;
    let club_tokens = club.requests().with_prefix("/oauth/token");
    let demo_tokens = world.sim.requests().with_prefix("/oauth/token");
    let outcome = deliver(&accounts, &bounced).await;
    tally.record(mix_up(&outcome), || {
        format!("the forwarded answer must be a mix-up, got {outcome:?}")
    });
    tally.record(
        club.requests().with_prefix("/oauth/token") == club_tokens
            && world.sim.requests().with_prefix("/oauth/token") == demo_tokens,
        || "no token endpoint may see the forwarded code or the verifier".into(),
    );
    let again = deliver(&accounts, &bounced).await;
    tally.record(crate::unknown(&again), || {
        format!("the mixed-up attempt is over: {again:?}")
    });

    // M1, RFC 9207: an `iss` naming another server ends the attempt; its own is accepted.
    let (url, _) = accounts
        .begin(IGTIMI, SignInMethod::Code, Channel::Window)
        .expect("sign-in");
    let real = world.approve(url.as_str(), BOB).await;
    let foreign = deliver(&accounts, &format!("{real}&iss=https%3A%2F%2Fclub.example")).await;
    tally.record(mix_up(&foreign), || {
        format!("a foreign issuer must be a mix-up, got {foreign:?}")
    });
    let after = deliver(&accounts, &real).await;
    tally.record(crate::unknown(&after), || {
        format!("the attempt ended with the foreign issuer: {after:?}")
    });
    let (url, _) = accounts
        .begin(IGTIMI, SignInMethod::Code, Channel::Window)
        .expect("sign-in");
    let real = world.approve(url.as_str(), BOB).await;
    let own = format!("{real}&iss={}", world.sim.base_url());
    let signed_in = deliver(&accounts, &own).await;
    tally.record(signed_in.is_ok(), || {
        format!("its own issuer is accepted: {signed_in:?}")
    });

    // L2: a redirect arriving another way than its attempt started is refused and the
    // attempt waits on; it still completes the right way.
    let (url, _) = accounts
        .begin(IGTIMI, SignInMethod::Code, Channel::Window)
        .expect("sign-in");
    let real = world.approve(url.as_str(), ANA).await;
    for channel in [Channel::DeepLink, Channel::Loopback] {
        let outcome = accounts.complete_sign_in(&real, channel).await.map(|_| ());
        tally.record(refused(&outcome), || {
            format!("a window attempt's answer through the {channel:?}: {outcome:?}")
        });
    }
    let right = accounts.complete_sign_in(&real, Channel::Window).await;
    tally.record(
        matches!(&right, Ok(signed) if signed.account.id == ANA),
        || format!("then through the window it completes: {right:?}"),
    );

    // M3: only the code with PKCE may leave the sign-in window.
    for (profile, method, channel) in [
        (IGTIMI, SignInMethod::Implicit, Channel::DeepLink),
        (ITERNIO, SignInMethod::Code, Channel::DeepLink),
    ] {
        let refused = accounts.begin(profile, method, channel);
        tally.record(matches!(&refused, Err(AppError::Config(_))), || {
            format!("{profile} {method:?} through the {channel:?}: {refused:?}")
        });
    }
    let loopback = accounts.begin_loopback(ITERNIO).map(|_| ());
    tally.record(matches!(loopback, Err(AppError::Config(_))), || {
        format!("Iternio on loopback: {loopback:?}")
    });
    let allowed = accounts.begin(IGTIMI, SignInMethod::Code, Channel::DeepLink);
    tally.record(allowed.is_ok(), || {
        format!("the code with PKCE may use the system browser: {allowed:?}")
    });

    // L1: the loopback listener answers a wrong state with 400 and keeps waiting.
    let (url, attempt, listener) = accounts.begin_loopback(IGTIMI).expect("loopback");
    let redirect = raw_param(url.as_str(), "redirect_uri");
    let redirect = url::form_urlencoded::parse(format!("r={redirect}").as_bytes())
        .next()
        .map(|(_, value)| value.into_owned())
        .expect("the listener's address");
    // The listener serves while the app waits, so the "browser" runs beside the wait.
    let browser = tokio::spawn({
        let url = url.to_string();
        let base = world.sim.base_url();
        async move {
            let forged = reqwest::get(format!("{redirect}?code=forged&state=not-the-state"))
                .await
                .map(|answer| answer.status().as_u16());
            let back = demo::bob().signs_in(&base, &url, Decision::Authorize).await;
            let real = reqwest::get(back)
                .await
                .map(|answer| answer.status().as_u16());
            (forged, real)
        }
    });
    let callback = accounts
        .wait_for_browser(listener, &attempt, Duration::from_secs(20))
        .await;
    let (forged, status) = browser.await.expect("browser task");
    tally.record(matches!(forged, Ok(400)), || {
        format!("a wrong state at the listener must get 400: {forged:?}")
    });
    tally.record(matches!(status, Ok(200)), || {
        format!("the real answer gets the success page: {status:?}")
    });
    let signed = match callback {
        Ok(callback) => {
            accounts
                .complete_sign_in(&callback, Channel::Loopback)
                .await
        }
        Err(error) => Err(error),
    };
    tally.record(
        matches!(&signed, Ok(signed) if signed.account.id == BOB),
        || format!("the listener kept waiting for the real answer: {signed:?}"),
    );
    tally.finish();
}

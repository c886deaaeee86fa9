//! A scripted person at the authorize flow's pages: reads the HTML the server sends, fills in
//! the sign-in form, reads the consent form's hidden fields and clicks its buttons, and
//! follows the server's own redirects by hand.

use crate::common;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use igtimi_sim::world::{Client, User};
use igtimi_sim::Simulator;
use reqwest::StatusCode;
use serde_json::Value;
use sha2::{Digest, Sha256};

/// Where an authorize run ended.
#[derive(Debug)]
pub enum Outcome {
    /// A 302 that leaves the server (to the client's redirect URI).
    Redirect(url::Url),
    /// A page the server rendered instead (error, out-of-band, sign-in after a failure).
    Page { status: StatusCode, html: String },
}

impl Outcome {
    /// The redirect, or a panic naming what came instead.
    pub fn redirect(self) -> url::Url {
        match self {
            Outcome::Redirect(url) => url,
            Outcome::Page { status, html } => panic!("expected a redirect, got {status}: {html}"),
        }
    }

    /// The page, or a panic naming the redirect that came instead.
    pub fn page(self) -> (StatusCode, String) {
        match self {
            Outcome::Page { status, html } => (status, html),
            Outcome::Redirect(url) => panic!("expected a page, got a redirect to {url}"),
        }
    }
}

/// One person (their own cookie jar) against one simulator.
pub struct Person {
    pub http: reqwest::Client,
    pub base: String,
}

impl Person {
    pub fn new(sim: &Simulator) -> Self {
        Person {
            http: common::http(),
            base: sim.base_url(),
        }
    }

    /// `GET` a local path (with query).
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.http
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .expect("GET is answered")
    }

    /// `POST` a form to a local path.
    pub async fn post(&self, path: &str, form: &[(String, String)]) -> reqwest::Response {
        self.http
            .post(format!("{}{path}", self.base))
            .form(form)
            .send()
            .await
            .expect("POST is answered")
    }

    /// Posts the sign-in form found in `html` with these credentials.
    pub async fn sign_in(&self, html: &str, email: &str, password: &str) -> reqwest::Response {
        assert!(
            html.contains("action=\"/users/sign_in\""),
            "a sign-in form: {html}"
        );
        assert!(html.contains("id=\"user_email\"") && html.contains("name=\"user[email]\""));
        assert!(html.contains("id=\"user_password\"") && html.contains("name=\"user[password]\""));
        assert!(html.contains("name=\"commit\"") && html.contains("id=\"sign_in\""));
        let mut form = hidden_fields(html);
        form.push(("user[email]".into(), email.into()));
        form.push(("user[password]".into(), password.into()));
        form.push(("commit".into(), "Sign in".into()));
        self.post("/users/sign_in", &form).await
    }

    /// Runs an authorize request at `path` as `user`, answering a consent page with
    /// `decision` ("Authorize" or "Deny"), until the server redirects away or renders a page
    /// that is neither sign-in nor consent.
    pub async fn authorize(
        &self,
        path: &str,
        params: &[(&str, &str)],
        user: &User,
        decision: &str,
    ) -> Outcome {
        let query = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(params)
            .finish();
        let mut response = self.get(&format!("{path}?{query}")).await;
        for _ in 0..6 {
            let status = response.status();
            if status == StatusCode::FOUND {
                let location = location(&response);
                if location.starts_with('/') {
                    response = self.get(&location).await;
                    continue;
                }
                return Outcome::Redirect(url::Url::parse(&location).expect("absolute redirect"));
            }
            let html = response.text().await.expect("a body");
            if html.contains("id=\"user_email\"") {
                response = self.sign_in(&html, &user.email, &user.password).await;
            } else if html.contains("id=\"consent\"") {
                let mut form = hidden_fields(&html);
                form.push(("commit".into(), decision.into()));
                let action = form_action(&html, "consent");
                response = self.post(&action, &form).await;
            } else {
                return Outcome::Page { status, html };
            }
        }
        panic!("the authorize flow did not end");
    }
}

/// The `Location` header of a response.
pub fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get(reqwest::header::LOCATION)
        .expect("a Location header")
        .to_str()
        .expect("ASCII Location")
        .to_string()
}

pub use igtimi_sim::scrape::{hidden_fields, unescape};

/// The `action` of the form with this id.
pub fn form_action(html: &str, id: &str) -> String {
    igtimi_sim::scrape::form_action(html, id).expect("the form has an action")
}

/// The text of the element with this id.
pub fn element_text(html: &str, id: &str) -> String {
    let marker = format!("id=\"{id}\">");
    let start = html.find(&marker).expect("the element exists") + marker.len();
    let end = start + html[start..].find('<').expect("the element ends");
    unescape(&html[start..end])
}

/// A parameter of the redirect's query.
pub fn query_param(url: &url::Url, name: &str) -> Option<String> {
    url.query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// A parameter of the redirect's fragment.
pub fn fragment_param(url: &url::Url, name: &str) -> Option<String> {
    form_urlencoded::parse(url.fragment().unwrap_or("").as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// A fresh PKCE verifier and its S256 challenge, computed here independently of the server.
pub fn pkce_s256() -> (String, String) {
    let verifier = format!("{}-{}", random_hex(), random_hex());
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    (verifier, challenge)
}

fn random_hex() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// A demo client by name.
pub fn client(sim: &Simulator, name: &str) -> Client {
    sim.state()
        .world
        .clients
        .iter()
        .find(|c| c.name == name)
        .cloned()
        .unwrap_or_else(|| panic!("demo registers {name}"))
}

/// The demo sailor Bob, with his password.
pub fn bob(sim: &Simulator) -> User {
    sim.state()
        .world
        .user(igtimi_sim::demo::BOB)
        .cloned()
        .expect("demo has Bob")
}

/// `POST /oauth/token` with a form; returns status, headers and the JSON body.
pub async fn token_request(
    sim: &Simulator,
    form: &[(&str, &str)],
) -> (StatusCode, reqwest::header::HeaderMap, Value) {
    send_token_request(
        common::http()
            .post(format!("{}/oauth/token", sim.base_url()))
            .form(form),
    )
    .await
}

/// Sends a prepared token request; returns status, headers and the JSON body.
pub async fn send_token_request(
    request: reqwest::RequestBuilder,
) -> (StatusCode, reqwest::header::HeaderMap, Value) {
    let response = request.send().await.expect("token endpoint answers");
    let status = response.status();
    let headers = response.headers().clone();
    let body: Value = response.json().await.expect("a JSON body");
    (status, headers, body)
}

/// Is this access token accepted by the store now?
pub fn accepted(sim: &Simulator, token: &str) -> bool {
    let state = sim.state();
    state
        .store
        .authenticate(Some(token), state.clock.now_secs())
        .is_ok()
}

/// The demo's confidential app client.
pub const APP: &str = "Telltale";
/// The demo's public client.
pub const CLI: &str = "Igtimi command line (public client)";
/// The demo's Iternio-dialect client.
pub const ITERNIO: &str = "Telltale (Iternio dialect)";
/// The app's private-use redirect URI.
pub const APP_REDIRECT: &str = "io.telltale.app:/oauth/callback";
/// The out-of-band redirect URI.
pub const OOB: &str = "urn:ietf:wg:oauth:2.0:oob";

/// Runs the code flow for `client` as Bob with an S256 challenge, redirecting to
/// `redirect_uri`; returns the code and the verifier.
pub async fn obtain_code(
    sim: &Simulator,
    person: &Person,
    client: &Client,
    redirect_uri: &str,
) -> (String, String) {
    let (verifier, challenge) = pkce_s256();
    let params = [
        ("response_type", "code"),
        ("client_id", client.client_id.as_str()),
        ("redirect_uri", redirect_uri),
        ("state", "s1"),
        ("code_challenge", challenge.as_str()),
        ("code_challenge_method", "S256"),
    ];
    let url = person
        .authorize("/oauth/authorize", &params, &bob(sim), "Authorize")
        .await
        .redirect();
    let code = query_param(&url, "code").expect("a code in the redirect");
    (code, verifier)
}

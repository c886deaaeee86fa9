//! [`Provider`]: where and as whom the app signs in.

use crate::AuthError;
use std::fmt;
use url::Url;

/// An OAuth2 authorization server and this app's registration with it.
#[derive(Clone, PartialEq, Eq)]
pub struct Provider {
    /// The authorization endpoint the login webview opens (`{base}/oauth/authorize`).
    pub authorize_url: Url,
    /// The token endpoint (`{base}/oauth/token`).
    pub token_url: Url,
    /// The RFC 7009 revocation endpoint, when the server has one (`{base}/oauth/revoke`).
    pub revoke_url: Option<Url>,
    /// The app's client id.
    pub client_id: String,
    /// The app's client secret, if the server issued one. It ships inside the app, so it is
    /// treated as public: PKCE and `state`, not this, protect the sign-in.
    pub client_secret: Option<String>,
    /// Where the server sends the browser back (e.g. `io.telltale.app:/oauth/callback`).
    pub redirect_uri: Url,
    /// Scopes to request; empty means the server's default.
    pub scopes: Vec<String>,
    /// The server's issuer identifier (its base address): an authorization response that
    /// names another issuer in `iss` (RFC 9207) is a mix-up and ends the attempt.
    pub issuer: Url,
}

impl Provider {
    /// The standard endpoints of an Igtimi-compatible server at `base`: `oauth/authorize`,
    /// `oauth/token` and `oauth/revoke`, keeping any path prefix of `base`.
    pub fn igtimi(
        base: &Url,
        client_id: impl Into<String>,
        client_secret: Option<String>,
        redirect_uri: Url,
    ) -> Result<Self, AuthError> {
        let endpoint = |path: &str| endpoint_at(base, path);
        let provider = Self {
            authorize_url: endpoint("oauth/authorize")?,
            token_url: endpoint("oauth/token")?,
            revoke_url: Some(endpoint("oauth/revoke")?),
            client_id: client_id.into(),
            client_secret,
            redirect_uri,
            scopes: Vec::new(),
            issuer: base.clone(),
        };
        provider.check_endpoints()?;
        Ok(provider)
    }

    /// Iternio's OAuth2 dialect at `base`: `iternio/1/oauth/authorize` and
    /// `iternio/1/oauth/token`, keeping any path prefix of `base`; no revocation endpoint.
    /// `client_id` is Iternio's numeric client id and `api_key` the API key, sent as the
    /// client secret of the token call.
    pub fn iternio(
        base: &Url,
        client_id: impl Into<String>,
        api_key: impl Into<String>,
        redirect_uri: Url,
    ) -> Result<Self, AuthError> {
        let client_id = client_id.into();
        if client_id.is_empty() || !client_id.bytes().all(|b| b.is_ascii_digit()) {
            return Err(AuthError::Config {
                detail: "an Iternio client id is a number".into(),
            });
        }
        let api_key = api_key.into();
        if api_key.is_empty() {
            return Err(AuthError::Config {
                detail: "the Iternio API key is empty".into(),
            });
        }
        let provider = Self {
            authorize_url: endpoint_at(base, "iternio/1/oauth/authorize")?,
            token_url: endpoint_at(base, "iternio/1/oauth/token")?,
            revoke_url: None,
            client_id,
            client_secret: Some(api_key),
            redirect_uri,
            scopes: Vec::new(),
            issuer: base.clone(),
        };
        provider.check_endpoints()?;
        Ok(provider)
    }

    /// Whether `iss` from an authorization response names this provider (RFC 9207 §2.4:
    /// simple string comparison; a final `/` on either side is not a difference).
    pub fn is_issuer(&self, iss: &str) -> bool {
        iss.trim_end_matches('/') == self.issuer.as_str().trim_end_matches('/')
    }

    /// Refuses endpoints that would carry codes and tokens in clear over a network:
    /// every endpoint must be `https`, or `http` to a loopback address (the simulator).
    pub fn check_endpoints(&self) -> Result<(), AuthError> {
        if self.client_id.is_empty() {
            return Err(AuthError::Config {
                detail: "the client id is empty".into(),
            });
        }
        let endpoints = [
            ("authorization", Some(&self.authorize_url)),
            ("token", Some(&self.token_url)),
            ("revocation", self.revoke_url.as_ref()),
        ];
        for (name, url) in endpoints {
            if let Some(url) = url {
                if !is_secure_endpoint(url) {
                    return Err(AuthError::Config {
                        detail: format!(
                            "the {name} endpoint must use https (plain http only to this computer)"
                        ),
                    });
                }
            }
        }
        Ok(())
    }
}

/// `path` under `base`, keeping any path prefix of `base` (a missing final `/` is added).
pub(crate) fn endpoint_at(base: &Url, path: &str) -> Result<Url, AuthError> {
    let mut root = base.clone();
    if !root.path().ends_with('/') {
        let with_slash = format!("{}/", root.path());
        root.set_path(&with_slash);
    }
    root.join(path).map_err(|err| AuthError::Config {
        detail: format!("cannot build the {path} address: {err}"),
    })
}

/// `https`, or `http` to 127.0.0.0/8, `[::1]` or `localhost`.
pub(crate) fn is_secure_endpoint(url: &Url) -> bool {
    match url.scheme() {
        "https" => url.host().is_some(),
        "http" => igtimi_client::is_loopback(url),
        _ => false,
    }
}

impl fmt::Debug for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Provider")
            .field("authorize_url", &self.authorize_url.as_str())
            .field("token_url", &self.token_url.as_str())
            .field("revoke_url", &self.revoke_url.as_ref().map(Url::as_str))
            .field("client_id", &self.client_id)
            .field(
                "client_secret",
                &self.client_secret.as_ref().map(|_| "<redacted>"),
            )
            .field("redirect_uri", &self.redirect_uri.as_str())
            .field("scopes", &self.scopes)
            .field("issuer", &self.issuer.as_str())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(text: &str) -> Url {
        Url::parse(text).expect("test URL")
    }

    fn igtimi(base: &str) -> Result<Provider, AuthError> {
        Provider::igtimi(
            &url(base),
            "telltale",
            Some("shh-secret".into()),
            url("io.telltale.app:/oauth/callback"),
        )
    }

    #[test]
    fn igtimi_endpoints_keep_the_base_prefix() {
        let provider = igtimi("https://example.org/igtimi").expect("https base");
        assert_eq!(
            provider.authorize_url.as_str(),
            "https://example.org/igtimi/oauth/authorize"
        );
        assert_eq!(
            provider.token_url.as_str(),
            "https://example.org/igtimi/oauth/token"
        );
        assert_eq!(
            provider.revoke_url.as_ref().map(Url::as_str),
            Some("https://example.org/igtimi/oauth/revoke")
        );
    }

    #[test]
    fn plain_http_is_allowed_only_to_this_computer() {
        assert!(igtimi("http://127.0.0.1:4000").is_ok());
        assert!(igtimi("http://[::1]:4000").is_ok());
        assert!(igtimi("http://localhost:4000").is_ok());
        assert!(matches!(
            igtimi("http://example.org"),
            Err(AuthError::Config { .. })
        ));
        assert!(matches!(
            igtimi("ftp://example.org"),
            Err(AuthError::Config { .. })
        ));
    }

    #[test]
    fn iternio_endpoints_and_client_ids() {
        let redirect = url("io.telltale.app:/oauth/iternio");
        let provider = Provider::iternio(
            &url("https://example.org/x"),
            "4242",
            "key",
            redirect.clone(),
        )
        .expect("numeric id");
        assert_eq!(
            provider.authorize_url.as_str(),
            "https://example.org/x/iternio/1/oauth/authorize"
        );
        assert_eq!(
            provider.token_url.as_str(),
            "https://example.org/x/iternio/1/oauth/token"
        );
        assert_eq!(provider.revoke_url, None);
        assert_eq!(provider.client_secret.as_deref(), Some("key"));
        for (id, key) in [
            ("telltale", "key"),
            ("", "key"),
            ("42a", "key"),
            ("4242", ""),
        ] {
            assert!(
                matches!(
                    Provider::iternio(&url("https://example.org"), id, key, redirect.clone()),
                    Err(AuthError::Config { .. })
                ),
                "{id:?} {key:?}"
            );
        }
        assert!(matches!(
            Provider::iternio(&url("http://example.org"), "4242", "key", redirect),
            Err(AuthError::Config { .. })
        ));
    }

    #[test]
    fn debug_hides_the_client_secret() {
        let provider = igtimi("https://example.org").expect("provider");
        let shown = format!("{provider:?}");
        assert!(!shown.contains("shh-secret"), "{shown}");
        assert!(shown.contains("<redacted>"));
    }
}

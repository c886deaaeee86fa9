//! Where the login window may go: pages of the provider's origin load; the app's redirect
//! scheme is caught and handed to the callback handler, never loaded; everything else is
//! refused.

use telltale_core::accounts::check_endpoint;
use url::{Origin, Url};

/// What the login window does with a navigation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Navigation {
    /// A page of the provider: load it.
    Load,
    /// The redirect back to the app: hand it to the callback handler, do not load it.
    Callback,
    /// Anything else: refuse.
    Refuse,
}

/// Decides `url` for a login window that may show `provider` pages and whose callbacks use
/// `callback_scheme`. A provider page over plain http loads only from this computer (the
/// simulator): a password typed there would otherwise cross the network in clear.
pub fn decide(url: &Url, provider: &Origin, callback_scheme: &str) -> Navigation {
    if url.scheme().eq_ignore_ascii_case(callback_scheme) {
        Navigation::Callback
    } else if provider.is_tuple() && &url.origin() == provider && check_endpoint(url).is_ok() {
        Navigation::Load
    } else {
        Navigation::Refuse
    }
}

/// The sign-in window's title: the provider's host, as the address bar the window lacks
/// would show it, and whether the connection is encrypted. The profile's display name is
/// the user's own text and says nothing about where the page comes from.
pub fn title(host: &str, secure: bool) -> String {
    if secure {
        format!("Sign in at {host} (secure connection, https)")
    } else {
        format!("Sign in at {host} (this computer, http)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn provider() -> Origin {
        Url::parse("http://127.0.0.1:4567/oauth/authorize")
            .expect("url")
            .origin()
    }

    fn decide_str(url: &str) -> Navigation {
        decide(
            &Url::parse(url).expect("url"),
            &provider(),
            "io.telltale.app",
        )
    }

    #[test]
    fn provider_pages_load() {
        assert_eq!(
            decide_str("http://127.0.0.1:4567/users/sign_in"),
            Navigation::Load
        );
        assert_eq!(
            decide_str("http://127.0.0.1:4567/oauth/authorize?client_id=x"),
            Navigation::Load
        );
    }

    #[test]
    fn the_redirect_scheme_is_caught_whatever_its_case() {
        assert_eq!(
            decide_str("io.telltale.app:/oauth/callback?code=a&state=b"),
            Navigation::Callback
        );
        assert_eq!(decide_str("IO.Telltale.App:/x"), Navigation::Callback);
    }

    #[test]
    fn everything_else_is_refused() {
        for url in [
            "http://127.0.0.1:4568/users/sign_in",
            "https://127.0.0.1:4567/users/sign_in",
            "http://localhost:4567/",
            "https://evil.example/",
            "tauri://localhost/index.html",
            "http://tauri.localhost/",
            "ipc://localhost/app_status",
            "javascript:alert(1)",
            "data:text/html,hi",
            "file:///etc/passwd",
            "about:blank",
            "io.telltale.evil:/oauth/callback?code=a",
        ] {
            assert_eq!(decide_str(url), Navigation::Refuse, "{url}");
        }
    }

    #[test]
    fn plain_http_pages_load_only_from_this_computer() {
        let remote = Url::parse("http://club.example/oauth/authorize")
            .expect("url")
            .origin();
        let page = Url::parse("http://club.example/users/sign_in").expect("url");
        assert_eq!(
            decide(&page, &remote, "io.telltale.app"),
            Navigation::Refuse
        );
        let secure = Url::parse("https://club.example/oauth/authorize")
            .expect("url")
            .origin();
        let page = Url::parse("https://club.example/users/sign_in").expect("url");
        assert_eq!(decide(&page, &secure, "io.telltale.app"), Navigation::Load);
    }

    #[test]
    fn the_title_names_the_host_and_the_connection() {
        assert_eq!(
            title("wind.example.org", true),
            "Sign in at wind.example.org (secure connection, https)"
        );
        assert_eq!(
            title("127.0.0.1", false),
            "Sign in at 127.0.0.1 (this computer, http)"
        );
    }

    #[test]
    fn an_opaque_provider_origin_allows_nothing() {
        let opaque = Url::parse("data:text/html,x").expect("url").origin();
        let url = Url::parse("data:text/html,x").expect("url");
        assert_eq!(decide(&url, &opaque, "io.telltale.app"), Navigation::Refuse);
    }
}

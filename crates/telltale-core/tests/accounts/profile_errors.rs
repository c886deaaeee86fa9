//! Every `[[providers]]` mistake gives a clear error at its line.

use crate::{file_error, load};
use telltale_core::accounts::{IGTIMI_PROFILE_ID, SIMULATOR_PROFILE_ID};
use telltale_core::config::FILE_NAME;
use telltale_test_support::Scratch;

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
        scratch.write(
            FILE_NAME,
            &table(&format!("kind = \"token_api\"\nbase_url = \"{local}\"\n")),
        );
        load(scratch.path(), &[]).unwrap_or_else(|error| panic!("{local}: {error}"));
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
        message.contains("nowhere")
            && message.contains("igtimi, sapsailing, simulator, simulator-riot"),
        "{message}"
    );
}

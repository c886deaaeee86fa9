//! The token store against a real Secret Service (run through `scripts/with-keyring.sh`).

mod common;

use common::{isolated_keychain, token};
use telltale_keychain::{KeychainError, StoredToken};

#[test]
fn save_load_delete_round_trip() {
    let Some(keychain) = isolated_keychain("round_trip") else {
        return;
    };
    let saved = token("round-trip");
    keychain.save("skipper", &saved).expect("save");
    assert_eq!(keychain.load("skipper").expect("load"), Some(saved));
    keychain.delete("skipper").expect("delete");
    assert_eq!(keychain.load("skipper").expect("load after delete"), None);
}

#[test]
fn tokens_without_optional_fields_survive() {
    let Some(keychain) = isolated_keychain("minimal") else {
        return;
    };
    let minimal = StoredToken {
        access_token: "only-access".to_string(),
        refresh_token: None,
        expires_at: None,
        token_type: "bearer".to_string(),
        issuer: None,
        client_id: None,
    };
    keychain.save("skipper", &minimal).expect("save");
    assert_eq!(keychain.load("skipper").expect("load"), Some(minimal));
    keychain.delete("skipper").expect("delete");
}

#[test]
fn saving_again_replaces_the_token() {
    let Some(keychain) = isolated_keychain("overwrite") else {
        return;
    };
    keychain
        .save("skipper", &token("first"))
        .expect("first save");
    let second = token("second-and-longer");
    keychain.save("skipper", &second).expect("second save");
    assert_eq!(keychain.load("skipper").expect("load"), Some(second));

    // Replaced, not duplicated: one delete removes the only entry.
    keychain.delete("skipper").expect("delete");
    assert_eq!(keychain.load("skipper").expect("load after delete"), None);
}

#[test]
fn two_accounts_are_independent() {
    let Some(keychain) = isolated_keychain("two_accounts") else {
        return;
    };
    keychain
        .save("skipper", &token("skipper"))
        .expect("save skipper");
    keychain
        .save("navigator", &token("navigator"))
        .expect("save navigator");
    assert_eq!(
        keychain.load("skipper").expect("load"),
        Some(token("skipper"))
    );
    assert_eq!(
        keychain.load("navigator").expect("load"),
        Some(token("navigator"))
    );

    keychain.delete("skipper").expect("delete skipper");
    assert_eq!(keychain.load("skipper").expect("load"), None);
    assert_eq!(
        keychain.load("navigator").expect("load"),
        Some(token("navigator")),
        "deleting one account must leave the other"
    );
    keychain.delete("navigator").expect("delete navigator");
}

#[test]
fn services_do_not_see_each_others_entries() {
    let Some(first) = isolated_keychain("service_a") else {
        return;
    };
    let Some(second) = isolated_keychain("service_b") else {
        return;
    };
    first.save("skipper", &token("a")).expect("save");
    assert_eq!(second.load("skipper").expect("load"), None);
    first.delete("skipper").expect("delete");
}

#[test]
fn deleting_a_missing_entry_is_fine() {
    let Some(keychain) = isolated_keychain("delete_missing") else {
        return;
    };
    keychain
        .delete("nobody")
        .expect("delete of a missing entry");
    keychain.save("nobody", &token("x")).expect("save");
    keychain.delete("nobody").expect("delete");
    keychain.delete("nobody").expect("second delete");
}

#[test]
fn an_entry_that_is_not_a_token_is_corrupt_and_can_be_deleted() {
    let Some(keychain) = isolated_keychain("corrupt") else {
        return;
    };
    let raw = keyring::Entry::new(keychain.service(), "skipper").expect("raw entry");
    raw.set_password("hunter2 is not json")
        .expect("write raw secret");

    let error = keychain
        .load("skipper")
        .expect_err("non-JSON must not load");
    assert!(
        matches!(&error, KeychainError::Corrupt { account, .. } if account == "skipper"),
        "{error:?}"
    );
    let message = error.to_string();
    assert!(message.contains("damaged"), "{message}");
    assert!(!message.contains("hunter2"), "the secret leaked: {message}");

    // JSON of the wrong shape is just as unreadable.
    raw.set_password(r#"{"token": "abc"}"#)
        .expect("write raw json");
    assert!(matches!(
        keychain.load("skipper"),
        Err(KeychainError::Corrupt { .. })
    ));

    keychain
        .delete("skipper")
        .expect("the caller can delete it");
    assert_eq!(keychain.load("skipper").expect("load"), None);
}

#[test]
fn the_entry_holds_the_token_as_one_json_string() {
    let Some(keychain) = isolated_keychain("json_format") else {
        return;
    };
    keychain.save("skipper", &token("format")).expect("save");
    let raw = keyring::Entry::new(keychain.service(), "skipper").expect("raw entry");
    let text = raw.get_password().expect("raw read");
    let value: serde_json::Value = serde_json::from_str(&text).expect("entry is JSON");
    assert_eq!(value["access_token"], "access-format");
    assert_eq!(value["refresh_token"], "refresh-format");
    assert_eq!(value["expires_at"], 1_700_000_006u64);
    assert_eq!(value["token_type"], "Bearer");
    keychain.delete("skipper").expect("delete");
}

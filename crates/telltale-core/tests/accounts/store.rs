//! The account list in memory and its round trip through `accounts.json`.

use std::ffi::OsString;
use std::path::PathBuf;
use telltale_core::accounts::{
    AccountKey, AccountList, AccountRecord, AccountsError, SignInMethod, ACCOUNTS_FILE,
};
use telltale_core::config::{config_dir_with, ENV_CONFIG_DIR};
use telltale_test_support::Scratch;

pub fn record(profile: &str, user: &str, name: &str, now: u64) -> AccountRecord {
    AccountRecord::new(
        profile,
        user,
        name,
        Some(&format!("{user}@{profile}.example")),
        SignInMethod::Code,
        Some(now + 3600),
        now,
    )
    .expect("a valid record")
}

fn key(text: &str) -> AccountKey {
    AccountKey::parse(text).expect("a valid key")
}

#[test]
fn the_list_survives_a_round_trip_in_a_stable_order_with_the_active_account() {
    let scratch = Scratch::new("round_trip");
    let mut list = AccountList::open(scratch.path()).expect("no file is an empty list");
    assert!(list.accounts().is_empty());
    assert_eq!(list.active(), None);
    assert_eq!(list.path(), scratch.path().join(ACCOUNTS_FILE));

    // The same user id at two providers is two accounts.
    list.upsert(record("simulator", "1373", "Bob Smith", 100));
    list.upsert(record("igtimi", "1373", "Bob at Igtimi", 200));
    list.upsert(record("abrp", "9", "Ana", 300));
    list.set_active(&key("igtimi/1373"), 400).expect("listed");
    list.save().expect("save");

    let again = AccountList::open(scratch.path()).expect("reopen");
    assert_eq!(again, list);
    let keys: Vec<&str> = again.accounts().iter().map(|r| r.key.as_str()).collect();
    assert_eq!(keys, ["simulator/1373", "igtimi/1373", "abrp/9"]);
    let active = again.active().expect("remembered");
    assert_eq!(active.key.as_str(), "igtimi/1373");
    assert_eq!(active.display_name, "Bob at Igtimi");
    assert_eq!(active.email.as_deref(), Some("1373@igtimi.example"));
    assert_eq!(active.method, SignInMethod::Code);
    assert_eq!(active.token_expires_at, Some(3800));
    assert_eq!((active.added_at, active.last_used_at), (200, 400));

    let text = std::fs::read_to_string(list.path()).expect("read");
    let json: serde_json::Value = serde_json::from_str(&text).expect("json");
    assert_eq!(json["version"], 1);
    assert_eq!(json["active"], "igtimi/1373");
    assert_eq!(json["accounts"][0]["method"], "code");
    for secret_word in ["access_token", "refresh_token", "password", "secret"] {
        assert!(!text.contains(secret_word), "{secret_word} in {text}");
    }
}

#[test]
fn signing_in_again_replaces_the_account_in_place_and_keeps_when_it_was_added() {
    let scratch = Scratch::new("upsert");
    let mut list = AccountList::open(scratch.path()).expect("open");
    list.upsert(record("simulator", "1", "One", 100));
    list.upsert(record("simulator", "2", "Two", 150));
    let mut newer = record("simulator", "1", "One, renamed", 500);
    newer.method = SignInMethod::Password;
    list.upsert(newer);
    assert_eq!(list.accounts().len(), 2);
    let first = list.accounts().first().expect("first");
    assert_eq!(first.key.as_str(), "simulator/1", "the order is unchanged");
    assert_eq!(first.display_name, "One, renamed");
    assert_eq!(first.method, SignInMethod::Password);
    assert_eq!((first.added_at, first.last_used_at), (100, 500));
}

#[test]
fn removing_an_account_forgets_it_and_the_active_mark() {
    let scratch = Scratch::new("remove");
    let mut list = AccountList::open(scratch.path()).expect("open");
    list.upsert(record("simulator", "1", "One", 100));
    list.upsert(record("simulator", "2", "Two", 100));
    list.set_active(&key("simulator/2"), 200).expect("listed");

    let removed = list.remove(&key("simulator/1")).expect("listed");
    assert_eq!(removed.display_name, "One");
    assert_eq!(list.active().map(|r| r.key.as_str()), Some("simulator/2"));
    list.remove(&key("simulator/2")).expect("listed");
    assert_eq!(list.active(), None, "the active account was removed");
    list.save().expect("save");
    let again = AccountList::open(scratch.path()).expect("reopen");
    assert!(again.accounts().is_empty());
    assert_eq!(again.active(), None);

    match list.remove(&key("simulator/1")) {
        Err(error @ AccountsError::UnknownAccount { .. }) => {
            assert!(error.to_string().contains("simulator/1"), "{error}");
        }
        other => panic!("expected UnknownAccount, got {other:?}"),
    }
    assert!(matches!(
        list.set_active(&key("simulator/9"), 1),
        Err(AccountsError::UnknownAccount { .. })
    ));
    list.upsert(record("simulator", "3", "Three", 100));
    list.set_active(&key("simulator/3"), 300).expect("listed");
    list.clear_active();
    assert_eq!(list.active(), None);
}

#[test]
fn switching_marks_the_account_as_used() {
    let scratch = Scratch::new("switch");
    let mut list = AccountList::open(scratch.path()).expect("open");
    list.upsert(record("simulator", "1", "One", 100));
    list.upsert(record("simulator", "2", "Two", 100));
    list.set_active(&key("simulator/1"), 200).expect("listed");
    list.set_active(&key("simulator/2"), 300).expect("listed");
    let used: Vec<u64> = list.accounts().iter().map(|r| r.last_used_at).collect();
    assert_eq!(used, [200, 300]);
    assert_eq!(list.active().map(|r| r.key.as_str()), Some("simulator/2"));
}

#[test]
fn keys_and_records_are_checked() {
    let parsed = key("simulator/some/user");
    assert_eq!(parsed.profile_id(), "simulator");
    assert_eq!(parsed.user_id(), "some/user");
    for bad in [
        "no-slash",
        "/1373",
        "simulator/",
        "Simulator/1",
        "sim ulator/1",
        "simulator/ 1",
        "simulator/a\nb",
    ] {
        match AccountKey::parse(bad) {
            Err(error @ AccountsError::InvalidAccount { .. }) => {
                assert!(error.to_string().starts_with("invalid account"), "{error}");
            }
            other => panic!("{bad:?}: expected InvalidAccount, got {other:?}"),
        }
    }
    let long = "x".repeat(201);
    assert!(AccountKey::new("simulator", &long).is_err());

    let unnamed = AccountRecord::new(
        "simulator",
        "7",
        "  ",
        Some(" kai@x.example "),
        SignInMethod::TokenApi,
        None,
        5,
    )
    .expect("valid");
    assert_eq!(unnamed.display_name, "kai@x.example");
    assert_eq!(unnamed.email.as_deref(), Some("kai@x.example"));
    let bare = AccountRecord::new("simulator", "7", "", None, SignInMethod::Implicit, None, 5)
        .expect("valid");
    assert_eq!(bare.display_name, "7");
    assert!(AccountRecord::new(
        "simulator",
        "7",
        "bad\u{7}name",
        None,
        SignInMethod::Code,
        None,
        5
    )
    .is_err());
}

#[test]
fn the_list_lives_in_the_config_dir_which_the_variable_overrides() {
    let named = PathBuf::from("/somewhere/telltale-test");
    let from_env = config_dir_with(
        |name| (name == ENV_CONFIG_DIR).then(|| OsString::from(&named)),
        Some(PathBuf::from("/home/sailor/.config")),
    )
    .expect("dir");
    assert_eq!(from_env, Some(named));
    let standard =
        config_dir_with(|_| None, Some(PathBuf::from("/home/sailor/.config"))).expect("dir");
    assert_eq!(
        standard,
        Some(PathBuf::from("/home/sailor/.config/telltale"))
    );
    assert_eq!(config_dir_with(|_| None, None).expect("dir"), None);

    // The folder is created on the first save.
    let scratch = Scratch::new("creates_dir");
    let nested = scratch.path().join("a").join("telltale");
    let mut list = AccountList::open(&nested).expect("open");
    list.upsert(record("simulator", "1", "One", 1));
    list.save().expect("save creates the folder");
    assert_eq!(
        AccountList::open(&nested).expect("reopen").accounts().len(),
        1
    );
}

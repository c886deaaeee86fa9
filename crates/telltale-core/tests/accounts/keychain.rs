//! Each account's tokens in its own keychain entry, against the real Secret Service (run
//! inside `scripts/with-keyring.sh`; skipped, and said so, without it).

use crate::sim::{code_sign_in, password_sign_in, simulator_profile, start_sim};
use crate::store::record;
use igtimi_sim::demo::{ANA, BOB};
use telltale_core::accounts::{keychain_entry, AccountKey, AccountList, SignInMethod};
use telltale_core::tokens::KEYCHAIN_SERVICE;
use telltale_keychain::Keychain;
use telltale_test_support::{keyring, Scratch};

#[test]
fn the_entry_is_the_service_and_the_account_key() {
    let key = AccountKey::new("simulator", "1373").expect("key");
    let entry = keychain_entry(KEYCHAIN_SERVICE, &key);
    assert_eq!(entry.service, "io.telltale.app");
    assert_eq!(entry.account, "simulator/1373");
    let other = keychain_entry(
        KEYCHAIN_SERVICE,
        &AccountKey::new("igtimi", "1373").expect("key"),
    );
    assert_ne!(
        entry, other,
        "the same user at another provider is another entry"
    );
}

/// A keychain service no other test uses, or `None` (skip) outside the keyring harness.
fn isolated_service(test: &str) -> Option<String> {
    if keyring::skip_outside_harness(
        test,
        "scripts/with-keyring.sh cargo test -p telltale-core --test accounts",
    ) {
        return None;
    }
    Some(format!(
        "io.telltale.test.accounts.{test}.{}",
        std::process::id()
    ))
}

#[tokio::test]
async fn two_accounts_keep_their_tokens_in_two_entries_and_signing_out_of_one_keeps_the_other() {
    let Some(service) = isolated_service("two_entries") else {
        return;
    };
    let sim = start_sim().await;
    let profile = simulator_profile(&sim);
    let bob_tokens = code_sign_in(&sim, &profile, BOB).await;
    let ana_tokens = password_sign_in(&profile, ANA).await;
    assert_ne!(bob_tokens.access_token, ana_tokens.access_token);

    let scratch = Scratch::new("two_entries");
    let mut list = AccountList::open(scratch.path()).expect("open");
    let mut bob = record(&profile.id, &BOB.to_string(), "Bob Smith", 10);
    bob.method = SignInMethod::Code;
    let mut ana = record(&profile.id, &ANA.to_string(), "Ana", 20);
    ana.method = SignInMethod::Password;
    let (bob_key, ana_key) = (bob.key.clone(), ana.key.clone());
    list.upsert(bob);
    list.upsert(ana);
    list.set_active(&ana_key, 30).expect("listed");
    list.save().expect("save");

    let bob_vault = keychain_entry(&service, &bob_key).vault();
    let ana_vault = keychain_entry(&service, &ana_key).vault();
    bob_vault.save(&bob_tokens).await.expect("bob saved");
    ana_vault.save(&ana_tokens).await.expect("ana saved");

    // Two entries, each holding its own account's token, seen straight in the keychain.
    let raw = Keychain::new(&service);
    let (raw_bob, raw_ana) = tokio::task::spawn_blocking({
        let raw = raw.clone();
        move || (raw.load("simulator/1373"), raw.load("simulator/1374"))
    })
    .await
    .expect("join");
    assert_eq!(
        raw_bob
            .expect("readable")
            .expect("bob's entry")
            .access_token,
        bob_tokens.access_token.expose_secret()
    );
    assert_eq!(
        raw_ana
            .expect("readable")
            .expect("ana's entry")
            .access_token,
        ana_tokens.access_token.expose_secret()
    );
    let loaded = bob_vault.load().await.expect("load").expect("saved");
    assert_eq!(loaded.access_token, bob_tokens.access_token);
    assert_eq!(loaded.refresh_token, bob_tokens.refresh_token);

    // Signing out of Ana: her entry and list record go, Bob's stay.
    ana_vault.delete().await.expect("delete");
    list.remove(&ana_key).expect("listed");
    list.save().expect("save");
    assert_eq!(ana_vault.load().await.expect("load"), None);
    let kept = bob_vault
        .load()
        .await
        .expect("load")
        .expect("bob's entry stays");
    assert_eq!(kept.access_token, bob_tokens.access_token);
    let reopened = AccountList::open(scratch.path()).expect("reopen");
    let keys: Vec<&str> = reopened.accounts().iter().map(|r| r.key.as_str()).collect();
    assert_eq!(keys, ["simulator/1373"]);
    assert_eq!(reopened.active(), None);

    bob_vault.delete().await.expect("clean up");
}

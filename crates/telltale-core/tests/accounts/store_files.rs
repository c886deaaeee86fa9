//! `accounts.json` on disk: damaged and newer files are never lost, writes are atomic and
//! private.

use crate::store::record;
use std::path::Path;
use telltale_core::accounts::{AccountList, AccountsError, ACCOUNTS_FILE};
use telltale_test_support::Scratch;

fn write_file(dir: &Path, text: &str) {
    std::fs::write(dir.join(ACCOUNTS_FILE), text).expect("write accounts.json");
}

fn one_account(dir: &Path) -> AccountList {
    let mut list = AccountList::open(dir).expect("open");
    list.upsert(record("simulator", "1373", "Bob Smith", 100));
    list.save().expect("save");
    list
}

const DAMAGED: [(&str, &str); 7] = [
    ("not json", "{\"version\": 1, \"accounts\": ["),
    ("no version", "{\"accounts\": []}"),
    (
        "version zero",
        "{\"version\": 0, \"active\": null, \"accounts\": []}",
    ),
    (
        "wrong shape",
        "{\"version\": 1, \"active\": null, \"accounts\": {}}",
    ),
    (
        "key mismatch",
        r#"{"version":1,"active":null,"accounts":[{"key":"simulator/2","profile_id":"simulator","user_id":"1","display_name":"x","email":null,"method":"code","token_expires_at":null,"added_at":1,"last_used_at":1}]}"#,
    ),
    (
        "listed twice",
        r#"{"version":1,"active":null,"accounts":[{"key":"simulator/1","profile_id":"simulator","user_id":"1","display_name":"x","email":null,"method":"code","token_expires_at":null,"added_at":1,"last_used_at":1},{"key":"simulator/1","profile_id":"simulator","user_id":"1","display_name":"y","email":null,"method":"code","token_expires_at":null,"added_at":1,"last_used_at":1}]}"#,
    ),
    (
        "active not listed",
        r#"{"version":1,"active":"simulator/9","accounts":[]}"#,
    ),
];

#[test]
fn a_damaged_file_is_an_error_and_is_left_untouched() {
    for (what, text) in DAMAGED {
        let scratch = Scratch::new("damaged");
        write_file(scratch.path(), text);
        match AccountList::open(scratch.path()) {
            Err(error @ AccountsError::Damaged { .. }) => {
                let shown = error.to_string();
                assert!(
                    shown.contains(ACCOUNTS_FILE) && shown.contains("untouched"),
                    "{what}: {shown}"
                );
            }
            other => panic!("{what}: expected Damaged, got {other:?}"),
        }
        let after =
            std::fs::read_to_string(scratch.path().join(ACCOUNTS_FILE)).expect("still there");
        assert_eq!(after, text, "{what}: not changed");
        assert_eq!(
            scratch.file_names(),
            [ACCOUNTS_FILE],
            "{what}: nothing else written"
        );
    }
}

#[test]
fn a_file_from_a_newer_telltale_is_an_error_and_is_left_untouched() {
    let scratch = Scratch::new("newer");
    let text = r#"{"version": 2, "profiles_moved_here": true, "accounts": "elsewhere"}"#;
    write_file(scratch.path(), text);
    match AccountList::open(scratch.path()) {
        Err(
            error @ AccountsError::NewerVersion {
                version: 2,
                supported: 1,
                ..
            },
        ) => {
            assert!(error.to_string().contains("newer Telltale"), "{error}");
        }
        other => panic!("expected NewerVersion, got {other:?}"),
    }
    assert_eq!(
        std::fs::read_to_string(scratch.path().join(ACCOUNTS_FILE)).expect("read"),
        text
    );
}

#[test]
fn starting_afresh_keeps_the_unreadable_file_aside_and_says_so() {
    for (what, text) in [
        ("damaged", "not json at all"),
        ("newer", r#"{"version": 7}"#),
    ] {
        let scratch = Scratch::new("afresh");
        write_file(scratch.path(), text);
        let (mut list, set_aside) =
            AccountList::open_or_start_afresh(scratch.path()).expect("afresh");
        assert!(list.accounts().is_empty(), "{what}");
        let set_aside = set_aside.expect("it says so");
        let kept_name = set_aside
            .kept_as
            .file_name()
            .and_then(|n| n.to_str())
            .expect("name")
            .to_string();
        assert!(
            kept_name.starts_with("accounts.json.bad-"),
            "{what}: {kept_name}"
        );
        assert_eq!(
            std::fs::read_to_string(&set_aside.kept_as).expect("kept"),
            text,
            "{what}: nothing lost"
        );
        let message = set_aside.to_string();
        assert!(
            message.contains(&kept_name)
                && message.contains("new, empty")
                && message.contains(if what == "damaged" {
                    "damaged"
                } else {
                    "newer Telltale"
                }),
            "{what}: {message}"
        );

        // The new list saves beside the kept copy.
        list.upsert(record("simulator", "1", "One", 1));
        list.save().expect("save");
        assert_eq!(
            scratch.file_names(),
            [ACCOUNTS_FILE.to_string(), kept_name],
            "{what}"
        );
        assert_eq!(
            AccountList::open(scratch.path())
                .expect("reopen")
                .accounts()
                .len(),
            1
        );
    }
}

#[test]
fn a_good_file_opens_without_being_set_aside_and_kept_copies_never_clobber_each_other() {
    let scratch = Scratch::new("kept_copies");
    one_account(scratch.path());
    let (list, set_aside) = AccountList::open_or_start_afresh(scratch.path()).expect("open");
    assert_eq!(set_aside, None);
    assert_eq!(list.accounts().len(), 1);

    write_file(scratch.path(), "first bad");
    let (_, first) = AccountList::start_afresh(scratch.path()).expect("afresh");
    write_file(scratch.path(), "second bad");
    let (_, second) = AccountList::start_afresh(scratch.path()).expect("afresh");
    let (first, second) = (first.expect("kept"), second.expect("kept"));
    assert_ne!(first.kept_as, second.kept_as);
    assert_eq!(
        std::fs::read_to_string(&first.kept_as).expect("first"),
        "first bad"
    );
    assert_eq!(
        std::fs::read_to_string(&second.kept_as).expect("second"),
        "second bad"
    );
    let (_, none) = AccountList::start_afresh(scratch.path()).expect("no file");
    assert_eq!(none, None, "nothing to keep");
}

#[test]
fn saving_never_replaces_a_file_that_turned_unreadable_meanwhile() {
    let scratch = Scratch::new("no_clobber");
    let list = one_account(scratch.path());
    for text in ["garbage", r#"{"version": 3}"#] {
        write_file(scratch.path(), text);
        let error = list.save().expect_err("refuses");
        assert!(
            matches!(
                error,
                AccountsError::Damaged { .. } | AccountsError::NewerVersion { .. }
            ),
            "{error:?}"
        );
        assert_eq!(std::fs::read_to_string(list.path()).expect("read"), text);
    }
}

#[test]
fn writes_are_atomic_and_leave_no_temporary_files() {
    let scratch = Scratch::new("atomic");
    one_account(scratch.path());
    let dir = scratch.path().to_path_buf();
    let writer = std::thread::spawn(move || {
        for round in 0..60u64 {
            let mut list = AccountList::open(&dir).expect("open");
            for user in 0..(round % 7) {
                list.upsert(record(
                    "simulator",
                    &format!("{round}-{user}"),
                    "Long display name to make the file bigger",
                    round,
                ));
            }
            list.save().expect("save");
        }
    });
    // A reader never sees a half-written file.
    let mut reads = 0;
    while !writer.is_finished() {
        AccountList::open(scratch.path()).expect("every read sees a whole file");
        reads += 1;
    }
    writer.join().expect("writer");
    assert!(reads > 0);
    assert_eq!(
        scratch.file_names(),
        [ACCOUNTS_FILE],
        "no temporary file is left"
    );
}

#[cfg(unix)]
#[test]
fn the_file_and_a_new_folder_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let scratch = Scratch::new("permissions");
    let dir = scratch.path().join("telltale");
    let list = one_account(&dir);
    let mode = |path: &Path| std::fs::metadata(path).expect("stat").permissions().mode() & 0o777;
    assert_eq!(mode(list.path()), 0o600);
    assert_eq!(mode(&dir), 0o700);

    // A file someone left readable by all is replaced by a private one.
    std::fs::set_permissions(list.path(), std::fs::Permissions::from_mode(0o644)).expect("chmod");
    list.save().expect("save");
    assert_eq!(mode(list.path()), 0o600);
}

#[test]
fn a_list_that_cannot_be_written_says_where() {
    let scratch = Scratch::new("unwritable");
    // A file where the folder should be.
    let blocker = scratch.path().join("not-a-folder");
    std::fs::write(&blocker, "x").expect("write");
    let mut list = AccountList::open(&blocker.join("telltale")).expect("nothing to read");
    list.upsert(record("simulator", "1", "One", 1));
    match list.save() {
        Err(error @ AccountsError::Unwritable { .. }) => {
            assert!(
                error.to_string().contains("cannot save the account list"),
                "{error}"
            );
        }
        other => panic!("expected Unwritable, got {other:?}"),
    }
}

//! Precedence and error reporting of the settings loader.

use super::*;
use std::collections::HashMap;
use std::path::Path;
use telltale_test_support::Scratch;

/// Loads with exactly the given variables and the file in `dir` (via TELLTALE_CONFIG_DIR).
fn load(dir: &Path, vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
    let mut env: HashMap<String, OsString> = vars
        .iter()
        .map(|(name, value)| (name.to_string(), OsString::from(value)))
        .collect();
    env.insert(ENV_CONFIG_DIR.to_string(), dir.as_os_str().to_owned());
    Config::load_with(|name| env.get(name).cloned(), None)
}

fn in_file_error(result: Result<Config, ConfigError>) -> (usize, String, String) {
    match result {
        Err(error @ ConfigError::InFile { .. }) => {
            let shown = error.to_string();
            let ConfigError::InFile { line, message, .. } = error else {
                unreachable!("matched above")
            };
            (line, message, shown)
        }
        other => panic!("expected an error in the file, got {other:?}"),
    }
}

#[test]
fn without_file_or_variables_it_is_the_demo_on_the_default_server() {
    let scratch = Scratch::new("defaults");
    let config = load(scratch.path(), &[]).expect("load");
    assert_eq!(config, Config::default());
    assert_eq!(config.server, DEFAULT_SERVER);
    assert_eq!(config.source_file, None);
    assert_eq!(config.mode(), Mode::Demo);
}

#[test]
fn the_file_supplies_every_setting() {
    let scratch = Scratch::new("file");
    let path = scratch.write(
        FILE_NAME,
        "server = \"https://igtimi.example.org/base/\"\n\
         client_id = \"abc123\"\n\
         client_secret = \"s3cret\"\n\
         scopes = [\"read\", \"write\"]\n",
    );
    let config = load(scratch.path(), &[]).expect("load");
    assert_eq!(config.source_file.as_deref(), Some(path.as_path()));
    assert_eq!(
        config.mode(),
        Mode::Igtimi {
            server: "https://igtimi.example.org/base".to_string(),
            client_id: "abc123".to_string(),
            client_secret: Some("s3cret".to_string()),
            scopes: vec!["read".to_string(), "write".to_string()],
        }
    );
}

#[test]
fn environment_variables_override_the_file() {
    let scratch = Scratch::new("precedence");
    scratch.write(
        FILE_NAME,
        "server = \"https://file.example\"\nclient_id = \"from-file\"\n\
         client_secret = \"file-secret\"\nscopes = [\"read\"]\n",
    );
    let config = load(
        scratch.path(),
        &[
            (ENV_SERVER, "http://127.0.0.1:8080/"),
            (ENV_CLIENT_ID, "from-env"),
            (ENV_CLIENT_SECRET, "env-secret"),
        ],
    )
    .expect("load");
    assert_eq!(config.server, "http://127.0.0.1:8080");
    assert_eq!(config.client_id.as_deref(), Some("from-env"));
    assert_eq!(config.client_secret.as_deref(), Some("env-secret"));
    assert_eq!(
        config.scopes,
        vec!["read".to_string()],
        "no variable, file wins"
    );

    // Only the variables that are set override.
    let partly = load(scratch.path(), &[(ENV_CLIENT_ID, "from-env")]).expect("load");
    assert_eq!(partly.server, "https://file.example");
    assert_eq!(partly.client_secret.as_deref(), Some("file-secret"));
}

#[test]
fn empty_variables_clear_the_setting() {
    let scratch = Scratch::new("empty_env");
    scratch.write(
        FILE_NAME,
        "server = \"https://file.example\"\nclient_id = \"from-file\"\n",
    );
    let config = load(scratch.path(), &[(ENV_CLIENT_ID, ""), (ENV_SERVER, " ")]).expect("load");
    assert_eq!(config.mode(), Mode::Demo);
    assert_eq!(config.server, DEFAULT_SERVER);
}

#[test]
fn a_blank_client_id_in_the_file_means_demo() {
    let scratch = Scratch::new("blank_id");
    scratch.write(FILE_NAME, "client_id = \"   \"\n");
    assert_eq!(load(scratch.path(), &[]).expect("load").mode(), Mode::Demo);
}

#[test]
fn the_config_dir_variable_beats_the_user_config_dir() {
    let user = Scratch::new("user_dir");
    std::fs::create_dir_all(user.path().join("telltale")).expect("mkdir");
    std::fs::write(
        user.path().join("telltale").join(FILE_NAME),
        "client_id = \"from-user-dir\"\n",
    )
    .expect("write");
    let overridden = Scratch::new("override_dir");
    overridden.write(FILE_NAME, "client_id = \"from-override\"\n");

    let from_user = Config::load_with(|_| None, Some(user.path().to_path_buf())).expect("load");
    assert_eq!(from_user.client_id.as_deref(), Some("from-user-dir"));

    let dir = overridden.path().to_path_buf().into_os_string();
    let from_override = Config::load_with(
        |name| (name == ENV_CONFIG_DIR).then(|| dir.clone()),
        Some(user.path().to_path_buf()),
    )
    .expect("load");
    assert_eq!(from_override.client_id.as_deref(), Some("from-override"));
}

#[test]
fn malformed_toml_names_the_file_and_line() {
    let scratch = Scratch::new("malformed");
    let path = scratch.write(
        FILE_NAME,
        "server = \"https://ok.example\"\n\nclient_id = \"unterminated\n",
    );
    let (line, _, shown) = in_file_error(load(scratch.path(), &[]));
    assert_eq!(line, 3);
    assert!(shown.contains(&path.display().to_string()), "{shown}");
    assert!(shown.contains("line 3"), "{shown}");
}

#[test]
fn unknown_keys_are_reported_with_their_line() {
    let scratch = Scratch::new("unknown_key");
    scratch.write(
        FILE_NAME,
        "server = \"https://ok.example\"\nclientid = \"typo\"\n",
    );
    let (line, message, _) = in_file_error(load(scratch.path(), &[]));
    assert_eq!(line, 2);
    assert!(message.contains("unknown setting"), "{message}");
    assert!(message.contains("clientid"), "{message}");
    assert!(
        message.contains("client_id"),
        "the known keys are listed: {message}"
    );
}

#[test]
fn wrong_types_are_reported_with_their_line() {
    let scratch = Scratch::new("wrong_type");
    scratch.write(FILE_NAME, "client_id = \"x\"\nscopes = \"read\"\n");
    let (line, message, _) = in_file_error(load(scratch.path(), &[]));
    assert_eq!(line, 2);
    assert!(
        message.contains("sequence") || message.contains("array"),
        "{message}"
    );
}

#[test]
fn a_bad_server_is_rejected_where_it_was_written() {
    let scratch = Scratch::new("bad_server");
    scratch.write(
        FILE_NAME,
        "# provider\n\nserver = \"ftp://files.example\"\n",
    );
    let (line, message, _) = in_file_error(load(scratch.path(), &[]));
    assert_eq!(line, 3);
    assert!(message.contains("http:// or https://"), "{message}");

    // A bad variable is named even when the file is fine.
    let clean = Scratch::new("bad_server_env");
    for bad in [
        "not a url",
        "https://host/?q=1",
        "https://user:pw@host",
        "mailto:x@y",
    ] {
        match load(clean.path(), &[(ENV_SERVER, bad)]) {
            Err(error @ ConfigError::InEnvironment { .. }) => {
                assert!(error.to_string().contains(ENV_SERVER), "{error}");
            }
            other => panic!("{bad}: expected an environment error, got {other:?}"),
        }
    }
}

#[test]
fn bad_scopes_are_rejected_with_their_line() {
    let scratch = Scratch::new("bad_scope");
    scratch.write(FILE_NAME, "scopes = [\n  \"read\",\n  \"two words\",\n]\n");
    let (line, message, _) = in_file_error(load(scratch.path(), &[]));
    assert_eq!(line, 3);
    assert!(message.contains("two words"), "{message}");
}

#[test]
fn an_unreadable_file_is_named() {
    let scratch = Scratch::new("unreadable");
    std::fs::create_dir_all(scratch.path().join(FILE_NAME))
        .expect("a directory where the file goes");
    match load(scratch.path(), &[]) {
        Err(error @ ConfigError::Unreadable { .. }) => {
            assert!(error.to_string().contains(FILE_NAME), "{error}");
        }
        other => panic!("expected Unreadable, got {other:?}"),
    }
}

#[cfg(unix)]
#[test]
fn a_variable_that_is_not_text_is_an_error() {
    use std::os::unix::ffi::OsStringExt;
    let scratch = Scratch::new("not_utf8");
    let dir = scratch.path().to_path_buf().into_os_string();
    let result = Config::load_with(
        |name| match name {
            ENV_CONFIG_DIR => Some(dir.clone()),
            ENV_CLIENT_ID => Some(OsString::from_vec(vec![0x61, 0xff, 0x62])),
            _ => None,
        },
        None,
    );
    match result {
        Err(ConfigError::InEnvironment { variable, .. }) => assert_eq!(variable, ENV_CLIENT_ID),
        other => panic!("expected an environment error, got {other:?}"),
    }
}

#[test]
fn debug_hides_the_client_secret() {
    let config = Config {
        client_id: Some("id".into()),
        client_secret: Some("TOPSECRET".into()),
        ..Config::default()
    };
    let shown = format!("{config:?}");
    assert!(!shown.contains("TOPSECRET"), "{shown}");
    assert!(shown.contains("<redacted>"), "{shown}");
}

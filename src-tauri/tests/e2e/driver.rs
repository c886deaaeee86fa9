//! The tauri-driver process: where it is, the environment it (and so the app) gets, and a
//! blocking way to end a session from `Drop`.

use crate::{system_browser, Failure};
use igtimi_sim::Simulator;
use std::ffi::OsString;
use std::io::Write as _;
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// Variables passed on from the test's environment to tauri-driver and so to the app.
const KEPT: &[&str] = &[
    "PATH",
    "HOME",
    "USER",
    "LOGNAME",
    "LANG",
    "LC_ALL",
    "TMPDIR",
    "DISPLAY",
    "XAUTHORITY",
    "DBUS_SESSION_BUS_ADDRESS",
    "XDG_RUNTIME_DIR",
    "TELLTALE_REQUIRE_KEYRING",
];
/// Prefixes of rendering and JavaScript engine knobs that are passed on too (e.g.
/// `WEBKIT_DISABLE_DMABUF_RENDERER`, `JSC_logGC`).
const KEPT_PREFIXES: &[&str] = &["JSC_", "WEBKIT_", "GDK_", "GTK_", "LIBGL_", "GSK_"];

/// Starts tauri-driver in its own process group with the app's environment (changed by
/// `overrides`); its output (and the app's) goes to `<dir>/driver.log`.
pub fn spawn_driver(
    dir: &Path,
    sim: &Simulator,
    port: u16,
    native_port: u16,
    overrides: &[(&str, &str)],
) -> Result<Child, Failure> {
    let mut command = Command::new(tauri_driver());
    command
        .arg("--port")
        .arg(port.to_string())
        .arg("--native-port")
        .arg(native_port.to_string())
        .arg("--native-driver")
        .arg("/usr/bin/WebKitWebDriver")
        .env_clear()
        .envs(app_environment(dir, sim)?)
        .envs(overrides.iter().copied());
    let log_path = dir.join("driver.log");
    let log = std::fs::File::create(&log_path).map_err(|e| Failure::io(&log_path, e))?;
    let log2 = log.try_clone().map_err(|e| Failure::io(&log_path, e))?;
    command
        .stdin(Stdio::null())
        .stdout(log)
        .stderr(log2)
        .process_group(0);
    command.spawn().map_err(|e| {
        Failure(format!(
            "tauri-driver did not start ({}): {e}",
            tauri_driver().display()
        ))
    })
}

/// The settings every test's app starts with: the built-in profile offers the legacy
/// methods too, so that each can be tried (by default it offers only the code flow).
pub const LEGACY_METHODS: &str =
    "methods = [\"code\", \"implicit\", \"password\", \"token_api\"]\n";

/// The environment the app runs in (through tauri-driver, or started a second time by a
/// test): the kept variables, the simulator's address and Telltale's registration there,
/// this test's own folders under `<dir>/env`, and a system browser that only records.
pub fn app_environment(dir: &Path, sim: &Simulator) -> Result<Vec<(String, OsString)>, Failure> {
    let client = sim
        .telltale_client()
        .ok_or_else(|| Failure("the simulator has no registration of Telltale".into()))?;
    let secret = client.client_secret.clone().unwrap_or_default();
    let mut env: Vec<(String, OsString)> = std::env::vars_os()
        .filter_map(|(k, v)| Some((k.into_string().ok()?, v)))
        .filter(|(k, _)| kept(k))
        .collect();
    let mut set = |var: &str, value: OsString| env.push((var.to_string(), value));
    set("TELLTALE_SERVER", sim.base_url().into());
    // Map tiles from the simulator too: no test reaches the internet (they are cached
    // under this test's XDG_CACHE_HOME).
    set(
        "TELLTALE_TILE_URL",
        format!(
            "{}/tiles/{{z}}/{{x}}/{{y}}.png",
            sim.base_url().trim_end_matches('/')
        )
        .into(),
    );
    set("TELLTALE_CLIENT_ID", client.client_id.into());
    set("TELLTALE_CLIENT_SECRET", secret.into());
    set("RUST_LOG", "info".into());
    // No accessibility bus on the private session bus: keep GTK from asking for one.
    set("NO_AT_BRIDGE", "1".into());
    let settings = dir.join("env").join("telltale-config");
    std::fs::create_dir_all(&settings).map_err(|e| Failure::io(&settings, e))?;
    let settings = settings.join("config.toml");
    std::fs::write(&settings, LEGACY_METHODS).map_err(|e| Failure::io(&settings, e))?;
    for (var, sub) in [
        ("TELLTALE_CONFIG_DIR", "telltale-config"),
        ("XDG_DATA_HOME", "xdg-data"),
        ("XDG_CONFIG_HOME", "xdg-config"),
        ("XDG_CACHE_HOME", "xdg-cache"),
        // Exports are written here without the native save dialog, which WebDriver cannot
        // drive (export_dialog.rs unsets this and types into the dialog with xdotool).
        ("TELLTALE_EXPORT_DIR", "exports"),
    ] {
        let path = dir.join("env").join(sub);
        std::fs::create_dir_all(&path).map_err(|e| Failure::io(&path, e))?;
        set(var, path.into());
    }
    for (var, value) in system_browser::recorder(dir)? {
        set(var, value);
    }
    Ok(env)
}

/// tauri-driver on the PATH, else in `~/.cargo/bin`.
fn tauri_driver() -> PathBuf {
    let on_path = std::env::var_os("PATH")
        .map(|path| {
            std::env::split_paths(&path)
                .map(|d| d.join("tauri-driver"))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    let home = std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo/bin/tauri-driver"));
    on_path
        .into_iter()
        .chain(home)
        .find(|p| p.is_file())
        .unwrap_or_else(|| PathBuf::from("tauri-driver"))
}

fn kept(var: &str) -> bool {
    KEPT.contains(&var) || KEPT_PREFIXES.iter().any(|p| var.starts_with(p))
}

/// A best-effort `DELETE /session/<id>` from `Drop`, where no async runtime may be used.
pub fn delete_session_blocking(driver_url: &str, id: &str) {
    let Some(authority) = driver_url.strip_prefix("http://") else {
        return;
    };
    let Ok(mut stream) = std::net::TcpStream::connect(authority) else {
        return;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let request = format!(
        "DELETE /session/{id} HTTP/1.1\r\nHost: {authority}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    );
    if stream.write_all(request.as_bytes()).is_ok() {
        let mut answer = [0u8; 512];
        let _ = std::io::Read::read(&mut stream, &mut answer);
    }
}

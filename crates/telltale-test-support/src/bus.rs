//! A D-Bus session bus on which nobody provides the Secret Service: a desktop without a
//! keyring daemon.

use crate::Scratch;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

/// A private `dbus-daemon` with no service directories, so nothing can be auto-started;
/// stopped (and its folder removed) when dropped.
pub struct EmptyBus {
    daemon: Child,
    address: String,
    _dir: Scratch,
}

impl EmptyBus {
    /// Starts the daemon; an error when `dbus-daemon` cannot be started
    /// (`scripts/install-deps.sh keyring` installs it).
    pub fn start() -> std::io::Result<EmptyBus> {
        let dir = Scratch::new("empty-bus");
        // Without the eavesdrop rules this dbus-daemon accepts connections and then never
        // answers (a different fault: calls are cut off by the app's time limit).
        let config = dir.write(
            "bus.conf",
            &format!(
                "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\" \
                 \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n\
                 <busconfig><type>session</type><listen>unix:dir={}</listen>\
                 <auth>EXTERNAL</auth><policy context=\"default\">\
                 <allow send_destination=\"*\" eavesdrop=\"true\"/>\
                 <allow eavesdrop=\"true\"/><allow own=\"*\"/></policy></busconfig>\n",
                dir.path().display()
            ),
        );
        let mut daemon = Command::new("dbus-daemon")
            .arg(format!("--config-file={}", config.display()))
            .args(["--nofork", "--print-address=1"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()?;
        let stdout = daemon.stdout.take().expect("stdout was piped");
        let mut bus = EmptyBus {
            daemon,
            address: String::new(),
            _dir: dir,
        };
        BufReader::new(stdout)
            .read_line(&mut bus.address)
            .expect("read the bus address");
        bus.address = bus.address.trim().to_string();
        assert!(bus.address.starts_with("unix:"), "{:?}", bus.address);
        Ok(bus)
    }

    /// The bus's address, for `DBUS_SESSION_BUS_ADDRESS`.
    pub fn address(&self) -> &str {
        &self.address
    }
}

impl Drop for EmptyBus {
    fn drop(&mut self) {
        let _ = self.daemon.kill();
        let _ = self.daemon.wait();
    }
}

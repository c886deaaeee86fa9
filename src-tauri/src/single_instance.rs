//! One Telltale per desktop session, on Linux. The first launch owns a well-known name on the
//! D-Bus session bus; a later launch (the desktop opening a sign-in link, or a second
//! double-click) hands its arguments to the owner and exits before it opens a window.
//!
//! The name, object path, interface and method are those of `tauri-plugin-single-instance`
//! (which Telltale uses on Windows and macOS), so either side may be an older build. Here it
//! runs over libdbus, which the keychain and the window toolkit already load, instead of the
//! plugin's zbus (about 1.3 MB of the binary; bench/README.md, "What the size was").

use dbus::blocking::stdintf::org_freedesktop_dbus::RequestNameReply;
use dbus::blocking::Connection;
use dbus::channel::{MatchingReceiver, Sender};
use dbus::message::{MatchRule, MessageType};
use dbus::strings::{BusName, ErrorName, Path};
use dbus::Message;
use std::ffi::CString;
use std::time::Duration;

/// The interface and method a later launch calls on the owner.
const INTERFACE: &str = "org.SingleInstance.DBus";
const METHOD: &str = "ExecuteCallback";

/// How long a later launch waits for the running instance to take its arguments.
pub const HANDOVER_LIMIT: Duration = Duration::from_secs(10);

/// What a launch hands to the running instance: its arguments and working directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Handover {
    pub args: Vec<String>,
    pub cwd: String,
}

impl Handover {
    /// This process's own arguments (lossily as UTF-8) and working directory.
    pub fn of_this_process() -> Self {
        Handover {
            args: std::env::args_os()
                .map(|arg| arg.to_string_lossy().into_owned())
                .collect(),
            cwd: std::env::current_dir()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned(),
        }
    }
}

/// The outcome of [`claim`].
pub enum Claim {
    /// This is the first instance; [`Primary::serve`] starts taking later launches.
    First(Primary),
    /// A running instance took the arguments: this launch is done.
    HandedOver,
    /// An instance owns the name but did not take the arguments (the reason).
    NoAnswer(String),
    /// No session bus, or no usable name (the reason): other instances cannot be found, so
    /// run alone.
    Alone(String),
}

/// The first instance: owns the bus name until it is dropped (or the process ends).
pub struct Primary {
    connection: Connection,
    path: String,
}

/// Claims `<identifier>.SingleInstance` on the session bus, or hands `handover` to the
/// instance that owns it.
pub fn claim(identifier: &str, handover: &Handover) -> Claim {
    claim_on(
        Connection::new_session(),
        identifier,
        handover,
        HANDOVER_LIMIT,
    )
}

/// [`claim`] on a given connection, waiting at most `limit` for the owner's answer.
fn claim_on(
    connection: Result<Connection, dbus::Error>,
    identifier: &str,
    handover: &Handover,
    limit: Duration,
) -> Claim {
    let connection = match connection {
        Ok(connection) => connection,
        Err(err) => return Claim::Alone(describe(&err)),
    };
    let (name, path) = names(identifier);
    let (Ok(bus_name), Ok(object_path)) = (BusName::new(name.as_str()), Path::new(path.as_str()))
    else {
        return Claim::Alone(format!("`{identifier}` does not make a D-Bus name"));
    };
    match connection.request_name(bus_name.clone(), false, false, true) {
        Ok(RequestNameReply::PrimaryOwner | RequestNameReply::AlreadyOwner) => {
            Claim::First(Primary { connection, path })
        }
        Ok(RequestNameReply::Exists | RequestNameReply::InQueue) => {
            let proxy = connection.with_proxy(bus_name, object_path, limit);
            let sent: Result<(), dbus::Error> = proxy.method_call(
                INTERFACE,
                METHOD,
                (handover.args.clone(), handover.cwd.clone()),
            );
            match sent {
                Ok(()) => Claim::HandedOver,
                Err(err) => Claim::NoAnswer(describe(&err)),
            }
        }
        Err(err) => Claim::Alone(describe(&err)),
    }
}

impl Primary {
    /// Answers later launches on a thread of its own, calling `on_launch` with each one's
    /// arguments after it has been told they were taken. Calls to anything else on the name
    /// get an error reply. The thread ends, releasing the name, if the bus goes away.
    pub fn serve(self, mut on_launch: impl FnMut(Handover) + Send + 'static) {
        let Primary { connection, path } = self;
        connection.start_receive(
            MatchRule::new_method_call(),
            Box::new(move |call, connection| {
                let (reply, taken) = answer(&call, &path);
                let _ = connection.send(reply);
                if let Some(handover) = taken {
                    on_launch(handover);
                }
                true
            }),
        );
        let spawned = std::thread::Builder::new()
            .name("single-instance".into())
            .spawn(move || loop {
                if let Err(err) = connection.process(Duration::from_secs(3600)) {
                    tracing::warn!(error = %describe(&err), "single-instance: the session bus went away");
                    break;
                }
            });
        if let Err(err) = spawned {
            tracing::warn!(error = %err, "single-instance: could not start its thread");
        }
    }
}

/// The reply to one method call on our name, and the handover it carried, if it was one.
fn answer(call: &Message, path: &str) -> (Message, Option<Handover>) {
    let ours = call.msg_type() == MessageType::MethodCall
        && call.path().as_deref() == Some(path)
        && call.interface().as_deref() == Some(INTERFACE)
        && call.member().as_deref() == Some(METHOD);
    if !ours {
        let reply = error_reply(
            call,
            "org.freedesktop.DBus.Error.UnknownMethod",
            "no such method",
        );
        return (reply, None);
    }
    match call.read2::<Vec<String>, String>() {
        Ok((args, cwd)) => (call.method_return(), Some(Handover { args, cwd })),
        Err(err) => {
            let reply = error_reply(
                call,
                "org.freedesktop.DBus.Error.InvalidArgs",
                &err.to_string(),
            );
            (reply, None)
        }
    }
}

fn error_reply(call: &Message, name: &'static str, text: &str) -> Message {
    let text = CString::new(text.replace('\0', " ")).unwrap_or_default();
    call.error(&ErrorName::from(name), &text)
}

/// The bus name and object path for an app identifier, as the Tauri plugin forms them.
fn names(identifier: &str) -> (String, String) {
    let name = format!("{identifier}.SingleInstance");
    let path = format!("/{}", name.replace('.', "/").replace('-', "_"));
    (name, path)
}

fn describe(err: &dbus::Error) -> String {
    match (err.name(), err.message()) {
        (Some(name), Some(message)) => format!("{message} ({name})"),
        (None, Some(message)) => message.to_string(),
        (Some(name), None) => name.to_string(),
        (None, None) => "unknown D-Bus error".to_string(),
    }
}

#[cfg(test)]
#[path = "single_instance_tests.rs"]
mod tests;

//! Options of WebKit's web processes. They read JavaScriptCore's options from the
//! environment they inherit from this process, so these are set before the first webview
//! starts, and taken out again for programs the app starts (the system browser may be
//! WebKit too).
//!
//! **Every garbage collection is a full one.** JavaScriptCore's collector is generational:
//! a young ("eden") collection keeps whatever is alive at that moment as old, and old
//! garbage waits for a full collection. Which is due only when the old generation outgrows
//! a limit that each eden collection raises by what it kept, or when a timer fires whose
//! delay grows without bound if the last full collection freed little. With Live open on
//! ten boats at 10 Hz, answers and frames in flight at each eden collection piled up as
//! old garbage: the web process grew by about 50 MiB a minute. In one run a single full
//! collection took its heap from 208 to 30 MB; in others none came within 20 minutes
//! (`bench/README.md`, "Live"). Telltale's pages keep about 10 MB alive, which a full
//! collection marks in about 4 ms.

/// The option's variable and value: JavaScriptCore's `useGenerationalGC`, off.
pub const GENERATIONAL_GC: (&str, &str) = ("JSC_useGenerationalGC", "false");

/// Sets the web processes' options in this process's environment, each unless already set
/// (a developer's own choice wins). Called first thing in [`crate::run`], before any thread.
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
pub fn configure() {
    let (name, value) = GENERATIONAL_GC;
    if std::env::var_os(name).is_none() {
        std::env::set_var(name, value);
        SET_BY_US.store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

/// Whether [`configure`] set the option (rather than finding it set).
static SET_BY_US: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Removes the options [`configure`] set from the environment of `command`, a program
/// that is not one of WebKit's processes.
pub fn scrub(command: &mut std::process::Command) {
    if SET_BY_US.load(std::sync::atomic::Ordering::Relaxed) {
        command.env_remove(GENERATIONAL_GC.0);
    }
}

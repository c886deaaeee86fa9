//! How the main window's page is drawn. WebKitGTK composites a page's layers with OpenGL
//! by default; on a machine without a GPU that is Mesa's software GL (llvmpipe), and it
//! was 86% of the web process's CPU with Live open (ten boats at 10 Hz: 0.48 of a core for
//! the app, 0.13 with the page painted in software instead; `bench/README.md`, "Live").
//! Telltale's pages are text and 2D canvases, which lose nothing without compositing, so
//! the main window never uses it. The sign-in window shows the provider's page and keeps
//! WebKit's default.

use tauri::{Runtime, WebviewWindow};

/// Turns off accelerated compositing for `window`'s webview.
#[cfg(target_os = "linux")]
pub fn paint_in_software<R: Runtime>(window: &WebviewWindow<R>) {
    let done = window.with_webview(|view| {
        use webkit2gtk::{HardwareAccelerationPolicy, SettingsExt, WebViewExt};
        if let Some(settings) = view.inner().settings() {
            settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
        }
    });
    if let Err(err) = done {
        tracing::debug!(error = %err, "no native view to set the rendering of");
    }
}

#[cfg(not(target_os = "linux"))]
pub fn paint_in_software<R: Runtime>(_window: &WebviewWindow<R>) {}

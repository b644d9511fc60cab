//! The navigation guard: the window shows the app's own pages and nothing else. A navigation
//! to anywhere else — a link the UI did not handle, a form, a redirect — is cancelled; an
//! `http(s):` or `mailto:` target goes to the system browser instead, as the UI's external
//! links do.
//!
//! Why, with the sanitiser and the Content Security Policy already in place: they are the
//! first line. If anything slips past them (a link in some view that forgot its click
//! handler, a control character that hides a `data:` scheme), a web page or a `data:`,
//! `javascript:` or `file:` URL must still never replace the app in its own window, where it
//! would run with the app's IPC at hand.

use tauri::plugin::{Builder, TauriPlugin};
use tauri::{Manager, Runtime, Url};

/// The plugin that installs the guard on every webview.
pub fn guard<R: Runtime>() -> TauriPlugin<R> {
    Builder::new("navigation-guard")
        .on_navigation(|webview, url| {
            let dev_url = webview.config().build.dev_url.clone();
            if is_app_url(url, dev_url.as_ref()) {
                return true;
            }
            if let Some(target) = cairn_core::render::external_target(url.as_str()) {
                if let Err(err) = open::that_detached(target.as_ref()) {
                    eprintln!("cairn-desktop: cannot open {target}: {err}");
                }
            }
            false
        })
        .build()
}

/// The app's own origin: `tauri://localhost` (Linux, macOS), `http(s)://tauri.localhost`
/// (Windows), or the dev server's origin when one is configured.
fn is_app_url(url: &Url, dev_url: Option<&Url>) -> bool {
    let host = url.host_str();
    match url.scheme() {
        "tauri" => host == Some("localhost"),
        "http" | "https" if host == Some("tauri.localhost") => url.port().is_none(),
        _ => dev_url.is_some_and(|dev| dev.origin() == url.origin()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn only_the_apps_own_origin_is_allowed() {
        for ok in [
            "tauri://localhost",
            "tauri://localhost/index.html#decision/0001-a.md",
            "http://tauri.localhost/",
            "https://tauri.localhost/assets/x.js",
        ] {
            assert!(is_app_url(&url(ok), None), "{ok}");
        }
        for bad in [
            "https://example.com/",
            "http://localhost:1420/",
            "tauri://evil.example/",
            "http://tauri.localhost.evil.example/",
            "http://tauri.localhost:8080/",
            "data:text/html,<script>alert(1)</script>",
            "javascript:alert(1)",
            "file:///etc/passwd",
            "about:blank",
        ] {
            assert!(!is_app_url(&url(bad), None), "{bad}");
        }
        let dev = url("http://localhost:1420");
        assert!(is_app_url(&url("http://localhost:1420/x"), Some(&dev)));
        assert!(!is_app_url(&url("http://localhost:1421/x"), Some(&dev)));
    }
}

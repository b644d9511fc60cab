//! Headless Chromium under chromedriver (both Debian packages), for the static site that
//! `cairn site` writes: the same WebDriver [`Session`] helpers as the desktop tests.

use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::json;

use super::{free_port, post, Guard, Session};

/// A running chromedriver and a headless Chromium session on it.
pub struct Browser {
    pub session: Session,
    _driver: Guard,
}

impl Browser {
    /// Starts chromedriver and a headless Chromium at 1280×900 (no display needed).
    pub fn start() -> Browser {
        let port = free_port();
        let driver = Guard(
            Command::new(std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into()))
                .process_group(0)
                .arg(format!("--port={port}"))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect(
                    "chromedriver runs (apt-get install chromium-driver, or run scripts/deps.sh)",
                ),
        );
        let base = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        while ureq::get(&format!("{base}/status")).call().is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        let binary = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
        let caps = json!({
            "capabilities": { "alwaysMatch": {
                "browserName": "chrome",
                "goog:chromeOptions": {
                    "binary": binary,
                    "args": ["--headless=new", "--no-sandbox", "--disable-gpu",
                             "--window-size=1280,900", "--hide-scrollbars", "--no-first-run",
                             "--disable-dev-shm-usage"]
                }
            }}
        });
        let resp = post(&format!("{base}/session"), caps).expect("a Chromium session");
        let id = resp["value"]["sessionId"]
            .as_str()
            .expect("a session id")
            .to_string();
        Browser {
            session: Session {
                url: format!("{base}/session/{id}"),
                log: None,
            },
            _driver: driver,
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = ureq::delete(&self.session.url).call();
    }
}

impl Session {
    /// Opens `url` and waits for it to load.
    pub fn goto(&self, url: &str) {
        post(&format!("{}/url", self.url), json!({ "url": url }))
            .unwrap_or_else(|e| panic!("open {url}: {e}"));
    }

    /// Clicks an element with the pointer, as WebDriver does (an SVG link has no DOM
    /// `click()`; Chromium's pointer clicks are reliable, unlike WebKitWebDriver's).
    pub fn pointer_click(&self, e: &super::Element) {
        post(&format!("{}/element/{}/click", self.url, e.0), json!({}))
            .unwrap_or_else(|err| panic!("click: {err}"));
    }

    /// Shows the page as for printing (`@media print`), through Chromium's DevTools protocol.
    pub fn emulate_print(&self, on: bool) {
        let media = if on { "print" } else { "" };
        post(
            &format!("{}/goog/cdp/execute", self.url),
            json!({ "cmd": "Emulation.setEmulatedMedia", "params": { "media": media } }),
        )
        .unwrap_or_else(|e| panic!("emulate print: {e}"));
    }

    /// The page printed to PDF, as the browser's "Save as PDF" does (print media, A4).
    pub fn print_pdf(&self) -> Vec<u8> {
        let v = post(
            &format!("{}/print", self.url),
            json!({ "page": { "width": 21.0, "height": 29.7 } }),
        )
        .unwrap_or_else(|e| panic!("print: {e}"));
        super::decode_base64(v["value"].as_str().expect("a PDF")).expect("base64")
    }

    /// The address of the page now shown.
    pub fn current_url(&self) -> String {
        super::get(&format!("{}/url", self.url))
            .ok()
            .and_then(|v| v["value"].as_str().map(str::to_string))
            .unwrap_or_default()
    }
}

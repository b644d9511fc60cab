//! A small WebDriver client and a harness that starts the real desktop app under
//! `tauri-driver` (which drives WebKitWebDriver), on Xvfb when there is no display, with a
//! temporary HOME, XDG folders and search index, so a run never touches the user's files.
//!
//! Test support only: helpers panic with a message instead of returning errors, because a
//! broken fixture or a dead driver should stop the test at the line that met it.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test support: a dead driver or a broken fixture panics at the line that met it"
)]

use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// How long to wait for the UI to show something before failing.
pub const TIMEOUT: Duration = Duration::from_secs(30);

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The built app: `$CAIRN_DESKTOP_BIN`, else `<target>/debug/cairn-desktop`.
pub fn app_binary() -> PathBuf {
    if let Some(p) = std::env::var_os("CAIRN_DESKTOP_BIN") {
        return PathBuf::from(p);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("target"));
    let bin = target.join("debug/cairn-desktop");
    assert!(
        bin.exists(),
        "{} is missing: build it first (make build-desktop, or cargo build -p cairn-desktop after `npm --prefix ui run build`)",
        bin.display()
    );
    bin
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free local port")
}

/// Kills the child when dropped, so a failing test leaves no process behind.
struct Guard(Child);

impl Drop for Guard {
    fn drop(&mut self) {
        // The whole process group (tauri-driver's WebKitWebDriver and the app with it), with
        // SIGTERM so Xvfb removes its socket; SIGKILL only if that was not enough.
        let pgid = format!("-{}", self.0.id());
        let _ = Command::new("kill").args(["-TERM", "--", &pgid]).status();
        let deadline = Instant::now() + Duration::from_secs(3);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.0.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = Command::new("kill").args(["-KILL", "--", &pgid]).status();
        let _ = self.0.wait();
    }
}

/// A running app: Xvfb (if started here), tauri-driver, and a WebDriver session on it.
pub struct App {
    pub session: Session,
    pub workspace: PathBuf,
    _driver: Guard,
    _xvfb: Option<Guard>,
}

/// Copies the demo workspace into a temporary folder as a Git repository with its own
/// identity, plus any extra files given.
pub fn demo_copy(home: &Path, extra: &[(&str, &str)]) -> PathBuf {
    let ws = home.join("workspace");
    copy_dir(&repo_root().join("adr-templates/demo"), &ws);
    for (name, text) in extra {
        std::fs::write(ws.join("decisions").join(name), text).unwrap();
    }
    git(&ws, &["init", "-q"]);
    git(&ws, &["config", "user.name", "Cairn E2E"]);
    git(&ws, &["config", "user.email", "e2e@cairn.invalid"]);
    git(&ws, &["add", "-A"]);
    git(&ws, &["commit", "-qm", "Demo workspace"]);
    ws
}

pub fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let dest = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &dest);
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

fn start_xvfb() -> Option<(Guard, String)> {
    if std::env::var_os("DISPLAY").is_some_and(|d| !d.is_empty()) {
        return None;
    }
    // `-displayfd`: Xvfb picks a free display itself (under its own lock) and writes the
    // number when it is ready. Choosing one here by looking for free sockets raced when
    // tests start apps at the same moment: two apps shared one Xvfb, and the first test to
    // end took the other's display down with it.
    let mut child = Command::new("Xvfb")
        .process_group(0)
        .args([
            "-displayfd",
            "1",
            "-screen",
            "0",
            "1400x900x24",
            "-nolisten",
            "tcp",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("Xvfb runs (apt-get install xvfb, or run scripts/deps.sh)");
    let stdout = child.stdout.take().expect("Xvfb's stdout");
    let guard = Guard(child);
    let mut line = String::new();
    std::io::BufRead::read_line(&mut std::io::BufReader::new(stdout), &mut line)
        .expect("Xvfb reports its display");
    let n: u32 = line
        .trim()
        .parse()
        .unwrap_or_else(|_| panic!("could not start Xvfb (it said {line:?})"));
    Some((guard, format!(":{n}")))
}

/// Where the app and its drivers print: the terminal with CAIRN_E2E_LOG=1 (for debugging),
/// else a file in `home` whose end a failing wait prints.
fn app_log(cmd: &mut Command, home: &Path) -> Option<PathBuf> {
    if std::env::var_os("CAIRN_E2E_LOG").is_some() {
        cmd.stderr(Stdio::inherit());
        return None;
    }
    // Apps started one after another in the same home each keep their own log.
    static STARTED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = STARTED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let log = home.join(format!("e2e-app-{n}.log"));
    let file = std::fs::File::create(&log).ok();
    cmd.stderr(file.map_or_else(Stdio::null, Stdio::from));
    Some(log)
}

impl App {
    /// Starts the app on `workspace` with `home` as HOME and XDG folders (the caller keeps
    /// the folder: a second start on the same one finds a warm search index).
    pub fn start(home: &Path, workspace: PathBuf) -> App {
        App::start_with_env(home, workspace, &[])
    }

    /// [`App::start`] with extra environment for the app (`GTK_THEME`, ...).
    pub fn start_with_env(home: &Path, workspace: PathBuf, env: &[(&str, &str)]) -> App {
        let xvfb = start_xvfb();
        let port = free_port();
        let native = free_port();
        let h = home;
        let mut cmd =
            Command::new(std::env::var("TAURI_DRIVER").unwrap_or_else(|_| "tauri-driver".into()));
        cmd.process_group(0)
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native.to_string(),
            ])
            .env("HOME", h)
            .env("XDG_DATA_HOME", h.join("data"))
            .env("XDG_CONFIG_HOME", h.join("config"))
            .env("XDG_CACHE_HOME", h.join("cache"))
            .env("CAIRN_DEMO_DIR", h.join("demo"))
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("CAIRN_DATE", "2026-02-01")
            // Software rendering: Xvfb has no GPU, and WebKit's compositing warns without one.
            .env("WEBKIT_DISABLE_COMPOSITING_MODE", "1")
            .env("LIBGL_ALWAYS_SOFTWARE", "1")
            .envs(env.iter().copied())
            .stdout(Stdio::null());
        let log = app_log(&mut cmd, h);
        if let Some((_, display)) = &xvfb {
            cmd.env("DISPLAY", display);
        }
        let driver = Guard(
            cmd.spawn()
                .expect("tauri-driver runs (cargo install tauri-driver --locked)"),
        );
        let base = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if ureq::get(&format!("{base}/status")).call().is_ok() {
                break;
            }
            assert!(Instant::now() < deadline, "tauri-driver did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        let caps = json!({
            "capabilities": {
                "alwaysMatch": {
                    "browserName": "wry",
                    "tauri:options": {
                        "application": app_binary(),
                        "args": [workspace],
                    }
                }
            }
        });
        let resp = post(&format!("{base}/session"), caps).expect("a WebDriver session");
        let id = resp["value"]["sessionId"]
            .as_str()
            .or_else(|| resp["sessionId"].as_str())
            .expect("a session id")
            .to_string();
        App {
            session: Session {
                url: format!("{base}/session/{id}"),
                log,
            },
            workspace,
            _driver: driver,
            _xvfb: xvfb.map(|(g, _)| g),
        }
    }
}

impl App {
    /// When the app's own process started (Linux: from `/proc`, 10 ms resolution), found
    /// as the `cairn-desktop` in tauri-driver's process group; for timing what a user waits
    /// without WebKitWebDriver's start-up.
    pub fn process_started_at(&self) -> Option<std::time::SystemTime> {
        let pgid = self._driver.0.id();
        // Seconds since boot, read together with the wall clock to place ticks on it.
        let now = std::time::SystemTime::now();
        let uptime: f64 = std::fs::read_to_string("/proc/uptime")
            .ok()?
            .split_whitespace()
            .next()?
            .parse()
            .ok()?;
        let mut best: Option<u64> = None;
        for entry in std::fs::read_dir("/proc").ok()?.flatten() {
            let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
                continue;
            };
            // "pid (comm) state ppid pgrp ... starttime" (field 22, in clock ticks).
            let Some((head, rest)) = stat.rsplit_once(") ") else {
                continue;
            };
            if !head.ends_with("(cairn-desktop") {
                continue;
            }
            let fields: Vec<&str> = rest.split_whitespace().collect();
            if fields.get(2).and_then(|g| g.parse::<u32>().ok()) != Some(pgid) {
                continue;
            }
            if let Some(start) = fields.get(19).and_then(|t| t.parse::<u64>().ok()) {
                best = Some(best.map_or(start, |b: u64| b.max(start)));
            }
        }
        // USER_HZ is 100 on Linux.
        let ago = uptime - best? as f64 / 100.0;
        now.checked_sub(Duration::from_secs_f64(ago.max(0.0)))
    }
}

impl Drop for App {
    fn drop(&mut self) {
        let _ = ureq::delete(&self.session.url).call();
    }
}

/// Every WebDriver request has a deadline, so a hung driver fails the test instead of
/// blocking it forever.
fn agent() -> ureq::Agent {
    agent_within(Duration::from_secs(60))
}

fn agent_within(timeout: Duration) -> ureq::Agent {
    ureq::AgentBuilder::new().timeout(timeout).build()
}

/// Calls `f` every 100 ms until it returns Some, for at most `within`.
fn poll<T>(within: Duration, mut f: impl FnMut() -> Option<T>) -> Option<T> {
    let deadline = Instant::now() + within;
    loop {
        if let Some(v) = f() {
            return Some(v);
        }
        if Instant::now() > deadline {
            return None;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The state a timed-out wait reports: which workspace the window shows, how many rows the
/// log has, what has the focus, whether a menu or dialog is open, and the toast.
const PAGE_STATE: &str = "const q = (s) => document.querySelector(s); const a = document.activeElement; \
    return { workspace: q('[data-testid=workspace-button]')?.textContent?.trim(), \
    rows: q('[data-testid=decision-list]')?.dataset.count, \
    focus: a ? `${a.tagName} ${a.getAttribute('data-testid') ?? ''} ${a.getAttribute('data-root') ?? ''}` : null, \
    menu: !!q('[data-testid=workspace-menu]'), dialog: !!q('[role=dialog]'), \
    toast: q('[data-testid=toast]')?.textContent?.trim(), title: document.title };";

/// The last `n` lines of the app's log.
fn log_tail(path: &Path, n: usize) -> String {
    match std::fs::read(path) {
        Ok(bytes) => {
            let text = String::from_utf8_lossy(&bytes);
            let lines: Vec<&str> = text.lines().collect();
            lines[lines.len().saturating_sub(n)..].join("\n")
        }
        Err(e) => format!("({}: {e})", path.display()),
    }
}

fn post(url: &str, body: Value) -> Result<Value, String> {
    post_within(url, body, Duration::from_secs(60))
}

fn post_within(url: &str, body: Value, timeout: Duration) -> Result<Value, String> {
    match agent_within(timeout).post(url).send_json(body) {
        Ok(r) => r.into_json().map_err(|e| e.to_string()),
        Err(ureq::Error::Status(code, r)) => {
            Err(format!("{code}: {}", r.into_string().unwrap_or_default()))
        }
        Err(e) => Err(e.to_string()),
    }
}

fn get(url: &str) -> Result<Value, String> {
    get_within(url, Duration::from_secs(60))
}

fn get_within(url: &str, timeout: Duration) -> Result<Value, String> {
    match agent_within(timeout).get(url).call() {
        Ok(r) => r.into_json().map_err(|e| e.to_string()),
        Err(ureq::Error::Status(code, r)) => {
            Err(format!("{code}: {}", r.into_string().unwrap_or_default()))
        }
        Err(e) => Err(e.to_string()),
    }
}

pub mod browser;
pub mod diagrams;
pub mod hostile;

/// Key codes of the WebDriver spec.
pub mod keys {
    pub const CONTROL: &str = "\u{E009}";
    pub const ENTER: &str = "\u{E007}";
    pub const END: &str = "\u{E010}";
    pub const ESCAPE: &str = "\u{E00C}";
    pub const NULL: &str = "\u{E000}";
    pub const TAB: &str = "\u{E004}";
    pub const SHIFT: &str = "\u{E008}";
    pub const HOME: &str = "\u{E011}";
    pub const ARROW_UP: &str = "\u{E013}";
    pub const ARROW_DOWN: &str = "\u{E015}";
    pub const ALT: &str = "\u{E00A}";
    pub const ARROW_LEFT: &str = "\u{E012}";
    pub const ARROW_RIGHT: &str = "\u{E014}";
}

/// The W3C WebDriver key under which an element reference travels.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

pub struct Session {
    url: String,
    /// Where the app and its drivers print (when not shown on the terminal): its last lines
    /// go into a timeout's message, with the page's state, since a hung window may give no
    /// screenshot.
    log: Option<PathBuf>,
}

#[derive(Clone)]
pub struct Element(String);

impl Element {
    /// The element as a script argument.
    fn reference(&self) -> Value {
        let mut map = serde_json::Map::new();
        map.insert(ELEMENT_KEY.to_string(), Value::String(self.0.clone()));
        Value::Object(map)
    }
}

impl Session {
    pub fn find_all(&self, css: &str) -> Vec<Element> {
        match post(
            &format!("{}/elements", self.url),
            json!({"using": "css selector", "value": css}),
        ) {
            Ok(v) => v["value"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|e| {
                            let id = e.as_object()?.get(ELEMENT_KEY)?.as_str()?.to_string();
                            Some(Element(id))
                        })
                        .collect()
                })
                .unwrap_or_default(),
            Err(_) => vec![],
        }
    }

    /// Waits for the first element matching `css`.
    pub fn wait(&self, css: &str) -> Element {
        self.wait_until(&format!("an element {css}"), || {
            self.find_all(css).into_iter().next()
        })
    }

    /// Waits until `f` returns Some, failing with `what` after [`TIMEOUT`].
    pub fn wait_until<T>(&self, what: &str, f: impl FnMut() -> Option<T>) -> T {
        poll(TIMEOUT, f)
            .unwrap_or_else(|| panic!("timed out waiting for {what}\n{}", self.failure_report()))
    }

    /// What a timed-out wait reports: the page's state (read first, and with a short
    /// deadline, since a hung page answers nothing), a screenshot, and the end of the app's
    /// log.
    fn failure_report(&self) -> String {
        let state = post_within(
            &format!("{}/execute/sync", self.url),
            json!({"script": PAGE_STATE, "args": []}),
            Duration::from_secs(10),
        )
        .map(|v| v["value"].to_string());
        let path =
            std::env::temp_dir().join(format!("cairn-e2e-failure-{}.png", std::process::id()));
        let shot = self
            .screenshot_within(&path, Duration::from_secs(15))
            .map(|()| path.display().to_string());
        let log = self.log.as_ref().map_or_else(
            || "(on the terminal: CAIRN_E2E_LOG is set)".to_string(),
            |p| log_tail(p, 30),
        );
        format!("page: {state:?}\nscreenshot: {shot:?}\nthe app's last lines:\n{log}")
    }

    /// Whether no element matches `css` now or within `within` (polled).
    pub fn gone_within(&self, css: &str, within: Duration) -> bool {
        poll(within, || self.find_all(css).is_empty().then_some(())).is_some()
    }

    /// Waits until the text of `css` contains `needle`, ignoring case (CSS may capitalise).
    pub fn wait_text(&self, css: &str, needle: &str) -> String {
        self.wait_until(&format!("{css} to contain {needle:?}"), || {
            self.find_all(css)
                .first()
                .map(|e| self.text(e))
                .filter(|t| t.to_lowercase().contains(&needle.to_lowercase()))
        })
    }

    pub fn text(&self, e: &Element) -> String {
        get(&format!("{}/element/{}/text", self.url, e.0))
            .ok()
            .and_then(|v| v["value"].as_str().map(str::to_string))
            .unwrap_or_default()
    }

    /// Clicks an element through the DOM. WebKitWebDriver's pointer clicks hit-test at the
    /// element's centre and proved flaky here (refused as "intercepted" during a re-render,
    /// or hanging after a button that replaces itself); the DOM click runs the same handlers.
    pub fn click(&self, e: &Element) {
        post(
            &format!("{}/execute/sync", self.url),
            json!({"script": "arguments[0].click(); return true;", "args": [e.reference()]}),
        )
        .expect("click");
    }

    pub fn click_css(&self, css: &str) {
        let e = self.wait(css);
        self.click(&e);
    }

    pub fn type_into(&self, e: &Element, text: &str) {
        post(
            &format!("{}/element/{}/value", self.url, e.0),
            json!({"text": text}),
        )
        .expect("send keys");
    }

    /// Puts the caret at the end of an editor's text (Ctrl+End), to type after it.
    pub fn caret_to_end(&self, e: &Element) {
        self.type_into(e, &format!("{}{}{}", keys::CONTROL, keys::END, keys::NULL));
    }

    /// The text of the first element matching `css`, through the DOM. WebDriver's element
    /// text (what [`Session::wait_text`] uses) comes back empty for text in a clipped,
    /// ellipsised span or a multi-line button.
    pub fn dom_text(&self, css: &str) -> Option<String> {
        let css = serde_json::to_string(css).unwrap_or_default();
        self.exec(&format!(
            "const e = document.querySelector({css}); return e ? e.textContent : null"
        ))
        .as_str()
        .map(str::to_string)
    }

    /// The element that has the focus.
    pub fn active(&self) -> Element {
        let v = get(&format!("{}/element/active", self.url)).expect("the active element");
        let id = v["value"][ELEMENT_KEY]
            .as_str()
            .expect("an element reference")
            .to_string();
        Element(id)
    }

    /// Types `keys` where the focus is, as a user at the keyboard would.
    pub fn press(&self, keys: &str) {
        let e = self.active();
        self.type_into(&e, keys);
    }

    /// An attribute of the focused element (`data-file`, `data-testid`, ...), or "".
    pub fn active_attr(&self, name: &str) -> String {
        self.exec(&format!(
            "return document.activeElement?.getAttribute({name:?}) ?? ''"
        ))
        .as_str()
        .unwrap_or_default()
        .to_string()
    }

    /// Drags `from` onto `to` with real pointer events (press, several moves, release), as a
    /// person with a mouse would. WebKitWebDriver fires no HTML5 drag-and-drop events for
    /// pointer actions, so this drives pointer-event based drag libraries only.
    pub fn drag(&self, from: &Element, to: &Element, to_offset: (i64, i64)) {
        let mut actions = vec![
            json!({"type": "pointerMove", "duration": 0, "origin": from.reference(), "x": 0, "y": 0}),
            json!({"type": "pointerDown", "button": 0}),
            json!({"type": "pause", "duration": 150}),
            json!({"type": "pointerMove", "duration": 100, "origin": from.reference(), "x": 8, "y": 8}),
            json!({"type": "pause", "duration": 100}),
        ];
        for step in 1..=6 {
            let f = step as f64 / 6.0;
            actions.push(json!({
                "type": "pointerMove",
                "duration": 80,
                "origin": to.reference(),
                "x": (to_offset.0 as f64 * f) as i64,
                "y": (to_offset.1 as f64 * f) as i64,
            }));
        }
        actions.push(json!({"type": "pause", "duration": 250}));
        actions.push(json!({"type": "pointerUp", "button": 0}));
        post(
            &format!("{}/actions", self.url),
            json!({"actions": [{
                "type": "pointer",
                "id": "mouse",
                "parameters": {"pointerType": "mouse"},
                "actions": actions,
            }]}),
        )
        .expect("pointer actions");
        let _ = agent().delete(&format!("{}/actions", self.url)).call();
    }

    /// Presses keys on whatever has the focus: `modifiers` held while each of `keys` is
    /// pressed and released.
    pub fn chord(&self, modifiers: &[&str], keys: &[&str]) {
        let mut actions = Vec::new();
        for m in modifiers {
            actions.push(json!({"type": "keyDown", "value": m}));
        }
        for k in keys {
            actions.push(json!({"type": "keyDown", "value": k}));
            actions.push(json!({"type": "keyUp", "value": k}));
        }
        for m in modifiers.iter().rev() {
            actions.push(json!({"type": "keyUp", "value": m}));
        }
        post(
            &format!("{}/actions", self.url),
            json!({"actions": [{"type": "key", "id": "keyboard", "actions": actions}]}),
        )
        .expect("key actions");
        let _ = agent().delete(&format!("{}/actions", self.url)).call();
    }

    /// Focuses an element through the DOM.
    pub fn focus(&self, e: &Element) {
        post(
            &format!("{}/execute/sync", self.url),
            json!({"script": "arguments[0].focus(); return true;", "args": [e.reference()]}),
        )
        .expect("focus");
    }

    /// Waits until the first index build is over (its progress bar gone), so that a search
    /// finds everything.
    pub fn wait_indexed(&self) {
        self.wait_until("indexing to finish", || {
            self.find_all("[data-testid=index-progress]")
                .is_empty()
                .then_some(())
        });
    }

    pub fn exec(&self, script: &str) -> Value {
        post(
            &format!("{}/execute/sync", self.url),
            json!({"script": script, "args": []}),
        )
        .map(|v| v["value"].clone())
        .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
    }

    /// An open alert, prompt or confirm, if any (a hostile file must never open one).
    pub fn alert_text(&self) -> Option<String> {
        get(&format!("{}/alert/text", self.url))
            .ok()
            .and_then(|v| v["value"].as_str().map(str::to_string))
    }

    /// Saves the window as `name.png` into the folder `CAIRN_SCREENSHOTS` names, when it is
    /// set (`make screenshots`), once the page has settled: fonts loaded and no finite
    /// animation or transition still running (a spinner that runs for ever does not count).
    /// Polling for that replaces the fixed pause each test file used to sleep before a shot.
    pub fn shot(&self, name: &str) {
        let Some(dir) = std::env::var_os("CAIRN_SCREENSHOTS").map(PathBuf::from) else {
            return;
        };
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("create {}: {e}", dir.display()));
        self.wait_until("the page to settle before a screenshot", || {
            let settled = self.exec(
                "return document.fonts.status === 'loaded' && document.getAnimations().every(a => \
                 a.playState !== 'running' || (a.effect && a.effect.getTiming().iterations === Infinity))",
            );
            (settled == Value::Bool(true)).then_some(())
        });
        let path = dir.join(format!("{name}.png"));
        self.screenshot(&path)
            .unwrap_or_else(|e| panic!("screenshot {}: {e}", path.display()));
    }

    pub fn screenshot(&self, path: &Path) -> Result<(), String> {
        self.screenshot_within(path, Duration::from_secs(60))
    }

    fn screenshot_within(&self, path: &Path, timeout: Duration) -> Result<(), String> {
        let v = get_within(&format!("{}/screenshot", self.url), timeout)?;
        let b64 = v["value"].as_str().ok_or("no screenshot")?;
        std::fs::write(path, decode_base64(b64)?).map_err(|e| e.to_string())
    }
}

fn decode_base64(s: &str) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let mut buf = 0u32;
    let mut bits = 0;
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' | b'\n' | b'\r' => continue,
            _ => return Err(format!("bad base64 byte {c}")),
        };
        buf = (buf << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buf >> bits) as u8);
        }
    }
    Ok(out)
}

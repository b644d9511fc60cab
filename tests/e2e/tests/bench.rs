//! Desktop figures for docs/benchmarks.md (ignored by default; run them on a release build):
//!
//! ```sh
//! CAIRN_DESKTOP_BIN=$CARGO_TARGET_DIR/release/cairn-desktop \
//!   cargo test --release -p cairn-e2e --test bench -- --ignored --nocapture
//! ```
//!
//! Cold start and open are timed to the animation frame after the list was first rendered
//! (its first screen of rows, newest first), to the one after all its rows were, and to the
//! one after the index was ready, marked by the page itself: once from the
//! WebDriver "new session" request (which launches WebKitWebDriver and then the app, an upper
//! bound on what a user waits) and once from the app's own process start (what a user who
//! launches the app waits). Search is timed inside the page, from the input event to the
//! animation frame after the results were rendered: one keystroke at a time, and in bursts
//! typed faster than results come back, from the last keystroke to the final results.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use cairn_e2e::{demo_copy, App};

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn percentile(mut v: Vec<f64>, p: f64) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[((v.len() as f64 - 1.0) * p).round() as usize]
}

/// One launch's timings, in ms: to the first painted list and to a searchable index, from
/// the WebDriver "new session" request and from the app's own process start.
struct Launch {
    listed: f64,
    searchable: f64,
    listed_from_process: f64,
    complete_from_process: f64,
    searchable_from_process: f64,
}

/// Epoch milliseconds of a `window` mark set by the page (see `mark` in App.svelte).
fn page_mark(app: &App, name: &str) -> f64 {
    app.session.wait_until(name, || {
        app.session
            .exec(&format!("return window.{name} ?? null"))
            .as_f64()
    })
}

fn epoch_ms(t: SystemTime) -> f64 {
    t.duration_since(UNIX_EPOCH).unwrap().as_secs_f64() * 1000.0
}

/// Launches the app on `ws` with an existing HOME (so the caches are warm when an earlier
/// launch built them). The page marks when it painted the list and when search was ready,
/// so the figures do not include WebDriver's polling.
fn launch(home: &std::path::Path, ws: &std::path::Path) -> (App, Launch) {
    let requested = epoch_ms(SystemTime::now());
    let app = App::start(home, ws.to_path_buf());
    app.session.wait("[data-testid=decision-row]");
    let listed = page_mark(&app, "__cairnListed");
    let searchable = page_mark(&app, "__cairnSearchable");
    let complete = page_mark(&app, "__cairnComplete");
    let process = app
        .process_started_at()
        .map(epoch_ms)
        .expect("the app's process in /proc");
    let l = Launch {
        listed: listed - requested,
        searchable: searchable - requested,
        listed_from_process: listed - process,
        complete_from_process: complete - process,
        searchable_from_process: searchable - process,
    };
    (app, l)
}

/// Search-as-you-type: types `word` a letter at a time into the palette and times each
/// keystroke from the input event to the painted results.
fn search_latency(app: &App, words: &[&str]) -> Vec<f64> {
    let s = &app.session;
    s.click_css("[data-testid=open-search]");
    s.wait("[data-testid=search-input]");
    let mut out = Vec::new();
    for word in words {
        for n in 1..=word.len() {
            let q = &word[..n];
            let script = format!(
                "const i = document.querySelector('[data-testid=search-input]'); \
                 window.__cairnPainted = null; i.value = {q:?}; \
                 i.dispatchEvent(new Event('input', {{ bubbles: true }})); return true;"
            );
            s.exec(&script);
            let ms = s.wait_until("painted results", || {
                let v = s.exec(&format!(
                    "const p = window.__cairnPainted; return p && p.q === {q:?} ? p.t - window.__cairnTyped : null"
                ));
                v.as_f64()
            });
            out.push(ms);
        }
    }
    out
}

fn summary(label: &str, runs: &[Launch]) {
    let col = |f: fn(&Launch) -> f64| runs.iter().map(f).collect::<Vec<_>>();
    for (what, v) in [
        ("listed", col(|l| l.listed)),
        ("searchable", col(|l| l.searchable)),
        ("listed from process start", col(|l| l.listed_from_process)),
        (
            "every row listed from process start",
            col(|l| l.complete_from_process),
        ),
        (
            "searchable from process start",
            col(|l| l.searchable_from_process),
        ),
    ] {
        println!(
            "{label}: {what}: median {:.0} ms, all {v:.0?}",
            median(v.clone())
        );
    }
}

/// Types each word with `gap_ms` between keystrokes, without waiting for results, and times
/// the last keystroke to the painted results of the whole word (superseded queries dropped).
fn burst_latency(app: &App, words: &[&str], gap_ms: u32) -> Vec<f64> {
    let s = &app.session;
    let mut out = Vec::new();
    for word in words {
        let script = format!(
            "const i = document.querySelector('[data-testid=search-input]'); \
             window.__cairnPainted = null; const w = {word:?}; let n = 0; \
             const step = () => {{ n += 1; i.value = w.slice(0, n); \
               i.dispatchEvent(new Event('input', {{ bubbles: true }})); \
               if (n < w.length) setTimeout(step, {gap_ms}); }}; \
             step(); return true;"
        );
        s.exec(&script);
        let ms = s.wait_until("painted results", || {
            let v = s.exec(&format!(
                "const p = window.__cairnPainted; return p && p.q === {word:?} ? p.t - window.__cairnTyped : null"
            ));
            v.as_f64()
        });
        out.push(ms);
    }
    out
}

#[test]
#[ignore]
fn bench_desktop() {
    // Cold start on the demo: a fresh HOME each time (first run: demo copy, index build).
    let mut cold = Vec::new();
    for _ in 0..5 {
        let home = tempfile::tempdir().unwrap();
        let ws = demo_copy(home.path(), &[]);
        let (_app, l) = launch(home.path(), &ws);
        cold.push(l);
    }
    summary("cold start (demo, 5 runs)", &cold);

    // 10,000 decisions: a first launch builds the index and the catalog, then reopen.
    let corpus = std::env::var("CAIRN_BENCH_CORPUS")
        .expect("CAIRN_BENCH_CORPUS=<folder made by gen_corpus>");
    // The corpus's folder name (c10k, c100k) labels its lines.
    let name = std::path::Path::new(&corpus)
        .file_name()
        .map_or(corpus.clone(), |n| n.to_string_lossy().into_owned());
    let home = tempfile::tempdir().unwrap();
    let (app, first) = launch(home.path(), std::path::Path::new(&corpus));
    summary(&format!("{name} first open (caches built)"), &[first]);
    drop(app);
    let mut opens = Vec::new();
    let mut last = None;
    for _ in 0..3 {
        drop(last.take());
        std::thread::sleep(Duration::from_millis(500));
        // The same HOME: the index and catalog built by the first launch are warm.
        let (app, l) = launch(home.path(), std::path::Path::new(&corpus));
        opens.push(l);
        last = Some(app);
    }
    summary(&format!("{name} reopen, warm caches (3 runs)"), &opens);
    let app = last.unwrap();
    let lat = search_latency(&app, &["postgres", "kafka retries", "sentry mobile"]);
    println!(
        "search keystroke to painted ({name}, {} keystrokes): p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms",
        lat.len(),
        percentile(lat.clone(), 0.5),
        percentile(lat.clone(), 0.95),
        lat.iter().cloned().fold(0.0, f64::max)
    );
    let words = [
        "postgres",
        "kafka retries",
        "sentry mobile",
        "tenant isolation",
        "backpressure",
        "idempotency keys",
    ];
    let burst = burst_latency(&app, &words, 40);
    println!(
        "search bursts ({name}, 40 ms between keystrokes, last keystroke to final results): median {:.1} ms, all {burst:.0?}",
        median(burst.clone())
    );
}

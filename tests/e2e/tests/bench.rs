//! Desktop figures for docs/benchmarks.md (ignored by default; run them on a release build):
//!
//! ```sh
//! CAIRN_DESKTOP_BIN=$CARGO_TARGET_DIR/release/cairn-desktop \
//!   cargo test --release -p cairn-e2e --test bench -- --ignored --nocapture
//! ```
//!
//! Cold start and open are timed from the WebDriver "new session" request (which launches the
//! app) to the first listed decision, so they include WebKitWebDriver's own start-up: an
//! upper bound on what a user waits. Search is timed inside the page, from the input event to
//! the animation frame after the results were rendered.

use std::time::{Duration, Instant};

use cairn_e2e::{demo_copy, App};

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn percentile(mut v: Vec<f64>, p: f64) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[((v.len() as f64 - 1.0) * p).round() as usize]
}

/// Launches the app on `ws` with an existing HOME (so the index cache is warm when it was
/// built before) and returns the time to the first listed decision and to a searchable index.
fn launch(home: &std::path::Path, ws: &std::path::Path) -> (App, f64, f64) {
    let start = Instant::now();
    let app = App::start(home, ws.to_path_buf());
    app.session.wait("[data-testid=decision-row]");
    let listed = start.elapsed().as_secs_f64() * 1000.0;
    app.session.wait_until("indexing to finish", || {
        app.session
            .find_all("[data-testid=index-progress]")
            .is_empty()
            .then_some(())
    });
    let searchable = start.elapsed().as_secs_f64() * 1000.0;
    (app, listed, searchable)
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

#[test]
#[ignore]
fn bench_desktop() {
    // Cold start on the demo: a fresh HOME each time (first run: demo copy, index build).
    let mut cold = Vec::new();
    for _ in 0..5 {
        let home = tempfile::tempdir().unwrap();
        let ws = demo_copy(home.path(), &[]);
        let (_app, listed, _) = launch(home.path(), &ws);
        cold.push(listed);
    }
    println!(
        "cold start to listed window (demo, 5 runs): median {:.0} ms, all {cold:.0?}",
        median(cold.clone())
    );

    // 10,000 decisions: generate, warm the index with a first launch, then time reopening.
    let corpus = std::env::var("CAIRN_BENCH_CORPUS")
        .expect("CAIRN_BENCH_CORPUS=<folder made by gen_corpus>");
    let home = tempfile::tempdir().unwrap();
    let (app, listed, searchable) = launch(home.path(), std::path::Path::new(&corpus));
    println!("10k first open (index build): listed {listed:.0} ms, searchable {searchable:.0} ms");
    drop(app);
    std::thread::sleep(Duration::from_millis(500));
    let mut opens = Vec::new();
    let mut ready = Vec::new();
    let mut last = None;
    for _ in 0..3 {
        drop(last.take());
        std::thread::sleep(Duration::from_millis(500));
        // The same HOME: the index built by the first launch is warm in its cache folder.
        let (app, listed, searchable) = launch(home.path(), std::path::Path::new(&corpus));
        opens.push(listed);
        ready.push(searchable);
        last = Some(app);
    }
    println!(
        "10k reopen, warm index (3 runs): listed median {:.0} ms {opens:.0?}, searchable median {:.0} ms {ready:.0?}",
        median(opens.clone()),
        median(ready.clone())
    );
    let app = last.unwrap();
    let lat = search_latency(&app, &["postgres", "kafka retries", "sentry mobile"]);
    println!(
        "search keystroke to painted (10k, {} keystrokes): p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms",
        lat.len(),
        percentile(lat.clone(), 0.5),
        percentile(lat.clone(), 0.95),
        lat.iter().cloned().fold(0.0, f64::max)
    );
}

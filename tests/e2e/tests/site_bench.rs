//! In-browser search figures for docs/benchmarks.md (ignored by default): headless Chromium
//! opens a site `cairn site` built, from `file://`, and types queries a key at a time; the
//! page records the time from each input event to its results in the DOM.
//!
//!   cairn -C CORPUS site -o SITE
//!   CAIRN_SITE=SITE cargo test --release -p cairn-e2e --test site_bench -- --ignored --nocapture
#![allow(clippy::unwrap_used, clippy::expect_used)]

use cairn_e2e::browser::Browser;

fn percentile(mut v: Vec<f64>, p: f64) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[((v.len() - 1) as f64 * p).round() as usize]
}

#[test]
#[ignore = "a benchmark: needs CAIRN_SITE, a site built from a large corpus"]
fn keystroke_to_results() {
    let site = std::env::var("CAIRN_SITE").expect("CAIRN_SITE names a built site");
    let b = Browser::start();
    let s = &b.session;
    s.goto(&format!("file://{site}/index.html"));
    s.wait("#q");
    let queries = [
        "database",
        "tenant",
        "event sourcing",
        "\"message broker\"",
        "security status:accepted",
        "api tag:security",
    ];
    let mut all = Vec::new();
    for (round, q) in queries.iter().enumerate() {
        s.exec("const q = document.getElementById('q'); q.value = ''; q.dispatchEvent(new Event('input')); return 1");
        let mut times = Vec::new();
        let mut typed = String::new();
        for c in q.chars() {
            typed.push(c);
            s.type_into(&s.wait("#q"), &c.to_string());
            let ms = s.wait_until("results", || {
                let v = s.exec("return [document.body.dataset.searchQuery || '', document.body.dataset.searchMs || '']");
                (v[0] == typed.as_str()).then(|| v[1].as_str().unwrap().parse::<f64>().unwrap())
            });
            times.push(ms);
        }
        let hits = s.exec("return document.querySelectorAll('#results .hit').length");
        println!(
            "{q:28} keys {:2}  first {:6.1} ms  p50 {:5.1}  max {:6.1}  hits {hits}",
            times.len(),
            times[0],
            percentile(times.clone(), 0.5),
            percentile(times.clone(), 1.0),
        );
        // The very first keystroke loads the index; it is reported apart.
        all.extend(if round == 0 { &times[1..] } else { &times[..] });
    }
    println!(
        "all keystrokes after the first: n {}  p50 {:.1} ms  p95 {:.1} ms  max {:.1} ms",
        all.len(),
        percentile(all.clone(), 0.5),
        percentile(all.clone(), 0.95),
        percentile(all.clone(), 1.0)
    );
}

//! What opening a workspace costs in process, step by step, for the desktop figures in
//! docs/benchmarks.md: a full parse of the log, the catalog cold and warm, the rows as JSON
//! (what crosses IPC), and the search index opened warm. A benchmark, not a timed test.
//!
//! ```sh
//! cargo run -p cairn-core --release --example gen_corpus -- /tmp/corpus10k 10000 42
//! cargo run -p cairn-core --release --example bench_open -- /tmp/corpus10k
//! ```
//!
//! The catalog cache and the index go to a temporary folder, so a run never touches the
//! user's cache. Each step is timed three times; the median is printed with all runs.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::time::Instant;

use cairn_core::catalog::Catalog;
use cairn_core::index::{self, OpenOptions};
use cairn_core::view;
use cairn_core::Workspace;

fn time<T>(label: &str, mut f: impl FnMut() -> T) -> T {
    let mut runs = Vec::new();
    let mut out = None;
    for _ in 0..3 {
        let t = Instant::now();
        out = Some(f());
        runs.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let mut sorted = runs.clone();
    sorted.sort_by(|a, b| a.total_cmp(b));
    println!("{label:<44} median {:>8.1} ms  {runs:.1?}", sorted[1]);
    out.expect("three runs")
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args()
        .nth(1)
        .ok_or("usage: bench_open WORKSPACE")?;
    let ws = Workspace::discover(Path::new(&dir))?;
    let tmp = tempfile::tempdir()?;
    let cache = tmp.path().join("catalog.json");
    let log = time("Workspace::load (parse every file)", || ws.load())?;
    println!("  {} decisions", log.decisions.len());
    time("Catalog::load_with, no cache (parse all)", || {
        Catalog::load_with(&ws, None)
    })?;
    time("Catalog::load_with, cold cache (parse, write)", || {
        let _ = std::fs::remove_file(&cache);
        Catalog::load_with(&ws, Some(&cache))
    })?;
    let (catalog, report) = time("Catalog::load_with, warm cache", || {
        Catalog::load_with(&ws, Some(&cache))
    })?;
    println!("  reused {} parsed {}", report.reused, report.parsed);
    let json = time("rows as JSON (serde_json::to_vec)", || {
        serde_json::to_vec(catalog.rows())
    })?;
    println!("  {} bytes of JSON", json.len());
    let opts = OpenOptions {
        index_dir: Some(tmp.path().join("index")),
        ..OpenOptions::default()
    };
    let t = Instant::now();
    index::open(&ws, &opts)?;
    println!(
        "index::open, first (build)                   {:>8.1} ms",
        t.elapsed().as_secs_f64() * 1000.0
    );
    time("index::open, warm", || index::open(&ws, &opts))?;
    let first = catalog.rows().first().map(|r| r.file_name.clone());
    if let Some(file) = first {
        time("view::page of the first decision", || {
            view::page(&ws, &catalog, &file)
        })?;
    }
    Ok(())
}

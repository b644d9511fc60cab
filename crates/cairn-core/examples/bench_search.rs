//! Search benchmark: for each N, generates a seeded corpus, then reports full build time,
//! index size on disk, peak memory, query latency p50/p99 over a fixed mix of 200 queries,
//! and the latency of a one-file incremental update. A benchmark, not a timed test.
//!
//! `cargo run -p cairn-core --release --example bench_search -- 1000 10000`
//!
//! `BENCH_CORPUS_DIR=DIR` keeps each generated corpus in `DIR/wsN` and reuses it on the
//! next run, so repeated runs (the machine is shared, every figure is taken at least twice)
//! measure the index and not the file system creating 10,000 files. `BENCH_ROUNDS=R` times
//! the query mix R times (default 1), for profiling the query path.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[allow(dead_code)]
#[path = "gen_corpus.rs"]
mod gen_corpus;

use std::path::Path;
use std::time::{Duration, Instant};

use cairn_core::index::{self, OpenOptions, SearchIndex, SearchOptions};
use cairn_core::Workspace;
use gen_corpus::{Rng, AREAS, PEOPLE, TAGS, TECH, WORDS};

fn dir_size(p: &Path) -> u64 {
    std::fs::read_dir(p)
        .map(|rd| {
            rd.flatten()
                .map(|e| {
                    let m = e.metadata().ok();
                    match m {
                        Some(m) if m.is_dir() => dir_size(&e.path()),
                        Some(m) => m.len(),
                        None => 0,
                    }
                })
                .sum()
        })
        .unwrap_or(0)
}

/// Peak resident memory of this process so far (Linux), in MiB.
fn peak_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// 200 queries: 40 each of single terms, two terms, phrases, filtered, typos, with some of
/// the term queries left open as prefixes (search as you type).
fn query_mix() -> Vec<String> {
    let mut rng = Rng::new(7);
    let mut out = Vec::new();
    for i in 0..40 {
        let w = rng.pick(WORDS);
        out.push(if i % 4 == 0 {
            w[..w.len().min(4)].to_string()
        } else {
            format!("{w} ")
        });
        out.push(format!("{} {} ", rng.pick(TECH), rng.pick(WORDS)));
        out.push(format!("\"{}\"", rng.pick(AREAS)));
        out.push(format!(
            "{} status:accepted tag:{} after:2018 ",
            rng.pick(WORDS),
            rng.pick(TAGS)
        ));
        // A typo: swap two inner letters of a long word.
        let w: Vec<char> = rng.pick(WORDS).chars().collect();
        let mut t = w.clone();
        if t.len() > 4 {
            t.swap(1, 2);
        }
        out.push(format!("{} ", t.into_iter().collect::<String>()));
    }
    out.push(rng.pick(PEOPLE).to_string());
    out.truncate(200);
    out
}

fn pct(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

type Res<T = ()> = Result<T, Box<dyn std::error::Error>>;

fn main() -> Res {
    let ns: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let ns = if ns.is_empty() {
        vec![1000, 10_000]
    } else {
        ns
    };
    println!("| N | build | index size | peak RSS | query p50 | query p99 | one-file update |");
    println!("|---|---|---|---|---|---|---|");
    for n in ns {
        bench(n)?;
    }
    Ok(())
}

/// One row of the table: build, size, query latencies and one-file updates for `n` files.
fn bench(n: usize) -> Res {
    let tmp = tempfile::TempDir::new()?;
    let root = match std::env::var_os("BENCH_CORPUS_DIR") {
        Some(dir) => {
            let root = Path::new(&dir).join(format!("ws{n}"));
            if !root.join(".cairn.toml").exists() {
                gen_corpus::generate(&root, n, 42)?;
            }
            root
        }
        None => {
            let root = tmp.path().join("ws");
            gen_corpus::generate(&root, n, 42)?;
            root
        }
    };
    let ws = Workspace::open(&root)?;
    let opts = OpenOptions {
        index_dir: Some(tmp.path().join("index")),
        ..OpenOptions::default()
    };
    let t = Instant::now();
    let (ix, report) = index::open(&ws, &opts)?;
    let build = t.elapsed();
    assert_eq!(report.added, n);
    let size = dir_size(&tmp.path().join("index"));

    let queries = query_mix();
    let (times, matched) = time_queries(&ix, &queries)?;
    let (updates, update_only) = time_updates(&ix, &ws)?;

    println!(
        "| {n} | {:.2} s | {:.1} MiB | {} | {:.2} ms | {:.2} ms | {:.1} ms |",
        build.as_secs_f64(),
        size as f64 / (1024.0 * 1024.0),
        peak_mib().map_or("?".into(), |m| format!("{m:.0} MiB")),
        pct(&times, 0.5).as_secs_f64() * 1e3,
        pct(&times, 0.99).as_secs_f64() * 1e3,
        pct(&updates, 0.5).as_secs_f64() * 1e3,
    );
    eprintln!(
        "  ({matched}/{} queries matched something; update alone, median {:.1} ms, \
         then the search for the new word)",
        queries.len(),
        pct(&update_only, 0.5).as_secs_f64() * 1e3
    );
    Ok(())
}

/// The sorted latencies of the query mix (after a warm-up pass, `BENCH_ROUNDS` times), and
/// how many queries matched something.
fn time_queries(ix: &SearchIndex, queries: &[String]) -> Res<(Vec<Duration>, usize)> {
    let so = SearchOptions::default();
    for q in queries {
        ix.search(q, &so)?; // warm the page cache and the fuzzy automata
    }
    let rounds: usize = std::env::var("BENCH_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(1);
    let mut times = Vec::with_capacity(queries.len() * rounds);
    let mut matched = 0;
    for round in 0..rounds {
        for q in queries {
            let t = Instant::now();
            let r = ix.search(q, &so)?;
            times.push(t.elapsed());
            if round == 0 {
                matched += usize::from(r.total > 0);
            }
        }
    }
    times.sort();
    Ok((times, matched))
}

/// One-file updates: rewrites a decision with a new word, updates, finds it; returns the
/// sorted times of update plus search, and of the update alone. The files are restored.
fn time_updates(ix: &SearchIndex, ws: &Workspace) -> Res<(Vec<Duration>, Vec<Duration>)> {
    let so = SearchOptions::default();
    let mut updates = Vec::new();
    let mut update_only = Vec::new();
    let files: Vec<_> = std::fs::read_dir(&ws.decisions_dir)?
        .flatten()
        .map(|e| e.path())
        .take(11)
        .collect();
    let originals: Vec<String> = files
        .iter()
        .map(std::fs::read_to_string)
        .collect::<Result<_, _>>()?;
    for (k, (path, text)) in files.iter().zip(&originals).enumerate() {
        let word = format!("benchmarkword{k}");
        std::fs::write(path, format!("{text}\n{word}\n"))?;
        let t = Instant::now();
        ix.update_paths(std::slice::from_ref(path))?;
        update_only.push(t.elapsed());
        let r = ix.search(&word, &so)?;
        updates.push(t.elapsed());
        // Earlier rounds' words are within typo distance; this file must come first.
        assert_eq!(
            r.hits.first().map(|h| h.path.as_path()),
            Some(path.as_path())
        );
    }
    updates.sort();
    update_only.sort();
    // Leave a kept corpus as it was generated.
    for (path, text) in files.iter().zip(&originals) {
        std::fs::write(path, text)?;
    }
    Ok((updates, update_only))
}

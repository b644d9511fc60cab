//! Benchmark for `history::history`: generates a repository of N decisions over M commits
//! (with `git fast-import`, so generation takes seconds) and times the one-pass history
//! against one `git log -- FILE` per file (measured on a sample, extrapolated).
//!
//! Run: `cargo run --release -p cairn-core --example bench_history -- [DECISIONS] [COMMITS]
//! [SAMPLE]` (defaults 10000 20000 50). Needs `git` on PATH. With `CAIRN_BENCH_REPO=DIR` the
//! generated repository is kept in DIR and reused by later runs with the same sizes.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use cairn_core::history;

type Res<T = ()> = Result<T, Box<dyn std::error::Error>>;

fn main() -> Res {
    // As the binaries do at start-up: the numbers measured are the ones users see.
    cairn_core::tune_process();
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .map(|a| a.parse())
        .collect::<Result<_, _>>()?;
    let decisions = args.first().copied().unwrap_or(10_000);
    let commits = args.get(1).copied().unwrap_or(20_000).max(decisions);
    let sample = args.get(2).copied().unwrap_or(50).min(decisions);

    let dir = tempfile::tempdir()?;
    let root = dir.path();
    let home = tempfile::tempdir()?;
    prepare(root, home.path(), decisions, commits)?;
    time_history(root, home.path(), decisions, commits)?;
    time_git_log(root, home.path(), decisions, sample)
}

/// `git` run in `root` with an empty, isolated configuration.
fn git_in<'a>(root: &'a Path, home: &'a Path) -> impl Fn(&[&str]) -> Command + 'a {
    move |args: &[&str]| {
        let mut cmd = Command::new("git");
        cmd.args(args)
            .current_dir(root)
            .env("HOME", home)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", home.join(".gitconfig"));
        cmd
    }
}

/// Fills `root` with the generated repository, or with a clone of the kept one.
fn prepare(root: &Path, home: &Path, decisions: usize, commits: usize) -> Res {
    let git = git_in(root, home);
    let t = Instant::now();
    // CAIRN_BENCH_REPO keeps the generated repository between runs (generation takes about a
    // minute); each run works on a fresh local clone of it, since the run adds a commit.
    let Some(keep) = std::env::var_os("CAIRN_BENCH_REPO").filter(|d| !d.is_empty()) else {
        generate(root, home, decisions, commits)?;
        println!(
            "generated {decisions} decisions over {commits} commits in {:.1} s",
            t.elapsed().as_secs_f64()
        );
        return Ok(());
    };
    let keep = PathBuf::from(keep);
    let marker = keep.join(".git").join("cairn-bench");
    let want = format!("{decisions} {commits}");
    if std::fs::read_to_string(&marker).ok().as_deref() != Some(want.as_str()) {
        if keep.exists() {
            std::fs::remove_dir_all(&keep)?;
        }
        std::fs::create_dir_all(&keep)?;
        generate(&keep, home, decisions, commits)?;
        std::fs::write(&marker, &want)?;
    }
    let ok = git(&["clone", "-q", "--local"])
        .arg(&keep)
        .arg(root)
        .status()?
        .success();
    if !ok {
        return Err("git clone failed".into());
    }
    println!(
        "cloned the kept {decisions} decisions over {commits} commits from {} in {:.1} s",
        keep.display(),
        t.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Times the one-pass history, both caches, and the incremental update after one commit.
fn time_history(root: &Path, home: &Path, decisions: usize, commits: usize) -> Res {
    let dirs = [PathBuf::from("docs/adr")];
    let cache = tempfile::tempdir()?;
    let cpu = cpu_seconds();
    let t = Instant::now();
    let h = history::history_in(root, &dirs, Some(cache.path()))?;
    let one_pass = t.elapsed().as_secs_f64();
    let cpu = cpu_seconds().zip(cpu).map(|(after, before)| after - before);
    let versions: usize = h.files.values().map(|f| f.versions.len()).sum();
    println!(
        "one-pass history: {one_pass:.2} s for {} files, {versions} versions ({:?}){}",
        h.files.len(),
        h.origin,
        cpu.map(|c| format!(", {c:.2} s CPU (user + system, all threads)"))
            .unwrap_or_default()
    );
    if h.files.len() != decisions || versions != commits {
        return Err(format!("expected {decisions} files and {commits} versions").into());
    }
    let timed = |what: &str, digits: usize| -> Res {
        let t = Instant::now();
        let h = history::history_in(root, &dirs, Some(cache.path()))?;
        let secs = t.elapsed().as_secs_f64();
        println!("{what}: {secs:.digits$} s ({:?})", h.origin);
        Ok(())
    };
    timed("cached (memory)", 4)?;
    history::forget(root)?;
    timed("cached (disk)", 3)?;

    // One more commit on top: the cached history is extended, not recomputed.
    std::fs::write(
        root.join(file_name(0)),
        "# 1. Decision 0\n\nStatus: superseded\n",
    )?;
    let ok = git_in(root, home)(&[
        "-c",
        "user.name=Bench",
        "-c",
        "user.email=bench@example.com",
        "commit",
        "-qam",
        "ADR 0001: superseded",
    ])
    .status()?
    .success();
    if !ok {
        return Err("git commit failed".into());
    }
    timed("after one new commit", 3)?;
    let size = std::fs::read_dir(cache.path().join("history"))?
        .filter_map(|e| e.ok()?.metadata().ok())
        .map(|m| m.len())
        .sum::<u64>();
    println!("disk cache: {:.1} MB", size as f64 / 1e6);
    Ok(())
}

/// Times `git log -- FILE` on a sample of the files and extrapolates to all of them.
fn time_git_log(root: &Path, home: &Path, decisions: usize, sample: usize) -> Res {
    let git = git_in(root, home);
    let step = (decisions / sample).max(1);
    let t = Instant::now();
    let mut n = 0;
    for i in (0..decisions).step_by(step).take(sample) {
        let out = git(&["log", "--format=%H %an %aI %s", "--", &file_name(i)]).output()?;
        if !out.status.success() || out.stdout.is_empty() {
            return Err(format!("git log for {} failed", file_name(i)).into());
        }
        n += 1;
    }
    let per_file = t.elapsed().as_secs_f64() / n as f64;
    println!(
        "git log -- FILE: {per_file:.3} s per file (sample of {n}); {:.0} s extrapolated to \
         {decisions} files",
        per_file * decisions as f64
    );
    Ok(())
}

/// Writes the repository into `root` with `git fast-import`: decision i is created by commit
/// i; every later commit edits a pseudo-random one.
fn generate(root: &Path, home: &Path, decisions: usize, commits: usize) -> Res {
    let git = git_in(root, home);
    let status = git(&["init", "-q", "-b", "main"]).status()?;
    if !status.success() {
        return Err("git init failed".into());
    }
    let mut child = git(&["fast-import", "--quiet"])
        .stdin(Stdio::piped())
        .spawn()?;
    {
        let stdin = child.stdin.as_mut().ok_or("no stdin")?;
        let mut out = std::io::BufWriter::new(stdin);
        // Decision i is created by commit i; every later commit edits a pseudo-random one.
        let mut rng: u64 = 0x9e37_79b9_7f4a_7c15;
        for c in 0..commits {
            let (n, body) = if c < decisions {
                (c, "Status: proposed".to_string())
            } else {
                rng ^= rng << 13;
                rng ^= rng >> 7;
                rng ^= rng << 17;
                let n = (rng % decisions as u64) as usize;
                (n, format!("Status: accepted\n\nRevision {c}."))
            };
            let path = file_name(n);
            let text = format!("# {}. Decision {n}\n\n{body}\n", n + 1);
            let msg = format!("ADR {:04}: commit {c}", n + 1);
            let who = ["Alice", "Bob", "Carol", "Dan"][c % 4];
            let when = 1_767_225_600 + 60 * c as i64;
            writeln!(out, "commit refs/heads/main")?;
            writeln!(
                out,
                "author {who} <{}@example.com> {when} +0000",
                who.to_lowercase()
            )?;
            writeln!(
                out,
                "committer {who} <{}@example.com> {when} +0000",
                who.to_lowercase()
            )?;
            writeln!(out, "data {}\n{msg}", msg.len())?;
            writeln!(out, "M 100644 inline {path}")?;
            writeln!(out, "data {}\n{text}", text.len())?;
            writeln!(out)?;
        }
        out.flush()?;
    }
    if !child.wait()?.success() {
        return Err("git fast-import failed".into());
    }
    git(&["reset", "-q", "--hard", "main"]).status()?;
    Ok(())
}

/// This process's CPU time so far (Linux only): on a shared machine the wall time of the
/// cold pass depends on the load, its CPU time much less.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which is in parentheses): utime and stime are the 12th
    // and 13th, in clock ticks (100 per second on Linux).
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i)?.parse::<f64>().ok();
    Some((ticks(11)? + ticks(12)?) / 100.0)
}

fn file_name(n: usize) -> String {
    format!("docs/adr/{:04}-decision-{n}.md", n + 1)
}

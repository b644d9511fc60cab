//! Fuzzing at high case counts, as a job of its own (`make fuzz`), not in the default run:
//! the decision parser, the scope-map parser, the query parser (through a search) and the
//! renderer, fed mutations of real files from the corpora (byte flips, truncation, splicing
//! two files, inserted and repeated YAML and Markdown constructs). Properties: no panic, and
//! no single call takes a second or more. Each target prints its slowest input at the end.
//!
//! Run with `make fuzz` (cases per target from `PROPTEST_CASES`), or
//! `PROPTEST_CASES=100000 cargo test -p cairn-core --test fuzz -- --ignored`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use cairn_core::index::{self, OpenOptions, SearchIndex, SearchOptions};
use cairn_core::{decision, render, scope, Workspace};
use proptest::prelude::*;
use proptest::sample::Index;

/// No input may take this long in one call.
const LIMIT: Duration = Duration::from_secs(1);

fn config() -> ProptestConfig {
    // `cases` comes from PROPTEST_CASES (256 when unset).
    ProptestConfig {
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Every Markdown and YAML file of the corpora and of the demo workspace: the seeds.
fn seeds() -> &'static [Vec<u8>] {
    static SEEDS: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let mut out = Vec::new();
        let mut dirs = vec![common::corpora_root(), cairn_testkit::demo_dir()];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                let path = entry.path();
                let name = entry.file_name().to_string_lossy().into_owned();
                if entry.file_type().is_ok_and(|t| t.is_dir()) {
                    if name != ".git" && name != "node_modules" {
                        dirs.push(path);
                    }
                } else if [".md", ".yml", ".yaml", ".toml"]
                    .iter()
                    .any(|e| name.ends_with(e))
                {
                    if let Ok(bytes) = std::fs::read(&path) {
                        out.push(bytes);
                    }
                }
            }
        }
        eprintln!("{} seed files", out.len());
        out
    })
}

/// Constructs that are inserted, or repeated many times (deep nesting, long runs).
const CONSTRUCTS: &[&str] = &[
    "---\n",
    "...\n",
    "a: &a [x, *a]\n",
    "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n",
    "<<: *a\n",
    "&x ",
    "*x ",
    "!!binary aGVsbG8=\n",
    "? complex key\n: value\n",
    "key: |\n  block\n",
    "key: >-\n  folded\n",
    "[",
    "{",
    "- ",
    "  - ",
    "status: accepted\n",
    "tags: [a, b\n",
    "date: 2024-13-45\n",
    "```\n",
    "~~~\n",
    "> ",
    "* * *\n",
    "| a | b |\n|---|---|\n",
    "[x]: <y> \"t\"\n",
    "[^1]: note\n",
    "[link](0007-x.md)",
    "![img](../../../etc/passwd)",
    "![img](data:image/png;base64,AAAA)",
    "<script>alert(1)</script>",
    "<a href=\"javascript:x\">",
    "\u{1b}[31m",
    "*_*_*_",
    "**",
    "\\",
    "`",
    "<!--",
    "## Status\n",
    "* Status: ",
    "- [ ] card ^c-1\n",
    "  - activity: Pay\n",
    "## Now\n",
    "scope-map: m\nbackbone: [A, B]\nslices: [Now, Later]\n",
    "\r\n",
    "\t",
    "\u{0}",
    "\u{feff}",
    "\u{202e}",
    "é́",
    "status:accepted ",
    "tag:",
    "\"",
    "after:2024 ",
    "before:9999-99-99 ",
    "scope:later ",
    "-",
    "*",
    "~",
    "(",
    ")",
    "OR ",
    "AND ",
    "NOT ",
    "+",
    "^2",
];

#[derive(Debug, Clone)]
enum Mutation {
    Flip(Index, u8),
    Truncate(Index),
    Splice {
        from: Index,
        start: Index,
        len: usize,
        at: Index,
    },
    Insert(Index, Index),
    Repeat {
        construct: Index,
        times: usize,
        at: Index,
    },
    Delete(Index, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        3 => (any::<Index>(), any::<u8>()).prop_map(|(i, b)| Mutation::Flip(i, b)),
        1 => any::<Index>().prop_map(Mutation::Truncate),
        2 => (any::<Index>(), any::<Index>(), 0..4000usize, any::<Index>())
            .prop_map(|(from, start, len, at)| Mutation::Splice { from, start, len, at }),
        4 => (any::<Index>(), any::<Index>()).prop_map(|(c, at)| Mutation::Insert(c, at)),
        1 => (any::<Index>(), 1..20_000usize, any::<Index>())
            .prop_map(|(construct, times, at)| Mutation::Repeat { construct, times, at }),
        1 => (any::<Index>(), 0..200usize).prop_map(|(at, n)| Mutation::Delete(at, n)),
    ]
}

fn apply(bytes: &mut Vec<u8>, m: &Mutation) {
    let seeds = seeds();
    let at = |i: &Index, len: usize| i.index(len + 1);
    match m {
        Mutation::Flip(i, b) => {
            if !bytes.is_empty() {
                let i = i.index(bytes.len());
                bytes[i] = *b;
            }
        }
        Mutation::Truncate(i) => bytes.truncate(at(i, bytes.len())),
        Mutation::Splice {
            from,
            start,
            len,
            at: to,
        } => {
            if seeds.is_empty() {
                return;
            }
            let other = &seeds[from.index(seeds.len())];
            let s = start.index(other.len() + 1);
            let e = (s + len).min(other.len());
            let to = at(to, bytes.len());
            bytes.splice(to..to, other[s..e].iter().copied());
        }
        Mutation::Insert(c, i) => {
            let c = CONSTRUCTS[c.index(CONSTRUCTS.len())].as_bytes();
            let to = at(i, bytes.len());
            bytes.splice(to..to, c.iter().copied());
        }
        Mutation::Repeat {
            construct,
            times,
            at: i,
        } => {
            let c = CONSTRUCTS[construct.index(CONSTRUCTS.len())].as_bytes();
            let to = at(i, bytes.len());
            let run: Vec<u8> = c.iter().copied().cycle().take(c.len() * times).collect();
            bytes.splice(to..to, run);
        }
        Mutation::Delete(i, n) => {
            let s = at(i, bytes.len());
            let e = (s + n).min(bytes.len());
            bytes.drain(s..e);
        }
    }
}

/// A mutated seed (or, when no corpus is present, mutated empty input).
fn input() -> impl Strategy<Value = Vec<u8>> {
    (any::<Index>(), prop::collection::vec(mutation(), 0..10)).prop_map(|(pick, ms)| {
        let seeds = seeds();
        let mut bytes = if seeds.is_empty() {
            Vec::new()
        } else {
            seeds[pick.index(seeds.len())].clone()
        };
        for m in &ms {
            apply(&mut bytes, m);
        }
        bytes
    })
}

/// The slowest call of one target so far: how long, and the input.
struct Slowest {
    name: &'static str,
    cases: Mutex<(u64, Duration, Vec<u8>)>,
}

impl Slowest {
    const fn new(name: &'static str) -> Self {
        Slowest {
            name,
            cases: Mutex::new((0, Duration::ZERO, Vec::new())),
        }
    }

    /// Times `f` on `input`; fails the case when it takes [`LIMIT`] or more. A call that
    /// never returns is caught by [`watchdog`].
    fn time<T>(&self, input: &[u8], f: impl FnOnce() -> T) -> Result<T, TestCaseError> {
        watchdog(self.name, input);
        let start = Instant::now();
        let out = f();
        let took = start.elapsed();
        *CURRENT.lock().unwrap() = None;
        let mut s = self.cases.lock().unwrap();
        s.0 += 1;
        if took > s.1 {
            s.1 = took;
            s.2 = input.to_vec();
        }
        prop_assert!(
            took < LIMIT,
            "{}: {took:?} on {} bytes: {:?}",
            self.name,
            input.len(),
            excerpt(input)
        );
        Ok(out)
    }

    fn report(&self) {
        let s = self.cases.lock().unwrap();
        eprintln!(
            "{}: {} calls, slowest {:?} on {} bytes: {:?}",
            self.name,
            s.0,
            s.1,
            s.2.len(),
            excerpt(&s.2)
        );
        // Kept for a closer look at the slowest input.
        let dir = std::env::temp_dir().join("cairn-fuzz");
        let _ = std::fs::create_dir_all(&dir);
        let _ = std::fs::write(dir.join(format!("slowest-{}", self.name)), &s.2);
    }
}

/// The call under way: its target, when it started and its input.
type Current = Option<(&'static str, Instant, Vec<u8>)>;
static CURRENT: Mutex<Current> = Mutex::new(None);

/// Records the call about to start; the first time, starts a thread that watches for a call
/// running ten times over [`LIMIT`], saves its input under the temporary folder and aborts,
/// so a hang is reported with the input that caused it instead of stalling the job.
fn watchdog(name: &'static str, input: &[u8]) {
    static STARTED: OnceLock<()> = OnceLock::new();
    *CURRENT.lock().unwrap() = Some((name, Instant::now(), input.to_vec()));
    // A stack overflow aborts at once, before any report: with this set, every input is
    // written out before its call, so the last one is on disk.
    if std::env::var_os("CAIRN_FUZZ_KEEP_INPUT").is_some() {
        let dir = std::env::temp_dir().join("cairn-fuzz");
        let _ = std::fs::create_dir_all(&dir);
        let _ = std::fs::write(dir.join(format!("current-{name}")), input);
    }
    STARTED.get_or_init(|| {
        // The watchdog looks at the call in flight five times a second; it waits for no
        // condition, it samples one (a hung call never ends, so nothing could be polled).
        std::thread::spawn(|| loop {
            std::thread::sleep(Duration::from_millis(200));
            let current = CURRENT.lock().unwrap();
            if let Some((name, start, input)) = current.as_ref() {
                if start.elapsed() > LIMIT * 10 {
                    let dir = std::env::temp_dir().join("cairn-fuzz");
                    let _ = std::fs::create_dir_all(&dir);
                    let file = dir.join(format!("hang-{name}"));
                    let _ = std::fs::write(&file, input);
                    eprintln!(
                        "{name}: a call has run for {:?} on {} bytes (saved to {}): {:?}",
                        start.elapsed(),
                        input.len(),
                        file.display(),
                        excerpt(input)
                    );
                    std::process::abort();
                }
            }
        });
    });
}

fn excerpt(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(200)]).into_owned();
    if bytes.len() > 200 {
        format!("{text}…")
    } else {
        text
    }
}

#[test]
#[ignore = "fuzzing: run with `make fuzz`"]
fn fuzz_decision_parser() {
    static SLOWEST: Slowest = Slowest::new("decision-parse");
    proptest!(config(), |(bytes in input())| {
        SLOWEST.time(&bytes, || decision::parse(Path::new("0003-x.md"), &bytes))?;
    });
    SLOWEST.report();
}

#[test]
#[ignore = "fuzzing: run with `make fuzz`"]
fn fuzz_scope_map_parser() {
    static SLOWEST: Slowest = Slowest::new("scope-map-parse");
    proptest!(config(), |(bytes in input())| {
        let text = String::from_utf8_lossy(&bytes);
        SLOWEST.time(&bytes, || scope::parse(Path::new("scope/m.md"), &text))?;
    });
    SLOWEST.report();
}

#[test]
#[ignore = "fuzzing: run with `make fuzz`"]
fn fuzz_renderer() {
    static SLOWEST: Slowest = Slowest::new("render");
    let dir = tempfile::tempdir().unwrap();
    let decisions = dir.path().join("decisions");
    std::fs::create_dir_all(&decisions).unwrap();
    std::fs::write(decisions.join("0007-x.md"), "# 7. X\n").unwrap();
    std::fs::write(decisions.join("img.png"), [0x89, b'P', b'N', b'G']).unwrap();
    let files: HashSet<String> = ["0007-x.md".to_string()].into();
    let ctx = render::Context {
        root: dir.path(),
        base: &decisions,
        decisions_dir: &decisions,
        decision_files: &files,
        decision_numbers: &[(7, "0007-x.md".to_string())].into(),
    };
    proptest!(config(), |(bytes in input())| {
        let text = String::from_utf8_lossy(&bytes);
        let html = SLOWEST.time(&bytes, || render::to_html(&text, &ctx))?;
        prop_assert!(!html.contains("<script"), "{}", html);
    });
    SLOWEST.report();
}

/// A query: a mutated seed query, a line of a corpus file, or a mutated mix of both.
fn query() -> impl Strategy<Value = String> {
    const QUERIES: &[&str] = &[
        "postgres status:accepted after:2024",
        "\"card payments\" tag:db",
        "scope:later before:2027-01-01",
        "stri",
        "stripe -paypal",
        "tag:\"event sourcing\"",
        "status:superseded OR status:deprecated",
        "after:2024-02-30",
        "invoice*",
    ];
    (
        any::<Index>(),
        any::<Index>(),
        any::<bool>(),
        prop::collection::vec(mutation(), 0..6),
    )
        .prop_map(|(q, line, from_corpus, ms)| {
            let mut bytes = if from_corpus && !seeds().is_empty() {
                let file = &seeds()[q.index(seeds().len())];
                let lines: Vec<&[u8]> = file.split(|&b| b == b'\n').collect();
                lines[line.index(lines.len())].to_vec()
            } else {
                QUERIES[q.index(QUERIES.len())].as_bytes().to_vec()
            };
            for m in &ms {
                if !matches!(m, Mutation::Splice { .. }) {
                    apply(&mut bytes, m);
                }
            }
            bytes.truncate(4000);
            String::from_utf8_lossy(&bytes).into_owned()
        })
}

/// An index over the demo workspace, in a temporary folder, built once.
fn demo_index() -> &'static SearchIndex {
    static INDEX: OnceLock<(tempfile::TempDir, SearchIndex)> = OnceLock::new();
    &INDEX
        .get_or_init(|| {
            let tmp = tempfile::tempdir().unwrap();
            let root: PathBuf = tmp.path().join("demo");
            cairn_testkit::copy_dir(&cairn_testkit::demo_dir(), &root);
            let ws = Workspace::open(&root).unwrap();
            let opts = OpenOptions {
                index_dir: Some(tmp.path().join("index")),
                ..OpenOptions::default()
            };
            let (ix, _) = index::open(&ws, &opts).unwrap();
            (tmp, ix)
        })
        .1
}

#[test]
#[ignore = "fuzzing: run with `make fuzz`"]
fn fuzz_query_parser() {
    static SLOWEST: Slowest = Slowest::new("query");
    let ix = demo_index();
    proptest!(config(), |(q in query())| {
        let result = SLOWEST.time(q.as_bytes(), || ix.search(&q, &SearchOptions::default()))?;
        if let Err(e) = result {
            prop_assert_eq!(e.kind(), "query", "{}: {}", q, e);
        }
    });
    SLOWEST.report();
}

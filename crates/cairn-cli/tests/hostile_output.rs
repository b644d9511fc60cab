//! A hostile repository against the real `cairn` binary: titles, tags, statuses, cards,
//! commit messages and authors that carry terminal escape sequences, C1 controls and bidi
//! overrides reach the human output escaped, never raw; `--json` escapes them too and stays
//! exact; and the CSV
//! export defuses cells that a spreadsheet would run as formulas.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use cairn_testkit::TestRepo;

mod common;

use common::cairn;

/// Sets the terminal's title, then turns the text red.
const OSC: &str = "\x1b]0;pwned\x07\x1b[31m";

/// What must never reach a terminal raw.
fn raw_controls(s: &str) -> Vec<char> {
    s.chars()
        .filter(|&c| {
            (c.is_control() && c != '\n' && c != '\t')
                || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        })
        .collect()
}

/// Runs `cairn ARGS` and returns its stdout and stderr together.
fn run(repo: &TestRepo, args: &[&str]) -> String {
    let out = cairn(repo).args(args).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "cairn {args:?}: {stderr}");
    format!("{stdout}{stderr}")
}

/// The demo, plus a decision whose title, tag, status and body carry escapes, committed by
/// an author whose name and message carry them too, and a card with a hostile title.
fn hostile_repo() -> TestRepo {
    let repo = TestRepo::new();
    repo.add_demo();
    repo.write(
        "decisions/0013-hostile.md",
        &format!(
            "---\nstatus: \"accepted{OSC}\"\ndate: 2026-11-20\ntags: [\"db{OSC}\"]\n---\n\
             # Hostile {OSC} title \u{202e}txt.exe\n\nBody line {OSC} end\n\tindented\n\u{9b}31m C1\n"
        ),
    );
    repo.write(
        "scope/hostile.md",
        "---\nscope-map: hostile\nslices: [Now, Later]\n---\n## Now\n\
         - [ ] Card \u{1b}]0;pwned\u{07}\u{1b}[31m red ^c-900\n\
         - [ ] =HYPERLINK(\"http://evil.example\",\"x\") ^c-901\n\
         - [ ] @SUM(1+1) ^c-902\n\
         - [ ] +1 ^c-903\n",
    );
    commit_as_mallory(&repo);
    repo
}

/// Commits everything with an author name and a message that carry escapes.
fn commit_as_mallory(repo: &TestRepo) {
    let mut index = repo.repo.index().unwrap();
    index
        .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
        .unwrap();
    index.write().unwrap();
    let tree = repo.repo.find_tree(index.write_tree().unwrap()).unwrap();
    let author = git2::Signature::new(
        &format!("Mallory {OSC}\u{202e}"),
        "m@evil.example",
        &git2::Time::new(1_780_000_000, 0),
    )
    .unwrap();
    let parent = repo.head_commit().unwrap();
    repo.repo
        .commit(
            Some("HEAD"),
            &author,
            &author,
            &format!("Add ADR 13 {OSC}\x1b[2J"),
            &tree,
            &[&parent],
        )
        .unwrap();
}

#[test]
fn human_output_carries_no_raw_control_characters() {
    let repo = hostile_repo();
    for args in [
        &["list"][..],
        &["show", "13"],
        &["history", "13"],
        &["lint"],
        &["toc"],
        &["board"],
        &["search", "hostile"],
    ] {
        let out = run(&repo, args);
        assert_eq!(
            raw_controls(&out),
            Vec::<char>::new(),
            "cairn {args:?}:\n{out}"
        );
    }
    let list = run(&repo, &["list"]);
    assert!(
        list.contains("Hostile \\x1b]0;pwned\\x07\\x1b[31m title \\u{202e}txt.exe"),
        "{list}"
    );
    let show = run(&repo, &["show", "13"]);
    assert!(
        show.contains("Body line \\x1b]0;pwned\\x07\\x1b[31m end\n\tindented\n\\u{9b}31m C1\n"),
        "the body keeps its line breaks and tabs: {show}"
    );
    let history = run(&repo, &["history", "13"]);
    assert!(history.contains("Mallory \\x1b]0;pwned"), "{history}");
    assert!(history.contains("Add ADR 13 \\x1b]0;pwned"), "{history}");
    let board = run(&repo, &["board"]);
    assert!(board.contains("Card \\x1b]0;pwned"), "{board}");
}

/// `--json` carries no raw control or bidi character either (C1 controls and overrides are
/// `\uXXXX` escapes, as C0 ones are), and reads back as exactly what the files hold.
#[test]
fn json_output_stays_exact() {
    let repo = hostile_repo();
    for args in [
        &["--json", "show", "13"][..],
        &["--json", "list"],
        &["--json", "board"],
    ] {
        let out = run(&repo, args);
        assert_eq!(raw_controls(&out), Vec::<char>::new(), "{args:?}: {out}");
    }
    let out = run(&repo, &["--json", "show", "13"]);
    assert!(out.contains("\\u202e") && out.contains("\\u009b"), "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let title = v["decision"]["title"].as_str().unwrap();
    assert!(
        title.contains(&format!("Hostile {OSC} title \u{202e}txt.exe")),
        "{title}"
    );
    assert!(v["text"].as_str().unwrap().contains("\u{9b}31m C1"));
}

#[test]
fn csv_export_defuses_formulas() {
    let repo = hostile_repo();
    let out = cairn(&repo)
        .args(["board", "--map", "hostile", "--export", "csv"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let csv = String::from_utf8(out.stdout).unwrap();
    assert!(
        csv.contains(",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\","),
        "{csv}"
    );
    assert!(csv.contains(",'@SUM(1+1),"), "{csv}");
    assert!(csv.contains(",'+1,"), "{csv}");
    for line in csv.lines().skip(1) {
        // No cell (quoted or not) starts with a formula character.
        for cell in line.split(',') {
            let cell = cell.trim_start_matches('"');
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{cell:?} in {line}"
            );
        }
    }
}

//! A cloned repository is untrusted input: the real `cairn` binary on repositories built to
//! exhaust it (YAML alias bombs in a decision, a scope map and `.log4brains.yml`; a 60 MB
//! decision and a 60 MB version in its history; nesting a hundred thousand levels deep)
//! finishes with a diagnostic that names the file and line, instead of eating the machine.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use cairn_testkit::TestRepo;

mod common;

use common::output as run;

/// Nine keys of nine aliases each ("billion laughs"): 9^9 strings once expanded. The keys
/// start at `first_line` of the file; the fifth key's first alias crosses the bound.
fn alias_bomb() -> String {
    let mut s = String::from("a: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\n");
    for (prev, name) in ('a'..='h').zip('b'..='i') {
        let refs = vec![format!("*{prev}"); 9].join(",");
        s.push_str(&format!("{name}: &{name} [{refs}]\n"));
    }
    s
}

/// The line (1-based, counting from the line of `a:`) the bound is crossed on.
const BOMB_LINE: usize = 5;

fn workspace(repo: &TestRepo) {
    repo.write(".cairn.toml", "decisions = \"docs/decisions\"\n");
    repo.write(
        "docs/decisions/0001-use-postgres.md",
        "---\nstatus: accepted\n---\n# Use Postgres\n\nWe use Postgres.\n",
    );
}

#[test]
fn an_alias_bomb_in_a_decision_is_refused_with_its_file_and_line() {
    let repo = TestRepo::new();
    workspace(&repo);
    let file = "docs/decisions/0002-billion-laughs.md";
    repo.write(
        file,
        &format!(
            "---\ntitle: Billion laughs\nstatus: proposed\n{}---\n\nLaughs.\n",
            alias_bomb()
        ),
    );
    repo.commit_all("hostile");
    let line = 3 + BOMB_LINE; // `---`, title and status come first

    let (ok, out, err) = run(&repo, &["list", "--json"]);
    assert!(ok, "{err}");
    let list: serde_json::Value = serde_json::from_str(&out).unwrap();
    let bomb = &list.as_array().unwrap()[1];
    assert_eq!(bomb["title"], "Billion laughs", "still listed, by its keys");
    assert_eq!(bomb["status"]["kind"], "proposed");
    let diag = &bomb["diagnostics"][0];
    assert_eq!(diag["line"], line, "{diag}");
    assert!(
        diag["message"].as_str().unwrap().contains("alias"),
        "{diag}"
    );

    let (ok, out, err) = run(&repo, &["show", "2"]);
    assert!(ok, "{err}");
    assert!(
        out.contains(&format!(
            "0002-billion-laughs.md:{line}: Error: front matter refused"
        )),
        "{out}"
    );

    let (ok, out, err) = run(&repo, &["search", "laughs"]);
    assert!(ok, "{err}");
    assert!(out.contains("Billion laughs"), "{out}");

    let (_, out, _) = run(&repo, &["lint"]);
    assert!(
        out.contains(&format!("0002-billion-laughs.md:{line}:")) && out.contains("alias"),
        "{out}"
    );
}

#[test]
fn an_alias_bomb_in_a_scope_map_is_refused_with_its_file_and_line() {
    let repo = TestRepo::new();
    workspace(&repo);
    repo.write(
        "docs/scope/hostile.md",
        &format!(
            "---\nscope-map: hostile\n{}---\n## Now\n- [ ] Still read ^c-001\n",
            alias_bomb()
        ),
    );
    repo.commit_all("hostile");
    let line = 2 + BOMB_LINE;
    let (ok, out, err) = run(&repo, &["board"]);
    assert!(ok, "{err}");
    assert!(
        out.contains("Still read"),
        "the cards are still read: {out}"
    );
    assert!(
        err.contains(&format!("hostile.md:{line}: error: front matter refused")),
        "{err}"
    );
}

#[test]
fn an_alias_bomb_in_log4brains_yml_is_refused_with_its_file_and_line() {
    let repo = TestRepo::new();
    repo.write(
        ".log4brains.yml",
        &format!("project:\n  adrFolder: ./docs/adr\n{}", alias_bomb()),
    );
    repo.write("docs/adr/0001-x.md", "# X\n");
    let line = 2 + BOMB_LINE;
    let (ok, _, err) = run(&repo, &["list"]);
    assert!(!ok);
    assert!(
        err.contains(&format!(".log4brains.yml:{line}: configuration: refused")),
        "{err}"
    );
}

/// A decision whose metadata is ordinary and whose body is 60 MB.
fn huge_decision(title: &str) -> String {
    let mut text = format!("# {title}\n\n* Status: accepted\n\n## Context\n\n");
    let line = "All work and no play makes Jack a dull boy.\n";
    text.push_str(&line.repeat(60 * 1024 * 1024 / line.len()));
    text
}

#[test]
fn a_60_mb_decision_is_shown_by_its_metadata_with_a_note() {
    let repo = TestRepo::new();
    workspace(&repo);
    repo.write("docs/decisions/0002-huge.md", &huge_decision("Huge"));

    let (ok, out, err) = run(&repo, &["show", "2"]);
    assert!(ok, "{err}");
    assert!(out.len() < 4096, "{} bytes printed", out.len());
    assert!(out.starts_with("Huge\n"), "{out}");
    assert!(out.contains("status:   accepted"), "{out}");
    assert!(out.contains("The body is not shown"), "{out}");
    assert!(!out.contains("Jack"), "{out}");

    let (ok, out, err) = run(&repo, &["list", "--json"]);
    assert!(ok, "{err}");
    let list: serde_json::Value = serde_json::from_str(&out).unwrap();
    let huge = &list.as_array().unwrap()[1];
    assert_eq!(huge["title"], "Huge");
    assert!(
        huge["diagnostics"][0]["message"]
            .as_str()
            .unwrap()
            .contains("byte limit"),
        "{huge}"
    );
    let (ok, _, err) = run(&repo, &["search", "Jack"]);
    assert!(!ok, "the unread body is not searchable either: {err}");
}

#[test]
fn a_60_mb_decision_is_not_edited() {
    let repo = TestRepo::new();
    workspace(&repo);
    let file = "docs/decisions/0002-huge.md";
    repo.write(file, &huge_decision("Huge"));
    let commit = repo.commit_all("huge");
    let before = std::fs::read(repo.path().join(file)).unwrap();
    for args in [
        &["status", "2", "superseded"][..],
        &["link", "2", "amends", "1"],
    ] {
        let (ok, _, err) = run(&repo, args);
        assert!(!ok, "{args:?} was refused");
        assert!(err.contains("is too large to edit"), "{args:?}: {err}");
    }
    assert!(std::fs::read(repo.path().join(file)).unwrap() == before);
    assert_eq!(repo.head(), Some(commit), "nothing was committed");
}

#[test]
fn a_60_mb_version_in_history_is_too_large_to_diff() {
    let repo = TestRepo::new();
    workspace(&repo);
    let file = "docs/decisions/0002-huge.md";
    repo.write(file, "# Huge\n\n* Status: proposed\n");
    repo.commit_all("small");
    repo.write(file, &huge_decision("Huge"));
    repo.commit_all("huge");
    for args in [
        &["diff", "2", "HEAD~1", "HEAD"][..],
        &["diff", "2", "HEAD~1"],
    ] {
        let (ok, out, err) = run(&repo, args);
        assert!(!ok, "{args:?}: {out}");
        assert!(out.is_empty(), "{args:?}: nothing diffed");
        assert!(err.contains("is too large to diff"), "{args:?}: {err}");
    }
}

#[test]
fn deep_nesting_in_front_matter_and_body_does_not_overflow() {
    let repo = TestRepo::new();
    workspace(&repo);
    let deep = 100_000;
    // Flow nesting, which yaml-rust2's scanner stops at 255 levels by itself, and block
    // nesting, which it does not (the loader then recursed once per level).
    repo.write(
        "docs/decisions/0002-deep.md",
        &format!(
            "---\nstatus: proposed\ntags: {}\n---\n# Deep\n\n{} quoted\n\n{} item\n",
            "[".repeat(deep),
            ">".repeat(deep),
            "- ".repeat(deep),
        ),
    );
    repo.write(
        "docs/decisions/0003-block.md",
        &format!(
            "---\nstatus: proposed\nlist:\n{}x\n---\n# Block\n",
            "- ".repeat(deep)
        ),
    );
    repo.commit_all("deep");

    let (ok, out, err) = run(&repo, &["list", "--json"]);
    assert!(ok, "{err}");
    let list: serde_json::Value = serde_json::from_str(&out).unwrap();
    let flow = &list.as_array().unwrap()[1];
    assert_eq!(flow["title"], "Deep");
    assert_eq!(flow["diagnostics"][0]["line"], 3, "{flow}");
    let block = &list.as_array().unwrap()[2];
    assert_eq!(block["title"], "Block");
    assert_eq!(block["status"]["kind"], "proposed");
    let diag = &block["diagnostics"][0];
    assert_eq!(diag["line"], 4, "{diag}");
    assert!(
        diag["message"]
            .as_str()
            .unwrap()
            .contains("refused: nested more than 64 levels"),
        "{diag}"
    );
    for n in ["2", "3"] {
        let (ok, out, err) = run(&repo, &["show", n]);
        assert!(ok, "show {n}: {err}");
        assert!(out.contains("front matter"), "{out}");
    }
    let (ok, out, err) = run(&repo, &["search", "quoted"]);
    assert!(ok && out.contains("Deep"), "{out}{err}");
}

//! End-to-end tests of the `cairn` binary: real processes, real Git repositories, and the
//! real adr-tools where it is installed, to prove Cairn's files stay adr-tools' files.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::Command as StdCommand;

use assert_cmd::Command;
use cairn_testkit::TestRepo;
use predicates::prelude::*;

mod common;

use common::{cairn, DATE};

/// Whether adr-tools is installed: skipped when it is not, a failure under CI.
fn adr_tools() -> bool {
    cairn_testkit::inputs::input_program("adr", &["help"], "apt-get install adr-tools")
}

fn adr(repo: &TestRepo, args: &[&str]) -> String {
    let out = StdCommand::new("adr")
        .args(args)
        .current_dir(repo.path())
        .env("VISUAL", "true")
        .env("EDITOR", "true")
        .env("ADR_DATE", DATE)
        .output()
        .expect("run adr");
    assert!(
        out.status.success(),
        "adr {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn list_and_show_the_demo_log() {
    let repo = TestRepo::new();
    repo.add_demo();
    let out = cairn(&repo).args(["list", "--json"]).output().unwrap();
    assert!(out.status.success());
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 12, "README.md is not a decision");
    assert!(list.iter().all(|d| d["title"].is_string()));

    cairn(&repo)
        .args(["list", "--status", "superseded"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Generate PDFs in the browser"))
        .stdout(predicate::str::contains("Take card payments").not());

    cairn(&repo)
        .args(["show", "9"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "supersedes: 3 Generate PDFs in the browser",
        ));
    cairn(&repo)
        .args(["show", "99"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no decision matches \"99\""));
}

#[test]
fn new_status_and_link_are_one_commit_each_touching_only_their_files() {
    let repo = TestRepo::new();
    repo.add_demo();
    // The user's own work in progress, staged and unstaged, must survive.
    repo.write("notes.txt", "staged\n");
    let mut index = repo.repo.index().unwrap();
    index.add_path(Path::new("notes.txt")).unwrap();
    index.write().unwrap();
    repo.write("decisions/README.md", "unstaged edit\n");

    let before = repo.commit_count();
    cairn(&repo)
        .args([
            "new",
            "Use",
            "OpenTelemetry",
            "for",
            "tracing",
            "--link",
            "12:Relates to",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "0013-use-opentelemetry-for-tracing.md",
        ));
    assert_eq!(repo.commit_count(), before + 1);
    let head = repo.head().unwrap();
    let mut files = repo.files_in_commit(head);
    files.sort();
    assert_eq!(
        files,
        [
            "decisions/0012-deploy-to-a-single-managed-container-host.md",
            "decisions/0013-use-opentelemetry-for-tracing.md"
        ]
    );
    let msg = repo.head_commit().unwrap().message().unwrap().to_string();
    assert!(
        msg.starts_with("ADR 0013: new decision \"Use OpenTelemetry for tracing\""),
        "{msg}"
    );

    cairn(&repo)
        .args(["status", "13", "accepted"])
        .assert()
        .success();
    let msg = repo.head_commit().unwrap().message().unwrap().to_string();
    assert_eq!(msg.trim(), "ADR 0013: status proposed → accepted");

    // The user's work is exactly as it was.
    assert_eq!(
        repo.index_blob("notes.txt").as_deref(),
        Some(&b"staged\n"[..])
    );
    assert_eq!(repo.read("decisions/README.md"), "unstaged edit\n");
    assert!(!repo.head_files().contains(&"notes.txt".to_string()));

    let out = cairn(&repo)
        .args(["show", "13", "--json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["decision"]["status"]["kind"], "accepted");
    assert_eq!(v["decision"]["links"][0]["relation"], "relates-to");
    assert_eq!(v["decision"]["links"][0]["target_number"], 12);
}

#[test]
fn supersede_changes_both_files_and_nothing_else() {
    let repo = TestRepo::new();
    repo.add_demo();
    let old_path = "decisions/0006-use-postgresql-as-the-primary-store.md";
    let old = repo.read(old_path);
    cairn(&repo)
        .args(["new", "Use CockroachDB", "--supersedes", "6"])
        .assert()
        .success();
    let new = repo.read(old_path);
    let removed: Vec<&str> = old
        .lines()
        .filter(|l| !new.lines().any(|n| n == *l))
        .collect();
    let added: Vec<&str> = new
        .lines()
        .filter(|l| !old.lines().any(|o| o == *l))
        .collect();
    assert_eq!(removed, ["status: accepted"]);
    assert_eq!(added, ["status: superseded", "superseded-by: [ADR-0013]"]);
    let out = cairn(&repo).args(["list", "--json"]).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let six = v
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["number"] == 6)
        .unwrap();
    assert_eq!(six["status"]["kind"], "superseded");
}

#[test]
fn a_plain_folder_gets_files_and_says_there_is_no_commit() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("docs/adr")).unwrap();
    Command::cargo_bin("cairn")
        .unwrap()
        .current_dir(dir.path())
        .env("CAIRN_DATE", DATE)
        .args(["new", "First decision"])
        .assert()
        .success()
        .stderr(predicate::str::contains("not a Git repository"));
    assert!(dir.path().join("docs/adr/0001-first-decision.md").is_file());
}

#[test]
fn no_git_identity_is_a_clear_error_and_writes_nothing() {
    let repo = TestRepo::without_identity();
    repo.write("docs/adr/.keep", "");
    cairn(&repo)
        .args(["new", "First decision"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("git config --global user.name"));
    assert!(!repo.path().join("docs/adr/0001-first-decision.md").exists());
}

#[test]
fn init_creates_a_workspace_with_a_first_record_in_a_repository_without_commits() {
    let repo = TestRepo::new();
    cairn(&repo)
        .args(["init", "--dialect", "nygard"])
        .assert()
        .success();
    assert_eq!(repo.commit_count(), 1);
    let text = repo.read("docs/decisions/0001-record-architecture-decisions.md");
    assert!(
        text.starts_with("# 1. Record architecture decisions\n\nDate: 2026-11-21\n"),
        "{text}"
    );
    cairn(&repo)
        .args(["new", "Second"])
        .assert()
        .success()
        .stdout(predicate::str::contains("0002-second.md"));
    cairn(&repo)
        .args(["init"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("already exists"));
}

/// The demo's ADR 0006 names "ADR-0005" in its prose: `show 5` lists it as "mentioned by",
/// in text and JSON; a reference to a record that does not exist is a lint warning with
/// its file and line, which leaves the exit code at 0.
#[test]
fn references_in_prose_show_as_mentioned_by_and_lint_warns_on_missing_ones() {
    let repo = TestRepo::new();
    repo.add_demo();
    cairn(&repo)
        .args(["show", "5"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "  mentioned by: 6 Use PostgreSQL as the primary store\n",
        ));
    let out = cairn(&repo).args(["show", "5", "--json"]).output().unwrap();
    let shown: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        shown["mentioned_by"][0]["file_name"],
        "0006-use-postgresql-as-the-primary-store.md"
    );
    assert_eq!(shown["mentioned_by"][0]["relation"], "mentions");

    repo.write(
        "decisions/0013-later.md",
        "# 13. Later\n\nDate: 2026-01-01\n\n## Status\n\nAccepted\n\n## Context\n\nAs ADR 0077 will say.\n",
    );
    let out = cairn(&repo).arg("lint").output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout
            .contains("0013-later.md:11: warning[broken-mention]: the text refers to \"ADR 0077\""),
        "{stdout}"
    );
}

/// A decision's `review-by` date, once come, is listed by `cairn due` after the cards (and
/// fails `--check`); the day is the tests' `CAIRN_DATE`, 2026-11-21.
#[test]
fn due_lists_decisions_whose_review_date_has_come() {
    let repo = TestRepo::new();
    repo.add_demo();
    repo.write(
        "decisions/0013-review-me.md",
        "---\nstatus: accepted\ndate: 2026-01-01\nreview-by: 2026-11-01\nrevisit-when: the bill doubles\n---\n# Review me\n",
    );
    repo.write(
        "decisions/0014-not-yet.md",
        "---\nstatus: accepted\ndate: 2026-01-01\nreview-by: 2027-01-01\n---\n# Not yet\n",
    );
    let out = cairn(&repo).args(["due", "--check"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.ends_with(
            "ADR 0013 Review me  (accepted)\n          revisit when: the bill doubles\n          \
             review by: 2026-11-01  DUE\n"
        ),
        "{stdout}"
    );
    assert!(!stdout.contains("Not yet"), "{stdout}");
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("3 card(s) due for a revisit and 1 decision(s) due for review (2026-11-21)"));
    let out = cairn(&repo).args(["due", "--json"]).output().unwrap();
    let items: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let last = items.as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["kind"], "review");
    assert_eq!(last["id"], "0013");
    assert_eq!(last["review_by"], "2026-11-01");
}

/// adr-tools keeps metadata in the Status section, so a review date is a line there.
#[test]
fn an_adr_tools_record_keeps_its_review_date_in_the_status_section() {
    let repo = TestRepo::new();
    repo.write(".adr-dir", "doc/adr\n");
    repo.write(
        "doc/adr/0001-record-architecture-decisions.md",
        "# 1. Record architecture decisions\n\nDate: 2026-01-01\n\n## Status\n\nAccepted\n\n\
         Review by: 2026-06-01\n\n## Context\n\nText.\n",
    );
    repo.commit_all("adr");
    let out = cairn(&repo).args(["due"]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.starts_with("ADR 0001 Record architecture decisions  (accepted)\n"),
        "{stdout}"
    );
    cairn(&repo).args(["due", "--check"]).assert().code(1);
}

/// A proposal older than `stale-proposal-days` (default 30) is a lint warning.
#[test]
fn lint_warns_on_proposals_left_open_too_long() {
    let repo = TestRepo::new();
    repo.add_demo();
    repo.write(
        "decisions/0013-old-idea.md",
        "---\nstatus: proposed\ndate: 2026-10-01\n---\n# Old idea\n",
    );
    let out = cairn(&repo).arg("lint").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("0013-old-idea.md:2: warning[stale-proposal]: proposed 51 days ago"),
        "{stdout}"
    );
    let toml = repo.read(".cairn.toml") + "stale-proposal-days = 60\n";
    repo.write(".cairn.toml", &toml);
    let out = cairn(&repo).arg("lint").output().unwrap();
    assert!(!String::from_utf8_lossy(&out.stdout).contains("stale-proposal"));
}

#[test]
fn lint_exit_code_is_usable_in_ci() {
    let repo = TestRepo::new();
    repo.add_demo();
    cairn(&repo).arg("lint").assert().success();
    repo.write(
        "decisions/0013-broken.md",
        "# 13. Broken\n\nDate: 2026-01-01\n\n## Status\n\nAccepted\n\nAmends [40. Nothing](0040-nothing.md)\n",
    );
    repo.write(
        "decisions/0013-twin.md",
        "# 13. Twin\n\nDate: 2026-01-01\n\n## Status\n\nAccepted\n",
    );
    let out = cairn(&repo).args(["lint", "--json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let findings: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let codes: Vec<&str> = findings
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"duplicate-number"), "{codes:?}");
    assert!(codes.contains(&"broken-link"), "{codes:?}");
}

#[test]
fn toc_graph_and_templates() {
    let repo = TestRepo::new();
    repo.add_demo();
    cairn(&repo)
        .arg("toc")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "0009-generate-pdfs-on-the-server.md",
        ));
    cairn(&repo)
        .args(["graph", "--format", "mermaid"])
        .assert()
        .success()
        .stdout(predicate::str::contains("adr9"));
    cairn(&repo)
        .args(["graph", "--format", "dot"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("digraph"));
    let out = cairn(&repo).arg("templates").output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    for name in [
        "cairn",
        "madr-full",
        "madr-minimal",
        "nygard",
        "one-way-door",
        "y-statement",
    ] {
        assert!(
            text.lines().any(|l| l.starts_with(name)),
            "{name} missing in {text}"
        );
    }
}

/// adr-tools must keep working on files Cairn wrote, and Cairn must read what adr-tools
/// wrote: `adr list`, `adr new -s`, `adr link` on Cairn's files; Cairn on adr's.
#[test]
fn adr_tools_and_cairn_work_on_each_others_files() {
    if !adr_tools() {
        return;
    }
    let repo = TestRepo::new();
    adr(&repo, &["init", "doc/adr"]);
    repo.commit_all("adr init");
    cairn(&repo).args(["new", "Use Rust"]).assert().success();
    cairn(&repo)
        .args(["new", "Use Tauri", "--link", "2:Amends"])
        .assert()
        .success();

    let list = adr(&repo, &["list"]);
    assert_eq!(
        list.lines().collect::<Vec<_>>(),
        [
            "doc/adr/0001-record-architecture-decisions.md",
            "doc/adr/0002-use-rust.md",
            "doc/adr/0003-use-tauri.md"
        ]
    );
    adr(&repo, &["new", "-s", "2", "Use", "Zig"]);
    adr(&repo, &["link", "4", "Amends", "3", "Amended by"]);
    let text = repo.read("doc/adr/0002-use-rust.md");
    assert!(
        text.contains("Superseded by [4. Use Zig](0004-use-zig.md)"),
        "{text}"
    );

    let out = cairn(&repo).args(["list", "--json"]).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let by_number = |n: u64| {
        v.as_array()
            .unwrap()
            .iter()
            .find(|d| d["number"] == n)
            .unwrap()
            .clone()
    };
    assert_eq!(by_number(2)["status"]["kind"], "superseded");
    assert_eq!(by_number(4)["title"], "Use Zig");
    let links: Vec<(String, u64)> = by_number(3)["links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["relation"].as_str().unwrap().to_string(),
                l["target_number"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        links,
        [("amends".to_string(), 2), ("amended-by".to_string(), 4)]
    );
    cairn(&repo).arg("lint").assert().success();
}

/// With the same template, `cairn new --supersedes` writes byte for byte what
/// `adr new -s` writes, in both files.
#[test]
fn cairn_writes_exactly_what_adr_tools_writes() {
    if !adr_tools() {
        return;
    }
    let mut trees = Vec::new();
    for tool in ["adr", "cairn"] {
        let repo = TestRepo::new();
        adr(&repo, &["init", "doc/adr"]);
        repo.write("doc/adr/templates/template.md", "# NUMBER. TITLE\n\nDate: DATE\n\n## Status\n\nSTATUS\n\n## Context\n\nWhy.\n\n## Decision\n\nWhat.\n\n## Consequences\n\nSo.\n");
        repo.commit_all("init");
        match tool {
            "adr" => {
                adr(&repo, &["new", "Use", "Postgres"]);
                adr(
                    &repo,
                    &[
                        "new",
                        "-s",
                        "2",
                        "-l",
                        "1:Amends:Amended by",
                        "Use",
                        "SQLite",
                    ],
                );
            }
            _ => {
                cairn(&repo)
                    .args(["new", "--status", "accepted", "Use", "Postgres"])
                    .assert()
                    .success();
                cairn(&repo)
                    .args([
                        "new", "--status", "accepted", "-s", "2", "-l", "1:Amends", "Use", "SQLite",
                    ])
                    .assert()
                    .success();
            }
        }
        let files: Vec<(String, String)> = [
            "0001-record-architecture-decisions.md",
            "0002-use-postgres.md",
            "0003-use-sqlite.md",
        ]
        .iter()
        .map(|f| (f.to_string(), repo.read(&format!("doc/adr/{f}"))))
        .collect();
        trees.push(files);
    }
    for (a, b) in trees[0].iter().zip(&trees[1]) {
        assert_eq!(a.1, b.1, "{} differs between adr-tools and cairn", a.0);
    }
}

#[test]
fn link_writes_both_sides_and_knows_supersession_and_custom_relations() {
    let repo = TestRepo::new();
    repo.add_demo();
    let two = "decisions/0002-use-sqlite-for-the-prototype.md";
    let one = "decisions/0001-record-architecture-decisions.md";
    let (before_one, before_two) = (repo.read(one), repo.read(two));
    cairn(&repo)
        .args(["link", "2", "Depends on", "1", "Enables"])
        .assert()
        .success();
    let (after_one, after_two) = (repo.read(one), repo.read(two));
    assert_eq!(
        after_two,
        before_two.replacen(
            "\n## Context",
            "\nDepends on [1. Record architecture decisions](0001-record-architecture-decisions.md)\n\n## Context",
            1
        )
    );
    assert!(after_one.contains(
        "Enables [2. Use SQLite for the prototype](0002-use-sqlite-for-the-prototype.md)\n"
    ));
    assert_eq!(after_one.lines().count(), before_one.lines().count() + 2);

    cairn(&repo)
        .args(["link", "2", "Blocks", "1"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("give the reverse"));
    cairn(&repo)
        .args(["link", "12", "supersedes", "5"])
        .assert()
        .success();
    let out = cairn(&repo).args(["show", "5", "--json"]).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["decision"]["status"]["kind"], "superseded");
    cairn(&repo).arg("lint").assert().success();
}

#[test]
fn search_finds_with_filters_and_reports_bad_queries() {
    let repo = TestRepo::new();
    repo.add_demo();
    let index = tempfile::tempdir().unwrap();
    let search = |args: &[&str]| {
        let mut cmd = cairn(&repo);
        cmd.env("CAIRN_INDEX_DIR", index.path().join("idx"))
            .arg("search")
            .args(args);
        cmd
    };
    let out = search(&["pdf", "status:accepted", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let numbers: Vec<u64> = v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["number"].as_u64().unwrap())
        .collect();
    assert!(numbers.contains(&9) && !numbers.contains(&3), "{numbers:?}");
    search(&["Stripe"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Take card payments with Stripe"));
    // Scope-map cards come up beside decisions, with their id, column and map.
    search(&["dark", "mode"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "^c-024  inbox       Dark mode  (card, ledgerly-mvp)",
        ));
    search(&["zzzqqq"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("no decision matches"));
    search(&["\"unclosed"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("never closed"));
    assert!(
        !repo.path().join("idx").exists(),
        "the index never lives in the repository"
    );
}

/// The demo with two decisions numbered 13, as two branches that both added one leave it:
/// `0013-alpha.md` and `name` with `text`.
fn two_thirteens(name: &str, text: &str) -> TestRepo {
    let repo = TestRepo::new();
    repo.add_demo();
    repo.write(
        "decisions/0013-alpha.md",
        "# 13. Alpha\n\nDate: 2026-11-01\n\n## Status\n\nAccepted\n",
    );
    repo.write(&format!("decisions/{name}"), text);
    repo
}

#[test]
fn renumber_resolves_a_number_clash_in_one_commit() {
    let repo = two_thirteens(
        "0013-beta.md",
        "# 13. Beta\n\nDate: 2026-11-02\n\n## Status\n\nAccepted\n\nRelates to [1. Record architecture decisions](0001-record-architecture-decisions.md)\n",
    );
    let one = "decisions/0001-record-architecture-decisions.md";
    let text = repo.read(one);
    let text = text.replacen(
        "\n## Context",
        "\nRelates to [13. Beta](0013-beta.md)\n\n## Context",
        1,
    );
    repo.write(one, &text);
    repo.commit_all("two branches both added 0013");
    cairn(&repo)
        .arg("lint")
        .assert()
        .code(1)
        .stdout(predicate::str::contains("duplicate-number"));
    cairn(&repo)
        .args(["renumber", "13"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("more than one"));

    cairn(&repo)
        .args(["renumber", "0013-beta"])
        .assert()
        .success();
    assert!(!repo.path().join("decisions/0013-beta.md").exists());
    assert!(repo
        .read("decisions/0014-beta.md")
        .starts_with("# 14. Beta\n"));
    assert_eq!(
        repo.read(one),
        text.replace("[13. Beta](0013-beta.md)", "[14. Beta](0014-beta.md)")
    );
    let mut files = repo.files_in_commit(repo.head().unwrap());
    files.sort();
    assert_eq!(
        files,
        [one, "decisions/0013-beta.md", "decisions/0014-beta.md"]
    );
    cairn(&repo).arg("lint").assert().success();
}

/// A link may spell the file percent-encoded, in angle brackets, with an anchor or a query:
/// renumbering rewrites each in its own spelling, and no link is left pointing at the old name.
#[test]
fn renumber_rewrites_links_however_they_spell_the_file() {
    let repo = two_thirteens(
        "0013-two words.md",
        "# 13. Two words\n\nDate: 2026-11-02\n\n## Status\n\nAccepted\n",
    );
    let one = "decisions/0001-record-architecture-decisions.md";
    let links = "Relates to [encoded](0013-two%20words.md#status)\n\n\
                 Relates to [bracketed](<./0013-two words.md>)\n\n\
                 Relates to [queried](0013-two%20words.md?plain=1)\n\n\
                 In prose: [see](0013-two%20words.md).\n\n";
    let text = repo
        .read(one)
        .replacen("\n## Context", &format!("\n{links}## Context"), 1);
    repo.write(one, &text);
    repo.commit_all("two branches both added 0013");

    cairn(&repo)
        .args(["renumber", "0013-two words"])
        .assert()
        .success()
        .stderr(predicate::str::contains("4 link(s) updated"));
    assert!(repo.path().join("decisions/0014-two words.md").exists());
    let renamed = links
        .replace("0013-two%20words.md", "0014-two%20words.md")
        .replace("0013-two words.md", "0014-two words.md");
    assert_eq!(repo.read(one), text.replace(links, &renamed));
    cairn(&repo).arg("lint").assert().success();
}

#[test]
fn history_and_diff_of_a_decision() {
    let repo = TestRepo::new();
    repo.add_demo();
    cairn(&repo)
        .args(["status", "12", "accepted"])
        .assert()
        .success();
    let out = cairn(&repo)
        .args(["history", "12", "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let versions = v["versions"].as_array().unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(
        versions[0]["summary"],
        "ADR 0012: status proposed → accepted"
    );
    assert_eq!(v["created"]["author"], "Cairn Test");
    cairn(&repo)
        .args(["diff", "12", "HEAD~1", "HEAD"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "-status: proposed\n+status: accepted\n",
        ));
}

#[test]
fn dates_come_from_git_when_the_file_has_none() {
    let repo = TestRepo::new();
    repo.write("docs/adr/use-x.md", "# Use X\n\nWe use X.\n");
    repo.commit_all("add");
    let out = cairn(&repo).args(["list", "--json"]).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let date = v[0]["date"].as_str().unwrap().to_string();
    let head_time = repo.head_commit().unwrap().time().seconds();
    let expected = chrono::DateTime::from_timestamp(head_time, 0)
        .unwrap()
        .date_naive()
        .to_string();
    assert_eq!(date, expected);
}

/// Every cache comes from one cache folder: with `CAIRN_CACHE_DIR` set, both the search
/// index and the history cache are written under it, and nothing under the home folder's
/// default cache.
#[test]
fn every_cache_lives_under_the_one_cache_folder() {
    let repo = TestRepo::new();
    repo.add_demo();
    let cache = repo.home().join("elsewhere");
    for args in [&["search", "database"][..], &["history", "1"]] {
        cairn(&repo)
            .env("CAIRN_CACHE_DIR", &cache)
            .env_remove("XDG_CACHE_HOME")
            .args(args)
            .assert()
            .success();
    }
    for kind in ["index", "history"] {
        assert!(
            cache.join(kind).is_dir(),
            "no {kind} cache under CAIRN_CACHE_DIR"
        );
    }
    assert!(!repo.home().join(".cache/cairn").exists());
}

/// `cairn search` and `cairn list` answer from caches (the index, the row cache) that a warm
/// run checks only by each file's time and size: an edit in place (which leaves the folder's
/// own time alone), a new file and a deleted one must all show in the next run.
#[test]
fn search_and_list_see_every_change_since_the_last_run() {
    let repo = TestRepo::new();
    repo.add_demo();
    let run = |args: &[&str]| common::output(&repo, args);
    assert!(run(&["search", "postgresql"]).0);
    assert!(run(&["list"]).0);
    let decisions = repo.path().join("decisions");
    let edited = decisions.join("0006-use-postgresql-as-the-primary-store.md");
    let text = std::fs::read_to_string(&edited).unwrap();
    // Same size, title changed too; the time is set ahead instead of waiting for the clock.
    let new_text = text.replace("PostgreSQL", "Zebrafinch");
    assert_eq!(new_text.len(), text.len());
    std::fs::write(&edited, &new_text).unwrap();
    let file = std::fs::File::options().write(true).open(&edited).unwrap();
    file.set_modified(std::time::SystemTime::now() + std::time::Duration::from_secs(10))
        .unwrap();
    std::fs::remove_file(decisions.join("0003-generate-pdfs-in-the-browser.md")).unwrap();
    std::fs::write(
        decisions.join("0013-adopt-quokka-logging.md"),
        "# 13. Adopt quokka logging\n\nStatus: proposed\n",
    )
    .unwrap();

    let (found, out, _) = run(&["search", "zebrafinch"]);
    assert!(found && out.contains("Zebrafinch"), "{out}");
    assert!(run(&["search", "quokka"])
        .1
        .contains("Adopt quokka logging"));
    let (_, pdfs, _) = run(&["search", "browser", "pdfs"]);
    assert!(!pdfs.contains("Generate PDFs in the browser"), "{pdfs}");
    let (_, list, _) = run(&["list"]);
    assert!(list.contains("Use Zebrafinch"), "{list}");
    assert!(list.contains("Adopt quokka logging"), "{list}");
    assert!(!list.contains("Generate PDFs in the browser"), "{list}");
}

/// A decision written from the one-way-door template carries a review date a year after its
/// own date, and `cairn due --check` names it once that day has come (and not before).
#[test]
fn a_one_way_door_from_its_template_is_due_for_review_a_year_on() {
    let repo = TestRepo::new();
    repo.add_demo();
    cairn(&repo)
        .env("CAIRN_DATE", "2027-03-01")
        .args(["new", "Shard", "invoices", "--template", "one-way-door"])
        .assert()
        .success();
    let due = |date: &str| {
        cairn(&repo)
            .env("CAIRN_DATE", date)
            .args(["due", "--check"])
            .output()
            .unwrap()
    };
    let before = due("2028-02-29");
    assert!(!String::from_utf8_lossy(&before.stdout).contains("Shard invoices"));
    let on = due("2028-03-01");
    assert_eq!(on.status.code(), Some(1));
    let text = String::from_utf8_lossy(&on.stdout);
    assert!(text.contains("Shard invoices"), "{text}");
    assert!(text.contains("2028-03-01"), "{text}");
}

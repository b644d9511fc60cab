//! End-to-end tests of the board commands on the demo workspace in a real Git repository:
//! one commit per operation touching only its file, undo and its refusal, the exit codes
//! of `due --check`, and the exports.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use assert_cmd::Command;
use cairn_testkit::TestRepo;
use predicates::prelude::*;

mod common;

use common::{cairn, MAP};

fn json(cmd: &mut Command) -> serde_json::Value {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn column_ids(board: &serde_json::Value, column: &str) -> Vec<String> {
    board["columns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["column"] == column)
        .unwrap()["cards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect()
}

/// The files the last commit changed, and its summary.
fn last_commit(repo: &TestRepo) -> (Vec<String>, String) {
    let head = repo.head_commit().unwrap();
    (
        repo.files_in_commit(head.id()),
        String::from_utf8_lossy(head.message_bytes())
            .lines()
            .next()
            .unwrap_or("")
            .to_string(),
    )
}

#[test]
fn the_demo_board_has_its_cards_links_and_due_dates() {
    let repo = TestRepo::new();
    repo.add_demo();
    let board = json(cairn(&repo).args(["board", "--json"]));
    let now = column_ids(&board, "now");
    assert_eq!(now.iter().filter(|id| id.starts_with("c-")).count(), 10);
    assert!(now.contains(&"0007".to_string()));
    assert_eq!(column_ids(&board, "wont").len(), 4);
    let inbox = column_ids(&board, "inbox");
    assert!(inbox.contains(&"0012".to_string()) && inbox.contains(&"c-025".to_string()));
    // Superseded (3, 4), rejected (11) and deprecated (2) decisions are not cards.
    for gone in ["0002", "0003", "0004", "0011"] {
        assert!(
            !board.to_string().contains(&format!("\"id\":\"{gone}\"")),
            "{gone}"
        );
    }
    let cards: Vec<&serde_json::Value> = board["columns"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["cards"].as_array().unwrap())
        .collect();
    assert_eq!(
        cards.len(),
        25 + 8,
        "25 map cards and 8 decisions on the board"
    );
    let adr7 = cards.iter().find(|c| c["id"] == "0007").unwrap();
    assert_eq!(adr7["cards"], serde_json::json!(["c-008", "c-009"]));
    assert!(
        board["diagnostics"].as_array().unwrap().is_empty(),
        "{}",
        board["diagnostics"]
    );

    let out = cairn(&repo)
        .args(["board", "--map", "ledgerly-mvp"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("c-011") && !text.contains("ADR 0007 Take"),
        "{text}"
    );
    cairn(&repo)
        .args(["board", "--map", "nope"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no scope map named \"nope\""));
    // Lint is about decisions; the scope folder is not read as decisions.
    cairn(&repo).arg("lint").assert().success();
}

#[test]
fn moves_are_one_commit_touching_only_their_file_and_undo_restores_the_bytes() {
    let repo = TestRepo::new();
    repo.add_demo();
    repo.write("notes.txt", "my own unstaged work\n");
    let original = repo.read(MAP);
    let commits = repo.commit_count();

    cairn(&repo)
        .args(["move", "c-013", "now", "--before", "c-010"])
        .assert()
        .success();
    assert_eq!(repo.commit_count(), commits + 1);
    let (files, summary) = last_commit(&repo);
    assert_eq!(files, [MAP]);
    assert_eq!(
        summary,
        "Scope ledgerly-mvp: move c-013 to now (before c-010)"
    );
    let moved = repo.read(MAP);
    // The card's six lines moved; every other line is where it was.
    let block = "- [ ] Automatic reminders for overdue invoices ^c-013\n  - activity: Get paid\n  - reversibility: two-way\n  - revisit-when: a quarter of invoices are paid more than a week late\n  - revisit-by: 2026-09-30\n  - notes: until then the overdue list plus a one-click \"send reminder\" does the job\n";
    assert!(original.contains(block));
    assert!(moved.contains(&format!(
        "{block}- [ ] Paid, open and overdue at a glance ^c-010\n"
    )));
    assert_eq!(moved.replace(block, ""), original.replace(block, ""));

    let board = json(cairn(&repo).args(["board", "--json"]));
    assert!(column_ids(&board, "now").contains(&"c-013".to_string()));
    assert_eq!(board["over_limits"][0]["count"], 11, "Now's limit is 10");

    cairn(&repo).arg("undo").assert().success();
    assert_eq!(repo.read(MAP), original);
    assert_eq!(repo.commit_count(), commits + 2);
    let (files, summary) = last_commit(&repo);
    assert_eq!(files, [MAP]);
    assert_eq!(
        summary,
        "Undo: Scope ledgerly-mvp: move c-013 to now (before c-010)"
    );
    cairn(&repo)
        .arg("undo")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nothing to undo"));
    assert_eq!(repo.read("notes.txt"), "my own unstaged work\n");
    assert!(repo.status().iter().any(|(p, _)| p == "notes.txt"));
}

#[test]
fn undo_refuses_when_the_file_changed_since() {
    let repo = TestRepo::new();
    repo.add_demo();
    cairn(&repo)
        .args(["move", "c-024", "later"])
        .assert()
        .success();
    let after = repo.read(MAP);
    let edited = after.replace("Dark mode", "Dark mode for the dashboard");
    repo.write(MAP, &edited);
    let commits = repo.commit_count();
    cairn(&repo)
        .arg("undo")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("changed since").and(predicate::str::contains(MAP)));
    assert_eq!(repo.read(MAP), edited, "the user's edit is kept");
    assert_eq!(repo.commit_count(), commits);
}

#[test]
fn decisions_move_by_their_scope_key_and_adr_tools_records_are_refused() {
    let repo = TestRepo::new();
    repo.add_demo();
    let path = "decisions/0012-deploy-to-a-single-managed-container-host.md";
    let original = repo.read(path);
    cairn(&repo).args(["move", "12", "now"]).assert().success();
    let (files, summary) = last_commit(&repo);
    assert_eq!(
        (files, summary.as_str()),
        (vec![path.to_string()], "ADR 0012: scope inbox → now")
    );
    assert_eq!(
        repo.read(path),
        original.replace("scope:            #", "scope: now        #")
    );
    cairn(&repo)
        .args(["move", "0012", "inbox"])
        .assert()
        .success();
    assert_eq!(repo.read(path), original, "back to the template's line");

    cairn(&repo)
        .args([
            "card",
            "set",
            "0012",
            "revisit-when=first outage: deploys take > 10 min",
        ])
        .assert()
        .success();
    assert!(repo
        .read(path)
        .contains("revisit-when: \"first outage: deploys take > 10 min\"\n"));

    let commits = repo.commit_count();
    cairn(&repo)
        .args(["move", "1", "now"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("no front matter")
                .and(predicate::str::contains("--field decision=0001")),
        );
    cairn(&repo)
        .args(["move", "3", "now"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "superseded; it is not on the board",
        ));
    cairn(&repo)
        .args(["move", "7", "later", "--before", "c-011"])
        .assert()
        .code(2);
    assert_eq!(repo.commit_count(), commits);
}

#[test]
fn card_add_set_link_remove_each_commit_once() {
    let repo = TestRepo::new();
    repo.add_demo();
    let commits = repo.commit_count();
    let out = json(cairn(&repo).args([
        "card",
        "add",
        "ledgerly-mvp",
        "Invoice",
        "preview",
        "--slice",
        "Now",
        "--field",
        "activity=Send",
        "--json",
    ]));
    assert_eq!(out["id"], "c-026");
    assert!(repo
        .read(MAP)
        .contains("- [ ] Invoice preview ^c-026\n  - activity: Send\n"));
    cairn(&repo)
        .args(["card", "set", "c-026", "estimate=2d"])
        .assert()
        .success();
    cairn(&repo)
        .args(["card", "link", "c-026", "9"])
        .assert()
        .success();
    assert!(repo
        .read(MAP)
        .contains("^c-026\n  - activity: Send\n  - estimate: 2d\n  - decision: 0009\n"));
    let board = json(cairn(&repo).args(["board", "--json"]));
    let adr9 = board["columns"][1]["cards"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "0009")
        .unwrap()
        .clone();
    assert_eq!(adr9["cards"], serde_json::json!(["c-006", "c-026"]));
    cairn(&repo)
        .args(["card", "remove", "c-026"])
        .assert()
        .success();
    assert_eq!(repo.commit_count(), commits + 4);
    let (files, summary) = last_commit(&repo);
    assert_eq!(files, [MAP]);
    assert_eq!(
        summary,
        "Scope ledgerly-mvp: remove c-026 \"Invoice preview\""
    );
    // Bad input is refused before anything is written.
    cairn(&repo)
        .args(["card", "set", "c-001", "revisit-by=soon"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a date"));
    cairn(&repo)
        .args(["card", "add", "ledgerly-mvp", "X", "--slice", "Someday"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown slice"));
    cairn(&repo).args(["move", "c-999", "now"]).assert().code(2);
    assert_eq!(repo.commit_count(), commits + 4);

    // A new map is created on its first card, with ids for unnamed cards on first write.
    cairn(&repo)
        .args(["card", "add", "onboarding", "Welcome email"])
        .assert()
        .success();
    let text = repo.read("scope/onboarding.md");
    assert!(
        text.contains("## Inbox\n\n- [ ] Welcome email ^c-026\n\n## Now\n"),
        "{text}"
    );
}

#[test]
fn due_check_exit_codes_follow_the_date() {
    let repo = TestRepo::new();
    repo.add_demo();
    let out = cairn(&repo).args(["due", "--check"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("c-011") && text.contains("c-013") && text.contains("ADR 0008"),
        "{text}"
    );
    assert!(!text.contains("c-012"), "2027-03-01 is not due yet");
    cairn(&repo).arg("due").assert().success();
    cairn(&repo)
        .args(["due", "--check"])
        .env("CAIRN_DATE", "2026-06-01")
        .assert()
        .success();
    // On the day itself it is due.
    let due = json(
        cairn(&repo)
            .args(["due", "--json"])
            .env("CAIRN_DATE", "2026-06-30"),
    );
    let ids: Vec<&str> = due
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["c-011", "0008"]);
}

#[test]
fn exports_and_suggestions() {
    let repo = TestRepo::new();
    repo.add_demo();
    let out = cairn(&repo)
        .args(["board", "--export", "csv"])
        .output()
        .unwrap();
    let csv = String::from_utf8_lossy(&out.stdout);
    assert!(csv.starts_with("id,kind,column,title,"));
    assert!(
        csv.contains("\"Paid, open and overdue at a glance\""),
        "{csv}"
    );
    assert!(csv
        .lines()
        .any(|l| l.starts_with("0007,decision,now,Take card payments with Stripe,")));
    let out = cairn(&repo)
        .args(["board", "--export", "md"])
        .output()
        .unwrap();
    let md = String::from_utf8_lossy(&out.stdout);
    assert!(md.starts_with("# Now vs. Later\n"));
    assert!(md.contains("## Won't (4)"), "{md}");

    let s = json(cairn(&repo).args(["suggest", "--json"]));
    let by_id = |id: &str| {
        s.as_array()
            .unwrap()
            .iter()
            .find(|x| x["id"] == id)
            .cloned()
    };
    assert_eq!(by_id("c-024").unwrap()["column"], "later");
    assert_eq!(by_id("c-023").unwrap()["rule"], "foundation-monitoring");
    assert_eq!(by_id("0005").unwrap()["rule"], "one-way-door");
    assert!(by_id("0001").is_none(), "no rule applies to it");
    let one = json(cairn(&repo).args(["suggest", "c-014", "--json"]));
    assert_eq!(one[0]["rule"], "two-way-door-with-trigger");
    assert!(one[0]["reason"]
        .as_str()
        .unwrap()
        .contains("revisit when: five paying users ask for their own branding"));
    // Suggesting never moves anything.
    assert_eq!(repo.status(), vec![]);
}

#[test]
fn outside_git_the_undo_journal_lives_in_the_cache() {
    let repo = TestRepo::new();
    let dir = tempfile::tempdir().unwrap();
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../adr-templates/demo");
    cairn_testkit::copy_dir(&demo, dir.path());
    let original = std::fs::read_to_string(dir.path().join(MAP)).unwrap();
    let run = |args: &[&str]| {
        let mut cmd = cairn(&repo);
        cmd.current_dir(dir.path()).args(args);
        cmd.assert()
    };
    run(&["move", "c-001", "later"])
        .success()
        .stderr(predicate::str::contains("not a Git repository"));
    assert!(repo.home().join(".cache/cairn/undo").is_dir());
    run(&["undo"]).success();
    assert_eq!(
        std::fs::read_to_string(dir.path().join(MAP)).unwrap(),
        original
    );
}

/// A Markdown list on standard input makes a new map in one commit touching only that map;
/// a file that is not UTF-8 is refused with its name and line, and nothing is written.
#[test]
fn card_import_reads_standard_input_and_refuses_legacy_encodings() {
    let repo = TestRepo::new();
    repo.add_demo();
    let done = json(
        cairn(&repo)
            .args(["card", "import", "Launch week", "-", "--json"])
            .write_stdin("## Send\n- Press kit\n- [ ] Launch post\n  - revisit-by: 2027-02-01\n"),
    );
    assert_eq!(done["added"], serde_json::json!(["c-026", "c-027"]));
    let (files, summary) = last_commit(&repo);
    assert_eq!(files, ["scope/launch-week.md"]);
    assert_eq!(summary, "Scope Launch week: import 2 cards into Inbox");

    let before = repo.commit_count();
    std::fs::write(repo.path().join("legacy.csv"), b"Title\nCaf\xe9 menu\n").unwrap();
    cairn(&repo)
        .args(["card", "import", "ledgerly-mvp", "legacy.csv"])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "legacy.csv:2: import: not UTF-8 text",
        ));
    assert_eq!(repo.commit_count(), before);
}

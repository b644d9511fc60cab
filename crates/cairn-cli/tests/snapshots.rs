//! Snapshot tests of the `cairn` binary: the exact human and `--json` output (stdout, stderr
//! and exit code) of the main commands on the demo workspace in a Git repository with a fixed
//! author and fixed dates. They pin the CLI's behaviour so that a refactor which changes a
//! single byte of it shows up as a reviewable snapshot diff (`cargo insta review`).
//!
//! Commit ids, temporary paths and clock times are redacted by insta filters; everything else
//! is compared as printed.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use cairn_testkit::TestRepo;

mod common;

use common::cairn;

/// A fresh copy of the demo workspace, committed once by the test kit's fixed author.
fn fixture() -> TestRepo {
    let repo = TestRepo::new();
    repo.add_demo();
    repo
}

/// Runs `cairn args` in `repo` and renders what it did as one reviewable text.
fn run(repo: &TestRepo, args: &[&str]) -> String {
    let out = cairn(repo)
        .args(args)
        .env("TZ", "UTC")
        .output()
        .expect("run cairn");
    format!(
        "$ cairn {}\nexit: {}\n----- stdout -----\n{}----- stderr -----\n{}",
        args.join(" "),
        out.status
            .code()
            .map_or("signal".to_string(), |c| c.to_string()),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    )
}

/// The snapshot's name: the command line, made file-name safe.
fn name(args: &[&str]) -> String {
    let joined = args.join("_");
    let safe: String = joined
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    safe.trim_matches('_').to_string()
}

/// Filters that replace what changes from run to run: the temporary folders, commit ids and
/// clock times (of commits that `cairn` itself makes).
fn settings(repo: &TestRepo) -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    for (path, label) in [(repo.path(), "[REPO]"), (&repo.home(), "[HOME]")] {
        for p in [path.to_path_buf(), path.canonicalize().unwrap()] {
            s.add_filter(&regex_escape(&p.display().to_string()), label);
        }
    }
    s.add_filter(r"\b[0-9a-f]{40}\b", "[COMMIT]");
    s.add_filter(r"\b[0-9a-f]{10}\b", "[COMMIT]");
    s.add_filter(
        r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?",
        "[TIME]",
    );
    s
}

fn regex_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if "\\.+*?()|[]{}^$#&-~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Snapshots each command line, in order, against `repo`, as `group__command`.
fn pin(repo: &TestRepo, group: &str, commands: &[&[&str]]) {
    settings(repo).bind(|| {
        for args in commands {
            insta::assert_snapshot!(format!("{group}__{}", name(args)), run(repo, args));
        }
    });
}

#[test]
fn reading_the_log() {
    let repo = fixture();
    pin(
        &repo,
        "read",
        &[
            &["list"],
            &["list", "--json"],
            &["list", "--status", "superseded"],
            &["list", "--status", "accepted", "--json"],
            &["list", "--tag", "payments"],
            &["list", "--tag", "payments", "--json"],
            &["list", "--tag", "no-such-tag"],
            &["show", "7"],
            &["show", "7", "--json"],
            &["show", "0009-generate-pdfs-on-the-server.md"],
            &["show", "99"],
            &["show", "99", "--json"],
            &["lint"],
            &["lint", "--json"],
            &["toc"],
            &["graph"],
            &["graph", "--format", "mermaid"],
            &["templates"],
            &["templates", "--json"],
        ],
    );
}

#[test]
fn searching() {
    let repo = fixture();
    pin(
        &repo,
        "search",
        &[
            &["search", "pdf"],
            &["search", "pdf", "--json"],
            &["search", "payments", "--sort", "newest"],
            &["search", "payments", "--sort", "oldest"],
            &["search", "payments", "--sort", "relevance", "--limit", "2"],
            &["search", "payments", "--offset", "1", "--json"],
            &["search", "status:accepted", "tag:payments"],
            &["search", "zeppelin"],
            &["search", "pdf", "--sort", "sideways"],
        ],
    );
}

#[test]
fn history_and_diff() {
    let repo = fixture();
    let file = "decisions/0007-take-card-payments-with-stripe.md";
    let text = repo.read(file);
    repo.write(file, &text.replace("Stripe", "Stripe (edited)"));
    repo.commit_all("edit the Stripe decision");
    repo.write(file, &format!("{text}\nA line not yet committed.\n"));
    pin(
        &repo,
        "history",
        &[
            &["history", "7"],
            &["history", "7", "--json"],
            &["diff", "7"],
            &["diff", "7", "--json"],
            &["diff", "7", "HEAD~1", "HEAD"],
        ],
    );
}

#[test]
fn changing_decisions() {
    let repo = fixture();
    pin(
        &repo,
        "change",
        &[
            &["new", "Use", "CockroachDB", "--supersedes", "6"],
            &["new", "Adopt OpenTelemetry", "--link", "5:Amends", "--json"],
            &["new", "Bad link", "--link", "5"],
            &["status", "14", "accepted"],
            &["status", "14", "deprecated", "--json"],
            &["link", "14", "amends", "7"],
            &["link", "13", "relates-to", "12", "--json"],
            &["list"],
            &["show", "13"],
            &["lint"],
        ],
    );
}

#[test]
fn init_in_an_empty_repository() {
    let repo = TestRepo::new();
    pin(&repo, "init", &[&["init"], &["list", "--json"]]);
    let other = TestRepo::new();
    std::fs::create_dir_all(other.path().join("adr")).unwrap();
    settings(&other).bind(|| {
        insta::assert_snapshot!(
            "init__init_adr_dialect_adr_tools_json",
            run(&other, &["init", "adr", "--dialect", "adr-tools", "--json"])
        );
    });
}

#[test]
fn the_board() {
    let repo = fixture();
    pin(
        &repo,
        "board",
        &[
            &["board"],
            &["board", "--json"],
            &["board", "--map", "ledgerly-mvp"],
            &["board", "--export", "md"],
            &["board", "--export", "csv"],
            &["due"],
            &["due", "--json"],
            &["due", "--check"],
            &["suggest"],
            &["suggest", "c-014", "--json"],
        ],
    );
}

/// A Jira-style export with a title the map already has, a row without a title and a
/// multi-line description: the dry run, the import, a second import that adds nothing, and
/// its undo; then a pasted Markdown list from standard input.
#[test]
fn importing_cards() {
    let repo = fixture();
    repo.write(
        "jira.csv",
        "Summary,Issue key,Description,Labels,Labels,Epic Link\n\
         Dark mode,LED-1,,,,Track\n\
         Bulk invoice upload,LED-2,\"Upload a CSV\nof invoices\",import,mvp,Create invoice\n\
         ,LED-3,orphan row,,,\n\
         Reminder emails,LED-4,,,,Get paid\n",
    );
    pin(
        &repo,
        "import",
        &[
            &[
                "card",
                "import",
                "ledgerly-mvp",
                "jira.csv",
                "--activity",
                "Epic Link",
                "--dry-run",
            ],
            &[
                "card",
                "import",
                "ledgerly-mvp",
                "jira.csv",
                "--activity",
                "Epic Link",
            ],
            &["card", "import", "ledgerly-mvp", "jira.csv"],
            &[
                "card",
                "import",
                "ledgerly-mvp",
                "jira.csv",
                "--activity",
                "Epic",
            ],
            &["undo"],
        ],
    );
}

#[test]
fn changing_the_board() {
    let repo = fixture();
    pin(
        &repo,
        "board_change",
        &[
            &[
                "card",
                "add",
                "ledgerly-mvp",
                "Export",
                "to",
                "CSV",
                "--field",
                "activity=Send",
            ],
            &[
                "card",
                "set",
                "c-024",
                "revisit-by=2027-01-01",
                "activity=Track",
            ],
            &["card", "unset", "c-024", "revisit-by", "--json"],
            &["card", "link", "c-024", "7"],
            &["move", "c-024", "now"],
            &["move", "c-023", "later", "--before", "c-024", "--json"],
            &["undo"],
            &["undo", "--json"],
            &["card", "remove", "c-024", "--json"],
            &["move", "c-999", "now"],
            &["board", "--export", "md"],
        ],
    );
}

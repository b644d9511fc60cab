//! A cloned repository is untrusted input: the real `cairn` binary on real Git repositories
//! whose files and config try to make it read or write outside the repository (symbolic
//! links, config keys naming other folders, markers above the repository). Each attack must
//! be refused with an error naming the file (and key), and leave the repository, its
//! history and the outside files exactly as they were.

#![allow(clippy::unwrap_used, clippy::expect_used)]
#![cfg(unix)]

use std::fs;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};

use cairn_testkit::TestRepo;

mod common;

use common::{cairn, cairn_at, stderr};

const SECRET: &str = "TOP SECRET: the user's private notes\n";

const RECORD: &str = "---\nstatus: accepted\ndate: 2026-01-01\n---\n# Use Git\n\n## Context\n\n\
                      We need history.\n\n## Decision\n\nGit.\n\n## Consequences\n\nFine.\n";

/// A repository with a `.cairn.toml` and one decision, committed.
fn seeded() -> TestRepo {
    let repo = TestRepo::new();
    repo.write(".cairn.toml", "decisions = \"docs/decisions\"\n");
    repo.write("docs/decisions/0001-use-git.md", RECORD);
    repo.commit_all("seed");
    repo
}

/// A folder outside every repository holding the user's private file `secret.md` (and a
/// decision-looking `0001-outside.md`), which Cairn must never read, list or write.
fn outside() -> tempfile::TempDir {
    let dir = tempfile::Builder::new()
        .prefix("cairn-outside-")
        .tempdir()
        .unwrap();
    fs::write(dir.path().join("secret.md"), SECRET).unwrap();
    fs::write(dir.path().join("0001-outside.md"), RECORD).unwrap();
    dir
}

/// The outside folder holds exactly what it held at the start.
fn assert_untouched(dir: &Path) {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["0001-outside.md", "secret.md"]);
    assert_eq!(fs::read_to_string(dir.join("secret.md")).unwrap(), SECRET);
    assert_eq!(
        fs::read_to_string(dir.join("0001-outside.md")).unwrap(),
        RECORD
    );
}

/// No file of the working tree or of HEAD carries the secret.
fn assert_not_leaked(repo: &TestRepo) {
    for file in repo.head_files() {
        let blob = repo.head_blob(&file).unwrap_or_default();
        assert!(
            !String::from_utf8_lossy(&blob).contains("TOP SECRET"),
            "{file} in HEAD carries the outside file's text"
        );
    }
    let decisions = repo.path().join("docs/decisions");
    for entry in fs::read_dir(decisions).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() && !path.is_symlink() {
            let text = fs::read_to_string(&path).unwrap_or_default();
            assert!(!text.contains("TOP SECRET"), "{} leaks", path.display());
        }
    }
}

/// Runs `cairn args…` and expects a refusal whose message contains every one of `says`.
fn refused(repo: &TestRepo, args: &[&str], says: &[&str]) -> String {
    let out = cairn(repo).args(args).output().unwrap();
    let err = stderr(&out);
    assert!(!out.status.success(), "cairn {args:?} succeeded: {err}");
    for s in says {
        assert!(
            err.contains(s),
            "cairn {args:?}: {err:?} does not say {s:?}"
        );
    }
    err
}

/// Runs `cairn args…`, expects success, and returns its stdout.
fn ok(repo: &TestRepo, args: &[&str]) -> String {
    let out = cairn(repo).args(args).output().unwrap();
    assert!(out.status.success(), "cairn {args:?}: {}", stderr(&out));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Makes `at` (relative to the repository; its folders are created) a symbolic link to
/// `target`, and returns its path.
fn link(repo: &TestRepo, target: &Path, at: &str) -> PathBuf {
    let path = repo.path().join(at);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).unwrap();
    }
    symlink(target, &path).unwrap();
    path
}

/// A folder holding a Cairn workspace (`.cairn.toml` naming `adr/`, one decision) that no
/// repository below it may pick up.
fn outer_workspace() -> tempfile::TempDir {
    let outer = tempfile::Builder::new()
        .prefix("cairn-outer-")
        .tempdir()
        .unwrap();
    fs::write(outer.path().join(".cairn.toml"), "decisions = \"adr\"\n").unwrap();
    fs::create_dir_all(outer.path().join("adr")).unwrap();
    fs::write(outer.path().join("adr/0001-outside.md"), RECORD).unwrap();
    outer
}

#[test]
fn a_symlinked_adr_tools_template_is_refused_and_nothing_is_committed() {
    let out_dir = outside();
    let repo = seeded();
    let secret = out_dir.path().join("secret.md");
    link(&repo, &secret, "docs/decisions/templates/template.md");
    repo.commit_all("a hostile template");
    let head = repo.head();

    refused(
        &repo,
        &["new", "Leak", "it"],
        &["templates/template.md", "symlink: not followed"],
    );
    assert_eq!(repo.head(), head, "nothing is committed");
    assert!(!repo.path().join("docs/decisions/0002-leak-it.md").exists());
    assert_not_leaked(&repo);
    assert_untouched(out_dir.path());

    // `cairn templates` lists it as a link, without its text.
    let text = ok(&repo, &["templates"]);
    assert!(text.contains("symlink: not followed"), "{text}");
    assert!(!text.contains("TOP SECRET"), "{text}");
}

#[test]
fn a_named_workspace_template_that_is_a_symlink_is_refused() {
    let out_dir = outside();
    let repo = seeded();
    repo.write("docs/decisions/templates/ours.md", "# TITLE\n\nSTATUS\n");
    let secret = out_dir.path().join("secret.md");
    link(&repo, &secret, "docs/decisions/templates/mine.md");
    repo.commit_all("templates");
    let head = repo.head();
    refused(
        &repo,
        &["new", "--template", "mine", "Leak"],
        &["templates/mine.md", "symlink: not followed"],
    );
    assert_eq!(repo.head(), head);
    assert_not_leaked(&repo);
    assert_untouched(out_dir.path());
}

#[test]
fn a_symlinked_templates_folder_is_refused() {
    let out_dir = outside();
    fs::create_dir_all(out_dir.path().join("t")).unwrap();
    fs::write(out_dir.path().join("t/template.md"), SECRET).unwrap();
    let repo = seeded();
    link(&repo, &out_dir.path().join("t"), "docs/decisions/templates");
    repo.commit_all("a hostile templates folder");
    let head = repo.head();
    refused(
        &repo,
        &["new", "Leak"],
        &["docs/decisions/templates", "symlink: not followed"],
    );
    assert_eq!(repo.head(), head);
    assert_not_leaked(&repo);
}

#[test]
fn cairn_toml_naming_folders_outside_is_refused_with_file_and_key() {
    let out_dir = outside();
    let repo = seeded();
    let abs = out_dir.path().display().to_string();
    for (config, key, line) in [
        (format!("decisions = \"{abs}\"\n"), "decisions", 1),
        ("decisions = \"../../..\"\n".to_string(), "decisions", 1),
        (
            format!("# Hostile\nautocommit = false\ndecisions = \"{abs}\"\n"),
            "decisions",
            3,
        ),
        (
            format!("decisions = \"docs/decisions\"\nscope = \"{abs}\"\n"),
            "scope",
            2,
        ),
    ] {
        repo.write(".cairn.toml", &config);
        for args in [
            &["list"][..],
            &["new", "Written", "outside"][..],
            &["search", "git"][..],
        ] {
            refused(
                &repo,
                args,
                &[
                    &format!(".cairn.toml:{line}"),
                    &format!("{key} ="),
                    "outside",
                ],
            );
        }
    }
    assert_untouched(out_dir.path());
}

#[test]
fn a_decisions_folder_reached_through_a_symlinked_parent_is_refused() {
    let out_dir = outside();
    let repo = seeded();
    link(&repo, out_dir.path(), "elsewhere");
    repo.write(
        ".cairn.toml",
        "autocommit = false\ndecisions = \"elsewhere\"\n",
    );
    refused(
        &repo,
        &["list"],
        &[".cairn.toml:2", "decisions =", "outside"],
    );
    refused(&repo, &["new", "Written", "outside"], &[".cairn.toml"]);
    assert_untouched(out_dir.path());
}

#[test]
fn a_conventional_folder_that_is_a_symlink_out_is_refused() {
    let out_dir = outside();
    let repo = TestRepo::new();
    link(&repo, out_dir.path(), "docs/adr");
    refused(&repo, &["list"], &["docs/adr", "outside"]);
    refused(&repo, &["new", "Written", "outside"], &["docs/adr"]);
    assert_untouched(out_dir.path());
}

#[test]
fn adr_dir_and_log4brains_pointing_outside_are_refused() {
    let out_dir = outside();
    let abs = out_dir.path().display().to_string();
    for value in ["../..", abs.as_str()] {
        let repo = TestRepo::new();
        repo.write(".adr-dir", &format!("{value}\n"));
        refused(&repo, &["list"], &[".adr-dir:1", value, "outside"]);
        refused(&repo, &["new", "Written", "outside"], &[".adr-dir"]);

        let repo = TestRepo::new();
        repo.write(
            ".log4brains.yml",
            &format!("project:\n  name: x\n  adrFolder: {value}\n"),
        );
        refused(
            &repo,
            &["list"],
            &[".log4brains.yml:3", "adrFolder =", "outside"],
        );
        refused(&repo, &["new", "Written", "outside"], &[".log4brains.yml"]);
    }
    assert_untouched(out_dir.path());
}

#[test]
fn a_symlinked_config_file_is_refused() {
    let out_dir = outside();
    fs::write(
        out_dir.path().join("cfg.toml"),
        "decisions = \"docs/decisions\"\n",
    )
    .unwrap();
    let repo = TestRepo::new();
    repo.write("docs/decisions/0001-use-git.md", RECORD);
    link(&repo, &out_dir.path().join("cfg.toml"), ".cairn.toml");
    refused(&repo, &["list"], &[".cairn.toml", "symlink: not followed"]);
}

#[test]
fn a_symlinked_decision_is_listed_with_a_diagnostic_and_never_read_or_written() {
    let out_dir = outside();
    let repo = seeded();
    let outside_record = out_dir.path().join("0001-outside.md");
    let linked = link(&repo, &outside_record, "docs/decisions/0002-linked.md");
    repo.commit_all("a hostile decision");
    let head = repo.head();

    let list: serde_json::Value = serde_json::from_str(&ok(&repo, &["--json", "list"])).unwrap();
    let entry = list
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["file_name"] == "0002-linked.md")
        .unwrap_or_else(|| panic!("the link is listed: {list}"));
    assert!(entry["status"].is_null(), "its status is not read: {entry}");
    let diagnostics = entry["diagnostics"].to_string();
    assert!(
        diagnostics.contains("symlink: not followed"),
        "{diagnostics}"
    );

    refused(
        &repo,
        &["show", "2"],
        &["0002-linked.md", "symlink: not followed"],
    );
    refused(
        &repo,
        &["status", "2", "deprecated"],
        &["0002-linked.md", "symlink: not followed"],
    );
    refused(
        &repo,
        &["link", "1", "amends", "2"],
        &["0002-linked.md", "symlink: not followed"],
    );
    refused(&repo, &["diff", "2"], &["symlink: not followed"]);
    assert_eq!(repo.head(), head, "nothing is committed");
    assert!(linked.is_symlink(), "the link is left as it is");
    assert_untouched(out_dir.path());

    // The search index never holds the outside file's text.
    let found = ok(&repo, &["search", "history"]);
    assert!(!found.contains("0002-linked"), "{found}");
}

#[test]
fn a_symlinked_scope_map_is_listed_with_a_diagnostic_and_never_read() {
    let out_dir = outside();
    fs::write(
        out_dir.path().join("map.md"),
        "---\nscope-map: secret-map\n---\n## Now\n- [ ] TOP SECRET card ^c-001\n",
    )
    .unwrap();
    let repo = seeded();
    link(
        &repo,
        &out_dir.path().join("map.md"),
        "docs/scope/linked.md",
    );
    repo.commit_all("a hostile map");
    let head = repo.head();

    let text = ok(&repo, &["--json", "board"]);
    assert!(text.contains("symlink: not followed"), "{text}");
    assert!(!text.contains("TOP SECRET"), "{text}");
    refused(&repo, &["move", "c-001", "later"], &["c-001"]);
    assert_eq!(repo.head(), head);
}

#[test]
fn a_marker_above_the_repository_is_not_picked_up() {
    let outer = outer_workspace();
    let inner = outer.path().join("project");
    fs::create_dir_all(inner.join("src")).unwrap();
    git2::Repository::init(&inner).unwrap();
    let repo = TestRepo::new(); // only for its isolated Git environment

    let out = cairn_at(&repo, &inner.join("src"))
        .args(["list"])
        .output()
        .unwrap();
    let err = stderr(&out);
    assert!(
        !out.status.success(),
        "the outer workspace was used: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(err.contains("no decision folder found"), "{err}");
    let out = cairn_at(&repo, &inner)
        .args(["new", "Written", "above"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let mut names: Vec<_> = fs::read_dir(outer.path().join("adr"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    names.sort();
    assert_eq!(names, ["0001-outside.md"]);
}

#[test]
fn discovery_stops_at_git_ceilings_and_the_home_folder() {
    let outer = outer_workspace();
    let project = outer.path().join("home/me/project");
    fs::create_dir_all(&project).unwrap();
    let repo = TestRepo::new();

    // Without a repository, the search stops at the home folder…
    let out = cairn_at(&repo, &project)
        .env("HOME", outer.path().join("home/me"))
        .arg("list")
        .output()
        .unwrap();
    assert!(
        !out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(
        stderr(&out).contains("no decision folder found"),
        "{}",
        stderr(&out)
    );

    // …and never climbs into a folder of GIT_CEILING_DIRECTORIES.
    let out = cairn_at(&repo, &project)
        .env("GIT_CEILING_DIRECTORIES", outer.path())
        .arg("list")
        .output()
        .unwrap();
    assert!(
        !out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );

    // Below the marker, with neither limit in the way, it is found as before.
    let out = cairn_at(&repo, &project).arg("list").output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
}

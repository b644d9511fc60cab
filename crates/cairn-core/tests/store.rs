//! `store::Store::apply` against real Git repositories: one commit per change, only the
//! changed paths, the user's other work left alone, and refusals that write nothing.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use cairn_core::store::{self, is_repository, Change, Committed, Stamp, Store, Write};
use cairn_core::Error;
use cairn_testkit::TestRepo;
use git2::Status;

fn put(path: impl Into<PathBuf>, expected: Stamp, bytes: &str) -> Change {
    Change {
        path: path.into(),
        expected,
        write: Write::Put(bytes.as_bytes().to_vec()),
    }
}

fn stamp(path: &Path) -> Stamp {
    Stamp::read(path).unwrap()
}

/// A repository with two decisions and a README committed.
fn seeded() -> TestRepo {
    let t = TestRepo::new();
    t.write("README.md", "# project\n");
    t.write(
        "docs/adr/0001-use-git.md",
        "# 1. Use Git\n\nStatus: proposed\n",
    );
    t.write(
        "docs/adr/0002-use-rust.md",
        "# 2. Use Rust\n\nStatus: accepted\n",
    );
    t.commit_all("seed");
    t
}

fn commit_id(committed: &Committed) -> git2::Oid {
    match committed {
        Committed::Commit { id, .. } => git2::Oid::from_str(id).unwrap(),
        other => panic!("expected a commit, got {other:?}"),
    }
}

/// Every entry of a folder (recursively, `/`-separated), skipping `.git`.
fn tree_of(dir: &Path) -> Vec<String> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<String>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.file_name().is_some_and(|n| n == ".git") {
                continue;
            }
            let rel = path
                .strip_prefix(base)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            if path.is_dir() {
                walk(base, &path, out);
            } else {
                out.push(rel);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

#[test]
fn one_apply_is_exactly_one_commit_with_only_the_changed_path() {
    let t = seeded();
    let before = t.head().unwrap();
    let path = t.path().join("docs/adr/0001-use-git.md");
    let (bytes, seen) = store::read(&path).unwrap();
    let new = String::from_utf8(bytes)
        .unwrap()
        .replace("proposed", "accepted");

    let message = "ADR 0001: status proposed → accepted\n\nAccepted in the review of 2026-01-02.";
    let outcome = Store::new(t.path(), true)
        .apply(vec![put(&path, seen, &new)], message)
        .unwrap();

    let id = commit_id(&outcome.committed);
    assert_eq!(
        outcome.committed,
        Committed::Commit {
            id: id.to_string(),
            summary: "ADR 0001: status proposed → accepted".into()
        }
    );
    assert_eq!(outcome.paths, std::slice::from_ref(&path));
    assert_eq!(t.head(), Some(id));
    assert_eq!(t.commit_count(), 2);

    let commit = t.repo.find_commit(id).unwrap();
    assert_eq!(commit.parent_ids().collect::<Vec<_>>(), [before]);
    assert_eq!(commit.message().unwrap(), format!("{message}\n"));
    assert_eq!(commit.author().name().unwrap(), cairn_testkit::NAME);
    assert_eq!(commit.committer().email().unwrap(), cairn_testkit::EMAIL);
    assert_eq!(t.files_in_commit(id), ["docs/adr/0001-use-git.md"]);
    assert_eq!(
        t.head_blob("docs/adr/0001-use-git.md").unwrap(),
        new.as_bytes()
    );
    assert_eq!(t.read("docs/adr/0001-use-git.md"), new);
    assert!(t.status().is_empty(), "{:?}", t.status());
}

#[test]
fn the_users_other_work_is_untouched() {
    let t = seeded();
    t.write("docs/adr/0003-d.md", "# 3. D\n\nStatus: proposed\n");
    t.commit_all("add d");
    let head_before = t.head().unwrap();

    // A: modified and staged. A2: a new file, staged. B: modified, not staged. C: untracked.
    t.write("README.md", "# project\n\nstaged edit\n");
    t.write("docs/new-staged.md", "brand new\n");
    let mut index = t.repo.index().unwrap();
    index.add_path(Path::new("README.md")).unwrap();
    index.add_path(Path::new("docs/new-staged.md")).unwrap();
    index.write().unwrap();
    t.write(
        "README.md",
        "# project\n\nstaged edit\n\nand a later unstaged one\n",
    );
    t.write(
        "docs/adr/0002-use-rust.md",
        "# 2. Use Rust\n\nunstaged edit\n",
    );
    t.write("notes/untracked.txt", "scratch\n");

    let status_before = t.status();
    assert_eq!(
        status_before,
        [
            (
                "README.md".to_string(),
                Status::INDEX_MODIFIED | Status::WT_MODIFIED
            ),
            ("docs/adr/0002-use-rust.md".into(), Status::WT_MODIFIED),
            ("docs/new-staged.md".into(), Status::INDEX_NEW),
            ("notes/untracked.txt".into(), Status::WT_NEW),
        ]
    );

    // D: changed through Cairn.
    let d = t.path().join("docs/adr/0003-d.md");
    let outcome = Store::new(t.path(), true)
        .apply(
            vec![put(&d, stamp(&d), "# 3. D\n\nStatus: accepted\n")],
            "ADR 0003: status proposed → accepted",
        )
        .unwrap();
    let id = commit_id(&outcome.committed);

    // The commit holds D only; A's staged content did not sneak in.
    assert_eq!(t.files_in_commit(id), ["docs/adr/0003-d.md"]);
    assert_eq!(
        t.repo.find_commit(id).unwrap().parent_id(0).unwrap(),
        head_before
    );
    assert_eq!(t.head_blob("README.md").unwrap(), b"# project\n");
    assert_eq!(t.head_blob("docs/new-staged.md"), None);

    // Status is exactly what it was, and D is clean.
    assert_eq!(t.status(), status_before);

    // The index still holds what the user staged, and B's unstaged bytes are on disk.
    assert_eq!(
        t.index_blob("README.md").unwrap(),
        b"# project\n\nstaged edit\n"
    );
    assert_eq!(t.index_blob("docs/new-staged.md").unwrap(), b"brand new\n");
    assert_eq!(
        t.index_blob("docs/adr/0002-use-rust.md").unwrap(),
        b"# 2. Use Rust\n\nStatus: accepted\n"
    );
    assert_eq!(
        t.read("README.md"),
        "# project\n\nstaged edit\n\nand a later unstaged one\n"
    );
    assert_eq!(
        t.read("docs/adr/0002-use-rust.md"),
        "# 2. Use Rust\n\nunstaged edit\n"
    );
    assert_eq!(t.read("notes/untracked.txt"), "scratch\n");
    assert_eq!(
        t.index_blob("docs/adr/0003-d.md").unwrap(),
        b"# 3. D\n\nStatus: accepted\n"
    );

    // Command-line Git agrees (it reads the index file itself, stat data and all).
    if let Ok(out) = Command::new("git")
        .args(["status", "--porcelain", "--untracked-files=all"])
        .current_dir(t.path())
        .envs(t.git_env())
        .output()
    {
        assert!(out.status.success());
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            "MM README.md\n M docs/adr/0002-use-rust.md\nA  docs/new-staged.md\n?? notes/untracked.txt\n"
        );
    }
}

#[test]
fn a_file_staged_by_the_user_and_then_changed_by_cairn_ends_clean() {
    let t = seeded();
    t.write(
        "docs/adr/0001-use-git.md",
        "# 1. Use Git\n\nStatus: staged draft\n",
    );
    let mut index = t.repo.index().unwrap();
    index
        .add_path(Path::new("docs/adr/0001-use-git.md"))
        .unwrap();
    index.write().unwrap();

    let path = t.path().join("docs/adr/0001-use-git.md");
    Store::new(t.path(), true)
        .apply(
            vec![put(
                &path,
                stamp(&path),
                "# 1. Use Git\n\nStatus: accepted\n",
            )],
            "ADR 0001: accepted",
        )
        .unwrap();
    assert!(t.status().is_empty(), "{:?}", t.status());
}

#[test]
fn works_on_an_unborn_branch() {
    let t = TestRepo::new();
    t.write("scratch.txt", "not Cairn's\n");
    assert_eq!(t.head(), None);

    let path = t.path().join("docs/adr/0001-record-decisions.md");
    let outcome = Store::new(t.path(), true)
        .apply(
            vec![put(&path, Stamp::absent(), "# 1. Record decisions\n")],
            "ADR 0001: created",
        )
        .unwrap();

    let id = commit_id(&outcome.committed);
    assert_eq!(t.head(), Some(id));
    assert_eq!(t.repo.find_commit(id).unwrap().parent_count(), 0);
    assert_eq!(t.head_files(), ["docs/adr/0001-record-decisions.md"]);
    assert_eq!(
        t.repo.head().unwrap().shorthand().unwrap(),
        "main",
        "the commit lands on the branch HEAD names"
    );
    assert_eq!(t.status(), [("scratch.txt".to_string(), Status::WT_NEW)]);
}

#[test]
fn works_in_a_workspace_that_is_a_subfolder_of_the_repository() {
    let t = seeded();
    let workspace = t.path().join("docs/adr");
    assert!(is_repository(&workspace));
    let existing = workspace.join("0002-use-rust.md");
    let created = workspace.join("sub/0003-new.md");

    let outcome = Store::new(&workspace, true)
        .apply(
            vec![
                put(
                    &existing,
                    stamp(&existing),
                    "# 2. Use Rust\n\nStatus: superseded\n",
                ),
                put(&created, Stamp::absent(), "# 3. New\n"),
            ],
            "ADR 0002 superseded by ADR 0003",
        )
        .unwrap();
    let id = commit_id(&outcome.committed);
    assert_eq!(
        t.files_in_commit(id),
        ["docs/adr/0002-use-rust.md", "docs/adr/sub/0003-new.md"]
    );
    assert!(t.status().is_empty(), "{:?}", t.status());
}

/// libgit2 reports the working tree with symbolic links resolved; paths given through a link
/// must still be recognised as inside it.
#[cfg(unix)]
#[test]
fn works_when_the_workspace_is_reached_through_a_symlink() {
    let t = seeded();
    let links = tempfile::tempdir().unwrap();
    let link = links.path().join("repo");
    std::os::unix::fs::symlink(t.path(), &link).unwrap();

    let path = link.join("docs/adr/0001-use-git.md");
    let outcome = Store::new(&link.join("docs/adr"), true)
        .apply(
            vec![put(
                &path,
                stamp(&path),
                "# 1. Use Git\n\nStatus: accepted\n",
            )],
            "ADR 0001: accepted",
        )
        .unwrap();
    assert_eq!(
        t.files_in_commit(commit_id(&outcome.committed)),
        ["docs/adr/0001-use-git.md"]
    );
}

#[test]
fn outside_a_repository_the_files_are_written_and_nothing_is_committed() {
    let dir = tempfile::tempdir().unwrap();
    assert!(
        !is_repository(dir.path()),
        "precondition: the temporary folder {} must not lie inside a Git repository",
        dir.path().display()
    );
    let path = dir.path().join("docs/adr/0001-x.md");
    let outcome = Store::new(dir.path(), true)
        .apply(
            vec![put(&path, Stamp::absent(), "x\n")],
            "ADR 0001: created",
        )
        .unwrap();
    assert_eq!(outcome.committed, Committed::NotARepository);
    assert_eq!(fs::read_to_string(&path).unwrap(), "x\n");
    assert!(!dir.path().join(".git").exists());
}

#[test]
fn autocommit_off_writes_without_committing() {
    let t = seeded();
    let head = t.head();
    let path = t.path().join("docs/adr/0001-use-git.md");
    let outcome = Store::new(t.path(), false)
        .apply(
            vec![put(&path, stamp(&path), "changed\n")],
            "ADR 0001: edited",
        )
        .unwrap();
    assert_eq!(outcome.committed, Committed::AutocommitOff);
    assert_eq!(t.head(), head);
    assert_eq!(
        t.status(),
        [("docs/adr/0001-use-git.md".to_string(), Status::WT_MODIFIED)]
    );
}

#[test]
fn without_an_identity_nothing_is_written() {
    let t = TestRepo::without_identity();
    t.write("docs/adr/0001-a.md", "original\n");
    t.commit_all("seed");
    let head = t.head();
    let files_before = tree_of(t.path());

    let existing = t.path().join("docs/adr/0001-a.md");
    let created = t.path().join("docs/adr/0002-b.md");
    let err = Store::new(t.path(), true)
        .apply(
            vec![
                put(&existing, stamp(&existing), "changed\n"),
                put(&created, Stamp::absent(), "new\n"),
            ],
            "ADR 0002: created",
        )
        .unwrap_err();

    assert!(matches!(err, Error::NoIdentity), "{err}");
    assert_eq!(t.read("docs/adr/0001-a.md"), "original\n");
    assert!(!created.exists());
    assert_eq!(tree_of(t.path()), files_before, "no file and no temp file");
    assert_eq!(t.head(), head);
    assert!(t.status().is_empty(), "{:?}", t.status());
}

#[test]
fn a_file_changed_on_disk_since_it_was_read_is_a_conflict() {
    let t = seeded();
    let head = t.head();
    let path = t.path().join("docs/adr/0001-use-git.md");
    let (_, seen) = store::read(&path).unwrap();
    t.write("docs/adr/0001-use-git.md", "edited in another editor\n");
    let other = t.path().join("docs/adr/0002-use-rust.md");

    let err = Store::new(t.path(), true)
        .apply(
            vec![
                put(&other, stamp(&other), "would be fine\n"),
                put(&path, seen, "Cairn's edit\n"),
            ],
            "ADR 0001: accepted",
        )
        .unwrap_err();

    match &err {
        Error::Conflict { path: p } => assert_eq!(p, &path),
        other => panic!("expected a conflict, got {other}"),
    }
    assert!(err.to_string().contains("0001-use-git.md"), "{err}");
    assert_eq!(
        t.read("docs/adr/0001-use-git.md"),
        "edited in another editor\n"
    );
    assert_eq!(
        t.read("docs/adr/0002-use-rust.md"),
        "# 2. Use Rust\n\nStatus: accepted\n"
    );
    assert_eq!(t.head(), head, "no commit");
    assert_eq!(
        t.status(),
        [("docs/adr/0001-use-git.md".to_string(), Status::WT_MODIFIED)]
    );
}

#[test]
fn a_file_deleted_on_disk_since_it_was_read_is_a_conflict() {
    let t = seeded();
    let path = t.path().join("docs/adr/0001-use-git.md");
    let seen = stamp(&path);
    fs::remove_file(&path).unwrap();
    let err = Store::new(t.path(), true)
        .apply(vec![put(&path, seen, "recreated\n")], "ADR 0001: edited")
        .unwrap_err();
    assert!(matches!(err, Error::Conflict { .. }), "{err}");
    assert!(!path.exists());
}

#[test]
fn delete_removes_the_file_and_the_commit_removes_it_from_the_tree() {
    let t = seeded();
    let path = t.path().join("docs/adr/0002-use-rust.md");
    let outcome = Store::new(t.path(), true)
        .apply(
            vec![Change {
                path: path.clone(),
                expected: stamp(&path),
                write: Write::Delete,
            }],
            "ADR 0002: deleted",
        )
        .unwrap();
    let id = commit_id(&outcome.committed);
    assert!(!path.exists());
    assert_eq!(t.files_in_commit(id), ["docs/adr/0002-use-rust.md"]);
    assert_eq!(t.head_files(), ["README.md", "docs/adr/0001-use-git.md"]);
    assert!(t.status().is_empty(), "{:?}", t.status());
}

#[test]
fn a_multi_file_apply_is_one_commit_with_every_file() {
    let t = seeded();
    let count = t.commit_count();
    let old = t.path().join("docs/adr/0001-use-git.md");
    let new = t.path().join("docs/adr/0003-use-jj.md");
    let outcome = Store::new(t.path(), true)
        .apply(
            vec![
                put(&old, stamp(&old), "# 1. Use Git\n\nSuperseded by 0003\n"),
                put(&new, Stamp::absent(), "# 3. Use jj\n\nSupersedes 0001\n"),
            ],
            "ADR 0003 supersedes ADR 0001",
        )
        .unwrap();
    let id = commit_id(&outcome.committed);
    assert_eq!(t.commit_count(), count + 1);
    assert_eq!(
        t.files_in_commit(id),
        ["docs/adr/0001-use-git.md", "docs/adr/0003-use-jj.md"]
    );
    assert_eq!(outcome.paths, [old, new]);
    assert!(t.status().is_empty(), "{:?}", t.status());
}

#[cfg(unix)]
#[test]
fn an_executable_file_stays_executable_in_the_commit_and_on_disk() {
    use std::os::unix::fs::PermissionsExt;
    let t = TestRepo::new();
    t.write("tools/adr.sh", "#!/bin/sh\n");
    let path = t.path().join("tools/adr.sh");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
    t.commit_all("seed");

    Store::new(t.path(), true)
        .apply(
            vec![put(&path, stamp(&path), "#!/bin/sh\necho hi\n")],
            "edit",
        )
        .unwrap();
    let tree = t.head_commit().unwrap().tree().unwrap();
    let entry = tree.get_path(Path::new("tools/adr.sh")).unwrap();
    assert_eq!(entry.filemode(), i32::from(git2::FileMode::BlobExecutable));
    assert_eq!(
        fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o755
    );
    assert!(t.status().is_empty(), "{:?}", t.status());
}

#[test]
fn a_path_outside_the_repository_is_refused_before_writing() {
    let t = seeded();
    let elsewhere = tempfile::tempdir().unwrap();
    let inside = t.path().join("docs/adr/0003-x.md");
    let outside = elsewhere.path().join("0004-y.md");
    let err = Store::new(t.path(), true)
        .apply(
            vec![
                put(&inside, Stamp::absent(), "x\n"),
                put(&outside, Stamp::absent(), "y\n"),
            ],
            "two files",
        )
        .unwrap_err();
    assert!(matches!(err, Error::OutsideWorkspace { .. }), "{err}");
    assert!(!inside.exists());
    assert!(!outside.exists());
}

#[test]
fn writing_inside_dot_git_is_refused() {
    let t = seeded();
    let path = t.path().join(".git/hooks/post-commit");
    let err = Store::new(t.path(), true)
        .apply(vec![put(&path, Stamp::absent(), "boom\n")], "sneaky")
        .unwrap_err();
    assert_eq!(err.kind(), "inside-git-dir", "{err}");
    assert!(!path.exists());
}

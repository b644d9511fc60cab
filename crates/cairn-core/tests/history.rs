//! `history::history` and `history::diff` against real Git repositories: dates and authors,
//! changes that arrive through merges, renames, the per-HEAD cache, and diff lines.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use cairn_core::history::{self, ChangeKind, DiffLine, LineKind, Origin};
use cairn_testkit::{TestRepo, EPOCH};
use git2::{Oid, Signature, Time};

const ADR: &str = "docs/adr";

fn dirs() -> Vec<PathBuf> {
    vec![PathBuf::from(ADR), PathBuf::from("docs/scope")]
}

/// Stages everything and commits on HEAD as `name` at `EPOCH + secs`.
fn commit_as(t: &TestRepo, name: &str, secs: i64, message: &str) -> Oid {
    let mut index = t.repo.index().unwrap();
    index
        .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
        .unwrap();
    index.update_all(["*"], None).unwrap();
    index.write().unwrap();
    let tree = t.repo.find_tree(index.write_tree().unwrap()).unwrap();
    let sig = Signature::new(
        name,
        &format!("{}@example.com", name.to_lowercase()),
        &Time::new(EPOCH + secs, 0),
    )
    .unwrap();
    let parent = t.head_commit();
    let parents: Vec<&git2::Commit<'_>> = parent.iter().collect();
    t.repo
        .commit(Some("HEAD"), &sig, &sig, message, &tree, &parents)
        .unwrap()
}

fn checkout(t: &TestRepo, branch: &str) {
    t.repo.set_head(&format!("refs/heads/{branch}")).unwrap();
    t.repo
        .checkout_head(Some(git2::build::CheckoutBuilder::new().force()))
        .unwrap();
}

fn branch(t: &TestRepo, name: &str) {
    let head = t.head_commit().unwrap();
    t.repo.branch(name, &head, false).unwrap();
}

/// Merges branch `other` into HEAD (no conflicts expected) as a merge commit at `secs`.
fn merge(t: &TestRepo, other: &str, secs: i64) -> Oid {
    let ours = t.head_commit().unwrap();
    let theirs = t
        .repo
        .find_branch(other, git2::BranchType::Local)
        .unwrap()
        .get()
        .peel_to_commit()
        .unwrap();
    let mut index = t.repo.merge_commits(&ours, &theirs, None).unwrap();
    assert!(!index.has_conflicts());
    let tree = t
        .repo
        .find_tree(index.write_tree_to(&t.repo).unwrap())
        .unwrap();
    let sig = Signature::new("Merger", "merger@example.com", &Time::new(EPOCH + secs, 0)).unwrap();
    let id = t
        .repo
        .commit(
            Some("HEAD"),
            &sig,
            &sig,
            &format!("Merge branch '{other}'"),
            &tree,
            &[&ours, &theirs],
        )
        .unwrap();
    t.repo
        .checkout_head(Some(git2::build::CheckoutBuilder::new().force()))
        .unwrap();
    id
}

fn cache() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

#[test]
fn created_last_changed_and_every_version_with_authors() {
    let t = TestRepo::new();
    t.write("README.md", "readme\n");
    t.write(
        &format!("{ADR}/0001-use-git.md"),
        "# 1. Use Git\n\nStatus: proposed\n",
    );
    let c1 = commit_as(&t, "Alice", 0, "ADR 0001: new");
    t.write("README.md", "readme 2\n");
    commit_as(&t, "Carol", 30, "unrelated");
    t.write(
        &format!("{ADR}/0001-use-git.md"),
        "# 1. Use Git\n\nStatus: accepted\n",
    );
    t.write("docs/scope/map.md", "# map\n");
    let c2 = commit_as(
        &t,
        "Bob",
        60,
        "ADR 0001: status proposed → accepted\n\nbody",
    );

    let c = cache();
    let h = history::history_in(t.path(), &dirs(), Some(c.path())).unwrap();
    assert_eq!(h.origin, Origin::Computed);
    assert_eq!(h.head, Some(c2.to_string()));
    assert_eq!(
        h.files.keys().collect::<Vec<_>>(),
        ["docs/adr/0001-use-git.md", "docs/scope/map.md"],
        "README.md lies outside the folders of interest"
    );

    let f = h.file("docs/adr/0001-use-git.md").unwrap();
    assert_eq!(f.created.author, "Alice");
    assert_eq!(f.created.email, "alice@example.com");
    assert_eq!(f.created.commit, c1.to_string());
    assert_eq!(f.created.date.timestamp(), EPOCH);
    assert_eq!(f.last_changed.author, "Bob");
    assert_eq!(f.last_changed.commit, c2.to_string());
    assert_eq!(f.last_changed.date.timestamp(), EPOCH + 60);
    assert_eq!(f.versions.len(), 2, "the unrelated commit is not a version");
    assert_eq!(
        f.versions[0].summary,
        "ADR 0001: status proposed → accepted"
    );
    assert_eq!(f.versions[0].change, ChangeKind::Modified);
    assert_eq!(f.versions[1].change, ChangeKind::Added);
    let blob = t
        .repo
        .blob_path(&t.path().join("docs/adr/0001-use-git.md"))
        .unwrap();
    assert_eq!(f.versions[0].blob, blob.to_string());

    let map = h.file("docs/scope/map.md").unwrap();
    assert_eq!(map.created, map.last_changed);
    assert_eq!(map.created.author, "Bob");
}

#[test]
fn a_change_through_a_merge_is_dated_by_its_own_commit() {
    let t = TestRepo::new();
    t.write(&format!("{ADR}/0001-a.md"), "a\n");
    t.write(&format!("{ADR}/0002-b.md"), "b\n");
    commit_as(&t, "Alice", 0, "seed");
    branch(&t, "feature");

    checkout(&t, "feature");
    t.write(&format!("{ADR}/0001-a.md"), "a, edited on the branch\n");
    let side = commit_as(&t, "Bob", 100, "edit a on feature");

    checkout(&t, "main");
    t.write(&format!("{ADR}/0002-b.md"), "b, edited on main\n");
    let ours = commit_as(&t, "Carol", 200, "edit b on main");
    let m = merge(&t, "feature", 1000);
    assert_eq!(
        t.read(&format!("{ADR}/0001-a.md")),
        "a, edited on the branch\n"
    );

    let c = cache();
    let h = history::history_in(t.path(), &dirs(), Some(c.path())).unwrap();
    assert_eq!(h.head, Some(m.to_string()));
    let a = h.file("docs/adr/0001-a.md").unwrap();
    assert_eq!(a.last_changed.commit, side.to_string(), "not the merge {m}");
    assert_eq!(a.last_changed.author, "Bob");
    assert_eq!(a.last_changed.date.timestamp(), EPOCH + 100);
    assert_eq!(a.versions.len(), 2);
    let b = h.file("docs/adr/0002-b.md").unwrap();
    assert_eq!(b.last_changed.commit, ours.to_string());
    assert!(h
        .files
        .values()
        .flat_map(|f| &f.versions)
        .all(|v| v.commit != m.to_string()));
}

#[test]
fn a_rename_is_followed_back_to_the_creation() {
    let t = TestRepo::new();
    let text = "# 3. Use PostgreSQL\n\nStatus: accepted\n\nWe need a relational store with\ntransactions, and the team knows it well.\n";
    t.write(&format!("{ADR}/0003-use-postgres.md"), text);
    let created = commit_as(&t, "Alice", 0, "ADR 0003: new");
    std::fs::remove_file(t.path().join(ADR).join("0003-use-postgres.md")).unwrap();
    t.write(&format!("{ADR}/0003-use-postgresql.md"), text);
    let renamed = commit_as(&t, "Bob", 60, "ADR 0003: rename");

    let c = cache();
    let h = history::history_in(t.path(), &dirs(), Some(c.path())).unwrap();
    assert!(h.file("docs/adr/0003-use-postgres.md").is_none());
    let f = h.file("docs/adr/0003-use-postgresql.md").unwrap();
    assert_eq!(f.created.commit, created.to_string());
    assert_eq!(f.created.author, "Alice");
    assert_eq!(f.last_changed.commit, renamed.to_string());
    assert_eq!(f.versions.len(), 2);
    assert_eq!(f.versions[0].change, ChangeKind::Renamed);
    assert_eq!(
        f.versions[0].old_path.as_deref(),
        Some("docs/adr/0003-use-postgres.md")
    );
    assert_eq!(f.versions[1].path, "docs/adr/0003-use-postgres.md");
}

#[test]
fn the_cache_is_reused_while_head_stays_and_invalidated_when_it_moves() {
    let t = TestRepo::new();
    t.write(&format!("{ADR}/0001-a.md"), "a\n");
    t.commit_all("seed");
    let c = cache();

    let first = history::history_in(t.path(), &dirs(), Some(c.path())).unwrap();
    assert_eq!(first.origin, Origin::Computed);
    let again = history::history_in(t.path(), &dirs(), Some(c.path())).unwrap();
    assert_eq!(again.origin, Origin::Memory);
    assert_eq!((&again.head, &again.files), (&first.head, &first.files));

    // A fresh process (no memory) reads the file on disk.
    history::forget(t.path()).unwrap();
    let files: Vec<_> = std::fs::read_dir(c.path().join("history"))
        .unwrap()
        .collect();
    assert_eq!(files.len(), 1);
    let disk = history::history_in(t.path(), &dirs(), Some(c.path())).unwrap();
    assert_eq!(disk.origin, Origin::Disk);
    assert_eq!(disk.files, first.files);

    // HEAD moves forward: only the new commit is walked, and the new version is there.
    t.write(&format!("{ADR}/0001-a.md"), "a2\n");
    let moved = t.commit_all("edit");
    let after = history::history_in(t.path(), &dirs(), Some(c.path())).unwrap();
    assert_eq!(after.origin, Origin::Incremental);
    assert_eq!(after.head, Some(moved.to_string()));
    assert_eq!(after.file("docs/adr/0001-a.md").unwrap().versions.len(), 2);

    // And the disk cache, too, is for the new HEAD now.
    history::forget(t.path()).unwrap();
    let disk = history::history_in(t.path(), &dirs(), Some(c.path())).unwrap();
    assert_eq!(disk.origin, Origin::Disk);
    assert_eq!(disk.head, Some(moved.to_string()));
}

#[test]
fn workspace_history_covers_decisions_and_scope_maps() {
    let t = TestRepo::new();
    t.write(&format!("{ADR}/0001-a.md"), "# 1. A\n\nStatus: accepted\n");
    t.write("docs/scope/payments.md", "# payments\n");
    t.write("src/main.rs", "fn main() {}\n");
    t.commit_all("seed");
    let ws = cairn_core::Workspace::discover(t.path()).unwrap();
    let h = history::history_in(
        &ws.root,
        &[ws.decisions_dir.clone(), ws.scope_dir.clone()],
        None,
    )
    .unwrap();
    assert_eq!(
        h.files.keys().collect::<Vec<_>>(),
        ["docs/adr/0001-a.md", "docs/scope/payments.md"]
    );
}

#[test]
fn an_unborn_branch_has_an_empty_history() {
    let t = TestRepo::new();
    let h = history::history_in(t.path(), &dirs(), None).unwrap();
    assert_eq!(h.head, None);
    assert!(h.files.is_empty());
}

fn line(kind: LineKind, old: Option<u32>, new: Option<u32>, text: &str) -> DiffLine {
    DiffLine {
        kind,
        old_line: old,
        new_line: new,
        text: text.into(),
    }
}

#[test]
fn diff_between_versions_and_against_the_working_tree() {
    let t = TestRepo::new();
    let rel = format!("{ADR}/0001-a.md");
    t.write(&rel, "# 1. A\n\nStatus: proposed\n\nContext.\n");
    let v1 = t.commit_all("v1");
    t.write(&rel, "# 1. A\n\nStatus: accepted\n\nContext.\n");
    let v2 = t.commit_all("v2");

    let lines = history::diff(
        t.path(),
        Path::new(&rel),
        &v1.to_string(),
        Some(&v2.to_string()),
    )
    .unwrap();
    use LineKind::*;
    assert_eq!(
        lines,
        [
            line(Context, Some(1), Some(1), "# 1. A"),
            line(Context, Some(2), Some(2), ""),
            line(Removed, Some(3), None, "Status: proposed"),
            line(Added, None, Some(3), "Status: accepted"),
            line(Context, Some(4), Some(4), ""),
            line(Context, Some(5), Some(5), "Context."),
        ]
    );

    // Against the working tree (rev2 omitted), with an absolute path.
    t.write(&rel, "# 1. A\n\nStatus: accepted\n\nContext.\nMore.\n");
    let lines = history::diff(t.path(), &t.path().join(&rel), "HEAD", None).unwrap();
    assert_eq!(
        lines.iter().filter(|l| l.kind == Added).collect::<Vec<_>>(),
        [&line(Added, None, Some(6), "More.")]
    );
    assert!(lines.iter().all(|l| l.kind != Removed));

    // A file that did not exist in rev1 diffs as all added.
    let lines = history::diff(t.path(), Path::new(&rel), "HEAD~1", Some("HEAD")).unwrap();
    assert!(lines.iter().any(|l| l.kind == Removed));
    let other = format!("{ADR}/0002-b.md");
    t.write(&other, "one\ntwo\n");
    t.commit_all("b");
    let lines = history::diff(t.path(), Path::new(&other), "HEAD~1", Some("HEAD")).unwrap();
    assert_eq!(
        lines,
        [
            line(Added, None, Some(1), "one"),
            line(Added, None, Some(2), "two")
        ]
    );

    let err = history::diff(t.path(), Path::new(&rel), "no-such-rev", None).unwrap_err();
    assert_eq!(err.kind(), "not-found");
}

#[test]
fn a_conflict_resolved_in_the_merge_is_the_merge_s_own_version() {
    let t = TestRepo::new();
    let rel = format!("{ADR}/0001-a.md");
    t.write(&rel, "Status: proposed\n");
    commit_as(&t, "Alice", 0, "seed");
    branch(&t, "feature");
    checkout(&t, "feature");
    t.write(&rel, "Status: rejected\n");
    let theirs_id = commit_as(&t, "Bob", 100, "reject");
    checkout(&t, "main");
    t.write(&rel, "Status: accepted\n");
    commit_as(&t, "Carol", 200, "accept");

    // Resolve by hand: neither side's text.
    t.write(&rel, "Status: deprecated\n");
    let mut index = t.repo.index().unwrap();
    index.add_path(Path::new(&rel)).unwrap();
    index.write().unwrap();
    let tree = t.repo.find_tree(index.write_tree().unwrap()).unwrap();
    let ours = t.head_commit().unwrap();
    let theirs = t.repo.find_commit(theirs_id).unwrap();
    let sig = Signature::new("Merger", "merger@example.com", &Time::new(EPOCH + 300, 0)).unwrap();
    let m = t
        .repo
        .commit(
            Some("HEAD"),
            &sig,
            &sig,
            "merge, resolved",
            &tree,
            &[&ours, &theirs],
        )
        .unwrap();

    let h = history::history_in(t.path(), &dirs(), None).unwrap();
    let f = h.file(&rel).unwrap();
    assert_eq!(f.last_changed.commit, m.to_string());
    assert_eq!(f.last_changed.author, "Merger");
    let authors: Vec<_> = f.versions.iter().map(|v| v.author.as_str()).collect();
    assert_eq!(authors, ["Merger", "Carol", "Bob", "Alice"]);
}

#[test]
fn files_in_nested_folders_are_tracked_too() {
    let t = TestRepo::new();
    t.write(&format!("{ADR}/0001-a.md"), "a\n");
    t.write(&format!("{ADR}/archive/0000-old.md"), "old\n");
    commit_as(&t, "Alice", 0, "seed");
    t.write(&format!("{ADR}/archive/0000-old.md"), "old, edited\n");
    t.write(&format!("{ADR}/archive/deeper/0009-x.md"), "x\n");
    let second = commit_as(&t, "Bob", 60, "edit archive");

    let h = history::history_in(t.path(), &dirs(), None).unwrap();
    let old = h.file("docs/adr/archive/0000-old.md").unwrap();
    assert_eq!(old.versions.len(), 2);
    assert_eq!(old.last_changed.commit, second.to_string());
    let x = h.file("docs/adr/archive/deeper/0009-x.md").unwrap();
    assert_eq!(x.created.author, "Bob");
    assert_eq!(h.file("docs/adr/0001-a.md").unwrap().versions.len(), 1);
}

#[test]
fn an_incremental_update_equals_a_full_recompute() {
    let t = TestRepo::new();
    let text = "# 3. Use PostgreSQL\n\nStatus: accepted\n\nWe need a relational store with\ntransactions, and the team knows it well.\n";
    t.write(&format!("{ADR}/0003-use-postgres.md"), text);
    t.write(&format!("{ADR}/0004-gone.md"), "gone\n");
    commit_as(&t, "Alice", 0, "seed");
    t.write(&format!("{ADR}/0004-gone.md"), "gone soon\n");
    commit_as(&t, "Alice", 10, "edit");
    let c = cache();
    let first = history::history_in(t.path(), &dirs(), Some(c.path())).unwrap();
    assert_eq!(first.origin, Origin::Computed);

    // New commits: a rename, a deletion, a new file, an edit.
    std::fs::remove_file(t.path().join(ADR).join("0003-use-postgres.md")).unwrap();
    t.write(&format!("{ADR}/0003-use-postgresql.md"), text);
    std::fs::remove_file(t.path().join(ADR).join("0004-gone.md")).unwrap();
    commit_as(&t, "Bob", 60, "rename 3, drop 4");
    t.write(&format!("{ADR}/0005-new.md"), "new\n");
    t.write(
        &format!("{ADR}/0003-use-postgresql.md"),
        &format!("{text}More.\n"),
    );
    commit_as(&t, "Carol", 120, "add 5, edit 3");

    let incremental = history::history_in(t.path(), &dirs(), Some(c.path())).unwrap();
    assert_eq!(incremental.origin, Origin::Incremental);
    history::forget(t.path()).unwrap();
    let full = history::history_in(t.path(), &dirs(), None).unwrap();
    assert_eq!(full.origin, Origin::Computed);
    assert_eq!(incremental.files, full.files);
    let f = incremental.file("docs/adr/0003-use-postgresql.md").unwrap();
    assert_eq!(f.versions.len(), 3);
    assert_eq!(f.created.author, "Alice");
    assert!(incremental.file("docs/adr/0004-gone.md").is_none());
}

#[test]
fn a_history_for_a_head_that_is_not_an_ancestor_is_recomputed() {
    let t = TestRepo::new();
    t.write(&format!("{ADR}/0001-a.md"), "a\n");
    let seed = t.commit_all("seed");
    t.write(&format!("{ADR}/0001-a.md"), "a2\n");
    t.commit_all("edit");
    let c = cache();
    let before = history::history_in(t.path(), &dirs(), Some(c.path())).unwrap();
    assert_eq!(before.file("docs/adr/0001-a.md").unwrap().versions.len(), 2);

    // Rewrite history: reset to the seed and commit something else.
    let seed = t.repo.find_object(seed, None).unwrap();
    t.repo.reset(&seed, git2::ResetType::Hard, None).unwrap();
    t.write(&format!("{ADR}/0001-a.md"), "a3\n");
    t.commit_all("other edit");
    let after = history::history_in(t.path(), &dirs(), Some(c.path())).unwrap();
    assert_eq!(after.origin, Origin::Computed);
    let f = after.file("docs/adr/0001-a.md").unwrap();
    assert_eq!(f.versions.len(), 2);
    assert_eq!(f.versions[0].summary, "other edit");
}

/// The history panel's diffs: what each version changed (a creation all added, an edit after
/// a rename against the old name), any two versions chosen, and only versions of the file.
#[test]
fn diffs_between_versions_of_a_file_follow_renames() {
    let t = TestRepo::new();
    let old = format!("{ADR}/0003-use-postgres.md");
    let new = format!("{ADR}/0003-use-postgresql.md");
    let body = "We need a relational store with\ntransactions, and the team knows it well.\n";
    t.write(
        &old,
        &format!("# 3. Use Postgres\n\nStatus: proposed\n\n{body}"),
    );
    let v1 = commit_as(&t, "Alice", 0, "ADR 0003: new");
    std::fs::remove_file(t.path().join(&old)).unwrap();
    t.write(
        &new,
        &format!("# 3. Use PostgreSQL\n\nStatus: proposed\n\n{body}"),
    );
    let v2 = commit_as(&t, "Bob", 60, "ADR 0003: rename");
    t.write(
        &new,
        &format!("# 3. Use PostgreSQL\n\nStatus: accepted\n\n{body}"),
    );
    let v3 = commit_as(&t, "Carol", 120, "ADR 0003: accept");
    t.write("README.md", "unrelated\n");
    commit_as(&t, "Dan", 180, "unrelated");

    let h = history::history_in(t.path(), &dirs(), None).unwrap();
    let f = h.file(&new).unwrap();
    let ids: Vec<String> = f.versions.iter().map(|v| v.commit.clone()).collect();
    assert_eq!(ids, [v3.to_string(), v2.to_string(), v1.to_string()]);
    use LineKind::*;
    let changed = |lines: &[DiffLine]| -> Vec<(LineKind, String)> {
        lines
            .iter()
            .filter(|l| l.kind != Context)
            .map(|l| (l.kind, l.text.clone()))
            .collect()
    };

    // The creation: every line added.
    let lines = history::diff_versions(t.path(), f, None, &ids[2]).unwrap();
    assert!(lines.iter().all(|l| l.kind == Added));
    assert_eq!(lines.len(), 6);
    // The rename, against the file under its old name in the parent: only the title.
    let lines = history::diff_versions(t.path(), f, None, &ids[1]).unwrap();
    assert_eq!(
        changed(&lines),
        [
            (Removed, "# 3. Use Postgres".to_string()),
            (Added, "# 3. Use PostgreSQL".to_string())
        ]
    );
    // The last edit, with its line numbers.
    let lines = history::diff_versions(t.path(), f, None, &ids[0]).unwrap();
    assert!(lines.contains(&line(Removed, Some(3), None, "Status: proposed")));
    assert!(lines.contains(&line(Added, None, Some(3), "Status: accepted")));
    assert!(lines.contains(&line(Context, Some(1), Some(1), "# 3. Use PostgreSQL")));

    // Any two versions, across the rename: both changes at once.
    let lines = history::diff_versions(t.path(), f, Some(&ids[2]), &ids[0]).unwrap();
    assert_eq!(
        changed(&lines),
        [
            (Removed, "# 3. Use Postgres".to_string()),
            (Added, "# 3. Use PostgreSQL".to_string()),
            (Removed, "Status: proposed".to_string()),
            (Added, "Status: accepted".to_string()),
        ]
    );
    // Two identical versions: no lines.
    assert!(history::diff_versions(t.path(), f, Some(&ids[0]), &ids[0])
        .unwrap()
        .is_empty());

    // A commit that is not a version of this file (or not a commit) is refused.
    let unrelated = t.head().unwrap().to_string();
    for bad in [unrelated.as_str(), "not-a-commit"] {
        let err = history::diff_versions(t.path(), f, None, bad).unwrap_err();
        assert_eq!(err.kind(), "not-found", "{bad}");
        let err = history::diff_versions(t.path(), f, Some(bad), &ids[0]).unwrap_err();
        assert_eq!(err.kind(), "not-found", "{bad}");
    }
}

/// What the desktop app's `head-moved` event rests on: HEAD read cheaply, and the folders
/// where a move of HEAD shows.
#[test]
fn head_and_where_it_moves() {
    let t = TestRepo::new();
    assert_eq!(history::head(t.path()).unwrap(), None, "unborn");
    t.write(&format!("{ADR}/0001-a.md"), "a\n");
    let c1 = t.commit_all("one");
    assert_eq!(history::head(t.path()).unwrap(), Some(c1.to_string()));
    t.write(&format!("{ADR}/0001-a.md"), "b\n");
    let c2 = t.commit_all("two");
    assert_eq!(
        history::head(&t.path().join(ADR)).unwrap(),
        Some(c2.to_string()),
        "from a folder inside the repository"
    );
    let files = history::head_files(t.path()).unwrap();
    let git_dir = std::fs::canonicalize(t.path().join(".git")).unwrap();
    assert_eq!(std::fs::canonicalize(&files.git_dir).unwrap(), git_dir);
    assert!(files.git_dir.join("HEAD").is_file());
    assert!(files.branch_dir.ends_with("refs/heads"));
    assert!(files.branch_dir.is_dir());
    assert!(history::head(&std::env::temp_dir().join("no-such-folder-for-cairn")).is_err());
}

//! `sync::sync` against real bare repositories on this machine (`file://` remotes), with two
//! clones making concurrent changes: fast-forward, conflict-free merge, conflict, and an
//! unreachable remote.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use cairn_core::sync::{self, Integration};
use cairn_testkit::TestRepo;
use git2::{Oid, Repository, RepositoryInitOptions};
use tempfile::TempDir;

const A_MD: &str = "docs/adr/0001-a.md";
const B_MD: &str = "docs/adr/0002-b.md";

struct Remote {
    _dir: TempDir,
    repo: Repository,
    url: String,
}

impl Remote {
    fn new() -> Remote {
        cairn_testkit::isolate_git_config();
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init_opts(
            dir.path(),
            RepositoryInitOptions::new().bare(true).initial_head("main"),
        )
        .unwrap();
        let url = format!("file://{}", dir.path().display());
        Remote {
            _dir: dir,
            repo,
            url,
        }
    }

    fn main(&self) -> Option<Oid> {
        self.repo.refname_to_id("refs/heads/main").ok()
    }
}

/// A working clone of `remote` with `main` tracking `origin/main` (checked out if the remote
/// has it).
fn clone_of(remote: &Remote) -> TestRepo {
    let t = TestRepo::new();
    let mut origin = t.repo.remote("origin", &remote.url).unwrap();
    let mut config = t.repo.config().unwrap();
    config.set_str("branch.main.remote", "origin").unwrap();
    config
        .set_str("branch.main.merge", "refs/heads/main")
        .unwrap();
    origin.fetch::<&str>(&[], None, None).unwrap();
    drop(origin);
    if let Ok(id) = t.repo.refname_to_id("refs/remotes/origin/main") {
        t.repo
            .reference("refs/heads/main", id, true, "clone")
            .unwrap();
        t.repo
            .checkout_head(Some(git2::build::CheckoutBuilder::new().force()))
            .unwrap();
    }
    t
}

/// A remote seeded by a first clone with two decisions, and that first clone.
fn seeded() -> (Remote, TestRepo) {
    let remote = Remote::new();
    let a = clone_of(&remote);
    a.write(A_MD, "# 1. A\n\nStatus: proposed\n");
    a.write(B_MD, "# 2. B\n\nStatus: proposed\n");
    a.commit_all("seed");
    let report = sync::sync(a.path()).unwrap();
    assert_eq!(report.integration, Integration::UpToDate);
    assert_eq!(report.pushed, 1, "the first sync publishes the branch");
    assert_eq!(remote.main(), a.head());
    (remote, a)
}

#[test]
fn fast_forward_when_only_the_remote_moved() {
    let (remote, a) = seeded();
    let b = clone_of(&remote);
    let before = b.head().unwrap();

    a.write(A_MD, "# 1. A\n\nStatus: accepted\n");
    a.commit_all("ADR 0001: accepted");
    assert_eq!(sync::sync(a.path()).unwrap().pushed, 1);

    let report = sync::sync(b.path()).unwrap();
    assert_eq!(
        report.integration,
        Integration::FastForward {
            from: before.to_string(),
            to: a.head().unwrap().to_string()
        }
    );
    assert_eq!(report.pushed, 0);
    assert_eq!(b.head(), a.head());
    assert_eq!(b.read(A_MD), "# 1. A\n\nStatus: accepted\n");
    let workdir = std::fs::canonicalize(b.path()).unwrap();
    let changed: Vec<_> = report
        .changed
        .iter()
        .map(|p| std::fs::canonicalize(p).unwrap())
        .collect();
    assert_eq!(
        changed,
        [workdir.join(A_MD)],
        "the one file the sync changed"
    );
    assert!(b.status().is_empty(), "{:?}", b.status());
    assert_eq!(
        b.repo.head().unwrap().name().ok(),
        Some("refs/heads/main"),
        "HEAD stays on the branch"
    );
}

#[test]
fn concurrent_changes_without_conflict_are_merged_and_pushed() {
    let (remote, a) = seeded();
    let b = clone_of(&remote);

    a.write(A_MD, "# 1. A\n\nStatus: accepted\n");
    let a_commit = a.commit_all("ADR 0001: accepted");
    sync::sync(a.path()).unwrap();

    b.write(B_MD, "# 2. B\n\nStatus: rejected\n");
    let b_commit = b.commit_all("ADR 0002: rejected");
    let report = sync::sync(b.path()).unwrap();
    let Integration::Merged { commit } = &report.integration else {
        panic!("expected a merge, got {:?}", report.integration);
    };
    let merge = b.repo.find_commit(Oid::from_str(commit).unwrap()).unwrap();
    assert_eq!(
        merge.parent_ids().collect::<Vec<_>>(),
        [b_commit, a_commit],
        "ours first, then theirs"
    );
    assert_eq!(merge.author().name().ok(), Some(cairn_testkit::NAME));
    assert_eq!(report.pushed, 2, "the local commit and the merge");
    assert_eq!(b.head(), Some(merge.id()));
    assert_eq!(remote.main(), Some(merge.id()), "pushed");
    assert_eq!(b.read(A_MD), "# 1. A\n\nStatus: accepted\n");
    assert_eq!(b.read(B_MD), "# 2. B\n\nStatus: rejected\n");
    assert!(b.status().is_empty(), "{:?}", b.status());
    assert!(
        report.changed.len() == 1 && report.changed[0].ends_with(A_MD),
        "only the file that came in through the merge: {:?}",
        report.changed
    );

    // And the other clone catches up by fast-forward.
    let report = sync::sync(a.path()).unwrap();
    assert!(matches!(
        report.integration,
        Integration::FastForward { .. }
    ));
    assert_eq!(a.read(B_MD), "# 2. B\n\nStatus: rejected\n");
}

#[test]
fn a_conflict_stops_names_the_files_and_changes_nothing() {
    let (remote, a) = seeded();
    let b = clone_of(&remote);

    a.write(A_MD, "# 1. A\n\nStatus: accepted\n");
    a.commit_all("ADR 0001: accepted");
    sync::sync(a.path()).unwrap();
    let remote_before = remote.main();

    b.write(A_MD, "# 1. A\n\nStatus: rejected\n");
    b.commit_all("ADR 0001: rejected");
    // Uncommitted work of the user: an edit and an untracked file.
    b.write(B_MD, "# 2. B\n\nStatus: proposed\n\nDraft.\n");
    b.write("notes.txt", "mine\n");
    let head_before = b.head();
    let status_before = b.status();
    let index_before = b.index_blob(A_MD);

    let err = sync::sync(b.path()).unwrap_err();
    assert_eq!(err.kind(), "sync-conflict", "{err}");
    match &err {
        cairn_core::Error::SyncConflict { files, .. } => {
            assert_eq!(files, &[std::path::PathBuf::from(A_MD)])
        }
        other => panic!("{other:?}"),
    }
    assert!(err.to_string().contains(A_MD), "{err}");

    assert_eq!(b.head(), head_before, "local commits untouched");
    assert_eq!(
        b.status(),
        status_before,
        "working tree and index untouched"
    );
    assert_eq!(b.index_blob(A_MD), index_before);
    assert_eq!(b.read(A_MD), "# 1. A\n\nStatus: rejected\n");
    assert_eq!(b.read(B_MD), "# 2. B\n\nStatus: proposed\n\nDraft.\n");
    assert_eq!(b.read("notes.txt"), "mine\n");
    assert_eq!(
        b.repo.state(),
        git2::RepositoryState::Clean,
        "no merge in progress"
    );
    assert_eq!(remote.main(), remote_before, "nothing pushed");
}

#[test]
fn an_unreachable_remote_is_a_clear_error_and_loses_nothing() {
    let (_remote, a) = seeded();
    a.write(A_MD, "# 1. A\n\nStatus: accepted\n");
    let head = a.commit_all("local work");
    a.repo
        .remote_set_url("origin", "file:///nonexistent/cairn-remote.git")
        .unwrap();

    let err = sync::sync(a.path()).unwrap_err();
    assert_eq!(err.kind(), "remote", "{err}");
    assert!(err.to_string().contains("origin"), "{err}");
    assert!(err.to_string().contains("nothing was changed"), "{err}");
    assert_eq!(a.head(), Some(head));
    assert!(a.status().is_empty());
}

#[test]
fn a_branch_without_upstream_is_refused() {
    let t = TestRepo::new();
    t.write(A_MD, "a\n");
    t.commit_all("seed");
    let err = sync::sync(t.path()).unwrap_err();
    assert_eq!(err.kind(), "no-upstream", "{err}");
}

/// The Sync button's status, from local refs only: unpublished, ahead, behind (after a
/// fetch), diverged, and the cases with nothing to compare against.
#[test]
fn status_counts_ahead_and_behind_as_of_the_last_fetch() {
    let t = TestRepo::new();
    assert_eq!(
        sync::status(t.path()).unwrap(),
        sync::SyncStatus::default(),
        "unborn"
    );
    t.write(A_MD, "a\n");
    t.commit_all("seed");
    let s = sync::status(t.path()).unwrap();
    assert_eq!(s.branch.as_deref(), Some("main"));
    assert_eq!((s.remote, s.upstream), (None, None), "no upstream");

    let remote = Remote::new();
    let a = clone_of(&remote);
    a.write(A_MD, "# 1. A\n");
    a.commit_all("one");
    a.write(B_MD, "# 2. B\n");
    a.commit_all("two");
    let s = sync::status(a.path()).unwrap();
    assert_eq!(s.upstream.as_deref(), Some("origin/main"));
    assert_eq!(s.remote.as_deref(), Some("origin"));
    assert_eq!((s.ahead, s.behind), (2, 0), "not published yet");
    sync::sync(a.path()).unwrap();
    assert_eq!(
        sync::status(a.path()).unwrap(),
        sync::SyncStatus {
            branch: Some("main".into()),
            remote: Some("origin".into()),
            upstream: Some("origin/main".into()),
            ahead: 0,
            behind: 0,
        }
    );

    // Another clone pushes; this one sees it only once it has fetched.
    let b = clone_of(&remote);
    b.write(B_MD, "# 2. B\n\nStatus: accepted\n");
    b.commit_all("accept B");
    sync::sync(b.path()).unwrap();
    a.write(A_MD, "# 1. A\n\nStatus: accepted\n");
    a.commit_all("accept A");
    assert_eq!(
        (
            sync::status(a.path()).unwrap().ahead,
            sync::status(a.path()).unwrap().behind
        ),
        (1, 0)
    );
    a.repo
        .find_remote("origin")
        .unwrap()
        .fetch::<&str>(&[], None, None)
        .unwrap();
    let s = sync::status(a.path()).unwrap();
    assert_eq!((s.ahead, s.behind), (1, 1), "diverged");

    // A detached HEAD has no branch to sync.
    let head = a.head().unwrap();
    a.repo.set_head_detached(head).unwrap();
    assert_eq!(sync::status(a.path()).unwrap(), sync::SyncStatus::default());
    // …and syncing it says so by kind, so the UI can tell the user to check one out.
    let err = sync::sync(a.path()).unwrap_err();
    assert_eq!(err.kind(), "detached-head", "{err}");
}

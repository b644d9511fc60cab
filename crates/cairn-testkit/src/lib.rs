//! Test helpers for Cairn: throwaway Git repositories whose Git configuration is isolated from
//! the machine's, so a test sees the same identity (or deliberately none) on every computer.
//!
//! This crate is a dev-dependency only. Its helpers panic with a message instead of returning
//! errors, because a broken fixture should stop the test at the line that built it.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test support: a broken fixture panics at the line that built it"
)]

use std::cell::Cell;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Once;

use git2::{ConfigLevel, Oid, Repository, RepositoryInitOptions, Signature, Status, Time};
use tempfile::TempDir;

pub mod inputs;

/// The identity `TestRepo::new` writes into the repository-local configuration.
pub const NAME: &str = "Cairn Test";
/// See [`NAME`].
pub const EMAIL: &str = "test@cairn.invalid";

/// 2026-01-01T00:00:00Z. Commits made by [`TestRepo::commit_all`] are dated this many seconds
/// after the epoch plus one minute per earlier commit, so ids and history are reproducible.
pub const EPOCH: i64 = 1_767_225_600;

static ISOLATE: Once = Once::new();

/// Points libgit2's global, XDG, system and ProgramData configuration search paths at a folder
/// that does not exist, so that in-process libgit2 reads only repository-local configuration.
///
/// Why this way: libgit2 finds `~/.gitconfig` through `$HOME`, and changing the environment of
/// a multi-threaded test process is unsound (and would leak into unrelated tests). libgit2
/// instead offers `git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH)`, which is process-global and not
/// synchronised, hence `unsafe`. A `Once` makes sure it is set exactly one time, before this
/// crate opens or creates any repository. Every helper here calls this first; a test that uses
/// git2 without going through `TestRepo` should call it too, so that no thread reads the
/// search path while it is being written.
pub fn isolate_git_config() {
    ISOLATE.call_once(|| {
        // A fresh temporary name that is removed again at once: nothing ever lives there, so
        // libgit2 finds no configuration file at any of these levels, and no folder is leaked.
        let nowhere = tempfile::Builder::new()
            .prefix("cairn-testkit-no-git-config-")
            .tempdir()
            .expect("create a temporary folder")
            .path()
            .to_path_buf();
        for level in [
            ConfigLevel::Global,
            ConfigLevel::XDG,
            ConfigLevel::System,
            ConfigLevel::ProgramData,
        ] {
            // SAFETY: runs once per process (guarded by `ISOLATE`) and before this crate makes
            // any other libgit2 call, so no libgit2 call of ours reads the search path while it
            // changes. See the function's documentation for tests that bypass this crate.
            unsafe { git2::opts::set_search_path(level, nowhere.as_os_str()) }
                .expect("set libgit2 configuration search path");
        }
    });
}

/// A Git repository in a temporary folder, deleted when the value is dropped, with its own
/// empty home folder for child processes (see [`TestRepo::git_env`]).
pub struct TestRepo {
    pub dir: TempDir,
    pub repo: Repository,
    home: TempDir,
    commits: Cell<i64>,
}

impl TestRepo {
    /// `git init` (branch `main`) with the identity [`NAME`] / [`EMAIL`] in the
    /// repository-local configuration and commit signing turned off.
    pub fn new() -> TestRepo {
        let test = TestRepo::init();
        let mut config = test.repo.config().expect("open repository config");
        config.set_str("user.name", NAME).expect("set user.name");
        config.set_str("user.email", EMAIL).expect("set user.email");
        config
            .set_bool("commit.gpgsign", false)
            .expect("set commit.gpgsign");
        test
    }

    /// A repository in which no Git identity is configured at any level, so that
    /// `repo.signature()` fails even on a machine with a global `user.name`.
    ///
    /// `user.useConfigOnly` is set so that a spawned `git` refuses to guess a name from the
    /// system account and host name instead, matching what libgit2 does.
    pub fn without_identity() -> TestRepo {
        let test = TestRepo::init();
        let mut config = test.repo.config().expect("open repository config");
        config
            .set_bool("user.useConfigOnly", true)
            .expect("set user.useConfigOnly");
        config
            .set_bool("commit.gpgsign", false)
            .expect("set commit.gpgsign");
        test
    }

    fn init() -> TestRepo {
        isolate_git_config();
        let dir = tempfile::Builder::new()
            .prefix("cairn-test-")
            .tempdir()
            .expect("create temporary repository folder");
        let home = tempfile::Builder::new()
            .prefix("cairn-test-home-")
            .tempdir()
            .expect("create temporary home folder");
        fs::create_dir_all(home.path().join(".config")).expect("create home/.config");
        let repo = Repository::init_opts(
            dir.path(),
            RepositoryInitOptions::new().initial_head("main"),
        )
        .expect("git init");
        TestRepo {
            dir,
            repo,
            home,
            commits: Cell::new(0),
        }
    }

    /// The repository's working folder.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes `contents` to `rel` (a `/`-separated path inside the working folder), creating
    /// folders as needed.
    pub fn write(&self, rel: &str, contents: &str) {
        let path = self.path().join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).expect("create parent folders");
        }
        fs::write(&path, contents).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    }

    /// Reads `rel` from the working folder as text.
    pub fn read(&self, rel: &str) -> String {
        let path = self.path().join(rel);
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
    }

    /// Stages every change in the working folder (new, modified and deleted files) and commits
    /// it on HEAD. Author and committer are [`NAME`] / [`EMAIL`] at [`EPOCH`] plus one minute
    /// per commit made so far, so the result does not depend on the clock or on any
    /// configuration.
    pub fn commit_all(&self, message: &str) -> Oid {
        let mut index = self.repo.index().expect("open index");
        index
            .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
            .expect("stage all files");
        index.update_all(["*"], None).expect("stage deletions");
        index.write().expect("write index");
        let tree_id = index.write_tree().expect("write tree");
        let tree = self.repo.find_tree(tree_id).expect("find tree");

        let n = self.commits.get();
        self.commits.set(n + 1);
        let when = Time::new(EPOCH + 60 * n, 0);
        let sig = Signature::new(NAME, EMAIL, &when).expect("signature");

        let parent = self.head_commit();
        let parents: Vec<&git2::Commit<'_>> = parent.iter().collect();
        self.repo
            .commit(Some("HEAD"), &sig, &sig, message, &tree, &parents)
            .expect("commit")
    }

    /// HEAD's commit, or `None` on an unborn branch.
    pub fn head_commit(&self) -> Option<git2::Commit<'_>> {
        match self.repo.head() {
            Ok(head) => Some(head.peel_to_commit().expect("HEAD points at a commit")),
            Err(e) if e.code() == git2::ErrorCode::UnbornBranch => None,
            Err(e) if e.code() == git2::ErrorCode::NotFound => None,
            Err(e) => panic!("read HEAD: {e}"),
        }
    }

    /// HEAD's commit id, or `None` on an unborn branch.
    pub fn head(&self) -> Option<Oid> {
        self.head_commit().map(|c| c.id())
    }

    /// How many commits are reachable from HEAD.
    pub fn commit_count(&self) -> usize {
        let Some(head) = self.head() else { return 0 };
        let mut walk = self.repo.revwalk().expect("revwalk");
        walk.push(head).expect("push HEAD");
        walk.count()
    }

    /// Every file path (`/`-separated, sorted) in HEAD's tree; empty on an unborn branch.
    pub fn head_files(&self) -> Vec<String> {
        let Some(commit) = self.head_commit() else {
            return Vec::new();
        };
        let tree = commit.tree().expect("HEAD tree");
        let mut files = Vec::new();
        tree.walk(git2::TreeWalkMode::PreOrder, |dir, entry| {
            if entry.kind() != Some(git2::ObjectType::Tree) {
                files.push(format!("{dir}{}", entry.name().unwrap_or("<non-utf8>")));
            }
            git2::TreeWalkResult::Ok
        })
        .expect("walk HEAD tree");
        files.sort();
        files
    }

    /// The bytes of `rel` in HEAD's tree, or `None` when it is not there.
    pub fn head_blob(&self, rel: &str) -> Option<Vec<u8>> {
        let commit = self.head_commit()?;
        let tree = commit.tree().expect("HEAD tree");
        let entry = tree.get_path(Path::new(rel)).ok()?;
        let blob = self.repo.find_blob(entry.id()).expect("find blob");
        Some(blob.content().to_vec())
    }

    /// The paths (sorted) that commit `oid` added, modified or deleted compared with its first
    /// parent (or with the empty tree for a root commit).
    pub fn files_in_commit(&self, oid: Oid) -> Vec<String> {
        let commit = self.repo.find_commit(oid).expect("find commit");
        let tree = commit.tree().expect("commit tree");
        let parent_tree = match commit.parent(0) {
            Ok(parent) => Some(parent.tree().expect("parent tree")),
            Err(_) => None,
        };
        let diff = self
            .repo
            .diff_tree_to_tree(parent_tree.as_ref(), Some(&tree), None)
            .expect("diff commit against parent");
        let mut files: Vec<String> = diff
            .deltas()
            .filter_map(|d| d.new_file().path().or_else(|| d.old_file().path()))
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .collect();
        files.sort();
        files.dedup();
        files
    }

    /// Like `git status --porcelain --untracked-files=all`: every path that is not clean, with
    /// its status bits, sorted by path. Ignored files are left out.
    pub fn status(&self) -> Vec<(String, Status)> {
        let mut opts = git2::StatusOptions::new();
        opts.include_untracked(true)
            .recurse_untracked_dirs(true)
            .include_ignored(false);
        let statuses = self.repo.statuses(Some(&mut opts)).expect("git status");
        let mut out: Vec<(String, Status)> = statuses
            .iter()
            .map(|e| (e.path().unwrap_or("<non-utf8>").to_string(), e.status()))
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }

    /// The bytes the index holds for `rel` (stage 0), or `None` when it is not in the index.
    pub fn index_blob(&self, rel: &str) -> Option<Vec<u8>> {
        let mut index = self.repo.index().expect("open index");
        index.read(true).expect("reload index");
        let entry = index.get_path(Path::new(rel), 0)?;
        let blob = self.repo.find_blob(entry.id).expect("find blob");
        Some(blob.content().to_vec())
    }

    /// Environment variables that isolate a child process (`git`, or the `cairn` binary) from
    /// the machine's Git configuration: an empty home folder of this repository's own, and no
    /// system configuration. With [`TestRepo::new`] the child still finds the test identity in
    /// the repository-local configuration.
    pub fn git_env(&self) -> Vec<(String, String)> {
        let home = self.home.path();
        vec![
            ("HOME".into(), home.display().to_string()),
            (
                "XDG_CONFIG_HOME".into(),
                home.join(".config").display().to_string(),
            ),
            ("GIT_CONFIG_NOSYSTEM".into(), "1".into()),
            (
                "GIT_CONFIG_GLOBAL".into(),
                home.join(".gitconfig").display().to_string(),
            ),
        ]
    }

    /// The home folder named by [`TestRepo::git_env`].
    pub fn home(&self) -> PathBuf {
        self.home.path().to_path_buf()
    }
}

impl Default for TestRepo {
    fn default() -> Self {
        TestRepo::new()
    }
}

/// The demo workspace shipped in `adr-templates/demo`, which many tests start from.
pub fn demo_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../adr-templates/demo")
}

/// Every file below `dir`, at any depth; an unreadable or missing folder has none. The fault
/// tests damage an index folder file by file with it.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = entry.path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// Copies a folder tree (files and sub-folders) into `to`, creating it.
pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("create target folder");
    for entry in fs::read_dir(from).expect("read source folder") {
        let entry = entry.expect("read folder entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

impl TestRepo {
    /// Copies the demo workspace into the repository and commits it.
    pub fn add_demo(&self) {
        copy_dir(&demo_dir(), self.path());
        self.commit_all("demo");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::process::Command;

    #[test]
    fn new_uses_the_repository_local_identity() {
        let t = TestRepo::new();
        let sig = t.repo.signature().expect("identity from local config");
        assert_eq!(sig.name().ok(), Some(NAME));
        assert_eq!(sig.email().ok(), Some(EMAIL));
    }

    /// This machine (and most developer machines) has a global identity; the test proves that
    /// libgit2 in this process does not see it.
    #[test]
    fn without_identity_finds_no_identity_even_with_a_global_one() {
        let t = TestRepo::without_identity();
        let err = match t.repo.signature() {
            Ok(sig) => panic!("found an identity: {:?}", sig.name()),
            Err(err) => err,
        };
        assert_eq!(err.code(), git2::ErrorCode::NotFound, "{err}");
        let config = t.repo.config().expect("config");
        assert!(config.get_string("user.name").is_err());
        assert!(config.get_string("user.email").is_err());
    }

    #[test]
    fn commit_all_is_reproducible_and_reports_changed_files() {
        let t = TestRepo::new();
        t.write("a.md", "a\n");
        t.write("docs/b.md", "b\n");
        let first = t.commit_all("first");
        assert_eq!(t.head_files(), ["a.md", "docs/b.md"]);
        assert_eq!(t.files_in_commit(first), ["a.md", "docs/b.md"]);

        t.write("a.md", "a2\n");
        fs::remove_file(t.path().join("docs/b.md")).expect("remove");
        let second = t.commit_all("second");
        assert_eq!(t.files_in_commit(second), ["a.md", "docs/b.md"]);
        assert_eq!(t.head_files(), ["a.md"]);
        assert!(t.status().is_empty(), "{:?}", t.status());
        assert_eq!(t.commit_count(), 2);

        let commit = t.repo.find_commit(second).expect("commit");
        assert_eq!(commit.time().seconds(), EPOCH + 60);
        assert_eq!(commit.author().name().ok(), Some(NAME));

        // The same steps in another repository give the same commit ids.
        let u = TestRepo::new();
        u.write("a.md", "a\n");
        u.write("docs/b.md", "b\n");
        assert_eq!(u.commit_all("first"), first);
    }

    #[test]
    fn git_env_isolates_a_child_git() {
        if !crate::inputs::input_program("git", &["--version"], "install git") {
            return;
        }
        let t = TestRepo::without_identity();
        let out = Command::new("git")
            .args(["config", "user.name"])
            .current_dir(t.path())
            .envs(t.git_env())
            .output()
            .expect("run git");
        assert!(
            !out.status.success(),
            "child git still found a name: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        let out = Command::new("git")
            .args(["commit", "--allow-empty", "-m", "x"])
            .current_dir(t.path())
            .envs(t.git_env())
            .output()
            .expect("run git");
        assert!(
            !out.status.success(),
            "child git committed without an identity"
        );

        let t = TestRepo::new();
        let out = Command::new("git")
            .args(["config", "user.name"])
            .current_dir(t.path())
            .envs(t.git_env())
            .output()
            .expect("run git");
        assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), NAME);
    }
}

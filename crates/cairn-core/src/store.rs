//! Writing the workspace's files: atomic replacement, refusal to overwrite a file that changed
//! on disk since Cairn read it, and one Git commit per change that touches only its own files.
//!
//! Every edit Cairn makes goes through [`Store::apply`]. It checks all files first, then
//! writes, then commits, so that a refusal (conflict, no Git identity, a path outside the
//! repository) leaves the disk exactly as it was, and a commit never sweeps up other work the
//! user has staged or left unstaged.

use std::collections::HashSet;
use std::ffi::OsString;
use std::fs;
use std::io::{self, Write as _};
use std::path::{Component, Path, PathBuf};

use git2::{ErrorClass, ErrorCode, FileMode, Repository, RepositoryState};
use tempfile::NamedTempFile;

use crate::error::{Error, Result};

/// What Cairn saw of a file when it read it: the Git blob id (hex) of its bytes, or None when
/// the file did not exist. Stable across processes (so an undo record can persist it).
///
/// The id is computed the way `git hash-object --no-filters` does (SHA-1 over the raw bytes),
/// whatever the repository's own object format, so it does not depend on Git at all and two
/// files compare equal exactly when their bytes do.
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Stamp(pub Option<String>);

impl Stamp {
    /// The stamp of a file holding `bytes`.
    pub fn of(bytes: &[u8]) -> Stamp {
        // Hashing in memory cannot fail for a blob; should libgit2 ever refuse, a stamp that
        // matches no file makes the next write a conflict rather than a silent overwrite.
        let id = git2::Oid::hash_object(git2::ObjectType::Blob, bytes)
            .map(|oid| oid.to_string())
            .unwrap_or_else(|e| format!("unhashable: {e}"));
        Stamp(Some(id))
    }

    /// The stamp of a file that does not exist.
    pub fn absent() -> Stamp {
        Stamp(None)
    }

    /// The stamp of the file at `path` as it is now; absent when there is no such file.
    pub fn read(path: &Path) -> Result<Stamp> {
        Ok(match read_if_exists(path)? {
            Some(bytes) => Stamp::of(&bytes),
            None => Stamp::absent(),
        })
    }

    /// Whether the stamp records a missing file.
    pub fn is_absent(&self) -> bool {
        self.0.is_none()
    }
}

/// Reads a file together with its stamp, so a later [`Store::apply`] can tell whether it has
/// changed since. A missing file is an error here; use [`Stamp::read`] to probe. A symbolic
/// link is refused ([`Error::Symlink`]), never followed.
pub fn read(path: &Path) -> Result<(Vec<u8>, Stamp)> {
    let bytes = crate::paths::read_nofollow(path)?;
    let stamp = Stamp::of(&bytes);
    Ok((bytes, stamp))
}

/// Reads a file as text for editing, with its stamp. Cairn edits only files it can read
/// whole, so bytes that are not UTF-8 are refused with the line of the first bad byte, and a
/// file over the decision size cap is refused unread: an edit of a 60 MB file from a cloned
/// repository would otherwise load and rewrite all of it.
pub fn read_text(path: &Path) -> Result<(String, Stamp)> {
    let bytes = crate::paths::read_limited(path, crate::decision::MAX_DECISION_BYTES, "to edit")?;
    let stamp = Stamp::of(&bytes);
    let text = String::from_utf8(bytes).map_err(|e| Error::Parse {
        path: path.to_path_buf(),
        line: e.as_bytes()[..e.utf8_error().valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1,
        msg: "not valid UTF-8; Cairn does not edit a file it cannot read whole".into(),
    })?;
    Ok((text, stamp))
}

/// Replaces the file at `path` with `bytes` so that a crash leaves either the old or the new
/// file, never a torn one: the bytes go to a temporary file in the same folder (so the final
/// rename stays on one file system), which is flushed to disk, renamed over `path`, and then
/// the folder itself is flushed so the rename survives a power loss.
///
/// The existing file's permissions are kept; a new file gets the permissions any new file
/// would get (0666 minus the umask), not the private 0600 of a temporary file. Missing parent
/// folders are created. A symbolic link at `path` is replaced by a regular file, not followed.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    replace(path, bytes, Durability::Synced)
}

/// Whether an atomic replacement must survive a power loss, or only a crash of Cairn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Durability {
    /// The user's files: the new file and its folder are flushed to disk before returning,
    /// so that once Cairn reports a write it is not lost.
    Synced,
    /// Caches Cairn can rebuild: still never torn (write aside, rename over), but not
    /// flushed, because a flush costs milliseconds and a lost cache only costs a rebuild.
    Cache,
}

/// The one way Cairn replaces a file: [`write_atomic`]'s guarantees (never torn, permissions
/// kept, a new file gets 0666 minus the umask, a symbolic link replaced rather than
/// followed, a temporary named `.NAME.XXXXXX.cairn-tmp` beside the file), flushed to disk
/// only when `durability` asks for it.
pub fn replace(path: &Path, bytes: &[u8], durability: Durability) -> Result<()> {
    let staged = stage(path, bytes, durability)?;
    install(staged, path, durability)
}

/// What to do with one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Write {
    /// Create or replace the file with these bytes.
    Put(Vec<u8>),
    /// Remove the file (removing one that is already gone is not an error).
    Delete,
}

impl Write {
    /// The stamp the file has once this write is done.
    fn stamp(&self) -> Stamp {
        match self {
            Write::Put(bytes) => Stamp::of(bytes),
            Write::Delete => Stamp::absent(),
        }
    }
}

/// One file of a change: where it is, what Cairn last saw there, and what to do with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// Absolute path of the file.
    pub path: PathBuf,
    /// The stamp the file had when Cairn read it ([`Stamp::absent`] for a file to be created).
    pub expected: Stamp,
    pub write: Write,
}

/// What happened on the Git side of [`Store::apply`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Committed {
    /// One new commit on HEAD: its full id and the first line of its message.
    Commit { id: String, summary: String },
    /// The workspace is not inside a Git working tree; the files were written, nothing else.
    NotARepository,
    /// Autocommit is turned off; the files were written and left for the user to commit.
    AutocommitOff,
}

/// The result of [`Store::apply`]: the files written (in the order given) and the commit made.
#[derive(Debug, Clone, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Outcome {
    pub committed: Committed,
    pub paths: Vec<PathBuf>,
}

/// Writes and commits changes for one workspace.
#[derive(Debug, Clone)]
pub struct Store {
    root: PathBuf,
    autocommit: bool,
    /// Every written path must resolve inside this folder (see [`crate::paths::boundary`]).
    boundary: PathBuf,
    /// The client writing through this store, when it is not the user at the keyboard: its
    /// reads bound what it may replace, and its commits name it.
    session: Option<std::sync::Arc<dyn Writer>>,
}

/// Who a store writes for when it is not the user at the keyboard (an agent's
/// [`crate::session::Session`]). A trait here, so that the store does not depend on the
/// session module: the session depends on the store for [`Stamp`].
pub trait Writer: std::fmt::Debug + Send + Sync {
    /// Whether a file now at `current` may be replaced (false when the writer read another
    /// version of it).
    fn allows(&self, path: &Path, current: &Stamp) -> bool;
    /// Records that the writer now knows `path` at `stamp` (it just wrote it).
    fn saw(&self, path: &Path, stamp: Stamp);
    /// The commit message for `message` made on the writer's behalf.
    fn sign(&self, message: &str) -> String;
}

/// True when `root` lies inside a Git working tree (bare repositories do not count: there is
/// nothing to write files into).
pub fn is_repository(root: &Path) -> bool {
    matches!(Repository::discover(root), Ok(repo) if repo.workdir().is_some())
}

impl Store {
    /// A store for the workspace at `root`. With `autocommit`, every [`Store::apply`] inside a
    /// Git repository ends in a commit.
    pub fn new(root: &Path, autocommit: bool) -> Store {
        Store {
            root: root.to_path_buf(),
            autocommit,
            boundary: crate::paths::boundary(root),
            session: None,
        }
    }

    /// The same store, writing on behalf of `session` (see [`Writer`]).
    pub(crate) fn for_session(mut self, session: Option<std::sync::Arc<dyn Writer>>) -> Store {
        self.session = session;
        self
    }

    /// The same store, writing only inside `boundary` (a workspace's own, which for a folder
    /// named explicitly outside Git includes its sibling scope folder).
    pub(crate) fn confined_to(mut self, boundary: &Path) -> Store {
        self.boundary = boundary.to_path_buf();
        self
    }

    /// The workspace folder this store was made for.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Applies all changes as one unit and, with autocommit in a Git repository, as exactly
    /// one commit.
    ///
    /// Order matters for the user's safety. First every check that could refuse the change is
    /// made (paths, conflicts with the disk, the Git identity, paths outside the repository),
    /// so a refusal writes nothing. Then all new contents are written to temporary files, and
    /// only when every one of them is on disk are they renamed into place; should a rename
    /// still fail, the files already replaced are put back. Last, one commit is made from
    /// HEAD's tree plus exactly these paths, and the index is updated for these paths only,
    /// so whatever else the user has staged, modified or left untracked stays as it was.
    ///
    /// If the commit itself fails after the files were written, the files stay written (they
    /// are the user's intended change) and the error says so.
    pub fn apply(&self, changes: Vec<Change>, message: &str) -> Result<Outcome> {
        validate(&changes, message)?;
        // Whether or not anything is committed, nothing is written outside the repository:
        // not through `..`, and not through a folder that is a link leading out of it.
        for change in &changes {
            if !crate::paths::lies_inside(&self.boundary, parent_dir(&change.path)) {
                return Err(Error::OutsideWorkspace {
                    path: change.path.clone(),
                    root: self.boundary.clone(),
                });
            }
        }
        // Held until the commit is made, so a write racing this one sees its result.
        let _lock = WriteLock::acquire(&self.root)?;
        for change in &changes {
            remove_stale_temporaries(&change.path);
        }

        // 1. Nothing may have changed on disk since Cairn read it.
        let mut before = Vec::with_capacity(changes.len());
        for change in &changes {
            let current = read_if_exists(&change.path)?;
            let stamp = match &current {
                Some(bytes) => Stamp::of(bytes),
                None => Stamp::absent(),
            };
            let client_saw_it = self
                .session
                .as_ref()
                .is_none_or(|s| s.allows(&change.path, &stamp));
            if stamp != change.expected || !client_saw_it {
                return Err(Error::Conflict {
                    path: change.path.clone(),
                });
            }
            before.push(current);
        }

        // 2. Everything the commit needs is settled before any file is touched.
        let plan = if self.autocommit {
            CommitPlan::prepare(&self.root, &changes)?
        } else {
            None
        };

        // 3. Write.
        write_all(&changes, &before)?;

        // 4. Commit. What a client wrote is what it has now seen of those files.
        if let Some(session) = &self.session {
            for change in &changes {
                session.saw(&change.path, change.write.stamp());
            }
        }
        let signed = self.session.as_ref().map(|s| s.sign(message));
        let committed = match plan {
            Some(plan) => plan.commit(&changes, signed.as_deref().unwrap_or(message))?,
            None if self.autocommit => Committed::NotARepository,
            None => Committed::AutocommitOff,
        };
        Ok(Outcome {
            committed,
            paths: changes.into_iter().map(|c| c.path).collect(),
        })
    }
}

/// How long a write waits for another Cairn process's write to the same repository.
const LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// Serialises Cairn's writes to one repository (or, outside Git, one workspace) across
/// processes. Without it the desktop app and the CLI could both pass the check that a file
/// is unchanged and then both rename their version into place, the second silently
/// overwriting the first, and both try to move HEAD at once. Under the lock the later write
/// sees the earlier one's file and is refused as a conflict.
///
/// It is an advisory `flock` on `.git/cairn-write.lock` (beside Cairn's undo journal; in the
/// user's cache folder outside Git), which the kernel releases when the holder exits, even
/// when it is killed, so it can never be left behind the way Git's lock files can.
struct WriteLock {
    /// Open for as long as the lock is held; closing it releases the lock.
    _file: Option<fs::File>,
}

impl WriteLock {
    fn acquire(root: &Path) -> Result<WriteLock> {
        use fs4::fs_std::FileExt;
        let Some(path) = write_lock_path(root) else {
            return Ok(WriteLock { _file: None });
        };
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        }
        let file = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| Error::io(&path, e))?;
        let start = std::time::Instant::now();
        while !FileExt::try_lock_exclusive(&file).map_err(|e| Error::io(&path, e))? {
            if start.elapsed() > LOCK_WAIT {
                return Err(Error::io(
                    &path,
                    io::Error::new(
                        io::ErrorKind::WouldBlock,
                        "another Cairn process has been writing to this repository for 10 s; \
                         nothing was written, try again when it has finished",
                    ),
                ));
            }
            // flock has no timeout of its own: poll the non-blocking try, so a writer that
            // hangs is reported after LOCK_WAIT instead of freezing this one for ever.
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        Ok(WriteLock { _file: Some(file) })
    }
}

/// Where the write lock of the workspace at `root` lives; `None` outside Git when the user has
/// no cache folder either (then writes are not serialised).
fn write_lock_path(root: &Path) -> Option<PathBuf> {
    match Repository::discover(root) {
        Ok(repo) if repo.workdir().is_some() => Some(repo.path().join("cairn-write.lock")),
        _ => {
            let canonical = root.canonicalize().ok()?;
            crate::cache::keyed_cache_path("locks", &canonical).map(|p| p.with_extension("lock"))
        }
    }
}

/// Removes the temporary files a write of `path` left when its process was killed between
/// staging and renaming (`.NAME.XXXXXX.cairn-tmp`, see [`stage`]). Called under the write lock,
/// so no live write's temporary is touched; failures are ignored, the files are only clutter.
fn remove_stale_temporaries(path: &Path) {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return;
    };
    let prefix = format!(".{name}.");
    let Ok(entries) = fs::read_dir(parent_dir(path)) else {
        return;
    };
    for entry in entries.flatten() {
        let file = entry.file_name();
        let file = file.to_string_lossy();
        if file.starts_with(&prefix) && file.ends_with(".cairn-tmp") {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Refuses input that cannot be applied sensibly: no changes, a relative path or one with `..`
/// (which could point anywhere), the same file twice (which change would win?), or an empty
/// commit message.
fn validate(changes: &[Change], message: &str) -> Result<()> {
    if changes.is_empty() {
        return Err(Error::EmptyChange);
    }
    if message.trim().is_empty() {
        return Err(Error::EmptyCommitMessage);
    }
    let unwritable = |path: &Path, reason| Error::UnwritablePath {
        path: path.to_path_buf(),
        reason,
    };
    let mut seen = HashSet::new();
    for change in changes {
        let path = &change.path;
        if !path.is_absolute() {
            return Err(unwritable(path, "Cairn writes only absolute paths"));
        }
        if path.file_name().is_none()
            || path.components().any(|c| matches!(c, Component::ParentDir))
        {
            return Err(unwritable(
                path,
                "not a file path Cairn can write (no `..`, must name a file)",
            ));
        }
        // `components()` folds `a//b` and `a/./b`, so the same file is caught however spelt.
        let normal: PathBuf = path.components().collect();
        if !seen.insert(normal) {
            return Err(unwritable(path, "appears twice in one change"));
        }
    }
    Ok(())
}

/// The file's bytes, or `None` when it does not exist. A symbolic link is refused
/// ([`Error::Symlink`]): Cairn neither reads through one nor replaces one.
fn read_if_exists(path: &Path) -> Result<Option<Vec<u8>>> {
    match crate::paths::read_nofollow(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(Error::Io { source, .. }) if source.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// The folder a file lives in; `.` for a bare file name.
fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Phase one of an atomic write: the new contents, complete and flushed, in a temporary file
/// beside `path`. Dropping the result deletes the temporary file, so an error anywhere later
/// leaves nothing behind.
fn stage(path: &Path, bytes: &[u8], durability: Durability) -> Result<NamedTempFile> {
    let dir = parent_dir(path);
    fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;

    // Not followed: a link at `path` is replaced, and its target lends it no permissions.
    let existing = match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => None,
        Ok(meta) if meta.is_dir() => {
            return Err(Error::io(
                path,
                io::Error::new(io::ErrorKind::IsADirectory, "is a folder, not a file"),
            ))
        }
        Ok(meta) => Some(meta.permissions()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(Error::io(path, e)),
    };

    // Named after the file, so a temporary left by a crash says where it came from.
    let mut prefix = OsString::from(".");
    if let Some(name) = path.file_name() {
        prefix.push(name);
    }
    prefix.push(".");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".cairn-tmp");
    #[cfg(unix)]
    if existing.is_none() {
        // Passed to open(2), so the umask applies exactly as for any newly created file.
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder.tempfile_in(dir).map_err(|e| Error::io(dir, e))?;

    // Named after the file being written: the temporary is gone once the error is seen.
    let io_err = |e| Error::io(path, e);
    tmp.write_all(bytes).map_err(io_err)?;
    if let Some(permissions) = existing {
        // Set after creation: unlike open(2), this is not narrowed by the umask.
        tmp.as_file().set_permissions(permissions).map_err(io_err)?;
    }
    if durability == Durability::Synced {
        tmp.as_file().sync_all().map_err(io_err)?;
    }
    Ok(tmp)
}

/// Phase two of an atomic write: rename the staged file over `path`, then flush the folder
/// (for [`Durability::Synced`]).
fn install(staged: NamedTempFile, path: &Path, durability: Durability) -> Result<()> {
    staged.persist(path).map_err(|e| Error::io(path, e.error))?;
    match durability {
        Durability::Synced => sync_dir(parent_dir(path)),
        Durability::Cache => Ok(()),
    }
}

/// Removes `path`; one that is already gone is fine.
fn remove(path: &Path) -> Result<()> {
    match fs::remove_file(path) {
        Ok(()) => sync_dir(parent_dir(path)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::io(path, e)),
    }
}

/// Flushes a folder's entries, so that a rename or removal in it is durable. Only Unix lets a
/// folder be opened for this; elsewhere the file system's own ordering has to do.
fn sync_dir(dir: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        let folder = fs::File::open(dir).map_err(|e| Error::io(dir, e))?;
        folder.sync_all().map_err(|e| Error::io(dir, e))?;
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// Writes every change: all new contents are staged first (the step most likely to fail: a
/// full disk, a read-only folder), then renamed or removed in order. If a rename or removal
/// fails part-way, the files already changed are restored from `before` as well as possible.
fn write_all(changes: &[Change], before: &[Option<Vec<u8>>]) -> Result<()> {
    let staged = changes
        .iter()
        .map(|change| match &change.write {
            Write::Put(bytes) => stage(&change.path, bytes, Durability::Synced).map(Some),
            Write::Delete => Ok(None),
        })
        .collect::<Result<Vec<_>>>()?;

    for (done, (change, tmp)) in changes.iter().zip(staged).enumerate() {
        let result = match tmp {
            Some(tmp) => install(tmp, &change.path, Durability::Synced),
            None => remove(&change.path),
        };
        if let Err(err) = result {
            // Best effort: the original error is what the user needs to see. The temporary
            // files not yet installed are deleted as the iterator drops them.
            for (change, old) in changes[..done].iter().zip(before).rev() {
                let _ = match old {
                    Some(bytes) => write_atomic(&change.path, bytes),
                    None => remove(&change.path),
                };
            }
            return Err(err);
        }
    }
    Ok(())
}

/// Everything needed to commit, gathered before any file is written.
struct CommitPlan {
    repo: Repository,
    signature: git2::Signature<'static>,
    /// Each change's path relative to the working tree, `/`-separated, in change order.
    rel_paths: Vec<String>,
}

impl CommitPlan {
    /// `None` when `root` is not inside a Git working tree. Errors (all before writing) when
    /// the repository is mid-merge or mid-rebase, when Git has no identity, or when a path lies
    /// outside the working tree or inside `.git`.
    fn prepare(root: &Path, changes: &[Change]) -> Result<Option<CommitPlan>> {
        let repo = match Repository::discover(root) {
            Ok(repo) => repo,
            Err(e) if e.code() == ErrorCode::NotFound => return Ok(None),
            Err(e) => return Err(Error::git(format!("open {}", root.display()), e)),
        };
        let Some(workdir) = repo.workdir() else {
            return Err(Error::Git {
                msg: format!(
                    "{} is inside a bare repository or a .git folder; Cairn cannot commit there",
                    root.display()
                ),
                source: None,
            });
        };
        let workdir = fs::canonicalize(workdir).map_err(|e| Error::io(workdir, e))?;

        let state = repo.state();
        if state != RepositoryState::Clean {
            // A commit of ours in the middle of a merge or rebase would be mixed into the
            // user's operation; better to say so and let them finish it.
            return Err(Error::Git {
                msg: format!(
                    "{} is in the middle of an operation ({state:?}); finish or abort it, \
                     then try again (nothing was written)",
                    workdir.display()
                ),
                source: None,
            });
        }

        stale_locks(&repo)?;

        let signature = match repo.signature() {
            Ok(sig) => sig,
            Err(e) if e.code() == ErrorCode::NotFound || e.class() == ErrorClass::Invalid => {
                return Err(Error::NoIdentity)
            }
            Err(e) => return Err(Error::git("read user.name and user.email", e)),
        };

        let rel_paths = changes
            .iter()
            .map(|change| repo_relative(&workdir, &change.path))
            .collect::<Result<Vec<_>>>()?;

        Ok(Some(CommitPlan {
            repo,
            signature,
            rel_paths,
        }))
    }

    /// Makes the one commit for `changes` (already written) and updates the index for their
    /// paths only.
    fn commit(self, changes: &[Change], message: &str) -> Result<Committed> {
        let what = self.rel_paths.join(", ");
        let message = git2::message_prettify(message, None)
            .map_err(|e| Error::git("clean up the commit message", e))?;
        let summary = message.lines().next().unwrap_or_default().to_string();

        let mut index = self
            .repo
            .index()
            .map_err(|e| Error::git(format!("wrote {what} but could not read the index"), e))?;
        let id = self
            .create_commit(&mut index, changes, &message)
            .map_err(|e| Error::git(format!("wrote {what} but could not commit it"), e))?;
        index.write().map_err(|e| {
            Error::git(
                format!(
                    "committed {id} but could not update the index; `git status` may show \
                     {what} as changed until you run `git reset -- {what}`"
                ),
                e,
            )
        })?;
        Ok(Committed::Commit {
            id: id.to_string(),
            summary,
        })
    }

    /// Builds the new tree from HEAD's tree (or the empty tree on an unborn branch) plus the
    /// changed paths, and commits it on HEAD. The in-memory `index` gets the same entries for
    /// those paths; the caller writes it once the commit exists.
    fn create_commit(
        &self,
        index: &mut git2::Index,
        changes: &[Change],
        message: &str,
    ) -> std::result::Result<git2::Oid, git2::Error> {
        let repo = &self.repo;
        let parent = match repo.head() {
            Ok(head) => Some(head.peel_to_commit()?),
            Err(e) if matches!(e.code(), ErrorCode::UnbornBranch | ErrorCode::NotFound) => None,
            Err(e) => return Err(e),
        };
        let base = match &parent {
            Some(commit) => commit.tree()?,
            None => repo.find_tree(repo.treebuilder(None)?.write()?)?,
        };

        let mut update = git2::build::TreeUpdateBuilder::new();
        for (rel, change) in self.rel_paths.iter().zip(changes) {
            let rel_path = Path::new(rel);
            let tracked = base.get_path(rel_path).ok();
            match change.write {
                Write::Put(_) => {
                    // An executable stays executable; everything else (new files, and files
                    // that were symlinks but are regular files now) is a plain blob.
                    let mode = match tracked {
                        Some(entry) if entry.filemode() == i32::from(FileMode::BlobExecutable) => {
                            FileMode::BlobExecutable
                        }
                        _ => FileMode::Blob,
                    };
                    // Adding through the index runs Git's clean filters (line endings) and
                    // records the file's stat data, so the blob is the one `git add` would
                    // make and the file shows as clean afterwards.
                    index.add_path(rel_path)?;
                    let mut entry = index.get_path(rel_path, 0).ok_or_else(|| {
                        git2::Error::from_str(&format!("{rel} vanished from the index"))
                    })?;
                    if entry.mode != u32::from(mode) {
                        entry.mode = u32::from(mode);
                        index.add(&entry)?;
                    }
                    update.upsert(rel.as_str(), entry.id, mode);
                }
                Write::Delete => {
                    if tracked.is_some() {
                        update.remove(rel.as_str());
                    }
                    index.remove_path(rel_path)?;
                }
            }
        }
        let tree = repo.find_tree(update.create_updated(repo, &base)?)?;
        let parents: Vec<&git2::Commit<'_>> = parent.iter().collect();
        repo.commit(
            Some("HEAD"),
            &self.signature,
            &self.signature,
            message,
            &tree,
            &parents,
        )
    }
}

/// Refuses, before anything is written, when a lock file Git needs for the commit exists:
/// a Git command is running, or one was killed and left it behind. libgit2 would otherwise
/// fail half-way, after the files were written; and only the user can tell whether the Git
/// command is still running, so the error names the file and how to remove it.
fn stale_locks(repo: &Repository) -> Result<()> {
    let mut locks = vec![
        repo.path().join("index.lock"),
        repo.path().join("HEAD.lock"),
    ];
    if let Ok(head) = repo.find_reference("HEAD") {
        if let Ok(Some(branch)) = head.symbolic_target() {
            locks.push(repo.commondir().join(format!("{branch}.lock")));
        }
    }
    match locks.into_iter().find(|lock| lock.exists()) {
        Some(path) => Err(Error::GitLocked { path }),
        None => Ok(()),
    }
}

/// `path` relative to the (canonical) working tree `workdir`, `/`-separated as Git wants it.
///
/// The file itself may not exist yet, nor its folders, so the deepest folder that does exist
/// is resolved (symbolic links and all, as libgit2 resolves the working tree) and the rest is
/// appended. The file name itself is not resolved: a symlink there is replaced, not followed.
fn repo_relative(workdir: &Path, path: &Path) -> Result<String> {
    let outside = || Error::OutsideWorkspace {
        path: path.to_path_buf(),
        root: workdir.to_path_buf(),
    };
    let parent = parent_dir(path);
    let mut existing = parent;
    let mut rest = Vec::new();
    let resolved = loop {
        match fs::canonicalize(existing) {
            Ok(resolved) => break resolved,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                match (existing.file_name(), existing.parent()) {
                    (Some(name), Some(up)) => {
                        rest.push(name.to_os_string());
                        existing = up;
                    }
                    _ => return Err(Error::io(parent, e)),
                }
            }
            Err(e) => return Err(Error::io(existing, e)),
        }
    };
    let mut full = resolved;
    full.extend(rest.iter().rev());
    if let Some(name) = path.file_name() {
        full.push(name);
    }

    let rel = full.strip_prefix(workdir).map_err(|_| outside())?;
    let mut parts = Vec::new();
    for component in rel.components() {
        match component {
            Component::Normal(part) => {
                parts.push(part.to_str().ok_or_else(|| Error::UnwritablePath {
                    path: path.to_path_buf(),
                    reason: "Cairn can commit only file names that are valid UTF-8",
                })?)
            }
            _ => return Err(outside()),
        }
    }
    match parts.first() {
        None => Err(outside()),
        Some(first) if first.eq_ignore_ascii_case(".git") => Err(Error::InsideGitDir {
            path: path.to_path_buf(),
        }),
        Some(_) => Ok(parts.join("/")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn stamp_is_the_git_blob_id() {
        // `printf 'hello\n' | git hash-object --stdin`
        assert_eq!(
            Stamp::of(b"hello\n").0.as_deref(),
            Some("ce013625030ba8dba906f756967f9e9ca394464a")
        );
        assert_eq!(Stamp::of(b""), Stamp::of(b""));
        assert_ne!(Stamp::of(b""), Stamp::absent());
    }

    #[test]
    fn stamp_round_trips_through_json() {
        let stamp = Stamp::of(b"x");
        let json = serde_json::to_string(&stamp).unwrap();
        assert_eq!(serde_json::from_str::<Stamp>(&json).unwrap(), stamp);
        assert_eq!(serde_json::to_string(&Stamp::absent()).unwrap(), "null");
    }

    #[test]
    fn stamp_read_of_a_missing_file_is_absent() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            Stamp::read(&dir.path().join("nope.md")).unwrap(),
            Stamp::absent()
        );
        assert!(matches!(
            read(&dir.path().join("nope.md")),
            Err(Error::Io { .. })
        ));
    }

    #[test]
    fn write_atomic_replaces_and_leaves_no_temp_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        fs::write(&path, "old").unwrap();
        write_atomic(&path, b"new").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"new");
        assert_eq!(entries(dir.path()), ["a.md"]);
    }

    /// The caches' unsynced replacement keeps every other guarantee of the user's files:
    /// a link is replaced, not written through, and nothing is left beside the file.
    #[cfg(unix)]
    #[test]
    fn cache_replace_replaces_a_link_and_leaves_no_temp_files() {
        let dir = tempfile::tempdir().unwrap();
        let outside = dir.path().join("outside");
        fs::write(&outside, "keep").unwrap();
        let cache = dir.path().join("cache");
        fs::create_dir(&cache).unwrap();
        let path = cache.join("manifest.json");
        std::os::unix::fs::symlink(&outside, &path).unwrap();
        replace(&path, b"new", Durability::Cache).unwrap();
        assert_eq!(fs::read(&outside).unwrap(), b"keep");
        assert!(!fs::symlink_metadata(&path)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(fs::read(&path).unwrap(), b"new");
        assert_eq!(entries(&cache), ["manifest.json"]);
    }

    #[test]
    fn write_atomic_creates_parent_folders() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("docs/adr/0001-x.md");
        write_atomic(&path, b"x").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"x");
        assert_eq!(entries(&dir.path().join("docs/adr")), ["0001-x.md"]);
    }

    #[test]
    fn failed_write_leaves_no_temp_files() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("folder");
        fs::create_dir(&target).unwrap();
        assert!(matches!(write_atomic(&target, b"x"), Err(Error::Io { .. })));
        assert_eq!(entries(dir.path()), ["folder"]);
        assert!(entries(&target).is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn write_atomic_keeps_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("script.sh");
        fs::write(&path, "old").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o751)).unwrap();
        write_atomic(&path, b"new").unwrap();
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o7777;
        assert_eq!(mode, 0o751);
    }

    #[cfg(unix)]
    #[test]
    fn new_files_get_ordinary_permissions_not_tempfile_ones() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        // What any program creating a file here gets under the current umask.
        let reference = dir.path().join("reference");
        fs::write(&reference, "").unwrap();
        let expected = fs::metadata(&reference).unwrap().permissions().mode() & 0o777;

        let path = dir.path().join("new.md");
        write_atomic(&path, b"x").unwrap();
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, expected);
    }

    #[test]
    fn conflict_refuses_and_leaves_bytes_as_they_were() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        fs::write(&path, "v1").unwrap();
        let (_, stamp) = read(&path).unwrap();
        fs::write(&path, "edited elsewhere").unwrap();
        let other = dir.path().join("b.md");

        let store = Store::new(dir.path(), false);
        let err = store
            .apply(
                vec![
                    Change {
                        path: other.clone(),
                        expected: Stamp::absent(),
                        write: Write::Put(b"b".to_vec()),
                    },
                    Change {
                        path: path.clone(),
                        expected: stamp,
                        write: Write::Put(b"v2".to_vec()),
                    },
                ],
                "edit",
            )
            .unwrap_err();
        assert!(
            matches!(&err, Error::Conflict { path: p } if *p == path),
            "{err}"
        );
        assert_eq!(fs::read(&path).unwrap(), b"edited elsewhere");
        assert!(!other.exists(), "no file of a refused change is written");
        assert_eq!(entries(dir.path()), ["a.md"]);
    }

    #[test]
    fn creating_over_an_existing_file_is_a_conflict() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        fs::write(&path, "someone else's").unwrap();
        let err = Store::new(dir.path(), false)
            .apply(
                vec![Change {
                    path: path.clone(),
                    expected: Stamp::absent(),
                    write: Write::Put(b"mine".to_vec()),
                }],
                "create",
            )
            .unwrap_err();
        assert_eq!(err.kind(), "conflict");
        assert_eq!(fs::read(&path).unwrap(), b"someone else's");
    }

    #[test]
    fn autocommit_off_writes_and_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        let outcome = Store::new(dir.path(), false)
            .apply(
                vec![Change {
                    path: path.clone(),
                    expected: Stamp::absent(),
                    write: Write::Put(b"a".to_vec()),
                }],
                "create",
            )
            .unwrap();
        assert_eq!(outcome.committed, Committed::AutocommitOff);
        assert_eq!(outcome.paths, std::slice::from_ref(&path));
        assert_eq!(fs::read(&path).unwrap(), b"a");
    }

    #[test]
    fn rejects_relative_duplicate_and_empty_input() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path(), false);
        let put = |path: PathBuf| Change {
            path,
            expected: Stamp::absent(),
            write: Write::Put(b"x".to_vec()),
        };
        let abs = dir.path().join("a.md");
        for (changes, message, kind) in [
            (vec![], "m", "empty-change"),
            (vec![put(PathBuf::from("a.md"))], "m", "unwritable-path"),
            (
                vec![put(dir.path().join("x/../a.md"))],
                "m",
                "unwritable-path",
            ),
            (
                vec![put(abs.clone()), put(dir.path().join("./a.md"))],
                "m",
                "unwritable-path",
            ),
            (vec![put(abs.clone())], "  \n", "empty-commit-message"),
        ] {
            let err = store.apply(changes, message).unwrap_err();
            assert_eq!(err.kind(), kind, "{err}");
        }
        assert!(entries(dir.path()).is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn never_writes_through_a_link_even_without_committing() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("ws");
        let elsewhere = dir.path().join("elsewhere");
        fs::create_dir_all(root.join("docs")).unwrap();
        fs::create_dir_all(&elsewhere).unwrap();
        fs::write(elsewhere.join("0001-x.md"), "theirs").unwrap();
        std::os::unix::fs::symlink(&elsewhere, root.join("docs/adr")).unwrap();
        std::os::unix::fs::symlink(elsewhere.join("0001-x.md"), root.join("docs/0001-x.md"))
            .unwrap();
        let store = Store::new(&root, false);
        let put = |path: PathBuf, expected: Stamp| Change {
            path,
            expected,
            write: Write::Put(b"mine".to_vec()),
        };
        // A folder that is a link leading out.
        let err = store
            .apply(
                vec![put(root.join("docs/adr/0002-new.md"), Stamp::absent())],
                "m",
            )
            .unwrap_err();
        assert_eq!(err.kind(), "outside-workspace", "{err}");
        // A file that is a link: neither read (for its stamp) nor replaced.
        let err = store
            .apply(
                vec![put(root.join("docs/0001-x.md"), Stamp::of(b"theirs"))],
                "m",
            )
            .unwrap_err();
        assert_eq!(err.kind(), "symlink", "{err}");
        assert_eq!(
            read(&root.join("docs/0001-x.md")).unwrap_err().kind(),
            "symlink"
        );
        assert_eq!(entries(&elsewhere), ["0001-x.md"]);
        assert_eq!(fs::read(elsewhere.join("0001-x.md")).unwrap(), b"theirs");
        assert!(root.join("docs/0001-x.md").is_symlink());
    }

    #[test]
    fn committed_serializes_with_a_kind_tag() {
        let json = serde_json::to_value(Committed::Commit {
            id: "abc".into(),
            summary: "s".into(),
        })
        .unwrap();
        assert_eq!(json["kind"], "commit");
        assert_eq!(json["id"], "abc");
        assert_eq!(
            serde_json::to_value(Committed::NotARepository).unwrap()["kind"],
            "not-a-repository"
        );
        assert_eq!(
            serde_json::to_value(Committed::AutocommitOff).unwrap()["kind"],
            "autocommit-off"
        );
    }
}

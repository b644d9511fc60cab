//! Who decided what, and when: the Git history of every decision and scope map, computed in
//! one pass over the commits reachable from HEAD and cached per HEAD (in memory and on disk),
//! plus line diffs between any two versions of a file.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use chrono::{DateTime, FixedOffset, TimeZone};
use git2::{DiffOptions, ObjectType, Oid, Repository, Sort, Tree};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::workspace::Workspace;

mod walk;

/// Bumped whenever the shape or the meaning of the cached JSON changes, so that an old cache
/// file is recomputed instead of misread.
const CACHE_FORMAT: u32 = 1;

/// A commit as far as one file's history is concerned: when, by whom, which commit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "HistoryStamp"))]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(rename = "HistoryStamp")
)]
pub struct Stamp {
    /// Author date, in the author's own time zone (what `git log` shows).
    pub date: DateTime<FixedOffset>,
    pub author: String,
    pub email: String,
    /// Full hexadecimal commit id.
    pub commit: String,
}

/// How a commit touched a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum ChangeKind {
    Added,
    Modified,
    /// Moved (and possibly edited); [`Version::old_path`] says from where.
    Renamed,
}

/// One version of a file: the commit that produced it and the blob it produced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Version {
    pub commit: String,
    /// First line of the commit message.
    pub summary: String,
    pub author: String,
    pub email: String,
    pub date: DateTime<FixedOffset>,
    /// The file's blob id in this version.
    pub blob: String,
    /// The file's path (relative to the repository, `/`-separated) in this version; differs
    /// from [`FileHistory::path`] for versions before a rename.
    pub path: String,
    pub change: ChangeKind,
    /// For [`ChangeKind::Renamed`]: the path before the move.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old_path: Option<String>,
}

impl Version {
    fn stamp(&self) -> Stamp {
        Stamp {
            date: self.date,
            author: self.author.clone(),
            email: self.email.clone(),
            commit: self.commit.clone(),
        }
    }
}

/// The history of one file that exists at HEAD.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FileHistory {
    /// Path at HEAD, relative to the repository root, `/`-separated.
    pub path: String,
    pub created: Stamp,
    pub last_changed: Stamp,
    /// Every version, newest first (the order of `git log`).
    pub versions: Vec<Version>,
}

/// Where a [`History`] came from; lets callers (and tests) tell a cache hit from a revwalk
/// without measuring time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Origin {
    /// Computed now, with one revwalk.
    #[default]
    Computed,
    /// Reused from this process's memory.
    Memory,
    /// Reused from the cache folder on disk.
    Disk,
    /// A cached history for an earlier HEAD, extended by walking only the new commits.
    Incremental,
}

/// The history of every file under the folders of interest that exists at HEAD.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct History {
    /// The HEAD commit this was computed for; `None` on an unborn branch.
    pub head: Option<String>,
    /// Keyed by path at HEAD (relative to the repository root, `/`-separated).
    pub files: BTreeMap<String, FileHistory>,
    #[serde(skip)]
    pub origin: Origin,
}

impl History {
    /// The history of `path`, given relative to the repository root (either separator) or
    /// as an absolute path inside it.
    pub fn file(&self, path: &str) -> Option<&FileHistory> {
        self.files.get(&path.replace('\\', "/"))
    }
}

/// The on-disk form: the history plus what it was computed for.
#[derive(Serialize, Deserialize)]
struct CacheFile {
    format: u32,
    workdir: String,
    prefixes: Vec<String>,
    history: History,
}

type MemoryKey = (PathBuf, Vec<String>);

/// Per process: the last history computed for each (repository, folders) pair. Only the entry
/// for the current HEAD is kept, so memory does not grow as HEAD moves.
fn memory() -> &'static Mutex<HashMap<MemoryKey, Arc<History>>> {
    static MEMORY: OnceLock<Mutex<HashMap<MemoryKey, Arc<History>>>> = OnceLock::new();
    MEMORY.get_or_init(|| Mutex::new(HashMap::new()))
}

/// The cache folder: [`crate::workspace::cache_root`] (`CAIRN_CACHE_DIR`, else the platform's
/// cache folder). `None` when there is none; history then lives in memory only.
pub fn default_cache_dir() -> Option<PathBuf> {
    crate::workspace::cache_root()
}

/// The history of every decision and scope map of `ws`, cached in [`default_cache_dir`].
pub fn workspace_history(ws: &Workspace) -> Result<History> {
    history(&ws.root, &[ws.decisions_dir.clone(), ws.scope_dir.clone()])
}

/// The history of one decision file, by its path on disk.
pub fn of_file<'h>(ws: &Workspace, history: &'h History, path: &Path) -> Option<&'h FileHistory> {
    let repo = open(&ws.root).ok()?;
    let workdir = workdir(&repo).ok()?;
    let abs = canonical(path).unwrap_or_else(|_| path.to_path_buf());
    history.file(&relative_to(&workdir, &abs))
}

/// Fills in, from Git, the date of decisions whose files carry none (the date of the commit
/// that created the file). Nothing is written to the files; this only completes the model.
/// Outside a Git repository, or when every decision has a date, it costs nothing.
pub fn fill_missing(ws: &Workspace, log: &mut crate::Log) -> Result<()> {
    let undated = |d: &crate::Decision| d.date.is_none() && d.date_raw.is_none();
    if !log.decisions.iter().any(undated) || !crate::store::is_repository(&ws.root) {
        return Ok(());
    }
    let history = workspace_history(ws)?;
    for d in &mut log.decisions {
        let Some(file) = of_file(ws, &history, &d.path) else {
            continue;
        };
        if d.date.is_none() && d.date_raw.is_none() {
            d.date = Some(file.created.date.date_naive());
        }
    }
    Ok(())
}

/// The history of every file at HEAD under `paths_of_interest` (folders or files, absolute
/// or relative to `ws_root`), for the repository that contains `ws_root`; cached in
/// [`default_cache_dir`].
pub fn history(ws_root: &Path, paths_of_interest: &[PathBuf]) -> Result<History> {
    history_in(ws_root, paths_of_interest, default_cache_dir().as_deref())
}

/// [`history`] with an explicit cache folder (`None`: memory only).
///
/// The result is reused while HEAD does not move: first from this process's memory, then
/// from `<cache_dir>/history/<hash>.json`, where the hash names the repository and the
/// folders. When HEAD has moved on from the cached HEAD (new commits, a fast-forward, a
/// merge), only the new commits are walked and the cached versions are appended
/// ([`Origin::Incremental`]); after a reset or a rebase the history is recomputed. A cache
/// file that cannot be read or parsed is ignored and rewritten; failing to write one is not
/// an error (the history is still correct, only slower next time).
///
/// Versions are newest first in walk order. After an incremental update, versions from the
/// new commits come before all cached ones, even where a merged side-branch commit is dated
/// earlier than a cached one (a full walk orders such unrelated commits by date).
pub fn history_in(
    ws_root: &Path,
    paths_of_interest: &[PathBuf],
    cache_dir: Option<&Path>,
) -> Result<History> {
    let repo = open(ws_root)?;
    let workdir = workdir(&repo)?;
    let base = canonical(ws_root)?;
    let mut prefixes = paths_of_interest
        .iter()
        .map(|p| relative_to(&workdir, &base.join(p)))
        .collect::<Vec<_>>();
    prefixes.sort();
    prefixes.dedup();

    let head = head_oid(&repo)?;
    let head_hex = head.map(|h| h.to_string());
    let key: MemoryKey = (workdir.clone(), prefixes.clone());

    let mut stale: Option<Arc<History>> = None;
    if let Ok(mem) = memory().lock() {
        if let Some(hit) = mem.get(&key) {
            if hit.head == head_hex {
                let mut out = History::clone(hit);
                out.origin = Origin::Memory;
                return Ok(out);
            }
            stale = Some(Arc::clone(hit));
        }
    }

    let file = cache_dir.map(|dir| cache_file(dir, &workdir, &prefixes));
    if let Some(file) = &file {
        if let Some(mut hit) = read_cache(file, &workdir, &prefixes) {
            if hit.head == head_hex {
                remember(key, &hit);
                hit.origin = Origin::Disk;
                return Ok(hit);
            }
            if stale.is_none() {
                stale = Some(Arc::new(hit));
            }
        }
    }

    // An earlier HEAD's history is reused only when the new HEAD contains it (a commit, a
    // fast-forward or a merge on top); after a reset or a rebase it is recomputed.
    let base = stale.and_then(|old| {
        let old_head = old.head.as_deref().and_then(|h| Oid::from_str(h).ok())?;
        let new_head = head?;
        repo.graph_descendant_of(new_head, old_head)
            .ok()
            .filter(|&d| d)
            .map(|_| (old, old_head))
    });
    let computed = compute(&repo, head, &prefixes, base)?;
    remember(key, &computed);
    if let Some(file) = &file {
        write_cache(file, &workdir, &prefixes, &computed);
    }
    Ok(computed)
}

/// The commit HEAD points to now (`None` on an unborn branch). Cheap, no walk: the desktop
/// app asks whenever something under the Git folder changed, to tell whether HEAD moved and
/// the history it shows is out of date.
pub fn head(ws_root: &Path) -> Result<Option<String>> {
    let repo = open(ws_root)?;
    Ok(head_oid(&repo)?.map(|oid| oid.to_string()))
}

/// Where a move of HEAD shows on disk, for a file watcher: the repository's own Git folder
/// (`HEAD`, `packed-refs`, `ORIG_HEAD`; watch it alone) and the branch heads under the common
/// Git folder (shared by linked worktrees; watch it with its sub-folders).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeadFiles {
    pub git_dir: PathBuf,
    pub branch_dir: PathBuf,
}

/// [`HeadFiles`] of the repository containing `ws_root`.
pub fn head_files(ws_root: &Path) -> Result<HeadFiles> {
    let repo = open(ws_root)?;
    Ok(HeadFiles {
        git_dir: repo.path().to_path_buf(),
        branch_dir: repo.commondir().join("refs").join("heads"),
    })
}

/// Drops this process's in-memory history for the repository containing `ws_root`, so the
/// next call reads the disk cache (or computes). For tests and for a "refresh" button.
pub fn forget(ws_root: &Path) -> Result<()> {
    let repo = open(ws_root)?;
    let workdir = workdir(&repo)?;
    if let Ok(mut mem) = memory().lock() {
        mem.retain(|(dir, _), _| *dir != workdir);
    }
    Ok(())
}

fn remember(key: MemoryKey, history: &History) {
    if let Ok(mut mem) = memory().lock() {
        mem.insert(key, Arc::new(history.clone()));
    }
}

fn cache_file(dir: &Path, workdir: &Path, prefixes: &[String]) -> PathBuf {
    let mut ident = workdir.to_string_lossy().into_owned();
    for p in prefixes {
        ident.push('\0');
        ident.push_str(p);
    }
    // SHA-1 through libgit2: stable across Rust versions, unlike `DefaultHasher`.
    let name = Oid::hash_object(ObjectType::Blob, ident.as_bytes())
        .map(|oid| oid.to_string())
        .unwrap_or_else(|_| "history".into());
    dir.join("history").join(format!("{name}.json"))
}

fn read_cache(file: &Path, workdir: &Path, prefixes: &[String]) -> Option<History> {
    let bytes = std::fs::read(file).ok()?;
    let cached: CacheFile = serde_json::from_slice(&bytes).ok()?;
    let valid = cached.format == CACHE_FORMAT
        && cached.workdir == workdir.to_string_lossy()
        && cached.prefixes == prefixes;
    valid.then_some(cached.history)
}

fn write_cache(file: &Path, workdir: &Path, prefixes: &[String], history: &History) {
    let cached = CacheFile {
        format: CACHE_FORMAT,
        workdir: workdir.to_string_lossy().into_owned(),
        prefixes: prefixes.to_vec(),
        history: history.clone(),
    };
    let Ok(bytes) = serde_json::to_vec(&cached) else {
        return;
    };
    if let Some(parent) = file.parent() {
        if std::fs::create_dir_all(parent).is_err() {
            return;
        }
    }
    // Atomic, so that a concurrent reader never sees half a file; failure only costs speed.
    let _ = crate::store::replace(file, &bytes, crate::store::Durability::Cache);
}

/// One revwalk over every commit reachable from HEAD, newest first (children before
/// parents), diffing each commit against its first parent only.
///
/// Why this attributes correctly:
/// - A non-merge commit's diff against its parent is exactly what its author changed.
/// - Side-branch commits are reached by the walk too, so a change that arrived through a merge
///   is recorded at the commit that made it. In the merge itself, a path whose merged blob
///   equals the blob in another parent came from that parent and is skipped; any other change
///   (a conflict resolution, an "evil merge") is the merge's own and is recorded there.
/// - Renames are followed with `find_similar`; walking newest first, a rename `old → new`
///   makes older changes of `old` count for the file now at `new`'s HEAD path.
///
/// With `base` (the history at an ancestor of HEAD), only commits not reachable from that
/// ancestor are walked; the paths still traced back at the end are the files as they were
/// at the ancestor, and their cached versions follow the new ones.
///
/// The diffs are independent of each other given the list of commits, so they are made in
/// rounds spread over threads ([`walk::of_commits`]); folding them into versions stays in
/// walk order.
fn compute(
    repo: &Repository,
    head: Option<Oid>,
    prefixes: &[String],
    base: Option<(Arc<History>, Oid)>,
) -> Result<History> {
    compute_with(
        repo,
        head,
        prefixes,
        base,
        walk::Plan::for_this_machine(),
        walk::Diff::Raw,
    )
}

/// [`compute`] with the threads and the per-commit diff chosen by the caller (tests compare
/// plans and diffs).
fn compute_with(
    repo: &Repository,
    head: Option<Oid>,
    prefixes: &[String],
    base: Option<(Arc<History>, Oid)>,
    plan: walk::Plan,
    how: walk::Diff,
) -> Result<History> {
    let Some(head) = head else {
        return Ok(History {
            head: None,
            files: BTreeMap::new(),
            origin: Origin::Computed,
        });
    };
    let head_commit = repo
        .find_commit(head)
        .map_err(|e| Error::git("read HEAD", e))?;
    let head_tree = head_commit
        .tree()
        .map_err(|e| Error::git("read HEAD's tree", e))?;

    // Path as it was at the point the walk has reached → path at HEAD. Starts as identity for
    // every file of interest at HEAD.
    let mut alias: HashMap<String, String> = HashMap::new();
    for path in files_in(&head_tree, prefixes)? {
        alias.insert(path.clone(), path);
    }
    let mut versions: HashMap<String, Vec<Version>> = HashMap::new();

    let mut revwalk = repo.revwalk().map_err(|e| Error::git("start revwalk", e))?;
    revwalk
        .set_sorting(Sort::TOPOLOGICAL | Sort::TIME)
        .map_err(|e| Error::git("sort revwalk", e))?;
    revwalk
        .push(head)
        .map_err(|e| Error::git("start revwalk", e))?;
    if let Some((_, old_head)) = &base {
        revwalk
            .hide(*old_head)
            .map_err(|e| Error::git("start revwalk", e))?;
    }

    let commits = revwalk
        .collect::<std::result::Result<Vec<Oid>, _>>()
        .map_err(|e| Error::git("walk history", e))?;
    for round in commits.chunks(plan.round()) {
        if alias.is_empty() {
            break; // Every file of interest has reached its creation.
        }
        for commit in walk::of_commits(repo, round, prefixes, plan, how)? {
            let commit_hex = commit.oid.to_string();
            for change in commit.changes {
                let kind = change.kind;
                let new_path = change.path;
                let Some(key) = alias.get(&new_path).cloned() else {
                    continue;
                };
                let old_path = change.old_path;
                versions.entry(key.clone()).or_default().push(Version {
                    commit: commit_hex.clone(),
                    summary: commit.summary.clone(),
                    author: commit.author.clone(),
                    email: commit.email.clone(),
                    date: commit.date,
                    blob: change.blob.to_string(),
                    path: new_path.clone(),
                    change: kind,
                    old_path: old_path.clone().filter(|_| kind == ChangeKind::Renamed),
                });
                match kind {
                    ChangeKind::Added => {
                        alias.remove(&new_path);
                    }
                    ChangeKind::Renamed => {
                        alias.remove(&new_path);
                        if let Some(old) = old_path {
                            alias.insert(old, key);
                        }
                    }
                    ChangeKind::Modified => {}
                }
            }
        }
    }

    let origin = match base {
        Some((old, _)) => {
            for (then, now) in &alias {
                if let Some(f) = old.files.get(then) {
                    versions
                        .entry(now.clone())
                        .or_default()
                        .extend(f.versions.iter().cloned());
                }
            }
            Origin::Incremental
        }
        None => Origin::Computed,
    };
    let mut files = BTreeMap::new();
    for (path, versions) in versions {
        let (Some(newest), Some(oldest)) = (versions.first(), versions.last()) else {
            continue;
        };
        files.insert(
            path.clone(),
            FileHistory {
                path,
                created: oldest.stamp(),
                last_changed: newest.stamp(),
                versions,
            },
        );
    }
    Ok(History {
        head: Some(head.to_string()),
        files,
        origin,
    })
}

/// Every blob path in `tree` under one of `prefixes` (an empty prefix means everything).
fn files_in(tree: &Tree<'_>, prefixes: &[String]) -> Result<Vec<String>> {
    let mut out = Vec::new();
    tree.walk(git2::TreeWalkMode::PreOrder, |dir, entry| {
        if entry.kind() == Some(ObjectType::Blob) {
            let path = format!("{dir}{}", entry.name().unwrap_or(""));
            if prefixes.iter().any(|p| under(&path, p)) {
                out.push(path);
            }
        }
        git2::TreeWalkResult::Ok
    })
    .map_err(|e| Error::git("list HEAD's files", e))?;
    Ok(out)
}

fn under(path: &str, prefix: &str) -> bool {
    prefix.is_empty()
        || path == prefix
        || (path.starts_with(prefix) && path.as_bytes().get(prefix.len()) == Some(&b'/'))
}

fn blob_at(tree: &Tree<'_>, path: &str) -> Option<Oid> {
    tree.get_path(Path::new(path)).ok().map(|e| e.id())
}

fn slash(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

fn to_date(time: git2::Time) -> DateTime<FixedOffset> {
    FixedOffset::east_opt(time.offset_minutes() * 60)
        .or_else(|| FixedOffset::east_opt(0))
        .and_then(|offset| offset.timestamp_opt(time.seconds(), 0).single())
        .unwrap_or_else(|| DateTime::UNIX_EPOCH.fixed_offset())
}

fn open(start: &Path) -> Result<Repository> {
    Repository::discover(start).map_err(|e| Error::git(format!("open {}", start.display()), e))
}

fn workdir(repo: &Repository) -> Result<PathBuf> {
    let Some(dir) = repo.workdir() else {
        return Err(Error::Git {
            msg: format!(
                "{} is a bare repository; history needs a working tree",
                repo.path().display()
            ),
            source: None,
        });
    };
    canonical(dir)
}

fn canonical(path: &Path) -> Result<PathBuf> {
    std::fs::canonicalize(path).map_err(|e| Error::io(path, e))
}

/// `path` relative to `workdir`, `/`-separated, with `.` and `..` resolved lexically (the
/// path need not exist: a scope folder may not have been created yet).
fn relative_to(workdir: &Path, path: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    for c in path.components() {
        match c {
            std::path::Component::ParentDir => {
                parts.pop();
            }
            std::path::Component::CurDir => {}
            std::path::Component::Normal(s) => parts.push(s.to_string_lossy().into_owned()),
            _ => parts.clear(),
        }
    }
    let mut root: Vec<String> = Vec::new();
    for c in workdir.components() {
        if let std::path::Component::Normal(s) = c {
            root.push(s.to_string_lossy().into_owned());
        }
    }
    if parts.starts_with(&root) {
        parts[root.len()..].join("/")
    } else {
        // Outside the repository: nothing in history can match it.
        format!("../{}", parts.join("/"))
    }
}

fn head_oid(repo: &Repository) -> Result<Option<Oid>> {
    match repo.head() {
        Ok(head) => head
            .peel_to_commit()
            .map(|c| Some(c.id()))
            .map_err(|e| Error::git("read HEAD", e)),
        Err(e)
            if e.code() == git2::ErrorCode::UnbornBranch
                || e.code() == git2::ErrorCode::NotFound =>
        {
            Ok(None)
        }
        Err(e) => Err(Error::git("read HEAD", e)),
    }
}

/// What a line of a diff is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum LineKind {
    Added,
    Removed,
    Context,
}

/// One line of a diff between two versions of a file. Line numbers are 1-based; `old_line`
/// is `None` for an added line and `new_line` for a removed one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DiffLine {
    pub kind: LineKind,
    pub old_line: Option<u32>,
    pub new_line: Option<u32>,
    /// The line without its line ending.
    pub text: String,
}

/// Lines of context kept around each change in [`diff`], as in `git diff`.
pub const CONTEXT_LINES: u32 = 3;

/// The diff of `path` (absolute, or relative to the repository root) between revision `rev1`
/// and `rev2` (anything `git rev-parse` accepts: ids, `HEAD~2`, branch names). `rev2 = None`
/// compares with the file in the working tree. A file missing in a revision counts as empty,
/// so a creation diffs as all lines added.
pub fn diff(
    repo_root: &Path,
    path: &Path,
    rev1: &str,
    rev2: Option<&str>,
) -> Result<Vec<DiffLine>> {
    let repo = open(repo_root)?;
    let workdir = workdir(&repo)?;
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        workdir.join(path)
    };
    let rel = relative_to(&workdir, &abs);
    if rel.starts_with("../") {
        return Err(Error::OutsideWorkspace {
            path: path.to_path_buf(),
            root: workdir,
        });
    }
    let old = content_at(&repo, rev1, &rel)?;
    let new = match rev2 {
        Some(rev) => content_at(&repo, rev, &rel)?,
        None => match crate::workspace::read_limited(&abs, MAX_DIFF_BYTES, TO_DIFF) {
            Ok(bytes) => bytes,
            Err(Error::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {
                Vec::new()
            }
            Err(e) => return Err(e),
        },
    };
    lines_between(&old, &new, &rel)
}

/// What changed between two versions of `file`, named by their commit ids (as in
/// [`Version::commit`]). Each side is read from the blob its version recorded, so a rename in
/// between does not matter.
///
/// With `old = None`: what the version `new` itself changed, as `git log -p` shows it: its
/// blob against the same file (under its old name, after a rename) in the commit's first
/// parent, all lines added for a creation.
///
/// Only versions of `file` are accepted: the desktop app passes commit ids it received from
/// the UI, and this keeps them from reading anything but the history of the file shown.
pub fn diff_versions(
    repo_root: &Path,
    file: &FileHistory,
    old: Option<&str>,
    new: &str,
) -> Result<Vec<DiffLine>> {
    let repo = open(repo_root)?;
    let version = |commit: &str| {
        file.versions
            .iter()
            .find(|v| v.commit == commit)
            .ok_or_else(|| Error::NotFound {
                reference: format!("version {commit} of {}", file.path),
            })
    };
    let new_version = version(new)?;
    let new_bytes = blob_bytes(&repo, &new_version.blob, &new_version.path)?;
    let old_bytes = match old {
        Some(commit) => {
            let v = version(commit)?;
            blob_bytes(&repo, &v.blob, &v.path)?
        }
        None => {
            let at = |e| Error::git(format!("read commit {new}"), e);
            let commit = Oid::from_str(new)
                .and_then(|oid| repo.find_commit(oid))
                .map_err(at)?;
            let path = new_version.old_path.as_deref().unwrap_or(&new_version.path);
            match commit.parent(0) {
                Ok(parent) => {
                    let tree = parent.tree().map_err(at)?;
                    match blob_at(&tree, path) {
                        Some(blob) => blob_bytes(&repo, &blob.to_string(), path)?,
                        None => Vec::new(),
                    }
                }
                Err(_) => Vec::new(), // a root commit: the file was created here
            }
        }
    };
    lines_between(&old_bytes, &new_bytes, &new_version.path)
}

fn blob_bytes(repo: &Repository, blob: &str, path: &str) -> Result<Vec<u8>> {
    let oid =
        Oid::from_str(blob).map_err(|e| Error::git(format!("read {path} (blob {blob})"), e))?;
    capped_blob(repo, oid, path)
}

/// The largest version of a file that is diffed; a larger one (a dump committed by mistake,
/// or on purpose in a hostile repository) is refused as too large to diff, unread.
pub const MAX_DIFF_BYTES: usize = crate::decision::MAX_DECISION_BYTES;
const TO_DIFF: &str = "to diff";

/// A blob's bytes, after checking its size in the object header so that a huge one is
/// never inflated into memory.
fn capped_blob(repo: &Repository, oid: Oid, path: &str) -> Result<Vec<u8>> {
    let read = |e| Error::git(format!("read {path} (blob {oid})"), e);
    let (size, _) = repo
        .odb()
        .and_then(|odb| odb.read_header(oid))
        .map_err(read)?;
    if size > MAX_DIFF_BYTES {
        return Err(Error::TooLarge {
            path: PathBuf::from(path),
            size: size as u64,
            limit: MAX_DIFF_BYTES as u64,
            purpose: TO_DIFF,
        });
    }
    let blob = repo.find_blob(oid).map_err(read)?;
    Ok(blob.content().to_vec())
}

/// The bytes of `rel` in revision `rev`, or empty when the file is not there.
fn content_at(repo: &Repository, rev: &str, rel: &str) -> Result<Vec<u8>> {
    let object = repo.revparse_single(rev).map_err(|e| Error::NotFound {
        reference: format!("revision {rev}: {}", e.message()),
    })?;
    let tree = object
        .peel_to_tree()
        .map_err(|e| Error::git(format!("{rev} is not a commit or tree"), e))?;
    let Ok(entry) = tree.get_path(Path::new(rel)) else {
        return Ok(Vec::new());
    };
    capped_blob(repo, entry.id(), rel)
}

fn lines_between(old: &[u8], new: &[u8], rel: &str) -> Result<Vec<DiffLine>> {
    let mut opts = DiffOptions::new();
    opts.context_lines(CONTEXT_LINES).force_text(true);
    let patch = git2::Patch::from_buffers(
        old,
        Some(Path::new(rel)),
        new,
        Some(Path::new(rel)),
        Some(&mut opts),
    )
    .map_err(|e| Error::git(format!("diff {rel}"), e))?;
    let mut out = Vec::new();
    for h in 0..patch.num_hunks() {
        let n = patch
            .num_lines_in_hunk(h)
            .map_err(|e| Error::git(format!("diff {rel}"), e))?;
        for l in 0..n {
            let line = patch
                .line_in_hunk(h, l)
                .map_err(|e| Error::git(format!("diff {rel}"), e))?;
            let kind = match line.origin() {
                '+' => LineKind::Added,
                '-' => LineKind::Removed,
                ' ' => LineKind::Context,
                _ => continue, // "no newline at end of file" markers
            };
            let text = String::from_utf8_lossy(line.content());
            let text = text.strip_suffix('\n').unwrap_or(&text);
            let text = text.strip_suffix('\r').unwrap_or(text);
            out.push(DiffLine {
                kind,
                old_line: line.old_lineno(),
                new_line: line.new_lineno(),
                text: text.to_string(),
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    //! The raw-tree, multi-threaded walk against the previous entry-by-entry walk, on a
    //! generated repository with branches, merges (clean and evil), renames, deletions,
    //! nested folders, blobs turning into folders, mode changes and files outside.

    use std::collections::BTreeMap;

    use git2::{Oid, Repository, Signature, Time};

    use super::walk::{Diff, Plan};
    use super::*;

    type Files = BTreeMap<String, (i32, String)>;

    fn write_tree(repo: &Repository, files: &Files) -> Oid {
        let mut index = git2::Index::new().unwrap();
        for (path, (mode, text)) in files {
            let id = repo.blob(text.as_bytes()).unwrap();
            index
                .add(&git2::IndexEntry {
                    ctime: git2::IndexTime::new(0, 0),
                    mtime: git2::IndexTime::new(0, 0),
                    dev: 0,
                    ino: 0,
                    mode: *mode as u32,
                    uid: 0,
                    gid: 0,
                    file_size: 0,
                    id,
                    flags: 0,
                    flags_extended: 0,
                    path: path.as_bytes().to_vec(),
                })
                .unwrap();
        }
        index.write_tree_to(repo).unwrap()
    }

    fn commit(repo: &Repository, files: &Files, parents: &[Oid], secs: i64, msg: &str) -> Oid {
        let tree = repo.find_tree(write_tree(repo, files)).unwrap();
        let who = ["Alice", "Bob", "Carol"][(secs % 3) as usize];
        let sig =
            Signature::new(who, "x@example.com", &Time::new(1_767_225_600 + secs, 0)).unwrap();
        let parents: Vec<_> = parents
            .iter()
            .map(|p| repo.find_commit(*p).unwrap())
            .collect();
        let parents: Vec<_> = parents.iter().collect();
        repo.commit(None, &sig, &sig, msg, &tree, &parents).unwrap()
    }

    /// A long text per file, so that an edit keeps a rename detectable.
    fn text(n: u64, rev: u64) -> String {
        let mut s = format!("# {n}. Decision {n}\n\nStatus: accepted\n\n");
        for l in 0..12 {
            s.push_str(&format!("Line {l} of the context of decision {n}.\n"));
        }
        for _ in 0..(rev % 4) {
            s.push_str(&format!("Revision {rev}.\n"));
        }
        s
    }

    fn generate(repo: &Repository) -> Oid {
        let mut rng: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move |n: u64| {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            rng % n
        };
        let folders = [
            "docs/adr",
            "docs/adr/archive",
            "docs/adr/x",
            "docs/scope",
            "src",
        ];
        let mut main = Files::new();
        main.insert("README.md".into(), (0o100644, "readme\n".into()));
        let mut head = commit(repo, &main, &[], 0, "root");
        let mut side: Option<(Oid, Files)> = None;
        let mut counter = 0u64;
        for c in 1..400i64 {
            let on_side = side.is_some() && next(3) == 0;
            let files = match (&mut side, on_side) {
                (Some((_, f)), true) => f,
                _ => &mut main,
            };
            let keys: Vec<String> = files.keys().cloned().collect();
            let pick = |r: u64| keys.get(r as usize % keys.len().max(1)).cloned();
            match next(10) {
                0..=3 => {
                    counter += 1;
                    let folder = folders[next(folders.len() as u64) as usize];
                    let name = format!("{folder}/{:04}-d{}.md", next(60), counter % 7);
                    files.insert(name, (0o100644, text(counter, c as u64)));
                }
                4..=5 => {
                    if let Some(k) = pick(next(1000)) {
                        let rev = next(100);
                        if let Some(v) = files.get_mut(&k) {
                            v.1 = text(k.len() as u64, rev);
                        }
                    }
                }
                6 => {
                    // Rename, sometimes with an edit, sometimes across folders.
                    if let Some(k) = pick(next(1000)) {
                        if let Some((mode, mut t)) = files.remove(&k) {
                            if next(2) == 0 {
                                t.push_str("Edited while moving.\n");
                            }
                            let folder = folders[next(folders.len() as u64) as usize];
                            files.insert(format!("{folder}/moved-{c}.md"), (mode, t));
                        }
                    }
                }
                7 => {
                    if let Some(k) = pick(next(1000)) {
                        files.remove(&k);
                    }
                }
                8 => {
                    if let Some(k) = pick(next(1000)) {
                        if let Some(v) = files.get_mut(&k) {
                            v.0 = if v.0 == 0o100644 { 0o100755 } else { 0o100644 };
                        }
                    }
                }
                _ => {
                    // A file whose name becomes a folder, or a folder named like a file.
                    let name = format!("docs/adr/{:04}-d1.md", next(60));
                    if files.remove(&name).is_some() {
                        files.insert(format!("{name}/inner.md"), (0o100644, text(7, 7)));
                    } else {
                        files.retain(|k, _| !k.starts_with(&format!("{name}/")));
                        files.insert(name, (0o100644, text(9, c as u64)));
                    }
                }
            }
            if on_side {
                if let Some((tip, f)) = &mut side {
                    *tip = commit(repo, f, &[*tip], c, &format!("side {c}"));
                }
            } else {
                head = commit(repo, &main, &[head], c, &format!("main {c}"));
            }
            if side.is_none() && next(25) == 0 {
                side = Some((head, main.clone()));
            } else if next(20) == 0 {
                if let Some((tip, f)) = side.take() {
                    // Theirs wins on every path; sometimes an evil edit on top.
                    for (k, v) in f {
                        main.insert(k, v);
                    }
                    if next(2) == 0 {
                        if let Some(k) = main.keys().nth(next(5) as usize).cloned() {
                            main.insert(k, (0o100644, "evil\n".into()));
                        }
                    }
                    head = commit(repo, &main, &[head, tip], c, &format!("merge {c}"));
                }
            }
        }
        head
    }

    #[test]
    fn a_version_over_the_cap_is_too_large_to_diff() {
        let repo = cairn_testkit::TestRepo::new();
        let file = "docs/adr/0001-x.md";
        repo.write(file, "# X\n");
        repo.commit_all("small");
        repo.write(file, &"y\n".repeat(MAX_DIFF_BYTES / 2 + 1));
        let big = repo.commit_all("big");
        let small_to_big = diff(repo.path(), Path::new(file), "HEAD~1", Some("HEAD"));
        let err = small_to_big.unwrap_err();
        assert_eq!(err.kind(), "too-large", "{err}");
        assert!(err.to_string().contains("too large to diff"), "{err}");
        let worktree = diff(repo.path(), Path::new(file), "HEAD~1", None).unwrap_err();
        assert_eq!(worktree.kind(), "too-large");
        let blob = repo.repo.find_commit(big).unwrap().tree().unwrap();
        let blob = blob.get_path(Path::new(file)).unwrap().id().to_string();
        let err = blob_bytes(&repo.repo, &blob, file).unwrap_err();
        assert_eq!(err.kind(), "too-large");
    }

    #[test]
    fn raw_trees_on_threads_give_the_same_history_as_the_entry_walk() {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        let head = generate(&repo);
        let prefixes = vec!["docs/adr".to_string(), "docs/scope".to_string()];
        let one = Plan {
            threads: 1,
            chunk: 1 << 20,
            min_piece: 1,
        };
        let reference =
            compute_with(&repo, Some(head), &prefixes, None, one, Diff::Reference).unwrap();
        let versions: usize = reference.files.values().map(|f| f.versions.len()).sum();
        assert!(reference.files.len() > 50 && versions > 150, "{versions}");
        assert!(reference
            .files
            .values()
            .flat_map(|f| &f.versions)
            .any(|v| v.change == ChangeKind::Renamed));
        for plan in [
            one,
            Plan {
                threads: 3,
                chunk: 7,
                min_piece: 1,
            },
            Plan::for_this_machine(),
        ] {
            let raw = compute_with(&repo, Some(head), &prefixes, None, plan, Diff::Raw).unwrap();
            assert_eq!(raw, reference, "{plan:?}");
        }
        // The whole repository as the folder of interest, too.
        let all = vec![String::new()];
        let reference = compute_with(&repo, Some(head), &all, None, one, Diff::Reference).unwrap();
        let plan = Plan {
            threads: 2,
            chunk: 5,
            min_piece: 1,
        };
        let raw = compute_with(&repo, Some(head), &all, None, plan, Diff::Raw).unwrap();
        assert_eq!(raw, reference);
    }
}

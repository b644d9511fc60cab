//! Who decided what, and when: the Git history of every decision and scope map, computed in
//! one pass over the commits reachable from HEAD and cached per HEAD (in memory and on disk),
//! plus line diffs between any two versions of a file.

use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset, TimeZone};
use git2::{Oid, Repository, Tree};

use crate::error::{Error, Result};
use crate::workspace::Workspace;

mod cache;
mod compute;
mod diff;
mod model;
mod walk;

pub use cache::{default_cache_dir, forget, history_in};
pub use diff::{diff, diff_versions, DiffLine, LineKind, CONTEXT_LINES, MAX_DIFF_BYTES};
pub use model::{ChangeKind, FileHistory, HeadFiles, History, Origin, Stamp, Version};

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

/// The history of each of `paths` (files on disk), in order: [`of_file`] for many files,
/// opening the repository once instead of once per file.
pub fn of_files<'h>(
    ws: &Workspace,
    history: &'h History,
    paths: &[&Path],
) -> Vec<Option<&'h FileHistory>> {
    let Some(workdir) = open(&ws.root).ok().and_then(|r| workdir(&r).ok()) else {
        return vec![None; paths.len()];
    };
    paths
        .iter()
        .map(|path| {
            let abs = canonical(path).unwrap_or_else(|_| path.to_path_buf());
            history.file(&relative_to(&workdir, &abs))
        })
        .collect()
}

/// Fills in, from Git, the date of decisions whose files carry none (the date of the commit
/// that created the file). Nothing is written to the files; this only completes the model.
/// Outside a Git repository, or when every decision has a date, it costs nothing.
pub fn fill_missing(ws: &Workspace, log: &mut crate::Log) -> Result<()> {
    if !log.decisions.iter().any(needs_git_date) || !crate::store::is_repository(&ws.root) {
        return Ok(());
    }
    let history = workspace_history(ws)?;
    for d in &mut log.decisions {
        let Some(file) = of_file(ws, &history, &d.path) else {
            continue;
        };
        if needs_git_date(d) {
            d.date = Some(file.created.date.date_naive());
        }
    }
    Ok(())
}

/// A decision that states no date at all takes its first commit's from [`fill_missing`]; one
/// whose date does not read as a date keeps none, so that lint still reports it.
pub fn needs_git_date(d: &crate::Decision) -> bool {
    d.date.is_none() && d.date_raw.is_none()
}

/// The history of every file at HEAD under `paths_of_interest` (folders or files, absolute
/// or relative to `ws_root`), for the repository that contains `ws_root`; cached in
/// [`default_cache_dir`].
pub fn history(ws_root: &Path, paths_of_interest: &[PathBuf]) -> Result<History> {
    history_in(ws_root, paths_of_interest, default_cache_dir().as_deref())
}

/// The commit HEAD points to now (`None` on an unborn branch). Cheap, no walk: the desktop
/// app asks whenever something under the Git folder changed, to tell whether HEAD moved and
/// the history it shows is out of date.
pub fn head(ws_root: &Path) -> Result<Option<String>> {
    let repo = open(ws_root)?;
    Ok(head_oid(&repo)?.map(|oid| oid.to_string()))
}

/// [`HeadFiles`] of the repository containing `ws_root`.
pub fn head_files(ws_root: &Path) -> Result<HeadFiles> {
    let repo = open(ws_root)?;
    Ok(HeadFiles {
        git_dir: repo.path().to_path_buf(),
        branch_dir: repo.commondir().join("refs").join("heads"),
    })
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
    crate::process::apply_git_tuning();
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

//! Reuse of a computed history while HEAD stays put: per process in memory, across runs in
//! the cache folder, and extended by only the new commits when HEAD has moved forward.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use git2::{ObjectType, Oid};
use serde::{Deserialize, Serialize};

use super::compute::compute;
use super::{canonical, head_oid, open, relative_to, workdir, History, Origin};
use crate::error::Result;

/// Bumped whenever the shape or the meaning of the cached JSON changes, so that an old cache
/// file is recomputed instead of misread.
const CACHE_FORMAT: u32 = 1;

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

//! Reports made from the whole log (the lint report, the JSON listing), kept in the user's
//! cache folder and given again while nothing they were made from has changed, so that a
//! hook or a CI step does not parse 10,000 files to say again what it said a minute ago.

use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sha1::{Digest, Sha1};

use crate::error::{Error, Result};
use crate::listing::{scan_keys, Scan};
use crate::workspace::{Log, Workspace};

/// Bumped with any change to this file's layout.
const VERSION: u32 = 1;

/// A report as stored, with what it was made from.
#[derive(Serialize, Deserialize)]
struct Stored<T> {
    /// Digest of everything the report depends on but HEAD: see [`key`].
    key: [u8; 20],
    /// HEAD when the report was made, if Git dated a decision for it (a file that states no
    /// date takes its first commit's); `None` when no decision needed Git, so HEAD moving
    /// cannot change the report.
    head: Option<Option<String>>,
    report: T,
}

/// Whether a report was the stored one or made anew.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Cached,
    Parsed,
}

/// The cache file for reports of `kind` on the workspace's folder, in the user's cache folder.
pub(crate) fn cache_file(ws: &Workspace, kind: &str) -> Result<Option<PathBuf>> {
    let canonical = ws
        .decisions_dir
        .canonicalize()
        .map_err(|e| Error::io(&ws.decisions_dir, e))?;
    Ok(crate::cache::keyed_cache_path(kind, &canonical).map(|p| p.with_extension("bin")))
}

/// `make` applied to the workspace's log, read afresh with Git's dates filled in; or the
/// report kept in `cache` when it was made with the same `params` (the report's kind, its
/// version and its options) and the decision files (by name, modification time and size, the
/// catalog's test), the names of the folder's other Markdown files (which links may name)
/// and, where Git dated a decision, HEAD are all as they were. `cache: None` keeps nothing.
pub(crate) fn report<T: Serialize + DeserializeOwned>(
    ws: &Workspace,
    cache: Option<&Path>,
    params: &[u8],
    make: impl FnOnce(&Log) -> Result<T>,
) -> Result<(T, Source)> {
    let Some(cache) = cache else {
        return Ok((fresh(ws, make)?.0, Source::Parsed));
    };
    // The listing is taken before the files are read: a file changed in between leaves a key
    // older than the report, which the next run then redoes.
    let key = key(ws, scan_keys(&ws.decisions_dir)?, params);
    if let Some(report) = read(cache, &key, ws) {
        return Ok((report, Source::Cached));
    }
    let (report, head) = fresh(ws, make)?;
    if key.trusted {
        // A cache that cannot be written costs the next run its speed, nothing else.
        let _ = write(cache, key.digest, head, &report);
    }
    Ok((report, Source::Parsed))
}

/// `make` on the log read afresh with Git's dates, and HEAD if Git dated a decision for it.
fn fresh<T>(
    ws: &Workspace,
    make: impl FnOnce(&Log) -> Result<T>,
) -> Result<(T, Option<Option<String>>)> {
    let mut log = ws.load()?;
    let head = if log.decisions.iter().any(crate::history::needs_git_date) {
        Some(current_head(ws)?)
    } else {
        None
    };
    crate::history::fill_missing(ws, &mut log)?;
    Ok((make(&log)?, head))
}

struct Key {
    digest: [u8; 20],
    /// False when a file was modified too recently for its time and size to tell a later
    /// edit apart (as the catalog's cache leaves such files out); the report is then not kept.
    trusted: bool,
}

/// SHA-1 over this Cairn's version, the folder, the report's parameters, every decision
/// file's name, modification time and size, and the names of the links and the other
/// Markdown files (which links may name): what the report depends on, HEAD aside.
fn key(ws: &Workspace, mut scan: Scan, params: &[u8]) -> Key {
    scan.keys.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    scan.links.sort_unstable();
    scan.others.sort_unstable();
    let mut h = Sha1::new();
    let mut field = |bytes: &[u8]| {
        h.update((bytes.len() as u64).to_le_bytes());
        h.update(bytes);
    };
    field(&VERSION.to_le_bytes());
    field(env!("CARGO_PKG_VERSION").as_bytes());
    field(ws.decisions_dir.as_os_str().as_encoded_bytes());
    field(params);
    let newest = scan.keys.iter().map(|(_, (mtime, _))| *mtime).max();
    for (name, (mtime, size)) in &scan.keys {
        field(name.as_bytes());
        field(&mtime.to_le_bytes());
        field(&size.to_le_bytes());
    }
    field(b"links");
    for link in &scan.links {
        field(link.as_os_str().as_encoded_bytes());
    }
    field(b"others");
    for name in &scan.others {
        field(name.as_bytes());
    }
    Key {
        digest: h.finalize().into(),
        trusted: newest.is_none_or(|m| m < crate::catalog::racy_cutoff()),
    }
}

/// HEAD's commit, `None` outside a repository or on a branch with no commit yet.
fn current_head(ws: &Workspace) -> Result<Option<String>> {
    if !crate::store::is_repository(&ws.root) {
        return Ok(None);
    }
    crate::history::head(&ws.root)
}

/// The stored report, if the file is there, readable, made from `key` and, where Git dated
/// a decision, at the same HEAD.
fn read<T: DeserializeOwned>(path: &Path, key: &Key, ws: &Workspace) -> Option<T> {
    let bytes = std::fs::read(path).ok()?;
    let stored: Stored<T> = postcard::from_bytes(&bytes).ok()?;
    if stored.key != key.digest {
        return None;
    }
    if let Some(head) = &stored.head {
        if current_head(ws).ok()? != *head {
            return None;
        }
    }
    Some(stored.report)
}

fn write<T: Serialize>(
    path: &Path,
    key: [u8; 20],
    head: Option<Option<String>>,
    report: &T,
) -> Result<()> {
    let stored = Stored { key, head, report };
    let bytes = postcard::to_stdvec(&stored).map_err(|e| Error::Internal { msg: e.to_string() })?;
    crate::store::replace(path, &bytes, crate::store::Durability::Cache)
}

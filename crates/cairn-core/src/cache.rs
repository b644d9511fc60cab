//! Cairn's cache folders: where the search index, the history cache, the catalog and the
//! write lock outside Git live, per user and per workspace, never inside a repository.

use std::path::{Path, PathBuf};

/// Cairn's cache folder, the root of every cache it keeps: `CAIRN_CACHE_DIR` when set, else
/// `cairn` in the platform's cache folder as the `directories` crate finds it
/// (`$XDG_CACHE_HOME` or `~/.cache` on Linux, `~/Library/Caches` on macOS, the local
/// AppData folder on Windows). `None` when the user has no home folder.
pub fn cache_root() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("CAIRN_CACHE_DIR").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    Some(directories::BaseDirs::new()?.cache_dir().join("cairn"))
}

/// A name under [`cache_root`] for something Cairn keeps per folder (the search index, the
/// undo journal outside Git): `<cache root>/<kind>/<16 hex digits of the canonical path>`,
/// so two checkouts never share one and nothing is written into the repository. `None`
/// when the user has no home folder.
pub(crate) fn keyed_cache_path(kind: &str, canonical: &Path) -> Option<PathBuf> {
    // The key is the Git blob id of the path, as `store::Stamp` computes one; written out
    // here so that the cache folders do not depend on the store.
    let key = git2::Oid::hash_object(
        git2::ObjectType::Blob,
        canonical.to_string_lossy().as_bytes(),
    )
    .map(|oid| oid.to_string())
    .unwrap_or_default();
    Some(cache_root()?.join(kind).join(&key[..16.min(key.len())]))
}

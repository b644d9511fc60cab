//! Cairn's cache folders: where the search index, the history cache, the catalog, the last
//! lint report and the write lock outside Git live, per user and per workspace, never
//! inside a repository.

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
    // The key is the Git blob id of the path, as `store::Stamp` computes one, hashed here
    // without libgit2: asking libgit2 would initialise it (and OpenSSL) on every command.
    let key = blob_id(canonical.to_string_lossy().as_bytes());
    Some(cache_root()?.join(kind).join(&key[..16]))
}

/// The Git blob id of `bytes` in hex: SHA-1 over `blob <len>\0` and the bytes.
fn blob_id(bytes: &[u8]) -> String {
    use sha1::{Digest, Sha1};
    let mut hasher = Sha1::new();
    hasher.update(format!("blob {}\0", bytes.len()).as_bytes());
    hasher.update(bytes);
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    /// The cache folders keep the names earlier Cairns gave them (libgit2's blob id).
    #[test]
    fn the_key_is_the_git_blob_id() {
        for text in ["", "/home/me/repo/docs/adr", "ünïcode/pâth"] {
            let git = git2::Oid::hash_object(git2::ObjectType::Blob, text.as_bytes()).unwrap();
            assert_eq!(super::blob_id(text.as_bytes()), git.to_string());
        }
    }
}

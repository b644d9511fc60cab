//! The manifest: Cairn's record, beside tantivy's files, of what was indexed (schema, workspace,
//! tantivy commit, file name → mtime, size, content stamp), and the folder listing it is
//! compared with.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::store::{self, Stamp};
use crate::workspace::is_decision_file_name;

use super::{index_err, RebuildReason, SCHEMA_VERSION};

/// Cairn's own file beside tantivy's: schema version, workspace and manifest.
pub(super) const MANIFEST_FILE: &str = "cairn-index.json";

/// One indexed file as the manifest remembers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct FileEntry {
    pub(super) mtime_ns: i64,
    pub(super) size: u64,
    pub(super) stamp: Stamp,
}

/// The first line of the manifest file: enough to check the index and to tell, from a stat
/// pass over the folder alone, that nothing changed, without parsing the per-file table
/// (1.4 MB of JSON at 10,000 decisions).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(super) struct Head {
    pub(super) schema_version: u32,
    pub(super) decisions_dir: PathBuf,
    /// The tantivy commit this manifest describes; a mismatch means an update was
    /// interrupted between the two, and the index is rebuilt.
    pub(super) opstamp: u64,
    /// [`listing_digest`] of the files as indexed.
    #[serde(default)]
    pub(super) listing: u64,
    /// Set to the boot id when an update was written without fsync (see `cachedir`); an
    /// open in another boot rebuilds.
    #[serde(default)]
    pub(super) unsynced_boot: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub(super) struct Manifest {
    pub(super) head: Head,
    pub(super) files: BTreeMap<String, FileEntry>,
}

/// An order-independent digest of (name, mtime, size) over a folder's decision files: equal
/// digests mean the folder looks exactly as it did when indexed, so an open can skip the
/// per-file comparison.
pub(super) fn listing_digest<'a>(entries: impl Iterator<Item = (&'a str, (i64, u64))>) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut sum = 0u64;
    let mut count = 0u64;
    for (name, key) in entries {
        let mut h = rustc_hash::FxHasher::default();
        name.hash(&mut h);
        key.hash(&mut h);
        // Wrapping sum: independent of order, so a map and a listing agree.
        sum = sum.wrapping_add(h.finish().wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        count += 1;
    }
    sum ^ count.rotate_left(32)
}

fn manifest_missing(dir: &Path, e: std::io::Error) -> RebuildReason {
    if e.kind() == std::io::ErrorKind::NotFound {
        if dir.join("meta.json").exists() {
            RebuildReason::Damaged {
                detail: format!("{MANIFEST_FILE} is missing"),
            }
        } else {
            RebuildReason::Missing
        }
    } else {
        RebuildReason::Damaged {
            detail: format!("{MANIFEST_FILE}: {e}"),
        }
    }
}

fn parse_head(line: &[u8]) -> std::result::Result<Head, RebuildReason> {
    let head: Head = serde_json::from_slice(line).map_err(|e| RebuildReason::Damaged {
        detail: format!("{MANIFEST_FILE}: {e}"),
    })?;
    if head.schema_version != SCHEMA_VERSION {
        return Err(RebuildReason::Schema {
            found: head.schema_version,
            expected: SCHEMA_VERSION,
        });
    }
    Ok(head)
}

/// The manifest's first line only.
pub(super) fn read_head(dir: &Path) -> std::result::Result<Head, RebuildReason> {
    use std::io::BufRead;
    let file =
        std::fs::File::open(dir.join(MANIFEST_FILE)).map_err(|e| manifest_missing(dir, e))?;
    let mut line = Vec::new();
    std::io::BufReader::new(file)
        .read_until(b'\n', &mut line)
        .map_err(|e| manifest_missing(dir, e))?;
    parse_head(&line)
}

pub(super) fn read_manifest(dir: &Path) -> std::result::Result<Manifest, RebuildReason> {
    let bytes = std::fs::read(dir.join(MANIFEST_FILE)).map_err(|e| manifest_missing(dir, e))?;
    let split = bytes
        .iter()
        .position(|&b| b == b'\n')
        .unwrap_or(bytes.len());
    let head = parse_head(&bytes[..split])?;
    let files =
        serde_json::from_slice(bytes.get(split + 1..).unwrap_or_default()).map_err(|e| {
            RebuildReason::Damaged {
                detail: format!("{MANIFEST_FILE}: {e}"),
            }
        })?;
    Ok(Manifest { head, files })
}

/// Writes the manifest: head line, then the file table. `durable` syncs it to disk; an
/// update of a few files skips that (an interrupted or lost write shows up as a head whose
/// opstamp disagrees with tantivy's, or as bad JSON, and either rebuilds the index).
pub(super) fn write_manifest(dir: &Path, manifest: &mut Manifest, durable: bool) -> Result<()> {
    manifest.head.listing = listing_digest(
        manifest
            .files
            .iter()
            .map(|(n, e)| (n.as_str(), (e.mtime_ns, e.size))),
    );
    let mut json = serde_json::to_vec(&manifest.head).map_err(|e| index_err(dir, e))?;
    json.push(b'\n');
    serde_json::to_writer(&mut json, &manifest.files).map_err(|e| index_err(dir, e))?;
    let path = dir.join(MANIFEST_FILE);
    let durability = if durable {
        store::Durability::Synced
    } else {
        store::Durability::Cache
    };
    store::replace(&path, &json, durability)
}

/// Decision files by name: path and (mtime in ns, size); an mtime of -1 marks a file that is
/// gone.
pub(crate) type Listing = BTreeMap<String, (PathBuf, (i64, u64))>;

/// The decision files of the folder (by the same rule as
/// [`Workspace::load`](crate::workspace::Workspace::load)) with their modification time and
/// size, in no particular order and without paths, and the decision names that are symbolic
/// links (which the log lists, unread, with a diagnostic; they are never read): all a warm
/// open needs for [`listing_digest`]. The
/// sorted [`Listing`] with a path per file is built only when the digest says the folder
/// changed (building it was a fifth of a warm `cairn search`).
pub(crate) fn scan_keys(dir: &Path) -> Result<(Keys, Vec<PathBuf>)> {
    let mut entries = Vec::new();
    let mut links = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if is_markdown(&name) && is_decision_file_name(&name) {
            if entry.file_type().is_ok_and(|t| t.is_symlink()) {
                links.push(entry.path());
            } else {
                entries.push((name, entry));
            }
        }
    }
    // One stat per file is most of an open with a warm index (10,000 statx calls); split
    // them over the cores when there are enough to pay for a thread.
    let stat = |(name, entry): (String, std::fs::DirEntry)| match entry.metadata() {
        Ok(m) if m.is_file() => Some((name, file_key(&m))),
        _ => None,
    };
    let keys = if entries.len() < 2000 {
        entries.into_iter().filter_map(stat).collect()
    } else {
        entries.into_par_iter().filter_map(stat).collect()
    };
    Ok((keys, links))
}

/// Files by name with (mtime in ns, size), unsorted: what [`scan_keys`] finds.
pub(crate) type Keys = Vec<(String, (i64, u64))>;

pub(super) fn is_markdown(name: &str) -> bool {
    name.ends_with(".md") || name.ends_with(".markdown")
}

pub(super) fn file_key(meta: &std::fs::Metadata) -> (i64, u64) {
    let mtime = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX));
    (mtime, meta.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Enough files to stat them on threads: every decision is listed with its own size,
    /// and what is not a decision (a README, a folder, a link) is not.
    #[test]
    fn a_large_folder_is_listed_whole_on_threads() {
        let dir = tempfile::tempdir().unwrap();
        let n = 2100;
        for i in 1..=n {
            let text = "x".repeat(i % 50);
            std::fs::write(dir.path().join(format!("{i:04}-d.md")), text).unwrap();
        }
        std::fs::write(dir.path().join("README.md"), "about").unwrap();
        std::fs::create_dir(dir.path().join("9999-folder.md")).unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink("0001-d.md", dir.path().join("9998-link.md")).unwrap();
        let (mut listing, links) = scan_keys(dir.path()).unwrap();
        listing.sort();
        assert_eq!(listing.len(), n);
        for (i, (name, (_, size))) in listing.iter().enumerate() {
            assert_eq!(*name, format!("{:04}-d.md", i + 1));
            assert_eq!(*size, ((i + 1) % 50) as u64);
        }
        let linked = cfg!(unix).then(|| dir.path().join("9998-link.md"));
        assert_eq!(links, linked.into_iter().collect::<Vec<_>>());
    }
}

//! The manifest: Cairn's record, beside tantivy's files, of what was indexed (schema, workspace,
//! tantivy commit, file name → mtime, size, content stamp), which the folder's listing
//! (`crate::listing`) is compared with.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::store::{self, Stamp};

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

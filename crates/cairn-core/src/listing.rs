//! The decisions folder as one stat pass sees it: each decision file's name, modification
//! time and size, which the search index and the catalog of rows compare with what they
//! recorded to find what changed.

use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::workspace::is_decision_file_name;

/// What one pass over the folder finds: the decision files with their modification time and
/// size (by the same rule as [`Workspace::load`](crate::workspace::Workspace::load)), in no
/// particular order and without paths; the decision names that are symbolic links (which the
/// log lists, unread, with a diagnostic; they are never read); and the names of the other
/// Markdown files, which links may point at. All a warm open needs for the index's listing
/// digest and the catalog. The sorted listing with a path per file is built only when the
/// digest says the folder changed (building it was a fifth of a warm `cairn search`).
#[derive(Debug, Default)]
pub(crate) struct Scan {
    pub keys: Keys,
    pub links: Vec<PathBuf>,
    pub others: Vec<String>,
}

pub(crate) fn scan_keys(dir: &Path) -> Result<Scan> {
    let mut entries = Vec::new();
    let mut scan = Scan::default();
    for entry in std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if !is_markdown(&name) {
            continue;
        }
        let file_type = entry.file_type().ok();
        let is_link = file_type.is_some_and(|t| t.is_symlink());
        if !is_decision_file_name(&name) {
            // As the log's other files: a file or a link, never a folder.
            if is_link || file_type.is_some_and(|t| t.is_file()) {
                scan.others.push(name);
            }
        } else if is_link {
            scan.links.push(entry.path());
        } else {
            entries.push((name, entry));
        }
    }
    // One stat per file is most of an open with a warm index (10,000 statx calls); split
    // them over the cores when there are enough to pay for a thread.
    let stat = |(name, entry): (String, std::fs::DirEntry)| match entry.metadata() {
        Ok(m) if m.is_file() => Some((name, file_key(&m))),
        _ => None,
    };
    scan.keys = if entries.len() < 2000 {
        entries.into_iter().filter_map(stat).collect()
    } else {
        entries.into_par_iter().filter_map(stat).collect()
    };
    Ok(scan)
}

/// Files by name with (mtime in ns, size), unsorted: what [`scan_keys`] finds.
pub(crate) type Keys = Vec<(String, (i64, u64))>;

pub(crate) fn is_markdown(name: &str) -> bool {
    name.ends_with(".md") || name.ends_with(".markdown")
}

pub(crate) fn file_key(meta: &std::fs::Metadata) -> (i64, u64) {
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
        std::fs::create_dir(dir.path().join("notes.md")).unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink("0001-d.md", dir.path().join("9998-link.md")).unwrap();
        let Scan {
            keys: mut listing,
            links,
            others,
        } = scan_keys(dir.path()).unwrap();
        listing.sort();
        assert_eq!(others, ["README.md"]);
        assert_eq!(listing.len(), n);
        for (i, (name, (_, size))) in listing.iter().enumerate() {
            assert_eq!(*name, format!("{:04}-d.md", i + 1));
            assert_eq!(*size, ((i + 1) % 50) as u64);
        }
        let linked = cfg!(unix).then(|| dir.path().join("9998-link.md"));
        assert_eq!(links, linked.into_iter().collect::<Vec<_>>());
    }
}

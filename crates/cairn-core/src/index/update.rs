//! Updating the index: comparing the folder (or a few paths) with the manifest, reindexing what
//! was added, changed or removed under the write lock, and the documents a decision file or a
//! scope map becomes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;

use serde::Serialize;
use tantivy::directory::DirectoryLock;
use tantivy::{IndexWriter, TantivyDocument, Term};

use crate::decision::{self, Decision};
use crate::error::{Error, Result};
use crate::store::Stamp;
use crate::workspace::{is_decision_file_name, read_capped};

use super::manifest::{
    listing_digest, read_head, read_manifest, write_manifest, FileEntry, Listing, Manifest,
};
use super::open::{create_fresh, reader};
use super::{
    cachedir, index_err, query, snippet, OpenReport, RebuildReason, SearchIndex, KIND_CARD,
    KIND_DECISION,
};
use crate::listing::{file_key, is_markdown, scan_keys, Keys};

/// Scope maps are remembered in the manifest under this prefix and their file name, beside
/// the decision files (which are plain names).
const MAP_PREFIX: &str = "scope/";

/// What a sync did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct UpdateReport {
    pub added: usize,
    pub changed: usize,
    pub removed: usize,
}

impl SearchIndex {
    /// Brings the index up to date for these files (changed, created or deleted), for the
    /// app after it writes a file and for the file watcher. Paths outside the decisions folder
    /// or that are not decision files are ignored. The changes are searchable when this
    /// returns.
    pub fn update_paths(&self, paths: &[PathBuf]) -> Result<UpdateReport> {
        let lock = self.lock_for_write()?;
        self.sync(&lock, Some(paths), &mut |_, _| {})
    }

    /// Rebuilds the whole index from the Markdown (`cairn reindex`), reporting progress.
    pub fn reindex_all(&mut self, progress: &mut dyn FnMut(usize, usize)) -> Result<OpenReport> {
        let lock = self.lock_for_write()?;
        self.index = create_fresh(&self.dir, &self.decisions_dir, &self.durable)?;
        self.reader = reader(&self.index, &self.dir)?;
        let counts = self.sync(&lock, None, progress)?;
        Ok(OpenReport {
            index_dir: self.dir.clone(),
            rebuilt: Some(RebuildReason::Requested),
            added: counts.added,
            changed: counts.changed,
            removed: counts.removed,
            read_only: None,
        })
    }

    fn writer(&self, threads: usize) -> Result<IndexWriter> {
        // Our lock file serialises Cairn's writers; tantivy's own lock is then free unless
        // something else holds it.
        self.index
            .writer_with_num_threads(threads, threads * 40_000_000)
            .map_err(|e| match e {
                tantivy::TantivyError::LockFailure(..) => Error::IndexBusy {
                    path: self.dir.clone(),
                },
                e => index_err(&self.dir, e),
            })
    }

    pub(super) fn writer_in_ram(&self) -> Result<IndexWriter> {
        self.writer(1)
    }

    /// Compares the folder (or just `only`) with the manifest and reindexes what differs.
    /// The manifest is read again under the lock, so an update by another process since
    /// this one opened is never undone.
    pub(super) fn sync(
        &self,
        _lock: &DirectoryLock,
        only: Option<&[PathBuf]>,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<UpdateReport> {
        let Some(current) = self.current(only)? else {
            return Ok(UpdateReport::default());
        };
        let mut manifest = read_manifest(&self.dir).map_err(|r| index_err(&self.dir, r))?;
        let files_before = manifest.files.len();
        let (removed, to_read) = differences(&manifest, &current, only.is_none());

        let total = to_read.len();
        let mut report = UpdateReport {
            removed: removed.len(),
            ..UpdateReport::default()
        };
        // A big change (a first build) is synced to disk; an update of a few files is not,
        // which keeps it fast (see `cachedir` and `write_manifest` for why that is safe).
        let boot = cachedir::boot_id();
        let durable = total + removed.len() > 64 || boot.is_none();
        let mut writer: Option<IndexWriter> = None;
        let threads = if total > 200 { 2 } else { 1 };
        self.durable.store(durable, Ordering::SeqCst);
        let result = self
            .write_changes(
                &mut manifest,
                &mut writer,
                threads,
                &removed,
                to_read,
                progress,
            )
            .and_then(|(counts, touched)| {
                report.added = counts.added;
                report.changed = counts.changed;
                let touched = touched || manifest.files.len() != files_before;
                let boot = if durable { None } else { boot };
                self.commit(
                    writer,
                    &mut manifest,
                    durable,
                    boot,
                    touched,
                    only.is_none(),
                )
            });
        self.durable.store(true, Ordering::SeqCst);
        result.map(|()| report)
    }

    /// What the folder holds now (all of it, or just `only`, with paths that are gone as
    /// mtime -1); `None` when a whole-folder look finds the listing the index was last
    /// synced with. That is the common open: the stat pass is then all the work, and the
    /// file table is not even parsed.
    fn current(&self, only: Option<&[PathBuf]>) -> Result<Option<Listing>> {
        let Some(paths) = only else {
            let keys = self.listing_keys()?;
            let digest = listing_digest(keys.iter().map(|(name, key)| (name.as_str(), *key)));
            let head = read_head(&self.dir).map_err(|r| index_err(&self.dir, r))?;
            return Ok((digest == 0 || head.listing != digest).then(|| self.with_paths(keys)));
        };
        let mut out = BTreeMap::new();
        for path in paths {
            let Some(name) = self.file_name_in_folder(path) else {
                continue;
            };
            let full = self.path_of(&name);
            // Not followed: a file replaced by a link drops out of the index.
            if let Ok(meta) = std::fs::symlink_metadata(&full) {
                if meta.is_file() {
                    out.insert(name, (full, file_key(&meta)));
                    continue;
                }
            }
            // Gone: remembered as absent so the removal below sees it.
            out.insert(name, (full, (-1, 0)));
        }
        Ok(Some(out))
    }

    /// Commits the writer (when anything was indexed) and the manifest, so that index and
    /// manifest always describe the same opstamp. `unsynced_boot` is the boot the update was
    /// not synced to disk in (`None` for a durable one).
    fn commit(
        &self,
        writer: Option<IndexWriter>,
        manifest: &mut Manifest,
        durable: bool,
        unsynced_boot: Option<String>,
        touched: bool,
        whole_folder: bool,
    ) -> Result<()> {
        match writer {
            Some(mut w) => {
                let opstamp = w.commit().map_err(|e| index_err(&self.dir, e))?;
                manifest.head.opstamp = opstamp;
                manifest.head.unsynced_boot = unsynced_boot;
                write_manifest(&self.dir, manifest, durable)?;
                self.reader.reload().map_err(|e| index_err(&self.dir, e))?;
                // Let background merges finish so the segments stay few and the files the
                // merges replace are cleaned up before the lock is released (a one-segment
                // update rarely triggers one).
                w.wait_merging_threads()
                    .map_err(|e| index_err(&self.dir, e))
            }
            // Only times changed: keep the manifest current so the next open does not read
            // these files again.
            None if touched => write_manifest(&self.dir, manifest, durable),
            // Nothing changed, but the digest in the head may be stale (an update of single
            // paths last wrote it); refresh it so the next open takes the fast path, when
            // this was a whole-folder look.
            None if whole_folder => write_manifest(&self.dir, manifest, false),
            None => Ok(()),
        }
    }

    /// Deletes the removed files' documents and (re)indexes the changed ones; returns the
    /// counts and whether any manifest entry was rewritten.
    fn write_changes(
        &self,
        manifest: &mut Manifest,
        writer: &mut Option<IndexWriter>,
        threads: usize,
        removed: &[String],
        to_read: Vec<(String, PathBuf, (i64, u64))>,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<(UpdateReport, bool)> {
        let total = to_read.len();
        let mut report = UpdateReport::default();
        let mut touched = false;
        for name in removed {
            let w = match writer {
                Some(w) => w,
                None => writer.insert(self.writer(threads)?),
            };
            w.delete_term(Term::from_field_text(self.fields.file_name, name));
            manifest.files.remove(name);
        }
        for (done, (name, path, key)) in to_read.into_iter().enumerate() {
            let bytes = match read_capped(&path) {
                Ok(b) => b,
                // Deleted (or replaced by a link) between the scan and now: the next sync
                // removes it.
                Err(Error::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {
                    continue
                }
                Err(Error::Symlink { .. }) => continue,
                Err(e) => return Err(e),
            };
            let stamp = Stamp::of(&bytes);
            let entry = FileEntry {
                mtime_ns: key.0,
                size: key.1,
                stamp: stamp.clone(),
            };
            let previous = manifest.files.insert(name.clone(), entry);
            touched = true;
            match previous {
                // Touched but not changed: remember the new time, reindex nothing.
                Some(p) if p.stamp == stamp => continue,
                Some(_) => report.changed += 1,
                None => report.added += 1,
            }
            let w = match writer {
                Some(w) => w,
                None => writer.insert(self.writer(threads)?),
            };
            // Deleting a term that matches nothing is harmless, so added files take the
            // same path as changed ones.
            w.delete_term(Term::from_field_text(self.fields.file_name, &name));
            for doc in self.documents(&name, &path, &bytes) {
                w.add_document(doc).map_err(|e| index_err(&self.dir, e))?;
            }
            if (done + 1) % 64 == 0 || done + 1 == total {
                progress(done + 1, total);
            }
        }
        Ok((report, touched))
    }

    /// The manifest name of `path`: its file name when it is a decision file directly in
    /// the decisions folder, `scope/` and its file name when it is a scope map.
    fn file_name_in_folder(&self, path: &Path) -> Option<String> {
        let name = path.file_name()?.to_string_lossy().into_owned();
        let parent = path.parent()?;
        let parent = if parent.as_os_str().is_empty() {
            self.decisions_dir.clone()
        } else {
            parent.canonicalize().ok()?
        };
        if parent == self.decisions_dir && is_markdown(&name) && is_decision_file_name(&name) {
            Some(name)
        } else if parent == self.scope_dir && crate::scope::board::is_map_file_name(&name) {
            Some(format!("{MAP_PREFIX}{name}"))
        } else {
            None
        }
    }

    /// Where the file a manifest name stands for lives.
    fn path_of(&self, name: &str) -> PathBuf {
        match name.strip_prefix(MAP_PREFIX) {
            Some(map) => self.scope_dir.join(map),
            None => self.decisions_dir.join(name),
        }
    }

    /// The decision files and the scope maps, by manifest name.
    pub(super) fn listing(&self) -> Result<Listing> {
        Ok(self.with_paths(self.listing_keys()?))
    }

    /// [`SearchIndex::listing`] without the paths, unsorted.
    fn listing_keys(&self) -> Result<Keys> {
        let mut out = scan_keys(&self.decisions_dir)?.keys;
        if let Ok(entries) = std::fs::read_dir(&self.scope_dir) {
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if !crate::scope::board::is_map_file_name(&name) {
                    continue;
                }
                if let Ok(meta) = entry.metadata() {
                    if meta.is_file() {
                        out.push((format!("{MAP_PREFIX}{name}"), file_key(&meta)));
                    }
                }
            }
        }
        Ok(out)
    }

    /// The listing of these names, each with its path.
    fn with_paths(&self, keys: Keys) -> Listing {
        keys.into_iter()
            .map(|(name, key)| (name.clone(), (self.path_of(&name), key)))
            .collect()
    }

    /// The documents of one file: a decision, or every card of a scope map.
    pub(super) fn documents(&self, name: &str, path: &Path, bytes: &[u8]) -> Vec<TantivyDocument> {
        if name.starts_with(MAP_PREFIX) {
            self.card_documents(name, path, bytes)
        } else {
            vec![self.document(name, path, bytes)]
        }
    }

    /// One document per card: its title, its fields as the body ("activity: Pay. notes:
    /// …"), its column as the scope, and the map's name as a searchable word and a field.
    fn card_documents(&self, name: &str, path: &Path, bytes: &[u8]) -> Vec<TantivyDocument> {
        if bytes.len() > crate::scope::map::MAX_MAP_BYTES {
            return Vec::new(); // the board lists it with a diagnostic; nothing to search
        }
        let text = String::from_utf8_lossy(bytes);
        let map = crate::scope::map::parse(path, &text);
        let f = &self.fields;
        map.cards
            .iter()
            .map(|card| {
                let mut doc = TantivyDocument::default();
                doc.add_text(f.kind, KIND_CARD);
                doc.add_text(f.file_name, name);
                doc.add_text(f.path, path.to_string_lossy());
                doc.add_text(f.title, &card.title);
                doc.add_text(f.title_raw, &card.title);
                let body = card
                    .fields
                    .iter()
                    .filter(|fl| !fl.value.is_empty())
                    .map(|fl| format!("{}: {}", fl.key, fl.value))
                    .collect::<Vec<_>>()
                    .join(". ");
                doc.add_text(f.body_raw, &body);
                doc.add_text(f.body, &body);
                doc.add_text(f.scope, card.column.as_str());
                if let Some(id) = &card.id {
                    doc.add_text(f.card_id, id);
                }
                doc.add_text(f.map, &map.name);
                let mut meta = map.name.clone();
                if let Some(slice) = &card.slice {
                    meta.push(' ');
                    meta.push_str(slice);
                }
                doc.add_text(f.meta, &meta);
                doc
            })
            .collect()
    }

    /// The document for one decision file.
    fn document(&self, name: &str, path: &Path, bytes: &[u8]) -> TantivyDocument {
        let d = decision::parse(path, bytes);
        let f = &self.fields;
        let mut doc = TantivyDocument::default();
        doc.add_text(f.kind, KIND_DECISION);
        doc.add_text(f.file_name, name);
        doc.add_text(f.path, path.to_string_lossy());
        if let Some(n) = d.number {
            doc.add_u64(f.number, u64::from(n));
        }
        let title = d.display_title();
        doc.add_text(f.title, &title);
        doc.add_text(f.title_raw, &title);
        // A file over the cap is searchable by its metadata only, as it is shown.
        let body = if bytes.len() > decision::MAX_DECISION_BYTES {
            String::new()
        } else {
            snippet::plain_body(&body_text(&d, bytes))
        };
        doc.add_text(f.body_raw, &body);
        doc.add_text(f.body, &body);
        doc.add_text(f.status, d.status_kind().as_str());
        if let Some(s) = &d.status {
            doc.add_text(f.status_raw, &s.raw);
        }
        let mut meta = String::new();
        for tag in &d.tags {
            doc.add_text(f.tags, tag.to_lowercase());
            meta.push_str(tag);
            meta.push(' ');
        }
        for person in d.people.all() {
            meta.push_str(person);
            meta.push(' ');
        }
        if let Some(scope) = &d.planning.scope {
            doc.add_text(f.scope, scope.to_lowercase());
            meta.push_str(scope);
        }
        doc.add_text(f.meta, &meta);
        if let Some(date) = d.date {
            doc.add_i64(f.date, query::day_number(date));
        }
        doc
    }
}

/// A file to (re)index: its name in the folder, its path, and its (mtime, size).
type ToRead = (String, PathBuf, (i64, u64));

/// The files to drop from the index and the files to (re)read: with `whole_folder`, every
/// indexed file missing from `current` is removed; otherwise only the paths `current` marks
/// as gone. A file is read again when its mtime or size differs from the manifest's.
fn differences(
    manifest: &Manifest,
    current: &Listing,
    whole_folder: bool,
) -> (Vec<String>, Vec<ToRead>) {
    let removed = if whole_folder {
        manifest
            .files
            .keys()
            .filter(|k| !current.contains_key(*k))
            .cloned()
            .collect()
    } else {
        current
            .iter()
            .filter(|(name, (_, key))| key.0 == -1 && manifest.files.contains_key(*name))
            .map(|(name, _)| name.clone())
            .collect()
    };
    let mut to_read = Vec::new();
    for (name, (path, key)) in current {
        if key.0 == -1 {
            continue;
        }
        match manifest.files.get(name) {
            Some(e) if (e.mtime_ns, e.size) == *key => {}
            _ => to_read.push((name.clone(), path.clone(), *key)),
        }
    }
    (removed, to_read)
}

/// The text after the front matter.
fn body_text(d: &Decision, bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    text.lines()
        .skip(d.body_line.saturating_sub(1))
        .collect::<Vec<_>>()
        .join("\n")
}

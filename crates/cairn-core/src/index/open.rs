//! Opening the index: where it lives, the write lock beside it, checking what is on disk
//! (schema, workspace, tantivy commit, readable segments) and rebuilding it when that fails.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Serialize;
use tantivy::collector::Count;
use tantivy::directory::{Directory, DirectoryLock, Lock, MmapDirectory};
use tantivy::query::AllQuery;
use tantivy::{DocAddress, Index, IndexReader, ReloadPolicy, TantivyDocument, Term};

use crate::error::{Error, Result};
use crate::workspace::{read_capped, Workspace};

use super::manifest::{read_head, write_manifest, Head, Manifest, MANIFEST_FILE};
use super::{
    cachedir, index_err, schema, SearchIndex, INDEX_DIR_ENV, KIND_DECISION, SCHEMA_VERSION,
};

/// Held by whichever process writes the index (sync, update, rebuild).
const WRITE_LOCK_FILE: &str = "cairn-write.lock";

/// How to open the index.
#[derive(Debug, Clone)]
pub struct OpenOptions {
    /// Where the index lives. `None`: `$CAIRN_INDEX_DIR`, else the cache folder.
    pub index_dir: Option<PathBuf>,
    /// How long to wait for another process's write to finish before searching read-only
    /// (on open) or giving up with [`Error::IndexBusy`] (on update).
    pub lock_wait: Duration,
}

impl Default for OpenOptions {
    fn default() -> Self {
        OpenOptions {
            index_dir: None,
            lock_wait: Duration::from_secs(2),
        }
    }
}

/// Why an open rebuilt the index from the Markdown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "reason", rename_all = "kebab-case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum RebuildReason {
    /// There was no index yet.
    Missing,
    /// The index was written by a Cairn with another schema.
    Schema { found: u32, expected: u32 },
    /// The index could not be read; `detail` says what tantivy or the manifest reported.
    Damaged { detail: String },
    /// The index belonged to another decisions folder.
    OtherWorkspace,
    /// [`SearchIndex::reindex_all`] was called.
    Requested,
}

impl std::fmt::Display for RebuildReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RebuildReason::Missing => write!(f, "there was no index yet"),
            RebuildReason::Schema { found, expected } => write!(
                f,
                "the index has schema version {found}, this Cairn uses {expected}"
            ),
            RebuildReason::Damaged { detail } => write!(f, "the index was damaged ({detail})"),
            RebuildReason::OtherWorkspace => {
                write!(f, "the index belonged to another decisions folder")
            }
            RebuildReason::Requested => write!(f, "a full reindex was requested"),
        }
    }
}

/// What opening (or updating) did, so the CLI and the UI can say it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct OpenReport {
    pub index_dir: PathBuf,
    /// Set when the whole index was rebuilt from the Markdown, with the reason.
    pub rebuilt: Option<RebuildReason>,
    pub added: usize,
    pub changed: usize,
    pub removed: usize,
    /// Set when another process held the write lock: searches work on what it last
    /// committed (or on a temporary in-memory index), and this says so.
    pub read_only: Option<String>,
}

/// Where the index of `ws` lives: the option, else `$CAIRN_INDEX_DIR`, else
/// `<cache>/cairn/index/<hash of the canonical decisions folder>`, so two checkouts of one
/// repository get two indexes and nothing is ever written inside the repository.
pub fn location(ws: &Workspace, opts: &OpenOptions) -> Result<PathBuf> {
    if let Some(dir) = &opts.index_dir {
        return Ok(dir.clone());
    }
    if let Some(dir) = std::env::var_os(INDEX_DIR_ENV).filter(|v| !v.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    let canonical = ws
        .decisions_dir
        .canonicalize()
        .map_err(|e| Error::io(&ws.decisions_dir, e))?;
    crate::workspace::keyed_cache_path("index", &canonical).ok_or_else(|| Error::Index {
        path: canonical.clone(),
        msg: format!("no home folder to put the search index in; set {INDEX_DIR_ENV} to a folder"),
    })
}

/// Opens (creating, repairing or updating as needed) the index of `ws`.
pub fn open(ws: &Workspace, opts: &OpenOptions) -> Result<(SearchIndex, OpenReport)> {
    open_with_progress(ws, opts, &mut |_, _| {})
}

/// [`open`], reporting `(done, total)` while files are indexed, for a first build of a large
/// workspace.
pub fn open_with_progress(
    ws: &Workspace,
    opts: &OpenOptions,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<(SearchIndex, OpenReport)> {
    let places = Places::of(ws, opts)?;
    match write_lock(&places.dir, opts.lock_wait) {
        Ok(lock) => open_writable(places, opts.lock_wait, &lock, progress),
        Err(Error::IndexBusy { .. }) => open_read_only(places, opts.lock_wait, progress),
        Err(e) => Err(e),
    }
}

/// `cairn reindex`: the whole index rebuilt from the Markdown, exactly once. Opening an
/// index that is missing, of an older schema or damaged already rebuilds it from the files,
/// so only an index that opened as it was is rebuilt again; before, a first `cairn reindex`
/// built the index twice. `progress` hears `(done, total)` of whichever build runs.
pub fn reindex(
    ws: &Workspace,
    opts: &OpenOptions,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<(SearchIndex, OpenReport)> {
    let (mut index, report) = open_with_progress(ws, opts, progress)?;
    if report.rebuilt.is_some() {
        return Ok((index, report));
    }
    let report = index.reindex_all(progress)?;
    Ok((index, report))
}

/// The folders an open works with, canonical where they exist.
struct Places {
    dir: PathBuf,
    decisions_dir: PathBuf,
    scope_dir: PathBuf,
}

impl Places {
    /// Creates the index folder and checks that it lies outside the workspace and holds
    /// nothing but an index.
    fn of(ws: &Workspace, opts: &OpenOptions) -> Result<Places> {
        let dir = location(ws, opts)?;
        let decisions_dir = ws
            .decisions_dir
            .canonicalize()
            .map_err(|e| Error::io(&ws.decisions_dir, e))?;
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        let dir = dir.canonicalize().map_err(|e| Error::io(&dir, e))?;
        let root = ws.root.canonicalize().unwrap_or_else(|_| ws.root.clone());
        let scope_dir = ws
            .scope_dir
            .canonicalize()
            .unwrap_or_else(|_| ws.scope_dir.clone());
        if dir.starts_with(&root) || dir.starts_with(&decisions_dir) {
            return Err(index_err(
                &dir,
                "lies inside the workspace; the index belongs in a cache folder, not the \
                 repository",
            ));
        }
        check_ours(&dir)?;
        Ok(Places {
            dir,
            decisions_dir,
            scope_dir,
        })
    }
}

impl SearchIndex {
    /// The one way a handle is made: `index` opened (or created) in `places.dir`, with a
    /// reader on it; `read_only` says why this handle must not write, when it must not.
    fn new(
        places: Places,
        index: Index,
        durable: Arc<AtomicBool>,
        read_only: Option<String>,
        lock_wait: Duration,
    ) -> Result<SearchIndex> {
        let reader = reader(&index, &places.dir)?;
        Ok(SearchIndex {
            dir: places.dir,
            decisions_dir: places.decisions_dir,
            scope_dir: places.scope_dir,
            durable,
            index,
            reader,
            fields: schema::build().1,
            read_only,
            lock_wait,
        })
    }
}

/// Opens the index holding the write lock: the one on disk if it passes the checks, else a
/// fresh one, then brought up to date with the folder.
fn open_writable(
    places: Places,
    lock_wait: Duration,
    lock: &DirectoryLock,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<(SearchIndex, OpenReport)> {
    let durable = Arc::new(AtomicBool::new(true));
    let (index, mut rebuilt) = match open_existing(&places.dir, &places.decisions_dir, &durable) {
        Ok(index) => (index, None),
        Err(reason) => (
            create_fresh(&places.dir, &places.decisions_dir, &durable)?,
            Some(reason),
        ),
    };
    let mut search = SearchIndex::new(places, index, durable, None, lock_wait)?;
    let counts = match search.sync(lock, None, progress) {
        // The head line was fine but the file table behind it is not (the open only reads
        // the table when the folder changed): rebuild, as for any other damage.
        Err(Error::Index { msg, .. }) if rebuilt.is_none() && msg.contains(MANIFEST_FILE) => {
            search.index = create_fresh(&search.dir, &search.decisions_dir, &search.durable)?;
            search.reader = self::reader(&search.index, &search.dir)?;
            rebuilt = Some(RebuildReason::Damaged { detail: msg });
            search.sync(lock, None, progress)?
        }
        other => other?,
    };
    let report = OpenReport {
        index_dir: search.dir.clone(),
        rebuilt,
        added: counts.added,
        changed: counts.changed,
        removed: counts.removed,
        read_only: None,
    };
    Ok((search, report))
}

/// Opens the index while another process holds the write lock: what it last committed, or,
/// when nothing usable is on disk, a temporary index built in memory.
fn open_read_only(
    places: Places,
    lock_wait: Duration,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<(SearchIndex, OpenReport)> {
    let durable = Arc::new(AtomicBool::new(true));
    let dir = places.dir.clone();
    let mut report = OpenReport {
        index_dir: dir.clone(),
        ..OpenReport::default()
    };
    let (index, message) = match open_existing(&dir, &places.decisions_dir, &durable) {
        Ok(index) => (
            index,
            format!(
                "another Cairn process is updating the search index at {}; showing results as \
                 of its last update",
                dir.display()
            ),
        ),
        Err(reason) => {
            // Nothing usable on disk and someone else is writing it: search a temporary
            // index built in memory rather than not at all.
            let index = Index::builder()
                .schema(schema::build().0)
                .settings(schema::settings())
                .create_in_ram()
                .map_err(|e| index_err(&dir, e))?;
            schema::register(&index);
            report.rebuilt = Some(reason);
            (
                index,
                format!(
                    "another Cairn process is rebuilding the search index at {}; searching a \
                     temporary in-memory index meanwhile",
                    dir.display()
                ),
            )
        }
    };
    let search = SearchIndex::new(places, index, durable, Some(message.clone()), lock_wait)?;
    if report.rebuilt.is_some() {
        report.added = search.fill_in_ram(progress)?;
    }
    report.read_only = Some(message);
    Ok((search, report))
}

impl SearchIndex {
    /// Indexes every file of the folder into this (in-memory) index; returns how many.
    fn fill_in_ram(&self, progress: &mut dyn FnMut(usize, usize)) -> Result<usize> {
        let mut writer = self.writer_in_ram()?;
        let names = self.listing()?;
        let total = names.len();
        for (i, (name, (path, _))) in names.into_iter().enumerate() {
            let bytes = read_capped(&path)?;
            for doc in self.documents(&name, &path, &bytes) {
                writer
                    .add_document(doc)
                    .map_err(|e| index_err(&self.dir, e))?;
            }
            progress(i + 1, total);
        }
        writer.commit().map_err(|e| index_err(&self.dir, e))?;
        self.reader.reload().map_err(|e| index_err(&self.dir, e))?;
        Ok(total)
    }
}

/// Refuses to treat a folder as the index when it holds files Cairn did not put there, so
/// that a mistyped `CAIRN_INDEX_DIR` never makes a rebuild delete someone's files.
fn check_ours(dir: &Path) -> Result<()> {
    let mut entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    let empty_or_ours = entries.next().is_none()
        || dir.join(MANIFEST_FILE).exists()
        || dir.join("meta.json").exists()
        || dir.join(".managed.json").exists()
        || dir.join(WRITE_LOCK_FILE).exists();
    if empty_or_ours {
        Ok(())
    } else {
        Err(index_err(
            dir,
            "is neither empty nor a Cairn search index; choose an empty folder for the index",
        ))
    }
}

/// Takes the write lock, waiting up to `wait` for another process to release it.
fn write_lock(dir: &Path, wait: Duration) -> Result<DirectoryLock> {
    let directory = MmapDirectory::open(dir).map_err(|e| index_err(dir, e))?;
    let lock = Lock {
        filepath: PathBuf::from(WRITE_LOCK_FILE),
        is_blocking: false,
    };
    let deadline = Instant::now() + wait;
    loop {
        match directory.acquire_lock(&lock) {
            Ok(guard) => return Ok(guard),
            Err(tantivy::directory::error::LockError::LockBusy) if Instant::now() < deadline => {
                // tantivy's blocking lock waits without a limit: poll the non-blocking one so
                // a busy index is reported after `wait` instead of hanging the caller.
                std::thread::sleep(Duration::from_millis(25));
            }
            Err(tantivy::directory::error::LockError::LockBusy) => {
                return Err(Error::IndexBusy {
                    path: dir.to_path_buf(),
                })
            }
            Err(e) => return Err(index_err(dir, e)),
        }
    }
}

/// Opens the index on disk and checks that it can be searched: a manifest of this schema and
/// workspace, a tantivy index of this schema at the commit the manifest describes, and every
/// segment readable.
fn open_existing(
    dir: &Path,
    decisions_dir: &Path,
    durable: &Arc<AtomicBool>,
) -> std::result::Result<Index, RebuildReason> {
    let damaged = |detail: String| RebuildReason::Damaged { detail };
    let manifest = read_head(dir)?;
    if manifest.decisions_dir != decisions_dir {
        return Err(RebuildReason::OtherWorkspace);
    }
    if let Some(boot) = &manifest.unsynced_boot {
        if cachedir::boot_id().as_ref() != Some(boot) {
            return Err(damaged(
                "the machine restarted before the last update reached the disk".into(),
            ));
        }
    }
    let directory = cachedir::CacheDirectory::open(dir, Arc::clone(durable))
        .map_err(|e| damaged(e.to_string()))?;
    let index = Index::open(directory).map_err(|e| damaged(e.to_string()))?;
    schema::register(&index);
    if index.schema() != schema::build().0 {
        return Err(RebuildReason::Schema {
            found: manifest.schema_version,
            expected: SCHEMA_VERSION,
        });
    }
    let metas = index.load_metas().map_err(|e| damaged(e.to_string()))?;
    if metas.opstamp != manifest.opstamp {
        return Err(damaged(
            "an update was interrupted (index and manifest disagree)".into(),
        ));
    }
    probe(&index).map_err(|e| damaged(e.to_string()))?;
    Ok(index)
}

/// Touches every part of every segment once (postings, fast fields, stored documents), so a
/// truncated or corrupt file is found now rather than in the middle of a search.
fn probe(index: &Index) -> tantivy::Result<()> {
    let reader = index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()?;
    let searcher = reader.searcher();
    searcher.search(&AllQuery, &Count)?;
    for (ord, segment) in searcher.segment_readers().iter().enumerate() {
        segment.fast_fields().str("status")?;
        segment.fast_fields().i64("date")?;
        let fields = schema::build().1;
        segment.inverted_index(fields.body)?;
        segment.inverted_index(fields.title)?;
        if let Some(doc) = segment.doc_ids_alive().next() {
            searcher.doc::<TantivyDocument>(DocAddress::new(ord as u32, doc))?;
        }
    }
    Ok(())
}

/// Empties the index folder (keeping only the lock file, which this process holds) and
/// creates an empty index with an empty manifest.
pub(super) fn create_fresh(
    dir: &Path,
    decisions_dir: &Path,
    durable: &Arc<AtomicBool>,
) -> Result<Index> {
    for entry in std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        if entry.file_name() == WRITE_LOCK_FILE {
            continue;
        }
        let path = entry.path();
        let removed = if entry.file_type().is_ok_and(|t| t.is_dir()) {
            std::fs::remove_dir_all(&path)
        } else {
            std::fs::remove_file(&path)
        };
        removed.map_err(|e| Error::io(&path, e))?;
    }
    let directory =
        cachedir::CacheDirectory::open(dir, Arc::clone(durable)).map_err(|e| index_err(dir, e))?;
    let index = Index::create(directory, schema::build().0, schema::settings())
        .map_err(|e| index_err(dir, e))?;
    schema::register(&index);
    let opstamp = index.load_metas().map_err(|e| index_err(dir, e))?.opstamp;
    write_manifest(
        dir,
        &mut Manifest {
            head: Head {
                schema_version: SCHEMA_VERSION,
                decisions_dir: decisions_dir.to_path_buf(),
                opstamp,
                listing: 0,
                unsynced_boot: None,
            },
            files: BTreeMap::new(),
        },
        true,
    )?;
    Ok(index)
}

pub(super) fn reader(index: &Index, dir: &Path) -> Result<IndexReader> {
    index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()
        .map_err(|e| index_err(dir, e))
}

impl SearchIndex {
    /// The folder the index lives in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Why this handle cannot write, when it cannot.
    pub fn read_only(&self) -> Option<&str> {
        self.read_only.as_deref()
    }

    /// How many decisions the index holds (scope-map cards not counted).
    pub fn len(&self) -> u64 {
        let q = tantivy::query::TermQuery::new(
            Term::from_field_text(self.fields.kind, KIND_DECISION),
            tantivy::schema::IndexRecordOption::Basic,
        );
        self.reader
            .searcher()
            .search(&q, &Count)
            .map_or(0, |n| n as u64)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Looks again at the index on disk, to see what another process committed.
    pub fn refresh(&self) -> Result<()> {
        self.reader.reload().map_err(|e| index_err(&self.dir, e))
    }

    pub(super) fn lock_for_write(&self) -> Result<DirectoryLock> {
        if self.read_only.is_some() {
            // Another process was writing when this one opened; it may be done now.
            return write_lock(&self.dir, self.lock_wait).and_then(|lock| {
                if self
                    .index
                    .directory()
                    .exists(Path::new("meta.json"))
                    .unwrap_or(false)
                {
                    Ok(lock)
                } else {
                    Err(Error::IndexBusy {
                        path: self.dir.clone(),
                    })
                }
            });
        }
        write_lock(&self.dir, self.lock_wait)
    }
}

//! Search: a tantivy index of a workspace's decisions, kept in the user's cache folder and
//! rebuilt from the Markdown whenever it is missing, stale, of an older schema or damaged.
//!
//! The Markdown files are the truth; the index is a cache. Opening it compares a manifest of
//! what was indexed (file name → mtime, size, content stamp) with the folder and reindexes only
//! what was added, changed or removed. Writers take a lock file beside the index, so a second
//! process waits a little and then searches read-only rather than failing or losing an update.

mod cachedir;
mod collect;
mod query;
mod schema;
mod snippet;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, UNIX_EPOCH};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use tantivy::collector::{Count, TopDocs};
use tantivy::directory::{Directory, DirectoryLock, Lock, MmapDirectory};
use tantivy::query::AllQuery;
use tantivy::schema::Value;
use tantivy::{
    DocAddress, Index, IndexReader, IndexWriter, Order, ReloadPolicy, TantivyDocument, Term,
};

use crate::decision::{self, Decision};
use crate::error::{Error, Result};
use crate::store::{self, Stamp};
use crate::workspace::{is_decision_file_name, read_capped, Workspace};

pub use schema::SCHEMA_VERSION;
pub use snippet::{Snippet, SNIPPET_BYTES};

use schema::Fields;

/// Environment variable that puts the index somewhere else than the cache folder.
pub const INDEX_DIR_ENV: &str = "CAIRN_INDEX_DIR";
/// Cairn's own file beside tantivy's: schema version, workspace and manifest.
const MANIFEST_FILE: &str = "cairn-index.json";
/// Held by whichever process writes the index (sync, update, rebuild).
const WRITE_LOCK_FILE: &str = "cairn-write.lock";
/// A decision record.
pub const KIND_DECISION: &str = "decision";
/// A scope-map card.
pub const KIND_CARD: &str = "card";
/// Scope maps are remembered in the manifest under this prefix and their file name, beside
/// the decision files (which are plain names).
const MAP_PREFIX: &str = "scope/";

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

/// How to order results.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum SortBy {
    #[default]
    Relevance,
    Newest,
    Oldest,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchOptions {
    pub limit: usize,
    pub offset: usize,
    pub sort: SortBy,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions {
            limit: 20,
            offset: 0,
            sort: SortBy::Relevance,
        }
    }
}

/// One matching decision.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Hit {
    /// "decision", or "card" for a scope-map card.
    pub kind: String,
    pub number: Option<u32>,
    pub title: String,
    pub file_name: String,
    pub path: PathBuf,
    /// The status kind ("accepted"); `status_raw` is the file's own words.
    pub status: String,
    pub status_raw: Option<String>,
    pub date: Option<NaiveDate>,
    /// Relevance (BM25 with the title boosted); 0 when sorted by date.
    pub score: f32,
    pub snippet: Snippet,
    /// A card's `^id` (cards only).
    pub card_id: Option<String>,
    /// The scope map a card belongs to (cards only).
    pub map: Option<String>,
    /// A card's column: inbox, now, later, wont (cards only).
    pub column: Option<String>,
}

/// A page of results, with counts over all matches (not only the page).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SearchResults {
    pub total: usize,
    pub hits: Vec<Hit>,
    pub status_counts: BTreeMap<String, usize>,
    pub tag_counts: BTreeMap<String, usize>,
}

/// One indexed file as the manifest remembers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct FileEntry {
    mtime_ns: i64,
    size: u64,
    stamp: Stamp,
}

/// The first line of the manifest file: enough to check the index and to tell, from a stat
/// pass over the folder alone, that nothing changed, without parsing the per-file table
/// (1.4 MB of JSON at 10,000 decisions).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Head {
    schema_version: u32,
    decisions_dir: PathBuf,
    /// The tantivy commit this manifest describes; a mismatch means an update was
    /// interrupted between the two, and the index is rebuilt.
    opstamp: u64,
    /// [`listing_digest`] of the files as indexed.
    #[serde(default)]
    listing: u64,
    /// Set to the boot id when an update was written without fsync (see `cachedir`); an
    /// open in another boot rebuilds.
    #[serde(default)]
    unsynced_boot: Option<String>,
}

#[derive(Debug, Clone, Default)]
struct Manifest {
    head: Head,
    files: BTreeMap<String, FileEntry>,
}

/// An order-independent digest of (name, mtime, size) over a folder's decision files: equal
/// digests mean the folder looks exactly as it did when indexed, so an open can skip the
/// per-file comparison.
fn listing_digest<'a>(entries: impl Iterator<Item = (&'a str, (i64, u64))>) -> u64 {
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

/// An open search index for one workspace.
pub struct SearchIndex {
    dir: PathBuf,
    decisions_dir: PathBuf,
    /// The scope maps' folder (it may not exist).
    scope_dir: PathBuf,
    /// Whether the index directory syncs what it writes (false during a small update).
    durable: Arc<AtomicBool>,
    index: Index,
    reader: IndexReader,
    fields: Fields,
    /// Why this handle does not write, when it does not.
    read_only: Option<String>,
    lock_wait: Duration,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex")
            .field("dir", &self.dir)
            .field("decisions_dir", &self.decisions_dir)
            .field("read_only", &self.read_only)
            .finish()
    }
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
            "lies inside the workspace; the index belongs in a cache folder, not the repository",
        ));
    }
    check_ours(&dir)?;

    let mut report = OpenReport {
        index_dir: dir.clone(),
        ..OpenReport::default()
    };
    let (_, fields) = schema::build();
    let durable = Arc::new(AtomicBool::new(true));
    match write_lock(&dir, opts.lock_wait) {
        Ok(lock) => {
            let (index, rebuilt) = match open_existing(&dir, &decisions_dir, &durable) {
                Ok(index) => (index, None),
                Err(reason) => (create_fresh(&dir, &decisions_dir, &durable)?, Some(reason)),
            };
            let reader = reader(&index, &dir)?;
            let mut search = SearchIndex {
                dir,
                decisions_dir,
                scope_dir,
                durable: Arc::clone(&durable),
                index,
                reader,
                fields,
                read_only: None,
                lock_wait: opts.lock_wait,
            };
            let mut rebuilt = rebuilt;
            let counts = match search.sync(&lock, None, progress) {
                // The head line was fine but the file table behind it is not (the open
                // only reads the table when the folder changed): rebuild, as for any other
                // damage.
                Err(Error::Index { msg, .. })
                    if rebuilt.is_none() && msg.contains(MANIFEST_FILE) =>
                {
                    search.index =
                        create_fresh(&search.dir, &search.decisions_dir, &search.durable)?;
                    search.reader = self::reader(&search.index, &search.dir)?;
                    rebuilt = Some(RebuildReason::Damaged { detail: msg });
                    search.sync(&lock, None, progress)?
                }
                other => other?,
            };
            report.added = counts.added;
            report.changed = counts.changed;
            report.removed = counts.removed;
            report.rebuilt = rebuilt;
            Ok((search, report))
        }
        Err(Error::IndexBusy { .. }) => {
            let (index, message) = match open_existing(&dir, &decisions_dir, &durable) {
                Ok(index) => (
                    index,
                    format!(
                        "another Cairn process is updating the search index at {}; showing \
                         results as of its last update",
                        dir.display()
                    ),
                ),
                Err(reason) => {
                    // Nothing usable on disk and someone else is writing it: search a
                    // temporary index built in memory rather than not at all.
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
                            "another Cairn process is rebuilding the search index at {}; \
                             searching a temporary in-memory index meanwhile",
                            dir.display()
                        ),
                    )
                }
            };
            let reader = reader(&index, &dir)?;
            let search = SearchIndex {
                dir,
                decisions_dir,
                scope_dir,
                durable: Arc::clone(&durable),
                index,
                reader,
                fields,
                read_only: Some(message.clone()),
                lock_wait: opts.lock_wait,
            };
            if report.rebuilt.is_some() {
                let mut writer = search.writer_in_ram()?;
                let names = search.listing()?;
                let total = names.len();
                for (i, (name, (path, _))) in names.into_iter().enumerate() {
                    let bytes = read_capped(&path)?;
                    for doc in search.documents(&name, &path, &bytes) {
                        writer
                            .add_document(doc)
                            .map_err(|e| index_err(&search.dir, e))?;
                    }
                    progress(i + 1, total);
                    report.added += 1;
                }
                writer.commit().map_err(|e| index_err(&search.dir, e))?;
                search
                    .reader
                    .reload()
                    .map_err(|e| index_err(&search.dir, e))?;
            }
            report.read_only = Some(message);
            Ok((search, report))
        }
        Err(e) => Err(e),
    }
}

fn index_err(path: &Path, msg: impl std::fmt::Display) -> Error {
    Error::Index {
        path: path.to_path_buf(),
        msg: msg.to_string(),
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
fn read_head(dir: &Path) -> std::result::Result<Head, RebuildReason> {
    use std::io::BufRead;
    let file =
        std::fs::File::open(dir.join(MANIFEST_FILE)).map_err(|e| manifest_missing(dir, e))?;
    let mut line = Vec::new();
    std::io::BufReader::new(file)
        .read_until(b'\n', &mut line)
        .map_err(|e| manifest_missing(dir, e))?;
    parse_head(&line)
}

fn read_manifest(dir: &Path) -> std::result::Result<Manifest, RebuildReason> {
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
fn write_manifest(dir: &Path, manifest: &mut Manifest, durable: bool) -> Result<()> {
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
fn create_fresh(dir: &Path, decisions_dir: &Path, durable: &Arc<AtomicBool>) -> Result<Index> {
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

fn reader(index: &Index, dir: &Path) -> Result<IndexReader> {
    index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()
        .map_err(|e| index_err(dir, e))
}

/// Decision files by name: path and (mtime in ns, size); an mtime of -1 marks a file that is
/// gone.
pub(crate) type Listing = BTreeMap<String, (PathBuf, (i64, u64))>;

/// The decision files of the folder (by the same rule as [`Workspace::load`]), with their
/// modification time and size. Symbolic links are left out: they are never read.
pub(crate) fn scan(dir: &Path) -> Result<Listing> {
    scan_with_links(dir).map(|(listing, _)| listing)
}

/// [`scan`], and the decision names in the folder that are symbolic links (which the log
/// lists, unread, with a diagnostic).
pub(crate) fn scan_with_links(dir: &Path) -> Result<(Listing, Vec<PathBuf>)> {
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
    let stat = |chunk: &[(String, std::fs::DirEntry)]| -> Vec<(String, PathBuf, (i64, u64))> {
        chunk
            .iter()
            .filter_map(|(name, entry)| match entry.metadata() {
                Ok(m) if m.is_file() => Some((name.clone(), entry.path(), file_key(&m))),
                _ => None,
            })
            .collect()
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
    let stats: Vec<Vec<_>> = if entries.len() < 2000 || threads < 2 {
        vec![stat(&entries)]
    } else {
        let size = entries.len().div_ceil(threads);
        std::thread::scope(|s| {
            let handles: Vec<_> = entries
                .chunks(size)
                .map(|chunk| s.spawn(move || stat(chunk)))
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_default())
                .collect()
        })
    };
    let listing = stats
        .into_iter()
        .flatten()
        .map(|(name, path, key)| (name, (path, key)))
        .collect();
    Ok((listing, links))
}

fn is_markdown(name: &str) -> bool {
    name.ends_with(".md") || name.ends_with(".markdown")
}

fn file_key(meta: &std::fs::Metadata) -> (i64, u64) {
    let mtime = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX));
    (mtime, meta.len())
}

/// What a sync did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct UpdateReport {
    pub added: usize,
    pub changed: usize,
    pub removed: usize,
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

    /// Looks again at the index on disk, to see what another process committed.
    pub fn refresh(&self) -> Result<()> {
        self.reader.reload().map_err(|e| index_err(&self.dir, e))
    }

    fn lock_for_write(&self) -> Result<DirectoryLock> {
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

    fn writer_in_ram(&self) -> Result<IndexWriter> {
        self.writer(1)
    }

    /// Compares the folder (or just `only`) with the manifest and reindexes what differs.
    /// The manifest is read again under the lock, so an update by another process since
    /// this one opened is never undone.
    fn sync(
        &self,
        _lock: &DirectoryLock,
        only: Option<&[PathBuf]>,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<UpdateReport> {
        let current: Listing = match only {
            None => {
                let listing = self.listing()?;
                // The common open: nothing changed since the last indexing. The stat pass
                // above is then all the work; the file table is not even parsed.
                let digest =
                    listing_digest(listing.iter().map(|(name, (_, key))| (name.as_str(), *key)));
                let head = read_head(&self.dir).map_err(|r| index_err(&self.dir, r))?;
                if digest != 0 && head.listing == digest {
                    return Ok(UpdateReport::default());
                }
                listing
            }
            Some(paths) => {
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
                out
            }
        };
        let mut manifest = read_manifest(&self.dir).map_err(|r| index_err(&self.dir, r))?;
        let files_before = manifest.files.len();

        let mut removed: Vec<String> = Vec::new();
        let mut to_read: Vec<(String, PathBuf, (i64, u64))> = Vec::new();
        match only {
            None => {
                removed.extend(
                    manifest
                        .files
                        .keys()
                        .filter(|k| !current.contains_key(*k))
                        .cloned(),
                );
            }
            Some(_) => {
                for (name, (_, key)) in &current {
                    if key.0 == -1 && manifest.files.contains_key(name) {
                        removed.push(name.clone());
                    }
                }
            }
        }
        for (name, (path, key)) in &current {
            if key.0 == -1 {
                continue;
            }
            match manifest.files.get(name) {
                Some(e) if (e.mtime_ns, e.size) == *key => {}
                _ => to_read.push((name.clone(), path.clone(), *key)),
            }
        }

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
            .and_then(|(counts, touched_any)| {
                report.added = counts.added;
                report.changed = counts.changed;
                let touched = touched_any;
                match writer {
                    Some(mut w) => {
                        let opstamp = w.commit().map_err(|e| index_err(&self.dir, e))?;
                        manifest.head.opstamp = opstamp;
                        manifest.head.unsynced_boot = if durable { None } else { boot };
                        write_manifest(&self.dir, &mut manifest, durable)?;
                        self.reader.reload().map_err(|e| index_err(&self.dir, e))?;
                        // Let background merges finish so the segments stay few and the
                        // files the merges replace are cleaned up before the lock is
                        // released (a one-segment update rarely triggers one).
                        w.wait_merging_threads()
                            .map_err(|e| index_err(&self.dir, e))
                    }
                    None if touched || manifest.files.len() != files_before => {
                        // Only times changed: keep the manifest current so the next open
                        // does not read these files again.
                        write_manifest(&self.dir, &mut manifest, durable)
                    }
                    // Nothing changed, but the digest in the head may be stale (an update
                    // of single paths last wrote it); refresh it so the next open takes the
                    // fast path, when this was a whole-folder look.
                    None if only.is_none() => write_manifest(&self.dir, &mut manifest, false),
                    None => Ok(()),
                }
            });
        self.durable.store(true, Ordering::SeqCst);
        result.map(|()| report)
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
    fn listing(&self) -> Result<Listing> {
        let mut out = scan(&self.decisions_dir)?;
        if let Ok(entries) = std::fs::read_dir(&self.scope_dir) {
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if !crate::scope::board::is_map_file_name(&name) {
                    continue;
                }
                if let Ok(meta) = entry.metadata() {
                    if meta.is_file() {
                        out.insert(
                            format!("{MAP_PREFIX}{name}"),
                            (entry.path(), file_key(&meta)),
                        );
                    }
                }
            }
        }
        Ok(out)
    }

    /// The documents of one file: a decision, or every card of a scope map.
    fn documents(&self, name: &str, path: &Path, bytes: &[u8]) -> Vec<TantivyDocument> {
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

    /// Runs a query. Malformed queries are an [`Error::Query`] saying what to fix.
    pub fn search(&self, query: &str, opts: &SearchOptions) -> Result<SearchResults> {
        let parsed = query::parse(query)?;
        let (q, terms) = query::build(&parsed, &self.fields)?;
        let searcher = self.reader.searcher();
        let err = |e: tantivy::TantivyError| index_err(&self.dir, e);
        // tantivy refuses a limit of 0; ask for one and drop it, so counts still come back.
        let limit = opts.limit.max(1);
        let top = TopDocs::with_limit(limit).and_offset(opts.offset);
        let (page, total, (status_counts, tag_counts)): (Vec<(f32, DocAddress)>, usize, _) =
            match opts.sort {
                SortBy::Relevance => searcher
                    .search(
                        &q,
                        &(
                            top.order_by_score(),
                            Count,
                            collect::Counts {
                                tags: self.fields.tags,
                            },
                        ),
                    )
                    .map_err(err)?,
                SortBy::Newest | SortBy::Oldest => {
                    let order = if opts.sort == SortBy::Newest {
                        Order::Desc
                    } else {
                        Order::Asc
                    };
                    let (docs, total, counts) = searcher
                        .search(
                            &q,
                            &(
                                top.order_by_fast_field::<i64>("date", order),
                                Count,
                                collect::Counts {
                                    tags: self.fields.tags,
                                },
                            ),
                        )
                        .map_err(err)?;
                    (
                        docs.into_iter().map(|(_, a)| (0.0, a)).collect(),
                        total,
                        counts,
                    )
                }
            };
        let mut hits = Vec::with_capacity(page.len());
        let mut highlighter = snippet::Highlighter::new(&terms);
        for (score, addr) in page.into_iter().take(opts.limit) {
            let doc: TantivyDocument = searcher.doc(addr).map_err(err)?;
            hits.push(self.hit(&doc, score, &mut highlighter));
        }
        Ok(SearchResults {
            total,
            hits,
            status_counts,
            tag_counts,
        })
    }

    fn hit(&self, doc: &TantivyDocument, score: f32, hl: &mut snippet::Highlighter) -> Hit {
        let f = &self.fields;
        let text = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .map(str::to_string)
        };
        let body = doc.get_first(f.body).and_then(|v| v.as_str()).unwrap_or("");
        let kind = text(f.kind).unwrap_or_else(|| KIND_DECISION.into());
        let is_card = kind == KIND_CARD;
        Hit {
            card_id: text(f.card_id),
            map: text(f.map),
            column: if is_card { text(f.scope) } else { None },
            kind,
            number: doc
                .get_first(f.number)
                .and_then(|v| v.as_u64())
                .and_then(|n| u32::try_from(n).ok()),
            title: text(f.title).unwrap_or_default(),
            file_name: text(f.file_name).unwrap_or_default(),
            path: PathBuf::from(text(f.path).unwrap_or_default()),
            // Cards have no status.
            status: text(f.status).unwrap_or_else(|| {
                if is_card {
                    String::new()
                } else {
                    "unknown".into()
                }
            }),
            status_raw: text(f.status_raw),
            date: doc
                .get_first(f.date)
                .and_then(|v| v.as_i64())
                .and_then(query::day_from_number),
            score,
            snippet: hl.snippet(body),
        }
    }
}

/// The text after the front matter.
fn body_text(d: &Decision, bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    text.lines()
        .skip(d.body_line.saturating_sub(1))
        .collect::<Vec<_>>()
        .join("\n")
}

//! Search: a tantivy index of a workspace's decisions, kept in the user's cache folder and
//! rebuilt from the Markdown whenever it is missing, stale, of an older schema or damaged.
//!
//! The Markdown files are the truth; the index is a cache. Opening it compares a manifest of
//! what was indexed (file name → mtime, size, content stamp) with the folder and reindexes only
//! what was added, changed or removed. Writers take a lock file beside the index, so a second
//! process waits a little and then searches read-only rather than failing or losing an update.

mod cachedir;
mod collect;
mod manifest;
mod open;
mod query;
mod schema;
mod search;
mod snippet;
mod update;

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

use tantivy::{Index, IndexReader};

use crate::error::Error;

pub use open::{
    location, open, open_with_progress, reindex, OpenOptions, OpenReport, RebuildReason,
};
pub(crate) use schema::MAX_TOKEN_LEN;
pub use schema::SCHEMA_VERSION;
pub use search::{Hit, SearchOptions, SearchResults, SortBy};
pub use snippet::{Snippet, SNIPPET_BYTES};
pub use update::UpdateReport;

use schema::Fields;

/// Environment variable that puts the index somewhere else than the cache folder.
pub const INDEX_DIR_ENV: &str = "CAIRN_INDEX_DIR";

/// A decision record.
pub const KIND_DECISION: &str = "decision";
/// A scope-map card.
pub const KIND_CARD: &str = "card";

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

fn index_err(path: &Path, msg: impl std::fmt::Display) -> Error {
    Error::Index {
        path: path.to_path_buf(),
        msg: msg.to_string(),
    }
}

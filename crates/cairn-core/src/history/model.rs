//! The history's data: a file's versions and the commits that made them, as the CLI, the
//! desktop app and the on-disk cache see them.

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

/// A commit as far as one file's history is concerned: when, by whom, which commit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "HistoryStamp"))]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(rename = "HistoryStamp")
)]
pub struct Stamp {
    /// Author date, in the author's own time zone (what `git log` shows).
    pub date: DateTime<FixedOffset>,
    pub author: String,
    pub email: String,
    /// Full hexadecimal commit id.
    pub commit: String,
}

/// How a commit touched a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum ChangeKind {
    Added,
    Modified,
    /// Moved (and possibly edited); [`Version::old_path`] says from where.
    Renamed,
}

/// One version of a file: the commit that produced it and the blob it produced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Version {
    pub commit: String,
    /// First line of the commit message.
    pub summary: String,
    pub author: String,
    pub email: String,
    pub date: DateTime<FixedOffset>,
    /// The file's blob id in this version.
    pub blob: String,
    /// The file's path (relative to the repository, `/`-separated) in this version; differs
    /// from [`FileHistory::path`] for versions before a rename.
    pub path: String,
    pub change: ChangeKind,
    /// For [`ChangeKind::Renamed`]: the path before the move.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old_path: Option<String>,
}

impl Version {
    pub(super) fn stamp(&self) -> Stamp {
        Stamp {
            date: self.date,
            author: self.author.clone(),
            email: self.email.clone(),
            commit: self.commit.clone(),
        }
    }
}

/// The history of one file that exists at HEAD.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FileHistory {
    /// Path at HEAD, relative to the repository root, `/`-separated.
    pub path: String,
    pub created: Stamp,
    pub last_changed: Stamp,
    /// Every version, newest first (the order of `git log`).
    pub versions: Vec<Version>,
}

/// Where a [`History`] came from; lets callers (and tests) tell a cache hit from a revwalk
/// without measuring time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Origin {
    /// Computed now, with one revwalk.
    #[default]
    Computed,
    /// Reused from this process's memory.
    Memory,
    /// Reused from the cache folder on disk.
    Disk,
    /// A cached history for an earlier HEAD, extended by walking only the new commits.
    Incremental,
}

/// The history of every file under the folders of interest that exists at HEAD.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct History {
    /// The HEAD commit this was computed for; `None` on an unborn branch.
    pub head: Option<String>,
    /// Keyed by path at HEAD (relative to the repository root, `/`-separated).
    pub files: BTreeMap<String, FileHistory>,
    #[serde(skip)]
    pub origin: Origin,
}

impl History {
    /// The history of `path`, given relative to the repository root (either separator) or
    /// as an absolute path inside it.
    pub fn file(&self, path: &str) -> Option<&FileHistory> {
        self.files.get(&path.replace('\\', "/"))
    }
}

/// Where a move of HEAD shows on disk, for a file watcher: the repository's own Git folder
/// (`HEAD`, `packed-refs`, `ORIG_HEAD`; watch it alone) and the branch heads under the common
/// Git folder (shared by linked worktrees; watch it with its sub-folders).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeadFiles {
    pub git_dir: PathBuf,
    pub branch_dir: PathBuf,
}

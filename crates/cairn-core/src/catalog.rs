//! The decision log's rows (one [`Summary`] per decision), kept per folder in the user's
//! cache so that a large workspace lists without parsing every file again: a warm open
//! costs one stat pass over the folder and one read of the cache.
//!
//! The Markdown files stay the truth. A row is reused only while its file's modification
//! time and size are what they were when it was parsed; any other file is parsed again, a
//! file that is gone is dropped, and a missing, damaged or foreign cache is simply rebuilt.
//! Files changed in the last moments before the cache is written are left out of it, so an
//! edit that keeps the size within the clock's resolution is never mistaken for no edit.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use chrono::NaiveDate;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::decision::{self, Decision, StatusKind};
use crate::workspace::read_capped;
use crate::{Error, Log, Result, Workspace};

/// Bumped whenever the parser or [`Summary`] changes what a row holds, so rows written by an
/// older Cairn are parsed again rather than shown stale.
const CATALOG_VERSION: u32 = 4;

/// A file modified this close to the moment the cache is written is not cached: a second
/// edit within the file system's timestamp resolution could keep both its time and size.
const RACY: Duration = Duration::from_secs(2);

/// Modification times (ns since the epoch) from here on are too recent to trust by time and
/// size alone (see [`RACY`]): what the catalog's cache and the kept reports leave out.
pub(crate) fn racy_cutoff() -> i64 {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX));
    now.saturating_sub(i64::try_from(RACY.as_nanos()).unwrap_or(i64::MAX))
}

/// Below this many files to parse, one thread does it (threads cost more than they save).
const PARALLEL_FROM: usize = 512;

/// The rows of the log, in log order (numbered first, by number, then by file name), with
/// look-ups by file name and number for resolving links.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    rows: Vec<Summary>,
    by_name: HashMap<String, usize>,
}

/// One row of the decision log (deserialised too: the [`Catalog`] keeps rows in a cache).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Summary {
    pub file_name: String,
    pub number: Option<u32>,
    pub title: String,
    pub status: StatusKind,
    /// The file's own status words ("Superceded by …"), when it has any.
    pub status_raw: Option<String>,
    pub date: Option<NaiveDate>,
    pub tags: Vec<String>,
    pub scope: Option<String>,
    /// How many things the parser did not understand (shown as a warning mark).
    pub problems: usize,
    /// The decisions its prose refers to, so a page can list what mentions it without
    /// parsing every file.
    #[serde(default)]
    pub mentions: Vec<MentionTarget>,
    /// The decision's review date (`review-by`); the app's "Due for review" filter compares
    /// it with the day, so a cached row never holds a stale answer.
    #[serde(default)]
    pub review_by: Option<NaiveDate>,
    /// What a board card of this decision shows. Not serialised with the row: the UI's
    /// thousands of rows do without it, and the cache stores it beside the row.
    #[serde(skip)]
    pub card: CardFields,
}

/// What the board needs of a decision beyond its row, so a board is built from the rows
/// (and their cache) instead of parsing every decision.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CardFields {
    pub reversibility: Option<String>,
    pub revisit_when: Option<String>,
    pub revisit_by: Option<NaiveDate>,
    /// The line the body starts on, where a card opens the file.
    pub body_line: usize,
}

/// A link into a decision from another one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Backlink {
    /// The relation as the other decision states it (`supersedes`, `amends`, …, or
    /// `mentions` for a reference in its prose).
    pub relation: String,
    pub file_name: String,
    pub number: Option<u32>,
    pub title: String,
}

/// What a reference in prose names: a number, and the file when it is a Markdown link to
/// one (then the file decides, as it does for links).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MentionTarget {
    pub number: Option<u32>,
    /// The base name of the linked file.
    pub file: Option<String>,
}

impl MentionTarget {
    /// Whether this names the decision in `file_name` numbered `number`.
    pub fn names(&self, file_name: &str, number: Option<u32>) -> bool {
        match &self.file {
            Some(f) => f == file_name,
            None => self.number.is_some() && self.number == number,
        }
    }
}

/// The base name of the decision file a link points at (`../adr/0012-a%20b.md#why` names
/// `0012-a b.md`): one rule for the rows' mentions and the agent's backlinks.
pub(crate) fn linked_file_name(target: &str) -> String {
    crate::render::percent_decode(decision::written_file_name(target))
}

/// The rows of every decision in `log`, parsed afresh (no cache).
pub fn summaries(log: &Log) -> Vec<Summary> {
    log.decisions.iter().map(summary).collect()
}

/// The log's row for one decision.
pub fn summary(d: &Decision) -> Summary {
    Summary {
        file_name: d.file_name.clone(),
        number: d.number,
        title: d.display_title(),
        status: d.status_kind(),
        status_raw: d.status.as_ref().map(|s| s.raw.clone()),
        date: d.date,
        tags: d.tags.clone(),
        scope: d.planning.scope.clone(),
        problems: d.diagnostics.len(),
        review_by: d.planning.review_by,
        card: CardFields {
            reversibility: d.planning.reversibility.clone(),
            revisit_when: d.planning.revisit_when.clone(),
            revisit_by: d.planning.revisit_by,
            body_line: d.body_line,
        },
        mentions: d
            .mentions
            .iter()
            .map(|m| MentionTarget {
                number: m.target_number,
                file: m.target_file.as_deref().map(linked_file_name),
            })
            .collect(),
    }
}

/// What a load did: how many rows came from the cache and how many files were parsed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoadReport {
    pub reused: usize,
    pub parsed: usize,
    /// Why the cache could not be written, when it could not (the rows are right anyway).
    pub cache_error: Option<String>,
}

/// One file as the cache remembers it: the row, and the card fields the row does not
/// serialise (see [`Entry::new`] and [`Entry::into_row`]).
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Entry {
    mtime_ns: i64,
    size: u64,
    row: Summary,
    card: CardFields,
}

impl Entry {
    fn new(mtime_ns: i64, size: u64, mut row: Summary) -> Entry {
        let card = std::mem::take(&mut row.card);
        Entry {
            mtime_ns,
            size,
            row,
            card,
        }
    }

    fn into_row(self) -> Summary {
        Summary {
            card: self.card,
            ..self.row
        }
    }
}

/// The cache file.
#[derive(Debug, Serialize, Deserialize)]
struct CacheFile {
    version: u32,
    /// The Cairn that wrote it: a parser change between releases re-parses everything.
    cairn: String,
    decisions_dir: PathBuf,
    /// Every cached file, sorted by file name (a cache out of order is not used).
    files: Vec<Entry>,
}

impl Catalog {
    /// Reads the log's rows of `ws`, reusing what the cache in the user's cache folder holds
    /// for unchanged files and updating that cache.
    pub fn load(ws: &Workspace) -> Result<Catalog> {
        let canonical = ws
            .decisions_dir
            .canonicalize()
            .map_err(|e| Error::io(&ws.decisions_dir, e))?;
        let cache = crate::workspace::keyed_cache_path("catalog", &canonical)
            .map(|p| p.with_extension("bin"));
        Ok(Catalog::load_with(ws, cache.as_deref())?.0)
    }

    /// [`Catalog::load`], with the dates Git gives to decisions whose files carry none, as
    /// [`fill_missing`](crate::history::fill_missing) completes a [`Log`]: what `cairn list`
    /// shows. A row has no date for two reasons, no date written or one that does not read
    /// as a date, and only the first takes Git's; so those few files are read again to tell.
    pub fn load_dated(ws: &Workspace) -> Result<Catalog> {
        Catalog::load(ws)?.with_git_dates(ws)
    }

    fn with_git_dates(mut self, ws: &Workspace) -> Result<Catalog> {
        let catalog = &mut self;
        let undated: Vec<Decision> = catalog
            .rows
            .iter()
            .filter(|r| r.date.is_none())
            .map(|r| {
                let path = ws.decisions_dir.join(&r.file_name);
                match read_capped(&path) {
                    Ok(bytes) => Ok(decision::parse(&path, &bytes)),
                    Err(Error::Symlink { .. }) => Ok(Decision::not_followed(&path)),
                    Err(e) => Err(e),
                }
            })
            .collect::<Result<_>>()?;
        if undated.is_empty() {
            return Ok(self);
        }
        let mut log = Log {
            decisions: undated,
            other_files: Vec::new(),
        };
        crate::history::fill_missing(ws, &mut log)?;
        for d in log.decisions {
            if let Some(&i) = catalog.by_name.get(&d.file_name) {
                catalog.rows[i].date = d.date;
            }
        }
        Ok(self)
    }

    /// [`Catalog::load`] with the cache file given (`None`: parse everything, cache nothing).
    pub fn load_with(ws: &Workspace, cache: Option<&Path>) -> Result<(Catalog, LoadReport)> {
        let dir = &ws.decisions_dir;
        // Names and keys only: a path is made for the files that are parsed.
        let crate::listing::Scan {
            keys: mut listing,
            links,
            ..
        } = crate::listing::scan_keys(dir)?;
        listing.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let old = cache.and_then(|c| read_cache(c, dir)).unwrap_or_default();
        let (mut entries, to_parse, dropped) = reuse_unchanged(dir, listing, old);
        let mut report = LoadReport {
            reused: entries.len(),
            parsed: to_parse.len(),
            cache_error: None,
        };
        entries.extend(parse_all(&to_parse)?);
        if let Some(cache) = cache {
            if report.parsed > 0 || dropped || !cache.exists() {
                entries.sort_unstable_by(|a, b| a.row.file_name.cmp(&b.row.file_name));
                if let Err(e) = write_cache(cache, dir, &entries) {
                    report.cache_error = Some(e.to_string());
                }
            }
        }
        // Links are listed as the log lists them (unread, with a diagnostic), never cached.
        let linked = links
            .iter()
            .map(|p| summary(&decision::Decision::not_followed(p)));
        Ok((
            Catalog::from_rows(entries.into_iter().map(Entry::into_row).chain(linked)),
            report,
        ))
    }

    /// The rows of a log already read in full.
    pub fn from_log(log: &Log) -> Catalog {
        Catalog::from_rows(log.decisions.iter().map(summary))
    }

    fn from_rows(rows: impl Iterator<Item = Summary>) -> Catalog {
        let mut rows: Vec<Summary> = rows.collect();
        rows.sort_by(|a, b| {
            (a.number.is_none(), a.number, &a.file_name).cmp(&(
                b.number.is_none(),
                b.number,
                &b.file_name,
            ))
        });
        let by_name = rows
            .iter()
            .enumerate()
            .map(|(i, r)| (r.file_name.clone(), i))
            .collect();
        Catalog { rows, by_name }
    }

    /// Every row, in log order.
    pub fn rows(&self) -> &[Summary] {
        &self.rows
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The row of a file in the decisions folder.
    pub fn get(&self, file_name: &str) -> Option<&Summary> {
        self.by_name.get(file_name).map(|&i| &self.rows[i])
    }

    /// The row `reference` names (number, file name or a unique part of it), by the rule of
    /// [`Log::resolve`].
    pub fn resolve(&self, reference: &str) -> Result<&Summary> {
        crate::workspace::resolve_among(&self.rows, reference, |r| (&r.file_name, r.number))
    }

    /// The rows whose prose refers to the decision in `file_name` numbered `number` (its
    /// "mentioned by"), in log order.
    pub fn mentioning<'a>(
        &'a self,
        file_name: &'a str,
        number: Option<u32>,
    ) -> impl Iterator<Item = &'a Summary> {
        self.rows.iter().filter(move |row| {
            row.file_name != file_name && row.mentions.iter().any(|m| m.names(file_name, number))
        })
    }

    /// The first row with this number, in log order (as [`Log::get_number`]).
    pub fn get_number(&self, n: u32) -> Option<&Summary> {
        // Rows are sorted by number, so a binary search finds the first of equal numbers.
        let numbered = self.rows.partition_point(|r| r.number.is_some());
        let at = self.rows[..numbered].partition_point(|r| r.number < Some(n));
        self.rows.get(at).filter(|r| r.number == Some(n))
    }
}

/// Splits the folder's files (sorted by name) into the cached entries still true (same
/// time and size) and the files to parse, walking the two sorted lists side by side (a
/// hash map of 10,000 names cost a fifth of a warm `cairn list`). Also says whether the cache
/// holds a file that is gone, so it is rewritten.
fn reuse_unchanged(
    dir: &Path,
    listing: crate::listing::Keys,
    old: Vec<Entry>,
) -> (Vec<Entry>, Vec<ToParse>, bool) {
    let mut entries = Vec::with_capacity(listing.len());
    let mut to_parse = Vec::new();
    let mut old = old.into_iter().peekable();
    let mut dropped = false;
    for (name, key) in listing {
        // Cached names before this one are files that are gone.
        while old.next_if(|e| e.row.file_name < name).is_some() {
            dropped = true;
        }
        match old.next_if(|e| e.row.file_name == name) {
            Some(e) if (e.mtime_ns, e.size) == key => entries.push(e),
            _ => {
                let path = dir.join(&name);
                to_parse.push((name, path, key));
            }
        }
    }
    (entries, to_parse, dropped || old.next().is_some())
}

/// A file to parse: its name, path and (mtime in ns, size).
type ToParse = (String, PathBuf, (i64, u64));

/// Parses the files given, on rayon's threads when there are many (results in the order
/// given).
fn parse_all(files: &[ToParse]) -> Result<Vec<Entry>> {
    let parse = |(_, path, (mtime_ns, size)): &ToParse| {
        let bytes = read_capped(path)?;
        Ok(Entry::new(
            *mtime_ns,
            *size,
            summary(&decision::parse(path, &bytes)),
        ))
    };
    if files.len() < PARALLEL_FROM {
        return files.iter().map(parse).collect();
    }
    files.par_iter().map(parse).collect()
}

/// The cache's entries, if the file is there, readable, of this version and of this folder.
///
/// The cache is postcard, not JSON: a warm `cairn list` at 10,000 decisions spent a third of
/// its time parsing 3.8 MB of JSON, and nobody reads this file but Cairn. Damaged bytes are
/// an error like any other (postcard checks every length against the input), and the rows
/// are then parsed afresh.
fn read_cache(path: &Path, decisions_dir: &Path) -> Option<Vec<Entry>> {
    let bytes = std::fs::read(path).ok()?;
    let file: CacheFile = postcard::from_bytes(&bytes).ok()?;
    (file.version == CATALOG_VERSION
        && file.cairn == env!("CARGO_PKG_VERSION")
        && file.decisions_dir == decisions_dir
        && file
            .files
            .is_sorted_by(|a, b| a.row.file_name < b.row.file_name))
    .then_some(file.files)
}

/// Writes the cache (without fsync: it is rebuilt from the files whenever it is unreadable),
/// leaving out files modified too recently to be trusted by time and size alone.
fn write_cache(path: &Path, decisions_dir: &Path, entries: &[Entry]) -> Result<()> {
    let trusted_before = racy_cutoff();
    let file = CacheFile {
        version: CATALOG_VERSION,
        cairn: env!("CARGO_PKG_VERSION").to_string(),
        decisions_dir: decisions_dir.to_path_buf(),
        files: entries
            .iter()
            .filter(|e| e.mtime_ns < trusted_before)
            .cloned()
            .collect(),
    };
    let bytes = postcard::to_stdvec(&file).map_err(|e| Error::Internal { msg: e.to_string() })?;
    crate::store::replace(path, &bytes, crate::store::Durability::Cache)?;
    // The JSON cache that earlier builds wrote beside it is never read again.
    let old = path.with_extension("json");
    if old != path {
        let _ = std::fs::remove_file(old);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demo() -> (tempfile::TempDir, Workspace, PathBuf) {
        cairn_testkit::isolate_git_config();
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("demo");
        crate::demo::install(&dest).unwrap();
        let ws = Workspace::discover(&dest).unwrap();
        let cache = dir.path().join("cache/catalog.bin");
        (dir, ws, cache)
    }

    /// The rows a full parse gives: what the catalog must always equal.
    fn truth(ws: &Workspace) -> Vec<Summary> {
        summaries(&ws.load().unwrap())
    }

    /// Sets a file's modification time into the past, so it is old enough to be cached.
    fn age(path: &Path, secs: u64) {
        let f = std::fs::File::options().write(true).open(path).unwrap();
        f.set_modified(SystemTime::now() - Duration::from_secs(secs))
            .unwrap();
    }

    fn age_all(ws: &Workspace) {
        for e in std::fs::read_dir(&ws.decisions_dir).unwrap() {
            age(&e.unwrap().path(), 60);
        }
    }

    /// Enough files to take the parallel path: the rows come back in the order given, each
    /// with its own file's time and size, as one thread gives them.
    #[test]
    fn many_files_are_parsed_on_threads_in_the_order_given() {
        let dir = tempfile::tempdir().unwrap();
        let files: Vec<_> = (1..=PARALLEL_FROM + 88)
            .map(|n| {
                let name = format!("{n:04}-decision-{n}.md");
                let path = dir.path().join(&name);
                let text = format!("# {n}. Decision {n}\n\nStatus: accepted\n");
                std::fs::write(&path, text).unwrap();
                (name, path, (n as i64, n as u64))
            })
            .collect();
        let rows = |entries: Vec<Entry>| {
            entries
                .into_iter()
                .map(|e| (e.mtime_ns, e.size, e.into_row()))
                .collect::<Vec<_>>()
        };
        let parallel = rows(parse_all(&files).unwrap());
        let serial = files
            .chunks(PARALLEL_FROM - 1)
            .flat_map(|chunk| parse_all(chunk).unwrap())
            .collect();
        assert_eq!(parallel.len(), files.len());
        assert_eq!(parallel, rows(serial));
        assert_eq!(parallel[599].2.title, "Decision 600");
    }

    /// `cairn list` reads rows, not decisions: a file without a date still shows the date
    /// Git gives it (as a full load with `history::fill_missing` does), and one whose date
    /// does not read as a date still shows none, also when the rows come from the cache.
    #[test]
    fn dated_rows_take_git_dates_as_the_full_log_does() {
        let repo = cairn_testkit::TestRepo::new();
        repo.write(
            "docs/decisions/0001-dated.md",
            "# 1. Dated\n\nDate: 2020-01-02\n",
        );
        repo.write(
            "docs/decisions/0002-undated.md",
            "# 2. Undated\n\nStatus: accepted\n",
        );
        repo.write(
            "docs/decisions/0003-bad-date.md",
            "# 3. Bad\n\nDate: someday\n",
        );
        repo.commit_all("three");
        let ws = Workspace::discover(repo.path()).unwrap();
        let mut log = ws.load().unwrap();
        crate::history::fill_missing(&ws, &mut log).unwrap();
        let truth: Vec<_> = log.decisions.iter().map(|d| d.date).collect();
        assert!(truth[1].is_some() && truth[2].is_none());
        age_all(&ws);
        let cache = tempfile::tempdir().unwrap();
        let cache = cache.path().join("catalog.json");
        for reused in [0, 3] {
            let (rows, report) = Catalog::load_with(&ws, Some(&cache)).unwrap();
            assert_eq!(report.reused, reused);
            let rows = rows.with_git_dates(&ws).unwrap();
            let dates: Vec<_> = rows.rows().iter().map(|r| r.date).collect();
            assert_eq!(dates, truth);
        }
    }

    #[test]
    fn a_warm_load_reuses_the_cache_and_equals_a_full_parse() {
        let (_d, ws, cache) = demo();
        age_all(&ws);
        let (cold, r) = Catalog::load_with(&ws, Some(&cache)).unwrap();
        assert_eq!(r.reused, 0);
        assert_eq!(r.parsed, cold.len());
        assert!(r.cache_error.is_none());
        assert!(cache.exists());
        let (warm, r) = Catalog::load_with(&ws, Some(&cache)).unwrap();
        assert_eq!((r.reused, r.parsed), (warm.len(), 0));
        assert_eq!(cold.rows(), truth(&ws).as_slice());
        assert_eq!(warm.rows(), cold.rows());
        assert!(warm.len() >= 12);
    }

    #[test]
    fn edits_additions_and_removals_are_seen() {
        let (_d, ws, cache) = demo();
        age_all(&ws);
        Catalog::load_with(&ws, Some(&cache)).unwrap();
        let dir = &ws.decisions_dir;
        let seven = dir.join("0007-take-card-payments-with-stripe.md");
        let text = std::fs::read_to_string(&seven).unwrap();
        std::fs::write(
            &seven,
            text.replace("status: accepted", "status: deprecated"),
        )
        .unwrap();
        std::fs::write(
            dir.join("0042-brand-new.md"),
            "---\nstatus: proposed\n---\n# Brand new\n",
        )
        .unwrap();
        std::fs::remove_file(dir.join("0004-collect-payments-with-paypal-links.md")).unwrap();
        let (cat, r) = Catalog::load_with(&ws, Some(&cache)).unwrap();
        assert_eq!(r.parsed, 2, "only the edited and the new file are parsed");
        assert_eq!(cat.rows(), truth(&ws).as_slice());
        assert_eq!(
            cat.get("0007-take-card-payments-with-stripe.md")
                .unwrap()
                .status,
            decision::StatusKind::Deprecated
        );
        assert_eq!(cat.get_number(42).unwrap().title, "Brand new");
        assert!(cat
            .get("0004-collect-payments-with-paypal-links.md")
            .is_none());
        assert!(cat.get_number(4).is_none());
    }

    #[test]
    fn an_edit_that_keeps_time_and_size_is_not_missed_when_it_was_recent() {
        let (_d, ws, cache) = demo();
        age_all(&ws);
        let seven = ws
            .decisions_dir
            .join("0007-take-card-payments-with-stripe.md");
        // Written just now: too recent to be trusted by time and size, so not cached...
        let text = std::fs::read_to_string(&seven).unwrap();
        std::fs::write(&seven, &text).unwrap();
        let mtime = std::fs::metadata(&seven).unwrap().modified().unwrap();
        Catalog::load_with(&ws, Some(&cache)).unwrap();
        // ...so a same-size edit that even keeps the modification time is still seen.
        let edited = text.replace("status: accepted", "status: rejected");
        assert_eq!(edited.len(), text.len(), "same size");
        std::fs::write(&seven, &edited).unwrap();
        std::fs::File::options()
            .write(true)
            .open(&seven)
            .unwrap()
            .set_modified(mtime)
            .unwrap();
        let (cat, _) = Catalog::load_with(&ws, Some(&cache)).unwrap();
        assert_eq!(
            cat.get("0007-take-card-payments-with-stripe.md")
                .unwrap()
                .status,
            decision::StatusKind::Rejected
        );
    }

    #[test]
    fn the_sorted_walk_reuses_unchanged_rows_and_notices_gone_files() {
        let entry = |n: &str, t: i64| {
            let mut row = summary(&Decision::not_followed(Path::new(n)));
            row.title = format!("cached {n}");
            Entry::new(t, 1, row)
        };
        let keys = |names: &[(&str, i64)]| -> crate::listing::Keys {
            names
                .iter()
                .map(|(n, t)| (n.to_string(), (*t, 1)))
                .collect()
        };
        let old = || {
            vec![
                entry("0001-a.md", 1),
                entry("0002-b.md", 1),
                entry("0004-d.md", 1),
            ]
        };
        let dir = Path::new("/d");
        // 0002 changed, 0003 is new, 0001 and 0004 are as cached.
        let listing = keys(&[
            ("0001-a.md", 1),
            ("0002-b.md", 2),
            ("0003-c.md", 1),
            ("0004-d.md", 1),
        ]);
        let (kept, parse, dropped) = reuse_unchanged(dir, listing, old());
        let kept: Vec<&str> = kept.iter().map(|e| e.row.file_name.as_str()).collect();
        let parse: Vec<&str> = parse.iter().map(|(n, ..)| n.as_str()).collect();
        assert_eq!(
            (kept, parse, dropped),
            (
                vec!["0001-a.md", "0004-d.md"],
                vec!["0002-b.md", "0003-c.md"],
                false
            )
        );
        // A file gone from the start, the middle or the end of the cache is noticed.
        for gone in ["0001-a.md", "0002-b.md", "0004-d.md"] {
            let listing = keys(&[("0001-a.md", 1), ("0002-b.md", 1), ("0004-d.md", 1)])
                .into_iter()
                .filter(|(n, _)| n != gone)
                .collect();
            let (kept, parse, dropped) = reuse_unchanged(dir, listing, old());
            assert_eq!((kept.len(), parse.len(), dropped), (2, 0, true), "{gone}");
        }
    }

    #[test]
    fn a_damaged_or_foreign_cache_is_rebuilt() {
        let (d, ws, cache) = demo();
        age_all(&ws);
        std::fs::create_dir_all(cache.parent().unwrap()).unwrap();
        std::fs::write(&cache, b"{ not json").unwrap();
        let (cat, r) = Catalog::load_with(&ws, Some(&cache)).unwrap();
        assert_eq!(r.reused, 0);
        assert_eq!(cat.rows(), truth(&ws).as_slice());
        // A cache cut short (a full disk, a crash) is rebuilt too, whatever its length.
        let whole = std::fs::read(&cache).unwrap();
        for len in [whole.len() / 2, whole.len() - 1, 1] {
            std::fs::write(&cache, &whole[..len]).unwrap();
            let (cat, r) = Catalog::load_with(&ws, Some(&cache)).unwrap();
            assert_eq!(r.reused, 0, "cut to {len} bytes");
            assert_eq!(cat.rows(), truth(&ws).as_slice());
        }
        // A cache out of name order (not one Cairn wrote) is not used.
        let mut file: CacheFile = postcard::from_bytes(&std::fs::read(&cache).unwrap()).unwrap();
        file.files.reverse();
        std::fs::write(&cache, postcard::to_stdvec(&file).unwrap()).unwrap();
        let (cat, r) = Catalog::load_with(&ws, Some(&cache)).unwrap();
        assert_eq!(r.reused, 0);
        assert_eq!(cat.rows(), truth(&ws).as_slice());
        // The JSON cache of earlier builds is removed when the binary one is written.
        let old = cache.with_extension("json");
        std::fs::write(&old, b"{}").unwrap();
        std::fs::remove_file(&cache).unwrap();
        Catalog::load_with(&ws, Some(&cache)).unwrap();
        assert!(cache.exists() && !old.exists());
        // The rewritten cache belongs to this folder; another folder does not use it.
        let other = d.path().join("other");
        crate::demo::install(&other).unwrap();
        let other = Workspace::discover(&other).unwrap();
        std::fs::write(
            other.decisions_dir.join("0050-only-here.md"),
            "# 50. Only here\n",
        )
        .unwrap();
        age_all(&other);
        let (cat, r) = Catalog::load_with(&other, Some(&cache)).unwrap();
        assert_eq!(r.reused, 0, "rows of another folder are never reused");
        assert_eq!(cat.rows(), truth(&other).as_slice());
    }

    #[test]
    fn rows_follow_log_order_and_numbers_resolve_like_the_log() {
        let (_d, ws, cache) = demo();
        let dir = &ws.decisions_dir;
        std::fs::write(dir.join("0003-a-second-three.md"), "# 3. A second three\n").unwrap();
        std::fs::write(dir.join("notes-without-number.md"), "# Notes\n").unwrap();
        std::fs::write(dir.join("README.md"), "# Not a decision\n").unwrap();
        let (cat, _) = Catalog::load_with(&ws, Some(&cache)).unwrap();
        let log = ws.load().unwrap();
        let names: Vec<_> = cat.rows().iter().map(|r| r.file_name.as_str()).collect();
        let expected: Vec<_> = log.decisions.iter().map(|d| d.file_name.as_str()).collect();
        assert_eq!(names, expected);
        assert_eq!(names.last(), Some(&"notes-without-number.md"));
        for n in 0..20 {
            assert_eq!(
                cat.get_number(n).map(|r| &r.file_name),
                log.get_number(n).map(|d| &d.file_name),
                "number {n}"
            );
        }
        assert!(cat.get("README.md").is_none());
    }

    #[test]
    fn an_unwritable_cache_is_reported_and_the_rows_are_still_right() {
        let (d, ws, _) = demo();
        let blocker = d.path().join("file");
        std::fs::write(&blocker, b"").unwrap();
        let (cat, r) = Catalog::load_with(&ws, Some(&blocker.join("catalog.json"))).unwrap();
        assert!(r.cache_error.is_some());
        assert_eq!(cat.rows(), truth(&ws).as_slice());
    }
}

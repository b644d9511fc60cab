//! The last lint report of a folder, kept in the user's cache folder and given again while
//! nothing it was made from has changed, so that `cairn lint` in a hook or a CI step does
//! not parse 10,000 files to say again what it said a minute ago.

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use sha1::{Digest, Sha1};

use super::{lint_with, Finding, Options, CODES};
use crate::diagnostic::Severity;
use crate::error::{Error, Result};
use crate::listing::{scan_keys, Scan};
use crate::workspace::Workspace;

/// Bumped with any change to a check or to this file's layout, so that a report made by
/// other rules is never shown.
const VERSION: u32 = 1;

/// The report as stored, with what it was made from.
#[derive(Serialize, Deserialize)]
struct Stored {
    /// Digest of everything the report depends on but HEAD: see [`key`].
    key: [u8; 20],
    /// HEAD when the report was made, if Git dated a decision for it (a file that states no
    /// date takes its first commit's); `None` when no decision needed Git, so HEAD moving
    /// cannot change the report.
    head: Option<Option<String>>,
    findings: Vec<StoredFinding>,
}

#[derive(Serialize, Deserialize)]
struct StoredFinding {
    error: bool,
    code: String,
    path: PathBuf,
    line: Option<usize>,
    message: String,
}

/// Whether [`lint_in`] gave the stored report or made a new one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Cached,
    Parsed,
}

/// The findings of [`lint_with`] on the workspace's log with Git's dates filled in, as
/// `cairn lint` reports them. They come from the report kept in the user's cache folder when
/// the decision files (by name, modification time and size, the catalog's test), the names of
/// the folder's other files, HEAD where it dated a decision, the day and the settings are all
/// as they were.
pub fn cached(ws: &Workspace, opts: &Options) -> Result<Vec<Finding>> {
    let canonical = ws
        .decisions_dir
        .canonicalize()
        .map_err(|e| Error::io(&ws.decisions_dir, e))?;
    let cache = crate::cache::keyed_cache_path("lint", &canonical).map(|p| p.with_extension("bin"));
    Ok(lint_in(ws, opts, cache.as_deref())?.0)
}

/// [`cached`] with the cache file given (`None`: lint afresh, keep nothing).
pub fn lint_in(
    ws: &Workspace,
    opts: &Options,
    cache: Option<&Path>,
) -> Result<(Vec<Finding>, Source)> {
    // The listing is taken before the files are read: a file changed in between leaves a key
    // older than the report, which the next run then redoes.
    let scan = scan_keys(&ws.decisions_dir)?;
    let key = key(ws, scan, opts);
    if let Some(findings) = cache.and_then(|c| read(c, &key, ws)) {
        return Ok((findings, Source::Cached));
    }
    let mut log = ws.load()?;
    let head = if log.decisions.iter().any(crate::history::needs_git_date) {
        Some(current_head(ws)?)
    } else {
        None
    };
    crate::history::fill_missing(ws, &mut log)?;
    let findings = lint_with(&log, opts);
    if let Some(cache) = cache.filter(|_| key.trusted) {
        // A cache that cannot be written costs the next run its speed, nothing else.
        let _ = write(cache, key.digest, head, &findings);
    }
    Ok((findings, Source::Parsed))
}

struct Key {
    digest: [u8; 20],
    /// False when a file was modified too recently for its time and size to tell a later
    /// edit apart (as the catalog's cache leaves such files out); the report is then not kept.
    trusted: bool,
}

/// SHA-1 over this Cairn's version, the folder, every decision file's name, modification
/// time and size, the names of the links and the other Markdown files (which links may name),
/// the day and the settings: what the report depends on, HEAD aside.
fn key(ws: &Workspace, mut scan: Scan, opts: &Options) -> Key {
    scan.keys.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    scan.links.sort_unstable();
    scan.others.sort_unstable();
    let mut h = Sha1::new();
    let mut field = |bytes: &[u8]| {
        h.update((bytes.len() as u64).to_le_bytes());
        h.update(bytes);
    };
    field(&VERSION.to_le_bytes());
    field(env!("CARGO_PKG_VERSION").as_bytes());
    field(ws.decisions_dir.as_os_str().as_encoded_bytes());
    field(opts.today.to_string().as_bytes());
    field(&opts.stale_proposal_days.map_or(0, |d| d + 1).to_le_bytes());
    let newest = scan.keys.iter().map(|(_, (mtime, _))| *mtime).max();
    for (name, (mtime, size)) in &scan.keys {
        field(name.as_bytes());
        field(&mtime.to_le_bytes());
        field(&size.to_le_bytes());
    }
    field(b"links");
    for link in &scan.links {
        field(link.as_os_str().as_encoded_bytes());
    }
    field(b"others");
    for name in &scan.others {
        field(name.as_bytes());
    }
    Key {
        digest: h.finalize().into(),
        trusted: newest.is_none_or(|m| m < racy_before()),
    }
}

/// Modification times from here on are too recent to trust (see [`crate::catalog::RACY`]).
fn racy_before() -> i64 {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX));
    let racy = i64::try_from(crate::catalog::RACY.as_nanos()).unwrap_or(i64::MAX);
    now.saturating_sub(racy)
}

/// HEAD's commit, `None` outside a repository or on a branch with no commit yet.
fn current_head(ws: &Workspace) -> Result<Option<String>> {
    if !crate::store::is_repository(&ws.root) {
        return Ok(None);
    }
    crate::history::head(&ws.root)
}

/// The stored findings, if the file is there, readable, made from `key` and, where Git dated
/// a decision, at the same HEAD.
fn read(path: &Path, key: &Key, ws: &Workspace) -> Option<Vec<Finding>> {
    let bytes = std::fs::read(path).ok()?;
    let stored: Stored = postcard::from_bytes(&bytes).ok()?;
    if stored.key != key.digest {
        return None;
    }
    if let Some(head) = &stored.head {
        if current_head(ws).ok()? != *head {
            return None;
        }
    }
    stored
        .findings
        .into_iter()
        .map(StoredFinding::into_finding)
        .collect()
}

fn write(
    path: &Path,
    key: [u8; 20],
    head: Option<Option<String>>,
    findings: &[Finding],
) -> Result<()> {
    let stored = Stored {
        key,
        head,
        findings: findings.iter().map(StoredFinding::from).collect(),
    };
    let bytes = postcard::to_stdvec(&stored).map_err(|e| Error::Internal { msg: e.to_string() })?;
    crate::store::replace(path, &bytes, crate::store::Durability::Cache)
}

impl From<&Finding> for StoredFinding {
    fn from(f: &Finding) -> StoredFinding {
        StoredFinding {
            error: f.severity == Severity::Error,
            code: f.code.to_string(),
            path: f.path.clone(),
            line: f.line,
            message: f.message.clone(),
        }
    }
}

impl StoredFinding {
    /// The finding, if its code is still one of ours.
    fn into_finding(self) -> Option<Finding> {
        let code = CODES.iter().copied().find(|c| *c == self.code)?;
        Some(Finding {
            severity: if self.error {
                Severity::Error
            } else {
                Severity::Warning
            },
            code,
            path: self.path,
            line: self.line,
            message: self.message,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    use cairn_testkit::TestRepo;

    const DIR: &str = "docs/decisions";

    fn options(today: &str, days: Option<u32>) -> Options {
        Options {
            today: today.parse().unwrap(),
            stale_proposal_days: days,
        }
    }

    /// The report of a full read, as `cairn lint` made it before the cache.
    fn truth(ws: &Workspace, opts: &Options) -> Vec<String> {
        let mut log = ws.load().unwrap();
        crate::history::fill_missing(ws, &mut log).unwrap();
        lint_with(&log, opts).iter().map(show).collect()
    }

    fn show(f: &Finding) -> String {
        format!("{:?} {f}", f.severity)
    }

    /// Lints through the cache, checks the answer against a full read, and says where it
    /// came from.
    fn check(ws: &Workspace, opts: &Options, cache: &Path) -> Source {
        let (findings, source) = lint_in(ws, opts, Some(cache)).unwrap();
        let shown: Vec<String> = findings.iter().map(show).collect();
        assert_eq!(shown, truth(ws, opts), "from {source:?}");
        source
    }

    /// Sets every file of the folder a minute back, old enough to be trusted by time and size.
    fn age_all(ws: &Workspace) {
        for e in std::fs::read_dir(&ws.decisions_dir).unwrap() {
            let f = std::fs::File::options()
                .write(true)
                .open(e.unwrap().path())
                .unwrap();
            f.set_modified(SystemTime::now() - Duration::from_secs(60))
                .unwrap();
        }
    }

    /// A repository with two dated decisions, aged; a cache file in a folder of its own (kept
    /// alive by the returned guard).
    fn setup() -> (TestRepo, Workspace, (tempfile::TempDir, PathBuf)) {
        let repo = TestRepo::new();
        repo.write(
            &format!("{DIR}/0001-one.md"),
            "# 1. One\n\nDate: 2020-01-02\n\n## Status\n\nAccepted\n\nSee [two](0002-two.md).\n",
        );
        repo.write(
            &format!("{DIR}/0002-two.md"),
            "# 2. Two\n\nDate: 2020-01-03\n\n## Status\n\nProposed\n\nSee [the notes](NOTES.md).\n",
        );
        repo.commit_all("two decisions");
        let ws = Workspace::discover(repo.path()).unwrap();
        age_all(&ws);
        let dir = tempfile::tempdir().unwrap();
        let cache = dir.path().join("lint.bin");
        (repo, ws, (dir, cache))
    }

    /// The second run gives the kept report. It is the kept one and not a new read: an edit
    /// that keeps the file's time and size, which the cache cannot see, does not show, and a
    /// real edit then does.
    #[test]
    fn the_report_is_kept_until_a_file_changes() {
        let (repo, ws, (_dir, cache)) = setup();
        let opts = options("2020-02-01", None);
        assert_eq!(check(&ws, &opts, &cache), Source::Parsed);
        assert_eq!(check(&ws, &opts, &cache), Source::Cached);

        let path = ws.decisions_dir.join("0001-one.md");
        let mtime = std::fs::metadata(&path).unwrap().modified().unwrap();
        let text = repo.read(&format!("{DIR}/0001-one.md"));
        std::fs::write(&path, text.replace("0002-two.md", "0009-two.md")).unwrap();
        let f = std::fs::File::options().write(true).open(&path).unwrap();
        f.set_modified(mtime).unwrap();
        let (kept, source) = lint_in(&ws, &opts, Some(&cache)).unwrap();
        assert_eq!(source, Source::Cached);
        assert!(!kept.iter().any(|f| f.message.contains("0009")));

        f.set_modified(mtime - Duration::from_secs(5)).unwrap();
        assert_eq!(check(&ws, &opts, &cache), Source::Parsed);
        let (new, _) = lint_in(&ws, &opts, Some(&cache)).unwrap();
        assert!(new
            .iter()
            .any(|f| f.code == "broken-link" && f.message.contains("0009")));
    }

    /// A link to a file that is not a decision is broken until that file appears, though no
    /// decision changed.
    #[test]
    fn the_folder_s_other_files_are_part_of_the_key() {
        let (_repo, ws, (_dir, cache)) = setup();
        let opts = options("2020-02-01", None);
        check(&ws, &opts, &cache);
        let (before, _) = lint_in(&ws, &opts, Some(&cache)).unwrap();
        assert!(before.iter().any(|f| f.message.contains("NOTES.md")));
        std::fs::write(ws.decisions_dir.join("NOTES.md"), "notes").unwrap();
        assert_eq!(check(&ws, &opts, &cache), Source::Parsed);
        let (after, _) = lint_in(&ws, &opts, Some(&cache)).unwrap();
        assert!(!after.iter().any(|f| f.message.contains("NOTES.md")));
    }

    /// A proposal goes stale with the days, and with a shorter limit in the settings.
    #[test]
    fn the_day_and_the_settings_are_part_of_the_key() {
        let (_repo, ws, (_dir, cache)) = setup();
        let stale = |opts: &Options| {
            let (found, source) = lint_in(&ws, opts, Some(&cache)).unwrap();
            (found.iter().any(|f| f.code == "stale-proposal"), source)
        };
        assert_eq!(
            check(&ws, &options("2020-01-10", Some(30)), &cache),
            Source::Parsed
        );
        assert_eq!(
            stale(&options("2020-01-10", Some(30))),
            (false, Source::Cached)
        );
        assert_eq!(
            stale(&options("2020-03-10", Some(30))),
            (true, Source::Parsed)
        );
        assert_eq!(
            stale(&options("2020-01-10", Some(3))),
            (true, Source::Parsed)
        );
        assert_eq!(stale(&options("2020-01-10", None)), (false, Source::Parsed));
    }

    /// A decision with no date takes its first commit's: the report made before the commit
    /// says the date is missing, and is not given again once HEAD has moved. Where every
    /// decision states its date, a new commit does not cost a new read.
    #[test]
    fn head_is_part_of_the_key_only_where_git_dates_a_decision() {
        let (repo, ws, (_dir, cache)) = setup();
        let opts = options("2020-02-01", None);
        check(&ws, &opts, &cache);
        repo.write("README.md", "elsewhere");
        repo.commit_all("not a decision");
        assert_eq!(check(&ws, &opts, &cache), Source::Cached);

        repo.write(
            &format!("{DIR}/0003-three.md"),
            "# 3. Three\n\n## Status\n\nAccepted\n",
        );
        age_all(&ws);
        assert_eq!(check(&ws, &opts, &cache), Source::Parsed);
        let (before, _) = lint_in(&ws, &opts, Some(&cache)).unwrap();
        assert!(before.iter().any(|f| f.code == "missing-date"));
        repo.commit_all("three");
        assert_eq!(check(&ws, &opts, &cache), Source::Parsed);
        let (after, _) = lint_in(&ws, &opts, Some(&cache)).unwrap();
        assert!(!after.iter().any(|f| f.code == "missing-date"));
        assert_eq!(check(&ws, &opts, &cache), Source::Cached);
    }

    /// A file modified a moment ago could change again within the same time and size, so a
    /// report made with it is not kept; damaged or foreign bytes are read as no report.
    #[test]
    fn a_fresh_edit_or_a_damaged_file_means_a_new_read() {
        let (repo, ws, (_dir, cache)) = setup();
        let opts = options("2020-02-01", None);
        repo.write(&format!("{DIR}/0002-two.md"), "# 2. Two\n");
        assert_eq!(check(&ws, &opts, &cache), Source::Parsed);
        assert_eq!(check(&ws, &opts, &cache), Source::Parsed);
        age_all(&ws);
        assert_eq!(check(&ws, &opts, &cache), Source::Parsed);
        assert_eq!(check(&ws, &opts, &cache), Source::Cached);
        let bytes = std::fs::read(&cache).unwrap();
        for cut in [0, 7, bytes.len() / 2, bytes.len() - 1] {
            std::fs::write(&cache, &bytes[..cut]).unwrap();
            assert_eq!(check(&ws, &opts, &cache), Source::Parsed, "cut at {cut}");
        }
    }
}

//! The last lint report of a folder, kept (see [`crate::kept`]) until a file, HEAD where Git
//! dated a decision, the day or the settings change.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{lint_with, Finding, Options, CODES};
use crate::diagnostic::Severity;
use crate::error::Result;
pub use crate::kept::Source;
use crate::workspace::Workspace;

/// Bumped with any change to a check, so that a report made by other rules is never shown.
const VERSION: u32 = 1;

/// A finding as stored: its code as text, which [`StoredFinding::into_finding`] maps back to
/// one of [`CODES`].
#[derive(Serialize, Deserialize)]
struct StoredFinding {
    error: bool,
    code: String,
    path: PathBuf,
    line: Option<usize>,
    message: String,
}

/// The findings of [`lint_with`] on the workspace's log with Git's dates filled in, as
/// `cairn lint` reports them: the report kept in the user's cache folder when nothing it was
/// made from has changed (see [`crate::kept`]), the day and the settings included.
pub fn cached(ws: &Workspace, opts: &Options) -> Result<Vec<Finding>> {
    let cache = crate::kept::cache_file(ws, "lint")?;
    Ok(lint_in(ws, opts, cache.as_deref())?.0)
}

/// [`cached`] with the cache file given (`None`: lint afresh, keep nothing).
pub fn lint_in(
    ws: &Workspace,
    opts: &Options,
    cache: Option<&Path>,
) -> Result<(Vec<Finding>, Source)> {
    let params = format!(
        "lint {VERSION} {} {:?}",
        opts.today, opts.stale_proposal_days
    );
    let (stored, source) = crate::kept::report(ws, cache, params.as_bytes(), |log| {
        let findings = lint_with(log, opts);
        Ok(findings.iter().map(StoredFinding::from).collect::<Vec<_>>())
    })?;
    match stored
        .into_iter()
        .map(StoredFinding::into_finding)
        .collect()
    {
        Some(findings) => Ok((findings, source)),
        // A code this build does not know: a report from other rules, made afresh.
        None => lint_in(ws, opts, None),
    }
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
    use std::time::{Duration, SystemTime};

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

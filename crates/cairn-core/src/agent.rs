//! What an agent reads of the log (over `cairn mcp`): one decision whole, with its version
//! and its links seen from both ends, and the log's rows filtered as `cairn list` filters them.

use std::path::Path;

use serde::Serialize;

use crate::catalog::Summary;
use crate::decision::MAX_DECISION_BYTES;
use crate::kept::Source;
use crate::session::Session;
use crate::store::Stamp;
use crate::view::Related;
use crate::{Decision, Error, Log, Result, StatusKind, Workspace};

/// One decision as an agent reads it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Document {
    pub decision: Decision,
    /// The whole file as Markdown; empty when it is over the size cap (see `note`).
    pub text: String,
    /// The version read: a write made after the file changed from this version is refused.
    pub version: Stamp,
    /// The decision's own links, resolved to the decisions they name.
    pub links: Vec<Related>,
    /// The decisions whose links name this one.
    pub backlinks: Vec<Backlink>,
    /// Why `text` is empty, when it is.
    pub note: Option<String>,
}

pub use crate::catalog::Backlink;

/// Reads the decision `reference` names (number, file name or unique part of it) and records
/// in `session` the version the agent now holds.
pub fn read(log: &Log, reference: &str, session: Option<&Session>) -> Result<Document> {
    let d = log.resolve(reference)?;
    let bytes = crate::workspace::read_capped(&d.path)?;
    let version = Stamp::of(&bytes);
    let (text, note) = if bytes.len() > MAX_DECISION_BYTES {
        (String::new(), Some(crate::view::too_large_note()))
    } else {
        (String::from_utf8_lossy(&bytes).into_owned(), None)
    };
    if let Some(s) = session {
        s.saw(&d.path, version.clone());
    }
    Ok(Document {
        decision: d.clone(),
        text,
        version,
        links: d.links.iter().map(|l| related(log, l)).collect(),
        backlinks: backlinks(log, d),
        note,
    })
}

/// Resolves one link against the log: the target's file, title and status when it exists.
fn related(log: &Log, l: &crate::Link) -> Related {
    let target = log.decisions.iter().find(|t| points_at(l, t));
    Related {
        relation: l.relation.clone(),
        label: l.label.clone(),
        target_text: l.target_text.clone(),
        file_name: target.map(|t| t.file_name.clone()),
        title: target.map(Decision::display_title),
        status: target.map(Decision::status_kind),
    }
}

/// Every link in the log that names `target`, as seen from the linking decision.
pub fn backlinks(log: &Log, target: &Decision) -> Vec<Backlink> {
    log.decisions
        .iter()
        .filter(|d| d.path != target.path)
        .flat_map(|d| {
            d.links
                .iter()
                .chain(&d.mentions)
                .filter(|l| points_at(l, target))
                .map(|l| Backlink {
                    relation: l.relation.clone(),
                    file_name: d.file_name.clone(),
                    number: d.number,
                    title: d.display_title(),
                })
        })
        .collect()
}

/// The records whose prose refers to `target` ("see ADR 7"): its "mentioned by" list.
pub fn mentioned_by(log: &Log, target: &Decision) -> Vec<Backlink> {
    let mut out = backlinks(log, target);
    out.retain(|b| b.relation == crate::decision::MENTIONS);
    out
}

/// Whether link `l` names decision `d`: by its file when the link is a Markdown link to a
/// file, else by its number.
fn points_at(l: &crate::Link, d: &Decision) -> bool {
    match &l.target_file {
        Some(f) => crate::catalog::linked_file_name(f) == d.file_name,
        None => l.target_number.is_some() && l.target_number == d.number,
    }
}

/// The decisions with `status` and carrying `tag` (either filter optional), in log order.
pub fn filter<'a>(
    log: &'a Log,
    status: Option<StatusKind>,
    tag: Option<&str>,
) -> Vec<&'a Decision> {
    log.decisions
        .iter()
        .filter(|d| status.is_none_or(|s| d.status_kind() == s))
        .filter(|d| tag.is_none_or(|t| d.tags.iter().any(|x| x.eq_ignore_ascii_case(t))))
        .collect()
}

/// `cairn list --json`: [`filter`]'s decisions as indented JSON, from the log read with Git's
/// dates filled in. Kept in the user's cache folder until a file, or HEAD where Git dated a
/// decision, changes (see [`crate::kept`]): a full read of 10,000 files took 600 ms.
pub fn list_json(ws: &Workspace, status: Option<StatusKind>, tag: Option<&str>) -> Result<String> {
    let cache = crate::kept::cache_file(ws, "list")?;
    Ok(list_json_in(ws, status, tag, cache.as_deref())?.0)
}

/// [`list_json`] with the cache file given (`None`: read afresh, keep nothing).
pub fn list_json_in(
    ws: &Workspace,
    status: Option<StatusKind>,
    tag: Option<&str>,
    cache: Option<&Path>,
) -> Result<(String, Source)> {
    let params = format!("list 1 {status:?} {tag:?}");
    crate::kept::report(ws, cache, params.as_bytes(), |log| {
        serde_json::to_string_pretty(&filter(log, status, tag))
            .map_err(|e| Error::Internal { msg: e.to_string() })
    })
}

/// The rows of [`filter`]'s decisions.
pub fn list(log: &Log, status: Option<StatusKind>, tag: Option<&str>) -> Vec<Summary> {
    filter(log, status, tag)
        .into_iter()
        .map(crate::catalog::summary)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn log_of(files: &[(&str, &str)]) -> (tempfile::TempDir, Log) {
        let dir = tempfile::tempdir().unwrap();
        let decisions = dir.path().join("docs/decisions");
        std::fs::create_dir_all(&decisions).unwrap();
        for (name, text) in files {
            std::fs::write(decisions.join(name), text).unwrap();
        }
        let ws = crate::Workspace::open(&decisions).unwrap();
        let log = ws.load().unwrap();
        (dir, log)
    }

    #[test]
    fn a_decision_knows_who_links_to_it_and_the_agent_keeps_its_version() {
        let (_d, log) = log_of(&[
            ("0001-use-postgres.md", "# 1. Use Postgres\n\n## Status\n\nAccepted\n"),
            (
                "0002-use-sqlite.md",
                "# 2. Use SQLite\n\n## Status\n\nAccepted\n\nSupersedes [1. Use Postgres](0001-use-postgres.md)\n",
            ),
        ]);
        let session = Session::new("test");
        let doc = read(&log, "1", Some(&session)).unwrap();
        assert_eq!(doc.decision.number, Some(1));
        assert!(doc.text.starts_with("# 1. Use Postgres"));
        assert_eq!(doc.backlinks.len(), 1, "{:?}", doc.backlinks);
        assert_eq!(doc.backlinks[0].file_name, "0002-use-sqlite.md");
        assert_eq!(doc.backlinks[0].relation, "supersedes");
        assert_eq!(session.seen(&doc.decision.path), Some(doc.version.clone()));
        let two = read(&log, "2", None).unwrap();
        assert_eq!(
            two.links[0].file_name.as_deref(),
            Some("0001-use-postgres.md")
        );
        assert!(two.backlinks.is_empty());
    }

    /// The agent and the rows (the app, `cairn show`, the site) name the same "mentioned by",
    /// whatever the link's spelling: a folder, an anchor, percent-encoding.
    #[test]
    fn mentioned_by_is_one_rule_for_the_agent_and_the_rows() {
        let (_d, log) = log_of(&[
            ("0001-use a queue.md", "# 1. Use a queue\n\nAccepted.\n"),
            (
                "0002-b.md",
                "# 2. B\n\nAs [the queue](./0001-use%20a%20queue.md#why) says.\n",
            ),
            (
                "0003-c.md",
                "# 3. C\n\nSee [it](../decisions/0001-use%20a%20queue.md).\n",
            ),
            ("0004-d.md", "# 4. D\n\nNothing here.\n"),
        ]);
        let rows = crate::catalog::Catalog::from_log(&log);
        for d in &log.decisions {
            let agent: Vec<String> = mentioned_by(&log, d)
                .into_iter()
                .map(|b| b.file_name)
                .collect();
            let from_rows: Vec<String> = rows
                .mentioning(&d.file_name, d.number)
                .map(|r| r.file_name.clone())
                .collect();
            assert_eq!(agent, from_rows, "{}", d.file_name);
        }
        let one = log.resolve("1").unwrap();
        let names: Vec<String> = mentioned_by(&log, one)
            .into_iter()
            .map(|b| b.file_name)
            .collect();
        assert_eq!(names, ["0002-b.md", "0003-c.md"]);
    }

    #[test]
    fn list_filters_by_status_and_tag() {
        let (_d, log) = log_of(&[
            ("0001-a.md", "---\nstatus: accepted\ntags: [db]\n---\n# A\n"),
            ("0002-b.md", "---\nstatus: proposed\ntags: [db]\n---\n# B\n"),
        ]);
        assert_eq!(list(&log, None, Some("DB")).len(), 2);
        let accepted = list(&log, Some(StatusKind::Accepted), None);
        assert_eq!(accepted.len(), 1);
        assert_eq!(accepted[0].file_name, "0001-a.md");
    }

    /// `cairn list --json` gives what a full read gives, filtered; from the kept text while
    /// the files are as they were (an edit that keeps a file's time and size does not show,
    /// so the answer came from the cache), and read afresh after a real edit.
    #[test]
    fn the_json_listing_is_the_filtered_log_and_is_kept() {
        let repo = cairn_testkit::TestRepo::new();
        repo.write(
            "docs/decisions/0001-a.md",
            "# 1. A\n\nDate: 2020-01-02\n\nStatus: accepted\n\nTags: db\n",
        );
        repo.write("docs/decisions/0002-b.md", "# 2. B\n\nStatus: proposed\n");
        repo.commit_all("two");
        let ws = Workspace::discover(repo.path()).unwrap();
        let old = std::time::SystemTime::now() - std::time::Duration::from_secs(60);
        let age = |name: &str, when| {
            let path = ws.decisions_dir.join(name);
            let f = std::fs::File::options().write(true).open(path).unwrap();
            f.set_modified(when).unwrap();
        };
        age("0001-a.md", old);
        age("0002-b.md", old);
        let truth = |status, tag| {
            let mut log = ws.load().unwrap();
            crate::history::fill_missing(&ws, &mut log).unwrap();
            serde_json::to_string_pretty(&filter(&log, status, tag)).unwrap()
        };
        let dir = tempfile::tempdir().unwrap();
        let cache = dir.path().join("list.bin");
        let cases = [
            (None, None),
            (Some(StatusKind::Accepted), None),
            (None, Some("DB")),
        ];
        for (status, tag) in cases {
            for source in [Source::Parsed, Source::Cached] {
                let got = list_json_in(&ws, status, tag, Some(&cache)).unwrap();
                assert_eq!(got, (truth(status, tag), source), "{status:?} {tag:?}");
            }
        }
        let dated = truth(None, None).matches("\"date\": \"").count();
        assert_eq!(dated, 2, "the second record takes its date from Git");
        // One report is kept per folder: the last filter's. Back to the whole list.
        let whole = list_json_in(&ws, None, None, Some(&cache)).unwrap();
        assert_eq!(whole.1, Source::Parsed);

        let path = ws.decisions_dir.join("0002-b.md");
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, text.replace("proposed", "rejected")).unwrap();
        age("0002-b.md", old);
        let (kept, source) = list_json_in(&ws, None, None, Some(&cache)).unwrap();
        assert_eq!(source, Source::Cached);
        assert!(kept.contains("\"proposed\"") && !kept.contains("\"rejected\""));
        age("0002-b.md", old - std::time::Duration::from_secs(5));
        let (new, source) = list_json_in(&ws, None, None, Some(&cache)).unwrap();
        assert_eq!(
            (new.as_str(), source),
            (truth(None, None).as_str(), Source::Parsed)
        );
        assert!(new.contains("\"rejected\""));
    }
}

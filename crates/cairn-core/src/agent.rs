//! What an agent reads of the log (over `cairn mcp`): one decision whole, with its version
//! and its links seen from both ends, and the log's rows filtered as `cairn list` filters them.

use serde::Serialize;

use crate::catalog::Summary;
use crate::decision::MAX_DECISION_BYTES;
use crate::session::Session;
use crate::store::Stamp;
use crate::view::Related;
use crate::{Decision, Log, Result, StatusKind};

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
}

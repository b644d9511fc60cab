//! `cairn export`: the whole log in one file, for dashboards and scripts (JSON under a
//! documented, versioned schema, `docs/export.md`) or for reading and printing (one Markdown
//! document, each decision's headings one level down under its own).

use std::fmt::Write as _;

use serde::Serialize;

use crate::decision::{Decision, MAX_DECISION_BYTES};
use crate::report::Relation;
use crate::workspace::read_capped;
use crate::{Log, Result, Workspace};

/// The schema's version: bumped when a field changes meaning or goes away (adding one does
/// not bump it; readers ignore fields they do not know).
pub const EXPORT_VERSION: u32 = 1;

/// The document `cairn export --format json` writes.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Export {
    /// Always `cairn-export`.
    pub format: &'static str,
    /// The schema's version, 1 for this one (see `EXPORT_VERSION`).
    pub version: u32,
    /// The workspace's folder name.
    pub workspace: String,
    /// Every decision, in log order (numbered first, by number).
    pub decisions: Vec<Record>,
}

/// One decision: its metadata as Cairn reads it, its links both ways and its body.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Record {
    /// File name in the decisions folder.
    pub file: String,
    pub number: Option<u32>,
    pub title: String,
    /// One of draft, proposed, accepted, rejected, deprecated, superseded, unknown.
    pub status: String,
    /// The file's own words for its status.
    pub status_raw: Option<String>,
    /// `YYYY-MM-DD`, from the file or else the commit that created it.
    pub date: Option<String>,
    pub tags: Vec<String>,
    pub people: crate::decision::People,
    pub planning: crate::decision::Planning,
    /// The links the record states; `target` is the file of the decision it names, when that
    /// decision is in the log.
    pub links: Vec<ExportLink>,
    /// The links other records state to this one; `target` is the linking record's file.
    pub backlinks: Vec<ExportLink>,
    /// What the parser did not understand, with 1-based lines.
    pub diagnostics: Vec<crate::Diagnostic>,
    /// The Markdown after the front matter; null for a file over the size limit.
    pub body: Option<String>,
}

/// A link between two decisions.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ExportLink {
    /// Normalised: supersedes, superseded-by, amends, amended-by, relates-to, or the file's own;
    /// `mentions` for a reference in the prose ("see ADR 0007").
    pub relation: String,
    pub target: Option<String>,
    /// The link's own words for its target.
    pub text: String,
}

/// The log of `ws` as an [`Export`].
pub fn json(ws: &Workspace) -> Result<Export> {
    let log = load(ws)?;
    let (links, backlinks) = crate::report::relations(&log);
    let file = |j: Option<usize>| j.map(|j| log.decisions[j].file_name.clone());
    let side = |r: Relation| ExportLink {
        relation: r.relation,
        target: file(r.other),
        text: r.text,
    };
    let links = links.into_iter().map(|l| l.into_iter().map(side).collect());
    let backlinks = backlinks
        .into_iter()
        .map(|l| l.into_iter().map(side).collect());
    let decisions = log
        .decisions
        .iter()
        .zip(links)
        .zip(backlinks)
        .map(|((d, links), backlinks): ((_, Vec<_>), Vec<_>)| record(d, links, backlinks))
        .collect();
    Ok(Export {
        format: "cairn-export",
        version: EXPORT_VERSION,
        workspace: workspace_name(ws),
        decisions,
    })
}

fn record(d: &Decision, links: Vec<ExportLink>, backlinks: Vec<ExportLink>) -> Record {
    Record {
        file: d.file_name.clone(),
        number: d.number,
        title: d.display_title(),
        status: d.status_kind().as_str().to_string(),
        status_raw: d.status.as_ref().map(|s| s.raw.clone()),
        date: d.date.map(|x| x.to_string()),
        tags: d.tags.clone(),
        people: d.people.clone(),
        planning: d.planning.clone(),
        links,
        backlinks,
        diagnostics: d.diagnostics.clone(),
        body: body(d),
    }
}

fn load(ws: &Workspace) -> Result<Log> {
    let mut log = ws.load()?;
    crate::history::fill_missing(ws, &mut log)?;
    Ok(log)
}

fn workspace_name(ws: &Workspace) -> String {
    ws.root
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// A decision's Markdown after its front matter, or none when it cannot be read or is over
/// the size limit.
fn body(d: &Decision) -> Option<String> {
    let bytes = read_capped(&d.path).ok()?;
    if bytes.len() > MAX_DECISION_BYTES {
        return None;
    }
    let text = String::from_utf8_lossy(&bytes);
    Some(crate::render::body_of(&text, d.body_line).to_string())
}

/// The whole log as one Markdown document: a heading per decision with its status and date,
/// then its body with its own title left out and its headings one level down.
pub fn markdown(ws: &Workspace) -> Result<String> {
    let log = load(ws)?;
    let width = crate::changes::number_width(ws, &log);
    let mut out = format!("# {} — decision log\n", workspace_name(ws));
    for d in &log.decisions {
        let heading = match d.number {
            Some(_) => format!("{}: {}", d.label(width), d.display_title()),
            None => d.display_title(),
        };
        let _ = write!(out, "\n## {}\n\n", heading.replace('\n', " "));
        let mut facts = vec![format!("Status: {}", d.status_kind())];
        if let Some(date) = d.date {
            facts.push(format!("Date: {date}"));
        }
        if !d.tags.is_empty() {
            facts.push(format!("Tags: {}", d.tags.join(", ")));
        }
        let _ = writeln!(out, "*{}*\n", facts.join(" · "));
        match body(d) {
            Some(b) => out.push_str(&demote(&b)),
            None => out.push_str("*The body is not included: the file is over the size limit.*\n"),
        }
    }
    Ok(out)
}

/// `body` with its headings one level down (ATX, `## x` for `# x`; setext headings turned
/// into ATX ones) and its first level-one heading, the title, left out.
fn demote(body: &str) -> String {
    let lines = crate::markdown::lines(body);
    let blocks = crate::markdown::blocks(&lines, 0);
    let mut replace: Vec<Option<String>> = vec![None; lines.len()];
    let mut skip = vec![false; lines.len()];
    let mut title_dropped = false;
    for h in &blocks.headings {
        let atx = lines[h.line].trim_start().starts_with('#');
        if !atx {
            // A setext heading's text lines run to its underline, which is dropped.
            let end = (h.line + 1..lines.len())
                .find(|&k| is_underline(lines[k]))
                .unwrap_or(h.line);
            skip[h.line + 1..=end.max(h.line)].fill(true);
        }
        if h.level == 1 && !title_dropped {
            title_dropped = true;
            skip[h.line] = true;
            continue;
        }
        let level = (h.level as usize + 1).min(6);
        replace[h.line] = Some(format!("{} {}", "#".repeat(level), h.text));
    }
    let mut out = String::with_capacity(body.len() + 64);
    for (i, line) in lines.iter().enumerate() {
        if skip[i] {
            continue;
        }
        out.push_str(replace[i].as_deref().unwrap_or(line));
        out.push('\n');
    }
    out.trim_start_matches('\n').to_string()
}

fn is_underline(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty() && (t.chars().all(|c| c == '=') || t.chars().all(|c| c == '-'))
}

#[cfg(test)]
mod tests {
    use super::demote;

    #[test]
    fn demote_drops_the_title_and_moves_headings_down() {
        let body = "# Use Postgres\n\n## Context\n\ntext\n\nDecision\n--------\n\n```\n# not a heading\n```\n";
        assert_eq!(
            demote(body),
            "### Context\n\ntext\n\n### Decision\n\n```\n# not a heading\n```\n"
        );
    }
}

//! Reports built from a decision log: a Markdown table of contents and a graph of the links
//! between decisions (Graphviz DOT or Mermaid). Output is deterministic, so a generated
//! index can be committed and only changes when the log does.

use std::fmt::Write as _;

use crate::decision::{Decision, StatusKind};
use crate::lint::{Resolver, Target};
use crate::workspace::Log;

/// A Markdown index of the log, one list item per decision in log order:
/// `* [ADR 0007: Use PostgreSQL](0007-use-postgresql.md) — accepted (2026-03-02)`.
/// `width` is the number of digits shown in "ADR 0007".
pub fn toc(log: &Log, width: usize) -> String {
    let resolver = Resolver::new(log);
    let mut out = String::from("# Architecture decision records\n\n");
    for d in &log.decisions {
        let title = escape_markdown(&d.display_title());
        let text = match d.number {
            Some(_) => format!("{}: {title}", d.label(width)),
            None => title,
        };
        let _ = write!(out, "* [{text}]({})", link_destination(&d.file_name));
        let mut facts = Vec::new();
        if let Some(status) = status_text(&resolver, d, width) {
            facts.push(status);
        }
        if let Some(date) = d.date {
            facts.push(format!("({date})"));
        }
        if !facts.is_empty() {
            let _ = write!(out, " — {}", facts.join(" "));
        }
        out.push('\n');
    }
    out
}

/// "accepted", "superseded by ADR 0009", or the file's own words for a status Cairn does
/// not know; `None` when the record states none.
fn status_text(resolver: &Resolver, d: &Decision, width: usize) -> Option<String> {
    let status = d.status.as_ref()?;
    Some(match status.kind {
        StatusKind::Superseded => {
            let successors: Vec<String> = d
                .links
                .iter()
                .filter(|l| l.relation == "superseded-by")
                .filter_map(|l| match resolver.target(l) {
                    Target::Found(s) => Some(resolver.decision(s).label(width)),
                    _ => l.target_number.map(|n| format!("ADR {n:0width$}")),
                })
                .collect();
            if successors.is_empty() {
                "superseded".to_string()
            } else {
                format!("superseded by {}", successors.join(", "))
            }
        }
        StatusKind::Unknown => escape_markdown(&status.raw.to_lowercase()),
        kind => kind.as_str().to_string(),
    })
}

/// Escapes the characters that would end or nest a Markdown link text.
fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '[' | ']') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A file name as a Markdown link destination: spaces and parentheses would end it early.
fn link_destination(name: &str) -> String {
    name.replace('%', "%25")
        .replace(' ', "%20")
        .replace('(', "%28")
        .replace(')', "%29")
}

/// The graph languages Cairn writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GraphFormat {
    /// Graphviz: `dot -Tsvg`.
    Dot,
    /// Mermaid flowchart, which GitHub and GitLab render inside Markdown.
    Mermaid,
}

impl std::str::FromStr for GraphFormat {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "dot" | "graphviz" => Ok(GraphFormat::Dot),
            "mermaid" => Ok(GraphFormat::Mermaid),
            other => Err(format!(
                "unknown graph format {other:?}; use dot or mermaid"
            )),
        }
    }
}

/// One drawn edge, between decisions by their index in the log.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Edge {
    pub(crate) from: usize,
    pub(crate) to: usize,
    pub(crate) relation: String,
}

impl Edge {
    /// Relates-to has no direction; it is drawn without an arrow head.
    pub(crate) fn undirected(&self) -> bool {
        self.relation == "relates-to"
    }
}

/// Every link whose target resolves, each fact once: a supersedes/superseded-by pair is one
/// "supersedes" edge from the newer record, amends/amended-by one "amends" edge, and
/// relates-to one edge per pair whichever side (or both) states it.
pub(crate) fn edges(log: &Log) -> Vec<Edge> {
    let resolver = Resolver::new(log);
    let mut out: Vec<Edge> = Vec::new();
    for (i, d) in log.decisions.iter().enumerate() {
        for link in &d.links {
            let Target::Found(j) = resolver.target(link) else {
                continue;
            };
            if j == i {
                continue;
            }
            let (from, to, relation) = match link.relation.as_str() {
                "superseded-by" => (j, i, "supersedes"),
                "amended-by" => (j, i, "amends"),
                "relates-to" => (i.min(j), i.max(j), "relates-to"),
                other => (i, j, other),
            };
            let edge = Edge {
                from,
                to,
                relation: relation.to_string(),
            };
            out.push(edge);
        }
    }
    out.sort();
    out.dedup();
    out
}

/// [`edges`] and, for the pictures of the graph (the app's and the site's), the references in
/// prose as `mentions` edges from the record whose text names the other. A mention of a
/// record the two are already linked with adds nothing: the link says more.
pub(crate) fn graph_edges(log: &Log) -> Vec<Edge> {
    let mut out = edges(log);
    let linked: std::collections::HashSet<(usize, usize)> = out
        .iter()
        .flat_map(|e| [(e.from, e.to), (e.to, e.from)])
        .collect();
    let resolver = Resolver::new(log);
    for (i, d) in log.decisions.iter().enumerate() {
        for m in &d.mentions {
            match resolver.target(m) {
                Target::Found(j) if j != i && !linked.contains(&(i, j)) => out.push(Edge {
                    from: i,
                    to: j,
                    relation: "mentions".to_string(),
                }),
                _ => {}
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// One side of a link between two decisions of a log.
pub(crate) struct Relation {
    pub(crate) relation: String,
    /// The other decision's index in the log, when it is in the log.
    pub(crate) other: Option<usize>,
    /// The link's own words for the other side (for a backlink, the linking record's title).
    pub(crate) text: String,
}

/// For each decision of `log`, the links it states (resolved where the target is in the
/// log) and the links other records state to it: the links both ways that the site's pages
/// and `cairn export` show. References in prose count as links with the relation
/// `mentions` (seen from the other side: "mentioned by").
pub(crate) fn relations(log: &Log) -> (Vec<Vec<Relation>>, Vec<Vec<Relation>>) {
    let resolver = Resolver::new(log);
    let n = log.decisions.len();
    let mut out: Vec<Vec<Relation>> = (0..n).map(|_| Vec::new()).collect();
    let mut back: Vec<Vec<Relation>> = (0..n).map(|_| Vec::new()).collect();
    for (i, d) in log.decisions.iter().enumerate() {
        for link in d.links.iter().chain(&d.mentions) {
            let other = match resolver.target(link) {
                Target::Found(j) if j != i => Some(j),
                _ => None,
            };
            if let Some(j) = other {
                back[j].push(Relation {
                    relation: link.relation.clone(),
                    other: Some(i),
                    text: d.display_title(),
                });
            }
            out[i].push(Relation {
                relation: link.relation.clone(),
                other,
                text: link.target_text.clone(),
            });
        }
    }
    (out, back)
}

/// Node ids that both languages accept unquoted: `adr7`, or `adr_use_x` for records
/// without a number; a suffix keeps ids unique when two files share a number.
fn node_ids(log: &Log) -> Vec<String> {
    let mut ids: Vec<String> = Vec::with_capacity(log.decisions.len());
    for d in &log.decisions {
        let base = match d.number {
            Some(n) => format!("adr{n}"),
            None => {
                let slug: String = d
                    .slug
                    .chars()
                    .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                    .collect();
                format!("adr_{slug}")
            }
        };
        let mut id = base.clone();
        let mut k = 2;
        while ids.contains(&id) {
            id = format!("{base}_{k}");
            k += 1;
        }
        ids.push(id);
    }
    ids
}

/// Records no longer in force, drawn grey and dashed so the live decisions stand out.
fn inactive(d: &Decision) -> bool {
    matches!(
        d.status_kind(),
        StatusKind::Superseded | StatusKind::Rejected | StatusKind::Deprecated
    )
}

fn node_lines(d: &Decision, width: usize) -> (String, String) {
    let head = match d.number {
        Some(_) => d.label(width),
        None => d.file_name.clone(),
    };
    (head, d.display_title())
}

/// A graph of the decisions and the links between them, in `format`.
pub fn graph(log: &Log, format: GraphFormat, width: usize) -> String {
    match format {
        GraphFormat::Dot => dot(log, width),
        GraphFormat::Mermaid => mermaid(log, width),
    }
}

fn dot(log: &Log, width: usize) -> String {
    let ids = node_ids(log);
    let mut out = String::from("digraph decisions {\n");
    out.push_str("  rankdir=LR;\n");
    out.push_str("  node [shape=box, style=\"rounded\", fontname=\"Helvetica\"];\n");
    out.push_str("  edge [fontname=\"Helvetica\", fontsize=10];\n");
    for (d, id) in log.decisions.iter().zip(&ids) {
        let (head, title) = node_lines(d, width);
        let label = format!("{}\\n{}", dot_escape(&head), dot_escape(&title));
        let style = if inactive(d) {
            ", style=\"rounded,dashed\", color=\"gray60\", fontcolor=\"gray40\""
        } else {
            ""
        };
        let _ = writeln!(out, "  {id} [label=\"{label}\"{style}];");
    }
    for e in edges(log) {
        let dir = if e.undirected() {
            ", dir=none, style=dotted"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "  {} -> {} [label=\"{}\"{dir}];",
            ids[e.from],
            ids[e.to],
            dot_escape(&e.relation)
        );
    }
    out.push_str("}\n");
    out
}

/// Escapes text for a DOT double-quoted string; line breaks become spaces.
fn dot_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn mermaid(log: &Log, width: usize) -> String {
    let ids = node_ids(log);
    let mut out = String::from("flowchart LR\n");
    for (d, id) in log.decisions.iter().zip(&ids) {
        let (head, title) = node_lines(d, width);
        let _ = writeln!(
            out,
            "  {id}[\"{}<br/>{}\"]",
            mermaid_escape(&head),
            mermaid_escape(&title)
        );
    }
    for e in edges(log) {
        let arrow = if e.undirected() { "-.-" } else { "-->" };
        let _ = writeln!(
            out,
            "  {} {arrow}|{}| {}",
            ids[e.from],
            mermaid_escape(&e.relation),
            ids[e.to]
        );
    }
    let grey: Vec<&str> = log
        .decisions
        .iter()
        .zip(&ids)
        .filter(|(d, _)| inactive(d))
        .map(|(_, id)| id.as_str())
        .collect();
    if !grey.is_empty() {
        out.push_str(
            "  classDef inactive fill:#f4f4f4,stroke:#999,color:#666,stroke-dasharray:5 5\n",
        );
        let _ = writeln!(out, "  class {} inactive", grey.join(","));
    }
    out
}

/// Escapes text for a quoted Mermaid label with Mermaid's `#name;` entity codes, which it
/// turns back into characters when it renders; nothing in a title can close the label or
/// inject markup.
fn mermaid_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '|' => out.push_str("#124;"),
            '`' => out.push_str("#96;"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn demo() -> Log {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../adr-templates/demo");
        crate::Workspace::open(&root)
            .and_then(|ws| ws.load())
            .expect("demo workspace loads")
    }

    fn log(files: &[(&str, &str)]) -> Log {
        Log::of_texts(files)
    }

    #[test]
    fn demo_toc() {
        insta::assert_snapshot!(toc(&demo(), 4));
    }

    #[test]
    fn demo_dot() {
        insta::assert_snapshot!(graph(&demo(), GraphFormat::Dot, 4));
    }

    #[test]
    fn demo_mermaid() {
        insta::assert_snapshot!(graph(&demo(), GraphFormat::Mermaid, 4));
    }

    #[test]
    fn toc_escapes_titles_and_shows_successors() {
        let l = log(&[
            (
                "0001-a.md",
                "# 1. Use [brackets] \\o/\n\nDate: 2024-01-01\n\n## Status\n\nSuperseded by [2. B](0002-b.md)\n",
            ),
            (
                "0002-b.md",
                "# 2. B\n\nDate: 2024-01-02\n\n## Status\n\nAccepted\n\nSupersedes [1. A](0001-a.md)\n",
            ),
            ("use slugs (v2).md", "# Use slugs\n"),
        ]);
        assert_eq!(
            toc(&l, 3),
            "# Architecture decision records\n\n\
             * [ADR 001: Use \\[brackets\\] \\\\o/](0001-a.md) — superseded by ADR 002 (2024-01-01)\n\
             * [ADR 002: B](0002-b.md) — accepted (2024-01-02)\n\
             * [Use slugs](use%20slugs%20%28v2%29.md)\n"
        );
    }

    #[test]
    fn mutual_links_are_drawn_once() {
        let l = log(&[
            (
                "0001-a.md",
                "---\nstatus: superseded\nsuperseded-by: [ADR-0002]\namended-by: [ADR-0003]\nrelates-to: [ADR-0003]\n---\n# A\n",
            ),
            (
                "0002-b.md",
                "---\nstatus: accepted\nsupersedes: [ADR-0001]\nrelates-to: [ADR-0009]\n---\n# B \"quoted\" <b>#1</b>\n",
            ),
            (
                "0003-c.md",
                "---\nstatus: accepted\namends: [ADR-0001]\nrelates-to: [ADR-0001]\n---\n# C\n",
            ),
        ]);
        let e: Vec<_> = edges(&l)
            .into_iter()
            .map(|e| (e.from, e.to, e.relation))
            .collect();
        assert_eq!(
            e,
            [
                (0, 2, "relates-to".to_string()),
                (1, 0, "supersedes".to_string()),
                (2, 0, "amends".to_string()),
            ]
        );
        let dot = graph(&l, GraphFormat::Dot, 4);
        assert_eq!(dot.matches(" -> ").count(), 3, "{dot}");
        assert!(
            dot.contains(r#"adr2 [label="ADR 0002\nB \"quoted\" <b>#1</b>"];"#),
            "{dot}"
        );
        assert!(
            dot.contains("adr1 [label=\"ADR 0001\\nA\", style=\"rounded,dashed\""),
            "{dot}"
        );
        let mermaid = graph(&l, GraphFormat::Mermaid, 4);
        assert!(
            mermaid
                .contains(r#"adr2["ADR 0002<br/>B #quot;quoted#quot; #lt;b#gt;#35;1#lt;/b#gt;"]"#),
            "{mermaid}"
        );
        assert!(mermaid.contains("adr2 -->|supersedes| adr1"), "{mermaid}");
        assert!(mermaid.contains("adr1 -.-|relates-to| adr3"), "{mermaid}");
        assert!(mermaid.contains("class adr1 inactive"), "{mermaid}");
    }

    #[test]
    fn duplicate_numbers_and_unnumbered_records_get_distinct_ids() {
        let l = log(&[
            ("0001-a.md", "# A\n"),
            ("0001-b.md", "# B\n"),
            ("use-x.md", "# X\n"),
        ]);
        assert_eq!(node_ids(&l), ["adr1", "adr1_2", "adr_use_x"]);
    }

    #[test]
    fn graph_formats_parse() {
        assert_eq!("DOT".parse(), Ok(GraphFormat::Dot));
        assert_eq!("mermaid".parse(), Ok(GraphFormat::Mermaid));
        assert!("svg".parse::<GraphFormat>().is_err());
    }
}

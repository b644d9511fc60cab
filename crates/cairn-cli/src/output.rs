//! Human-readable output: aligned lists and a readable view of one decision.

use std::fmt::Write;

use cairn_core::catalog::{self, Summary};
use cairn_core::{Decision, Log, Workspace};
use chrono::Datelike;

use crate::term;

pub fn width(ws: &Workspace, log: &Log) -> usize {
    cairn_core::changes::number_width(ws, log)
}

/// One line per decision: number, status, date, title, tags; a `!` marks files with
/// diagnostics (`cairn show` or `cairn lint` says what).
pub fn list(decisions: &[&Decision], ws: &Workspace) -> String {
    let _ = ws;
    let rows: Vec<Summary> = decisions.iter().map(|d| catalog::summary(d)).collect();
    list_rows(&rows.iter().collect::<Vec<_>>())
}

/// [`list`] from the log's rows (the catalog `cairn list` reads without parsing every file).
pub fn list_rows(rows: &[&Summary]) -> String {
    let w = rows
        .iter()
        .filter_map(|r| r.number)
        .max()
        .map_or(4, |n| n.to_string().len().max(4));
    // Written straight into one string: a warm list at 10,000 is mostly this and the cache.
    let mut out = String::with_capacity(rows.len() * 96);
    for r in rows {
        match r.number {
            Some(n) => _ = write!(out, "{n:0w$}"),
            None => _ = write!(out, "{:>w$}", "-"),
        }
        out.push_str(if r.problems == 0 { "   " } else { " ! " });
        // A row keeps its file's status words only when the file has a status at all.
        let status = r.status_raw.as_ref().map_or("-", |_| r.status.as_str());
        let _ = write!(out, "{status:<10}  ");
        match r.date {
            Some(x) => _ = write!(out, "{:04}-{:02}-{:02}  ", x.year(), x.month(), x.day()),
            None => out.push_str("-           "),
        }
        out.push_str(&term::line(&r.title));
        if !r.tags.is_empty() {
            let _ = write!(out, "  [{}]", term::line(&r.tags.join(", ")));
        }
        out.push('\n');
    }
    out
}

/// A decision's links, each with its target's number and title when the log has it, and the
/// decisions whose prose mentions it.
fn write_relations(
    out: &mut String,
    d: &Decision,
    log: &catalog::Catalog,
    mentioned_by: &[cairn_core::agent::Backlink],
) {
    for link in &d.links {
        let target = link
            .target_number
            .and_then(|n| log.get_number(n))
            .map_or(link.target_text.clone(), |t| {
                format!("{} {}", t.number.unwrap_or(0), t.title)
            });
        let _ = writeln!(
            out,
            "  {}: {}",
            term::line(&link.label.to_lowercase()),
            term::line(&target)
        );
    }
    for b in mentioned_by {
        let who = b
            .number
            .map_or(b.file_name.clone(), |n| format!("{n} {}", b.title));
        let _ = writeln!(out, "  mentioned by: {}", term::line(&who));
    }
}

/// Metadata first, then the file's own text.
/// `text` is `None` for a file over the size cap: its metadata is shown, with a note
/// instead of its body.
pub fn show(
    d: &Decision,
    text: Option<&str>,
    log: &catalog::Catalog,
    mentioned_by: &[cairn_core::agent::Backlink],
) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", term::line(&d.display_title()));
    let _ = writeln!(
        out,
        "  file:     {}",
        term::line(&d.path.display().to_string())
    );
    if let Some(n) = d.number {
        let _ = writeln!(out, "  number:   {n}");
    }
    if let Some(s) = &d.status {
        let _ = writeln!(out, "  status:   {} ({})", s.kind, term::line(&s.raw));
    }
    if let Some(date) = d.date {
        let _ = writeln!(out, "  date:     {date}");
    }
    let people: Vec<&String> = d.people.all().collect();
    if !people.is_empty() {
        let names: Vec<&str> = people.iter().map(|s| s.as_str()).collect();
        let _ = writeln!(out, "  people:   {}", term::line(&names.join(", ")));
    }
    if !d.tags.is_empty() {
        let _ = writeln!(out, "  tags:     {}", term::line(&d.tags.join(", ")));
    }
    if let Some(scope) = &d.planning.scope {
        let _ = writeln!(out, "  scope:    {}", term::line(scope));
    }
    if let Some(w) = &d.planning.revisit_when {
        let _ = writeln!(out, "  revisit when: {}", term::line(w));
    }
    if let Some(by) = d.planning.revisit_by {
        let _ = writeln!(out, "  revisit by:   {by}");
    }
    if let Some(by) = d.planning.review_by {
        let _ = writeln!(out, "  review by:    {by}");
    }
    write_relations(&mut out, d, log, mentioned_by);
    for diag in &d.diagnostics {
        let line = diag.line.map_or(String::new(), |l| format!(":{l}"));
        let _ = writeln!(
            out,
            "  {}{line}: {:?}: {}",
            term::line(&d.path.display().to_string()),
            diag.severity,
            term::line(&diag.message)
        );
    }
    out.push('\n');
    let note = cairn_core::view::too_large_note();
    // The body keeps its line breaks and tabs; every other control character is escaped.
    let text = term::text(text.unwrap_or(&note));
    out.push_str(&text);
    if !text.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// Says on stderr when opening the index rebuilt it or could not write, so a slow first
/// search or a stale result is explained.
pub fn index_report(report: &cairn_core::index::OpenReport, json: bool) {
    if json {
        return;
    }
    if let Some(reason) = &report.rebuilt {
        eprintln!("search index rebuilt: {reason}");
    }
    if let Some(why) = &report.read_only {
        eprintln!("search index is read-only: {why}");
    }
}

/// Results with the matched words marked `«…»`, counts per status and tag at the end.
pub fn search(results: &cairn_core::index::SearchResults) -> String {
    let mut out = String::new();
    for hit in &results.hits {
        if hit.kind == "card" {
            // A scope-map card: its id, its column and its map instead of number and status.
            let id = hit.card_id.as_deref().unwrap_or("card");
            let column = hit.column.as_deref().unwrap_or("");
            let map = hit.map.as_deref().unwrap_or("");
            let _ = writeln!(
                out,
                "^{}  {:<10}  {}  (card, {})",
                term::line(id),
                term::line(column),
                term::line(&hit.title),
                term::line(map)
            );
        } else {
            let number = hit.number.map_or("-".to_string(), |n| format!("{n:04}"));
            let _ = writeln!(
                out,
                "{number}  {:<10}  {}",
                term::line(&hit.status),
                term::line(&hit.title)
            );
        }
        let text = &hit.snippet.text;
        let mut marked = String::with_capacity(text.len() + 8);
        let mut last = 0;
        for &(start, end) in &hit.snippet.highlights {
            if start < last
                || end > text.len()
                || !text.is_char_boundary(start)
                || !text.is_char_boundary(end)
            {
                continue;
            }
            marked.push_str(&text[last..start]);
            marked.push('«');
            marked.push_str(&text[start..end]);
            marked.push('»');
            last = end;
        }
        marked.push_str(&text[last..]);
        if !marked.trim().is_empty() {
            let _ = writeln!(out, "      {}", term::line(marked.trim()));
        }
    }
    let counts = |m: &std::collections::BTreeMap<String, usize>| {
        m.iter()
            .map(|(k, v)| format!("{} {v}", term::line(k)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if results.total == 0 {
        out.push_str("no decision matches\n");
        return out;
    }
    let _ = writeln!(
        out,
        "{} result(s); status: {}{}",
        results.total,
        counts(&results.status_counts),
        if results.tag_counts.is_empty() {
            String::new()
        } else {
            format!("; tags: {}", counts(&results.tag_counts))
        }
    );
    out
}

/// Created, last changed, then every version newest first.
pub fn history(d: &Decision, file: &cairn_core::history::FileHistory) -> String {
    let short = |c: &str| c.chars().take(10).collect::<String>();
    let mut out = String::new();
    let _ = writeln!(out, "{}", term::line(&d.display_title()));
    let _ = writeln!(
        out,
        "  created       {} by {} ({})",
        file.created.date.format("%Y-%m-%d %H:%M"),
        term::line(&file.created.author),
        short(&file.created.commit)
    );
    let _ = writeln!(
        out,
        "  last changed  {} by {} ({})",
        file.last_changed.date.format("%Y-%m-%d %H:%M"),
        term::line(&file.last_changed.author),
        short(&file.last_changed.commit)
    );
    let _ = writeln!(out, "  {} version(s):", file.versions.len());
    for v in &file.versions {
        let _ = writeln!(
            out,
            "    {}  {}  {:<20}  {}",
            short(&v.commit),
            v.date.format("%Y-%m-%d"),
            term::line(&v.author),
            term::line(&v.summary)
        );
    }
    out
}

/// Lines marked `+`, `-` or ` `, as `git diff` shows them; with `colour`, added lines are
/// green and removed ones red. The colour codes wrap the line after it is escaped, so a
/// control character from the file still cannot reach the terminal raw.
pub fn diff(lines: &[cairn_core::history::DiffLine], colour: bool) -> String {
    use cairn_core::history::LineKind;
    let mut out = String::new();
    for l in lines {
        let (mark, start) = match l.kind {
            LineKind::Added => ('+', "\x1b[32m"),
            LineKind::Removed => ('-', "\x1b[31m"),
            LineKind::Context => (' ', ""),
        };
        let text = term::text(l.text.trim_end_matches(['\n', '\r']));
        if colour && !start.is_empty() {
            let _ = writeln!(out, "{start}{mark}{text}\x1b[0m");
        } else {
            let _ = writeln!(out, "{mark}{text}");
        }
    }
    out
}

pub fn sync(r: &cairn_core::sync::SyncReport) -> String {
    use cairn_core::sync::Integration;
    let how = match &r.integration {
        Integration::UpToDate => "already up to date".to_string(),
        Integration::FastForward { to, .. } => {
            format!(
                "fast-forwarded to {}",
                to.chars().take(10).collect::<String>()
            )
        }
        Integration::Merged { commit } => {
            format!("merged ({})", commit.chars().take(10).collect::<String>())
        }
    };
    format!(
        "{} ↔ {}: {how}; pushed {} commit(s)",
        term::line(&r.branch),
        term::line(&r.upstream),
        r.pushed
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use cairn_core::history::{DiffLine, LineKind};

    /// The columns line up whatever a row lacks: the format the list had before it was
    /// written by hand, row for row.
    #[test]
    fn list_rows_keep_their_columns_with_and_without_number_date_and_tags() {
        let row = |number, date: Option<&str>, tags: &[&str], problems| Summary {
            file_name: "x.md".into(),
            number,
            title: "Use \u{1b}[31mred".into(),
            status: cairn_core::StatusKind::Accepted,
            status_raw: date.map(|_| "Accepted".into()),
            date: date.map(|d| d.parse().unwrap()),
            tags: tags.iter().map(|t| t.to_string()).collect(),
            scope: None,
            problems,
            mentions: Vec::new(),
            review_by: None,
            card: Default::default(),
        };
        let rows = [
            row(Some(7), Some("2026-02-01"), &["db", "ops"], 0),
            row(None, None, &[], 2),
            row(Some(12345), Some("0999-12-31"), &[], 0),
        ];
        let text = list_rows(&rows.iter().collect::<Vec<_>>());
        assert_eq!(
            text,
            "00007   accepted    2026-02-01  Use \\x1b[31mred  [db, ops]\n\
             \x20   - ! -           -           Use \\x1b[31mred\n\
             12345   accepted    0999-12-31  Use \\x1b[31mred\n"
        );
    }

    fn line(kind: LineKind, text: &str) -> DiffLine {
        DiffLine {
            kind,
            old_line: None,
            new_line: None,
            text: text.to_string(),
        }
    }

    #[test]
    fn diff_colours_added_and_removed_lines_and_keeps_them_escaped() {
        let lines = [
            line(LineKind::Context, "same"),
            line(LineKind::Removed, "old \x1b[2J"),
            line(LineKind::Added, "new"),
        ];
        assert_eq!(diff(&lines, false), " same\n-old \\x1b[2J\n+new\n");
        assert_eq!(
            diff(&lines, true),
            " same\n\x1b[31m-old \\x1b[2J\x1b[0m\n\x1b[32m+new\x1b[0m\n"
        );
    }
}

//! Surgical edits: change the one fact asked for by rewriting only the lines that carry it,
//! in the dialect the file already uses, so every other byte (and the Git diff) stays as it
//! was.

use super::parse::{is_status_statement, layout, normalize_relation, Layout};
use super::{Dialect, StatusKind};
use crate::markdown::lines;

/// What a new link points at, as the source file will write it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkTarget {
    pub number: Option<u32>,
    /// The number as the folder writes it (`0007`), for `ADR-0007` references.
    pub padded: Option<String>,
    pub title: String,
    pub file_name: String,
}

impl LinkTarget {
    /// The link text adr-tools writes: the target's heading without the `# `, which for
    /// numbered records is "N. Title".
    fn text(&self) -> String {
        match self.number {
            Some(n) => format!("{n}. {}", self.title),
            None => self.title.clone(),
        }
    }

    /// The reference front matter uses: `ADR-0007`, or the file name for unnumbered records.
    fn reference(&self) -> String {
        match &self.padded {
            Some(p) => format!("ADR-{p}"),
            None => self.file_name.clone(),
        }
    }

    fn markdown(&self) -> String {
        format!("[{}]({})", self.text(), self.file_name)
    }
}

/// A file held as lines with their own endings, so that untouched lines keep them exactly,
/// mixed endings included.
struct Doc {
    lines: Vec<String>,
    eol: &'static str,
}

impl Doc {
    fn new(text: &str) -> Doc {
        let eol = if text.contains("\r\n") { "\r\n" } else { "\n" };
        Doc {
            lines: text.split_inclusive('\n').map(str::to_string).collect(),
            eol,
        }
    }

    fn layout(&self) -> Layout {
        let text: String = self.lines.concat();
        layout(&lines(&text))
    }

    fn content(&self, i: usize) -> &str {
        let l = &self.lines[i];
        let l = l.strip_suffix('\n').unwrap_or(l);
        l.strip_suffix('\r').unwrap_or(l)
    }

    /// Replaces a line's content, keeping its ending.
    fn replace(&mut self, i: usize, content: &str) {
        let ending = &self.lines[i][self.content(i).len()..];
        self.lines[i] = format!("{content}{ending}");
    }

    /// Inserts whole lines before index `at`. When inserting after a last line that has no
    /// newline, that line gets one, since the new lines follow it.
    fn insert(&mut self, at: usize, new: &[String]) {
        if at == self.lines.len() {
            if let Some(last) = self.lines.last_mut() {
                if !last.ends_with('\n') {
                    last.push_str(self.eol);
                }
            }
        }
        // New lines take the ending of the line they follow, so a file with mixed endings
        // does not gain a third style.
        let eol = at
            .checked_sub(1)
            .and_then(|p| self.lines.get(p))
            .map(|l| if l.ends_with("\r\n") { "\r\n" } else { "\n" })
            .unwrap_or(self.eol);
        for (k, l) in new.iter().enumerate() {
            self.lines.insert(at + k, format!("{l}{eol}"));
        }
    }

    fn remove(&mut self, i: usize) {
        self.lines.remove(i);
    }

    fn is_blank(&self, i: usize) -> bool {
        i < self.lines.len() && self.content(i).trim().is_empty()
    }

    fn finish(self) -> String {
        self.lines.concat()
    }
}

/// Writes a status word in the case the file already uses for it.
fn status_word(kind: StatusKind, existing: Option<&str>, capitalise_by_default: bool) -> String {
    let word = kind.as_str();
    let capital = existing
        .and_then(|e| e.trim().chars().find(|c| c.is_alphabetic()))
        .map_or(capitalise_by_default, char::is_uppercase);
    if capital {
        let mut c = word.chars();
        c.next()
            .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
            .unwrap_or_default()
    } else {
        word.to_string()
    }
}

/// The value part of a `key: value  # comment` line: its byte range.
fn value_range(line: &str) -> Option<(usize, usize)> {
    let colon = line.find(':')?;
    let rest = &line[colon + 1..];
    let start = colon + 1 + (rest.len() - rest.trim_start().len());
    let mut end = line.len();
    if let Some(hash) = line[start..].find(" #") {
        end = start + hash;
    }
    let end = start + line[start..end].trim_end().len();
    Some((start, end.max(start)))
}

fn set_value(doc: &mut Doc, i: usize, value: &str) {
    let line = doc.content(i).to_string();
    if let Some((s, e)) = value_range(&line) {
        let sep = if s == line.find(':').map_or(0, |c| c + 1) {
            " "
        } else {
            ""
        };
        doc.replace(i, &format!("{}{sep}{value}{}", &line[..s], &line[e..]));
    }
}

/// Rewrites the status in a `status: value` or `* Status: value` line. Quotes stay, and so
/// does any clause after a `;`, since it states something else: JabRef writes
/// `status: "accepted; supersedes ADR-0045"`, and the link must survive a status change.
fn set_status_value(doc: &mut Doc, i: usize, kind: StatusKind) {
    let line = doc.content(i).to_string();
    let Some((s, e)) = value_range(&line) else {
        return;
    };
    let value = &line[s..e];
    let quote = ['"', '\'']
        .into_iter()
        .find(|q| value.len() >= 2 && value.starts_with(*q) && value.ends_with(*q));
    let (open, inner, close) = match quote {
        Some(_) => (
            &value[..1],
            &value[1..value.len() - 1],
            &value[value.len() - 1..],
        ),
        None => ("", value, ""),
    };
    let (head, rest) = match inner.find(';') {
        Some(at) => (&inner[..at], &inner[at..]),
        None => (inner, ""),
    };
    let word = status_word(kind, Some(head), false);
    set_value(doc, i, &format!("{open}{word}{rest}{close}"));
}

/// Sets the status everywhere the file states it: front matter, a status tag, a `Status:`
/// bullet, the `## Status` section. Where the file states none, adds it where its dialect
/// keeps it.
pub fn set_status(text: &str, dialect: Dialect, kind: StatusKind) -> String {
    let mut doc = Doc::new(text);
    let l = doc.layout();
    let mut done = false;

    if let Some(i) = l.fm_key("status") {
        set_status_value(&mut doc, i, kind);
        done = true;
    }
    if let Some(i) = l.fm_key("tags") {
        let line = doc.content(i).to_string();
        if let Some((s, e)) = value_range(&line) {
            let value = &line[s..e];
            if let Some(inner) = value.strip_prefix('[').and_then(|v| v.strip_suffix(']')) {
                let items: Vec<&str> = inner.split(',').collect();
                if let Some(pos) = items.iter().position(|t| is_status_tag(t)) {
                    let word = status_word(kind, Some(items[pos]), true);
                    let lead = &items[pos][..items[pos].len() - items[pos].trim_start().len()];
                    let mut new_items: Vec<String> = items.iter().map(|s| s.to_string()).collect();
                    new_items[pos] = format!("{lead}{word}");
                    doc.replace(
                        i,
                        &format!("{}[{}]{}", &line[..s], new_items.join(","), &line[e..]),
                    );
                    done = true;
                }
            }
        }
    }
    if let Some(i) = l.field("status") {
        if value_range(doc.content(i)).is_some() {
            set_status_value(&mut doc, i, kind);
            done = true;
        }
    }
    if let Some((h, _)) = l.status_section {
        match l.status_line {
            Some(i) if is_status_statement(doc.content(i)) => {
                let word = status_word(kind, Some(doc.content(i)), true);
                doc.replace(i, &word);
            }
            // The status is written elsewhere (front matter, a tag) and this section holds
            // prose or only relation lines: leave it be rather than rewrite someone's words.
            _ if done => {}
            // Prose and no status anywhere: the status goes above the prose, which stays.
            Some(i) => {
                let word = status_word(kind, None, true);
                doc.insert(i, &[word, String::new()]);
            }
            None => {
                let word = status_word(kind, None, true);
                let at = if doc.is_blank(h + 1) { h + 2 } else { h + 1 };
                let mut new = vec![word];
                if !doc.is_blank(at) {
                    new.push(String::new());
                }
                if at == h + 1 {
                    new.insert(0, String::new());
                }
                doc.insert(at, &new);
            }
        }
        done = true;
    }
    done = done || set_table_status(&mut doc, &l, kind);
    if !done {
        let word = status_word(kind, None, !dialect.uses_front_matter());
        if let Some((open, _)) = l.front_matter {
            doc.insert(open + 1, &[format!("status: {word}")]);
        } else {
            insert_status_section(&mut doc, &l, vec![word]);
        }
    }
    doc.finish()
}

/// Rewrites the status cell of a metadata table, when the file states its status there.
fn set_table_status(doc: &mut Doc, l: &Layout, kind: StatusKind) -> bool {
    let Some((i, col)) = l.status_cell else {
        return false;
    };
    let line = doc.content(i).to_string();
    match replace_cell(&line, col, |old| status_word(kind, Some(old), true)) {
        Some(new) => {
            doc.replace(i, &new);
            true
        }
        None => false,
    }
}

/// `line`, a table row, with the text of cell `col` (0-based) replaced by what `word` makes
/// of the old text; the cell keeps its padding, and its width where the new text fits.
fn replace_cell(line: &str, col: usize, word: impl Fn(&str) -> String) -> Option<String> {
    let pipes: Vec<usize> = line.match_indices('|').map(|(i, _)| i).collect();
    let leading = line.trim_start().starts_with('|');
    let (start, end) = if leading {
        (
            pipes.get(col)? + 1,
            pipes.get(col + 1).copied().unwrap_or(line.len()),
        )
    } else {
        let start = if col == 0 { 0 } else { pipes.get(col - 1)? + 1 };
        (start, pipes.get(col).copied().unwrap_or(line.len()))
    };
    let cell = &line[start..end];
    let old = cell.trim();
    let lead = &cell[..cell.len() - cell.trim_start().len()];
    let new = word(old);
    let pad = cell.len().saturating_sub(lead.len() + new.len()).max(1);
    let trailing = if end == line.len() {
        ""
    } else {
        &" ".repeat(pad)
    };
    Some(format!(
        "{}{lead}{new}{trailing}{}",
        &line[..start],
        &line[end..]
    ))
}

fn is_status_tag(tag: &str) -> bool {
    let t = tag.trim().trim_matches(['"', '\'']);
    t.split_whitespace().count() == 1 && StatusKind::classify(t) != StatusKind::Unknown
}

/// Adds a `## Status` section holding `body` lines, after the title block and before the
/// first section, the place adr-tools gives it.
fn insert_status_section(doc: &mut Doc, l: &Layout, body: Vec<String>) {
    let first_section = l
        .headings
        .iter()
        .find(|(level, _, i)| *level >= 2 && Some(*i) != l.title_line)
        .map(|(_, _, i)| *i);
    let mut new = vec!["## Status".to_string(), String::new()];
    new.extend(body);
    new.push(String::new());
    match first_section {
        Some(at) => doc.insert(at, &new),
        None => {
            let at = doc.lines.len();
            if at > 0 && !doc.is_blank(at - 1) {
                new.insert(0, String::new());
            }
            doc.insert(at, &new);
        }
    }
}

/// Adds a link from this file to `target`, written as this file's dialect writes links:
/// an adr-tools line at the end of the `## Status` section, a `Label: [..](..)` bullet, or
/// a `relation: [ADR-0007]` front-matter key.
pub fn add_link(text: &str, dialect: Dialect, label: &str, target: &LinkTarget) -> String {
    let mut doc = Doc::new(text);
    let l = doc.layout();
    if dialect.uses_front_matter() && l.front_matter.is_some() {
        add_front_matter_ref(
            &mut doc,
            &l,
            &normalize_relation(label),
            &target.reference(),
        );
    } else if dialect == Dialect::MadrBullets && !l.fields.is_empty() {
        let last = l.fields.iter().map(|(_, i)| *i).max().unwrap_or(0);
        let marker = doc.content(last).trim_start().chars().next().unwrap_or('-');
        doc.insert(
            last + 1,
            &[format!("{marker} {label}: {}", target.markdown())],
        );
    } else {
        add_status_line(&mut doc, &l, format!("{label} {}", target.markdown()));
    }
    doc.finish()
}

/// Appends a line and a blank line at the end of the status section, exactly as adr-tools'
/// `_adr_add_link` does, creating the section when there is none.
fn add_status_line(doc: &mut Doc, l: &Layout, line: String) {
    match l.status_section {
        Some((_, end)) => {
            if end == doc.lines.len() {
                let mut new = Vec::new();
                if !doc.is_blank(end.saturating_sub(1)) {
                    new.push(String::new());
                }
                new.push(line);
                doc.insert(end, &new);
            } else {
                doc.insert(end, &[line, String::new()]);
            }
        }
        None => insert_status_section(doc, l, vec![line]),
    }
}

fn add_front_matter_ref(doc: &mut Doc, l: &Layout, key: &str, reference: &str) {
    let Some((_, close)) = l.front_matter else {
        return;
    };
    let found = l
        .fm_keys
        .iter()
        .find(|(k, _)| normalize_relation(k) == key)
        .map(|(_, i)| *i);
    let Some(i) = found else {
        doc.insert(close, &[format!("{key}: [{reference}]")]);
        return;
    };
    let line = doc.content(i).to_string();
    let Some((s, e)) = value_range(&line) else {
        return;
    };
    let value = line[s..e].to_string();
    if let Some(inner) = value.strip_prefix('[').and_then(|v| v.strip_suffix(']')) {
        let new = if inner.trim().is_empty() {
            format!("[{reference}]")
        } else {
            format!("[{inner}, {reference}]")
        };
        doc.replace(i, &format!("{}{new}{}", &line[..s], &line[e..]));
    } else if value.is_empty() {
        // A block list follows the key: add an item after its last one, same indentation.
        let mut last = i;
        let mut indent = "  ".to_string();
        for j in i + 1..close {
            let c = doc.content(j);
            if c.trim_start().starts_with("- ") {
                last = j;
                indent = c[..c.len() - c.trim_start().len()].to_string();
            } else if !c.trim().is_empty() {
                break;
            }
        }
        if last == i {
            doc.replace(
                i,
                &format!(
                    "{}{}[{reference}]",
                    &line[..s],
                    if line[..s].ends_with(' ') { "" } else { " " }
                ),
            );
        } else {
            doc.insert(last + 1, &[format!("{indent}- {reference}")]);
        }
    } else {
        doc.replace(
            i,
            &format!("{}[{value}, {reference}]{}", &line[..s], &line[e..]),
        );
    }
}

/// Marks a decision as superseded by `by`: the status and the back link, in this file's
/// dialect. In an adr-tools folder the result is what `adr new -s` writes: the bare status
/// line goes and a "Superseded by" line takes its place at the end of the section.
pub fn supersede_target(text: &str, dialect: Dialect, by: &LinkTarget) -> String {
    match dialect {
        Dialect::Madr | Dialect::Cairn | Dialect::StaticSite => {
            let t = set_status(text, dialect, StatusKind::Superseded);
            add_link(&t, dialect, "Superseded by", by)
        }
        Dialect::MadrBullets => {
            let mut doc = Doc::new(text);
            let l = doc.layout();
            match l.field("status") {
                Some(i) => {
                    let line = doc.content(i).to_string();
                    if let Some((s, e)) = value_range(&line) {
                        let word = status_word(StatusKind::Superseded, Some(&line[s..e]), false);
                        doc.replace(
                            i,
                            &format!("{}{word} by {}{}", &line[..s], by.markdown(), &line[e..]),
                        );
                    }
                    doc.finish()
                }
                None => add_link(text, Dialect::Nygard, "Superseded by", by),
            }
        }
        Dialect::Nygard | Dialect::Plain => {
            let linked = add_link(text, Dialect::Nygard, "Superseded by", by);
            let mut doc = Doc::new(&linked);
            let l = doc.layout();
            if let (Some((h, _)), Some(i)) = (l.status_section, l.status_line) {
                doc.remove(i);
                // Keep one blank line between the heading and what follows, as
                // adr-tools' `_adr_remove_status` does.
                if doc.is_blank(i) && i > h && doc.is_blank(i - 1) {
                    doc.remove(i);
                }
            }
            doc.finish()
        }
    }
}

/// A front-matter line's key, value, and comment with the column it starts at.
type KeyLine<'a> = (&'a str, &'a str, Option<(usize, &'a str)>);

/// The parts of a front-matter line `key: value  # comment`: the value (trimmed) and, when
/// there is one, the comment with the byte column it starts at. A `#` counts as a comment
/// only after whitespace, as in YAML, so `#` inside a word stays part of the value.
fn split_key_line(line: &str) -> Option<KeyLine<'_>> {
    let colon = line.find(':')?;
    let rest = &line[colon + 1..];
    let bytes = rest.as_bytes();
    let hash = (0..bytes.len())
        .find(|&i| bytes[i] == b'#' && (i == 0 || bytes[i - 1].is_ascii_whitespace()));
    let (value, comment) = match hash {
        Some(i) => (&rest[..i], Some((colon + 1 + i, &rest[i..]))),
        None => (rest, None),
    };
    Some((&line[..colon], value.trim(), comment))
}

/// `key: value`, keeping a trailing comment in the column it had where the value leaves
/// room, so that setting and then clearing a key gives back the line it was.
fn key_line(key: &str, value: &str, comment: Option<(usize, &str)>) -> String {
    let mut out = format!("{key}:");
    if !value.is_empty() {
        out.push(' ');
        out.push_str(value);
    }
    if let Some((column, comment)) = comment {
        let pad = column.saturating_sub(out.len()).max(1);
        out.push_str(&" ".repeat(pad));
        out.push_str(comment);
    }
    out
}

/// Lines after a front-matter key that belong to its value (indented block items).
fn continuation(doc: &Doc, key_line: usize, close: usize) -> usize {
    let mut end = key_line + 1;
    while end < close {
        let c = doc.content(end);
        if c.starts_with(' ') || c.starts_with('\t') || c.starts_with("- ") {
            end += 1;
        } else {
            break;
        }
    }
    end
}

/// Sets a top-level front-matter key (`scope: later`), rewriting only its line: an existing
/// value is replaced with any trailing comment kept in place, a missing key is added just
/// before the closing `---`. Returns `None` when the file has no front matter: where Cairn
/// would have to invent one, the caller decides (see `scope::ops` for why it refuses).
pub fn set_front_matter_key(text: &str, key: &str, value: &str) -> Option<String> {
    let mut doc = Doc::new(text);
    let l = doc.layout();
    let (_, close) = l.front_matter?;
    match l.fm_key(key) {
        Some(i) => {
            let line = doc.content(i).to_string();
            let (name, _, comment) = split_key_line(&line)?;
            let end = continuation(&doc, i, close);
            for j in (i + 1..end).rev() {
                doc.remove(j);
            }
            doc.replace(i, &key_line(name, value, comment));
        }
        None => doc.insert(close, &[format!("{key}: {value}")]),
    }
    Some(doc.finish())
}

/// Clears a top-level front-matter key. A line that carries a comment (the Cairn template's
/// `scope:   # now | later | wont`) keeps its key and comment with an empty value, so the
/// hint stays for the next reader; a bare `key: value` line is removed. Returns the text
/// unchanged when the key is absent, and `None` when there is no front matter.
pub fn remove_front_matter_key(text: &str, key: &str) -> Option<String> {
    let mut doc = Doc::new(text);
    let l = doc.layout();
    let (_, close) = l.front_matter?;
    if let Some(i) = l.fm_key(key) {
        let line = doc.content(i).to_string();
        let (name, _, comment) = split_key_line(&line)?;
        let end = continuation(&doc, i, close);
        for j in (i + 1..end).rev() {
            doc.remove(j);
        }
        match comment {
            Some(_) => doc.replace(i, &key_line(name, "", comment)),
            None => doc.remove(i),
        }
    }
    Some(doc.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target() -> LinkTarget {
        LinkTarget {
            number: Some(3),
            padded: Some("0003".into()),
            title: "Use Y".into(),
            file_name: "0003-use-y.md".into(),
        }
    }

    const NYGARD: &str =
        "# 2. Use X\n\nDate: 2017-08-16\n\n## Status\n\nAccepted\n\n## Context\n\nWhy.\n";

    #[test]
    fn a_status_in_a_metadata_table_is_rewritten_in_its_cell() {
        let rows = "# X\n\n| Property   | Value    |\n|---|---|\n| **Status** | Proposed |\n\n## Context\n";
        assert_eq!(
            set_status(rows, Dialect::Plain, StatusKind::Accepted),
            rows.replace("| Proposed |", "| Accepted |")
        );
        let columns = "---\ntitle: Y\n---\n\n| Created    | Status   |\n| ---------- | -------- |\n| 2020-03-31 | Proposed |\n";
        assert_eq!(
            set_status(columns, Dialect::StaticSite, StatusKind::Superseded),
            columns.replace("| Proposed |", "| Superseded |")
        );
    }

    #[test]
    fn nygard_status_changes_one_line() {
        let out = set_status(NYGARD, Dialect::Nygard, StatusKind::Deprecated);
        assert_eq!(out, NYGARD.replace("Accepted", "Deprecated"));
    }

    #[test]
    fn nygard_link_is_written_like_adr_tools() {
        let out = add_link(NYGARD, Dialect::Nygard, "Amends", &target());
        assert_eq!(
            out,
            NYGARD.replace(
                "Accepted\n\n",
                "Accepted\n\nAmends [3. Use Y](0003-use-y.md)\n\n"
            )
        );
    }

    #[test]
    fn nygard_supersede_matches_adr_tools() {
        let out = supersede_target(NYGARD, Dialect::Nygard, &target());
        assert_eq!(
            out,
            NYGARD.replace(
                "Accepted\n\n",
                "Superseded by [3. Use Y](0003-use-y.md)\n\n"
            )
        );
    }

    #[test]
    fn front_matter_edits_keep_everything_else() {
        let src = "---\nstatus: proposed  # ask Ana\ndate: 2026-01-01\nsupersedes: [ADR-0001]\n---\n# T\r\n";
        let out = set_status(src, Dialect::Madr, StatusKind::Accepted);
        assert_eq!(out, src.replace("status: proposed", "status: accepted"));
        let out = add_link(src, Dialect::Madr, "Supersedes", &target());
        assert_eq!(out, src.replace("[ADR-0001]", "[ADR-0001, ADR-0003]"));
        let out = add_link(src, Dialect::Madr, "Relates to", &target());
        assert_eq!(
            out,
            src.replace("---\n# T", "relates-to: [ADR-0003]\n---\n# T")
        );
    }

    #[test]
    fn block_lists_get_a_new_item() {
        let src = "---\nstatus: accepted\nsupersedes:\n  - ADR-0001\ntitle: x\n---\n";
        let out = add_link(src, Dialect::Madr, "Supersedes", &target());
        assert_eq!(
            out,
            src.replace("  - ADR-0001\n", "  - ADR-0001\n  - ADR-0003\n")
        );
    }

    #[test]
    fn status_tags_change_with_the_status() {
        let src = "---\ntitle: X\ntags: [Accepted, db]\n---\n\n## Status\n\nAccepted\n";
        let out = set_status(src, Dialect::StaticSite, StatusKind::Rejected);
        assert_eq!(out, src.replace("Accepted", "Rejected"));
    }

    #[test]
    fn bullets_are_edited_in_place() {
        let src = "# X\n\n- Status: proposed\n- Date: 2020-01-01\n\n## Context\n";
        let out = set_status(src, Dialect::MadrBullets, StatusKind::Accepted);
        assert_eq!(out, src.replace("proposed", "accepted"));
        let out = supersede_target(src, Dialect::MadrBullets, &target());
        assert_eq!(
            out,
            src.replace("proposed", "superseded by [3. Use Y](0003-use-y.md)")
        );
    }

    #[test]
    fn missing_status_is_added_where_the_dialect_keeps_it() {
        let src = "# X\n\nSome text.\n\n## Context\n";
        let out = set_status(src, Dialect::Plain, StatusKind::Proposed);
        assert_eq!(
            out,
            "# X\n\nSome text.\n\n## Status\n\nProposed\n\n## Context\n"
        );
        let src = "---\nnav_order: 3\n---\n# X\n";
        let out = set_status(src, Dialect::StaticSite, StatusKind::Accepted);
        assert_eq!(out, "---\nstatus: accepted\nnav_order: 3\n---\n# X\n");
    }

    /// Decentraland ADR 59 and 71 keep their status in front matter and prose under
    /// `## Status` ("Already being used in Polygon Mainnet."); set_status replaced the prose.
    #[test]
    fn prose_in_a_status_section_is_not_overwritten() {
        let src = "---\nstatus: Living\n---\n\n## Status\n\nAlready being used in production.\n";
        let out = set_status(src, Dialect::StaticSite, StatusKind::Deprecated);
        assert_eq!(out, src.replace("Living", "Deprecated"));
        let src = "# X\n\n## Status\n\nWe use it since March.\n\n## Context\n";
        let out = set_status(src, Dialect::Nygard, StatusKind::Accepted);
        assert_eq!(
            out,
            "# X\n\n## Status\n\nAccepted\n\nWe use it since March.\n\n## Context\n"
        );
    }

    /// A status tag already says it (hydra 017); a section that only holds a relation line
    /// gets no second status.
    #[test]
    fn a_status_stated_in_tags_is_not_added_to_the_section() {
        let src = "---\ntitle: X\ntags: [Superseded]\n---\n\n## Status\n\nSuperseded by [ADR 32](/adr/32)\n";
        let out = set_status(src, Dialect::StaticSite, StatusKind::Accepted);
        assert_eq!(out, src.replace("[Superseded]", "[Accepted]"));
    }

    /// JabRef 0057: `status: "accepted; supersedes ADR-0045"` lost its quotes and its link.
    #[test]
    fn quoted_status_values_keep_their_quotes_and_other_clauses() {
        let src = "---\nstatus: \"accepted; supersedes ADR-0045\"\n---\n# X\n";
        let out = set_status(src, Dialect::StaticSite, StatusKind::Deprecated);
        assert_eq!(out, src.replace("accepted;", "deprecated;"));
        let src = "---\nstatus: 'proposed'\n---\n# X\n";
        let out = set_status(src, Dialect::Madr, StatusKind::Accepted);
        assert_eq!(out, src.replace("proposed", "accepted"));
    }

    #[test]
    fn crlf_and_missing_final_newline_survive() {
        let src = "# 1. X\r\n\r\n## Status\r\n\r\nAccepted";
        let out = add_link(src, Dialect::Nygard, "Amends", &target());
        assert_eq!(
            out,
            "# 1. X\r\n\r\n## Status\r\n\r\nAccepted\r\n\r\nAmends [3. Use Y](0003-use-y.md)\r\n"
        );
    }

    #[test]
    fn front_matter_keys_are_set_and_cleared_on_their_line_only() {
        let src = "---\nstatus: accepted\nscope:            # now | later | wont\nreversibility: one-way\n---\n# X\n";
        let now = set_front_matter_key(src, "scope", "now").unwrap();
        assert_eq!(
            now,
            src.replace("scope:            #", "scope: now        #")
        );
        // Clearing gives back the template's line, comment in its column.
        assert_eq!(remove_front_matter_key(&now, "scope").unwrap(), src);

        let bare = "---\nstatus: accepted\n---\n# X\n";
        let later = set_front_matter_key(bare, "scope", "later").unwrap();
        assert_eq!(later, "---\nstatus: accepted\nscope: later\n---\n# X\n");
        assert_eq!(remove_front_matter_key(&later, "scope").unwrap(), bare);
        assert_eq!(remove_front_matter_key(bare, "scope").unwrap(), bare);

        let block = "---\nscope:\n  - later\ndate: 2026-01-01\n---\n";
        assert_eq!(
            set_front_matter_key(block, "scope", "now").unwrap(),
            "---\nscope: now\ndate: 2026-01-01\n---\n"
        );
        assert_eq!(set_front_matter_key(NYGARD, "scope", "now"), None);
        assert_eq!(remove_front_matter_key(NYGARD, "scope"), None);
    }
}

//! Reading a decision file in any dialect into a [`Decision`], and the line [`Layout`] that
//! the surgical edits use to find where each fact is written.

use std::path::Path;
use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate};
use regex::Regex;
use yaml_rust2::Yaml;

use super::filename::FileName;
use super::{Decision, Diagnostic, Dialect, Link, People, Planning, Section, Status, StatusKind};
use crate::frontmatter::{self, scalar};
use crate::markdown::{self, lines};

/// Files above this size are listed but not read: a decision record is prose, and a
/// multi-megabyte file in the folder is almost certainly something else (a log, a dump).
pub const MAX_DECISION_BYTES: usize = 1024 * 1024;

/// Front-matter keys that mark a file as Cairn-native.
const CAIRN_KEYS: [&str; 5] = [
    "scope",
    "revisit-when",
    "revisit-by",
    "reversibility",
    "review-by",
];
/// Front-matter keys that static-site generators own.
const STATIC_SITE_KEYS: [&str; 10] = [
    "title",
    "layout",
    "adr",
    "slug",
    "nav_order",
    "parent",
    "sidebar_position",
    "weight",
    "permalink",
    "sidebar_label",
];

#[allow(
    clippy::expect_used,
    reason = "a fixed pattern: it compiles, or no test passes"
)]
static BULLET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\s{0,3}[*-]\s+(?:\*\*|__)?([A-Za-z][A-Za-z -]*?)(?:\*\*|__)?\s*:(?:\*\*|__)?\s*(.*)$",
    )
    .expect("static regex")
});
#[allow(
    clippy::expect_used,
    reason = "a fixed pattern: it compiles, or no test passes"
)]
static PLAIN_FIELD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\*\*|__)?(Date|Status|Deciders|Decision-makers|Authors?|Tags)(?:\*\*|__)?\s*:(?:\*\*|__)?\s*(.*)$")
        .expect("static regex")
});
/// `Date 09/04/2018`: a date line that forgot its colon (moj-cloud-platform 006).
#[allow(
    clippy::expect_used,
    reason = "a fixed pattern: it compiles, or no test passes"
)]
static BARE_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\*\*|__)?(Date)(?:\*\*|__)?[ \t]+(\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4})\s*$")
        .expect("static regex")
});
/// One Markdown link `[text](target)` at the start of the text.
#[allow(
    clippy::expect_used,
    reason = "a fixed pattern: it compiles, or no test passes"
)]
static MD_LINK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\[([^\]]*)\]\((<[^<>\n]*>|[^)\s]*)\)").expect("static regex"));
/// What may stand between two links of one relation line: "[A](a) and [B](b)", "[A](a), [B](b)".
#[allow(
    clippy::expect_used,
    reason = "a fixed pattern: it compiles, or no test passes"
)]
static LINK_SEPARATOR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?i:\s*(?:,|;|&|\band\b)\s*|\s+)").expect("static regex"));
#[allow(
    clippy::expect_used,
    reason = "a fixed pattern: it compiles, or no test passes"
)]
static TITLE_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?i:adr)?[-\s]*0*(\d{1,6})(?:[.:)]\s*|\s+-?\s*)(\S.*)$").expect("static regex")
});
/// "Review by: 2027-06-01", the review date as an adr-tools Status section holds it.
#[allow(
    clippy::expect_used,
    reason = "a fixed pattern: it compiles, or no test passes"
)]
static REVIEW_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?i)\s*[*-]?\s*(?:\*\*|__)?review[- ]by(?:\*\*|__)?\s*:(?:\*\*|__)?\s*(\S.*?)\s*$",
    )
    .expect("static regex")
});
#[allow(
    clippy::expect_used,
    reason = "a fixed pattern: it compiles, or no test passes"
)]
static REF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:\[\[)?(?:adr)?[-\s#]*0*(\d{1,6})(?:\b.*)?$").expect("static regex")
});

/// Where each fact sits in a file, as 0-based line indexes. Computed once by a single scan
/// and shared by the parser and the surgical edits, so they can never disagree about which
/// line carries the status.
#[derive(Debug, Default, Clone)]
pub(crate) struct Layout {
    /// Opening and closing `---` of the front matter.
    pub front_matter: Option<(usize, usize)>,
    /// Top-level front-matter keys and the line each starts on.
    pub fm_keys: Vec<(String, usize)>,
    pub title_line: Option<usize>,
    /// `* Key: value` bullets and `Key: value` lines before the first section.
    pub fields: Vec<(String, usize)>,
    /// The `## Status` heading and the index one past the section's last line.
    pub status_section: Option<(usize, usize)>,
    /// The line inside the status section that states the status.
    pub status_line: Option<usize>,
    pub headings: Vec<(u8, String, usize)>,
    /// Table rows (`| Status | Accepted |`) before the first section, where some logs keep
    /// their metadata.
    pub table_rows: Vec<usize>,
    /// The table cell that states the status, as its line and 0-based column, when a table
    /// above the sections has one (see [`table_status`]).
    pub status_cell: Option<(usize, usize)>,
}

impl Layout {
    pub fn fm_key(&self, key: &str) -> Option<usize> {
        self.fm_keys.iter().find(|(k, _)| k == key).map(|(_, l)| *l)
    }

    /// The text of the heading on 0-based line `i`.
    pub fn heading_text(&self, i: usize) -> Option<&str> {
        self.headings
            .iter()
            .find(|(_, _, line)| *line == i)
            .map(|(_, text, _)| text.as_str())
    }

    pub fn field(&self, key: &str) -> Option<usize> {
        self.fields
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, l)| *l)
    }
}

/// Scans the lines once for the positions of every fact: the front matter and its keys, then
/// the headings and code blocks as pulldown-cmark reads them, then the lines that state a
/// field or the status.
pub(crate) fn layout(lines: &[&str]) -> Layout {
    let mut scan = Scan {
        out: Layout::default(),
        in_status: false,
        before_sections: true,
    };
    let mut start = 0;
    if let Some(bounds) = frontmatter::bounds(lines) {
        scan.out.front_matter = Some(bounds);
        scan.out.fm_keys = frontmatter::keys(lines, bounds);
        start = bounds.1 + 1;
    }
    let blocks = markdown::blocks(lines, start);
    let mut headings = blocks.headings.into_iter().peekable();
    for (i, line) in lines.iter().enumerate().skip(start) {
        if let Some(h) = headings.next_if(|h| h.line == i) {
            scan.heading(h, lines.len());
        } else if !blocks.opaque[i] {
            scan.line(i, line);
        }
    }
    scan.out.status_cell = table_status(lines, &scan.out.table_rows);
    scan.out
}

/// Where a metadata table above the sections states the status: a row
/// `| Status | Accepted |` (the second cell), or a header row with a `Status` column
/// (`| Created | Status |`, a `| --- |` row, then `| 2020-03-31 | Accepted |`).
fn table_status(lines: &[&str], table_rows: &[usize]) -> Option<(usize, usize)> {
    let rows: Vec<(usize, Vec<String>)> = table_rows
        .iter()
        .map(|&i| (i, table_cells(lines[i])))
        .collect();
    let is_status = |cell: &str| cell.eq_ignore_ascii_case("status");
    for (k, (i, cells)) in rows.iter().enumerate() {
        if let [key, value, ..] = cells.as_slice() {
            if is_status(key) && !value.is_empty() && !is_separator(value) {
                return Some((*i, 1));
            }
        }
        if let Some(col) = cells.iter().position(|c| is_status(c)) {
            let sep = rows
                .get(k + 1)
                .filter(|(j, r)| *j == i + 1 && r.iter().all(|c| is_separator(c)));
            let data = rows.get(k + 2).filter(|(j, _)| *j == i + 2);
            if let (Some(_), Some((j, data))) = (sep, data) {
                return data.get(col).filter(|v| !v.is_empty()).map(|_| (*j, col));
            }
        }
    }
    None
}

/// The state of [`layout`]'s one pass: whether it is inside the status section, and whether
/// any section has begun (fields are read only above the first).
struct Scan {
    out: Layout,
    in_status: bool,
    before_sections: bool,
}

impl Scan {
    /// A heading ends the status section; the first `#` is the title and the first
    /// status-like `##` (or deeper) opens the status section.
    fn heading(&mut self, h: markdown::Heading, len: usize) {
        let i = h.line;
        if self.in_status {
            if let Some((start, _)) = self.out.status_section {
                self.out.status_section = Some((start, i));
            }
            self.in_status = false;
        }
        if h.level == 1 && self.out.title_line.is_none() {
            self.out.title_line = Some(i);
        } else if h.level >= 2 {
            self.before_sections = false;
            if self.out.status_section.is_none() && is_status_heading(&h.text) {
                self.out.status_section = Some((i, len));
                self.in_status = true;
            }
        }
        self.out.headings.push((h.level, h.text, i));
    }

    /// A line of prose: the status section's first statement, or a field above the sections.
    fn line(&mut self, i: usize, line: &str) {
        if self.in_status {
            let t = line.trim();
            if self.out.status_line.is_none()
                && !t.is_empty()
                && !is_link_line(t)
                && !REVIEW_LINE.is_match(t)
            {
                self.out.status_line = Some(i);
            }
            return;
        }
        if self.before_sections && line.trim_start().starts_with('|') {
            self.out.table_rows.push(i);
            return;
        }
        if self.before_sections {
            if let Some(c) = BULLET
                .captures(line)
                .or_else(|| PLAIN_FIELD.captures(line))
                .or_else(|| BARE_DATE.captures(line))
            {
                let key = c[1].trim().to_string();
                if is_known_field(&key) || is_link_line(line) {
                    self.out.fields.push((key, i));
                }
            }
        }
    }
}

fn is_status_heading(text: &str) -> bool {
    let t = text.trim().trim_end_matches(':').to_ascii_lowercase();
    t == "status" || t.starts_with("status:") || t.starts_with("status ")
}

fn is_known_field(key: &str) -> bool {
    matches!(
        key.to_ascii_lowercase().as_str(),
        "status"
            | "date"
            | "deciders"
            | "decision-makers"
            | "decision makers"
            | "consulted"
            | "informed"
            | "author"
            | "authors"
            | "tags"
            | "technical story"
            | "review by"
            | "review-by"
    )
}

fn is_link_line(line: &str) -> bool {
    relation_line(line).is_some()
}

/// Reads an adr-tools relation line, "Label [Text](target)", into its label and the
/// links it names ("Superseded by [ADR 23](/adr/23) and [ADR 26](/adr/26)" names two).
/// The label must read like a relation, a few words, so that a sentence that merely ends
/// in a link ("**May 2021 Update** We're moving on … see [021](…)") is not taken for one.
fn relation_line(line: &str) -> Option<(&str, Vec<(&str, &str)>)> {
    let t = line.trim();
    let t = t
        .strip_prefix(['*', '-', '+'])
        .filter(|rest| rest.starts_with([' ', '\t']))
        .map_or(t, str::trim_start);
    let open = t.find('[')?;
    let label = t[..open].trim().trim_end_matches(':').trim();
    if !is_relation_label(label) {
        return None;
    }
    let mut rest = &t[open..];
    let mut links = Vec::new();
    loop {
        let c = MD_LINK.captures(rest)?;
        let (text, target) = (c.get(1)?.as_str(), c.get(2)?.as_str());
        links.push((text, target));
        rest = &rest[c.get(0)?.end()..];
        let tail = rest.trim_end().trim_end_matches('.').trim_end();
        if tail.is_empty() {
            return Some((label, links));
        }
        let sep = LINK_SEPARATOR.find(rest)?;
        rest = &rest[sep.end()..];
    }
}

/// Whether a label reads like a relation: at most five words of letters once decoration
/// (emoji, emphasis) and parenthetical remarks are taken away.
fn is_relation_label(label: &str) -> bool {
    let words = relation_words(label);
    let count = words.split_whitespace().count();
    (1..=5).contains(&count)
        && words
            .chars()
            .all(|c| c.is_alphabetic() || c == ' ' || c == '-' || c == '\'' || c == '_')
}

/// A label's words: without leading emoji and emphasis, without "(remarks)".
fn relation_words(label: &str) -> String {
    let mut out = String::with_capacity(label.len());
    let mut depth = 0usize;
    for c in label.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    let t = out
        .trim()
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .trim_end_matches(['*', '_', ':', ' '])
        .trim();
    t.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Front-matter values, simplified to what the model needs.
#[derive(Debug, Clone)]
enum Value {
    Text(String),
    List(Vec<String>),
}

impl Value {
    fn items(&self) -> Vec<String> {
        match self {
            Value::Text(t) => t
                .split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect(),
            Value::List(l) => l.clone(),
        }
    }

    fn text(&self) -> Option<String> {
        match self {
            Value::Text(t) if !t.trim().is_empty() => Some(t.trim().to_string()),
            Value::Text(_) => None,
            Value::List(l) => (!l.is_empty()).then(|| l.join(", ")),
        }
    }
}

fn to_value(y: &Yaml) -> Option<Value> {
    match y {
        Yaml::Array(items) => Some(Value::List(items.iter().filter_map(scalar).collect())),
        Yaml::Null => Some(Value::Text(String::new())),
        other => scalar(other).map(Value::Text),
    }
}

/// Reads the front matter with a real YAML parser; when the YAML is broken, says where and
/// falls back to reading simple `key: value` lines so the status and title still show.
fn front_matter(
    lines: &[&str],
    layout: &Layout,
    diags: &mut Vec<Diagnostic>,
) -> Vec<(String, Value, usize)> {
    let Some(bounds @ (open, _)) = layout.front_matter else {
        return Vec::new();
    };
    let line_of = |key: &str| layout.fm_key(key).map_or(open + 1, |l| l + 1);
    match frontmatter::load(lines, bounds) {
        Ok(Yaml::Hash(map)) => map
            .iter()
            .filter_map(|(k, v)| {
                let key = scalar(k)?;
                let value = to_value(v)?;
                let line = line_of(&key);
                Some((key, value, line))
            })
            .collect(),
        Ok(Yaml::Null) => Vec::new(),
        Ok(_) => {
            diags.push(Diagnostic::error(
                Some(open + 2),
                "front matter is not a set of `key: value` pairs",
            ));
            Vec::new()
        }
        Err(diag) => {
            diags.push(diag);
            layout
                .fm_keys
                .iter()
                .filter_map(|(key, i)| {
                    let raw = frontmatter::key_value(lines[*i])?.1.trim();
                    let value = if let Some(inner) =
                        raw.strip_prefix('[').and_then(|r| r.strip_suffix(']'))
                    {
                        Value::List(inner.split(',').map(|s| unquote(s.trim())).collect())
                    } else {
                        Value::Text(unquote(raw))
                    };
                    Some((key.clone(), value, i + 1))
                })
                .collect()
        }
    }
}

/// The cells of a Markdown table row, trimmed and without `**`/`__` emphasis.
pub(crate) fn table_cells(line: &str) -> Vec<String> {
    let t = line.trim();
    let t = t.strip_prefix('|').unwrap_or(t);
    let t = t.strip_suffix('|').unwrap_or(t);
    t.split('|')
        .map(|c| {
            let c = c.trim();
            let c = c
                .strip_prefix("**")
                .and_then(|x| x.strip_suffix("**"))
                .or_else(|| c.strip_prefix("__").and_then(|x| x.strip_suffix("__")))
                .unwrap_or(c);
            c.trim().to_string()
        })
        .collect()
}

/// A table's header separator cell: `---`, `:--`, `:-:`.
fn is_separator(cell: &str) -> bool {
    !cell.is_empty() && cell.chars().all(|c| matches!(c, '-' | ':' | ' '))
}

fn unquote(s: &str) -> String {
    let s = s.trim();
    let stripped = s
        .strip_prefix('"')
        .and_then(|r| r.strip_suffix('"'))
        .or_else(|| s.strip_prefix('\'').and_then(|r| r.strip_suffix('\'')));
    stripped.unwrap_or(s).to_string()
}

/// Parses a decision file. Never fails and never panics: whatever cannot be understood is
/// reported in the decision's diagnostics, with the line where it was found.
pub fn parse(path: &Path, bytes: &[u8]) -> Decision {
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = FileName::parse(&file_name);
    let mut decision = Decision {
        path: path.to_path_buf(),
        file_name,
        number: name.number,
        slug: name.slug.clone(),
        title: None,
        status: None,
        date: name.date,
        date_raw: None,
        people: People::default(),
        tags: Vec::new(),
        links: Vec::new(),
        mentions: Vec::new(),
        planning: Planning::default(),
        sections: Vec::new(),
        dialect: Dialect::Plain,
        diagnostics: Vec::new(),
        body_line: 1,
    };

    if bytes.len() > MAX_DECISION_BYTES {
        // Metadata sits at the top, so the lines within the limit still give the title and
        // status; what they alone would report (an unclosed section, …) is noise here.
        let head = &bytes[..MAX_DECISION_BYTES];
        let head = &head[..head.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1)];
        fill(&mut decision, &String::from_utf8_lossy(head));
        decision.diagnostics = vec![Diagnostic::error(
            None,
            format!(
                "file is over the {MAX_DECISION_BYTES} byte limit for a decision record, so \
                 it was not read beyond the metadata at its top; its body is not shown"
            ),
        )];
        return decision;
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => std::borrow::Cow::Borrowed(t),
        Err(e) => {
            let line = bytes[..e.valid_up_to()]
                .iter()
                .filter(|&&b| b == b'\n')
                .count()
                + 1;
            decision.diagnostics.push(Diagnostic::error(
                Some(line),
                "file is not valid UTF-8; invalid bytes are shown as \u{fffd} and Cairn will not edit it",
            ));
            String::from_utf8_lossy(bytes)
        }
    };
    fill(&mut decision, &text);
    decision
}

fn fill(d: &mut Decision, text: &str) {
    let lines = lines(text);
    let layout = layout(&lines);
    let mut diags = Vec::new();
    let fm = front_matter(&lines, &layout, &mut diags);
    if let Some((_, close)) = layout.front_matter {
        d.body_line = close + 2;
    }
    diags.extend(frontmatter::unclosed(&lines));
    let facts = Facts {
        lines: &lines,
        layout: &layout,
        fm: &fm,
    };
    read_title(d, &facts, &mut diags);
    let status = read_tags(d, &facts, facts.status());
    read_links(d, &facts, status.as_ref());
    d.status = resolve_status(status, &d.links, &mut diags);
    read_date(d, &facts, &mut diags);
    read_people(d, &facts);
    read_planning(d, &facts, &mut diags);
    d.sections = layout
        .headings
        .iter()
        .filter(|(level, _, _)| *level >= 2)
        .map(|(level, heading, i)| Section {
            level: *level,
            heading: heading.clone(),
            line: i + 1,
        })
        .collect();
    d.dialect = facts.dialect();
    d.diagnostics.extend(diags);
    let body_start: usize = text
        .split_inclusive('\n')
        .take(d.body_line - 1)
        .map(str::len)
        .sum();
    d.mentions = super::mentions::find(
        text.get(body_start..).unwrap_or_default(),
        d.body_line,
        (d.number, &d.file_name),
        &d.links,
    );
}

/// Where [`fill`]'s readers look up facts: the lines, their layout and the front matter. Each
/// `read_*` function reads one fact from wherever the file's dialect writes it.
struct Facts<'a> {
    lines: &'a [&'a str],
    layout: &'a Layout,
    fm: &'a [(String, Value, usize)],
}

impl Facts<'_> {
    /// A front-matter key (case-insensitive), its value and 1-based line.
    fn get(&self, key: &str) -> Option<&(String, Value, usize)> {
        self.fm.iter().find(|(k, _, _)| k.eq_ignore_ascii_case(key))
    }

    /// A front-matter key's value as text, with its 1-based line.
    fn text_of(&self, key: &str) -> Option<(String, usize)> {
        self.get(key).and_then(|(_, v, l)| Some((v.text()?, *l)))
    }

    /// A `Key: value` field's value, with its 1-based line.
    fn field(&self, key: &str) -> Option<(String, usize)> {
        self.layout
            .field(key)
            .map(|i| (field_value(self.lines[i]), i + 1))
    }

    /// The status as written, from wherever this dialect writes it; the first source found
    /// wins: front matter, a `Status:` field, then the status section (inline in its heading,
    /// "## Status: Accepted", or its first statement).
    fn status(&self) -> Option<(String, usize)> {
        if let Some(found) = self.text_of("status").or_else(|| self.field("status")) {
            return Some(found);
        }
        let Some((h, _)) = self.layout.status_section else {
            return self.table_status();
        };
        let inline = self
            .layout
            .heading_text(h)
            .and_then(|t| t.split_once(':').map(|(_, v)| v.trim().to_string()))
            .filter(|v| !v.is_empty());
        match inline {
            Some(inline) => Some((inline, h + 1)),
            None => {
                let i = self.layout.status_line?;
                Some((clean_status(self.lines[i]), i + 1))
            }
        }
    }

    /// The review date as written, from wherever this dialect keeps metadata: front matter,
    /// a `Review by:` bullet or field, or a `Review by: …` line of the Status section.
    fn review_by(&self) -> Option<(String, usize)> {
        if let Some(found) = self
            .text_of("review-by")
            .or_else(|| self.field("review-by"))
            .or_else(|| self.field("review by"))
        {
            return Some(found);
        }
        let (h, end) = self.layout.status_section?;
        (h + 1..end).find_map(|i| {
            let c = REVIEW_LINE.captures(self.lines.get(i)?)?;
            Some((c.get(1)?.as_str().to_string(), i + 1))
        })
    }

    /// The status in a metadata table above the sections, when the layout found one.
    fn table_status(&self) -> Option<(String, usize)> {
        let (i, col) = self.layout.status_cell?;
        let cells = table_cells(self.lines[i]);
        Some((clean_status(cells.get(col)?), i + 1))
    }

    /// The dialect, from where the metadata was found.
    fn dialect(&self) -> Dialect {
        let layout = self.layout;
        if layout.front_matter.is_some() {
            let has = |keys: &[&str]| self.fm.iter().any(|(k, _, _)| keys.contains(&k.as_str()));
            if has(&CAIRN_KEYS) {
                Dialect::Cairn
            } else if has(&STATIC_SITE_KEYS) {
                Dialect::StaticSite
            } else {
                Dialect::Madr
            }
        } else if !layout.fields.is_empty()
            && layout
                .fields
                .iter()
                .any(|(k, i)| k.eq_ignore_ascii_case("status") && BULLET.is_match(self.lines[*i]))
        {
            Dialect::MadrBullets
        } else if layout.status_section.is_some() || layout.field("date").is_some() {
            Dialect::Nygard
        } else {
            Dialect::Plain
        }
    }
}

/// Title: the front matter's `title` (static sites), else the first level-1 heading; a
/// number in it is this record's number when the file name has none (or `adr:` gives it).
fn read_title(d: &mut Decision, facts: &Facts, diags: &mut Vec<Diagnostic>) {
    let (raw_title, title_line) = match facts.text_of("title") {
        Some((t, l)) => (Some(t), Some(l)),
        None => match facts.layout.title_line {
            Some(i) => (
                facts.layout.heading_text(i).map(str::to_string),
                Some(i + 1),
            ),
            None => (None, None),
        },
    };
    match raw_title.filter(|t| !t.is_empty()) {
        Some(t) => {
            let (title, mismatch) = strip_title_number(&t, &mut d.number);
            if let (Some(said), Some(n)) = (mismatch, d.number) {
                diags.push(Diagnostic::warning(
                    title_line,
                    format!("the title is numbered {said} but the file name says {n}; the title was probably copied from another record"),
                ));
            }
            d.title = Some(title);
        }
        None => {
            let from_name = title_from_slug(&d.slug);
            diags.push(Diagnostic::warning(
                title_line,
                format!(
                    "no title: expected a `# Title` heading or a `title:` key; the title \
                     {from_name:?} is made from the file name"
                ),
            ));
            d.title = (!from_name.is_empty()).then_some(from_name);
        }
    }
    if d.number.is_none() {
        if let Some(n) = facts.text_of("adr").and_then(|(t, _)| t.parse().ok()) {
            d.number = Some(n);
        }
    }
}

/// A title for a record that states none, from its file name's slug: words in sentence
/// case ("use-postgres_now" → "Use postgres now"), the rest of each word as written.
fn title_from_slug(slug: &str) -> String {
    let words = slug
        .split(['-', '_', ' '])
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Front-matter `tags`: a one-word status among them ("tags: [Accepted]", static sites) is
/// the status when nothing else stated one, and not a tag; the rest are tags.
fn read_tags(
    d: &mut Decision,
    facts: &Facts,
    mut status: Option<(String, usize)>,
) -> Option<(String, usize)> {
    if let Some((_, v, l)) = facts.get("tags") {
        for tag in v.items() {
            let kind = StatusKind::classify(&tag);
            if kind != StatusKind::Unknown && tag.split_whitespace().count() == 1 {
                if status.is_none() {
                    status = Some((tag, *l));
                }
            } else {
                d.tags.push(tag);
            }
        }
    }
    status
}

/// Links: adr-tools lines in the status section, MADR bullets, front-matter keys, and what
/// the status itself names ("superseded by ADR-0005"), each once.
fn read_links(d: &mut Decision, facts: &Facts, status: Option<&(String, usize)>) {
    let lines = facts.lines;
    if let Some((h, end)) = facts.layout.status_section {
        for (i, line) in lines.iter().enumerate().take(end).skip(h + 1) {
            d.links.extend(links_from_line(line, i + 1));
        }
    }
    for (key, i) in &facts.layout.fields {
        if key.eq_ignore_ascii_case("status") {
            d.links
                .extend(links_from_line(&field_value(lines[*i]), i + 1));
        } else if !is_known_field(key) {
            d.links.extend(links_from_line(lines[*i], i + 1));
        }
    }
    for (key, value, line) in facts.fm {
        if let Some(relation) = front_matter_relation(key) {
            for item in value.items() {
                d.links
                    .push(link_from_reference(relation, key, &item, *line));
            }
        }
    }
    if let Some((text, line)) = status {
        for link in links_from_status(text, *line) {
            if !d.links.iter().any(|l| {
                l.relation == link.relation
                    && l.line == link.line
                    && l.target_text == link.target_text
            }) {
                d.links.push(link);
            }
        }
    }
}

/// The status: the one written, unless a "Superseded by" link says more; an unknown word is
/// kept and reported.
fn resolve_status(
    status: Option<(String, usize)>,
    links: &[Link],
    diags: &mut Vec<Diagnostic>,
) -> Option<Status> {
    let superseded_by = links
        .iter()
        .find(|l| l.relation == "superseded-by")
        .map(|l| Status {
            raw: "Superseded".into(),
            kind: StatusKind::Superseded,
            line: l.line,
        });
    let status = match status {
        // adr-tools replaces the status line with "Superseded by [..]"; what the section
        // then starts with may be prose (an "Update" note), which must not hide that the
        // record is superseded.
        Some((raw, _))
            if superseded_by.is_some()
                && StatusKind::classify(&clean_status(&raw)) == StatusKind::Unknown =>
        {
            superseded_by.clone()
        }
        Some((raw, line)) if !raw.is_empty() => {
            let raw = clean_status(&raw);
            let kind = StatusKind::classify(&raw);
            if kind == StatusKind::Unknown {
                diags.push(Diagnostic::warning(
                    Some(line),
                    format!("unknown status {raw:?}; Cairn reads draft, proposed, accepted, rejected, deprecated, superseded and their common synonyms"),
                ));
            }
            Some(Status { raw, kind, line })
        }
        _ => superseded_by.clone(),
    };
    // adr-tools' `adr new -s` removes only an "Accepted" line, so a superseded record can
    // still state "Proposed": a "Superseded by" link is the stronger fact.
    let overridden = status.as_ref().is_some_and(|s| {
        matches!(
            s.kind,
            StatusKind::Draft | StatusKind::Proposed | StatusKind::Accepted | StatusKind::Unknown
        )
    });
    match superseded_by {
        Some(superseded) if overridden => Some(superseded),
        _ => status,
    }
}

/// Date: front matter, a `Date:` field, else the file name's (already set).
fn read_date(d: &mut Decision, facts: &Facts, diags: &mut Vec<Diagnostic>) {
    let Some((raw, line)) = facts.text_of("date").or_else(|| facts.field("date")) else {
        return;
    };
    match parse_date(&raw) {
        Some(date) => d.date = Some(date),
        None if !raw.is_empty() => {
            diags.push(Diagnostic::warning(
                Some(line),
                format!("date {raw:?} is not a date Cairn can read (use YYYY-MM-DD)"),
            ));
            d.date_raw = Some(raw);
        }
        None => {}
    }
}

/// People, from front-matter lists and `Key: a, b` fields under each key's spellings; and
/// the tags of a `Tags:` field when the front matter gave none.
fn read_people(d: &mut Decision, facts: &Facts) {
    let people = |keys: &[&str]| -> Vec<String> {
        let mut out = Vec::new();
        for key in keys {
            if let Some((_, v, _)) = facts.get(key) {
                out.extend(v.items());
            }
            if let Some((value, _)) = facts.field(key) {
                out.extend(
                    value
                        .split(',')
                        .map(|s| s.trim().to_string())
                        .filter(|s| !s.is_empty()),
                );
            }
        }
        out.dedup();
        out
    };
    d.people = People {
        deciders: people(&[
            "deciders",
            "decision-makers",
            "decision_makers",
            "decision makers",
        ]),
        consulted: people(&["consulted"]),
        informed: people(&["informed"]),
        authors: people(&["authors", "author"]),
    };
    if d.tags.is_empty() {
        if let Some((value, _)) = facts.field("tags") {
            d.tags = value
                .split(',')
                .map(|s| s.trim().trim_start_matches('#').to_string())
                .filter(|s| !s.is_empty())
                .collect();
        }
    }
}

/// Cairn's planning keys: scope, revisit-when, revisit-by and reversibility; a value Cairn
/// cannot use is kept and reported on its line.
fn read_planning(d: &mut Decision, facts: &Facts, diags: &mut Vec<Diagnostic>) {
    if let Some((scope, line)) = facts.text_of("scope") {
        let normal = scope.to_lowercase().replace('\'', "");
        if !matches!(normal.as_str(), "now" | "later" | "wont" | "inbox") {
            diags.push(Diagnostic::warning(
                Some(line),
                format!("scope {scope:?} is not one of now, later, wont"),
            ));
        }
        d.planning.scope = Some(normal);
    }
    d.planning.revisit_when = facts.text_of("revisit-when").map(|(t, _)| t);
    if let Some((raw, line)) = facts.text_of("revisit-by") {
        match parse_date(&raw) {
            Some(date) => d.planning.revisit_by = Some(date),
            None => diags.push(Diagnostic::warning(
                Some(line),
                format!("revisit-by {raw:?} is not a date (use YYYY-MM-DD)"),
            )),
        }
    }
    if let Some((raw, line)) = facts.review_by() {
        match parse_date(&raw) {
            Some(date) => d.planning.review_by = Some(date),
            None => diags.push(Diagnostic::warning(
                Some(line),
                format!("review-by {raw:?} is not a date (use YYYY-MM-DD)"),
            )),
        }
    }
    if let Some((rev, line)) = facts.text_of("reversibility") {
        let normal = rev.to_lowercase();
        if !matches!(normal.as_str(), "one-way" | "two-way") {
            diags.push(Diagnostic::warning(
                Some(line),
                format!("reversibility {rev:?} is not one of one-way, two-way"),
            ));
        }
        d.planning.reversibility = Some(normal);
    }
}

/// Removes a leading decision number from a title ("16. Keep rejected ADRs"), taking the
/// number when the file name had none. A punctuated number that differs from the file
/// name's ("# 3. Networking Outline" in `0033-ip-ranges.md`) is left in the title, since it
/// is not this record's number, and returned so the caller can say so.
fn strip_title_number(title: &str, number: &mut Option<u32>) -> (String, Option<u32>) {
    if let Some(c) = TITLE_NUMBER.captures(title) {
        if let Ok(n) = c[1].parse::<u32>() {
            let punctuated = title[c.get(1).map_or(0, |m| m.end())..]
                .trim_start()
                .starts_with(['.', ':', ')', '-']);
            if *number == Some(n) || (number.is_none() && punctuated) {
                *number = Some(n);
                return (c[2].trim().to_string(), None);
            }
            if punctuated {
                return (title.trim().to_string(), Some(n));
            }
        }
    }
    (title.trim().to_string(), None)
}

/// The value of a `* Key: value` bullet or `Key: value` line.
fn field_value(line: &str) -> String {
    BULLET
        .captures(line)
        .or_else(|| PLAIN_FIELD.captures(line))
        .or_else(|| BARE_DATE.captures(line))
        .map(|c| c[2].trim().to_string())
        .unwrap_or_default()
}

/// Strips list markers, emphasis and emoji from a status line, keeping its words.
fn clean_status(line: &str) -> String {
    let t = line
        .trim()
        .trim_start_matches(['*', '-', '+'])
        .trim()
        .trim_matches(|c: char| c == '*' || c == '_' || c == '`');
    let start = t
        .char_indices()
        .find(|(_, c)| c.is_alphanumeric() || *c == '[')
        .map_or(t.len(), |(i, _)| i);
    t[start..].trim().to_string()
}

/// Whether a line of a `## Status` section states a status ("✅ Accepted", "Partly
/// superseded", "Rejected (see [019](…))") rather than being prose that happens to sit
/// there ("Already being used in Polygon Mainnet."): a recognised status in a few words.
pub(crate) fn is_status_statement(line: &str) -> bool {
    let cleaned = clean_status(line);
    let words = relation_words(&cleaned);
    StatusKind::classify(&words) != StatusKind::Unknown && words.split_whitespace().count() <= 4
}

/// Normalises a relation as written ("Superceded by", "Related to") to its kebab-case name.
pub fn normalize_relation(label: &str) -> String {
    // "⛔️ Superseded (as never implemented) by" is still "superseded by".
    let l = relation_words(label).to_lowercase().replace('_', " ");
    match l.as_str() {
        "supersedes" | "supercedes" => "supersedes".into(),
        "superseded by" | "superceded by" | "superseded-by" | "supersededby" => {
            "superseded-by".into()
        }
        "amends" => "amends".into(),
        "amended by" | "amended-by" => "amended-by".into(),
        "relates to" | "related to" | "related" | "relates-to" | "related-to" | "see also" => {
            "relates-to".into()
        }
        other => super::slugify(other),
    }
}

fn front_matter_relation(key: &str) -> Option<&'static str> {
    match key.to_ascii_lowercase().replace('_', "-").as_str() {
        "supersedes" => Some("supersedes"),
        "superseded-by" | "supersededby" => Some("superseded-by"),
        "amends" => Some("amends"),
        "amended-by" => Some("amended-by"),
        "relates-to" | "related" | "related-to" | "related-adrs" => Some("relates-to"),
        _ => None,
    }
}

fn links_from_line(line: &str, line_no: usize) -> Vec<Link> {
    let Some((label, targets)) = relation_line(line) else {
        return Vec::new();
    };
    let relation = normalize_relation(label);
    if relation.is_empty() {
        return Vec::new();
    }
    targets
        .into_iter()
        // `[x](<0012-a b.md>)`: CommonMark's brackets, the one way to write a space raw.
        .map(|(text, file)| {
            (
                text,
                file.strip_prefix('<')
                    .and_then(|f| f.strip_suffix('>'))
                    .unwrap_or(file),
            )
        })
        .map(|(text, file)| Link {
            relation: relation.clone(),
            label: label.to_string(),
            target_number: number_of_target(file, text),
            target_file: (!file.is_empty()).then(|| file.to_string()),
            target_text: text.to_string(),
            line: line_no,
        })
        .collect()
}

/// A status such as "superseded by ADR-0005" or "Superseded by [5. X](0005-x.md)" also
/// states a link.
///
/// A status can also name what it replaces: "accepted; supersedes ADR-0045" (JabRef).
fn links_from_status(text: &str, line_no: usize) -> Vec<Link> {
    let links = links_from_line(text, line_no);
    if !links.is_empty() {
        return links;
    }
    let mut out = Vec::new();
    for clause in text.split([';', ',']) {
        let clause = clause.trim();
        let lower = clause.to_ascii_lowercase();
        let phrases = [
            ("superseded by", "superseded-by", "Superseded by"),
            ("superceded by", "superseded-by", "Superseded by"),
            ("supersedes", "supersedes", "Supersedes"),
            ("supercedes", "supersedes", "Supersedes"),
        ];
        for (phrase, relation, label) in phrases {
            // `lower` is ASCII-lowercased, so its byte offsets are those of `clause`.
            let Some(at) = lower.find(phrase) else {
                continue;
            };
            let starts_word = clause[..at]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric());
            let reference = clause[at + phrase.len()..].trim();
            if starts_word && !reference.is_empty() {
                out.push(link_from_reference(relation, label, reference, line_no));
            }
            break;
        }
    }
    out
}

fn link_from_reference(relation: &str, label: &str, item: &str, line: usize) -> Link {
    if let Some(mut link) = links_from_line(&format!("x {item}"), line)
        .into_iter()
        .next()
    {
        link.relation = relation.to_string();
        link.label = label.to_string();
        return link;
    }
    let cleaned = item.trim().trim_start_matches("[[").trim_end_matches("]]");
    let file = cleaned.ends_with(".md").then(|| cleaned.to_string());
    Link {
        relation: relation.to_string(),
        label: label.to_string(),
        target_number: number_of_target(file.as_deref().unwrap_or(""), cleaned),
        target_file: file,
        target_text: cleaned.to_string(),
        line,
    }
}

/// The number a link points at: from the target's file name, else from text like
/// "ADR-0009", "9. Title" or "#9".
fn number_of_target(file: &str, text: &str) -> Option<u32> {
    let base = file
        .split(['#', '?'])
        .next()
        .unwrap_or("")
        .rsplit('/')
        .next()
        .unwrap_or("");
    if !base.is_empty() {
        if let Some(n) = FileName::parse(base).number {
            return Some(n);
        }
    }
    REF.captures(text.trim()).and_then(|c| c[1].parse().ok())
}

/// Reads the date formats found in real folders.
pub(crate) fn parse_date(raw: &str) -> Option<NaiveDate> {
    let t = raw.trim().trim_matches(['"', '\'', '*', '_']).trim();
    let head = t.split(['T', ' ']).next().unwrap_or(t);
    // chrono's `%Y` takes any number of digits, so "10/04/18" would read as the year 10.
    // A decision record is never that old: such a reading is a two-digit year.
    let plausible = |d: NaiveDate| (1000..=9999).contains(&d.year()).then_some(d);
    for fmt in ["%Y-%m-%d", "%Y/%m/%d", "%d/%m/%Y", "%d.%m.%Y", "%Y.%m.%d"] {
        if let Some(d) = NaiveDate::parse_from_str(head, fmt)
            .ok()
            .and_then(plausible)
        {
            return Some(d);
        }
    }
    // Two-digit years, day first as in the British folders that write them ("10/04/18").
    for fmt in ["%d/%m/%y", "%d.%m.%y"] {
        if let Some(d) = NaiveDate::parse_from_str(head, fmt)
            .ok()
            .and_then(plausible)
        {
            return Some(d);
        }
    }
    for fmt in ["%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y", "%B %d %Y"] {
        if let Some(d) = NaiveDate::parse_from_str(t, fmt).ok().and_then(plausible) {
            return Some(d);
        }
    }
    NaiveDate::parse_from_str(&format!("{head}-01"), "%Y-%m-%d")
        .ok()
        .and_then(plausible)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(name: &str, text: &str) -> Decision {
        parse(Path::new(name), text.as_bytes())
    }

    #[test]
    fn reads_adr_tools_records_with_links() {
        let d = p(
            "0002-use-x.md",
            "# 2. Use X\n\nDate: 2017-08-16\n\n## Status\n\nSuperseded by [3. Use Y](0003-use-y.md)\n\nAmends [1. Record](0001-record.md)\n\n## Context\n\nText.\n",
        );
        assert_eq!(d.title.as_deref(), Some("Use X"));
        assert_eq!(d.number, Some(2));
        assert_eq!(d.dialect, Dialect::Nygard);
        assert_eq!(d.status_kind(), StatusKind::Superseded);
        assert_eq!(d.date, NaiveDate::from_ymd_opt(2017, 8, 16));
        let rel: Vec<_> = d
            .links
            .iter()
            .map(|l| (l.relation.as_str(), l.target_number))
            .collect();
        assert_eq!(rel, [("superseded-by", Some(3)), ("amends", Some(1))]);
        assert!(d.diagnostics.is_empty(), "{:?}", d.diagnostics);
    }

    #[test]
    fn reads_madr_bullets() {
        let d = p(
            "20201016-use-slugs.md",
            "# Use slugs\n\n- Status: superseded by [Use numbers](20201020-use-numbers.md)\n- Date: 2020-10-16\n- Deciders: Ann, Bob\n\n## Context\n",
        );
        assert_eq!(d.dialect, Dialect::MadrBullets);
        assert_eq!(d.status_kind(), StatusKind::Superseded);
        assert_eq!(d.people.deciders, ["Ann", "Bob"]);
        assert_eq!(d.links.len(), 1);
        assert_eq!(
            d.links[0].target_file.as_deref(),
            Some("20201020-use-numbers.md")
        );
    }

    #[test]
    fn reads_cairn_front_matter() {
        let d = p(
            "0009-defer-x.md",
            "---\nstatus: proposed\ndate: 2026-03-01\ndecision-makers: [Ana, Tom]\ntags: [db, ops]\nscope: later\nrevisit-when: \"p95 > 800 ms\"\nrevisit-by: 2027-03-01\nreversibility: two-way\nsupersedes: [ADR-0003]\n---\n# Defer X\n\n## Context\n",
        );
        assert_eq!(d.dialect, Dialect::Cairn);
        assert_eq!(d.status.as_ref().map(|s| s.line), Some(2));
        assert_eq!(d.tags, ["db", "ops"]);
        assert_eq!(d.planning.scope.as_deref(), Some("later"));
        assert_eq!(d.planning.revisit_by, NaiveDate::from_ymd_opt(2027, 3, 1));
        assert_eq!(d.links[0].target_number, Some(3));
        assert_eq!(d.body_line, 12);
    }

    #[test]
    fn reads_static_site_tags_as_status() {
        let d = p(
            "2022-03-23_016-keep.md",
            "---\nslug: 16\ntitle: |\n  16. Keep Rejected ADRs\nauthors: []\ntags: [Rejected]\n---\n\n## Context\n",
        );
        assert_eq!(d.dialect, Dialect::StaticSite);
        assert_eq!(d.title.as_deref(), Some("Keep Rejected ADRs"));
        assert_eq!(d.status_kind(), StatusKind::Rejected);
        assert!(d.tags.is_empty());
    }

    #[test]
    fn bad_yaml_is_reported_with_its_line_and_the_rest_still_read() {
        let d = p(
            "0001-x.md",
            "---\nstatus: accepted\ntitle: a: b: c\n---\n# X\n",
        );
        let diag = &d.diagnostics[0];
        assert_eq!(diag.line, Some(3));
        assert!(diag.message.contains("not valid YAML"), "{}", diag.message);
        assert_eq!(d.status_kind(), StatusKind::Accepted);
    }

    #[test]
    fn non_utf8_and_huge_files_are_listed_with_an_error() {
        let d = parse(Path::new("0001-x.md"), b"# X\n\nbad \xff byte\n");
        assert_eq!(d.diagnostics[0].line, Some(3));
        assert_eq!(d.title.as_deref(), Some("X"));
        let big = vec![b'a'; MAX_DECISION_BYTES + 1];
        let d = parse(Path::new("0002-big.md"), &big);
        assert!(d.has_errors());
        assert_eq!(d.number, Some(2));
    }

    #[test]
    fn an_alias_bomb_is_refused_on_its_line_and_the_keys_still_read() {
        let mut bomb = String::from("---\nstatus: accepted\na: &a [x,x,x,x,x,x,x,x,x]\n");
        for (prev, name) in ('a'..='h').zip('b'..='i') {
            let refs = vec![format!("*{prev}"); 9].join(",");
            bomb.push_str(&format!("{name}: &{name} [{refs}]\n"));
        }
        bomb.push_str("---\n# Laughs\n");
        let d = p("0001-x.md", &bomb);
        let diag = &d.diagnostics[0];
        assert_eq!(diag.line, Some(7), "e's first alias crosses the bound");
        assert!(
            diag.message.contains("refused: aliases"),
            "{}",
            diag.message
        );
        assert_eq!(d.status_kind(), StatusKind::Accepted);
        assert_eq!(d.title.as_deref(), Some("Laughs"));
    }

    #[test]
    fn deep_yaml_and_markdown_nesting_are_read_without_overflow() {
        let text = format!(
            "---\nstatus: proposed\ntags: {}\n---\n# Deep\n\n{} q\n\n{} i\n",
            "[".repeat(100_000),
            ">".repeat(100_000),
            "- ".repeat(100_000)
        );
        let d = p("0001-x.md", &text);
        assert_eq!(d.diagnostics[0].line, Some(3));
        assert_eq!(d.title.as_deref(), Some("Deep"));
    }

    #[test]
    fn a_huge_file_keeps_the_metadata_at_its_top() {
        let mut text = String::from("# Huge\n\n* Status: accepted\n\n## Context\n");
        text.push_str(&"filler line\n".repeat(MAX_DECISION_BYTES / 12 + 1));
        let d = p("0003-huge.md", &text);
        assert_eq!(d.title.as_deref(), Some("Huge"));
        assert_eq!(d.status_kind(), StatusKind::Accepted);
        assert_eq!(d.diagnostics.len(), 1, "{:?}", d.diagnostics);
        assert!(d.diagnostics[0].message.contains("body is not shown"));
    }

    #[test]
    fn headings_inside_code_fences_are_not_sections() {
        let d = p("0001-x.md", "# X\n\n```\n## Status\n```\n\n## Context\n");
        assert!(d.status.is_none());
        assert_eq!(d.sections.len(), 1);
    }

    /// A setext title ("Use X" over `=====`) is the title, and a setext `Status` heading
    /// opens the status section, as they do in the rendered page.
    #[test]
    fn a_setext_heading_is_the_title_and_a_section() {
        let d = p(
            "0004-use-x.md",
            "Use X\n=====\n\nStatus\n------\n\nAccepted\n\n## Context\n",
        );
        assert_eq!(d.title.as_deref(), Some("Use X"));
        assert_eq!(d.status_kind(), StatusKind::Accepted);
        assert_eq!(d.status.as_ref().map(|s| s.line), Some(7));
        let sections: Vec<_> = d
            .sections
            .iter()
            .map(|s| (s.heading.as_str(), s.line))
            .collect();
        assert_eq!(sections, [("Status", 4), ("Context", 9)]);
        assert!(d.diagnostics.is_empty(), "{:?}", d.diagnostics);
    }

    /// A heading-like line indented four spaces is code; one indented up to three is a
    /// heading, as CommonMark reads them.
    #[test]
    fn a_heading_like_line_in_an_indented_code_block_is_not_a_section() {
        let d = p(
            "0001-x.md",
            "# X\n\nAn example:\n\n    ## Status\n    Rejected\n\n  ## Status\n\nAccepted\n",
        );
        assert_eq!(d.status_kind(), StatusKind::Accepted);
        assert_eq!(d.status.as_ref().map(|s| s.line), Some(10));
        assert_eq!(d.sections.len(), 1);
    }

    /// decentraland ADR-117 comments a draft section out with `<!-- … -->`; what the comment
    /// holds is not a section, nor a status.
    #[test]
    fn a_heading_like_line_in_an_html_block_is_not_a_section() {
        let d = p(
            "0001-x.md",
            "# X\n\n<!--\n## Status\n\nRejected\n-->\n\n## Status\n\nAccepted\n",
        );
        assert_eq!(d.status_kind(), StatusKind::Accepted);
        assert_eq!(d.status.as_ref().map(|s| s.line), Some(11));
        let sections: Vec<_> = d.sections.iter().map(|s| s.line).collect();
        assert_eq!(sections, [9]);
    }

    #[test]
    fn reads_emoji_statuses_and_title_numbers() {
        let d = p(
            "034-EKS-Fargate.md",
            "# 34 EKS Fargate\n\nDate: 2022-01-21\n\n## Status\n\n🤔 Incomplete\n",
        );
        assert_eq!(d.title.as_deref(), Some("EKS Fargate"));
        assert_eq!(
            d.status.as_ref().map(|s| s.raw.as_str()),
            Some("Incomplete")
        );
        assert_eq!(d.status_kind(), StatusKind::Draft);
    }

    #[test]
    fn reads_real_date_formats() {
        assert_eq!(
            parse_date("28/03/2018"),
            NaiveDate::from_ymd_opt(2018, 3, 28)
        );
        assert_eq!(
            parse_date("2020-09-24"),
            NaiveDate::from_ymd_opt(2020, 9, 24)
        );
        assert_eq!(
            parse_date("March 5, 2021"),
            NaiveDate::from_ymd_opt(2021, 3, 5)
        );
        assert_eq!(parse_date("soon"), None);
    }

    /// hydra 018: "Superseded by [ADR 23](/adr/23) and [ADR 26](/adr/26)" names two records;
    /// only the last was read, under the relation "superseded-by-adr-23-adr-23-and".
    #[test]
    fn one_relation_line_can_name_several_records() {
        let d = p(
            "0018-x.md",
            "# 18. X\n\n## Status\n\nSuperseded by [ADR 23](/adr/23) and [ADR 26](/adr/26)\n",
        );
        let got: Vec<_> = d
            .links
            .iter()
            .map(|l| (l.relation.as_str(), l.target_number))
            .collect();
        assert_eq!(
            got,
            [("superseded-by", Some(23)), ("superseded-by", Some(26))]
        );
        assert_eq!(d.status_kind(), StatusKind::Superseded);
    }

    /// hydra 017: "Superseded (as never implemented) by [ADR 32](/adr/32)" and moj 021's
    /// "⛔️ Superseded by [..](..)" are superseded-by links.
    #[test]
    fn remarks_and_emoji_do_not_change_the_relation() {
        assert_eq!(
            normalize_relation("Superseded (as never implemented) by"),
            "superseded-by"
        );
        assert_eq!(normalize_relation("⛔️ Superseded by"), "superseded-by");
        let d = p(
            "0017-x.md",
            "# X\n\n## Status\n\nSuperseded (as never implemented) by [ADR 32](/adr/32)\n",
        );
        assert_eq!(d.links[0].relation, "superseded-by");
        assert_eq!(d.links[0].target_number, Some(32));
    }

    /// moj-cloud-platform 012: a sentence in the status section that ends in a link is not
    /// a relation called "may-2021-update-we-re-looking-to-move-on-…".
    #[test]
    fn a_sentence_ending_in_a_link_is_not_a_relation() {
        let d = p(
            "0012-x.md",
            "# X\n\n## Status\n\nAccepted\n\n**May 2021 Update** We're looking to move on from this, see [021-Multi](https://example.org/021-Multi.md)\n\n## Context\n",
        );
        assert!(d.links.is_empty(), "{:?}", d.links);
        assert_eq!(d.status_kind(), StatusKind::Accepted);
    }

    /// JabRef 0057: `status: "accepted; supersedes ADR-0045"` states a link too.
    #[test]
    fn a_status_that_names_what_it_supersedes_is_a_link() {
        let d = p(
            "0057-x.md",
            "---\nstatus: \"accepted; supersedes ADR-0045\"\n---\n# X\n",
        );
        assert_eq!(d.status_kind(), StatusKind::Accepted);
        assert_eq!(d.links.len(), 1);
        assert_eq!(
            (d.links[0].relation.as_str(), d.links[0].target_number),
            ("supersedes", Some(45))
        );
    }

    /// moj-cloud-platform 006 writes "Date 09/04/2018", without the colon.
    #[test]
    fn a_date_line_without_its_colon_is_read() {
        let d = p(
            "0006-x.md",
            "# X\n\nDate 09/04/2018\n\n## Status\n\nAccepted\n",
        );
        assert_eq!(d.date, NaiveDate::from_ymd_opt(2018, 4, 9));
    }

    /// govuk-aws 0033 is titled "# 3. Networking Outline", copied from ADR 3.
    #[test]
    fn a_title_numbered_for_another_record_is_kept_and_reported() {
        let d = p("0033-ip-ranges.md", "# 3. Networking Outline\n");
        assert_eq!(d.number, Some(33));
        assert_eq!(d.title.as_deref(), Some("3. Networking Outline"));
        assert_eq!(d.diagnostics.len(), 1);
        assert!(d.diagnostics[0].message.contains("numbered 3"));
        assert_eq!(d.diagnostics[0].line, Some(1));
    }

    /// moj-cloud-platform 012 keeps "Update" notes in its status section; once adr-tools
    /// (or Cairn) swaps the status line for "Superseded by [..]", the note came first and
    /// was read as an unknown status.
    #[test]
    fn a_superseded_record_with_notes_in_its_status_section_is_superseded() {
        let d = p(
            "0012-x.md",
            "# X\n\n## Status\n\n**June 2020 Update** We spin up test clusters.\n\nSuperseded by [21. Y](0021-y.md)\n\n## Context\n",
        );
        assert_eq!(d.status_kind(), StatusKind::Superseded);
        assert!(d.diagnostics.is_empty(), "{:?}", d.diagnostics);
    }

    /// moj-cloud-platform 004 writes "Date: 10/04/18", which was read as the year 10.
    #[test]
    fn a_record_without_a_title_is_titled_from_its_file_name_with_a_diagnostic() {
        let d = p(
            "0012-use-PostgreSQL_for-jobs.md",
            "Some prose and nothing else.\n",
        );
        assert_eq!(d.title.as_deref(), Some("Use PostgreSQL for jobs"));
        assert_eq!(d.display_title(), "Use PostgreSQL for jobs");
        let said: Vec<&str> = d.diagnostics.iter().map(|g| g.message.as_str()).collect();
        assert_eq!(said.len(), 1, "{said:?}");
        assert!(said[0].starts_with("no title"), "{said:?}");
        assert!(said[0].contains("\"Use PostgreSQL for jobs\" is made from the file name"));
        let titled = p("0012-x.md", "# Real title\n");
        assert_eq!(titled.title.as_deref(), Some("Real title"));
        assert!(titled.diagnostics.is_empty());
    }

    #[test]
    fn a_status_in_a_metadata_table_is_read() {
        let rows = p(
            "0003-x.md",
            "# ADR-3: X\n\n| Property | Value |\n|---|---|\n| **Status** | ✅ Accepted |\n| Date | 2024-05-01 |\n\n## Context\n",
        );
        let s = rows.status.clone().unwrap();
        assert_eq!(
            (s.raw.as_str(), s.kind, s.line),
            ("Accepted", StatusKind::Accepted, 5)
        );
        let columns = p(
            "adr002-y.md",
            "---\nid: adrs-adr002\ntitle: 'ADR002: Y'\n---\n\n| Created    | Status     |\n| ---------- | ---------- |\n| 2020-03-31 | Superseded |\n\n## Context\n",
        );
        let s = columns.status.clone().unwrap();
        assert_eq!((s.kind, s.line), (StatusKind::Superseded, 8));
        // A table in a section is prose, and a status stated elsewhere wins.
        let later = p(
            "0004-z.md",
            "# Z\n\n## Options\n\n| Status | Accepted |\n|---|---|\n",
        );
        assert!(later.status.is_none());
        let both = p(
            "0005-w.md",
            "# W\n\n* Status: proposed\n\n| Status | Accepted |\n",
        );
        assert_eq!(both.status_kind(), StatusKind::Proposed);
    }

    #[test]
    fn two_digit_years_are_not_the_first_century() {
        assert_eq!(parse_date("10/04/18"), NaiveDate::from_ymd_opt(2018, 4, 10));
        assert_eq!(parse_date("0010-04-18"), None);
    }
}

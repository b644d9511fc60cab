//! Filling a map's Inbox in one go: cards read from a CSV export (GitHub Projects, Jira and
//! Linear name their columns differently) or from a pasted Markdown list, shown as a preview,
//! then written as one commit that one undo takes back.
//!
//! The preview and the import read the same request the same way, so what the user saw is
//! what is written. Cards whose title the map already has are left out: importing the same
//! export twice after a workshop adds nothing the second time.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use super::edit::{self, Target};
use super::map;
use super::ops::{self, BoardChange, Ctx};
use crate::store::Stamp;
use crate::{Error, Result, Workspace};

/// More cards than a workshop sorts in a day; a larger file is more likely the wrong export.
pub const MAX_CARDS: usize = 1000;
/// 5 MiB of text holds far more than [`MAX_CARDS`] rows of any tracker's export.
pub const MAX_BYTES: usize = 5 * 1024 * 1024;
/// A card's description is one line of the map; a longer one is cut with an ellipsis.
const DESCRIPTION_CHARS: usize = 280;

/// How the text is written. `Auto` takes a list for Markdown and anything else for CSV.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum ImportFormat {
    #[default]
    Auto,
    Csv,
    Markdown,
}

/// What to import, and where.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ImportRequest {
    /// The map whose Inbox receives the cards; a new map of that name is created when there
    /// is none.
    pub map: String,
    pub text: String,
    #[serde(default)]
    pub format: ImportFormat,
    /// The CSV column whose values become the cards' `activity` (the story map's backbone).
    #[serde(default)]
    pub activity_column: Option<String>,
    /// Where the text came from, for messages and the commit ("export.csv"); pasted text
    /// has none.
    #[serde(default)]
    pub origin: Option<String>,
}

/// Which CSV columns were read as what.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ColumnMapping {
    pub title: Option<String>,
    pub description: Option<String>,
    /// Every labels column (Jira repeats `Labels` once per label).
    pub labels: Vec<String>,
    /// The tracker's own key or link (`Issue key`, `ID`, `URL`), kept as `source`.
    pub source: Option<String>,
    pub activity: Option<String>,
}

/// One card as it will be written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ImportCard {
    /// 1-based line of the text the card comes from.
    pub line: usize,
    pub title: String,
    pub fields: Vec<(String, String)>,
    /// The map already has a card of this title (or an earlier line has it); it is not
    /// written.
    pub duplicate: bool,
}

/// A line of the text that gives no card, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Skipped {
    pub line: usize,
    pub reason: String,
}

/// What an import would write, for the user to check first.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ImportPreview {
    /// The map's name as it will be written.
    pub map: String,
    /// No map of that name exists yet; the import creates it.
    pub new_map: bool,
    /// The slice the cards go into (the map's Inbox).
    pub slice: String,
    /// The format the text was read in (never `auto`).
    pub format: ImportFormat,
    /// A CSV file's column names, for choosing the activity column.
    pub columns: Vec<String>,
    pub mapping: ColumnMapping,
    pub cards: Vec<ImportCard>,
    pub skipped: Vec<Skipped>,
}

impl ImportPreview {
    /// The cards that will be written.
    pub fn new_cards(&self) -> impl Iterator<Item = &ImportCard> {
        self.cards.iter().filter(|c| !c.duplicate)
    }
}

/// What an import wrote.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Imported {
    pub change: BoardChange,
    /// The new cards' ids, in the order of the text.
    pub added: Vec<String>,
    /// Cards left out because the map already had them.
    pub duplicates: usize,
}

/// The text read into cards, before the map is consulted.
#[derive(Debug)]
struct Parsed {
    format: ImportFormat,
    columns: Vec<String>,
    mapping: ColumnMapping,
    cards: Vec<ImportCard>,
    skipped: Vec<Skipped>,
}

/// Reads the request and compares it with the map, writing nothing.
pub fn preview(ws: &Workspace, req: &ImportRequest) -> Result<ImportPreview> {
    let ctx = Ctx::load(ws)?;
    preview_in(&ctx, req)
}

fn preview_in(ctx: &Ctx, req: &ImportRequest) -> Result<ImportPreview> {
    let parsed = parse(req)?;
    check_fields(ctx, req, &parsed.cards)?;
    let (path, text, _, name) = ops::map_file(ctx, &req.map)?;
    let existing = text.as_deref().map(|t| map::parse(&path, t));
    let slice = ops::slice_for(
        &existing
            .clone()
            .unwrap_or_else(|| map::parse(&path, &edit::new_map(&name))),
        None,
    )?;
    let mut seen: HashSet<String> = existing
        .iter()
        .flat_map(|m| m.cards.iter().map(|c| title_key(&c.title)))
        .collect();
    let mut cards = parsed.cards;
    for c in &mut cards {
        c.duplicate = !seen.insert(title_key(&c.title));
    }
    Ok(ImportPreview {
        map: name,
        new_map: existing.is_none(),
        slice,
        format: parsed.format,
        columns: parsed.columns,
        mapping: parsed.mapping,
        cards,
        skipped: parsed.skipped,
    })
}

/// Writes the preview's new cards at the end of the map's Inbox as one commit, recorded as
/// one undo step. `expected` is the map's stamp as the caller previewed it (absent for a map
/// that did not exist); a map changed since is refused as a conflict.
pub fn import(ws: &Workspace, req: &ImportRequest, expected: Option<&Stamp>) -> Result<Imported> {
    let ctx = Ctx::load(ws)?;
    let preview = preview_in(&ctx, req)?;
    let new: Vec<&ImportCard> = preview.new_cards().collect();
    if new.is_empty() {
        return Err(import_error(
            req,
            1,
            match preview.cards.len() {
                0 => "no cards found".to_string(),
                n => format!("all {n} cards are already on {}", preview.map),
            },
        ));
    }
    let (path, original, stamp, name) = ops::map_file(&ctx, &req.map)?;
    if expected.is_some_and(|e| *e != stamp) {
        return Err(Error::Conflict { path });
    }
    let base = original.clone().unwrap_or_else(|| edit::new_map(&name));
    let mut next = ctx.next_card_number();
    let (mut text, new_ids) = edit::assign_ids(&base, &mut next);
    let mut added = Vec::with_capacity(new.len());
    let target = Target {
        slice: preview.slice.clone(),
        before: None,
    };
    for card in &new {
        let id = format!("c-{next:03}");
        next += 1;
        text = edit::add_card(&path, &text, &target, &card.title, &id, &card.fields)?;
        added.push(id);
    }
    let message = commit_message(req, &name, &preview.slice, added.len());
    let outcome = ops::commit(&ctx, vec![(path.clone(), stamp, original, text)], &message)?;
    let change = BoardChange {
        id: added.first().cloned().unwrap_or_default(),
        path,
        message,
        outcome,
        new_ids,
    };
    Ok(Imported {
        change,
        added,
        duplicates: preview.cards.len() - new.len(),
    })
}

/// Text from a file's bytes: UTF-8 (with or without a byte-order mark), else an error that
/// names the line of the first byte that is not, since spreadsheet programs often save in a
/// legacy code page and the user needs to know to re-export.
pub fn decode(origin: &str, bytes: Vec<u8>) -> Result<String> {
    if bytes.len() > MAX_BYTES {
        return Err(Error::Import {
            origin: origin.to_string(),
            line: 1,
            msg: format!("the file is larger than {MAX_BYTES} bytes, more than an import reads"),
        });
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let line = 1 + e.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count();
        Error::Import {
            origin: origin.to_string(),
            line,
            msg: "not UTF-8 text (save or export it as UTF-8)".into(),
        }
    })
}

fn commit_message(req: &ImportRequest, map: &str, slice: &str, n: usize) -> String {
    let cards = if n == 1 { "card" } else { "cards" };
    match &req.origin {
        Some(o) => format!("Scope {map}: import {n} {cards} into {slice} from {o}"),
        None => format!("Scope {map}: import {n} {cards} into {slice}"),
    }
}

/// Field values the board reasons with (dates, reversibility, decision links) are checked
/// as a single `cairn card add` checks them, naming the line they came from.
fn check_fields(ctx: &Ctx, req: &ImportRequest, cards: &[ImportCard]) -> Result<()> {
    for c in cards {
        for (k, v) in &c.fields {
            ops::check_field(ctx, k, v).map_err(|e| import_error(req, c.line, e.to_string()))?;
        }
    }
    Ok(())
}

/// Titles compare without case and runs of white space, as a person reading the board would.
fn title_key(title: &str) -> String {
    one_line(title).to_lowercase()
}

fn parse(req: &ImportRequest) -> Result<Parsed> {
    if req.text.len() > MAX_BYTES {
        return Err(import_error(
            req,
            1,
            format!(
                "the text is {} bytes; an import reads at most {MAX_BYTES}",
                req.text.len()
            ),
        ));
    }
    let text = req.text.strip_prefix('\u{feff}').unwrap_or(&req.text);
    let parsed = match resolve_format(req.format, text) {
        ImportFormat::Markdown => markdown(text),
        _ => csv_cards(req, text)?,
    };
    if parsed.cards.len() > MAX_CARDS {
        return Err(import_error(
            req,
            1,
            format!(
                "{} cards; an import takes at most {MAX_CARDS} (split the file)",
                parsed.cards.len()
            ),
        ));
    }
    Ok(parsed)
}

/// Markdown when the first line with text is a list item or a heading, else CSV.
fn resolve_format(format: ImportFormat, text: &str) -> ImportFormat {
    if format != ImportFormat::Auto {
        return format;
    }
    let first = text.lines().map(str::trim).find(|l| !l.is_empty());
    match first {
        Some(l) if list_item(l).is_some() || l.starts_with('#') => ImportFormat::Markdown,
        _ => ImportFormat::Csv,
    }
}

fn import_error(req: &ImportRequest, line: usize, msg: impl Into<String>) -> Error {
    Error::Import {
        origin: req
            .origin
            .clone()
            .unwrap_or_else(|| "pasted text".to_string()),
        line,
        msg: msg.into(),
    }
}

/// Collapses every run of white space (line breaks included) to one space: a card's title
/// and fields are one line each in the map.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A title as the map can hold it: one line, and no trailing `^word`, which the map would
/// read as the card's id.
fn clean_title(raw: &str) -> String {
    let t = one_line(raw);
    match t.rsplit_once(' ') {
        Some((head, last)) if last.starts_with('^') => format!("{head} {}", &last[1..]),
        None if t.starts_with('^') => t[1..].to_string(),
        _ => t,
    }
}

fn clip(s: &str, max: usize) -> String {
    let s = one_line(s);
    match s.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", s[..at].trim_end()),
        None => s,
    }
}

// ----- CSV -----

/// Column names each tracker uses, compared without case, spaces, `_` and `-`.
const TITLE: &[&str] = &["title", "summary", "name", "issuetitle", "card", "feature"];
const DESCRIPTION: &[&str] = &["description", "body", "details", "notes"];
const LABELS: &[&str] = &["labels", "label", "tags", "tag"];
const SOURCE: &[&str] = &[
    "issuekey",
    "key",
    "id",
    "identifier",
    "issueid",
    "url",
    "issueurl",
    "link",
];

fn column_key(name: &str) -> String {
    name.chars()
        .filter(|c| !matches!(c, ' ' | '_' | '-'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The first column named like one of `names`, in the order of `names` (so `Issue key`
/// wins over `URL` when a Jira export has both).
fn find_column(headers: &[String], names: &[&str]) -> Option<usize> {
    names
        .iter()
        .find_map(|n| headers.iter().position(|h| column_key(h) == *n))
}

/// Comma for most trackers; Excel in many European locales writes semicolons, and some
/// tools tabs. The header line decides.
fn delimiter(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or("");
    [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|d| header.bytes().filter(|b| b == d).count())
        .unwrap_or(b',')
}

/// Where each field of a card comes from, as column positions.
struct Columns {
    title: usize,
    description: Option<usize>,
    labels: Vec<usize>,
    source: Option<usize>,
    activity: Option<usize>,
}

fn columns(req: &ImportRequest, headers: &[String]) -> Result<(Columns, ColumnMapping)> {
    let title = find_column(headers, TITLE).ok_or_else(|| {
        import_error(
            req,
            1,
            format!(
                "no title column; the header has {} (name one Title, Summary or Name)",
                headers.join(", ")
            ),
        )
    })?;
    let activity = match req.activity_column.as_deref().filter(|a| !a.is_empty()) {
        None => None,
        Some(a) => Some(
            headers
                .iter()
                .position(|h| column_key(h) == column_key(a))
                .ok_or_else(|| {
                    import_error(
                        req,
                        1,
                        format!("no column {a:?}; the header has {}", headers.join(", ")),
                    )
                })?,
        ),
    };
    let labels: Vec<usize> = (0..headers.len())
        .filter(|&i| LABELS.contains(&column_key(&headers[i]).as_str()))
        .collect();
    let cols = Columns {
        title,
        description: find_column(headers, DESCRIPTION),
        source: find_column(headers, SOURCE),
        labels,
        activity,
    };
    let name = |i: Option<usize>| i.map(|i| headers[i].clone());
    let mapping = ColumnMapping {
        title: name(Some(cols.title)),
        description: name(cols.description),
        labels: cols.labels.iter().map(|&i| headers[i].clone()).collect(),
        source: name(cols.source),
        activity: name(cols.activity),
    };
    Ok((cols, mapping))
}

fn csv_cards(req: &ImportRequest, text: &str) -> Result<Parsed> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter(text))
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let headers: Vec<String> = match records.next() {
        Some(r) => r
            .map_err(|e| csv_error(req, &e))?
            .iter()
            .map(|h| h.trim().to_string())
            .collect(),
        None => return Err(import_error(req, 1, "the text is empty")),
    };
    let (cols, mapping) = columns(req, &headers)?;
    let (mut cards, mut skipped) = (Vec::new(), Vec::new());
    for record in records {
        let record = record.map_err(|e| csv_error(req, &e))?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        let cell = |i: usize| record.get(i).unwrap_or("").trim();
        let title = clean_title(cell(cols.title));
        if title.is_empty() {
            if record.iter().any(|c| !c.trim().is_empty()) {
                skipped.push(Skipped {
                    line,
                    reason: "no title".into(),
                });
            }
            continue;
        }
        cards.push(ImportCard {
            line,
            title,
            fields: csv_fields(&cols, &cell),
            duplicate: false,
        });
    }
    Ok(Parsed {
        format: ImportFormat::Csv,
        columns: headers,
        mapping,
        cards,
        skipped,
    })
}

fn csv_fields<'a>(cols: &Columns, cell: &impl Fn(usize) -> &'a str) -> Vec<(String, String)> {
    let mut fields = Vec::new();
    let mut push = |key: &str, value: String| {
        if !value.is_empty() {
            fields.push((key.to_string(), value));
        }
    };
    push("activity", one_line(cols.activity.map_or("", cell)));
    push(
        "description",
        clip(cols.description.map_or("", cell), DESCRIPTION_CHARS),
    );
    push("labels", labels(cols.labels.iter().map(|&i| cell(i))));
    push("source", one_line(cols.source.map_or("", cell)));
    fields
}

/// Labels from every labels column, each cell split on commas, without repeats.
fn labels<'a>(cells: impl Iterator<Item = &'a str>) -> String {
    let mut seen = HashSet::new();
    cells
        .flat_map(|c| c.split([',', ';']))
        .map(one_line)
        .filter(|l| !l.is_empty() && seen.insert(l.to_lowercase()))
        .collect::<Vec<_>>()
        .join(", ")
}

fn csv_error(req: &ImportRequest, e: &csv::Error) -> Error {
    let line = e.position().map_or(1, |p| p.line() as usize);
    let msg = match e.kind() {
        csv::ErrorKind::Utf8 { .. } => "not UTF-8 text (save the export as UTF-8)".to_string(),
        _ => format!("not readable as CSV: {e}"),
    };
    import_error(req, line, msg)
}

// ----- Markdown -----

/// A list item's text after its marker (`-`, `*`, `+`, `1.`, `1)`) and checkbox.
fn list_item(line: &str) -> Option<&str> {
    let rest = line.strip_prefix(['-', '*', '+']).or_else(|| {
        let digits = line.find(|c: char| !c.is_ascii_digit())?;
        (digits > 0)
            .then(|| line[digits..].strip_prefix(['.', ')']))
            .flatten()
    })?;
    if !rest.starts_with([' ', '\t']) {
        return None;
    }
    let rest = rest.trim_start();
    let rest = ["[ ]", "[x]", "[X]"]
        .iter()
        .find_map(|b| rest.strip_prefix(b))
        .unwrap_or(rest);
    Some(rest.trim())
}

/// A nested `key: value` bullet, as scope maps write a card's fields.
fn field_item(text: &str) -> Option<(String, String)> {
    let (k, v) = text.split_once(':')?;
    let k = k.trim();
    let ok = k.len() <= 32
        && k.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    (ok && !v.trim().is_empty()).then(|| (k.to_ascii_lowercase(), one_line(v)))
}

/// The same title without the `^id` a card copied from another map carries; this map gives
/// it a new one.
fn without_id(title: &str) -> &str {
    match title.rsplit_once(char::is_whitespace) {
        Some((head, last)) if last.starts_with('^') && last.len() > 1 => head.trim_end(),
        _ => title,
    }
}

/// Top-level items are cards; nested `key: value` items are their fields and other nested
/// text their description; a heading names the activity of the items under it.
fn markdown(text: &str) -> Parsed {
    let mut cards: Vec<ImportCard> = Vec::new();
    let mut skipped = Vec::new();
    let mut activity: Option<String> = None;
    let mut description: Vec<String> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let nested = raw.starts_with([' ', '\t']);
        let t = raw.trim();
        if t.is_empty() {
            continue;
        }
        if !nested {
            finish(&mut cards, &mut description);
            if let Some(h) = t.strip_prefix('#') {
                activity = Some(one_line(h.trim_start_matches('#'))).filter(|a| !a.is_empty());
            } else if let Some(item) = list_item(t) {
                start_card(&mut cards, &mut skipped, line, item, activity.as_deref());
            } else {
                skipped.push(Skipped {
                    line,
                    reason: "not a list item".into(),
                });
            }
            continue;
        }
        match cards.last_mut() {
            Some(card) => nested_line(card, &mut description, t),
            None => skipped.push(Skipped {
                line,
                reason: "indented text before the first item".into(),
            }),
        }
    }
    finish(&mut cards, &mut description);
    Parsed {
        format: ImportFormat::Markdown,
        columns: Vec::new(),
        mapping: ColumnMapping::default(),
        cards,
        skipped,
    }
}

fn start_card(
    cards: &mut Vec<ImportCard>,
    skipped: &mut Vec<Skipped>,
    line: usize,
    item: &str,
    activity: Option<&str>,
) {
    let title = clean_title(without_id(item));
    if title.is_empty() {
        skipped.push(Skipped {
            line,
            reason: "an empty item".into(),
        });
        return;
    }
    let fields = activity
        .map(|a| vec![("activity".to_string(), a.to_string())])
        .unwrap_or_default();
    cards.push(ImportCard {
        line,
        title,
        fields,
        duplicate: false,
    });
}

/// A nested line of the last card: a field (replacing one the heading gave), or text of its
/// description.
fn nested_line(card: &mut ImportCard, description: &mut Vec<String>, t: &str) {
    let item = list_item(t).unwrap_or(t);
    match field_item(item) {
        Some((k, v)) => {
            card.fields.retain(|(key, _)| *key != k);
            card.fields.push((k, v));
        }
        None => description.push(item.to_string()),
    }
}

/// Gives the last card the description its nested prose made, unless a field set one.
fn finish(cards: &mut [ImportCard], description: &mut Vec<String>) {
    if let (Some(card), false) = (cards.last_mut(), description.is_empty()) {
        if !card.fields.iter().any(|(k, _)| k == "description") {
            let d = clip(&description.join(" "), DESCRIPTION_CHARS);
            card.fields.push(("description".into(), d));
        }
    }
    description.clear();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(text: &str) -> ImportRequest {
        ImportRequest {
            map: "m".into(),
            text: text.into(),
            ..ImportRequest::default()
        }
    }

    fn titles(p: &Parsed) -> Vec<&str> {
        p.cards.iter().map(|c| c.title.as_str()).collect()
    }

    fn field<'a>(c: &'a ImportCard, key: &str) -> Option<&'a str> {
        c.fields
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    #[test]
    fn a_github_projects_export_gives_titles_labels_and_links() {
        let text = "Title,URL,Assignees,Status,Labels\n\
                    Guest checkout,https://github.com/o/r/issues/1,ann,Todo,\"payments, mvp\"\n\
                    \"Saved cards, later\",https://github.com/o/r/issues/2,,Todo,\n";
        let p = parse(&req(text)).unwrap();
        assert_eq!(p.format, ImportFormat::Csv);
        assert_eq!(titles(&p), ["Guest checkout", "Saved cards, later"]);
        assert_eq!(field(&p.cards[0], "labels"), Some("payments, mvp"));
        assert_eq!(
            field(&p.cards[0], "source"),
            Some("https://github.com/o/r/issues/1")
        );
        assert_eq!(p.cards[1].line, 3);
        assert_eq!(p.mapping.title.as_deref(), Some("Title"));
    }

    /// Jira names the title `Summary`, repeats `Labels` once per label, and prefers its key
    /// to a link; a quoted description may span lines.
    #[test]
    fn a_jira_export_merges_repeated_label_columns() {
        let text = "Summary,Issue key,Issue id,Description,Labels,Labels,Epic Link\n\
                    Refund flow,PAY-12,10012,\"Refunds from\nthe order page\",payments,backend,Pay\n\
                    Order page,PAY-13,10013,,ui,,Track\n";
        let mut r = req(text);
        r.activity_column = Some("epic link".into());
        let p = parse(&r).unwrap();
        let c = &p.cards[0];
        assert_eq!(field(c, "source"), Some("PAY-12"));
        assert_eq!(field(c, "labels"), Some("payments, backend"));
        assert_eq!(field(c, "description"), Some("Refunds from the order page"));
        assert_eq!(field(c, "activity"), Some("Pay"));
        assert_eq!(p.cards[1].line, 4, "the quoted line break counts");
        assert_eq!(p.mapping.labels, ["Labels", "Labels"]);
    }

    #[test]
    fn a_linear_export_with_semicolons_and_a_bom() {
        let text = "\u{feff}ID;Title;Description;Labels\nENG-1;Search;Fast search;perf\n";
        let p = parse(&req(text)).unwrap();
        assert_eq!(titles(&p), ["Search"]);
        assert_eq!(field(&p.cards[0], "source"), Some("ENG-1"));
    }

    #[test]
    fn csv_problems_name_the_line() {
        let e = parse(&req("Status,Owner\nTodo,ann\n")).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("pasted text:1: import: no title column"),
            "{e}"
        );
        let mut r = req("Title\nA\n");
        r.activity_column = Some("Epic".into());
        assert!(parse(&r)
            .unwrap_err()
            .to_string()
            .contains("no column \"Epic\""));
        let mut r = req("Title,Description\nA,\"open quote\n");
        r.origin = Some("x.csv".into());
        // An unterminated quote runs to the end; the csv reader keeps what it read.
        assert!(parse(&r).is_ok());
    }

    #[test]
    fn rows_without_title_are_skipped_with_their_line() {
        let p = parse(&req("Title,Labels\n,orphan\n\nA,\n")).unwrap();
        assert_eq!(titles(&p), ["A"]);
        assert_eq!(
            p.skipped,
            [Skipped {
                line: 2,
                reason: "no title".into()
            }]
        );
    }

    #[test]
    fn a_pasted_markdown_list_with_fields_headings_and_prose() {
        let text =
            "## Pay\n- [ ] Guest checkout ^c-9\n  - revisit-by: 2027-01-01\n  Needs a PSP.\n\
                    * Refunds\n  - activity: Support\n1. Third\nstray prose\n";
        let p = parse(&req(text)).unwrap();
        assert_eq!(p.format, ImportFormat::Markdown);
        assert_eq!(titles(&p), ["Guest checkout", "Refunds", "Third"]);
        let c = &p.cards[0];
        assert_eq!(field(c, "activity"), Some("Pay"));
        assert_eq!(field(c, "revisit-by"), Some("2027-01-01"));
        assert_eq!(field(c, "description"), Some("Needs a PSP."));
        assert_eq!(field(&p.cards[1], "activity"), Some("Support"));
        assert_eq!(p.skipped[0].line, 8);
    }

    #[test]
    fn titles_stay_one_line_and_keep_no_id() {
        assert_eq!(clean_title("  Two\n lines ^c-1 "), "Two lines c-1");
        assert_eq!(clean_title("^x"), "x");
        assert_eq!(clip("ab cd", 2), "ab…");
        assert_eq!(clip("é".repeat(300).as_str(), 280).chars().count(), 281);
    }

    #[test]
    fn bytes_that_are_not_utf8_name_their_line() {
        let e = decode("x.csv", b"Title\nCaf\xe9\n".to_vec()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "x.csv:2: import: not UTF-8 text (save or export it as UTF-8)"
        );
        assert_eq!(decode("x", b"ok".to_vec()).unwrap(), "ok");
    }

    #[test]
    fn too_many_cards_or_bytes_are_refused() {
        let text = format!("Title\n{}", "x\n".repeat(MAX_CARDS + 1));
        assert!(parse(&req(&text))
            .unwrap_err()
            .to_string()
            .contains("at most 1000"));
        let big = "a".repeat(MAX_BYTES + 1);
        assert!(parse(&req(&big)).is_err());
    }
}

//! Reading a scope map: the Markdown file of one product's cards, with its backbone, slices
//! and limits, into cards that know their slice, column and line. Never fails: whatever is
//! malformed becomes a diagnostic with its line, and the rest of the map is still read.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;
use serde::Serialize;
use yaml_rust2::Yaml;

use crate::decision::Diagnostic;
use crate::frontmatter::{self, scalar};
use crate::markdown::lines;
use crate::store::Stamp;

/// A card item: an unindented list item with a checkbox, an `^id`, or both.
#[allow(
    clippy::expect_used,
    reason = "a fixed pattern: it compiles, or no test passes"
)]
static ITEM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[-*+][ \t]+(?:\[([ xX])\][ \t]+)?(.*)$").expect("static regex"));
#[allow(
    clippy::expect_used,
    reason = "a fixed pattern: it compiles, or no test passes"
)]
static ID: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|\s)\^([A-Za-z0-9][A-Za-z0-9_-]*)\s*$").expect("static regex")
});
/// A nested `- key: value` bullet inside a card.
#[allow(
    clippy::expect_used,
    reason = "a fixed pattern: it compiles, or no test passes"
)]
static FIELD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([ \t]+)[-*+][ \t]+([A-Za-z][A-Za-z0-9_-]*)[ \t]*:[ \t]*(.*?)[ \t]*$")
        .expect("static regex")
});

/// The fields Cairn reads and reasons with; others are kept and shown as they are.
pub const KNOWN_FIELDS: [&str; 7] = [
    "activity",
    "decision",
    "reversibility",
    "revisit-when",
    "revisit-by",
    "estimate",
    "notes",
];

/// The columns of the Now vs. Later board, in board order.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Column {
    /// Not yet sorted.
    Inbox,
    /// MVP-critical.
    Now,
    /// Deferred on purpose, with what would bring it back.
    Later,
    /// Decided against.
    Wont,
}

impl Column {
    pub const ALL: [Column; 4] = [Column::Inbox, Column::Now, Column::Later, Column::Wont];

    pub fn as_str(self) -> &'static str {
        match self {
            Column::Inbox => "inbox",
            Column::Now => "now",
            Column::Later => "later",
            Column::Wont => "wont",
        }
    }

    /// The heading Cairn writes when a map needs a slice for this column.
    pub fn heading(self) -> &'static str {
        match self {
            Column::Inbox => "Inbox",
            Column::Now => "Now",
            Column::Later => "Later",
            Column::Wont => "Won't",
        }
    }

    /// The column a slice name stands for: "Won't", "wont" and "Won’t" are all Won't;
    /// "Unsorted" is the Inbox. Other names are not columns.
    pub fn of_slice(name: &str) -> Option<Column> {
        match normalize(name).as_str() {
            "inbox" | "unsorted" => Some(Column::Inbox),
            "now" => Some(Column::Now),
            "later" => Some(Column::Later),
            "wont" => Some(Column::Wont),
            _ => None,
        }
    }
}

impl std::fmt::Display for Column {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Column {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Column::of_slice(s)
            .ok_or_else(|| format!("{s:?} is not a column; use now, later, wont or inbox"))
    }
}

/// Slice names compare by their letters and digits only, case-insensitively, so that
/// `Won't`, `Won’t` and `wont` are one slice.
pub fn normalize(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// One `- key: value` bullet of a card, as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Field {
    pub key: String,
    pub value: String,
    /// 1-based line.
    pub line: usize,
}

/// One card of a map.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Card {
    /// The `^id`; `None` until Cairn first writes the map and gives it one.
    pub id: Option<String>,
    pub title: String,
    /// The checkbox is ticked (`- [x]`).
    pub done: bool,
    /// The `##` slice the card sits under; `None` for a card above every slice.
    pub slice: Option<String>,
    pub column: Column,
    pub fields: Vec<Field>,
    /// 1-based line of the item.
    pub line: usize,
    /// 0-based line range `[start, end)` of the item and its nested lines.
    #[serde(skip)]
    pub(crate) span: (usize, usize),
}

impl Card {
    /// A field's value by key (case-insensitive); empty values count as absent.
    pub fn field(&self, key: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|f| f.key.eq_ignore_ascii_case(key))
            .map(|f| f.value.as_str())
            .filter(|v| !v.is_empty())
    }

    /// The decision the card points at (`decision: 0007`, `ADR-7`).
    pub fn decision(&self) -> Option<u32> {
        self.field("decision").and_then(decision_number)
    }

    pub fn revisit_by(&self) -> Option<NaiveDate> {
        self.field("revisit-by").and_then(parse_date)
    }
}

/// A number from `0007`, `7`, `ADR-0007` or `ADR 7`.
pub fn decision_number(raw: &str) -> Option<u32> {
    let t = raw.trim();
    let t = t
        .strip_prefix("ADR")
        .or_else(|| t.strip_prefix("adr"))
        .unwrap_or(t)
        .trim_start_matches(['-', ' ', '#']);
    t.parse().ok()
}

/// Scope maps write dates one way only, so a typo is reported rather than guessed at.
pub fn parse_date(raw: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(raw.trim().trim_matches(['"', '\'']), "%Y-%m-%d").ok()
}

/// A slice of a map: declared in the front matter, headed by `##`, or both.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Slice {
    pub name: String,
    pub column: Column,
    pub limit: Option<usize>,
    /// Listed in the front matter's `slices`.
    pub declared: bool,
    /// 1-based line of its `##` heading, when it has one.
    pub line: Option<usize>,
    /// 0-based `[heading, end)` of its section.
    #[serde(skip)]
    pub(crate) section: Option<(usize, usize)>,
}

/// A scope map as read from disk.
#[derive(Debug, Clone, Serialize)]
pub struct ScopeMap {
    pub path: PathBuf,
    /// The `scope-map` key, else the file name without `.md`.
    pub name: String,
    pub backbone: Vec<String>,
    pub slices: Vec<Slice>,
    pub cards: Vec<Card>,
    pub diagnostics: Vec<Diagnostic>,
    /// The stamp of the bytes the map was read from (set by [`super::board::load_maps`];
    /// absent for a map parsed from text alone). The desktop app sends it back with a move,
    /// so a move over a map that changed on disk since is refused.
    pub stamp: Stamp,
}

/// A map file that is a symbolic link: listed by its file name with one diagnostic, never
/// read (the link may point at any file of the user's).
pub(crate) fn not_followed(path: &Path) -> ScopeMap {
    let mut m = parse(path, "");
    m.diagnostics = vec![Diagnostic::error(None, crate::paths::NOT_FOLLOWED)];
    m
}

impl ScopeMap {
    pub fn card(&self, id: &str) -> Option<&Card> {
        self.cards.iter().find(|c| c.id.as_deref() == Some(id))
    }

    /// The slice a name or column word stands for: an exact (normalised) name first, then
    /// the first slice of that column.
    pub fn slice(&self, name: &str) -> Option<&Slice> {
        let n = normalize(name);
        self.slices
            .iter()
            .find(|s| normalize(&s.name) == n)
            .or_else(|| {
                let col = Column::of_slice(name)?;
                self.slices.iter().find(|s| s.column == col)
            })
    }

    /// Cards over each slice's limit: `(slice, limit, count)`.
    pub fn over_limits(&self) -> Vec<(String, usize, usize)> {
        self.slices
            .iter()
            .filter_map(|s| {
                let limit = s.limit?;
                let count = self
                    .cards
                    .iter()
                    .filter(|c| c.slice.as_deref() == Some(s.name.as_str()))
                    .count();
                (count > limit).then(|| (s.name.clone(), limit, count))
            })
            .collect()
    }
}

/// Reads a card item line: `(done, title, id)`, or `None` when the line is not a card.
pub(crate) fn card_item(line: &str) -> Option<(bool, String, Option<String>)> {
    let c = ITEM.captures(line)?;
    let checkbox = c.get(1).map(|m| m.as_str());
    let rest = c.get(2).map_or("", |m| m.as_str());
    let (title, id) = match ID.captures(rest) {
        Some(idc) => {
            let whole = idc.get(0).map_or(rest.len(), |m| m.start());
            (rest[..whole].trim().to_string(), Some(idc[1].to_string()))
        }
        None => (rest.trim().to_string(), None),
    };
    if checkbox.is_none() && id.is_none() {
        return None;
    }
    Some((matches!(checkbox, Some("x" | "X")), title, id))
}

/// Reads a nested `- key: value` line: `(indent, key, value)`.
pub(crate) fn field_line(line: &str) -> Option<(String, String, String)> {
    let c = FIELD.captures(line)?;
    Some((c[1].to_string(), c[2].to_string(), c[3].to_string()))
}

/// The end (exclusive) of the block that starts with the card item at `start`: the item and
/// the indented, non-blank lines right after it.
pub(crate) fn block_end(lines: &[&str], start: usize) -> usize {
    let mut end = start + 1;
    while end < lines.len() {
        let l = lines[end];
        if !l.trim().is_empty() && (l.starts_with(' ') || l.starts_with('\t')) {
            end += 1;
        } else {
            break;
        }
    }
    end
}

/// What a map's front matter says, as far as Cairn reads it.
#[derive(Default)]
struct FrontMatter {
    name: Option<String>,
    backbone: Vec<String>,
    slices: Vec<String>,
    limits: Vec<(String, i64)>,
    /// 1-based line of each key, for diagnostics; a repeated key points at its last line.
    key_lines: HashMap<String, usize>,
}

fn read_front_matter(
    lines: &[&str],
    bounds: (usize, usize),
    diags: &mut Vec<Diagnostic>,
) -> FrontMatter {
    let mut fm = FrontMatter {
        key_lines: frontmatter::keys(lines, bounds)
            .into_iter()
            .map(|(k, i)| (k, i + 1))
            .collect(),
        ..FrontMatter::default()
    };
    let doc = match frontmatter::load(lines, bounds) {
        Ok(doc) => doc,
        Err(diag) => {
            diags.push(diag);
            return fm;
        }
    };
    let list = |key: &str, diags: &mut Vec<Diagnostic>, line: Option<usize>| match &doc[key] {
        Yaml::Array(items) => items.iter().filter_map(scalar).collect(),
        Yaml::BadValue | Yaml::Null => Vec::new(),
        _ => {
            diags.push(Diagnostic::error(
                line,
                format!("`{key}` should be a list, e.g. {key}: [Now, Later, Won't]"),
            ));
            Vec::new()
        }
    };
    fm.name = scalar(&doc["scope-map"]).filter(|s| !s.trim().is_empty());
    fm.backbone = list("backbone", diags, fm.key_lines.get("backbone").copied());
    fm.slices = list("slices", diags, fm.key_lines.get("slices").copied());
    fm.limits = read_limits(&doc["limits"], fm.key_lines.get("limits").copied(), diags);
    fm
}

/// The `limits` mapping of slices to card counts; anything else is reported on its line.
fn read_limits(doc: &Yaml, line: Option<usize>, diags: &mut Vec<Diagnostic>) -> Vec<(String, i64)> {
    let mut limits = Vec::new();
    match doc {
        Yaml::Hash(map) => {
            for (k, v) in map {
                match (scalar(k), v.as_i64()) {
                    (Some(k), Some(n)) if n >= 0 => limits.push((k, n)),
                    (k, _) => diags.push(Diagnostic::error(
                        line,
                        format!(
                            "limit for {:?} is not a whole number of cards",
                            k.unwrap_or_default()
                        ),
                    )),
                }
            }
        }
        Yaml::BadValue | Yaml::Null => {}
        _ => diags.push(Diagnostic::error(
            line,
            "`limits` should map slices to numbers, e.g. limits: {Now: 8}",
        )),
    }
    limits
}

/// The most Cairn reads of a scope map: the cap of a decision record, under which the search
/// index reads every file of the workspace.
pub const MAX_MAP_BYTES: usize = crate::decision::MAX_DECISION_BYTES;

/// A map over [`MAX_MAP_BYTES`], listed by its file name with a diagnostic and no cards: it
/// is not read, so a huge file in the scope folder costs nothing.
pub fn too_large(path: &Path) -> ScopeMap {
    let mut map = parse(path, "");
    map.diagnostics.push(Diagnostic::error(
        None,
        format!("file is over the {MAX_MAP_BYTES} byte limit for a scope map; it was not read"),
    ));
    map
}

/// Reads a scope map. Never fails and never panics; see the module documentation.
pub fn parse(path: &Path, text: &str) -> ScopeMap {
    let lines = lines(text);
    let mut diags = Vec::new();
    let bounds = frontmatter::bounds(&lines);
    let fm = match bounds {
        Some(bounds) => read_front_matter(&lines, bounds, &mut diags),
        None => FrontMatter::default(),
    };
    diags.extend(frontmatter::unclosed(&lines));
    let name = fm.name.clone().unwrap_or_else(|| {
        if bounds.is_some() {
            diags.push(Diagnostic::warning(
                Some(2),
                "no `scope-map:` name in the front matter; the file name is used",
            ));
        }
        path.file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    });
    let mut body = Body::declared(&fm, &mut diags);
    body.read(&lines, bounds.map_or(0, |(_, close)| close + 1), &mut diags);
    let Body {
        mut slices, cards, ..
    } = body;
    apply_limits(&fm, &mut slices, &mut diags);
    report_undeclared(&fm, &slices, &cards, &mut diags);
    check_cards(&cards, &fm.backbone, &mut diags);
    diags.sort_by_key(|d| d.line);
    ScopeMap {
        path: path.to_path_buf(),
        name,
        backbone: fm.backbone,
        slices,
        cards,
        diagnostics: diags,
        stamp: Stamp::absent(),
    }
}

/// The map's body as it is read top to bottom: the slices so far, the one whose section the
/// reader is in, and the cards found.
struct Body {
    slices: Vec<Slice>,
    /// Declared slices that no heading has claimed yet, by normalised name: a duplicate or a
    /// heading is one look-up, so a map of thousands of slices or headings is linear work.
    open: HashMap<String, usize>,
    current: Option<usize>,
    cards: Vec<Card>,
}

impl Body {
    /// Starts with the slices the front matter declares, in their order.
    fn declared(fm: &FrontMatter, diags: &mut Vec<Diagnostic>) -> Body {
        let slices_line = fm.key_lines.get("slices").copied();
        let mut body = Body {
            slices: Vec::new(),
            open: HashMap::new(),
            current: None,
            cards: Vec::new(),
        };
        for s in &fm.slices {
            let key = normalize(s);
            if body.open.contains_key(&key) {
                diags.push(Diagnostic::error(
                    slices_line,
                    format!("slice {s:?} is listed twice"),
                ));
                continue;
            }
            let column = Column::of_slice(s).unwrap_or_else(|| {
                diags.push(Diagnostic::warning(
                    slices_line,
                    format!(
                        "slice {s:?} is not a board column (Inbox, Now, Later, Won't); its cards show in the Inbox"
                    ),
                ));
                Column::Inbox
            });
            body.open.insert(key, body.slices.len());
            body.slices.push(Slice {
                name: s.clone(),
                column,
                limit: None,
                declared: true,
                line: None,
                section: None,
            });
        }
        body
    }

    /// Reads the lines from `start` on: headings open slices, card items become cards, and
    /// everything else (prose, tables, code) is passed over.
    ///
    /// Unlike a decision's layout, this stays a line reader over ATX headings and fences: the
    /// map's editor (`scope::edit`, `assign_ids`) finds slices and cards the same way and
    /// writes `## ` headings, so reading setext headings or HTML blocks here would let the
    /// reader and the editor disagree about where a slice starts.
    fn read(&mut self, lines: &[&str], start: usize, diags: &mut Vec<Diagnostic>) {
        let mut fence: Option<String> = None;
        let mut i = start;
        while i < lines.len() {
            let line = lines[i];
            if let Some(c) = crate::markdown::FENCE.captures(line) {
                let marker = c[1].to_string();
                match &fence {
                    Some(open) if marker.starts_with(open.as_str()) => fence = None,
                    Some(_) => {}
                    None => fence = Some(marker),
                }
                i += 1;
                continue;
            }
            if fence.is_some() {
                i += 1;
                continue;
            }
            if let Some(h) = crate::markdown::HEADING.captures(line) {
                self.heading(h[1].len(), h[2].trim(), i, lines.len());
                i += 1;
                continue;
            }
            i = match card_item(line) {
                Some(item) => self.card(lines, i, item, diags),
                None => i + 1,
            };
        }
        self.close_section(lines.len());
    }

    /// Ends the current slice's section at line `end`.
    fn close_section(&mut self, end: usize) {
        if let Some(cur) = self.current.take() {
            if let Some(sec) = self.slices[cur].section.as_mut() {
                sec.1 = end;
            }
        }
    }

    /// A heading at 0-based line `i`: a `#` or `##` ends the current slice, and a `##` opens
    /// the slice it names (a declared one, or a new undeclared one).
    fn heading(&mut self, level: usize, text: &str, i: usize, len: usize) {
        if level <= 2 {
            self.close_section(i);
        }
        if level != 2 {
            return;
        }
        let idx = match self.open.remove(&normalize(text)) {
            Some(idx) => idx,
            None => {
                self.slices.push(Slice {
                    column: Column::of_slice(text).unwrap_or(Column::Inbox),
                    name: text.to_string(),
                    limit: None,
                    declared: false,
                    line: None,
                    section: None,
                });
                self.slices.len() - 1
            }
        };
        self.slices[idx].line = Some(i + 1);
        self.slices[idx].section = Some((i, len));
        self.current = Some(idx);
    }

    /// The card whose item is at 0-based line `i`, with its nested fields; returns the line
    /// after its block.
    fn card(
        &mut self,
        lines: &[&str],
        i: usize,
        (done, title, id): (bool, String, Option<String>),
        diags: &mut Vec<Diagnostic>,
    ) -> usize {
        let end = block_end(lines, i);
        let fields = (i + 1..end)
            .filter_map(|j| {
                field_line(lines[j]).map(|(_, key, value)| Field {
                    key: key.to_ascii_lowercase(),
                    value,
                    line: j + 1,
                })
            })
            .collect();
        let (slice, column) = match self.current {
            Some(cur) => (Some(self.slices[cur].name.clone()), self.slices[cur].column),
            None => {
                diags.push(Diagnostic::warning(
                    Some(i + 1),
                    format!("card {title:?} is under no `##` slice; it shows in the Inbox"),
                ));
                (None, Column::Inbox)
            }
        };
        self.cards.push(Card {
            id,
            title,
            done,
            slice,
            column,
            fields,
            line: i + 1,
            span: (i, end),
        });
        end
    }
}

/// Gives each slice the limit the front matter sets for it; a limit for no slice is reported.
fn apply_limits(fm: &FrontMatter, slices: &mut [Slice], diags: &mut Vec<Diagnostic>) {
    for (slice, n) in &fm.limits {
        match slices
            .iter_mut()
            .find(|s| normalize(&s.name) == normalize(slice))
        {
            Some(s) => s.limit = usize::try_from(*n).ok(),
            None => diags.push(Diagnostic::warning(
                fm.key_lines.get("limits").copied(),
                format!("limit for unknown slice {slice:?}"),
            )),
        }
    }
}

/// When the front matter lists its slices, a heading it does not list that holds cards is
/// probably a typo: say so on the heading's line.
fn report_undeclared(
    fm: &FrontMatter,
    slices: &[Slice],
    cards: &[Card],
    diags: &mut Vec<Diagnostic>,
) {
    for s in slices
        .iter()
        .filter(|s| !s.declared && !fm.slices.is_empty())
    {
        if cards
            .iter()
            .any(|c| c.slice.as_deref() == Some(s.name.as_str()))
        {
            diags.push(Diagnostic::warning(
                s.line,
                format!(
                    "unknown slice {:?}: it is not in the front matter's `slices`",
                    s.name
                ),
            ));
        }
    }
}

fn check_cards(cards: &[Card], backbone: &[String], diags: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for card in cards {
        if let Some(id) = &card.id {
            if let Some(first) = seen.insert(id, card.line) {
                diags.push(Diagnostic::error(
                    Some(card.line),
                    format!("duplicate card id ^{id} (first used on line {first})"),
                ));
            }
        }
        for f in &card.fields {
            let bad = match f.key.as_str() {
                "revisit-by" if !f.value.is_empty() && parse_date(&f.value).is_none() => Some(
                    format!("revisit-by {:?} is not a date (use YYYY-MM-DD)", f.value),
                ),
                "reversibility"
                    if !f.value.is_empty()
                        && !matches!(
                            f.value.to_ascii_lowercase().as_str(),
                            "one-way" | "two-way"
                        ) =>
                {
                    Some(format!(
                        "reversibility {:?} is not one of one-way, two-way",
                        f.value
                    ))
                }
                "decision" if !f.value.is_empty() && decision_number(&f.value).is_none() => {
                    Some(format!(
                        "decision {:?} is not a decision number (e.g. 0007)",
                        f.value
                    ))
                }
                "activity"
                    if !backbone.is_empty()
                        && !f.value.is_empty()
                        && !backbone.iter().any(|b| normalize(b) == normalize(&f.value)) =>
                {
                    Some(format!(
                        "activity {:?} is not on the backbone ({})",
                        f.value,
                        backbone.join(", ")
                    ))
                }
                _ => None,
            };
            if let Some(msg) = bad {
                diags.push(Diagnostic::warning(Some(f.line), msg));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAP: &str = "---\nscope-map: checkout-mvp\nbackbone: [Browse, Cart, Pay, Track]\nslices: [Now, Later, Won't]\nlimits: {Now: 1}\n---\nSome prose.\n\n## Now\n- [ ] Guest card checkout ^c-014\n  - activity: Pay\n  - decision: 0007\n- [x] Order page ^c-002\n\n| a | b |\n|---|---|\n\n## Later\n- [ ] Saved payment methods ^c-021\n  - activity: Pay\n  - reversibility: two-way\n  - revisit-when: repeat buyers > 20% of orders\n  - revisit-by: 2027-03-01\n- an ordinary list item\n## Won't\n";

    fn map() -> ScopeMap {
        parse(Path::new("scope/checkout.md"), MAP)
    }

    #[test]
    fn an_alias_bomb_is_refused_on_its_line_and_the_cards_still_read() {
        let mut text = String::from("---\nscope-map: laughs\na: &a [x,x,x,x,x,x,x,x,x]\n");
        for (prev, name) in ('a'..='h').zip('b'..='i') {
            let refs = vec![format!("*{prev}"); 9].join(",");
            text.push_str(&format!("{name}: &{name} [{refs}]\n"));
        }
        text.push_str("---\n## Now\n- [ ] Card ^c-001\n");
        let m = parse(Path::new("scope/laughs.md"), &text);
        let refused = m.diagnostics.iter().find(|d| d.message.contains("refused"));
        let refused = refused.expect("a diagnostic");
        assert_eq!(refused.line, Some(7), "{:?}", m.diagnostics);
        assert!(refused.message.contains("aliases"), "{}", refused.message);
        assert_eq!(m.cards.len(), 1);
    }

    #[test]
    fn a_too_large_map_is_listed_without_cards() {
        let m = too_large(Path::new("scope/huge.md"));
        assert_eq!(m.name, "huge");
        assert!(m.cards.is_empty());
        assert!(m.diagnostics[0].message.contains("byte limit"));
    }

    #[test]
    fn reads_the_design_example() {
        let m = map();
        assert_eq!(m.name, "checkout-mvp");
        assert_eq!(m.backbone, ["Browse", "Cart", "Pay", "Track"]);
        let names: Vec<_> = m
            .slices
            .iter()
            .map(|s| (s.name.as_str(), s.column))
            .collect();
        assert_eq!(
            names,
            [
                ("Now", Column::Now),
                ("Later", Column::Later),
                ("Won't", Column::Wont)
            ]
        );
        let ids: Vec<_> = m.cards.iter().map(|c| c.id.as_deref().unwrap()).collect();
        assert_eq!(ids, ["c-014", "c-002", "c-021"]);
        let c = m.card("c-014").unwrap();
        assert_eq!(
            (c.title.as_str(), c.line, c.span),
            ("Guest card checkout", 10, (9, 12))
        );
        assert_eq!(c.decision(), Some(7));
        assert!(m.card("c-002").unwrap().done);
        let later = m.card("c-021").unwrap();
        assert_eq!(later.column, Column::Later);
        assert_eq!(
            later.field("revisit-when"),
            Some("repeat buyers > 20% of orders")
        );
        assert_eq!(later.revisit_by(), NaiveDate::from_ymd_opt(2027, 3, 1));
        assert_eq!(m.over_limits(), [("Now".to_string(), 1, 2)]);
        assert!(m.diagnostics.is_empty(), "{:?}", m.diagnostics);
    }

    #[test]
    fn malformed_maps_are_read_with_diagnostics_on_their_lines() {
        let text = "---\nscope-map: x\nbackbone: [Pay]\nslices: [Now, Later]\n---\n- [ ] Orphan ^c-1\n## Now\n- [ ] A ^c-1\n  - revisit-by: next spring\n  - activity: Dance\n  - decision: soon\n## Someday\n- [ ] B ^c-3\n";
        let m = parse(Path::new("x.md"), text);
        assert_eq!(m.cards.len(), 3, "every card is still read");
        let got: Vec<(Option<usize>, &str)> = m
            .diagnostics
            .iter()
            .map(|d| (d.line, d.message.as_str()))
            .collect();
        let expect = [
            (6, "under no `##` slice"),
            (8, "duplicate card id ^c-1"),
            (9, "not a date"),
            (10, "not on the backbone"),
            (11, "not a decision number"),
            (12, "unknown slice \"Someday\""),
        ];
        assert_eq!(got.len(), expect.len(), "{got:?}");
        for ((line, msg), (el, em)) in got.iter().zip(expect) {
            assert_eq!(*line, Some(el), "{msg}");
            assert!(msg.contains(em), "{msg} should contain {em}");
        }
    }

    #[test]
    fn broken_yaml_is_reported_and_the_cards_still_read() {
        let text = "---\nscope-map: [oops\n---\n## Now\n- [ ] A ^c-1\n";
        let m = parse(Path::new("y.md"), text);
        assert_eq!(m.name, "y");
        assert_eq!(m.cards.len(), 1);
        assert!(m
            .diagnostics
            .iter()
            .any(|d| d.message.contains("not valid YAML")));
    }

    #[test]
    fn cards_in_code_fences_and_plain_lists_are_not_cards() {
        let text = "## Now\n```\n- [ ] not a card ^c-9\n```\n- plain item\n* [ ] star card\n";
        let m = parse(Path::new("z.md"), text);
        let titles: Vec<_> = m.cards.iter().map(|c| c.title.as_str()).collect();
        assert_eq!(titles, ["star card"]);
        assert_eq!(m.cards[0].id, None);
    }

    #[test]
    fn column_words() {
        for (word, col) in [
            ("Won't", Column::Wont),
            ("won’t", Column::Wont),
            ("Unsorted", Column::Inbox),
            ("LATER", Column::Later),
        ] {
            assert_eq!(Column::of_slice(word), Some(col), "{word}");
        }
        assert_eq!(Column::of_slice("Release 2"), None);
        assert_eq!(decision_number("ADR-0007"), Some(7));
        assert_eq!(decision_number("0012"), Some(12));
    }

    /// Found by `make fuzz`: 7,400 repeated `## Now` headings took over ten seconds (each
    /// heading normalised every earlier slice's name). Without the fix this test runs for
    /// minutes; with it, well under a second.
    /// Found by `make fuzz` too: each declared slice was compared with every earlier one, and
    /// each heading with every slice, so 20,000 declared slices took minutes.
    #[test]
    fn thousands_of_declared_slices_parse_in_linear_work() {
        let names: Vec<String> = (0..20_000).map(|n| format!("S{n}")).collect();
        let headings: String = names.iter().map(|n| format!("## {n}\n")).collect();
        let text = format!(
            "---\nscope-map: m\nslices: [{}, S7]\n---\n{headings}",
            names.join(", ")
        );
        let m = parse(Path::new("m.md"), &text);
        assert_eq!(
            m.slices.len(),
            20_000,
            "the repeated S7 is not a slice of its own"
        );
        assert!(m.slices.iter().all(|s| s.declared && s.line.is_some()));
        assert!(m
            .diagnostics
            .iter()
            .any(|d| d.message.contains("\"S7\" is listed twice")));
    }

    #[test]
    fn thousands_of_repeated_headings_parse_in_linear_work() {
        let text = format!("---\nscope-map: m\n---\n{}", "## Now\n".repeat(20_000));
        let m = parse(Path::new("m.md"), &text);
        assert_eq!(m.slices.len(), 20_000);
        assert_eq!(m.slices[19_999].line, Some(20_003));
    }
}

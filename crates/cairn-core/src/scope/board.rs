//! The Now vs. Later board: one view over every scope map and every decision, with cards in
//! the columns Inbox, Now, Later and Won't, the links between cards and decisions shown both
//! ways, what is due for a revisit, and which slices are over their limit.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Serialize;

use super::map::{self, Card, Column, ScopeMap};
use crate::catalog::{Catalog, Summary};
use crate::decision::{Decision, Severity, StatusKind};
use crate::store::Stamp;
use crate::workspace::{read_capped, Log, Workspace};
use crate::{Error, Result};

/// Where a card comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum CardKind {
    /// A card in a scope map.
    Card,
    /// A decision record, placed by its `scope` key.
    Decision,
}

/// One card on the board, whichever file it lives in.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct BoardCard {
    /// `c-014` for a map card; the padded number (`0007`) for a decision.
    pub id: String,
    pub kind: CardKind,
    pub title: String,
    pub column: Column,
    /// The map and slice of a map card.
    pub map: Option<String>,
    pub slice: Option<String>,
    pub activity: Option<String>,
    /// A map card's link to a decision (padded number), when it has one.
    pub decision: Option<String>,
    /// A decision's cards: the map cards that link to it.
    pub cards: Vec<String>,
    /// A decision's status.
    pub status: Option<StatusKind>,
    pub done: bool,
    pub reversibility: Option<String>,
    pub revisit_when: Option<String>,
    pub revisit_by: Option<NaiveDate>,
    /// `revisit-by` is today or earlier and the card is not in Now: time to look again.
    pub due: bool,
    pub estimate: Option<String>,
    pub notes: Option<String>,
    pub path: PathBuf,
    /// 1-based line of the card (map cards) or of the decision's title block.
    pub line: usize,
}

/// A column and its cards, in order: map cards as their maps list them (maps by name), then
/// decisions by number.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ColumnView {
    pub column: Column,
    pub cards: Vec<BoardCard>,
}

/// A slice holding more cards than its `limits` allow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct OverLimit {
    pub map: String,
    pub slice: String,
    pub limit: usize,
    pub count: usize,
}

/// Something the board could not fully make sense of, with file and line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct BoardDiagnostic {
    pub path: PathBuf,
    pub line: Option<usize>,
    pub severity: Severity,
    pub message: String,
}

impl std::fmt::Display for BoardDiagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        match self.line {
            Some(l) => write!(f, "{}:{l}: {sev}: {}", self.path.display(), self.message),
            None => write!(f, "{}: {sev}: {}", self.path.display(), self.message),
        }
    }
}

/// A map as the board lists it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MapInfo {
    pub name: String,
    pub path: PathBuf,
    pub backbone: Vec<String>,
    pub slices: Vec<String>,
    /// Every slice that has a limit, with its count, over or not.
    pub limits: Vec<SliceLimit>,
    /// The stamp of the bytes the board was built from; see [`ScopeMap::stamp`].
    pub stamp: Stamp,
}

/// A slice's limit and how many cards it holds now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SliceLimit {
    pub slice: String,
    pub column: Column,
    pub limit: usize,
    pub count: usize,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Board {
    pub today: NaiveDate,
    pub columns: Vec<ColumnView>,
    pub maps: Vec<MapInfo>,
    pub over_limits: Vec<OverLimit>,
    pub diagnostics: Vec<BoardDiagnostic>,
}

impl Board {
    pub fn cards(&self) -> impl Iterator<Item = &BoardCard> {
        self.columns.iter().flat_map(|c| c.cards.iter())
    }

    pub fn card(&self, id: &str) -> Option<&BoardCard> {
        self.cards().find(|c| c.id == id)
    }

    /// Cards whose revisit date has come.
    pub fn due(&self) -> Vec<&BoardCard> {
        self.cards().filter(|c| c.due).collect()
    }

    /// Keeps only the cards of one map (by name or file name).
    pub fn only_map(&mut self, name: &str) -> Result<()> {
        let found = self.maps.iter().find(|m| {
            m.name == name
                || m.path
                    .file_stem()
                    .is_some_and(|s| s.to_string_lossy() == name)
        });
        let Some(found) = found.map(|m| m.name.clone()) else {
            return Err(Error::Board {
                msg: format!(
                    "no scope map named {name:?}; the maps are: {}",
                    self.maps
                        .iter()
                        .map(|m| m.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            });
        };
        for col in &mut self.columns {
            col.cards
                .retain(|c| c.map.as_deref() == Some(found.as_str()));
        }
        self.maps.retain(|m| m.name == found);
        self.over_limits.retain(|o| o.map == found);
        Ok(())
    }
}

/// Files in the scope folder that are not maps.
pub(crate) fn is_map_file_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".md")
        && !lower.starts_with(['.', '_'])
        && !matches!(lower.as_str(), "readme.md" | "index.md")
}

/// Every map in the workspace's scope folder, by file name, each with the text it was read
/// from. A missing folder means no maps yet. A map that is a symbolic link is listed with a
/// diagnostic and no cards, never read.
pub fn load_maps(ws: &Workspace) -> Result<Vec<(ScopeMap, String)>> {
    let dir = &ws.scope_dir;
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io(dir, e)),
    };
    let mut paths = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if is_map_file_name(&name)
            && entry
                .file_type()
                .is_ok_and(|t| t.is_file() || t.is_symlink())
        {
            paths.push(entry.path());
        }
    }
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let bytes = match read_capped(&p) {
                Ok(bytes) => bytes,
                Err(Error::Symlink { .. }) => return Ok((map::not_followed(&p), String::new())),
                Err(e) => return Err(e),
            };
            if bytes.len() > map::MAX_MAP_BYTES {
                return Ok((map::too_large(&p), String::new()));
            }
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let mut m = map::parse(&p, &text);
            m.stamp = Stamp::of(&bytes);
            Ok((m, text))
        })
        .collect()
}

/// Decisions that are no longer in force are not sorted: superseded and rejected ones, and
/// deprecated ones (a deprecated decision has been retired, not deferred).
pub fn is_on_board(d: &Decision) -> bool {
    in_force(d.status_kind())
}

fn in_force(status: StatusKind) -> bool {
    !matches!(
        status,
        StatusKind::Superseded | StatusKind::Rejected | StatusKind::Deprecated
    )
}

/// The padded label of a decision number, as the board writes ids.
pub fn decision_id(n: u32, width: usize) -> String {
    format!("{n:0width$}")
}

fn is_due(column: Column, revisit_by: Option<NaiveDate>, today: NaiveDate) -> bool {
    column != Column::Now && revisit_by.is_some_and(|d| d <= today)
}

/// Builds the board from the maps and the log's rows (in `decisions_dir`).
pub fn build(
    maps: &[ScopeMap],
    log: &Catalog,
    decisions_dir: &Path,
    width: usize,
    today: NaiveDate,
) -> Board {
    let mut diagnostics = Vec::new();
    let mut cards: Vec<BoardCard> = Vec::new();
    let mut over_limits = Vec::new();
    let mut seen_ids: Vec<(String, PathBuf, usize)> = Vec::new();
    for m in maps {
        for d in &m.diagnostics {
            diagnostics.push(BoardDiagnostic {
                path: m.path.clone(),
                line: d.line,
                severity: d.severity,
                message: d.message.clone(),
            });
        }
        for (slice, limit, count) in m.over_limits() {
            over_limits.push(OverLimit {
                map: m.name.clone(),
                slice,
                limit,
                count,
            });
        }
        for c in &m.cards {
            let id = match &c.id {
                Some(id) => id.clone(),
                // Shown by its line until Cairn first writes the map and gives it an id.
                None => format!("{}:{}", m.name, c.line),
            };
            if let Some((_, other, line)) =
                seen_ids.iter().find(|(s, p, _)| *s == id && *p != m.path)
            {
                diagnostics.push(BoardDiagnostic {
                    path: m.path.clone(),
                    line: Some(c.line),
                    severity: Severity::Error,
                    message: format!("card id ^{id} is also used in {}:{line}", other.display()),
                });
            }
            seen_ids.push((id.clone(), m.path.clone(), c.line));
            check_linked_decision(m, c, &id, log, width, &mut diagnostics);
            cards.push(map_card(m, c, id, width, today));
        }
    }
    for d in log.rows().iter().filter(|d| in_force(d.status)) {
        if let Some(card) = decision_card(d, decisions_dir, &cards, width, today) {
            cards.push(card);
        }
    }
    let columns = Column::ALL
        .into_iter()
        .map(|column| ColumnView {
            column,
            cards: cards
                .iter()
                .filter(|c| c.column == column)
                .cloned()
                .collect(),
        })
        .collect();
    Board {
        today,
        columns,
        maps: maps.iter().map(map_info).collect(),
        over_limits,
        diagnostics,
    }
}

/// A card's `decision:` must name a decision that exists, and when that decision has a
/// `scope` of its own, the two should sit in the same column.
fn check_linked_decision(
    m: &ScopeMap,
    c: &Card,
    id: &str,
    log: &Catalog,
    width: usize,
    diagnostics: &mut Vec<BoardDiagnostic>,
) {
    let Some(n) = c.decision() else {
        return;
    };
    match log.get_number(n) {
        None => diagnostics.push(BoardDiagnostic {
            path: m.path.clone(),
            line: c
                .fields
                .iter()
                .find(|f| f.key == "decision")
                .map(|f| f.line),
            severity: Severity::Warning,
            message: format!("card ^{id} links to decision {n}, which does not exist"),
        }),
        Some(d) if in_force(d.status) => {
            let dcol = column_of_scope(d.scope.as_deref());
            if d.scope.is_some() && dcol != c.column {
                diagnostics.push(BoardDiagnostic {
                    path: m.path.clone(),
                    line: Some(c.line),
                    severity: Severity::Warning,
                    message: format!(
                        "card ^{id} is in {} but the decision it links to ({}) is in {dcol}",
                        c.column,
                        decision_id(n, width)
                    ),
                });
            }
        }
        Some(_) => {}
    }
}

/// The board card of a scope map's card.
fn map_card(m: &ScopeMap, c: &Card, id: String, width: usize, today: NaiveDate) -> BoardCard {
    let revisit_by = c.revisit_by();
    BoardCard {
        id,
        kind: CardKind::Card,
        title: c.title.clone(),
        column: c.column,
        map: Some(m.name.clone()),
        slice: c.slice.clone(),
        activity: c.field("activity").map(str::to_string),
        decision: c.decision().map(|n| decision_id(n, width)),
        cards: Vec::new(),
        status: None,
        done: c.done,
        reversibility: c.field("reversibility").map(str::to_ascii_lowercase),
        revisit_when: c.field("revisit-when").map(str::to_string),
        revisit_by,
        due: is_due(c.column, revisit_by, today),
        estimate: c.field("estimate").map(str::to_string),
        notes: c.field("notes").map(str::to_string),
        path: m.path.clone(),
        line: c.line,
    }
}

/// The board card of a numbered decision, listing the map cards (of `cards`) that link to it.
fn decision_card(
    d: &Summary,
    decisions_dir: &Path,
    cards: &[BoardCard],
    width: usize,
    today: NaiveDate,
) -> Option<BoardCard> {
    let id = decision_id(d.number?, width);
    let linked: Vec<String> = cards
        .iter()
        .filter(|c| c.kind == CardKind::Card && c.decision.as_deref() == Some(id.as_str()))
        .map(|c| c.id.clone())
        .collect();
    let column = column_of_scope(d.scope.as_deref());
    Some(BoardCard {
        id,
        kind: CardKind::Decision,
        title: d.title.clone(),
        column,
        map: None,
        slice: None,
        activity: None,
        decision: None,
        cards: linked,
        status: Some(d.status),
        done: false,
        reversibility: d.card.reversibility.clone(),
        revisit_when: d.card.revisit_when.clone(),
        revisit_by: d.card.revisit_by,
        due: is_due(column, d.card.revisit_by, today),
        estimate: None,
        notes: None,
        path: decisions_dir.join(&d.file_name),
        line: d.card.body_line,
    })
}

/// What the board says about a map: its backbone, slices and their limits.
fn map_info(m: &ScopeMap) -> MapInfo {
    MapInfo {
        name: m.name.clone(),
        path: m.path.clone(),
        backbone: m.backbone.clone(),
        slices: m.slices.iter().map(|s| s.name.clone()).collect(),
        limits: m
            .slices
            .iter()
            .filter_map(|s| {
                Some(SliceLimit {
                    slice: s.name.clone(),
                    column: s.column,
                    limit: s.limit?,
                    count: m
                        .cards
                        .iter()
                        .filter(|c| c.slice.as_deref() == Some(s.name.as_str()))
                        .count(),
                })
            })
            .collect(),
        stamp: m.stamp.clone(),
    }
}

/// A decision's column: its `scope` key; absent (or not a column word) is the Inbox.
pub fn column_of(d: &Decision) -> Column {
    column_of_scope(d.planning.scope.as_deref())
}

fn column_of_scope(scope: Option<&str>) -> Column {
    scope.and_then(Column::of_slice).unwrap_or(Column::Inbox)
}

/// Loads the maps and the log's rows of `ws` and builds its board for `today`.
pub fn load(ws: &Workspace, today: NaiveDate) -> Result<Board> {
    let maps: Vec<ScopeMap> = load_maps(ws)?.into_iter().map(|(m, _)| m).collect();
    let rows = load_rows(ws)?;
    let names = rows.rows().iter().map(|r| r.file_name.as_str());
    let width = crate::changes::number_width_of(ws, names);
    Ok(build(&maps, &rows, &ws.decisions_dir, width, today))
}

/// The log's rows through their cache (a board of 10,000 decisions parses only the files
/// that changed), or none when the workspace has no decisions folder yet.
fn load_rows(ws: &Workspace) -> Result<Catalog> {
    if !ws.decisions_dir.is_dir() {
        return Ok(Catalog::default());
    }
    Catalog::load(ws)
}

/// The decision log, or an empty one when the workspace has no decisions folder yet (a team
/// may scope before it records anything).
pub(crate) fn load_log(ws: &Workspace) -> Result<Log> {
    if !ws.decisions_dir.is_dir() {
        return Ok(Log {
            decisions: Vec::new(),
            other_files: Vec::new(),
        });
    }
    ws.load()
}

/// The board as a Markdown write-up, one section per column, for a workshop's notes.
pub fn export_markdown(board: &Board) -> String {
    use std::fmt::Write as _;
    let mut out = String::from("# Now vs. Later\n");
    for col in &board.columns {
        let _ = write!(
            out,
            "\n## {} ({})\n\n",
            col.column.heading(),
            col.cards.len()
        );
        if col.cards.is_empty() {
            out.push_str("_Nothing here._\n");
        }
        for c in &col.cards {
            let label = match c.kind {
                CardKind::Card => c.id.clone(),
                CardKind::Decision => format!("ADR {}", c.id),
            };
            let _ = write!(out, "- **{}** ({label})", md_escape(&c.title));
            if let Some(a) = &c.activity {
                let _ = write!(out, " · {}", md_escape(a));
            }
            if let Some(d) = &c.decision {
                let _ = write!(out, " · decision {d}");
            }
            if !c.cards.is_empty() {
                let _ = write!(out, " · cards {}", c.cards.join(", "));
            }
            if c.due {
                out.push_str(" · **due**");
            }
            out.push('\n');
            if let Some(w) = &c.revisit_when {
                let _ = writeln!(out, "  - revisit when: {}", md_escape(w));
            }
            if let Some(by) = c.revisit_by {
                let _ = writeln!(out, "  - revisit by: {by}");
            }
        }
    }
    if !board.over_limits.is_empty() {
        out.push_str("\n## Over limit\n\n");
        for o in &board.over_limits {
            let _ = writeln!(
                out,
                "- {} / {}: {} cards, limit {}",
                o.map, o.slice, o.count, o.limit
            );
        }
    }
    out
}

fn md_escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('*', "\\*")
        .replace('_', "\\_")
        .replace('[', "\\[")
}

/// The board as CSV (RFC 4180: fields with commas, quotes or line breaks are quoted), one
/// row per card, for a spreadsheet.
pub fn export_csv(board: &Board) -> String {
    let mut out = String::from(
        "id,kind,column,title,map,slice,activity,decision,cards,reversibility,revisit_when,revisit_by,due\n",
    );
    for c in board.cards() {
        let row = [
            c.id.clone(),
            match c.kind {
                CardKind::Card => "card".into(),
                CardKind::Decision => "decision".into(),
            },
            c.column.to_string(),
            c.title.clone(),
            c.map.clone().unwrap_or_default(),
            c.slice.clone().unwrap_or_default(),
            c.activity.clone().unwrap_or_default(),
            c.decision.clone().unwrap_or_default(),
            c.cards.join(" "),
            c.reversibility.clone().unwrap_or_default(),
            c.revisit_when.clone().unwrap_or_default(),
            c.revisit_by.map(|d| d.to_string()).unwrap_or_default(),
            c.due.to_string(),
        ];
        let cells: Vec<String> = row.iter().map(|v| csv_cell(v)).collect();
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}

fn csv_cell(v: &str) -> String {
    // A leading = + - @ would be run as a formula by spreadsheets, and so would one after a
    // tab, a carriage return or spaces (which some spreadsheets skip); a quote mark in front
    // defuses it, as OWASP's "CSV injection" advice says.
    const FORMULA: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];
    let v = if v.starts_with(FORMULA) || v.trim_start().starts_with(FORMULA) {
        format!("'{v}")
    } else {
        v.to_string()
    };
    if v.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", v.replace('"', "\"\""))
    } else {
        v
    }
}

/// A path relative to the workspace root, for messages.
pub(crate) fn rel<'a>(ws: &Workspace, p: &'a Path) -> std::borrow::Cow<'a, str> {
    match p.strip_prefix(&ws.root) {
        Ok(r) => r.to_string_lossy(),
        Err(_) => p.to_string_lossy(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decision::parse as parse_decision;

    fn log() -> Log {
        let d = |name: &str, text: &str| parse_decision(Path::new(name), text.as_bytes());
        Log {
            decisions: vec![
                d("0001-a.md", "---\nstatus: accepted\nscope: now\n---\n# A\n"),
                d(
                    "0002-b.md",
                    "---\nstatus: accepted\nscope: later\nrevisit-by: 2026-01-01\n---\n# B\n",
                ),
                d(
                    "0003-c.md",
                    "---\nstatus: superseded\nscope: now\n---\n# C\n",
                ),
                d(
                    "0004-d.md",
                    "# 4. D\n\nDate: 2026-01-01\n\n## Status\n\nProposed\n",
                ),
                d("0005-e.md", "---\nstatus: rejected\n---\n# E\n"),
            ],
            other_files: Vec::new(),
        }
    }

    fn maps() -> Vec<ScopeMap> {
        vec![map::parse(
            Path::new("scope/m.md"),
            "---\nscope-map: m\nslices: [Now, Later]\nlimits: {Now: 1}\n---\n## Now\n- [ ] X ^c-1\n  - decision: 0002\n- [ ] Y ^c-2\n  - decision: 0009\n## Later\n- [ ] Z ^c-3\n  - revisit-by: 2026-03-01\n- [ ] W ^c-4\n  - revisit-by: 2026-03-02\n",
        )]
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()
    }

    /// The board is built from the rows and their cache: a decision's card carries its
    /// planning fields and its file, and an edit on disk shows at the next load.
    #[test]
    fn a_board_from_the_rows_cache_sees_card_fields_and_edits() {
        let repo = cairn_testkit::TestRepo::new();
        let text = |by: &str| {
            format!("---\nstatus: accepted\nscope: later\nreversibility: two-way\nrevisit-when: ten teams ask\nrevisit-by: {by}\n---\n# 3. Queue\n\nWhy.\n")
        };
        repo.write("docs/decisions/0003-queue.md", &text("2026-02-01"));
        let ws = Workspace::discover(repo.path()).unwrap();
        std::fs::create_dir_all(&ws.scope_dir).unwrap();
        let map = "---\nscope-map: m\n---\n## Later\n- [ ] Jobs ^c-1\n  - decision: 3\n";
        std::fs::write(ws.scope_dir.join("m.md"), map).unwrap();
        for (by, due) in [("2026-02-01", true), ("2026-09-01", false)] {
            repo.write("docs/decisions/0003-queue.md", &text(by));
            // Older than the cache's two seconds of doubt, so the second load reuses the row.
            let file = std::fs::File::options()
                .write(true)
                .open(ws.decisions_dir.join("0003-queue.md"))
                .unwrap();
            let when = std::time::SystemTime::now() - std::time::Duration::from_secs(60);
            file.set_modified(when).unwrap();
            // Twice: the second from the rows' cache, as warm as a board gets.
            for _ in 0..2 {
                let board = load(&ws, today()).unwrap();
                let d = board.card("0003").unwrap();
                assert_eq!((d.column, d.title.as_str()), (Column::Later, "Queue"));
                assert_eq!(d.reversibility.as_deref(), Some("two-way"));
                assert_eq!(d.revisit_when.as_deref(), Some("ten teams ask"));
                assert_eq!(d.revisit_by, by.parse().ok());
                assert_eq!(d.due, due, "{by}");
                assert_eq!(
                    (d.path.clone(), d.line),
                    (ws.decisions_dir.join("0003-queue.md"), 8)
                );
                assert_eq!(d.cards, ["c-1"], "{:?}", board.maps);
            }
        }
        // The board reads the rows, not the files: an edit that keeps the file's time and
        // size (which the cache trusts) is not seen, where parsing every decision would see it.
        let path = ws.decisions_dir.join("0003-queue.md");
        let when = std::fs::metadata(&path).unwrap().modified().unwrap();
        std::fs::write(
            &path,
            text("2026-09-01").replace("# 3. Queue", "# 3. Q_eue"),
        )
        .unwrap();
        std::fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(when)
            .unwrap();
        assert_eq!(
            load(&ws, today()).unwrap().card("0003").unwrap().title,
            "Queue"
        );
    }

    #[test]
    fn columns_links_due_and_limits() {
        let board = build(
            &maps(),
            &Catalog::from_log(&log()),
            Path::new(""),
            4,
            today(),
        );
        let ids = |col: Column| -> Vec<&str> {
            board.columns[col as usize]
                .cards
                .iter()
                .map(|c| c.id.as_str())
                .collect()
        };
        assert_eq!(ids(Column::Inbox), ["0004"], "no scope key: inbox");
        assert_eq!(ids(Column::Now), ["c-1", "c-2", "0001"]);
        assert_eq!(ids(Column::Later), ["c-3", "c-4", "0002"]);
        assert!(ids(Column::Wont).is_empty());
        assert!(board.card("0003").is_none() && board.card("0005").is_none());
        // Both ways.
        assert_eq!(board.card("c-1").unwrap().decision.as_deref(), Some("0002"));
        assert_eq!(board.card("0002").unwrap().cards, ["c-1"]);
        // Due on the day and after; not before.
        let due: Vec<&str> = board.due().iter().map(|c| c.id.as_str()).collect();
        assert_eq!(due, ["c-3", "0002"]);
        assert_eq!(
            board.over_limits,
            [OverLimit {
                map: "m".into(),
                slice: "Now".into(),
                limit: 1,
                count: 2
            }]
        );
        assert_eq!(
            board.maps[0].limits,
            [SliceLimit {
                slice: "Now".into(),
                column: Column::Now,
                limit: 1,
                count: 2
            }],
            "every limit, over or not"
        );
        assert!(
            board.maps[0].stamp.is_absent(),
            "parsed from text, not read"
        );
        let msgs: Vec<&str> = board
            .diagnostics
            .iter()
            .map(|d| d.message.as_str())
            .collect();
        assert!(
            msgs.iter()
                .any(|m| m.contains("decision 9, which does not exist")),
            "{msgs:?}"
        );
        assert!(
            msgs.iter()
                .any(|m| m
                    .contains("^c-1 is in now but the decision it links to (0002) is in later")),
            "{msgs:?}"
        );
    }

    #[test]
    fn only_map_and_exports() {
        let mut board = build(
            &maps(),
            &Catalog::from_log(&log()),
            Path::new(""),
            4,
            today(),
        );
        let csv = export_csv(&board);
        assert_eq!(csv.lines().count(), 1 + 7);
        assert!(
            csv.contains("\nc-3,card,later,Z,m,Later,,,,,,2026-03-01,true\n"),
            "{csv}"
        );
        let md = export_markdown(&board);
        assert!(md.contains("## Won't (0)"), "{md}");
        assert!(
            md.contains("- **B** (ADR 0002) · cards c-1 · **due**"),
            "{md}"
        );
        assert!(board.only_map("nope").is_err());
        board.only_map("m").unwrap();
        assert_eq!(board.cards().count(), 4);
        assert_eq!(csv_cell("a,\"b\""), "\"a,\"\"b\"\"\"");
        assert_eq!(csv_cell("=1+1"), "'=1+1");
    }

    #[test]
    fn csv_cells_that_a_spreadsheet_would_run_are_defused() {
        assert_eq!(csv_cell("+1"), "'+1");
        assert_eq!(csv_cell("-2+3"), "'-2+3");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("\t=1"), "'\t=1");
        assert_eq!(csv_cell("\r=1"), "\"'\r=1\"");
        assert_eq!(csv_cell("  =1"), "'  =1");
        assert_eq!(
            csv_cell("=HYPERLINK(\"http://x\",\"y\")"),
            "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""
        );
        assert_eq!(csv_cell("a = b"), "a = b");
    }
}

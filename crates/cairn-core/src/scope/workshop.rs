//! The outcome of a scoping workshop: what went Now, what went Later and why (with the
//! evidence or date that brings it back), what was ruled out, and what is still unsorted, as
//! a Markdown summary for the team's notes. A workshop is the board at its start compared
//! with the board at its end, so undone moves and moves made elsewhere meanwhile count as
//! what they finally are.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::board::{Board, BoardCard, CardKind};
use super::map::Column;
use crate::store::{Change, Stamp, Write};
use crate::{changes, render, Committed, Result, Workspace};

/// Where a card stood when the workshop began.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct StartPlace {
    pub id: String,
    pub column: Column,
}

/// When the workshop ran and what it was about, as the summary's heading tells it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SessionInfo {
    /// The map the workshop sorted (the board was filtered to it), if one.
    pub map: Option<String>,
    /// Local clock times, as the people in the room read them (`10:02`).
    pub started: String,
    pub ended: String,
    pub minutes: u32,
}

/// A card that changed column during the workshop (or was added in it).
struct Moved<'a> {
    card: &'a BoardCard,
    /// `None`: added during the workshop.
    from: Option<Column>,
}

/// The cards of `board` the workshop covered: all of them, or those of its map.
fn in_scope<'a>(board: &'a Board, info: &'a SessionInfo) -> impl Iterator<Item = &'a BoardCard> {
    board.cards().filter(move |c| match &info.map {
        Some(m) => c.map.as_deref() == Some(m.as_str()),
        None => true,
    })
}

/// The workshop's outcome as Markdown; see the module documentation.
pub fn export_session(board: &Board, start: &[StartPlace], info: &SessionInfo) -> String {
    let before: HashMap<&str, Column> = start.iter().map(|p| (p.id.as_str(), p.column)).collect();
    let mut moved: HashMap<Column, Vec<Moved>> = HashMap::new();
    let mut added_total = 0;
    for card in in_scope(board, info) {
        let from = before.get(card.id.as_str()).copied();
        if from == Some(card.column) {
            continue;
        }
        if from.is_none() {
            added_total += 1;
        }
        moved
            .entry(card.column)
            .or_default()
            .push(Moved { card, from });
    }
    let mut out = summary(board, info, &moved, added_total);
    section(&mut out, "Went Now", moved.get(&Column::Now), |_, _| {});
    section(
        &mut out,
        "Went Later, and why",
        moved.get(&Column::Later),
        later_details,
    );
    section(
        &mut out,
        "Ruled out (Won't)",
        moved.get(&Column::Wont),
        |out, c| {
            if let Some(n) = &c.notes {
                let _ = writeln!(out, "  - why: {}", md(n));
            }
        },
    );
    section(
        &mut out,
        "Back to the Inbox, or added and not sorted",
        moved.get(&Column::Inbox),
        |_, _| {},
    );

    still_unsorted(&mut out, board, info, &before);
    board_at_end(&mut out, board, info);
    out
}

/// The title and the one-line count of what was sorted where.
fn summary(
    board: &Board,
    info: &SessionInfo,
    moved: &HashMap<Column, Vec<Moved>>,
    added_total: usize,
) -> String {
    let count = |c: Column| moved.get(&c).map_or(0, Vec::len);
    let sorted = count(Column::Now) + count(Column::Later) + count(Column::Wont);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Workshop outcome{}\n",
        info.map
            .as_deref()
            .map(|m| format!(": {}", md(m)))
            .unwrap_or_default()
    );
    let _ = writeln!(
        out,
        "{}, {}–{} ({} min). {} card{} sorted: {} to Now, {} to Later, {} to Won't{}.",
        board.today,
        info.started,
        info.ended,
        info.minutes,
        sorted,
        if sorted == 1 { "" } else { "s" },
        count(Column::Now),
        count(Column::Later),
        count(Column::Wont),
        match added_total {
            0 => String::new(),
            1 => "; 1 card added".into(),
            n => format!("; {n} cards added"),
        }
    );
    out
}

/// Under a card deferred to Later: why, and what would bring it back.
fn later_details(out: &mut String, c: &BoardCard) {
    let mut why = Vec::new();
    if c.reversibility.as_deref() == Some("two-way") {
        why.push("a two-way door: cheap to change when the time comes".to_string());
    }
    if let Some(n) = &c.notes {
        why.push(md(n));
    }
    if !why.is_empty() {
        let _ = writeln!(out, "  - why: {}", why.join("; "));
    }
    match (&c.revisit_when, c.revisit_by) {
        (None, None) => {
            out.push_str("  - _no revisit trigger yet: add a revisit-when so it comes back_\n")
        }
        (w, by) => {
            if let Some(w) = w {
                let _ = writeln!(out, "  - revisit when: {}", md(w));
            }
            if let Some(by) = by {
                let _ = writeln!(out, "  - revisit by: {by}");
            }
        }
    }
}

/// The cards that were in the Inbox before the workshop and still are.
fn still_unsorted(
    out: &mut String,
    board: &Board,
    info: &SessionInfo,
    before: &HashMap<&str, Column>,
) {
    let still: Vec<&BoardCard> = in_scope(board, info)
        .filter(|c| c.column == Column::Inbox && before.get(c.id.as_str()) == Some(&Column::Inbox))
        .collect();
    if !still.is_empty() {
        let _ = writeln!(out, "\n## Still unsorted ({})\n", still.len());
        for c in still {
            let _ = writeln!(out, "- {}", headline(c));
        }
    }
}

/// How many cards each column holds at the end, with the limits of the maps covered.
fn board_at_end(out: &mut String, board: &Board, info: &SessionInfo) {
    out.push_str("\n## The board at the end\n\n");
    for col in &board.columns {
        let n = col
            .cards
            .iter()
            .filter(|c| match &info.map {
                Some(m) => c.map.as_deref() == Some(m.as_str()),
                None => true,
            })
            .count();
        let _ = write!(out, "- {}: {n}", col.column.heading());
        for m in &board.maps {
            if info.map.as_ref().is_some_and(|x| *x != m.name) {
                continue;
            }
            for l in m.limits.iter().filter(|l| l.column == col.column) {
                let over = if l.count > l.limit { ", **over**" } else { "" };
                let _ = write!(out, " (limit {} in {}{over})", l.limit, md(&m.name));
            }
        }
        out.push('\n');
    }
}

/// One card as a line: title, id, activity and linked decision.
fn headline(c: &BoardCard) -> String {
    let mut line = match c.kind {
        CardKind::Card => format!("**{}** ({})", md(&c.title), c.id),
        CardKind::Decision => format!("**{}** (ADR {})", md(&c.title), c.id),
    };
    if let Some(a) = &c.activity {
        let _ = write!(line, " · {}", md(a));
    }
    if let Some(d) = &c.decision {
        let _ = write!(line, " · decision {d}");
    }
    line
}

fn section(
    out: &mut String,
    title: &str,
    cards: Option<&Vec<Moved>>,
    detail: impl Fn(&mut String, &BoardCard),
) {
    let Some(cards) = cards.filter(|c| !c.is_empty()) else {
        return;
    };
    let _ = writeln!(out, "\n## {title} ({})\n", cards.len());
    for m in cards {
        let from = match m.from {
            Some(c) => format!("from {}", c.heading()),
            None => "added in the workshop".into(),
        };
        let _ = writeln!(out, "- {} — {from}", headline(m.card));
        detail(out, m.card);
    }
}

fn md(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('*', "\\*")
        .replace('_', "\\_")
        .replace('[', "\\[")
}

/// A workshop outcome as written: where, the Markdown, and the same as safe HTML to show.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ExportedSession {
    pub path: String,
    pub markdown: String,
    pub html: String,
    /// True when it was committed (a file inside the workspace with autocommit on).
    pub committed: bool,
}

/// `<scope>/workshops/2026-07-01-ledgerly-mvp.md`, with `-2`, `-3`… when that exists.
pub fn default_export_path(scope_dir: &Path, info: &SessionInfo) -> PathBuf {
    let dir = scope_dir.join("workshops");
    let slug = crate::decision::slugify(info.map.as_deref().unwrap_or("board"));
    let base = format!("{}-{}", changes::today(), slug);
    let mut path = dir.join(format!("{base}.md"));
    let mut n = 2;
    while path.exists() {
        path = dir.join(format!("{base}-{n}.md"));
        n += 1;
    }
    path
}

/// Writes the outcome of the workshop that began at `start` on the board as it is now: to
/// `chosen` (a place the user picked in a save dialog), else to its default place in the
/// workspace, where it is committed.
pub fn export(
    ws: &Workspace,
    start: &[StartPlace],
    info: &SessionInfo,
    chosen: Option<PathBuf>,
) -> Result<ExportedSession> {
    let board = super::view::current(ws)?;
    let markdown = export_session(&board, start, info);
    let was_chosen = chosen.is_some();
    let path = chosen.unwrap_or_else(|| default_export_path(&ws.scope_dir, info));
    let committed = write_export(ws, &path, &markdown, was_chosen)?;
    let html = render::to_html(
        &markdown,
        &render::Context {
            root: &ws.root,
            base: path.parent().unwrap_or(&ws.root),
            decisions_dir: &ws.decisions_dir,
            decision_files: &HashSet::new(),
            decision_numbers: &std::collections::HashMap::new(),
        },
    );
    Ok(ExportedSession {
        path: path.display().to_string(),
        markdown,
        html,
        committed,
    })
}

/// Inside the workspace the outcome is written and committed like any other change;
/// elsewhere (only where the user `chosen` it in the save dialog) it is only written. The
/// default place comes from the repository (its scope folder), so it must stay inside: a
/// `workshops` folder that is a link leading out is refused by the store. Returns whether a
/// commit was made.
fn write_export(ws: &Workspace, path: &Path, markdown: &str, chosen: bool) -> Result<bool> {
    let inside = !chosen
        || path
            .parent()
            .and_then(|p| {
                std::fs::create_dir_all(p).ok()?;
                p.canonicalize().ok()
            })
            .zip(ws.root.canonicalize().ok())
            .is_some_and(|(p, root)| p.starts_with(root));
    if !inside {
        crate::store::write_atomic(path, markdown.as_bytes())?;
        return Ok(false);
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let outcome = ws.store().apply(
        vec![Change {
            path: path.to_path_buf(),
            expected: Stamp::read(path)?,
            write: Write::Put(markdown.as_bytes().to_vec()),
        }],
        &format!("Workshop outcome: {name}"),
    )?;
    Ok(matches!(outcome.committed, Committed::Commit { .. }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scope::board::build;
    use crate::scope::map;
    use chrono::NaiveDate;
    use std::path::Path;

    const MAP: &str = "---\nscope-map: m\nslices: [Inbox, Now, Later, Won't]\nlimits: {Now: 1}\n---\n## Inbox\n- [ ] Still here ^c-5\n## Now\n- [ ] Login ^c-1\n  - activity: Sign up\n- [ ] Stayed ^c-2\n## Later\n- [ ] Dark mode ^c-3\n  - reversibility: two-way\n  - revisit-when: five users ask\n  - revisit-by: 2026-09-01\n  - notes: polish\n- [ ] Reports ^c-6\n## Won't\n- [ ] Apps ^c-4\n  - notes: the web works on phones\n";

    fn board() -> Board {
        let m = map::parse(Path::new("scope/m.md"), MAP);
        let rows = crate::catalog::Catalog::default();
        let day = NaiveDate::from_ymd_opt(2026, 7, 1).unwrap();
        build(&[m], &rows, Path::new("docs/decisions"), 4, day)
    }

    fn at(id: &str, column: Column) -> StartPlace {
        StartPlace {
            id: id.into(),
            column,
        }
    }

    #[test]
    fn says_what_went_where_and_why() {
        let start = [
            at("c-1", Column::Inbox),
            at("c-2", Column::Now),
            at("c-3", Column::Inbox),
            at("c-4", Column::Now),
            at("c-5", Column::Inbox),
        ];
        let info = SessionInfo {
            map: Some("m".into()),
            started: "10:00".into(),
            ended: "10:45".into(),
            minutes: 45,
        };
        let md = export_session(&board(), &start, &info);
        assert!(md.starts_with("# Workshop outcome: m\n\n2026-07-01, 10:00–10:45 (45 min). 4 cards sorted: 1 to Now, 2 to Later, 1 to Won't; 1 card added.\n"), "{md}");
        assert!(
            md.contains("## Went Now (1)\n\n- **Login** (c-1) · Sign up — from Inbox\n"),
            "{md}"
        );
        assert!(md.contains("- **Dark mode** (c-3) — from Inbox\n  - why: a two-way door: cheap to change when the time comes; polish\n  - revisit when: five users ask\n  - revisit by: 2026-09-01\n"), "{md}");
        assert!(
            md.contains("- **Reports** (c-6) — added in the workshop\n  - _no revisit trigger yet"),
            "{md}"
        );
        assert!(
            md.contains("## Ruled out (Won't) (1)\n\n- **Apps** (c-4) — from Now\n  - why: the web works on phones\n"),
            "{md}"
        );
        assert!(
            md.contains("## Still unsorted (1)\n\n- **Still here** (c-5)\n"),
            "{md}"
        );
        assert!(!md.contains("Stayed"), "unmoved cards are not news: {md}");
        assert!(md.contains("- Now: 2 (limit 1 in m, **over**)\n"), "{md}");
    }

    #[test]
    fn an_empty_workshop_still_reads_well() {
        let b = board();
        let start: Vec<StartPlace> = b.cards().map(|c| at(&c.id, c.column)).collect();
        let md = export_session(&b, &start, &SessionInfo::default());
        assert!(
            md.contains("0 cards sorted: 0 to Now, 0 to Later, 0 to Won't."),
            "{md}"
        );
        assert!(!md.contains("## Went"), "{md}");
    }

    #[test]
    fn export_names_do_not_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        let info = SessionInfo {
            map: Some("Ledgerly MVP".into()),
            ..Default::default()
        };
        let first = default_export_path(dir.path(), &info);
        assert!(first.ends_with(format!("workshops/{}-ledgerly-mvp.md", changes::today())));
        std::fs::create_dir_all(first.parent().unwrap()).unwrap();
        std::fs::write(&first, "x").unwrap();
        let second = default_export_path(dir.path(), &info);
        assert!(second.to_string_lossy().ends_with("-ledgerly-mvp-2.md"));
    }

    fn workspace() -> (cairn_testkit::TestRepo, Workspace) {
        let repo = cairn_testkit::TestRepo::new();
        repo.write(
            ".cairn.toml",
            "decisions = \"decisions\"\nscope = \"scope\"\n",
        );
        repo.write("decisions/0001-a.md", "---\nstatus: accepted\n---\n# A\n");
        repo.write("scope/m.md", MAP);
        repo.commit_all("setup");
        let ws = Workspace::discover(repo.path()).unwrap();
        (repo, ws)
    }

    /// By default the outcome goes to the scope folder and is committed; a place chosen
    /// outside the workspace is only written.
    #[test]
    fn export_commits_inside_the_workspace_and_only_writes_outside() {
        let (repo, ws) = workspace();
        let info = SessionInfo::default();
        let start = [StartPlace {
            id: "c-3".into(),
            column: Column::Now,
        }];
        let commits = repo.commit_count();
        let done = export(&ws, &start, &info, None).unwrap();
        assert!(done.committed);
        assert_eq!(repo.commit_count(), commits + 1);
        let path = PathBuf::from(&done.path);
        assert!(path.starts_with(ws.scope_dir.join("workshops")), "{path:?}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), done.markdown);
        assert!(done.markdown.contains("Dark mode"), "{}", done.markdown);
        assert!(done.html.contains("Dark mode"), "{}", done.html);

        let elsewhere = tempfile::tempdir().unwrap();
        let chosen = elsewhere.path().join("outcome.md");
        let done = export(&ws, &start, &info, Some(chosen.clone())).unwrap();
        assert!(!done.committed);
        assert_eq!(repo.commit_count(), commits + 1);
        assert_eq!(std::fs::read_to_string(&chosen).unwrap(), done.markdown);
    }
}

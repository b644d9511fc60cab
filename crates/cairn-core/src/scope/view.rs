//! The board as the desktop app shows it: the board itself, the suggestions for its Inbox and
//! the operation Ctrl+Z would undo; and an operation or an undo followed by the board after
//! it. Kept here, not in the shell, so each board command is one call into the core.

use std::path::PathBuf;

use serde::Serialize;

use super::board::{self, Board};
use super::import::{self, ImportRequest, Imported};
use super::ops::{self, BoardChange, Op};
use super::suggest::{suggest, Suggestion};
use crate::store::Stamp;
use crate::{changes, Result, Workspace};

/// The board as the UI shows it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct BoardView {
    pub board: Board,
    /// What the core suggests for each card in the Inbox, with the reason.
    pub suggestions: Vec<Suggestion>,
    /// The last operation, which Ctrl+Z would undo ("Scope m: move c-4 to now").
    pub undo: Option<String>,
    /// Where maps live, for the empty board's hint.
    pub scope_dir: String,
}

/// An operation's result: what changed and the board after it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct BoardResult {
    pub change: BoardChange,
    pub view: BoardView,
}

/// An import's result: what it wrote and the board after it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ImportResult {
    pub imported: Imported,
    pub view: BoardView,
}

/// An undo's result: its commit message and the board after it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct UndoResult {
    pub message: String,
    pub view: BoardView,
}

/// The board from the maps and the decisions as they are on disk now, through the rows'
/// cache: only decision files changed since the last read are parsed.
pub fn current(ws: &Workspace) -> Result<Board> {
    board::load(ws, changes::today())
}

/// The board of `ws` with its suggestions and the operation an undo would revert.
pub fn load(ws: &Workspace) -> Result<BoardView> {
    let board = current(ws)?;
    let suggestions = suggest(&board, None)?;
    let undo = super::undo::peek(ws).ok().flatten().map(|j| j.message);
    Ok(BoardView {
        board,
        suggestions,
        undo,
        scope_dir: ws.scope_dir.display().to_string(),
    })
}

/// Applies `op` (refused as a conflict when its map no longer has `stamp`), tells `changed`
/// the files written before the board is read again, so that the caller's caches can start
/// catching up meanwhile, and returns the change with the board after it.
pub fn apply(
    ws: &Workspace,
    op: &Op,
    stamp: Option<&Stamp>,
    changed: impl FnOnce(Vec<PathBuf>),
) -> Result<BoardResult> {
    let change = ops::apply(ws, op, stamp)?;
    changed(change.outcome.paths.clone());
    Ok(BoardResult {
        change,
        view: load(ws)?,
    })
}

/// Imports cards into a map's Inbox as one commit (refused as a conflict when the map no
/// longer has `stamp`), tells `changed` the map written, as `apply` does, and returns what was
/// added with the board after it.
pub fn import(
    ws: &Workspace,
    req: &ImportRequest,
    stamp: Option<&Stamp>,
    changed: impl FnOnce(Vec<PathBuf>),
) -> Result<ImportResult> {
    let imported = import::import(ws, req, stamp)?;
    changed(imported.change.outcome.paths.clone());
    Ok(ImportResult {
        imported,
        view: load(ws)?,
    })
}

/// Undoes the last operation as one commit, tells `changed` the files written (as `apply`
/// does), and returns the undo's message with the board after it.
pub fn undo(ws: &Workspace, changed: impl FnOnce(Vec<PathBuf>)) -> Result<UndoResult> {
    let done = super::undo::undo(ws)?;
    changed(done.outcome.paths.clone());
    Ok(UndoResult {
        message: done.message,
        view: load(ws)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scope::Column;
    use cairn_testkit::TestRepo;

    fn setup() -> (TestRepo, Workspace) {
        let repo = TestRepo::new();
        repo.write(
            ".cairn.toml",
            "decisions = \"decisions\"\nscope = \"scope\"\n",
        );
        repo.write("decisions/0001-a.md", "---\nstatus: accepted\n---\n# A\n");
        repo.write(
            "scope/m.md",
            "---\nscope-map: m\nslices: [Now, Later]\n---\n## Now\n- [ ] A ^c-1\n## Later\n",
        );
        repo.commit_all("setup");
        let ws = Workspace::discover(repo.path()).unwrap();
        (repo, ws)
    }

    fn column_of(view: &BoardView, id: &str) -> Column {
        view.board.cards().find(|c| c.id == id).unwrap().column
    }

    #[test]
    fn load_gives_the_board_its_suggestions_and_no_undo_yet() {
        let (_repo, ws) = setup();
        let view = load(&ws).unwrap();
        assert_eq!(column_of(&view, "c-1"), Column::Now);
        assert!(view.board.cards().any(|c| c.id == "0001"), "{view:?}");
        assert_eq!(view.undo, None);
        assert_eq!(view.scope_dir, ws.scope_dir.display().to_string());
    }

    /// The caller hears of the written files before the board after the change is read, and
    /// undo puts the card back, reporting its files the same way.
    #[test]
    fn apply_and_undo_report_the_files_and_return_the_board_after() {
        let (_repo, ws) = setup();
        let op = Op::Move {
            id: "c-1".into(),
            column: Column::Later,
            before: None,
        };
        let mut heard = Vec::new();
        let done = apply(&ws, &op, None, |p| heard = p).unwrap();
        assert_eq!(heard, vec![ws.scope_dir.join("m.md")]);
        assert_eq!(column_of(&done.view, "c-1"), Column::Later);
        assert!(done.view.undo.is_some());

        let mut heard = Vec::new();
        let undone = undo(&ws, |p| heard = p).unwrap();
        assert_eq!(heard, vec![ws.scope_dir.join("m.md")]);
        assert!(undone.message.starts_with("Undo: "), "{}", undone.message);
        assert_eq!(column_of(&undone.view, "c-1"), Column::Now);
    }
}

//! The board's commands: load the Now vs. Later board, apply an operation (a move, an add)
//! against the stamp the UI loaded the map with, undo the last one, export a workshop's
//! outcome, and put the window in full screen for a workshop. Every change goes through
//! `cairn_core::scope`, which writes it as one commit.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use cairn_core::scope::workshop::{export_session, SessionInfo, StartPlace};
use cairn_core::scope::{self, board, undo, Board, BoardChange, Op, Suggestion};
use cairn_core::store::{Change, Stamp, Write};
use cairn_core::{changes, Error, Result};
use serde::Serialize;
use tauri::{AppHandle, State, WebviewWindow};
use tauri_plugin_dialog::DialogExt;
use ts_rs::TS;

use crate::commands::blocking;
use crate::state::Shared;

/// The board as the UI shows it.
#[derive(Debug, Clone, Serialize, TS)]
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
#[derive(Debug, Clone, Serialize, TS)]
pub struct BoardResult {
    pub change: BoardChange,
    pub view: BoardView,
}

/// An undo's result: its commit message and the board after it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct UndoResult {
    pub message: String,
    pub view: BoardView,
}

/// A workshop outcome as written: where, the Markdown, and the same as safe HTML to show.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ExportedSession {
    pub path: String,
    pub markdown: String,
    pub html: String,
    /// True when it was committed (a file inside the workspace with autocommit on).
    pub committed: bool,
}

/// Builds the board from the maps and the decisions as they are on disk now. The decisions
/// are parsed afresh: the session keeps only the log's rows, not whole decisions. That costs
/// ~1 ms per decision file; the board moves a card on screen before this answer arrives.
fn view(shared: &Shared) -> Result<BoardView> {
    let snap = shared.snapshot()?;
    let log = snap.ws.load()?;
    let maps: Vec<_> = board::load_maps(&snap.ws)?
        .into_iter()
        .map(|(m, _)| m)
        .collect();
    let width = changes::number_width(&snap.ws, &log);
    let board = board::build(&maps, &log, width, changes::today());
    let suggestions = scope::suggest(&board, None)?;
    let undo = undo::peek(&snap.ws).ok().flatten().map(|j| j.message);
    Ok(BoardView {
        board,
        suggestions,
        undo,
        scope_dir: snap.ws.scope_dir.display().to_string(),
    })
}

#[tauri::command]
pub async fn board_load(state: State<'_, Shared>) -> Result<BoardView> {
    let shared = state.inner().clone();
    blocking(move || view(&shared)).await
}

/// The board after a change to `paths`. The log's rows and the search index catch up on a
/// thread of their own: the index's commit takes tens of milliseconds, and the board should
/// not wait for it.
fn after_change(shared: &Shared, paths: Vec<PathBuf>) -> Result<BoardView> {
    let background = shared.clone();
    std::thread::spawn(move || background.files_changed(&paths));
    view(shared)
}

/// Applies one operation. `stamp` is the stamp of the card's map as the board was loaded;
/// when the map changed on disk since, the operation is refused with kind `conflict` and
/// nothing is written.
#[tauri::command]
pub async fn board_apply(
    state: State<'_, Shared>,
    op: Op,
    stamp: Option<Stamp>,
) -> Result<BoardResult> {
    let shared = state.inner().clone();
    blocking(move || {
        let snap = shared.snapshot()?;
        let change = scope::apply(&snap.ws, &op, stamp.as_ref())?;
        let view = after_change(&shared, change.outcome.paths.clone())?;
        Ok(BoardResult { change, view })
    })
    .await
}

/// Undoes the last board operation (the core's undo journal), as one commit.
#[tauri::command]
pub async fn board_undo(state: State<'_, Shared>) -> Result<UndoResult> {
    let shared = state.inner().clone();
    blocking(move || {
        let snap = shared.snapshot()?;
        let changed = scope::undo(&snap.ws)?;
        let view = after_change(&shared, changed.outcome.paths.clone())?;
        Ok(UndoResult {
            message: changed.message,
            view,
        })
    })
    .await
}

/// Writes a workshop's outcome: with `choose`, where the user picks in the native save
/// dialog (None when they cancel); else to `<scope>/workshops/<date>-<map>.md` in the
/// workspace, committed.
#[tauri::command]
pub async fn board_export_session(
    app: AppHandle,
    state: State<'_, Shared>,
    start: Vec<StartPlace>,
    info: SessionInfo,
    choose: bool,
) -> Result<Option<ExportedSession>> {
    let shared = state.inner().clone();
    let snap = shared.snapshot()?;
    let default = default_export_path(&snap.ws.scope_dir, &info);
    let (path, chosen) = if choose {
        let picked = app
            .dialog()
            .file()
            .set_title("Save the workshop outcome")
            .add_filter("Markdown", &["md"])
            .set_directory(default.parent().unwrap_or(&snap.ws.root))
            .set_file_name(
                default
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
            )
            .blocking_save_file();
        match picked.and_then(|p| p.into_path().ok()) {
            Some(p) => (p, true),
            None => return Ok(None),
        }
    } else {
        (default, false)
    };
    blocking(move || {
        let view = view(&shared)?;
        let markdown = export_session(&view.board, &start, &info);
        let snap = shared.snapshot()?;
        let committed = write_export(&snap.ws, &path, &markdown, chosen)?;
        let dir = path.parent().unwrap_or(&snap.ws.root);
        let html = cairn_core::render::to_html(
            &markdown,
            &cairn_core::render::Context {
                root: &snap.ws.root,
                base: dir,
                decisions_dir: &snap.ws.decisions_dir,
                decision_files: &HashSet::new(),
            },
        );
        Ok(Some(ExportedSession {
            path: path.display().to_string(),
            markdown,
            html,
            committed,
        }))
    })
    .await
}

/// `<scope>/workshops/2026-07-01-ledgerly-mvp.md`, with `-2`, `-3`… when that exists.
fn default_export_path(scope_dir: &Path, info: &SessionInfo) -> PathBuf {
    let dir = scope_dir.join("workshops");
    let slug = cairn_core::decision::slugify(info.map.as_deref().unwrap_or("board"));
    let base = format!("{}-{}", changes::today(), slug);
    let mut path = dir.join(format!("{base}.md"));
    let mut n = 2;
    while path.exists() {
        path = dir.join(format!("{base}-{n}.md"));
        n += 1;
    }
    path
}

/// Inside the workspace the outcome is written and committed like any other change;
/// elsewhere (only where the user `chosen` it in the save dialog) it is only written. The
/// default place comes from the repository (its scope folder), so it must stay inside: a
/// `workshops` folder that is a link leading out is refused by the store. Returns whether a
/// commit was made.
fn write_export(
    ws: &cairn_core::Workspace,
    path: &Path,
    markdown: &str,
    chosen: bool,
) -> Result<bool> {
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
        cairn_core::store::write_atomic(path, markdown.as_bytes())?;
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
    Ok(matches!(
        outcome.committed,
        cairn_core::Committed::Commit { .. }
    ))
}

/// Full screen for a workshop, and back.
#[tauri::command]
pub async fn set_fullscreen(window: WebviewWindow, on: bool) -> Result<()> {
    window
        .set_fullscreen(on)
        .map_err(|e| Error::Invalid(format!("cannot change full screen: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

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
}

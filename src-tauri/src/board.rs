//! The board's commands: load the Now vs. Later board, apply an operation (a move, an add)
//! against the stamp the UI loaded the map with, import cards into a map's Inbox (with a
//! preview first), undo the last one, export a workshop's outcome, and put the window in full
//! screen for a workshop. Every change goes through
//! `cairn_core::scope`, which writes it as one commit.

use std::path::PathBuf;

use cairn_core::scope::import::{self, ImportPreview, ImportRequest};
use cairn_core::scope::view::{self, BoardResult, BoardView, ImportResult, UndoResult};
use cairn_core::scope::workshop::{self, ExportedSession, SessionInfo, StartPlace};
use cairn_core::scope::Op;
use cairn_core::store::Stamp;
use cairn_core::{Error, Result, Workspace};
use tauri::{AppHandle, State, WebviewWindow};

use crate::state::Shared;
use crate::task::blocking;

#[tauri::command]
pub async fn board_load(state: State<'_, Shared>) -> Result<BoardView> {
    let snap = state.snapshot()?;
    blocking(move || view::load(&snap.ws)).await
}

/// What the board commands do with the files an operation wrote: the log's rows and the
/// search index catch up on a thread of their own (the index's commit takes tens of
/// milliseconds, and the board should not wait for it).
fn in_background(shared: Shared) -> impl FnOnce(Vec<PathBuf>) {
    move |paths| {
        std::thread::spawn(move || shared.files_changed(&paths));
    }
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
    let (shared, snap) = (state.inner().clone(), state.snapshot()?);
    blocking(move || view::apply(&snap.ws, &op, stamp.as_ref(), in_background(shared))).await
}

/// What importing `request` would add, for the preview; writes nothing.
#[tauri::command]
pub async fn board_import_preview(
    state: State<'_, Shared>,
    request: ImportRequest,
) -> Result<ImportPreview> {
    let snap = state.snapshot()?;
    blocking(move || import::preview(&snap.ws, &request)).await
}

/// Imports the cards the preview showed as one commit. `stamp` is the map's as the board was
/// loaded (absent for a new map); a map changed since is a `conflict`.
#[tauri::command]
pub async fn board_import(
    state: State<'_, Shared>,
    request: ImportRequest,
    stamp: Option<Stamp>,
) -> Result<ImportResult> {
    let (shared, snap) = (state.inner().clone(), state.snapshot()?);
    blocking(move || view::import(&snap.ws, &request, stamp.as_ref(), in_background(shared))).await
}

/// Undoes the last board operation (the core's undo journal), as one commit.
#[tauri::command]
pub async fn board_undo(state: State<'_, Shared>) -> Result<UndoResult> {
    let (shared, snap) = (state.inner().clone(), state.snapshot()?);
    blocking(move || view::undo(&snap.ws, in_background(shared))).await
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
    let snap = state.snapshot()?;
    let Some(chosen) = destination(&app, &snap.ws, &info, choose).await else {
        return Ok(None);
    };
    blocking(move || workshop::export(&snap.ws, &start, &info, chosen).map(Some)).await
}

/// Where the user wants the export: `Some(None)` for the workspace's own place (without
/// `choose`), `Some(Some(path))` for the file picked in the save dialog, `None` when the user
/// cancelled it.
async fn destination(
    app: &AppHandle,
    ws: &Workspace,
    info: &SessionInfo,
    choose: bool,
) -> Option<Option<PathBuf>> {
    if !choose {
        return Some(None);
    }
    let default = workshop::default_export_path(&ws.scope_dir, info);
    crate::dialog::save_markdown(app, &default, &ws.root)
        .await
        .map(Some)
}

/// Full screen for a workshop, and back.
#[tauri::command]
pub async fn set_fullscreen(window: WebviewWindow, on: bool) -> Result<()> {
    window
        .set_fullscreen(on)
        .map_err(|e| Error::Window { msg: e.to_string() })
}

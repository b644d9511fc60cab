//! The Sync button's commands: where the branch stands against its upstream, and a sync
//! (fetch, fast-forward or conflict-free merge, push) by `cairn_core::sync` on the blocking
//! pool, after which the log, the search index and the UI follow the files it changed.

use std::sync::Mutex;

use cairn_core::sync::{self, SyncReport, SyncStatus};
use cairn_core::Result;
use tauri::{AppHandle, Emitter, State};

use crate::commands::blocking;
use crate::state::Shared;
use crate::types::FilesChanged;

/// A second click while a sync runs waits for it (and then finds nothing to do) rather than
/// fetching and pushing from two threads at once.
static SYNCING: Mutex<()> = Mutex::new(());

/// Ahead/behind as of the last fetch; local only, so it is cheap to ask often.
#[tauri::command]
pub async fn sync_status(state: State<'_, Shared>) -> Result<SyncStatus> {
    let snap = state.snapshot()?;
    blocking(move || sync::status(&snap.ws.root)).await
}

/// Syncs the open workspace's repository. A conflict, a missing upstream or an unreachable
/// remote come back as errors (`sync-conflict`, `no-upstream`, `remote`) with nothing changed.
#[tauri::command]
pub async fn sync_now(app: AppHandle, state: State<'_, Shared>) -> Result<SyncReport> {
    let shared = state.inner().clone();
    blocking(move || {
        let snap = shared.snapshot()?;
        let report = {
            let _one = SYNCING.lock().unwrap_or_else(|p| p.into_inner());
            sync::sync(&snap.ws.root)?
        };
        // The watcher would notice too, but only after its debounce; this makes the list and
        // search right before the answer arrives. Git reports paths under its own (resolved)
        // working folder, so they are matched to the decisions folder by its resolved path.
        let dir = &snap.ws.decisions_dir;
        let resolved = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.clone());
        let files: Vec<String> = report
            .changed
            .iter()
            .filter(|p| {
                p.parent()
                    .is_some_and(|d| std::fs::canonicalize(d).is_ok_and(|d| d == resolved))
            })
            .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .collect();
        if !files.is_empty() {
            shared.files_changed(&files.iter().map(|f| dir.join(f)).collect::<Vec<_>>());
            let _ = app.emit("files-changed", FilesChanged { files });
        }
        Ok(report)
    })
    .await
}

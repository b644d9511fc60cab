//! The Sync button's commands: where the branch stands against its upstream, and a sync
//! (fetch, fast-forward or conflict-free merge, push) by `cairn_core::sync` on the blocking
//! pool, after which the log, the search index and the UI follow the files it changed.

use std::path::Path;
use std::sync::Mutex;

use cairn_core::sync::{self, SyncReport, SyncStatus};
use cairn_core::Result;
use tauri::{AppHandle, Emitter, State};

use crate::state::Shared;
use crate::task::blocking;
use crate::types::FilesChanged;

/// Ahead/behind as of the last fetch; local only, so it is cheap to ask often.
#[tauri::command]
pub async fn sync_status(state: State<'_, Shared>) -> Result<SyncStatus> {
    let snap = state.snapshot()?;
    blocking(move || sync::status(&snap.ws.root)).await
}

/// Syncs the open workspace's repository. A conflict, a missing upstream or an unreachable
/// remote come back as errors (`sync-conflict`, `no-upstream`, `remote`) with nothing changed.
/// A second sync waits for a running one (`Shared::syncing`).
#[tauri::command]
pub async fn sync_now(app: AppHandle, state: State<'_, Shared>) -> Result<SyncReport> {
    let shared = state.inner().clone();
    blocking(move || {
        let snap = shared.snapshot()?;
        let report = one_at_a_time(&shared.syncing, || sync::sync(&snap.ws.root))?;
        follow(&app, &shared, &snap.ws.decisions_dir, &report);
        Ok(report)
    })
    .await
}

/// Runs `f` while holding `lock`, so a second sync waits for the first. A panic in another
/// sync leaves nothing half-done behind the lock, so a poisoned one is taken all the same.
fn one_at_a_time<T>(lock: &Mutex<()>, f: impl FnOnce() -> T) -> T {
    let _one = lock.lock().unwrap_or_else(|p| p.into_inner());
    f()
}

/// The watcher would notice too, but only after its debounce; this makes the list and search
/// right before the sync's answer arrives.
fn follow(app: &AppHandle, shared: &Shared, dir: &Path, report: &SyncReport) {
    let files = report.decisions_changed(dir);
    if !files.is_empty() {
        shared.files_changed(&files.iter().map(|f| dir.join(f)).collect::<Vec<_>>());
        let _ = app.emit("files-changed", FilesChanged { files });
    }
}

//! The history panel's commands: the Git history of one decision (created, last changed,
//! every version) and the diff between its versions, from `cairn_core::history`; and the
//! `head-moved` event that keeps them current.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use cairn_core::history::{self, DiffLine, FileHistory, HeadFiles};
use cairn_core::{Error, Result, Workspace};
use tauri::{AppHandle, Emitter, State};

use crate::commands::blocking;
use crate::state::Shared;
use crate::types::HeadMoved;

/// One history computation at a time: the first one on a large repository takes seconds, and
/// a second request arriving meanwhile (another decision clicked, HEAD moving) should wait
/// for it and then be served from the core's per-HEAD cache instead of walking all commits
/// again on the other core.
static COMPUTING: Mutex<()> = Mutex::new(());

/// The history of the decision `file` (a name in the decisions folder), or `None` when the
/// file has never been committed.
fn of_decision(ws: &Workspace, file: &str) -> Result<Option<FileHistory>> {
    let path = cairn_core::paths::decision_file(ws, file)?;
    if !cairn_core::store::is_repository(&ws.root) {
        return Err(Error::Invalid(format!(
            "{} is not in a Git repository, so it has no history",
            ws.root.display()
        )));
    }
    let all = {
        // A panic elsewhere while computing leaves nothing half-done behind this lock.
        let _one = COMPUTING.lock().unwrap_or_else(|p| p.into_inner());
        history::workspace_history(ws)?
    };
    Ok(history::of_file(ws, &all, &path).cloned())
}

/// Created, last changed and every version (newest first) of `file`; computed on the blocking
/// pool, so the window stays responsive while a large history is walked the first time.
#[tauri::command]
pub async fn decision_history(
    state: State<'_, Shared>,
    file: String,
) -> Result<Option<FileHistory>> {
    let snap = state.snapshot()?;
    blocking(move || of_decision(&snap.ws, &file)).await
}

/// The lines that differ between two versions of `file` (by commit id); without `old`, what
/// the version `new` itself changed.
#[tauri::command]
pub async fn version_diff(
    state: State<'_, Shared>,
    file: String,
    old: Option<String>,
    new: String,
) -> Result<Vec<DiffLine>> {
    let snap = state.snapshot()?;
    blocking(move || {
        let history = of_decision(&snap.ws, &file)?.ok_or_else(|| Error::NotFound {
            reference: format!("{file} in Git history (it has not been committed)"),
        })?;
        history::diff_versions(&snap.ws.root, &history, old.as_deref(), &new)
    })
    .await
}

/// Tells the UI when HEAD moves (a save by Cairn, a commit or a pull elsewhere, a sync, a
/// checkout), with a `head-moved` event, so the history panel and the sync status follow.
/// The file watcher feeds it every batch of events under the Git folder; most such batches
/// (`git status` refreshing the index, a fetch) leave HEAD where it was and say nothing.
pub struct HeadWatch {
    root: PathBuf,
    pub files: HeadFiles,
    last: Option<String>,
}

impl HeadWatch {
    /// `None` outside a Git repository: there is no HEAD to follow.
    pub fn new(ws: &Workspace) -> Option<HeadWatch> {
        if !cairn_core::store::is_repository(&ws.root) {
            return None;
        }
        Some(HeadWatch {
            root: ws.root.clone(),
            files: history::head_files(&ws.root).ok()?,
            last: history::head(&ws.root).ok().flatten(),
        })
    }

    /// True for a path whose change may mean HEAD moved.
    pub fn concerns(&self, path: &Path) -> bool {
        path.parent() == Some(self.files.git_dir.as_path())
            || path.starts_with(&self.files.branch_dir)
    }

    /// Compares HEAD with the last one seen and emits `head-moved` when it differs.
    pub fn check(&mut self, app: &AppHandle) {
        let Ok(now) = history::head(&self.root) else {
            return; // mid-write (a lock file being renamed): the next event will tell
        };
        if now != self.last {
            self.last = now.clone();
            let _ = app.emit("head-moved", HeadMoved { head: now });
        }
    }
}

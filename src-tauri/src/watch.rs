//! Watches the decisions folder and the scope-map folder so that edits made outside the app
//! (an editor, `git pull`) show in the app within a second: the index follows, and the UI
//! gets `files-changed` for decisions and `scope-changed` for scope maps (the board reloads).

use std::path::{Path, PathBuf};
use std::time::Duration;

use cairn_core::Workspace;
use notify_debouncer_full::notify::event::{AccessKind, AccessMode};
use notify_debouncer_full::notify::{EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{new_debouncer, DebounceEventResult, Debouncer, RecommendedCache};
use tauri::{AppHandle, Emitter};

use crate::state::Shared;
use crate::types::FilesChanged;

/// Short enough to feel immediate, long enough to fold an editor's save (write, rename,
/// chmod) into one refresh.
/// `CAIRN_WATCH_DEBOUNCE_MS` overrides it (the end-to-end tests widen it to make a move over a
/// map that changed on disk, before the board heard of the change, happen on purpose).
const DEBOUNCE: Duration = Duration::from_millis(200);

fn debounce() -> Duration {
    std::env::var("CAIRN_WATCH_DEBOUNCE_MS")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .map_or(DEBOUNCE, Duration::from_millis)
}

/// Whether an event can mean new content. Opening and reading a file are events too
/// (inotify's IN_OPEN and IN_CLOSE_NOWRITE): counting them would make every reload of the
/// board, which reads the maps, look like an outside edit and reload it again, forever.
fn changes_content(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

fn is_markdown(p: &Path) -> bool {
    p.extension().is_some_and(|x| x == "md" || x == "markdown")
}

fn names(paths: &[PathBuf]) -> Vec<String> {
    paths
        .iter()
        .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect()
}

/// Stops watching when dropped (with the session it belongs to).
pub struct Watcher {
    _debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
}

impl Watcher {
    pub fn start(
        app: AppHandle,
        shared: Shared,
        ws: &Workspace,
    ) -> notify_debouncer_full::notify::Result<Watcher> {
        let dir = ws.decisions_dir.clone();
        let scope = ws.scope_dir.clone();
        let mut debouncer = new_debouncer(debounce(), None, move |result: DebounceEventResult| {
            let Ok(events) = result else { return };
            let mut paths: Vec<PathBuf> = events
                .iter()
                .filter(|e| changes_content(&e.kind))
                .flat_map(|e| e.paths.iter())
                .filter(|p| is_markdown(p))
                .filter(|p| {
                    p.parent() == Some(dir.as_path()) || p.parent() == Some(scope.as_path())
                })
                .cloned()
                .collect();
            paths.sort();
            paths.dedup();
            if paths.is_empty() {
                return;
            }
            shared.files_changed(&paths);
            let (maps, decisions): (Vec<PathBuf>, Vec<PathBuf>) = paths
                .into_iter()
                .partition(|p| p.parent() == Some(scope.as_path()));
            if !decisions.is_empty() {
                let _ = app.emit(
                    "files-changed",
                    FilesChanged {
                        files: names(&decisions),
                    },
                );
            }
            if !maps.is_empty() {
                let _ = app.emit(
                    "scope-changed",
                    FilesChanged {
                        files: names(&maps),
                    },
                );
            }
        })?;
        debouncer.watch(&ws.decisions_dir, RecursiveMode::NonRecursive)?;
        // A workspace may have no maps yet; the first one made in the app is not watched
        // until the workspace is opened again.
        if ws.scope_dir.is_dir() && ws.scope_dir != ws.decisions_dir {
            debouncer.watch(&ws.scope_dir, RecursiveMode::NonRecursive)?;
        }
        Ok(Watcher {
            _debouncer: debouncer,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify_debouncer_full::notify::event::{CreateKind, ModifyKind, RemoveKind};

    #[test]
    fn reading_a_file_is_not_a_change() {
        for read in [
            EventKind::Access(AccessKind::Open(AccessMode::Any)),
            EventKind::Access(AccessKind::Read),
            EventKind::Access(AccessKind::Close(AccessMode::Read)),
        ] {
            assert!(!changes_content(&read), "{read:?}");
        }
        for change in [
            EventKind::Access(AccessKind::Close(AccessMode::Write)),
            EventKind::Modify(ModifyKind::Any),
            EventKind::Create(CreateKind::File),
            EventKind::Remove(RemoveKind::File),
            EventKind::Any,
        ] {
            assert!(changes_content(&change), "{change:?}");
        }
    }
}

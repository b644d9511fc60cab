//! Watches the decisions folder and the scope-map folder so that edits made outside the app
//! (an editor, `git pull`) show in the app within a second: the index follows, and the UI
//! gets `files-changed` for decisions and `scope-changed` for scope maps (the board
//! reloads); and watches the Git folder, so the UI gets `head-moved` when HEAD moves (see
//! `head`).

use std::path::{Path, PathBuf};
use std::time::Duration;

use cairn_core::Workspace;
use notify_debouncer_full::notify::event::{AccessKind, AccessMode};
use notify_debouncer_full::notify::{EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{new_debouncer, DebounceEventResult, Debouncer, RecommendedCache};
use tauri::{AppHandle, Emitter};

use crate::head::HeadWatch;
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

/// Opening and reading a file is reported too (inotify's open and close-after-read): only
/// writes count, or reading the files after a change would look like another change, and so
/// on for ever.
fn is_change(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(access) => *access == AccessKind::Close(AccessMode::Write),
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
    /// Watches `ws`; `changed` hears of every batch of changed Markdown files (decisions and
    /// maps) before the UI does, so the app's caches are current when the UI asks again.
    pub fn start(
        app: AppHandle,
        ws: &Workspace,
        changed: impl Fn(&[PathBuf]) + Send + 'static,
    ) -> notify_debouncer_full::notify::Result<Watcher> {
        let dir = ws.decisions_dir.clone();
        let scope = ws.scope_dir.clone();
        let mut head = HeadWatch::new(ws);
        let head_files = head.as_ref().map(|h| h.files.clone());
        let mut debouncer = new_debouncer(debounce(), None, move |result: DebounceEventResult| {
            let Ok(mut events) = result else { return };
            events.retain(|e| is_change(&e.kind));
            if let Some(head) = head.as_mut() {
                if events
                    .iter()
                    .flat_map(|e| e.paths.iter())
                    .any(|p| head.concerns(p))
                {
                    head.check(&app);
                }
            }
            let mut paths: Vec<PathBuf> = events
                .iter()
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
            changed(&paths);
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
        if let Some(files) = head_files {
            // Without these the app still works; only HEAD moves made outside it go unseen.
            let _ = debouncer.watch(&files.git_dir, RecursiveMode::NonRecursive);
            let _ = debouncer.watch(&files.branch_dir, RecursiveMode::Recursive);
        }
        Ok(Watcher {
            _debouncer: debouncer,
        })
    }
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc;

    use notify_debouncer_full::notify::event::{CreateKind, ModifyKind, RemoveKind};

    use super::*;

    /// Events from a real watcher on a temporary folder while `act` runs.
    fn events_during(dir: &std::path::Path, act: impl FnOnce()) -> Vec<EventKind> {
        let (tx, rx) = mpsc::channel();
        let mut debouncer = new_debouncer(DEBOUNCE, None, move |r: DebounceEventResult| {
            if let Ok(events) = r {
                let _ = tx.send(events.into_iter().map(|e| e.kind).collect::<Vec<_>>());
            }
        })
        .unwrap();
        debouncer.watch(dir, RecursiveMode::NonRecursive).unwrap();
        act();
        let mut kinds = Vec::new();
        while let Ok(batch) = rx.recv_timeout(Duration::from_millis(1500)) {
            kinds.extend(batch);
        }
        kinds
    }

    /// The app reads every decision after a change; if reads counted as changes, that would
    /// start the next refresh, and so on without end.
    #[test]
    fn reading_files_is_not_a_change_and_writing_is() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("0001-a.md");
        std::fs::write(&file, "# A\n").unwrap();

        let read = events_during(dir.path(), || {
            std::fs::read_to_string(&file).unwrap();
            std::fs::read_dir(dir.path()).unwrap().for_each(drop);
        });
        assert!(!read.iter().any(is_change), "{read:?}");

        let written = events_during(dir.path(), || std::fs::write(&file, "# B\n").unwrap());
        assert!(written.iter().any(is_change), "{written:?}");
    }

    #[test]
    fn only_reads_are_set_aside() {
        for read in [
            EventKind::Access(AccessKind::Open(AccessMode::Any)),
            EventKind::Access(AccessKind::Read),
            EventKind::Access(AccessKind::Close(AccessMode::Read)),
        ] {
            assert!(!is_change(&read), "{read:?}");
        }
        for change in [
            EventKind::Access(AccessKind::Close(AccessMode::Write)),
            EventKind::Modify(ModifyKind::Any),
            EventKind::Create(CreateKind::File),
            EventKind::Remove(RemoveKind::File),
            EventKind::Any,
        ] {
            assert!(is_change(&change), "{change:?}");
        }
    }
}

//! Watches the decisions folder and the scope-map folder so that edits made outside the app
//! (an editor, `git pull`) show in the app within a second: the index follows, and the UI
//! gets `files-changed` for decisions and `scope-changed` for scope maps (the board
//! reloads); and watches the Git folder, so the UI gets `head-moved` when HEAD moves (see
//! `head`).

use std::path::PathBuf;
use std::time::Duration;

use cairn_core::watch::{changed_markdown, is_change};
use cairn_core::Workspace;
use notify_debouncer_full::notify::{RecommendedWatcher, RecursiveMode};
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
            let paths = changed_markdown(&events, &[dir.as_path(), scope.as_path()]);
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

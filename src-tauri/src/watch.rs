//! Watches the decisions folder so that edits made outside the app (an editor, `git pull`)
//! show in the app within a second: the index follows, and the UI gets `files-changed`; and
//! watches the Git folder, so the UI gets `head-moved` when HEAD moves (see `HeadWatch`).

use std::path::PathBuf;
use std::time::Duration;

use cairn_core::Workspace;
use notify_debouncer_full::notify::event::{AccessKind, AccessMode};
use notify_debouncer_full::notify::{EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{new_debouncer, DebounceEventResult, Debouncer, RecommendedCache};
use tauri::{AppHandle, Emitter};

use crate::history::HeadWatch;
use crate::state::Shared;
use crate::types::FilesChanged;

/// Short enough to feel immediate, long enough to fold an editor's save (write, rename,
/// chmod) into one refresh.
const DEBOUNCE: Duration = Duration::from_millis(200);

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
        let mut head = HeadWatch::new(ws);
        let head_files = head.as_ref().map(|h| h.files.clone());
        let mut debouncer = new_debouncer(DEBOUNCE, None, move |result: DebounceEventResult| {
            let Ok(mut events) = result else { return };
            // Opening and reading a file is reported too: only writes count, or reading the
            // files after a change would look like another change, and so on for ever.
            events.retain(|e| match e.kind {
                EventKind::Access(kind) => kind == AccessKind::Close(AccessMode::Write),
                _ => true,
            });
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
                .filter(|p| p.parent() == Some(dir.as_path()))
                .filter(|p| p.extension().is_some_and(|x| x == "md" || x == "markdown"))
                .cloned()
                .collect();
            paths.sort();
            paths.dedup();
            if paths.is_empty() {
                return;
            }
            shared.files_changed(&paths);
            let files = paths
                .iter()
                .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
                .collect();
            let _ = app.emit("files-changed", FilesChanged { files });
        })?;
        debouncer.watch(&ws.decisions_dir, RecursiveMode::NonRecursive)?;
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

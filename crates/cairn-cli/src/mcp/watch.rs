//! Watches the decisions and scope-map folders for the MCP server, so that edits made
//! elsewhere (an editor, `git pull`, another agent) reach search at once and subscribed
//! clients as notifications.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use notify_debouncer_full::notify::event::{AccessKind, AccessMode, ModifyKind};
use notify_debouncer_full::notify::{EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{new_debouncer, DebounceEventResult, Debouncer, RecommendedCache};

use super::State;

/// Long enough to fold an editor's save (write, rename, chmod) into one batch.
const DEBOUNCE: Duration = Duration::from_millis(150);

/// Reads are reported too (inotify's close-after-read); only writes are changes, or the
/// server's own reads after a change would look like more changes.
fn is_change(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(access) => *access == AccessKind::Close(AccessMode::Write),
        _ => true,
    }
}

fn is_markdown(p: &Path) -> bool {
    p.extension().is_some_and(|x| x == "md" || x == "markdown")
}

/// Starts watching; `None` when the system refuses a watch (too many inotify watches): the
/// server still answers, and sees changes made through itself.
pub fn start(state: Arc<State>) -> Option<Debouncer<RecommendedWatcher, RecommendedCache>> {
    let ws = state.workspace().clone();
    let folders = [ws.decisions_dir.clone(), ws.scope_dir.clone()];
    let watched = folders.clone();
    let mut debouncer = new_debouncer(DEBOUNCE, None, move |result: DebounceEventResult| {
        let Ok(events) = result else { return };
        let mut paths: Vec<PathBuf> = events
            .iter()
            .filter(|e| is_change(&e.kind))
            .flat_map(|e| e.paths.iter())
            .filter(|p| is_markdown(p) && watched.iter().any(|f| p.parent() == Some(f.as_path())))
            .cloned()
            .collect();
        paths.sort();
        paths.dedup();
        let listed = events.iter().any(|e| {
            matches!(
                e.kind,
                EventKind::Create(_)
                    | EventKind::Remove(_)
                    | EventKind::Modify(ModifyKind::Name(_))
            )
        });
        if !paths.is_empty() {
            state.changed(&paths, listed);
        }
    })
    .ok()?;
    for folder in folders.iter().filter(|f| f.is_dir()) {
        debouncer.watch(folder, RecursiveMode::NonRecursive).ok()?;
    }
    Some(debouncer)
}

//! Watches the decisions and scope-map folders for the MCP server, so that edits made
//! elsewhere (an editor, `git pull`, another agent) reach search at once and subscribed
//! clients as notifications.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use cairn_core::watch::{changed_markdown, listing_changed};
use notify_debouncer_full::notify::{RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{new_debouncer, DebounceEventResult, Debouncer, RecommendedCache};

use super::State;

/// Long enough to fold an editor's save (write, rename, chmod) into one batch.
const DEBOUNCE: Duration = Duration::from_millis(150);

/// Starts watching; `None` when the system refuses a watch (too many inotify watches): the
/// server still answers, and sees changes made through itself.
pub fn start(state: Arc<State>) -> Option<Debouncer<RecommendedWatcher, RecommendedCache>> {
    let ws = state.workspace().clone();
    let folders = [ws.decisions_dir.clone(), ws.scope_dir.clone()];
    let watched = folders.clone();
    let mut debouncer = new_debouncer(DEBOUNCE, None, move |result: DebounceEventResult| {
        let Ok(events) = result else { return };
        let folders: Vec<&Path> = watched.iter().map(|f| f.as_path()).collect();
        let paths = changed_markdown(&events, &folders);
        if !paths.is_empty() {
            state.changed(&paths, listing_changed(&events));
        }
    })
    .ok()?;
    for folder in folders.iter().filter(|f| f.is_dir()) {
        debouncer.watch(folder, RecursiveMode::NonRecursive).ok()?;
    }
    Some(debouncer)
}

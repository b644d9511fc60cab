//! What a batch of file-system events means for a workspace: which decision and scope-map
//! files changed, and whether a folder's listing did. The desktop app's watcher and the MCP
//! server's share this reading, so an edit made elsewhere reaches both the same way.

use std::path::{Path, PathBuf};

use notify_debouncer_full::notify::event::{AccessKind, AccessMode, ModifyKind};
use notify_debouncer_full::notify::EventKind;
use notify_debouncer_full::DebouncedEvent;

use crate::listing::is_markdown;

/// Opening and reading a file is reported too (inotify's open and close-after-read): only
/// writes count, or reading the files after a change would look like another change, and so
/// on for ever.
pub fn is_change(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(access) => *access == AccessKind::Close(AccessMode::Write),
        _ => true,
    }
}

/// The Markdown files directly inside one of `folders` that the changes among `events`
/// touched, sorted and each once. Files in subfolders are not the log's, so they are left
/// out, as the watch is not recursive either.
pub fn changed_markdown(events: &[DebouncedEvent], folders: &[&Path]) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = events
        .iter()
        .filter(|e| is_change(&e.kind))
        .flat_map(|e| e.paths.iter())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| is_markdown(&n.to_string_lossy()))
        })
        .filter(|p| p.parent().is_some_and(|dir| folders.contains(&dir)))
        .cloned()
        .collect();
    paths.sort();
    paths.dedup();
    paths
}

/// Whether a file was made, removed or renamed: the folder's listing changed, not only a
/// file's text.
pub fn listing_changed(events: &[DebouncedEvent]) -> bool {
    events.iter().any(|e| {
        matches!(
            e.kind,
            EventKind::Create(_) | EventKind::Remove(_) | EventKind::Modify(ModifyKind::Name(_))
        )
    })
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc;
    use std::time::{Duration, Instant};

    use notify_debouncer_full::notify::event::{CreateKind, RemoveKind, RenameMode};
    use notify_debouncer_full::notify::{Event, RecursiveMode};
    use notify_debouncer_full::{new_debouncer, DebounceEventResult};

    use super::*;

    /// Events from a real watcher on a temporary folder while `act` runs.
    fn events_during(dir: &Path, act: impl FnOnce()) -> Vec<EventKind> {
        let (tx, rx) = mpsc::channel();
        let debounce = Duration::from_millis(150);
        let mut debouncer = new_debouncer(debounce, None, move |r: DebounceEventResult| {
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

    fn event(kind: EventKind, path: &str) -> DebouncedEvent {
        DebouncedEvent::new(
            Event::new(kind).add_path(PathBuf::from(path)),
            Instant::now(),
        )
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

    /// Only Markdown files right inside a watched folder, written (not read), once each.
    #[test]
    fn changed_markdown_is_the_written_files_of_the_watched_folders() {
        let write = EventKind::Access(AccessKind::Close(AccessMode::Write));
        let read = EventKind::Access(AccessKind::Close(AccessMode::Read));
        let events = [
            event(write, "/ws/docs/adr/0002-b.md"),
            event(EventKind::Modify(ModifyKind::Any), "/ws/docs/adr/0001-a.md"),
            event(write, "/ws/docs/adr/0002-b.md"),
            event(read, "/ws/docs/adr/0003-c.md"),
            event(write, "/ws/docs/adr/notes.txt"),
            event(write, "/ws/docs/adr/old/0004-d.md"),
            event(write, "/ws/elsewhere/0005-e.md"),
            event(write, "/ws/scope/mvp.markdown"),
        ];
        let folders = [Path::new("/ws/docs/adr"), Path::new("/ws/scope")];
        let changed = changed_markdown(&events, &folders);
        let expected = [
            "/ws/docs/adr/0001-a.md",
            "/ws/docs/adr/0002-b.md",
            "/ws/scope/mvp.markdown",
        ];
        assert_eq!(changed, expected.map(PathBuf::from));
    }

    #[test]
    fn a_new_removed_or_renamed_file_changes_the_listing_and_an_edit_does_not() {
        let edit = event(EventKind::Modify(ModifyKind::Any), "/d/0001-a.md");
        assert!(!listing_changed(std::slice::from_ref(&edit)));
        for kind in [
            EventKind::Create(CreateKind::File),
            EventKind::Remove(RemoveKind::File),
            EventKind::Modify(ModifyKind::Name(RenameMode::Both)),
        ] {
            assert!(listing_changed(&[
                edit.clone(),
                event(kind, "/d/0002-b.md")
            ]));
        }
    }
}

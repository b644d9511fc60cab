//! The `head-moved` event: the file watcher hands it the changes under the Git folder, and
//! it tells the UI when HEAD has moved, so the history panel and the sync status follow.

use std::path::{Path, PathBuf};

use cairn_core::history::{self, HeadFiles};
use cairn_core::Workspace;
use tauri::{AppHandle, Emitter};

use crate::types::HeadMoved;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::tests::repo_with_a_decision;

    #[test]
    fn head_watch_looks_at_head_and_branches_only() {
        let (_dir, ws) = repo_with_a_decision();
        let watch = HeadWatch::new(&ws).unwrap();
        let git_dir = &watch.files.git_dir;
        assert!(watch.concerns(&git_dir.join("HEAD")));
        assert!(watch.concerns(&git_dir.join("packed-refs")));
        assert!(watch.concerns(&watch.files.branch_dir.join("feature/x")));
        assert!(!watch.concerns(&git_dir.join("objects/ab/cdef")));
        assert!(!watch.concerns(&ws.decisions_dir.join("0001-a.md")));
    }

    #[test]
    fn outside_a_repository_there_is_no_head_to_watch() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("docs/decisions")).unwrap();
        let ws = Workspace::discover(dir.path()).unwrap();
        assert!(HeadWatch::new(&ws).is_none());
    }
}

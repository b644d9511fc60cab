//! The history panel's commands: the Git history of one decision (created, last changed,
//! every version) and the diff between its versions, from `cairn_core::history`. The
//! `head-moved` event that keeps them current comes from `head`.

use std::sync::Mutex;

use cairn_core::history::{self, DiffLine, FileHistory};
use cairn_core::{Error, Result, Workspace};
use tauri::State;

use crate::state::Shared;
use crate::task::blocking;

/// The history of the decision `file` (a name in the decisions folder), or `None` when the
/// file has never been committed. `computing` lets one computation run at a time (see
/// `Shared::computing`).
fn of_decision(ws: &Workspace, computing: &Mutex<()>, file: &str) -> Result<Option<FileHistory>> {
    let path = cairn_core::workspace::decision_file(ws, file)?;
    if !cairn_core::store::is_repository(&ws.root) {
        return Err(Error::NotARepository {
            path: ws.root.clone(),
        });
    }
    let all = {
        // A panic elsewhere while computing leaves nothing half-done behind this lock.
        let _one = computing.lock().unwrap_or_else(|p| p.into_inner());
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
    let (shared, snap) = (state.inner().clone(), state.snapshot()?);
    blocking(move || of_decision(&snap.ws, &shared.computing, &file)).await
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
    let (shared, snap) = (state.inner().clone(), state.snapshot()?);
    blocking(move || {
        let history =
            of_decision(&snap.ws, &shared.computing, &file)?.ok_or_else(|| Error::NotFound {
                reference: format!("{file} in Git history (it has not been committed)"),
            })?;
        history::diff_versions(&snap.ws.root, &history, old.as_deref(), &new)
    })
    .await
}

#[cfg(test)]
pub(crate) mod tests {
    //! The core-facing parts of the commands, on real repositories made with the `git` CLI
    //! (the shell itself never links git2).

    use std::path::Path;
    use std::process::Command;

    use super::*;

    fn git(dir: &Path, args: &[&str]) {
        let ok = Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(args)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .status()
            .unwrap()
            .success();
        assert!(ok, "git {args:?}");
    }

    pub(crate) fn repo_with_a_decision() -> (tempfile::TempDir, Workspace) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("docs/decisions")).unwrap();
        std::fs::write(root.join("docs/decisions/0001-a.md"), "# 1. A\n").unwrap();
        git(root, &["init", "-q"]);
        git(root, &["config", "user.name", "Tester"]);
        git(root, &["config", "user.email", "t@cairn.invalid"]);
        git(root, &["add", "-A"]);
        git(root, &["commit", "-qm", "ADR 0001: new"]);
        let ws = Workspace::discover(root).unwrap();
        (dir, ws)
    }

    #[test]
    fn history_of_a_decision_by_its_file_name() {
        let (_dir, ws) = repo_with_a_decision();
        let h = of_decision(&ws, &Mutex::new(()), "0001-a.md")
            .unwrap()
            .unwrap();
        assert_eq!(h.versions.len(), 1);
        assert_eq!(h.created.author, "Tester");
        assert_eq!(h.versions[0].summary, "ADR 0001: new");

        // Not committed yet: no history, and no error.
        std::fs::write(ws.decisions_dir.join("0002-b.md"), "# 2. B\n").unwrap();
        assert!(of_decision(&ws, &Mutex::new(()), "0002-b.md")
            .unwrap()
            .is_none());

        // Names from the UI stay inside the decisions folder.
        let err = of_decision(&ws, &Mutex::new(()), "../../etc/passwd").unwrap_err();
        assert_eq!(err.kind(), "outside-workspace");
    }

    #[test]
    fn outside_a_repository_the_error_says_so() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("docs/decisions")).unwrap();
        std::fs::write(dir.path().join("docs/decisions/0001-a.md"), "# 1. A\n").unwrap();
        let ws = Workspace::discover(dir.path()).unwrap();
        let err = of_decision(&ws, &Mutex::new(()), "0001-a.md").unwrap_err();
        assert!(err.to_string().contains("not in a Git repository"), "{err}");
    }
}

//! The demo workspace: a small, real decision log shipped inside the binary and copied on
//! first run into the user's data folder (never used in place), made a Git repository so
//! every change the user tries is a commit they can inspect.

use std::path::{Path, PathBuf};

use include_dir::{include_dir, Dir};

use crate::{Error, Result};

static DEMO: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/../../adr-templates/demo");

/// `<data folder>/cairn/demo` (`~/.local/share/cairn/demo` on Linux), the same place
/// `make run` copies it to.
pub fn default_location() -> Result<PathBuf> {
    let base = directories::BaseDirs::new().ok_or(Error::NoHome {
        purpose: "copy the demo workspace into",
    })?;
    Ok(base.data_dir().join("cairn").join("demo"))
}

/// Copies the demo to `dest` unless something is already there. Returns whether it copied.
/// The copy is made beside `dest` and renamed into place, so an interrupted first run never
/// leaves half a demo behind.
pub fn install(dest: &Path) -> Result<bool> {
    if dest.exists() {
        return Ok(false);
    }
    let parent = dest.parent().ok_or_else(|| Error::NoParentFolder {
        path: dest.to_path_buf(),
    })?;
    std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    let staging = tempfile::Builder::new()
        .prefix(".cairn-demo-")
        .tempdir_in(parent)
        .map_err(|e| Error::io(parent, e))?;
    write_dir(&DEMO, staging.path())?;
    commit_all(staging.path())?;
    let staged = staging.keep();
    std::fs::rename(&staged, dest).map_err(|e| Error::io(dest, e))?;
    Ok(true)
}

fn write_dir(dir: &Dir, to: &Path) -> Result<()> {
    for file in dir.files() {
        let path = to.join(file.path());
        if let Some(p) = path.parent() {
            std::fs::create_dir_all(p).map_err(|e| Error::io(p, e))?;
        }
        std::fs::write(&path, file.contents()).map_err(|e| Error::io(&path, e))?;
    }
    for sub in dir.dirs() {
        write_dir(sub, to)?;
    }
    Ok(())
}

/// `git init` and one commit of everything, with the user's identity when Git knows it and a
/// demo identity (in the repository's own config) when it does not.
fn commit_all(root: &Path) -> Result<()> {
    let repo = git2::Repository::init(root).map_err(|e| Error::git("git init", e))?;
    if repo.signature().is_err() {
        let mut config = repo.config().map_err(|e| Error::git("git config", e))?;
        config
            .set_str("user.name", "Cairn demo")
            .and_then(|_| config.set_str("user.email", "demo@cairn.invalid"))
            .map_err(|e| Error::git("git config", e))?;
    }
    let sig = repo
        .signature()
        .map_err(|e| Error::git("git signature", e))?;
    let mut index = repo.index().map_err(|e| Error::git("git index", e))?;
    index
        .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
        .and_then(|_| index.write())
        .map_err(|e| Error::git("git add", e))?;
    let tree_id = index
        .write_tree()
        .map_err(|e| Error::git("git write-tree", e))?;
    let tree = repo
        .find_tree(tree_id)
        .map_err(|e| Error::git("git write-tree", e))?;
    repo.commit(Some("HEAD"), &sig, &sig, "Demo workspace", &tree, &[])
        .map_err(|e| Error::git("git commit", e))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn installs_once_as_a_git_workspace() {
        cairn_testkit::isolate_git_config();
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("cairn/demo");
        assert!(install(&dest).unwrap());
        let ws = crate::Workspace::discover(&dest).unwrap();
        let log = ws.load().unwrap();
        assert!(log.decisions.len() >= 10, "{}", log.decisions.len());
        let repo = git2::Repository::open(&dest).unwrap();
        let statuses = repo.statuses(None).unwrap();
        assert_eq!(statuses.len(), 0, "everything is committed");
        // A second run leaves the user's copy alone.
        std::fs::write(dest.join("note.txt"), "mine").unwrap();
        assert!(!install(&dest).unwrap());
        assert!(dest.join("note.txt").exists());
        // No staging folder left behind.
        let left: Vec<_> = std::fs::read_dir(dir.path().join("cairn"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left.len(), 1, "{left:?}");
    }
}

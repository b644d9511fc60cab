//! Writing a built site: only the files whose bytes changed, then away with the files an
//! earlier build wrote that the site no longer has. A list of what Cairn wrote
//! (`.cairn-site`) makes this safe: a rebuild never deletes or overwrites a file it did not
//! write, a folder holding other files and no list is refused, and symbolic links in the
//! output folder are never written through.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Component, Path};

use rayon::prelude::*;

use super::{Progress, Step};
use crate::{Error, Result, Workspace};

/// The list of the files the last build wrote, one relative path per line.
pub(crate) const MANIFEST: &str = ".cairn-site";

/// The files of a site, by path relative to its root, before they are written.
#[derive(Default)]
pub(crate) struct Site {
    files: BTreeMap<String, Vec<u8>>,
}

impl Site {
    pub(crate) fn add(&mut self, path: &str, bytes: Vec<u8>) {
        self.files.insert(path.to_string(), bytes);
    }

    /// The HTML pages, by path.
    pub(crate) fn pages(&self) -> impl Iterator<Item = (&String, &Vec<u8>)> {
        self.files.iter().filter(|(p, _)| p.ends_with(".html"))
    }

    /// The HTML pages, to change in place.
    pub(crate) fn pages_mut(&mut self) -> impl Iterator<Item = (&String, &mut Vec<u8>)> {
        self.files.iter_mut().filter(|(p, _)| p.ends_with(".html"))
    }

    #[cfg(test)]
    pub(crate) fn get(&self, path: &str) -> Option<&[u8]> {
        self.files.get(path).map(Vec::as_slice)
    }
}

/// What writing did.
pub(super) struct Written {
    pub files: usize,
    pub written: usize,
    pub removed: usize,
}

/// Refuses an output folder that is not Cairn's: a file, a symbolic link, a workspace's own
/// folder, or a folder with other files in it and no list of what an earlier build wrote.
pub(super) fn check_folder(out: &Path, workspaces: &[Workspace]) -> Result<()> {
    let meta = match fs::symlink_metadata(out) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::io(out, e)),
    };
    if meta.file_type().is_symlink() {
        return Err(Error::Symlink {
            path: out.to_path_buf(),
        });
    }
    let abs = out.canonicalize().map_err(|e| Error::io(out, e))?;
    let is_workspace_folder = workspaces.iter().any(|ws| {
        let same = |p: &Path| p.canonicalize().is_ok_and(|p| p == abs);
        same(&ws.root) || same(&ws.decisions_dir) || same(&ws.scope_dir)
    });
    let mut entries = fs::read_dir(out).map_err(|e| Error::io(out, e))?;
    let empty = entries.next().is_none();
    if is_workspace_folder || !meta.is_dir() || (!empty && !out.join(MANIFEST).is_file()) {
        return Err(Error::SiteFolderNotOurs {
            path: out.to_path_buf(),
        });
    }
    Ok(())
}

/// Writes `site` into `out`.
pub(super) fn commit(
    out: &Path,
    site: Site,
    progress: &mut dyn FnMut(Progress),
) -> Result<Written> {
    fs::create_dir_all(out).map_err(|e| Error::io(out, e))?;
    let old = previous(out);
    let total = site.files.len();
    progress(Progress {
        step: Step::Writing,
        done: 0,
        total,
    });
    let dirs: BTreeSet<&str> = site
        .files
        .keys()
        .filter_map(|p| p.rsplit_once('/').map(|(d, _)| d))
        .collect();
    for dir in &dirs {
        make_dir(out, dir)?;
    }
    let written: Vec<bool> = site
        .files
        .par_iter()
        .map(|(path, bytes)| write_if_changed(&out.join(path), bytes))
        .collect::<Result<_>>()?;
    let mut removed = 0;
    for path in old.iter().filter(|p| !site.files.contains_key(p.as_str())) {
        let file = out.join(path);
        if fs::symlink_metadata(&file).is_ok_and(|m| m.is_file()) && fs::remove_file(&file).is_ok()
        {
            removed += 1;
            remove_empty_parents(out, path);
        }
    }
    let list: String = site.files.keys().map(|p| format!("{p}\n")).collect();
    write_if_changed(&out.join(MANIFEST), list.as_bytes())?;
    progress(Progress {
        step: Step::Writing,
        done: total,
        total,
    });
    Ok(Written {
        files: total,
        written: written.iter().filter(|w| **w).count(),
        removed,
    })
}

/// The files the previous build listed, keeping only plain relative paths: the list lies in
/// a folder others can write to, and must not make a rebuild delete anything outside it.
fn previous(out: &Path) -> Vec<String> {
    let Ok(text) = fs::read_to_string(out.join(MANIFEST)) else {
        return Vec::new();
    };
    text.lines()
        .filter(|l| is_plain_relative(l))
        .map(str::to_string)
        .collect()
}

fn is_plain_relative(path: &str) -> bool {
    !path.is_empty()
        && Path::new(path)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
        && !path.contains('\\')
}

/// Creates `dir` under `out` one folder at a time, refusing a symbolic link on the way.
fn make_dir(out: &Path, dir: &str) -> Result<()> {
    let mut path = out.to_path_buf();
    for part in dir.split('/') {
        path.push(part);
        match fs::symlink_metadata(&path) {
            Ok(m) if m.file_type().is_symlink() => return Err(Error::Symlink { path }),
            Ok(m) if m.is_dir() => {}
            Ok(_) => fs::remove_file(&path).map_err(|e| Error::io(&path, e))?,
            Err(_) => {}
        }
        if !path.is_dir() {
            fs::create_dir(&path).map_err(|e| Error::io(&path, e))?;
        }
    }
    Ok(())
}

/// Writes `bytes` to `path` unless it already holds them; a symbolic link in its place is
/// refused, never written through. Says whether it wrote.
fn write_if_changed(path: &Path, bytes: &[u8]) -> Result<bool> {
    match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => {
            return Err(Error::Symlink {
                path: path.to_path_buf(),
            });
        }
        Ok(m) if m.is_dir() => {
            return Err(Error::SiteFolderNotOurs {
                path: path.to_path_buf(),
            });
        }
        Ok(m) if m.len() == bytes.len() as u64 && fs::read(path).is_ok_and(|old| old == bytes) => {
            return Ok(false);
        }
        _ => {}
    }
    fs::write(path, bytes).map_err(|e| Error::io(path, e))?;
    Ok(true)
}

fn remove_empty_parents(out: &Path, path: &str) {
    let mut dir = Path::new(path).parent();
    while let Some(d) = dir.filter(|d| !d.as_os_str().is_empty()) {
        if fs::remove_dir(out.join(d)).is_err() {
            break;
        }
        dir = d.parent();
    }
}

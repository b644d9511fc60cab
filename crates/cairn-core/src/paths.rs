//! Path checking for paths that come from outside the process (the desktop UI, a link in a
//! decision, a cloned repository's own files and config): resolve them against a base folder
//! and refuse anything that would land outside it — `..`, absolute paths, and symbolic links
//! that point out of the folder. Also where a repository ends (its top, Git's ceilings), and
//! reading a file without following a symbolic link in its place.

use std::fs::File;
use std::path::{Component, Path, PathBuf};

use crate::{Error, Result};

/// Resolves `relative` against `base` and checks that the result lies inside `root` (`base`
/// is `root` itself or a folder in it). The file need not exist yet; whatever part of the path
/// does exist is resolved through its symbolic links, so a link pointing out of `root` is
/// refused just like `..` is.
///
/// Why so strict: the web view is the least trusted part of the app. Whatever it sends is
/// treated as a name inside the workspace, never as a path of its own choosing.
pub fn resolve_inside(root: &Path, base: &Path, relative: &str) -> Result<PathBuf> {
    let outside = |path: PathBuf| Error::OutsideWorkspace {
        path,
        root: root.to_path_buf(),
    };
    if relative.is_empty() || relative.contains('\0') {
        return Err(Error::BadName {
            name: relative.to_owned(),
        });
    }
    let rel = Path::new(relative);
    for part in rel.components() {
        match part {
            Component::Normal(_) | Component::CurDir => {}
            // `..`, a root or a drive prefix: never followed, even when it would come back.
            _ => return Err(outside(rel.to_path_buf())),
        }
    }
    let root_real = root.canonicalize().map_err(|e| Error::io(root, e))?;
    let base_real = base.canonicalize().map_err(|e| Error::io(base, e))?;
    if !base_real.starts_with(&root_real) {
        return Err(outside(base.to_path_buf()));
    }
    let joined = base_real.join(rel);
    // Resolve the longest existing ancestor through its links; the rest does not exist yet
    // and so cannot be a link.
    let mut existing = joined.as_path();
    let mut rest = Vec::new();
    let real = loop {
        match existing.canonicalize() {
            Ok(real) => break real,
            Err(_) => {
                let name = existing
                    .file_name()
                    .ok_or_else(|| outside(joined.clone()))?;
                rest.push(name.to_os_string());
                existing = existing.parent().ok_or_else(|| outside(joined.clone()))?;
            }
        }
    };
    let mut resolved = real;
    for name in rest.into_iter().rev() {
        resolved.push(name);
    }
    if !resolved.starts_with(&root_real) {
        return Err(outside(joined));
    }
    Ok(resolved)
}

pub use crate::error::NOT_FOLLOWED;

/// Reads at most `limit + 1` bytes of a file: one past the limit tells that it is larger.
pub(crate) fn read_up_to(path: &Path, limit: usize) -> Result<Vec<u8>> {
    use std::io::Read;
    let file = open_nofollow(path)?;
    let mut bytes = Vec::new();
    file.take(limit as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(path, e))?;
    Ok(bytes)
}

/// Reads a whole file of at most `limit` bytes; a larger one is refused unread with
/// [`Error::TooLarge`], `purpose` saying what it was to be read for ("for a template").
pub(crate) fn read_limited(path: &Path, limit: usize, purpose: &'static str) -> Result<Vec<u8>> {
    let bytes = read_up_to(path, limit)?;
    if bytes.len() > limit {
        let size = std::fs::metadata(path).map_or(bytes.len() as u64, |m| m.len());
        return Err(Error::TooLarge {
            path: path.to_path_buf(),
            size,
            limit: limit as u64,
            purpose,
        });
    }
    Ok(bytes)
}

/// The top of the Git working tree that holds `dir`: the nearest folder at or above it with a
/// `.git` entry, looked for the way Git looks (see [`search_folders`]). `None` outside any
/// repository.
pub fn repo_top(dir: &Path) -> Option<PathBuf> {
    search_folders(dir)
        .into_iter()
        .find(|d| d.join(".git").symlink_metadata().is_ok())
}

/// The folder everything read or written on behalf of a workspace rooted at `root` must lie
/// in: its repository's top, or `root` itself where there is no repository. A cloned
/// repository is untrusted input, so its config and content may name nothing above it.
pub fn boundary(root: &Path) -> PathBuf {
    repo_top(root).unwrap_or_else(|| root.to_path_buf())
}

/// The folders an upward search from `start` may look in, nearest first. Like Git's own
/// discovery it stops at the first repository top (a folder with `.git`): a `.cairn.toml`
/// above the repository belongs to someone else. It never climbs into a folder named in
/// `GIT_CEILING_DIRECTORIES`, and never above the home folder when it starts inside it.
pub fn search_folders(start: &Path) -> Vec<PathBuf> {
    let ceilings: Vec<PathBuf> = std::env::var_os("GIT_CEILING_DIRECTORIES")
        .map(|v| {
            std::env::split_paths(&v)
                .filter(|p| p.is_absolute())
                .collect()
        })
        .unwrap_or_default();
    let home = directories::BaseDirs::new()
        .map(|b| b.home_dir().to_path_buf())
        .filter(|h| start.starts_with(h));
    let mut out = Vec::new();
    for dir in start.ancestors() {
        let climbed = dir != start;
        if climbed && ceilings.iter().any(|c| c == dir) {
            break;
        }
        if home
            .as_deref()
            .is_some_and(|h| h.starts_with(dir) && h != dir)
        {
            break;
        }
        out.push(dir.to_path_buf());
        if dir.join(".git").symlink_metadata().is_ok() {
            break;
        }
    }
    out
}

/// Whether `path` (which need not exist) lies inside `boundary` once every symbolic link in
/// the part of it that exists is resolved: `docs/adr` as a link to `/elsewhere` is outside.
pub fn lies_inside(boundary: &Path, path: &Path) -> bool {
    let Ok(top) = boundary.canonicalize() else {
        return false;
    };
    resolve_existing(path).is_some_and(|p| p.starts_with(top))
}

/// `path` with its longest existing ancestor resolved through its links and the rest (which
/// does not exist, so cannot be a link) applied lexically.
fn resolve_existing(path: &Path) -> Option<PathBuf> {
    let mut existing = path;
    let mut rest = Vec::new();
    let mut resolved = loop {
        match existing.canonicalize() {
            Ok(real) => break real,
            Err(_) => {
                rest.push(existing.components().next_back()?);
                existing = existing.parent()?;
            }
        }
    };
    for part in rest.into_iter().rev() {
        match part {
            Component::Normal(name) => resolved.push(name),
            Component::ParentDir => {
                resolved.pop();
            }
            _ => {}
        }
    }
    Some(resolved)
}

/// Opens a file for reading, refusing a symbolic link in its place ([`Error::Symlink`]): a
/// link in a cloned repository may point at any file of the user's, and what Cairn reads it
/// may commit and push. The check and the open are one step (`O_NOFOLLOW`) on Unix, so the
/// file cannot be swapped for a link in between.
pub fn open_nofollow(path: &Path) -> Result<File> {
    let opened = {
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            std::fs::OpenOptions::new()
                .read(true)
                .custom_flags(libc::O_NOFOLLOW)
                .open(path)
        }
        #[cfg(not(unix))]
        {
            if is_symlink(path) {
                return Err(Error::Symlink {
                    path: path.to_path_buf(),
                });
            }
            File::open(path)
        }
    };
    opened.map_err(|e| {
        if is_symlink(path) {
            Error::Symlink {
                path: path.to_path_buf(),
            }
        } else {
            Error::io(path, e)
        }
    })
}

/// Reads a whole file through [`open_nofollow`].
pub fn read_nofollow(path: &Path) -> Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    open_nofollow(path)?
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(path, e))?;
    Ok(bytes)
}

/// Whether `path` itself is a symbolic link (not following it).
pub fn is_symlink(path: &Path) -> bool {
    path.symlink_metadata()
        .is_ok_and(|m| m.file_type().is_symlink())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("ws");
        std::fs::create_dir_all(root.join("docs/decisions")).unwrap();
        std::fs::write(root.join("docs/decisions/0001-a.md"), "# A\n").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "secret").unwrap();
        (dir, root)
    }

    #[test]
    fn accepts_names_inside() {
        let (_d, root) = setup();
        let base = root.join("docs/decisions");
        let p = resolve_inside(&root, &base, "0001-a.md").unwrap();
        assert!(p.ends_with("docs/decisions/0001-a.md"));
        // A file that does not exist yet is fine too (a new decision).
        let p = resolve_inside(&root, &base, "0002-new.md").unwrap();
        assert!(p.ends_with("docs/decisions/0002-new.md"));
        let p = resolve_inside(&root, &base, "./img/x.png").unwrap();
        assert!(p.ends_with("docs/decisions/img/x.png"));
    }

    #[test]
    fn refuses_dot_dot_and_absolute() {
        let (_d, root) = setup();
        let base = root.join("docs/decisions");
        for bad in [
            "../../../secret.txt",
            "../0001-a.md",
            "a/../../b.md",
            "/etc/passwd",
            "",
        ] {
            let err = resolve_inside(&root, &base, bad).unwrap_err();
            assert!(
                matches!(err.kind(), "outside-workspace" | "bad-name"),
                "{bad}: {err}"
            );
        }
    }

    #[cfg(unix)]
    #[test]
    fn refuses_symlinks_out_of_the_folder() {
        let (d, root) = setup();
        let base = root.join("docs/decisions");
        std::os::unix::fs::symlink(d.path().join("secret.txt"), base.join("0009-link.md")).unwrap();
        std::os::unix::fs::symlink(d.path(), base.join("up")).unwrap();
        let err = resolve_inside(&root, &base, "0009-link.md").unwrap_err();
        assert_eq!(err.kind(), "outside-workspace");
        let err = resolve_inside(&root, &base, "up/secret.txt").unwrap_err();
        assert_eq!(err.kind(), "outside-workspace");
        let err = resolve_inside(&root, &base, "up/not-yet.md").unwrap_err();
        assert_eq!(err.kind(), "outside-workspace");
    }

    #[test]
    fn lies_inside_resolves_links_and_dot_dot() {
        let (d, root) = setup();
        assert!(lies_inside(&root, &root.join("docs/decisions")));
        assert!(lies_inside(&root, &root.join("not/yet/there")));
        assert!(!lies_inside(&root, &root.join("not/../../secret.txt")));
        assert!(!lies_inside(&root, &root.join("..")));
        assert!(!lies_inside(&root, d.path()));
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(d.path(), root.join("up")).unwrap();
            assert!(!lies_inside(&root, &root.join("up")));
            assert!(!lies_inside(&root, &root.join("up/new-folder")));
        }
    }

    #[cfg(unix)]
    #[test]
    fn reading_never_follows_a_link() {
        let (d, root) = setup();
        let link = root.join("docs/decisions/0002-link.md");
        std::os::unix::fs::symlink(d.path().join("secret.txt"), &link).unwrap();
        let err = read_nofollow(&link).unwrap_err();
        assert_eq!(err.kind(), "symlink");
        assert!(err.to_string().contains("symlink: not followed"), "{err}");
        assert_eq!(
            read_nofollow(&root.join("docs/decisions/0001-a.md")).unwrap(),
            b"# A\n"
        );
        let err = read_nofollow(&root.join("nope.md")).unwrap_err();
        assert_eq!(err.kind(), "io");
    }

    #[test]
    fn the_search_stops_at_the_repository_top() {
        let (_d, root) = setup();
        let deep = root.join("docs/decisions");
        let all = search_folders(&deep);
        assert!(all.len() > 3, "{all:?}");
        std::fs::create_dir(root.join(".git")).unwrap();
        assert_eq!(
            search_folders(&deep),
            [deep.clone(), root.join("docs"), root.clone()]
        );
        assert_eq!(repo_top(&deep), Some(root.clone()));
        assert_eq!(boundary(&deep), root);
    }

    #[test]
    fn decision_file_refuses_sub_folders() {
        let (_d, root) = setup();
        let ws = crate::Workspace::open(&root).unwrap();
        assert!(crate::workspace::decision_file(&ws, "0001-a.md").is_ok());
        assert_eq!(
            crate::workspace::decision_file(&ws, "x/0001-a.md")
                .unwrap_err()
                .kind(),
            "outside-workspace"
        );
    }
}

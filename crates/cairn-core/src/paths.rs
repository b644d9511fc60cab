//! Path checking for paths that come from outside the process (the desktop UI, a link in a
//! decision): resolve them against a base folder and refuse anything that would land outside
//! it — `..`, absolute paths, and symbolic links that point out of the folder.

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
        return Err(Error::Invalid(format!("{relative:?} is not a file name")));
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

/// Resolves a file name the UI sent for a decision: a name inside the decisions folder (no
/// sub-folders), checked as [`resolve_inside`] does.
pub fn decision_file(ws: &crate::Workspace, file_name: &str) -> Result<PathBuf> {
    if file_name.contains('/') || file_name.contains('\\') {
        return Err(Error::OutsideWorkspace {
            path: PathBuf::from(file_name),
            root: ws.decisions_dir.clone(),
        });
    }
    resolve_inside(&ws.root, &ws.decisions_dir, file_name)
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
                matches!(err.kind(), "outside-workspace" | "invalid"),
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
    fn decision_file_refuses_sub_folders() {
        let (_d, root) = setup();
        let ws = crate::Workspace::open(&root).unwrap();
        assert!(decision_file(&ws, "0001-a.md").is_ok());
        assert_eq!(
            decision_file(&ws, "x/0001-a.md").unwrap_err().kind(),
            "outside-workspace"
        );
    }
}

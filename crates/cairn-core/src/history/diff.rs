//! Line diffs between two versions of a file: two revisions, a revision and the working
//! tree, or two versions of a file's history; blobs over a size cap are refused unread.

use std::path::{Path, PathBuf};

use git2::{DiffOptions, Oid, Repository};
use serde::{Deserialize, Serialize};

use super::{blob_at, open, relative_to, workdir, FileHistory};
use crate::error::{Error, Result};

/// What a line of a diff is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum LineKind {
    Added,
    Removed,
    Context,
}

/// One line of a diff between two versions of a file. Line numbers are 1-based; `old_line`
/// is `None` for an added line and `new_line` for a removed one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DiffLine {
    pub kind: LineKind,
    pub old_line: Option<u32>,
    pub new_line: Option<u32>,
    /// The line without its line ending.
    pub text: String,
}

/// Lines of context kept around each change in [`diff`], as in `git diff`.
pub const CONTEXT_LINES: u32 = 3;

/// The diff of `path` (absolute, or relative to the repository root) between revision `rev1`
/// and `rev2` (anything `git rev-parse` accepts: ids, `HEAD~2`, branch names). `rev2 = None`
/// compares with the file in the working tree. A file missing in a revision counts as empty,
/// so a creation diffs as all lines added.
pub fn diff(
    repo_root: &Path,
    path: &Path,
    rev1: &str,
    rev2: Option<&str>,
) -> Result<Vec<DiffLine>> {
    let repo = open(repo_root)?;
    let workdir = workdir(&repo)?;
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        workdir.join(path)
    };
    let rel = relative_to(&workdir, &abs);
    if rel.starts_with("../") {
        return Err(Error::OutsideWorkspace {
            path: path.to_path_buf(),
            root: workdir,
        });
    }
    let old = content_at(&repo, rev1, &rel)?;
    let new = match rev2 {
        Some(rev) => content_at(&repo, rev, &rel)?,
        None => match crate::workspace::read_limited(&abs, MAX_DIFF_BYTES, TO_DIFF) {
            Ok(bytes) => bytes,
            Err(Error::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {
                Vec::new()
            }
            Err(e) => return Err(e),
        },
    };
    lines_between(&old, &new, &rel)
}

/// What changed between two versions of `file`, named by their commit ids (as in
/// [`Version::commit`]). Each side is read from the blob its version recorded, so a rename in
/// between does not matter.
///
/// With `old = None`: what the version `new` itself changed, as `git log -p` shows it: its
/// blob against the same file (under its old name, after a rename) in the commit's first
/// parent, all lines added for a creation.
///
/// Only versions of `file` are accepted: the desktop app passes commit ids it received from
/// the UI, and this keeps them from reading anything but the history of the file shown.
pub fn diff_versions(
    repo_root: &Path,
    file: &FileHistory,
    old: Option<&str>,
    new: &str,
) -> Result<Vec<DiffLine>> {
    let repo = open(repo_root)?;
    let version = |commit: &str| {
        file.versions
            .iter()
            .find(|v| v.commit == commit)
            .ok_or_else(|| Error::NotFound {
                reference: format!("version {commit} of {}", file.path),
            })
    };
    let new_version = version(new)?;
    let new_bytes = blob_bytes(&repo, &new_version.blob, &new_version.path)?;
    let old_bytes = match old {
        Some(commit) => {
            let v = version(commit)?;
            blob_bytes(&repo, &v.blob, &v.path)?
        }
        None => {
            let at = |e| Error::git(format!("read commit {new}"), e);
            let commit = Oid::from_str(new)
                .and_then(|oid| repo.find_commit(oid))
                .map_err(at)?;
            let path = new_version.old_path.as_deref().unwrap_or(&new_version.path);
            match commit.parent(0) {
                Ok(parent) => {
                    let tree = parent.tree().map_err(at)?;
                    match blob_at(&tree, path) {
                        Some(blob) => blob_bytes(&repo, &blob.to_string(), path)?,
                        None => Vec::new(),
                    }
                }
                Err(_) => Vec::new(), // a root commit: the file was created here
            }
        }
    };
    lines_between(&old_bytes, &new_bytes, &new_version.path)
}

fn blob_bytes(repo: &Repository, blob: &str, path: &str) -> Result<Vec<u8>> {
    let oid =
        Oid::from_str(blob).map_err(|e| Error::git(format!("read {path} (blob {blob})"), e))?;
    capped_blob(repo, oid, path)
}

/// The largest version of a file that is diffed; a larger one (a dump committed by mistake,
/// or on purpose in a hostile repository) is refused as too large to diff, unread.
pub const MAX_DIFF_BYTES: usize = crate::decision::MAX_DECISION_BYTES;
const TO_DIFF: &str = "to diff";

/// A blob's bytes, after checking its size in the object header so that a huge one is
/// never inflated into memory.
fn capped_blob(repo: &Repository, oid: Oid, path: &str) -> Result<Vec<u8>> {
    let read = |e| Error::git(format!("read {path} (blob {oid})"), e);
    let (size, _) = repo
        .odb()
        .and_then(|odb| odb.read_header(oid))
        .map_err(read)?;
    if size > MAX_DIFF_BYTES {
        return Err(Error::TooLarge {
            path: PathBuf::from(path),
            size: size as u64,
            limit: MAX_DIFF_BYTES as u64,
            purpose: TO_DIFF,
        });
    }
    let blob = repo.find_blob(oid).map_err(read)?;
    Ok(blob.content().to_vec())
}

/// The bytes of `rel` in revision `rev`, or empty when the file is not there.
fn content_at(repo: &Repository, rev: &str, rel: &str) -> Result<Vec<u8>> {
    let object = repo.revparse_single(rev).map_err(|e| Error::NotFound {
        reference: format!("revision {rev}: {}", e.message()),
    })?;
    let tree = object
        .peel_to_tree()
        .map_err(|e| Error::git(format!("{rev} is not a commit or tree"), e))?;
    let Ok(entry) = tree.get_path(Path::new(rel)) else {
        return Ok(Vec::new());
    };
    capped_blob(repo, entry.id(), rel)
}

fn lines_between(old: &[u8], new: &[u8], rel: &str) -> Result<Vec<DiffLine>> {
    let mut opts = DiffOptions::new();
    opts.context_lines(CONTEXT_LINES).force_text(true);
    let patch = git2::Patch::from_buffers(
        old,
        Some(Path::new(rel)),
        new,
        Some(Path::new(rel)),
        Some(&mut opts),
    )
    .map_err(|e| Error::git(format!("diff {rel}"), e))?;
    let mut out = Vec::new();
    for h in 0..patch.num_hunks() {
        let n = patch
            .num_lines_in_hunk(h)
            .map_err(|e| Error::git(format!("diff {rel}"), e))?;
        for l in 0..n {
            let line = patch
                .line_in_hunk(h, l)
                .map_err(|e| Error::git(format!("diff {rel}"), e))?;
            let kind = match line.origin() {
                '+' => LineKind::Added,
                '-' => LineKind::Removed,
                ' ' => LineKind::Context,
                _ => continue, // "no newline at end of file" markers
            };
            let text = String::from_utf8_lossy(line.content());
            let text = text.strip_suffix('\n').unwrap_or(&text);
            let text = text.strip_suffix('\r').unwrap_or(text);
            out.push(DiffLine {
                kind,
                old_line: line.old_lineno(),
                new_line: line.new_lineno(),
                text: text.to_string(),
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_version_over_the_cap_is_too_large_to_diff() {
        let repo = cairn_testkit::TestRepo::new();
        let file = "docs/adr/0001-x.md";
        repo.write(file, "# X\n");
        repo.commit_all("small");
        repo.write(file, &"y\n".repeat(MAX_DIFF_BYTES / 2 + 1));
        let big = repo.commit_all("big");
        let small_to_big = diff(repo.path(), Path::new(file), "HEAD~1", Some("HEAD"));
        let err = small_to_big.unwrap_err();
        assert_eq!(err.kind(), "too-large", "{err}");
        assert!(err.to_string().contains("too large to diff"), "{err}");
        let worktree = diff(repo.path(), Path::new(file), "HEAD~1", None).unwrap_err();
        assert_eq!(worktree.kind(), "too-large");
        let blob = repo.repo.find_commit(big).unwrap().tree().unwrap();
        let blob = blob.get_path(Path::new(file)).unwrap().id().to_string();
        let err = blob_bytes(&repo.repo, &blob, file).unwrap_err();
        assert_eq!(err.kind(), "too-large");
    }
}

//! The Git commit a binary is built from, for `cairn --version` and the desktop app's About
//! box. A build script module (included by this crate's `build.rs` and by `src-tauri/build.rs`),
//! so that both binaries stamp the commit the same way.

use std::path::Path;
use std::process::Command;

/// Sets `CAIRN_GIT_COMMIT` for the crate being built: the first 12 hex digits of HEAD, or
/// `unknown` when the source is not in a Git checkout (a tarball, a vendored crate). A
/// packager building from a tarball may set `CAIRN_GIT_COMMIT` in the environment instead.
///
/// The build script reruns when HEAD moves: on a checkout (HEAD itself), on a commit (the
/// branch file HEAD points at) and when refs are packed, and on no other change, so a commit
/// rebuilds only the crate that prints the stamp.
pub fn emit(dir: &Path) {
    println!("cargo:rerun-if-env-changed=CAIRN_GIT_COMMIT");
    let commit = std::env::var("CAIRN_GIT_COMMIT")
        .ok()
        .filter(|c| !c.is_empty())
        .or_else(|| git(dir, &["rev-parse", "--short=12", "HEAD"]))
        .unwrap_or_else(|| "unknown".to_string());
    println!("cargo:rustc-env=CAIRN_GIT_COMMIT={commit}");
    let branch = git(dir, &["symbolic-ref", "-q", "HEAD"]);
    for name in ["HEAD", "packed-refs"].into_iter().chain(branch.as_deref()) {
        // In a linked worktree HEAD is per worktree and the refs are shared: `--git-path`
        // knows which is where.
        if let Some(path) = git(dir, &["rev-parse", "--git-path", name]) {
            let path = dir.join(path);
            if path.exists() {
                println!("cargo:rerun-if-changed={}", path.display());
            }
        }
    }
}

/// One line of `git` output, or `None` when Git is missing or the command fails.
fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    let line = text.trim();
    (out.status.success() && !line.is_empty()).then(|| line.to_string())
}

//! What the CLI's integration tests share: the real `cairn` binary run in a test repository,
//! isolated from the machine's Git configuration, cache folder and chosen workspace, on a
//! fixed day.

// Each test file uses a part of this module; the rest would warn as dead code there.
#![allow(dead_code)]

use std::path::Path;
use std::process::Output;

use assert_cmd::Command;
use cairn_testkit::TestRepo;

/// The day every command believes it is (`CAIRN_DATE`), so `due` and new records are stable.
pub const DATE: &str = "2026-11-21";

/// The demo workspace's scope map.
pub const MAP: &str = "scope/ledgerly-mvp.md";

/// `cairn` run in `dir`, with `repo`'s isolated Git environment (its own home folder) and
/// its cache folder under that home.
pub fn cairn_at(repo: &TestRepo, dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("cairn").expect("cairn binary");
    cmd.current_dir(dir)
        .env("CAIRN_DATE", DATE)
        .env("XDG_CACHE_HOME", repo.home().join(".cache"))
        .env_remove("CAIRN_WORKSPACE");
    for (k, v) in repo.git_env() {
        cmd.env(k, v);
    }
    cmd
}

/// `cairn` run at the top of `repo`.
pub fn cairn(repo: &TestRepo) -> Command {
    cairn_at(repo, repo.path())
}

/// Runs `cairn args` in `repo`, returning (success, stdout, stderr).
pub fn output(repo: &TestRepo, args: &[&str]) -> (bool, String, String) {
    let out = cairn(repo).args(args).output().expect("run cairn");
    (out.status.success(), text(&out.stdout), stderr(&out))
}

/// What a finished command wrote to stderr, as text.
pub fn stderr(out: &Output) -> String {
    text(&out.stderr)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

//! What the packages take from the binary: `cairn --version` with the Git commit, the shell
//! completions and the man page (`scripts/package.sh` writes them from these commands, and
//! `scripts/test-package.sh` checks them installed).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use assert_cmd::Command;

fn cairn(args: &[&str]) -> String {
    let out = Command::cargo_bin("cairn")
        .unwrap()
        .args(args)
        .env_remove("CAIRN_WORKSPACE")
        .output()
        .unwrap();
    assert!(out.status.success(), "cairn {args:?}: {out:?}");
    String::from_utf8(out.stdout).unwrap()
}

/// The commit the build script stamps: HEAD of the checkout this crate is built from, or
/// `unknown` outside Git.
fn head() -> String {
    std::process::Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8(o.stdout).unwrap().trim().to_string())
        .unwrap_or_else(|| "unknown".to_string())
}

#[test]
fn version_names_the_cargo_version_and_the_commit() {
    let expected = format!("cairn {} (commit {})\n", env!("CARGO_PKG_VERSION"), head());
    assert_eq!(cairn(&["--version"]), expected);
}

#[test]
fn completions_for_bash_zsh_and_fish_cover_the_subcommands() {
    for (shell, marker) in [
        ("bash", "complete -F _cairn"),
        ("zsh", "#compdef cairn"),
        ("fish", "complete -c cairn"),
    ] {
        let script = cairn(&["completions", shell]);
        assert!(script.contains(marker), "{shell}: no {marker:?}");
        for sub in ["lint", "due", "completions"] {
            assert!(script.contains(sub), "{shell}: no {sub}");
        }
    }
}

#[test]
fn man_page_is_roff_for_cairn_with_its_commands() {
    let page = cairn(&["man"]);
    assert!(page.contains(".TH cairn 1"), "{page}");
    assert!(page.contains("lint"));
}

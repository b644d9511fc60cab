//! Inputs a test needs from outside the repository (the real ADR corpora, an installed
//! adr-tools): found, or skipped with a message on a developer's machine, or a failure when
//! `CI` is set, so that a CI run never goes green by silently testing nothing.

use std::path::PathBuf;

/// Whether this is a CI run: `CI` is set to anything but empty, `0` or `false`. GitHub
/// Actions, GitLab CI and most other services set `CI=true`.
pub fn on_ci() -> bool {
    is_ci(std::env::var("CI").ok().as_deref())
}

fn is_ci(value: Option<&str>) -> bool {
    value.is_some_and(|v| {
        let v = v.trim();
        !v.is_empty() && v != "0" && !v.eq_ignore_ascii_case("false")
    })
}

/// Reports a missing input: on a developer's machine it says on stderr that the test is
/// skipped and returns `None`; under CI it panics, because there a skip would hide that the
/// test ran on nothing. `what` names the input, `hint` says how to provide it.
pub fn missing<T>(what: &str, hint: &str) -> Option<T> {
    missing_when(on_ci(), what, hint)
}

fn missing_when<T>(ci: bool, what: &str, hint: &str) -> Option<T> {
    if ci {
        panic!("{what} is missing and CI is set, so this test fails instead of skipping ({hint})");
    }
    eprintln!("skipped: {what} is missing ({hint})");
    None
}

/// `path` when it is a folder, else [`missing`].
pub fn input_dir(path: PathBuf, what: &str, hint: &str) -> Option<PathBuf> {
    if path.is_dir() {
        Some(path)
    } else {
        missing(&format!("{what} at {}", path.display()), hint)
    }
}

/// The folder of real decision logs (`$CAIRN_CORPORA`, else `../shared/corpora` beside the
/// repository), or [`missing`].
pub fn corpora_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("CAIRN_CORPORA")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpora")
        });
    input_dir(
        dir,
        "the corpora",
        "set CAIRN_CORPORA to the folder of real decision logs",
    )
}

/// Whether `program` with `args` can be started, else [`missing`] (which returns `false`).
pub fn input_program(program: &str, args: &[&str], hint: &str) -> bool {
    let found = std::process::Command::new(program)
        .args(args)
        .output()
        .is_ok();
    if !found {
        let _: Option<()> = missing(&format!("the program `{program}`"), hint);
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ci_is_any_value_but_empty_zero_or_false() {
        for yes in ["true", "1", "yes", "TRUE"] {
            assert!(is_ci(Some(yes)), "{yes}");
        }
        for no in [None, Some(""), Some("0"), Some("false"), Some("False")] {
            assert!(!is_ci(no), "{no:?}");
        }
    }

    #[test]
    fn a_missing_input_is_a_skip_outside_ci() {
        assert_eq!(missing_when::<u8>(false, "the thing", "install it"), None);
    }

    #[test]
    #[should_panic(expected = "the thing is missing and CI is set")]
    fn a_missing_input_fails_under_ci() {
        let _ = missing_when::<u8>(true, "the thing", "install it");
    }

    #[test]
    fn a_folder_that_is_there_is_found() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        assert_eq!(
            input_dir(dir.path().to_path_buf(), "a folder", "none"),
            Some(dir.path().to_path_buf())
        );
    }
}

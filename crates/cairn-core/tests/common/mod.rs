//! Shared by the tests that read the real ADR folders in `/work/shared/corpora` in place:
//! where the corpora are, and skipping cleanly when they are not there (a fresh clone), or
//! failing when `CI` is set.

// Each test crate uses a different part of this module.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// Every corpus, with the folder its decisions live in (relative to the corpus root).
pub const CORPORA: [(&str, &str); 7] = [
    ("decentraland-adr", "content"),
    ("govuk-aws", "docs/architecture/decisions"),
    ("hydra", "docs/adr"),
    ("jabref", "docs/decisions"),
    ("log4brains", "docs/adr"),
    ("madr", "docs/decisions"),
    ("moj-cloud-platform", "architecture-decision-record"),
];

/// `CAIRN_CORPORA` when set, else `shared/corpora` beside the repository: the repository is
/// `/work/<checkout>` and the corpora `/work/shared/corpora`, so from `crates/cairn-core`
/// that is `../../../shared/corpora`.
pub fn corpora_root() -> PathBuf {
    match std::env::var_os("CAIRN_CORPORA") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpora"),
    }
}

/// The root of corpus `name`, or `None` after saying on stderr why the test is skipped;
/// under CI (`CI=true`) a missing corpus fails the test instead.
pub fn corpus(name: &str) -> Option<PathBuf> {
    cairn_testkit::inputs::input_dir(
        corpora_root().join(name),
        &format!("corpus {name}"),
        "set CAIRN_CORPORA to its parent folder",
    )
}

/// The decisions folder of corpus `name`, when the corpus is present.
pub fn decisions_dir(name: &str) -> Option<PathBuf> {
    let sub = CORPORA.iter().find(|(n, _)| *n == name)?.1;
    corpus(name).map(|root| root.join(sub))
}

/// Copies a folder's regular files (not sub-folders) into `to`, so that edits can be tried
/// on real files without touching the corpus.
pub fn copy_files(from: &Path, to: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        if entry.file_type()?.is_file() {
            let dest = to.join(entry.file_name());
            std::fs::copy(entry.path(), &dest)?;
            // The corpora are read-only; the copies must be writable.
            let mut perms = std::fs::metadata(&dest)?.permissions();
            #[allow(clippy::permissions_set_readonly_false)]
            perms.set_readonly(false);
            std::fs::set_permissions(&dest, perms)?;
            out.push(dest);
        }
    }
    out.sort();
    Ok(out)
}

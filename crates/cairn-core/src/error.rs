//! The one error type of `cairn-core`: every failure a user can meet, each naming the file
//! (and line, where there is one) so that a message alone is enough to act on.

use std::path::PathBuf;

use serde::ser::SerializeStruct;

/// Everything that can go wrong in the core. Variants carry the path and, where the problem
/// sits on a line, the 1-based line number, so the CLI and the UI can print them as they are.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: {source}", path = .path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("{path}:{line}: front matter: {msg}", path = .path.display())]
    FrontMatter {
        path: PathBuf,
        line: usize,
        msg: String,
    },

    #[error("{path}:{line}: {msg}", path = .path.display())]
    Parse {
        path: PathBuf,
        line: usize,
        msg: String,
    },

    #[error("{path}:{line}: configuration: {msg}", path = .path.display())]
    Config {
        path: PathBuf,
        line: usize,
        msg: String,
    },

    #[error(
        "no decision folder found in {start} or above it (looked for .cairn.toml, .adr-dir, \
         .log4brains.yml, doc/adr, docs/adr, docs/decisions, docs/architecture/decisions, \
         architecture-decision-record); name one with -C DIR or create one with `cairn init`",
        start = .start.display()
    )]
    NoWorkspace { start: PathBuf },

    #[error("no decision matches {reference:?}")]
    NotFound { reference: String },

    #[error("{reference:?} matches more than one decision: {candidates}")]
    Ambiguous {
        reference: String,
        candidates: String,
    },

    #[error(
        "{path} changed on disk since Cairn read it; nothing was written (reload it, then \
         make the change again)",
        path = .path.display()
    )]
    Conflict { path: PathBuf },

    #[error("{path} already exists; nothing was written", path = .path.display())]
    Exists { path: PathBuf },

    #[error("{path} lies outside the workspace {root}", path = .path.display(), root = .root.display())]
    OutsideWorkspace { path: PathBuf, root: PathBuf },

    /// A file Cairn would read or write is a symbolic link. Links in a repository are never
    /// followed: one may point at any file of the user's, and what Cairn reads it may commit.
    #[error("{}: {}", .path.display(), crate::paths::NOT_FOLLOWED)]
    Symlink { path: PathBuf },

    #[error(
        "Git does not know who you are, so Cairn cannot commit. Set it once with\n  \
         git config --global user.name \"Your Name\"\n  \
         git config --global user.email you@example.com\n\
         (or turn autocommit off in .cairn.toml)"
    )]
    NoIdentity,

    /// A lock file Git needs for the commit exists: a Git command is running in the
    /// repository, or one was interrupted and left it behind. Nothing was written.
    #[error(
        "{path} exists: a Git command is running in this repository, or one was interrupted \
         and left it behind; nothing was written. If no Git command is running, remove it \
         with\n  rm {quoted}\nand try again",
        path = .path.display(),
        quoted = shell_quote(.path)
    )]
    GitLocked { path: PathBuf },

    #[error("git: {msg}")]
    Git {
        msg: String,
        #[source]
        source: Option<git2::Error>,
    },

    #[error(
        "sync stopped: merging {upstream} would conflict in {files}; nothing was changed \
         (your files and commits are as they were). Merge by hand with `git pull`, resolve, \
         then sync again",
        files = .files.iter().map(|f| f.display().to_string()).collect::<Vec<_>>().join(", ")
    )]
    SyncConflict {
        upstream: String,
        files: Vec<PathBuf>,
    },

    #[error(
        "branch {branch} has no upstream to sync with; set one with \
         `git push -u <remote> {branch}`"
    )]
    NoUpstream { branch: String },

    #[error("remote {remote} ({url}): {msg}; nothing was changed locally")]
    Remote {
        remote: String,
        url: String,
        msg: String,
    },

    #[error("{0}")]
    Invalid(String),

    /// The search index at `path` could not be read or written. Opening rebuilds a damaged
    /// index by itself, so this is what is left when even that failed.
    #[error("search index {path}: {msg}", path = .path.display())]
    Index { path: PathBuf, msg: String },

    /// Another process holds the index's writer lock and did not release it in time.
    #[error(
        "search index {path} is being updated by another Cairn process; try again when it \
         has finished",
        path = .path.display()
    )]
    IndexBusy { path: PathBuf },

    /// A search query the user typed could not be read; `msg` says where and how to fix it.
    #[error("search query: {msg}")]
    Query { msg: String },

    /// A scope map could not be read or edited as asked (unknown card, unknown slice, …).
    #[error("{path}:{line}: scope map: {msg}", path = .path.display())]
    ScopeMap {
        path: PathBuf,
        line: usize,
        msg: String,
    },

    /// No card of any scope map and no decision has this id.
    #[error("no card or decision matches {reference:?} (card ids look like c-014; decisions are numbers)")]
    UnknownCard { reference: String },

    /// The board cannot do this to this card; `msg` says why and what to do instead.
    #[error("{msg}")]
    Board { msg: String },

    /// Undo found nothing to undo, or a file changed since the operation it would undo.
    #[error("undo: {msg}")]
    Undo { msg: String },

    /// A file (or a version of one in Git) is larger than Cairn reads for this purpose; it
    /// was refused unread, so a huge file in a cloned repository costs neither memory nor
    /// time. `purpose` completes "too large …" ("to diff", "for a template").
    #[error(
        "{path} is too large {purpose} ({size} bytes; the limit is {limit})",
        path = .path.display()
    )]
    TooLarge {
        path: PathBuf,
        size: u64,
        limit: u64,
        purpose: &'static str,
    },
}

impl Error {
    /// A stable, machine-readable name for the variant; the UI switches on it.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Io { .. } => "io",
            Error::FrontMatter { .. } => "front-matter",
            Error::Parse { .. } => "parse",
            Error::Config { .. } => "config",
            Error::NoWorkspace { .. } => "no-workspace",
            Error::NotFound { .. } => "not-found",
            Error::Ambiguous { .. } => "ambiguous",
            Error::Conflict { .. } => "conflict",
            Error::Exists { .. } => "exists",
            Error::OutsideWorkspace { .. } => "outside-workspace",
            Error::Symlink { .. } => "symlink",
            Error::NoIdentity => "no-identity",
            Error::GitLocked { .. } => "git-locked",
            Error::Git { .. } => "git",
            Error::SyncConflict { .. } => "sync-conflict",
            Error::NoUpstream { .. } => "no-upstream",
            Error::Remote { .. } => "remote",
            Error::Invalid(_) => "invalid",
            Error::Index { .. } => "index",
            Error::IndexBusy { .. } => "index-busy",
            Error::Query { .. } => "query",
            Error::ScopeMap { .. } => "scope-map",
            Error::UnknownCard { .. } => "unknown-card",
            Error::Board { .. } => "board",
            Error::Undo { .. } => "undo",
            Error::TooLarge { .. } => "too-large",
        }
    }

    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    pub(crate) fn git(msg: impl Into<String>, source: git2::Error) -> Self {
        Error::Git {
            msg: msg.into(),
            source: Some(source),
        }
    }
}

/// `path` as a shell word, quoted only when it has to be, so the command can be pasted.
fn shell_quote(path: &std::path::Path) -> String {
    let text = path.display().to_string();
    let plain = |c: char| c.is_ascii_alphanumeric() || "/._-+,@%:".contains(c);
    if !text.is_empty() && text.chars().all(plain) {
        text
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

/// Errors cross to the UI and to `--json` output as `{ "kind": …, "message": … }`.
impl serde::Serialize for Error {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Error", 2)?;
        s.serialize_field("kind", self.kind())?;
        s.serialize_field("message", &self.to_string())?;
        s.end()
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_as_kind_and_message() {
        let err = Error::FrontMatter {
            path: PathBuf::from("docs/adr/0001-x.md"),
            line: 3,
            msg: "mapping values are not allowed here".into(),
        };
        let json = serde_json::to_value(&err).unwrap();
        assert_eq!(json["kind"], "front-matter");
        assert_eq!(
            json["message"],
            "docs/adr/0001-x.md:3: front matter: mapping values are not allowed here"
        );
    }
}

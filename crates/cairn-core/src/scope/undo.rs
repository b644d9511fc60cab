//! Undo for board operations: the last operation's files, their bytes before it and their
//! stamps after it, kept in a small journal outside the working tree. Undo puts the old bytes
//! back only while every file still has the stamp the operation left, so it can never
//! overwrite work done since. The desktop app's Ctrl+Z is this same call.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::changes::Changed;
use crate::store::{self, Change, Stamp, Write};
use crate::workspace::Workspace;
use crate::{Error, Result};

const JOURNAL: &str = "cairn-undo.json";
const VERSION: u32 = 1;

/// One file of the last operation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalFile {
    pub path: PathBuf,
    /// The file's text before the operation; `None` when the operation created it.
    pub before: Option<String>,
    /// The stamp the operation left the file with.
    pub after: Stamp,
}

/// The last operation, as undo needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Journal {
    pub version: u32,
    /// The operation's commit message; undo's message is "Undo: " and this.
    pub message: String,
    pub files: Vec<JournalFile>,
}

/// Where the journal of `ws` lives: inside the repository's Git folder when the workspace is
/// in Git (never in the working tree, so it is never committed), else in the user's cache
/// folder under a name made from the workspace's path.
pub fn location(ws: &Workspace) -> Result<PathBuf> {
    if let Ok(repo) = git2::Repository::discover(&ws.root) {
        if repo.workdir().is_some() {
            return Ok(repo.path().join(JOURNAL));
        }
    }
    let canonical = ws.root.canonicalize().map_err(|e| Error::io(&ws.root, e))?;
    crate::workspace::keyed_cache_path("undo", &canonical)
        .map(|p| p.with_extension("json"))
        .ok_or_else(|| Error::Undo {
            msg: "no home folder to keep the undo journal in".into(),
        })
}

/// Records an operation that has just been applied, replacing the previous record.
pub fn record(ws: &Workspace, journal: &Journal) -> Result<()> {
    let path = location(ws)?;
    let json = serde_json::to_vec_pretty(journal).map_err(|e| Error::Internal {
        msg: format!("undo journal: {e}"),
    })?;
    store::write_atomic(&path, &json)
}

/// The last operation, if there is one to undo.
pub fn peek(ws: &Workspace) -> Result<Option<Journal>> {
    let path = location(ws)?;
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io(&path, e)),
    };
    let journal: Journal = serde_json::from_slice(&bytes).map_err(|e| Error::Undo {
        msg: format!(
            "{} cannot be read ({e}); delete it to start afresh",
            path.display()
        ),
    })?;
    if journal.version != VERSION {
        return Ok(None);
    }
    Ok(Some(journal))
}

/// Builds the journal for an operation from its files' before and after contents.
pub fn journal(message: &str, files: Vec<(PathBuf, Option<String>, &[u8])>) -> Journal {
    Journal {
        version: VERSION,
        message: message.to_string(),
        files: files
            .into_iter()
            .map(|(path, before, after)| JournalFile {
                path,
                before,
                after: Stamp::of(after),
            })
            .collect(),
    }
}

fn rel(ws: &Workspace, p: &Path) -> String {
    super::board::rel(ws, p).into_owned()
}

/// Undoes the last recorded operation as one commit "Undo: …", or refuses, writing nothing,
/// when any of its files changed since. A successful undo clears the journal, so a second
/// undo says there is nothing to undo rather than undoing something older by surprise.
pub fn undo(ws: &Workspace) -> Result<Changed> {
    let Some(journal) = peek(ws)? else {
        return Err(Error::Undo {
            msg: "nothing to undo".into(),
        });
    };
    let mut changes = Vec::new();
    for f in &journal.files {
        // The journal is a file on disk like any other: it names nothing outside the
        // repository that undo would read or write.
        if !crate::paths::lies_inside(&ws.boundary, &f.path) {
            return Err(Error::OutsideWorkspace {
                path: f.path.clone(),
                root: ws.boundary.clone(),
            });
        }
        let now = Stamp::read(&f.path)?;
        if now != f.after {
            return Err(Error::Undo {
                msg: format!(
                    "{} changed since \"{}\"; nothing was undone (undo only works while the \
                     files are as that operation left them)",
                    rel(ws, &f.path),
                    journal.message
                ),
            });
        }
        changes.push(Change {
            path: f.path.clone(),
            expected: f.after.clone(),
            write: match &f.before {
                Some(text) => Write::Put(text.clone().into_bytes()),
                None => Write::Delete,
            },
        });
    }
    let message = format!("Undo: {}", journal.message);
    let path = journal
        .files
        .first()
        .map(|f| f.path.clone())
        .unwrap_or_default();
    let outcome = ws.store().apply(changes, &message)?;
    let loc = location(ws)?;
    std::fs::remove_file(&loc).map_err(|e| Error::io(&loc, e))?;
    Ok(Changed {
        path,
        message,
        outcome,
    })
}

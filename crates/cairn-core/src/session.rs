//! One client's session over the workspace (an agent connected to `cairn mcp`): the versions
//! of the files it has read, so that its writes are refused when a file changed since, and the
//! line that names it in every commit it makes.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use crate::store::Stamp;

/// What one client has seen, shared by every workspace handle it writes through.
///
/// A person who edits in the app sees the file they change; an agent works from what it read
/// minutes ago and may not notice that a teammate or another agent changed the file since.
/// [`crate::Store::apply`] asks the session, under the write lock, whether each file it is
/// about to replace still has the version the client last read, and refuses with
/// [`crate::Error::Conflict`] when it does not. A file the client never read is not held to a
/// version: the usual check against the file as the operation itself read it still applies.
#[derive(Debug, Default)]
pub struct Session {
    /// Who is writing, e.g. "claude-code 2.1"; named in a `Via:` trailer of every commit.
    client: String,
    seen: Mutex<HashMap<PathBuf, Stamp>>,
}

impl Session {
    /// A session for the client called `client` (as it introduced itself).
    pub fn new(client: impl Into<String>) -> Session {
        Session {
            client: client.into(),
            seen: Mutex::default(),
        }
    }

    /// Who this session is, as commits name it.
    pub fn client(&self) -> &str {
        &self.client
    }

    /// Records that the client read `path` at version `stamp`.
    pub fn saw(&self, path: &Path, stamp: Stamp) {
        self.lock().insert(path.to_path_buf(), stamp);
    }

    /// The version of `path` the client last read, if it read it.
    pub fn seen(&self, path: &Path) -> Option<Stamp> {
        self.lock().get(path).cloned()
    }

    /// Whether a file now at `current` may be replaced: true unless the client read another
    /// version of it.
    pub fn allows(&self, path: &Path, current: &Stamp) -> bool {
        self.lock().get(path).is_none_or(|seen| seen == current)
    }

    /// The commit message for `message` made on this client's behalf: the same first line,
    /// so `git log --oneline` reads as for any other change, and a trailer naming the client.
    pub fn sign(&self, message: &str) -> String {
        format!("{message}\n\nVia: cairn mcp ({})", self.client)
    }

    /// A poisoned lock only means another request panicked mid-insert; the map itself is
    /// still a valid map of versions, so it is used as it is.
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<PathBuf, Stamp>> {
        self.seen.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl crate::store::Writer for Session {
    fn allows(&self, path: &Path, current: &Stamp) -> bool {
        Session::allows(self, path, current)
    }

    fn saw(&self, path: &Path, stamp: Stamp) {
        Session::saw(self, path, stamp);
    }

    fn sign(&self, message: &str) -> String {
        Session::sign(self, message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_read_at_one_version_refuses_another() {
        let s = Session::new("test-agent 1.0");
        let p = Path::new("/w/docs/decisions/0001-a.md");
        let (v1, v2) = (Stamp::of(b"one"), Stamp::of(b"two"));
        assert!(
            s.allows(p, &v2),
            "a file never read is not held to a version"
        );
        s.saw(p, v1.clone());
        assert!(s.allows(p, &v1));
        assert!(!s.allows(p, &v2));
        assert_eq!(s.seen(p), Some(v1));
    }

    #[test]
    fn a_signed_message_keeps_its_first_line() {
        let signed = Session::new("claude-code 2.1").sign("ADR 0007: status proposed → accepted");
        assert_eq!(
            signed,
            "ADR 0007: status proposed → accepted\n\nVia: cairn mcp (claude-code 2.1)"
        );
    }
}

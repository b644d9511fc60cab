//! The desktop app's memory of workspaces: the last one open and the recently opened ones,
//! kept in a small JSON file in the user's configuration folder. A missing or damaged file
//! is an empty list, never an error: forgetting recents must not stop the app from starting.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// How many recent workspaces are remembered.
pub const MAX_RECENT: usize = 10;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Recent {
    /// Most recent first; the first one is the workspace to reopen.
    pub workspaces: Vec<PathBuf>,
}

impl Recent {
    /// `<config folder>/cairn/desktop.json`.
    pub fn default_file() -> Result<PathBuf> {
        let base = directories::BaseDirs::new().ok_or(Error::NoHome {
            purpose: "keep settings in",
        })?;
        Ok(base.config_dir().join("cairn").join("desktop.json"))
    }

    pub fn load(file: &Path) -> Recent {
        std::fs::read(file)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default()
    }

    pub fn save(&self, file: &Path) -> Result<()> {
        let json = serde_json::to_vec_pretty(self).map_err(|e| Error::Internal {
            msg: format!("settings: {e}"),
        })?;
        crate::store::write_atomic(file, &json)
    }

    /// Puts `root` first, without duplicates, keeping at most [`MAX_RECENT`].
    pub fn push(&mut self, root: &Path) {
        self.workspaces.retain(|p| p != root);
        self.workspaces.insert(0, root.to_path_buf());
        self.workspaces.truncate(MAX_RECENT);
    }

    pub fn last(&self) -> Option<&Path> {
        self.workspaces.first().map(PathBuf::as_path)
    }

    pub fn contains(&self, root: &Path) -> bool {
        self.workspaces.iter().any(|p| p == root)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_most_recent_first() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("cfg/desktop.json");
        assert_eq!(Recent::load(&file), Recent::default());
        let mut r = Recent::default();
        for i in 0..12 {
            r.push(Path::new(&format!("/w/{i}")));
        }
        r.push(Path::new("/w/5"));
        assert_eq!(r.last(), Some(Path::new("/w/5")));
        assert_eq!(r.workspaces.len(), MAX_RECENT);
        assert_eq!(r.workspaces.iter().filter(|p| p.ends_with("5")).count(), 1);
        r.save(&file).unwrap();
        assert_eq!(Recent::load(&file), r);
        std::fs::write(&file, "not json").unwrap();
        assert_eq!(Recent::load(&file), Recent::default());
    }
}

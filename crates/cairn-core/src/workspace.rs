//! Workspaces: finding the decision folder (Cairn's own config, adr-tools, log4brains, or a
//! conventional folder), reading its settings, and loading the log of decisions in it.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::decision::{self, Decision, Dialect, FileName, NamePattern};
use crate::{Error, Result};

pub const CONFIG_FILE: &str = ".cairn.toml";

/// Conventional decision folders, in the order they are tried.
pub const CONVENTIONAL: [&str; 5] = [
    "doc/adr",
    "docs/adr",
    "docs/decisions",
    "docs/architecture/decisions",
    "architecture-decision-record",
];

/// The dialects Cairn writes new records in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WriteDialect {
    Nygard,
    Madr,
    Cairn,
}

impl std::str::FromStr for WriteDialect {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "nygard" | "adr-tools" => Ok(WriteDialect::Nygard),
            "madr" => Ok(WriteDialect::Madr),
            "cairn" => Ok(WriteDialect::Cairn),
            other => Err(format!(
                "unknown dialect {other:?}; use nygard, madr or cairn"
            )),
        }
    }
}

/// `.cairn.toml`. Every key is optional; paths are relative to the file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Config {
    #[serde(default = "default_decisions")]
    pub decisions: PathBuf,
    pub scope: Option<PathBuf>,
    /// The dialect for new records; when absent, the one the folder already uses.
    pub dialect: Option<WriteDialect>,
    /// Digits in new file numbers; when absent, as the folder already writes them.
    pub number_width: Option<usize>,
    #[serde(default = "default_true")]
    pub autocommit: bool,
}

fn default_decisions() -> PathBuf {
    PathBuf::from("docs/decisions")
}

fn default_true() -> bool {
    true
}

impl Default for Config {
    fn default() -> Self {
        Config {
            decisions: default_decisions(),
            scope: None,
            dialect: None,
            number_width: None,
            autocommit: true,
        }
    }
}

/// How the workspace was found; shown to the user so a surprising folder can be explained.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    CairnToml,
    AdrDir,
    Log4brains,
    Conventional(String),
    Explicit,
}

/// An open workspace: where its decisions and scope maps live and how to write them.
#[derive(Debug, Clone, Serialize)]
pub struct Workspace {
    /// The folder that holds the configuration (or the conventional folder's parent).
    pub root: PathBuf,
    pub decisions_dir: PathBuf,
    pub scope_dir: PathBuf,
    pub config: Config,
    pub source: Source,
}

impl Workspace {
    /// Finds the workspace for `start` by looking in it and then in each parent folder.
    pub fn discover(start: &Path) -> Result<Workspace> {
        let start = absolute(start)?;
        for dir in start.ancestors() {
            if let Some(ws) = Self::at(dir)? {
                return Ok(ws);
            }
        }
        Err(Error::NoWorkspace { start })
    }

    /// Opens a folder named explicitly: a workspace root if it has a marker, otherwise the
    /// decisions folder itself. Never looks upward.
    pub fn open(dir: &Path) -> Result<Workspace> {
        let dir = absolute(dir)?;
        if !dir.is_dir() {
            return Err(Error::io(
                &dir,
                std::io::Error::new(std::io::ErrorKind::NotFound, "no such folder"),
            ));
        }
        if let Some(ws) = Self::at(&dir)? {
            return Ok(ws);
        }
        Ok(Self::with(
            &dir,
            Config {
                decisions: PathBuf::from("."),
                ..Config::default()
            },
            Source::Explicit,
            Some(dir.parent().unwrap_or(&dir).join("scope")),
        ))
    }

    /// The workspace rooted exactly at `dir`, if `dir` has a marker.
    fn at(dir: &Path) -> Result<Option<Workspace>> {
        let cfg = dir.join(CONFIG_FILE);
        if cfg.is_file() {
            let config = read_config(&cfg)?;
            return Ok(Some(Self::with(dir, config, Source::CairnToml, None)));
        }
        let adr_dir = dir.join(".adr-dir");
        if adr_dir.is_file() {
            let text = std::fs::read_to_string(&adr_dir).map_err(|e| Error::io(&adr_dir, e))?;
            let config = Config {
                decisions: PathBuf::from(text.trim()),
                ..Config::default()
            };
            return Ok(Some(Self::with(dir, config, Source::AdrDir, None)));
        }
        let l4b = dir.join(".log4brains.yml");
        if l4b.is_file() {
            if let Some(folder) = log4brains_folder(&l4b)? {
                let config = Config {
                    decisions: PathBuf::from(folder),
                    ..Config::default()
                };
                return Ok(Some(Self::with(dir, config, Source::Log4brains, None)));
            }
        }
        for conv in CONVENTIONAL {
            if dir.join(conv).is_dir() {
                let config = Config {
                    decisions: PathBuf::from(conv),
                    ..Config::default()
                };
                return Ok(Some(Self::with(
                    dir,
                    config,
                    Source::Conventional(conv.into()),
                    None,
                )));
            }
        }
        Ok(None)
    }

    fn with(root: &Path, config: Config, source: Source, scope: Option<PathBuf>) -> Workspace {
        let decisions_dir = normalize(&root.join(&config.decisions));
        let scope_dir = match (&config.scope, scope) {
            (Some(s), _) => normalize(&root.join(s)),
            (None, Some(s)) => s,
            (None, None) => decisions_dir.parent().unwrap_or(root).join("scope"),
        };
        Workspace {
            root: root.to_path_buf(),
            decisions_dir,
            scope_dir,
            config,
            source,
        }
    }

    /// Reads every decision in the folder. Files that cannot be read as text are still
    /// listed, with a diagnostic; README, index and template files are set aside.
    pub fn load(&self) -> Result<Log> {
        let entries = std::fs::read_dir(&self.decisions_dir)
            .map_err(|e| Error::io(&self.decisions_dir, e))?;
        let mut decisions = Vec::new();
        let mut other = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| Error::io(&self.decisions_dir, e))?;
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            let is_md = name.ends_with(".md") || name.ends_with(".markdown");
            if !is_md || !entry.file_type().map(|t| t.is_file()).unwrap_or(false) {
                continue;
            }
            if !is_decision_file_name(&name) {
                other.push(path);
                continue;
            }
            let bytes = read_capped(&path)?;
            decisions.push(decision::parse(&path, &bytes));
        }
        decisions.sort_by(|a, b| {
            (a.number.is_none(), a.number, &a.file_name).cmp(&(
                b.number.is_none(),
                b.number,
                &b.file_name,
            ))
        });
        other.sort();
        Ok(Log {
            decisions,
            other_files: other,
        })
    }
}

impl Workspace {
    pub fn store(&self) -> crate::store::Store {
        crate::store::Store::new(&self.root, self.config.autocommit)
    }
}

/// A name under the user's cache folder for something Cairn keeps per folder (the search
/// index, the undo journal outside Git): `<cache>/cairn/<kind>/<16 hex digits of the
/// canonical path>`, so two checkouts never share one and nothing is written into the
/// repository. `None` when the user has no home folder.
pub(crate) fn keyed_cache_path(kind: &str, canonical: &Path) -> Option<PathBuf> {
    let base = directories::BaseDirs::new()?;
    let key = crate::store::Stamp::of(canonical.to_string_lossy().as_bytes())
        .0
        .unwrap_or_default();
    Some(
        base.cache_dir()
            .join("cairn")
            .join(kind)
            .join(&key[..16.min(key.len())]),
    )
}

/// Reads a file, but no more than a byte past the size cap, so a huge file costs nothing.
pub(crate) fn read_capped(path: &Path) -> Result<Vec<u8>> {
    read_up_to(path, decision::MAX_DECISION_BYTES)
}

/// Reads at most `limit + 1` bytes of a file: one past the limit tells that it is larger.
fn read_up_to(path: &Path, limit: usize) -> Result<Vec<u8>> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut bytes = Vec::new();
    file.take(limit as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(path, e))?;
    Ok(bytes)
}

/// Reads a whole file of at most `limit` bytes; a larger one is refused unread with
/// [`Error::TooLarge`], `purpose` saying what it was to be read for ("for a template").
pub(crate) fn read_limited(path: &Path, limit: usize, purpose: &'static str) -> Result<Vec<u8>> {
    let bytes = read_up_to(path, limit)?;
    if bytes.len() > limit {
        let size = std::fs::metadata(path).map_or(bytes.len() as u64, |m| m.len());
        return Err(Error::TooLarge {
            path: path.to_path_buf(),
            size,
            limit: limit as u64,
            purpose,
        });
    }
    Ok(bytes)
}

/// The most Cairn reads of a configuration file such as `.log4brains.yml`.
pub const MAX_CONFIG_BYTES: usize = 64 * 1024;

/// README, index, table-of-contents and template files live beside decisions in real
/// folders but are not decisions.
pub fn is_decision_file_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let stem = lower
        .strip_suffix(".md")
        .or_else(|| lower.strip_suffix(".markdown"))
        .unwrap_or(&lower);
    // A numbered file is a decision even when its title mentions templates (JabRef's
    // "0039-use-apache-velocity-as-template-engine.md"), unless the whole slug says it is
    // the template ("0000-template.md", "0000-adr-template.md").
    let numbered = FileName::parse(&lower);
    let template = if numbered.number.is_some() || numbered.date.is_some() {
        matches!(numbered.slug.as_str(), "template" | "adr-template")
    } else {
        stem.contains("template")
    };
    !(stem.starts_with('.')
        || stem.starts_with('_')
        || template
        || matches!(
            stem,
            "readme" | "index" | "toc" | "summary" | "changelog" | "contributing" | "license"
        ))
}

fn read_config(path: &Path) -> Result<Config> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    toml::from_str(&text).map_err(|e| {
        let line = e.span().map_or(1, |s| {
            text[..s.start.min(text.len())].matches('\n').count() + 1
        });
        Error::Config {
            path: path.to_path_buf(),
            line,
            msg: e.message().to_string(),
        }
    })
}

/// Reads `project.adrFolder` from a `.log4brains.yml`.
fn log4brains_folder(path: &Path) -> Result<Option<String>> {
    let bytes = read_limited(path, MAX_CONFIG_BYTES, "for a configuration file")?;
    let text = String::from_utf8_lossy(&bytes);
    let docs = crate::yaml::load(&text).map_err(|e| Error::Config {
        path: path.to_path_buf(),
        line: e.line(),
        msg: e.to_string(),
    })?;
    Ok(docs
        .first()
        .and_then(|d| d["project"]["adrFolder"].as_str())
        .map(str::to_string))
}

fn absolute(p: &Path) -> Result<PathBuf> {
    std::path::absolute(p)
        .map(|p| normalize(&p))
        .map_err(|e| Error::io(p, e))
}

/// Removes `.` and `..` components without touching the file system.
fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// The decisions of a workspace, in log order (numbered first, by number).
#[derive(Debug, Clone, Serialize)]
pub struct Log {
    pub decisions: Vec<Decision>,
    /// Markdown files in the folder that are not decisions (README, index, templates).
    pub other_files: Vec<PathBuf>,
}

impl Log {
    /// Finds a decision by number ("7", "0007", "ADR-7"), file name, or a unique part of
    /// its file name, as adr-tools does.
    pub fn resolve(&self, reference: &str) -> Result<&Decision> {
        let r = reference.trim();
        let digits = r
            .trim_start_matches(|c: char| c.is_ascii_alphabetic() || c == '-' || c == '#')
            .trim_start_matches('0');
        if !r.is_empty() && r.chars().any(|c| c.is_ascii_digit()) {
            if let Ok(n) = if digits.is_empty() {
                Ok(0)
            } else {
                digits.parse::<u32>()
            } {
                let hits: Vec<_> = self
                    .decisions
                    .iter()
                    .filter(|d| d.number == Some(n))
                    .collect();
                match hits.as_slice() {
                    [one] => return Ok(one),
                    [] => {}
                    many => return Err(ambiguous(r, many)),
                }
            }
        }
        if let Some(d) = self
            .decisions
            .iter()
            .find(|d| d.file_name == r || d.file_name.strip_suffix(".md") == Some(r))
        {
            return Ok(d);
        }
        let hits: Vec<_> = self
            .decisions
            .iter()
            .filter(|d| !r.is_empty() && d.file_name.contains(r))
            .collect();
        match hits.as_slice() {
            [one] => Ok(one),
            [] => Err(Error::NotFound {
                reference: r.to_string(),
            }),
            many => Err(ambiguous(r, many)),
        }
    }

    /// The dialect most records in the folder use, which new records follow.
    pub fn dominant_dialect(&self) -> Option<Dialect> {
        let mut counts: Vec<(Dialect, usize)> = Vec::new();
        for d in &self.decisions {
            match counts.iter_mut().find(|(k, _)| *k == d.dialect) {
                Some((_, n)) => *n += 1,
                None => counts.push((d.dialect, 1)),
            }
        }
        counts.into_iter().max_by_key(|(_, n)| *n).map(|(k, _)| k)
    }

    /// The naming scheme most files use (the widest number width among them).
    pub fn name_pattern(&self) -> Option<NamePattern> {
        let mut counts: Vec<(NamePattern, usize)> = Vec::new();
        for d in &self.decisions {
            let p = FileName::parse(&d.file_name).pattern;
            match counts.iter_mut().find(|(k, _)| *k == p) {
                Some((_, n)) => *n += 1,
                None => counts.push((p, 1)),
            }
        }
        counts.into_iter().max_by_key(|(_, n)| *n).map(|(p, _)| p)
    }

    pub fn next_number(&self) -> u32 {
        self.decisions
            .iter()
            .filter_map(|d| d.number)
            .max()
            .map_or(1, |n| n + 1)
    }

    pub fn get_number(&self, n: u32) -> Option<&Decision> {
        self.decisions.iter().find(|d| d.number == Some(n))
    }
}

fn ambiguous(reference: &str, hits: &[&Decision]) -> Error {
    Error::Ambiguous {
        reference: reference.to_string(),
        candidates: hits
            .iter()
            .map(|d| d.file_name.as_str())
            .collect::<Vec<_>>()
            .join(", "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_readme_index_and_templates() {
        for name in [
            "README.md",
            "index.md",
            "adr-template.md",
            "template.md",
            ".TEMPLATE.md",
        ] {
            assert!(!is_decision_file_name(name), "{name}");
        }
        assert!(is_decision_file_name("0001-record.md"));
    }

    /// JabRef's ADR 39 was set aside as a template because of its title.
    #[test]
    fn a_numbered_record_about_templates_is_a_decision() {
        assert!(is_decision_file_name(
            "0039-use-apache-velocity-as-template-engine.md"
        ));
        assert!(!is_decision_file_name("0000-template.md"));
        assert!(!is_decision_file_name("adr-template.md"));
    }

    #[test]
    fn detection_order_and_upward_search() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        std::fs::create_dir_all(root.join("docs/adr")).unwrap();
        std::fs::create_dir_all(root.join("src/deep")).unwrap();
        let ws = Workspace::discover(&root.join("src/deep")).unwrap();
        assert_eq!(ws.source, Source::Conventional("docs/adr".into()));
        assert_eq!(ws.decisions_dir, root.join("docs/adr"));

        std::fs::write(root.join(".adr-dir"), "architecture\n").unwrap();
        let ws = Workspace::discover(root).unwrap();
        assert_eq!(
            (ws.source, ws.decisions_dir),
            (Source::AdrDir, root.join("architecture"))
        );

        std::fs::write(
            root.join(".log4brains.yml"),
            "project:\n  adrFolder: ./l4b\n",
        )
        .unwrap();
        std::fs::write(root.join(".cairn.toml"), "decisions = \"records\"\n").unwrap();
        let ws = Workspace::discover(root).unwrap();
        assert_eq!(
            (ws.source, ws.decisions_dir),
            (Source::CairnToml, root.join("records"))
        );
        std::fs::remove_file(root.join(".cairn.toml")).unwrap();
        std::fs::remove_file(root.join(".adr-dir")).unwrap();
        let ws = Workspace::discover(root).unwrap();
        assert_eq!(
            (ws.source, ws.decisions_dir),
            (Source::Log4brains, root.join("l4b"))
        );
    }

    #[test]
    fn bad_config_names_file_and_line() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(
            tmp.path().join(".cairn.toml"),
            "decisions = \"d\"\nautocommit = maybe\n",
        )
        .unwrap();
        let err = Workspace::discover(tmp.path()).unwrap_err();
        assert!(matches!(err, Error::Config { line: 2, .. }), "{err}");
    }

    #[test]
    fn an_alias_bomb_in_log4brains_yml_names_file_and_line() {
        let tmp = tempfile::tempdir().unwrap();
        let mut yml = String::from("project:\n  adrFolder: ./l4b\na: &a [x,x,x,x,x,x,x,x,x]\n");
        for (prev, name) in ('a'..='h').zip('b'..='i') {
            let refs = vec![format!("*{prev}"); 9].join(",");
            yml.push_str(&format!("{name}: &{name} [{refs}]\n"));
        }
        std::fs::write(tmp.path().join(".log4brains.yml"), &yml).unwrap();
        let err = Workspace::discover(tmp.path()).unwrap_err();
        assert!(matches!(err, Error::Config { line: 7, .. }), "{err}");
        assert!(err.to_string().contains("refused: aliases"), "{err}");

        let huge = format!(
            "project:\n  adrFolder: ./l4b\n#{}\n",
            "x".repeat(MAX_CONFIG_BYTES)
        );
        std::fs::write(tmp.path().join(".log4brains.yml"), huge).unwrap();
        let err = Workspace::discover(tmp.path()).unwrap_err();
        assert_eq!(err.kind(), "too-large", "{err}");
    }

    #[test]
    fn no_workspace_is_a_clear_error() {
        let tmp = tempfile::tempdir().unwrap();
        let err = Workspace::open(&tmp.path().join("nope")).unwrap_err();
        assert_eq!(err.kind(), "io");
    }
}

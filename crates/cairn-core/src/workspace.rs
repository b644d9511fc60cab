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
    /// Days a proposal may stay open before `cairn lint` warns (`stale-proposal`); 0 turns
    /// the check off. When absent, [`DEFAULT_STALE_PROPOSAL_DAYS`].
    pub stale_proposal_days: Option<u32>,
}

/// How long a decision may stay proposed before lint asks for a verdict, when
/// `.cairn.toml` does not say.
pub const DEFAULT_STALE_PROPOSAL_DAYS: u32 = 30;

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
            stale_proposal_days: None,
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
    /// The folder every path read or written for this workspace must resolve inside: the
    /// repository's top, or the workspace folder where there is no repository (see
    /// [`crate::paths::boundary`]).
    #[serde(skip)]
    pub boundary: PathBuf,
    /// The client this handle writes for, when it is not the user (see
    /// [`crate::session::Session`]); `None` for the CLI and the app.
    #[serde(skip)]
    pub session: Option<std::sync::Arc<crate::session::Session>>,
}

impl Workspace {
    /// Finds the workspace for `start` by looking in it and then in each parent folder, up to
    /// the top of its Git repository and never past Git's ceilings or the home folder
    /// ([`crate::paths::search_folders`]): a marker above the repository is not its own.
    pub fn discover(start: &Path) -> Result<Workspace> {
        let start = absolute(start)?;
        for dir in crate::paths::search_folders(&start) {
            if let Some(ws) = Self::at(&dir)? {
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
        let mut ws = Self::with(
            &dir,
            Config {
                decisions: PathBuf::from("."),
                ..Config::default()
            },
            Source::Explicit,
            Some(dir.parent().unwrap_or(&dir).join("scope")),
        );
        // The user named this folder, so its sibling `scope` folder is theirs too; only a
        // repository's top is a harder limit.
        match crate::paths::repo_top(&dir) {
            Some(top) if !crate::paths::lies_inside(&top, &ws.scope_dir) => {
                ws.scope_dir = dir.join("scope");
                ws.boundary = top;
            }
            Some(top) => ws.boundary = top,
            None => ws.boundary = dir.parent().unwrap_or(&dir).to_path_buf(),
        }
        Ok(ws)
    }

    /// The workspace rooted exactly at `dir`, if `dir` has a marker. The folders a marker
    /// names must lie inside the repository (see [`Workspace::confine`]).
    fn at(dir: &Path) -> Result<Option<Workspace>> {
        let cfg = dir.join(CONFIG_FILE);
        if let Some(text) = read_marker(&cfg)? {
            let config = read_config(&cfg, &text)?;
            let ws = Self::with(dir, config, Source::CairnToml, None);
            return ws.confine(&cfg, &text, "decisions", "scope").map(Some);
        }
        let adr_dir = dir.join(".adr-dir");
        if let Some(text) = read_marker(&adr_dir)? {
            let config = Config {
                decisions: PathBuf::from(text.trim()),
                ..Config::default()
            };
            let ws = Self::with(dir, config, Source::AdrDir, None);
            return ws.confine(&adr_dir, &text, "", "").map(Some);
        }
        let l4b = dir.join(".log4brains.yml");
        if let Some(text) = read_marker(&l4b)? {
            if let Some(folder) = log4brains_folder(&l4b, &text)? {
                let config = Config {
                    decisions: PathBuf::from(folder),
                    ..Config::default()
                };
                let ws = Self::with(dir, config, Source::Log4brains, None);
                return ws.confine(&l4b, &text, "adrFolder", "").map(Some);
            }
        }
        for conv in CONVENTIONAL {
            if dir.join(conv).is_dir() {
                let config = Config {
                    decisions: PathBuf::from(conv),
                    ..Config::default()
                };
                let ws = Self::with(dir, config, Source::Conventional(conv.into()), None);
                if !crate::paths::lies_inside(&ws.boundary, &ws.decisions_dir) {
                    return Err(Error::OutsideWorkspace {
                        path: ws.decisions_dir,
                        root: ws.boundary,
                    });
                }
                return Ok(Some(ws));
            }
        }
        Ok(None)
    }

    /// Refuses a workspace whose config names a decisions or scope folder outside its
    /// repository (by `..`, an absolute path, or a symbolic link), naming the config file,
    /// the key and its line. A scope folder the config does not name, and which would lie
    /// outside (decisions at the repository's top), becomes `scope` in the workspace folder.
    fn confine(
        mut self,
        file: &Path,
        text: &str,
        decisions_key: &str,
        scope_key: &str,
    ) -> Result<Self> {
        let refuse = |key: &str, value: &Path| {
            let value = format!("{:?}", value.display().to_string());
            let (line, what) = if key.is_empty() {
                (1, value)
            } else {
                (key_line(text, key), format!("{key} = {value}"))
            };
            Error::Config {
                path: file.to_path_buf(),
                line,
                msg: format!(
                    "{what} lies outside the repository {}; Cairn reads and writes only inside it",
                    self.boundary.display()
                ),
            }
        };
        if !crate::paths::lies_inside(&self.boundary, &self.decisions_dir) {
            return Err(refuse(decisions_key, &self.config.decisions));
        }
        if !crate::paths::lies_inside(&self.boundary, &self.scope_dir) {
            match &self.config.scope {
                Some(scope) => return Err(refuse(scope_key, scope)),
                None => self.scope_dir = self.root.join("scope"),
            }
        }
        Ok(self)
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
            boundary: crate::paths::boundary(root),
            session: None,
        }
    }

    /// Reads every decision in the folder. Files that cannot be read as text are still
    /// listed, with a diagnostic, and so are symbolic links, which are never followed;
    /// README, index and template files are set aside.
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
            let file_type = entry.file_type().ok();
            let is_link = file_type.is_some_and(|t| t.is_symlink());
            if !is_md || !(is_link || file_type.is_some_and(|t| t.is_file())) {
                continue;
            }
            if !is_decision_file_name(&name) {
                other.push(path);
                continue;
            }
            match read_capped(&path) {
                Ok(bytes) => decisions.push(decision::parse(&path, &bytes)),
                Err(Error::Symlink { .. }) => decisions.push(Decision::not_followed(&path)),
                Err(e) => return Err(e),
            }
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
            .confined_to(&self.boundary)
            .for_session(
                self.session
                    .clone()
                    .map(|s| s as std::sync::Arc<dyn crate::store::Writer>),
            )
    }

    /// The same workspace, writing on behalf of `session`: its commits name the client, and a
    /// file it read is not replaced once it has changed since.
    pub fn with_session(mut self, session: std::sync::Arc<crate::session::Session>) -> Workspace {
        self.session = Some(session);
        self
    }
}

/// Resolves a file name the UI sent for a decision: a name inside the decisions folder (no
/// sub-folders), checked as [`resolve_inside`] does.
pub fn decision_file(ws: &Workspace, file_name: &str) -> Result<PathBuf> {
    if file_name.contains('/') || file_name.contains('\\') {
        return Err(Error::OutsideWorkspace {
            path: PathBuf::from(file_name),
            root: ws.decisions_dir.clone(),
        });
    }
    crate::paths::resolve_inside(&ws.root, &ws.decisions_dir, file_name)
}

// The cache folders moved to their own module (the store needs them too); their old paths stay.
pub use crate::cache::cache_root;
pub(crate) use crate::cache::keyed_cache_path;

/// Reads a file, but no more than a byte past the size cap, so a huge file costs nothing.
pub(crate) fn read_capped(path: &Path) -> Result<Vec<u8>> {
    crate::paths::read_up_to(path, decision::MAX_DECISION_BYTES)
}

pub(crate) use crate::paths::read_limited;

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

/// The text of a marker file (`.cairn.toml`, `.adr-dir`, `.log4brains.yml`), `None` when
/// there is none. A marker that is a symbolic link is refused, not followed, and one over
/// [`MAX_CONFIG_BYTES`] is refused unread.
fn read_marker(path: &Path) -> Result<Option<String>> {
    match path.symlink_metadata() {
        Ok(meta) if meta.file_type().is_symlink() => Err(Error::Symlink {
            path: path.to_path_buf(),
        }),
        Ok(meta) if meta.is_file() => {
            let bytes = read_limited(path, MAX_CONFIG_BYTES, "for a configuration file")?;
            Ok(Some(String::from_utf8_lossy(&bytes).into_owned()))
        }
        _ => Ok(None),
    }
}

/// The 1-based line where `key` is set in a config file's text (1 when it cannot be found).
fn key_line(text: &str, key: &str) -> usize {
    text.lines()
        .position(|l| {
            l.trim_start()
                .strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with(['=', ':']))
        })
        .map_or(1, |i| i + 1)
}

fn read_config(path: &Path, text: &str) -> Result<Config> {
    toml::from_str(text).map_err(|e| {
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
fn log4brains_folder(path: &Path, text: &str) -> Result<Option<String>> {
    let docs = crate::yaml::load(text).map_err(|e| Error::Config {
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
    /// A log of the given `(file name, text)` records in that order, parsed as files are:
    /// the fixture the unit tests of the modules that read a whole log share.
    #[cfg(test)]
    pub(crate) fn of_texts(files: &[(&str, &str)]) -> Log {
        Log {
            decisions: files
                .iter()
                .map(|(name, text)| crate::decision::parse(Path::new(name), text.as_bytes()))
                .collect(),
            other_files: Vec::new(),
        }
    }

    /// Finds a decision by number ("7", "0007", "ADR-7"), file name, or a unique part of
    /// its file name, as adr-tools does.
    pub fn resolve(&self, reference: &str) -> Result<&Decision> {
        resolve_among(&self.decisions, reference, |d| (&d.file_name, d.number))
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
        name_pattern_of(self.decisions.iter().map(|d| d.file_name.as_str()))
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

/// The naming scheme most of `names` use, as [`Log::name_pattern`] says of a log's files.
pub(crate) fn name_pattern_of<'a>(names: impl Iterator<Item = &'a str>) -> Option<NamePattern> {
    let mut counts: Vec<(NamePattern, usize)> = Vec::new();
    for name in names {
        let p = FileName::parse(name).pattern;
        match counts.iter_mut().find(|(k, _)| *k == p) {
            Some((_, n)) => *n += 1,
            None => counts.push((p, 1)),
        }
    }
    counts.into_iter().max_by_key(|(_, n)| *n).map(|(p, _)| p)
}

/// The rule of [`Log::resolve`] over anything with a file name and a number (decisions, or
/// the catalog's rows), in log order: a number first, then the file name (with or without
/// `.md`), then a unique part of it.
pub(crate) fn resolve_among<'a, T>(
    items: &'a [T],
    reference: &str,
    key: impl Fn(&T) -> (&str, Option<u32>),
) -> Result<&'a T> {
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
            let hits: Vec<&T> = items.iter().filter(|d| key(d).1 == Some(n)).collect();
            match hits.as_slice() {
                [one] => return Ok(one),
                [] => {}
                many => return Err(ambiguous(r, many, &key)),
            }
        }
    }
    if let Some(d) = items.iter().find(|d| {
        let name = key(d).0;
        name == r || name.strip_suffix(".md") == Some(r)
    }) {
        return Ok(d);
    }
    let hits: Vec<&T> = items
        .iter()
        .filter(|d| !r.is_empty() && key(d).0.contains(r))
        .collect();
    match hits.as_slice() {
        [one] => Ok(one),
        [] => Err(Error::NotFound {
            reference: r.to_string(),
        }),
        many => Err(ambiguous(r, many, &key)),
    }
}

fn ambiguous<T>(reference: &str, hits: &[&T], key: impl Fn(&T) -> (&str, Option<u32>)) -> Error {
    Error::Ambiguous {
        reference: reference.to_string(),
        candidates: hits.iter().map(|d| key(d).0).collect::<Vec<_>>().join(", "),
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
    fn config_naming_a_folder_outside_the_repository_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("repo");
        std::fs::create_dir_all(root.join(".git")).unwrap();
        let elsewhere = tmp.path().join("elsewhere");
        std::fs::create_dir_all(&elsewhere).unwrap();
        for (file, text, line, says) in [
            (
                CONFIG_FILE,
                "decisions = \"../elsewhere\"\n",
                1,
                "decisions = \"../elsewhere\"",
            ),
            (
                CONFIG_FILE,
                "autocommit = false\nscope = \"/tmp\"\n",
                2,
                "scope = \"/tmp\"",
            ),
            (".adr-dir", "..\n", 1, "\"..\""),
            (
                ".log4brains.yml",
                "project:\n  adrFolder: ../..\n",
                2,
                "adrFolder = \"../..\"",
            ),
        ] {
            std::fs::write(root.join(file), text).unwrap();
            let err = Workspace::discover(&root).unwrap_err();
            assert!(
                matches!(&err, Error::Config { path, line: l, .. } if path.ends_with(file) && *l == line),
                "{file}: {err}"
            );
            assert!(err.to_string().contains(says), "{err}");
            std::fs::remove_file(root.join(file)).unwrap();
        }
    }

    #[test]
    fn decisions_at_the_top_keep_their_scope_inside() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("repo");
        std::fs::create_dir_all(root.join(".git")).unwrap();
        std::fs::write(root.join(CONFIG_FILE), "decisions = \".\"\n").unwrap();
        let ws = Workspace::discover(&root).unwrap();
        assert_eq!(ws.decisions_dir, root);
        assert_eq!(ws.scope_dir, root.join("scope"));
    }

    #[test]
    fn discovery_stops_at_the_repository_top() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join(CONFIG_FILE), "").unwrap();
        let repo = tmp.path().join("repo");
        std::fs::create_dir_all(repo.join(".git")).unwrap();
        std::fs::create_dir_all(repo.join("src")).unwrap();
        let err = Workspace::discover(&repo.join("src")).unwrap_err();
        assert_eq!(err.kind(), "no-workspace", "{err}");
        // Without the repository, the same folder is found.
        std::fs::remove_dir(repo.join(".git")).unwrap();
        assert_eq!(
            Workspace::discover(&repo.join("src")).unwrap().root,
            tmp.path()
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_symlinked_decision_is_listed_unread() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("docs/decisions");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            tmp.path().join("secret.md"),
            "# Secret\n\nStatus: accepted\n",
        )
        .unwrap();
        std::os::unix::fs::symlink(tmp.path().join("secret.md"), dir.join("0001-link.md")).unwrap();
        let log = Workspace::discover(tmp.path()).unwrap().load().unwrap();
        let [d] = log.decisions.as_slice() else {
            panic!("{:?}", log.decisions)
        };
        assert_eq!(d.title, None);
        assert!(d.has_errors());
        assert!(d.diagnostics[0]
            .message
            .starts_with("symlink: not followed"));
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

//! The operations that change the decision log (new record, status, link, supersede). Each
//! reads the files it touches, edits only the lines that carry the fact, and hands the
//! result to the store as one atomic change: one commit in a Git repository.

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::NaiveDate;
use serde::Serialize;

use crate::catalog::linked_file_name;
use crate::decision::{
    self, add_link, parse, set_status, slugify, supersede_target, Decision, Dialect, LinkTarget,
    NamePattern, StatusKind,
};
use crate::store::{self, Change, Outcome, Stamp, Write};
use crate::template::{self, Fill};
use crate::workspace::{Log, Source, Workspace, WriteDialect};
use crate::{Error, Result};

/// A new record to create.
#[derive(Debug, Clone, Default)]
pub struct NewDecision {
    pub title: String,
    pub template: Option<String>,
    pub status: Option<StatusKind>,
    /// References (number or file name) of the records the new one supersedes.
    pub supersedes: Vec<String>,
    /// `(reference, relation)` pairs, e.g. `("7", "Amends")`.
    pub links: Vec<(String, String)>,
    pub date: Option<NaiveDate>,
}

/// What an operation changed: the record it was about, and the store's outcome (the
/// commit, or why there was none).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Changed {
    pub path: PathBuf,
    pub message: String,
    pub outcome: Outcome,
}

/// Today's date, or `CAIRN_DATE` when set so that scripted runs and tests are repeatable
/// (adr-tools offers `ADR_DATE` for the same reason, and it is honoured too).
pub fn today() -> NaiveDate {
    for var in ["CAIRN_DATE", "ADR_DATE"] {
        if let Some(d) = std::env::var(var)
            .ok()
            .and_then(|v| NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d").ok())
        {
            return d;
        }
    }
    chrono::Local::now().date_naive()
}

/// The reverse of a known relation, so `cairn link 12 amends 7` also writes "Amended by"
/// into 7.
pub fn reverse_relation(label: &str) -> Option<&'static str> {
    match decision::normalize_relation(label).as_str() {
        "supersedes" => Some("Superseded by"),
        "superseded-by" => Some("Supersedes"),
        "amends" => Some("Amended by"),
        "amended-by" => Some("Amends"),
        "relates-to" => Some("Relates to"),
        _ => None,
    }
}

/// Files read for one operation, with what they looked like, so the store can refuse to
/// write over anything that changed meanwhile.
struct Edits {
    files: BTreeMap<PathBuf, (Stamp, Dialect, String)>,
}

impl Edits {
    fn new() -> Self {
        Edits {
            files: BTreeMap::new(),
        }
    }

    /// The current text of a decision, read once per operation.
    fn text(&mut self, d: &Decision) -> Result<&mut (Stamp, Dialect, String)> {
        if !self.files.contains_key(&d.path) {
            let (text, stamp) = store::read_text(&d.path)?;
            let dialect = parse(&d.path, text.as_bytes()).dialect;
            self.files.insert(d.path.clone(), (stamp, dialect, text));
        }
        self.files.get_mut(&d.path).ok_or_else(|| Error::Internal {
            msg: "edit buffer lost".into(),
        })
    }

    fn into_changes(self) -> Vec<Change> {
        self.files
            .into_iter()
            .map(|(path, (expected, _, text))| Change {
                path,
                expected,
                write: Write::Put(text.into_bytes()),
            })
            .collect()
    }
}

fn target_of(d: &Decision, width: usize) -> LinkTarget {
    LinkTarget {
        number: d.number,
        padded: d.number.map(|n| format!("{n:0width$}")),
        title: d.display_title(),
        file_name: d.file_name.clone(),
    }
}

/// Digits in the folder's numbers: configured, else as its files write them, else 4.
pub fn number_width(ws: &Workspace, log: &Log) -> usize {
    number_width_of(ws, log.decisions.iter().map(|d| d.file_name.as_str()))
}

/// [`number_width`] from the decisions' file names alone (the log's rows have them).
pub fn number_width_of<'a>(ws: &Workspace, names: impl Iterator<Item = &'a str>) -> usize {
    ws.config
        .number_width
        .or_else(|| crate::workspace::name_pattern_of(names).and_then(NamePattern::width))
        .unwrap_or(4)
}

/// The dialect new records are written in: the configured one, else the one most records
/// in the folder use, else adr-tools' for an adr-tools folder and Cairn's otherwise.
pub fn write_dialect(ws: &Workspace, log: &Log) -> WriteDialect {
    if let Some(d) = ws.config.dialect {
        return d;
    }
    match log.dominant_dialect() {
        Some(Dialect::Nygard | Dialect::Plain) => WriteDialect::Nygard,
        Some(Dialect::Cairn) => WriteDialect::Cairn,
        Some(Dialect::Madr | Dialect::StaticSite | Dialect::MadrBullets) => WriteDialect::Madr,
        None if ws.source == Source::AdrDir => WriteDialect::Nygard,
        None => WriteDialect::Cairn,
    }
}

/// Creates a new record: the next number, a slug of the title, the folder's naming scheme
/// and dialect; with its supersede and link edits in the same commit.
pub fn create(ws: &Workspace, new: &NewDecision) -> Result<Changed> {
    let title = new.title.trim();
    let slug = slug_of(title)?;
    std::fs::create_dir_all(&ws.decisions_dir).map_err(|e| Error::io(&ws.decisions_dir, e))?;
    let log = ws.load()?;
    let dialect = write_dialect(ws, &log);
    let width = number_width(ws, &log);
    let pattern = name_pattern(&log, width);
    let number = pattern.width().map(|_| log.next_number());
    let date = new.date.unwrap_or_else(today);
    let template = match &new.template {
        Some(name) => template::find(&ws.decisions_dir, name)?,
        None => template::default_for(&ws.decisions_dir, dialect)?,
    };
    let status = new.status.unwrap_or(StatusKind::Proposed);
    let mut text = template::fill(
        &template.text,
        &Fill {
            number,
            title,
            date: &date.format("%Y-%m-%d").to_string(),
            status,
        },
    );
    let file_name = pattern.file_name(number.unwrap_or(0), &slug, date);
    let path = ws.decisions_dir.join(&file_name);
    if path.exists() {
        return Err(Error::Exists { path });
    }
    let new_dialect = parse(&path, text.as_bytes()).dialect;
    let me = LinkTarget {
        number,
        padded: number.map(|n| format!("{n:0width$}")),
        title: title.to_string(),
        file_name: file_name.clone(),
    };

    let mut edits = Edits::new();
    let notes = link_new(&log, new, width, (&mut text, new_dialect, &me), &mut edits)?;

    let label = number.map_or(file_name.clone(), |n| format!("ADR {n:0width$}"));
    let mut message = format!("{label}: new decision \"{title}\"");
    if !notes.is_empty() {
        message.push_str(&format!(" ({})", notes.join(", ")));
    }
    let mut changes = edits.into_changes();
    changes.push(Change {
        path: path.clone(),
        expected: Stamp::absent(),
        write: Write::Put(text.into_bytes()),
    });
    let outcome = ws.store().apply(changes, &message)?;
    Ok(Changed {
        path,
        message,
        outcome,
    })
}

/// The file-name slug of a new decision's (trimmed) title; an empty title, or one with no
/// letter or digit, cannot name a file.
fn slug_of(title: &str) -> Result<String> {
    if title.is_empty() {
        return Err(Error::NoTitle {
            title: String::new(),
        });
    }
    let slug = slugify(title);
    if slug.is_empty() {
        return Err(Error::NoTitle {
            title: title.to_owned(),
        });
    }
    Ok(slug)
}

/// The naming scheme of a new file: the folder's own, with the folder's number width.
fn name_pattern(log: &Log, width: usize) -> NamePattern {
    match log.name_pattern() {
        Some(NamePattern::Numbered { .. }) | None => NamePattern::Numbered { width },
        Some(NamePattern::AdrPrefix { .. }) => NamePattern::AdrPrefix { width },
        Some(NamePattern::DatedNumber { .. }) => NamePattern::DatedNumber { width },
        Some(other) => other,
    }
}

/// Writes a new record's supersede and link edits: into its own text (`text` in `dialect`,
/// the record being `me`) and, reversed, into the records it names. Returns the notes for
/// the commit message ("supersedes ADR 0003").
fn link_new(
    log: &Log,
    new: &NewDecision,
    width: usize,
    (text, dialect, me): (&mut String, Dialect, &LinkTarget),
    edits: &mut Edits,
) -> Result<Vec<String>> {
    let mut notes = Vec::new();
    for reference in &new.supersedes {
        let old = log.resolve(reference)?;
        let entry = edits.text(old)?;
        entry.2 = supersede_target(&entry.2, entry.1, me);
        *text = add_link(text, dialect, "Supersedes", &target_of(old, width));
        notes.push(format!("supersedes {}", old.label(width)));
    }
    for (reference, relation) in &new.links {
        let other = log.resolve(reference)?;
        let reverse = reverse_relation(relation).ok_or_else(|| Error::NoReverse {
            relation: relation.clone(),
            hint: "use `cairn link` with an explicit reverse relation".into(),
        })?;
        *text = add_link(text, dialect, relation, &target_of(other, width));
        let entry = edits.text(other)?;
        entry.2 = add_link(&entry.2, entry.1, reverse, me);
        notes.push(format!(
            "{} {}",
            relation.to_lowercase(),
            other.label(width)
        ));
    }
    Ok(notes)
}

/// Changes a decision's status, in every place its file states it.
pub fn change_status(ws: &Workspace, reference: &str, status: StatusKind) -> Result<Changed> {
    let log = ws.load()?;
    let d = log.resolve(reference)?;
    let width = number_width(ws, &log);
    let from = d
        .status
        .as_ref()
        .map_or("none".to_string(), |s| s.kind.as_str().to_string());
    if d.status.as_ref().is_some_and(|s| s.kind == status) {
        return Err(Error::Unchanged {
            msg: format!("{} is already {status}; nothing to change", d.label(width)),
        });
    }
    let mut edits = Edits::new();
    let entry = edits.text(d)?;
    entry.2 = set_status(&entry.2, entry.1, status);
    let message = format!("{}: status {from} → {status}", d.label(width));
    let outcome = ws.store().apply(edits.into_changes(), &message)?;
    Ok(Changed {
        path: d.path.clone(),
        message,
        outcome,
    })
}

/// Links `source` to `target` with `relation`, and `target` back with `reverse` (known
/// relations know their reverse). "Supersedes" also marks the target superseded.
pub fn link(
    ws: &Workspace,
    source: &str,
    relation: &str,
    target: &str,
    reverse: Option<&str>,
) -> Result<Changed> {
    let log = ws.load()?;
    let width = number_width(ws, &log);
    let (mut a, mut b) = (log.resolve(source)?, log.resolve(target)?);
    if a.path == b.path {
        return Err(Error::SelfLink {
            label: a.label(width),
        });
    }
    let mut relation = relation.trim().to_string();
    let normal = decision::normalize_relation(&relation);
    if normal == "superseded-by" {
        std::mem::swap(&mut a, &mut b);
        relation = "Supersedes".into();
    }
    if a.links.iter().any(|l| {
        l.relation == decision::normalize_relation(&relation)
            && l.target_number == b.number
            && b.number.is_some()
    }) {
        return Err(Error::Unchanged {
            msg: format!(
                "{} already {} {}",
                a.label(width),
                relation.to_lowercase(),
                b.label(width)
            ),
        });
    }
    let reverse = match reverse {
        Some(r) => r.to_string(),
        None => reverse_relation(&relation)
            .map(str::to_string)
            .ok_or_else(|| Error::NoReverse {
                relation: relation.clone(),
                hint: format!(
                    "give the reverse, e.g. `cairn link {source} {relation:?} {target} \"Enables\"`"
                ),
            })?,
    };
    let mut edits = Edits::new();
    let (ta, tb) = (target_of(a, width), target_of(b, width));
    let entry = edits.text(a)?;
    entry.2 = add_link(&entry.2, entry.1, &capitalise(&relation), &tb);
    let entry = edits.text(b)?;
    entry.2 = if decision::normalize_relation(&relation) == "supersedes" {
        supersede_target(&entry.2, entry.1, &ta)
    } else {
        add_link(&entry.2, entry.1, &capitalise(&reverse), &ta)
    };
    let message = format!(
        "{} {} {}",
        a.label(width),
        relation.to_lowercase(),
        b.label(width)
    );
    let outcome = ws.store().apply(edits.into_changes(), &message)?;
    Ok(Changed {
        path: a.path.clone(),
        message,
        outcome,
    })
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

/// Creates a workspace: `.cairn.toml`, the decisions folder and a first record that
/// explains the practice.
pub fn init(dir: &std::path::Path, dialect: WriteDialect) -> Result<Changed> {
    let dir = &std::path::absolute(dir).map_err(|e| Error::io(dir, e))?;
    let config_path = dir.join(crate::workspace::CONFIG_FILE);
    if config_path.exists() {
        return Err(Error::Exists { path: config_path });
    }
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let dialect_name = match dialect {
        WriteDialect::Nygard => "nygard",
        WriteDialect::Madr => "madr",
        WriteDialect::Cairn => "cairn",
    };
    let config = format!(
        "# Cairn workspace settings. Paths are relative to this file.\n\
         decisions = \"docs/decisions\"\n\
         scope = \"docs/scope\"\n\
         dialect = \"{dialect_name}\"\n\
         number-width = 4\n\
         autocommit = true\n"
    );
    let first = template::fill(
        template::first_record(dialect),
        &Fill {
            number: Some(1),
            title: "Record architecture decisions",
            date: &today().format("%Y-%m-%d").to_string(),
            status: StatusKind::Accepted,
        },
    );
    let record = dir.join("docs/decisions/0001-record-architecture-decisions.md");
    let message = "ADR 0001: start the decision log".to_string();
    let changes = vec![
        Change {
            path: config_path,
            expected: Stamp::absent(),
            write: Write::Put(config.into_bytes()),
        },
        Change {
            path: record.clone(),
            expected: Stamp::absent(),
            write: Write::Put(first.into_bytes()),
        },
    ];
    let outcome = store::Store::new(dir, true).apply(changes, &message)?;
    Ok(Changed {
        path: record,
        message,
        outcome,
    })
}

/// Replaces `from` with `to` on one 1-based line of `text`, leaving every other byte alone.
fn replace_on_line(text: &str, line: usize, from: &str, to: &str) -> (String, bool) {
    let mut changed = false;
    let out = text
        .split_inclusive('\n')
        .enumerate()
        .map(|(i, l)| {
            if i + 1 == line && l.contains(from) {
                changed = true;
                l.replace(from, to)
            } else {
                l.to_string()
            }
        })
        .collect();
    (out, changed)
}

/// Moves a decision to the next free number: renames its file, renumbers its heading, and
/// rewrites every link to it across the folder, in one commit. This is how a number clash
/// after a merge (two branches both added 0012) is resolved. Links that name only the
/// number ("ADR-0012") are rewritten only when that number was not shared, since otherwise
/// they could mean either record.
pub fn renumber(ws: &Workspace, reference: &str) -> Result<Changed> {
    let log = ws.load()?;
    let d = log.resolve(reference)?;
    let width = number_width(ws, &log);
    let old = d.number.ok_or_else(|| Error::NoNumber {
        path: d.file_name.clone().into(),
    })?;
    let shared = log
        .decisions
        .iter()
        .filter(|x| x.number == Some(old))
        .count()
        > 1;
    let new = log.next_number();
    let name = decision::FileName::parse(&d.file_name);
    let date = name.date.unwrap_or_else(today);
    let new_file = name.pattern.file_name(new, &name.slug, date);
    let new_path = ws.decisions_dir.join(&new_file);
    if new_path.exists() {
        return Err(Error::Exists { path: new_path });
    }

    let mut edits = Edits::new();
    let rewritten = rewrite_links(&log, d, (old, new, width), shared, &new_file, &mut edits)?;
    let (own, stamp) = store::read_text(&d.path)?;
    let own = renumber_title(own, old, new);
    let message = format!(
        "{} → ADR {new:0width$}: renumber \"{}\" ({rewritten} link(s) updated)",
        d.label(width),
        d.display_title()
    );
    let mut changes = edits.into_changes();
    changes.push(Change {
        path: d.path.clone(),
        expected: stamp,
        write: Write::Delete,
    });
    changes.push(Change {
        path: new_path.clone(),
        expected: Stamp::absent(),
        write: Write::Put(own.into_bytes()),
    });
    let outcome = ws.store().apply(changes, &message)?;
    Ok(Changed {
        path: new_path,
        message,
        outcome,
    })
}

/// Rewrites the links to `d` in the other records from number `old` to `new` (numbers
/// written `width` digits wide) and from its file name to `new_file`; a link that names only
/// the number is rewritten only when no other record `shared` that number. Returns how many
/// links changed.
fn rewrite_links(
    log: &Log,
    d: &Decision,
    (old, new, width): (u32, u32, usize),
    shared: bool,
    new_file: &str,
    edits: &mut Edits,
) -> Result<usize> {
    let mut rewritten = 0;
    let old_padded = format!("ADR-{old:0width$}");
    let new_padded = format!("ADR-{new:0width$}");
    for other in log.decisions.iter().filter(|x| x.path != d.path) {
        for link in &other.links {
            // The file as the link writes it (`0012-a%20b.md`), when it names this one.
            let written = link
                .target_file
                .as_deref()
                .filter(|t| linked_file_name(t) == d.file_name)
                .map(decision::written_file_name);
            let by_number =
                !shared && link.target_file.is_none() && link.target_number == Some(old);
            if written.is_none() && !by_number {
                continue;
            }
            let entry = edits.text(other)?;
            let mut text = entry.2.clone();
            let mut any = false;
            let file = written.map_or_else(
                || (d.file_name.clone(), new_file.to_string()),
                |w| (w.to_string(), renamed_as_written(w, &d.file_name, new_file)),
            );
            for (from, to) in [
                file,
                (format!("[{old}. "), format!("[{new}. ")),
                (old_padded.clone(), new_padded.clone()),
            ] {
                if from == old_padded && !by_number {
                    continue;
                }
                let (t, changed) = replace_on_line(&text, link.line, &from, &to);
                text = t;
                any |= changed;
            }
            if any {
                rewritten += 1;
                entry.2 = text;
            }
        }
    }
    Ok(rewritten)
}

/// `written`, a link's spelling of the file `old`, renamed to `new` the same way: the part
/// before the names' common ending (the number, or the date) is replaced, and the rest keeps
/// the link's own spelling, percent-encoded or not.
fn renamed_as_written(written: &str, old: &str, new: &str) -> String {
    let common = old
        .chars()
        .rev()
        .zip(new.chars().rev())
        .take_while(|(a, b)| a == b)
        .map(|(a, _)| a.len_utf8())
        .sum::<usize>();
    let (old_head, new_head) = (&old[..old.len() - common], &new[..new.len() - common]);
    match written.strip_prefix(old_head) {
        Some(rest) => format!("{new_head}{rest}"),
        // A head the link spells otherwise (percent-encoded digits): the whole new name.
        None => new.to_string(),
    }
}

/// Renumbers the first title that carries the old number ("# 12. X", `title: 12. X`).
fn renumber_title(own: String, old: u32, new: u32) -> String {
    for prefix in ["# ", "title: ", "title: \""] {
        let heading = format!("{prefix}{old}. ");
        if let Some(line) = own
            .split_inclusive('\n')
            .position(|l| l.starts_with(&heading))
        {
            return replace_on_line(&own, line + 1, &heading, &format!("{prefix}{new}. ")).0;
        }
    }
    own
}

/// Replaces a decision's whole text with what the user wrote in the editor, as one commit
/// ("ADR 0007: edit"). `expected` is the stamp the editor loaded; if the file changed on disk
/// since, nothing is written and the error is [`Error::Conflict`], so an outside edit is
/// never overwritten silently.
pub fn save_text(ws: &Workspace, file_name: &str, text: &str, expected: &Stamp) -> Result<Changed> {
    let path = crate::workspace::decision_file(ws, file_name)?;
    if expected.is_absent() {
        return Err(Error::NoBaseVersion {
            path: file_name.into(),
        });
    }
    if Stamp::of(text.as_bytes()) == *expected {
        return Err(Error::NoChanges {
            path: file_name.into(),
        });
    }
    let name = decision::FileName::parse(file_name);
    let label = match name.number {
        Some(n) => {
            let digits = file_name
                .trim_start_matches(|c: char| !c.is_ascii_digit())
                .chars()
                .take_while(char::is_ascii_digit)
                .count();
            let width = ws.config.number_width.unwrap_or(digits.max(1));
            format!("ADR {n:0width$}")
        }
        None => file_name.to_string(),
    };
    let message = format!("{label}: edit");
    let outcome = ws.store().apply(
        vec![Change {
            path: path.clone(),
            expected: expected.clone(),
            write: Write::Put(text.as_bytes().to_vec()),
        }],
        &message,
    )?;
    Ok(Changed {
        path,
        message,
        outcome,
    })
}

#[cfg(test)]
mod save_text_tests {
    use super::*;

    /// The new name keeps the link's own spelling of everything after the number.
    #[test]
    fn a_renamed_link_keeps_its_spelling() {
        for (written, old, new, want) in [
            (
                "0013-beta.md",
                "0013-beta.md",
                "0014-beta.md",
                "0014-beta.md",
            ),
            ("0010-x.md", "0010-x.md", "0020-x.md", "0020-x.md"),
            (
                "0007-a%20b.md",
                "0007-a b.md",
                "0012-a b.md",
                "0012-a%20b.md",
            ),
            // Names ending in characters that share their last UTF-8 byte (é, ©).
            (
                "0003-caf%C3%A9.md",
                "0003-café.md",
                "0004-café.md",
                "0004-caf%C3%A9.md",
            ),
            ("%30003-x.md", "0003-x.md", "0004-x.md", "0004-x.md"),
        ] {
            assert_eq!(renamed_as_written(written, old, new), want, "{written}");
        }
        assert_eq!(renamed_as_written("1-é.md", "1-é.md", "1-©.md"), "1-©.md");
    }

    fn workspace() -> (cairn_testkit::TestRepo, Workspace) {
        let repo = cairn_testkit::TestRepo::new();
        init(repo.path(), WriteDialect::Cairn).unwrap();
        let ws = Workspace::discover(repo.path()).unwrap();
        (repo, ws)
    }

    #[test]
    fn saves_as_one_commit() {
        let (repo, ws) = workspace();
        let file = "0001-record-architecture-decisions.md";
        let (bytes, stamp) = store::read(&ws.decisions_dir.join(file)).unwrap();
        let text = String::from_utf8(bytes).unwrap() + "\nMore context.\n";
        let changed = save_text(&ws, file, &text, &stamp).unwrap();
        assert_eq!(changed.message, "ADR 0001: edit");
        assert!(matches!(
            changed.outcome.committed,
            store::Committed::Commit { .. }
        ));
        assert_eq!(
            std::fs::read_to_string(ws.decisions_dir.join(file)).unwrap(),
            text
        );
        let git = git2::Repository::open(repo.path()).unwrap();
        let head = git.head().unwrap().peel_to_commit().unwrap();
        assert_eq!(head.summary().unwrap(), Some("ADR 0001: edit"));
    }

    /// A self-link and a title with nothing to name a file by are named kinds, not "invalid".
    #[test]
    fn self_links_and_empty_titles_have_their_kinds() {
        let (_repo, ws) = workspace();
        let err = link(&ws, "1", "Amends", "1", None).unwrap_err();
        assert_eq!(err.kind(), "self-link", "{err}");
        for title in ["", "  ", "!!!"] {
            let new = NewDecision {
                title: title.into(),
                ..Default::default()
            };
            let err = create(&ws, &new).unwrap_err();
            assert_eq!(err.kind(), "no-title", "{title:?}: {err}");
        }
    }

    /// Saving the text the file already holds is its own kind, so the UI can say "nothing to
    /// save" rather than show an error.
    #[test]
    fn saving_unchanged_text_is_no_changes() {
        let (_repo, ws) = workspace();
        let file = "0001-record-architecture-decisions.md";
        let (text, stamp) = store::read_text(&ws.decisions_dir.join(file)).unwrap();
        let err = save_text(&ws, file, &text, &stamp).unwrap_err();
        assert_eq!(err.kind(), "no-changes", "{err}");
        assert_eq!(err.to_string(), format!("{file}: no changes to save"));
    }

    /// A save without the editor's version and a renumber of a record without a number are
    /// named kinds that carry the file, not "invalid".
    #[test]
    fn a_save_without_a_version_and_a_numberless_renumber_have_their_kinds() {
        let (_repo, ws) = workspace();
        let file = "0001-record-architecture-decisions.md";
        let err = save_text(&ws, file, "# Mine\n", &Stamp::absent()).unwrap_err();
        assert_eq!(err.kind(), "no-base-version", "{err}");
        assert_eq!(
            err.to_string(),
            format!("{file}: the editor has no version of this file to save over")
        );
        std::fs::write(ws.decisions_dir.join("use-slugs.md"), "# Use slugs\n").unwrap();
        let err = renumber(&ws, "use-slugs.md").unwrap_err();
        assert_eq!(err.kind(), "no-number", "{err}");
        assert_eq!(err.to_string(), "use-slugs.md has no number to change");
    }

    #[test]
    fn refuses_to_overwrite_an_outside_edit() {
        let (_repo, ws) = workspace();
        let file = "0001-record-architecture-decisions.md";
        let path = ws.decisions_dir.join(file);
        let (_, stamp) = store::read(&path).unwrap();
        std::fs::write(&path, "# Someone else's edit\n").unwrap();
        let err = save_text(&ws, file, "# Mine\n", &stamp).unwrap_err();
        assert_eq!(err.kind(), "conflict");
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "# Someone else's edit\n"
        );
    }

    #[test]
    fn refuses_paths_outside_the_folder() {
        let (_repo, ws) = workspace();
        let stamp = Stamp::of(b"x");
        for bad in ["../.cairn.toml", "/etc/passwd", "sub/0001-x.md"] {
            let err = save_text(&ws, bad, "x", &stamp).unwrap_err();
            assert_eq!(err.kind(), "outside-workspace", "{bad}");
        }
    }
}

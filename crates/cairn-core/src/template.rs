//! Decision templates: the ones shipped with Cairn, a workspace's own `templates/` folder,
//! and filling one in for a new record.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::decision::{set_status, Dialect, StatusKind, MAX_DECISION_BYTES};
use crate::workspace::{read_limited, WriteDialect};
use crate::{Error, Result};

/// Templates compiled into the binary, so `cairn new` works wherever it is installed.
const BUILT_IN: [(&str, &str, &str); 6] = [
    (
        "cairn",
        "Cairn's default: MADR 4 front matter plus scope, reversibility and revisit keys",
        include_str!("../../../adr-templates/templates/cairn.md"),
    ),
    (
        "madr-full",
        "MADR 4 with every section: drivers, options, pros and cons, confirmation",
        include_str!("../../../adr-templates/templates/madr-full.md"),
    ),
    (
        "madr-minimal",
        "MADR 4, the essentials: context, options, outcome",
        include_str!("../../../adr-templates/templates/madr-minimal.md"),
    ),
    (
        "nygard",
        "Michael Nygard's format, as adr-tools writes it",
        include_str!("../../../adr-templates/templates/nygard.md"),
    ),
    (
        "one-way-door",
        "Cairn's default for a decision costly to undo: marked one-way, reviewed a year on",
        include_str!("../../../adr-templates/templates/one-way-door.md"),
    ),
    (
        "y-statement",
        "One Y-statement sentence: context, facing, decided, neglected, achieve, accepting",
        include_str!("../../../adr-templates/templates/y-statement.md"),
    ),
];

/// The first record `cairn init` writes, per dialect.
pub fn first_record(dialect: WriteDialect) -> &'static str {
    match dialect {
        WriteDialect::Nygard => include_str!("../../../adr-templates/init/nygard.md"),
        WriteDialect::Madr => include_str!("../../../adr-templates/init/madr.md"),
        WriteDialect::Cairn => include_str!("../../../adr-templates/init/cairn.md"),
    }
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Template {
    pub name: String,
    pub description: String,
    /// Where a workspace template lives; `None` for the ones shipped with Cairn.
    pub path: Option<PathBuf>,
    #[serde(skip)]
    pub text: String,
}

/// The workspace's own templates folder, if it has one. A link there is refused: the
/// templates' text goes into new records, which are committed and pushed.
fn folder(decisions_dir: &Path) -> Result<Option<PathBuf>> {
    let dir = decisions_dir.join("templates");
    if crate::paths::is_symlink(&dir) {
        return Err(Error::Symlink { path: dir });
    }
    Ok(dir.is_dir().then_some(dir))
}

/// Lists the workspace's templates (from `<decisions>/templates/`, where adr-tools keeps
/// its `template.md`) followed by the built-in ones. A workspace template shadows a built-in
/// one of the same name. A template that is a symbolic link is listed, with "symlink: not
/// followed" as its description, but never read.
pub fn list(decisions_dir: &Path) -> Result<Vec<Template>> {
    let mut out = Vec::new();
    if let Some(dir) = folder(decisions_dir)? {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map_err(|e| Error::io(&dir, e))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "md"))
            .collect();
        paths.sort();
        for path in paths {
            let (text, description) =
                match read_limited(&path, MAX_DECISION_BYTES, "for a template") {
                    Ok(bytes) => (
                        String::from_utf8(bytes).map_err(|e| {
                            Error::io(
                                &path,
                                std::io::Error::new(std::io::ErrorKind::InvalidData, e),
                            )
                        })?,
                        format!("workspace template ({})", path.display()),
                    ),
                    Err(Error::Symlink { .. }) => (
                        String::new(),
                        format!("symlink: not followed ({})", path.display()),
                    ),
                    Err(e) => return Err(e),
                };
            let name = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            out.push(Template {
                description,
                name,
                path: Some(path),
                text,
            });
        }
    }
    for (name, description, text) in BUILT_IN {
        if !out.iter().any(|t| t.name == name) {
            out.push(Template {
                name: name.into(),
                description: description.into(),
                path: None,
                text: text.into(),
            });
        }
    }
    Ok(out)
}

/// Finds a template by name.
pub fn find(decisions_dir: &Path, name: &str) -> Result<Template> {
    let all = list(decisions_dir)?;
    let names = all
        .iter()
        .map(|t| t.name.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let found = all
        .into_iter()
        .find(|t| t.name == name)
        .ok_or_else(|| Error::UnknownTemplate {
            name: name.to_owned(),
            names,
        })?;
    match &found.path {
        Some(path) if crate::paths::is_symlink(path) => Err(Error::Symlink { path: path.clone() }),
        _ => Ok(found),
    }
}

/// The template a new record uses when none is named: the folder's own adr-tools
/// `templates/template.md` if it has one, else the built-in one for the folder's dialect.
pub fn default_for(decisions_dir: &Path, dialect: WriteDialect) -> Result<Template> {
    let own = decisions_dir.join("templates").join("template.md");
    // A link counts as there (and is then refused), so it never silently falls back.
    if own.is_file() || crate::paths::is_symlink(&own) {
        return find(decisions_dir, "template");
    }
    let name = match dialect {
        WriteDialect::Nygard => "nygard",
        WriteDialect::Madr => "madr-minimal",
        WriteDialect::Cairn => "cairn",
    };
    find(decisions_dir, name)
}

/// Values for a new record.
pub struct Fill<'a> {
    pub number: Option<u32>,
    pub title: &'a str,
    pub date: &'a str,
    pub status: StatusKind,
}

/// Fills a template. Cairn's `{{placeholders}}` are replaced everywhere; an adr-tools
/// template's bare `NUMBER`, `TITLE`, `DATE` and `STATUS` are replaced once per line, as
/// adr-tools' `sed` does. A template with neither gets its first heading set to the title
/// and its status written the way its dialect writes it.
pub fn fill(template: &str, v: &Fill) -> String {
    let number = v.number.map(|n| n.to_string()).unwrap_or_default();
    let capital_status = {
        let s = v.status.as_str();
        let mut c = s.chars();
        c.next()
            .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
            .unwrap_or_default()
    };
    if template.contains("{{") {
        // Nygard-style bodies write the status capitalised; front matter writes it lower case.
        let in_front_matter = template.starts_with("---");
        let status = if in_front_matter {
            v.status.as_str().to_string()
        } else {
            capital_status
        };
        let heading = if v.number.is_none() {
            template.replace("# {{number}}. {{title}}", "# {{title}}")
        } else {
            template.to_string()
        };
        return heading
            .replace("{{number}}", &number)
            .replace("{{title}}", v.title)
            .replace("{{date}}", v.date)
            .replace("{{review-by}}", &a_year_after(v.date))
            .replace("{{status}}", &status);
    }
    if template.contains("TITLE") {
        return template
            .split_inclusive('\n')
            .map(|line| {
                line.replacen("NUMBER", &number, 1)
                    .replacen("TITLE", v.title, 1)
                    .replacen("DATE", v.date, 1)
                    .replacen("STATUS", &capital_status, 1)
            })
            .collect();
    }
    let mut out = String::with_capacity(template.len() + v.title.len());
    let mut titled = false;
    for line in template.split_inclusive('\n') {
        if !titled && line.starts_with("# ") {
            out.push_str(&format!("# {}\n", v.title));
            titled = true;
        } else {
            out.push_str(line);
        }
    }
    let dialect = if out.starts_with("---") {
        Dialect::Madr
    } else {
        Dialect::Nygard
    };
    set_status(&out, dialect, v.status)
}

/// The `{{review-by}}` a template asks for: a year after the record's date, when a decision
/// that is costly to undo deserves a second look (`cairn due` lists it then). Empty when the
/// date is not a calendar date, which leaves the key for the author to fill.
fn a_year_after(date: &str) -> String {
    chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.checked_add_months(chrono::Months::new(12)))
        .map(|d| d.to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_template_over_the_size_cap_is_refused_unread() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("templates");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("big.md"), vec![b'x'; MAX_DECISION_BYTES + 1]).unwrap();
        let err = list(tmp.path()).unwrap_err();
        assert_eq!(err.kind(), "too-large", "{err}");
        assert!(
            err.to_string().contains("too large for a template"),
            "{err}"
        );
    }

    /// An unknown template name is its own kind, and the message lists the ones there are.
    #[test]
    fn an_unknown_template_names_the_ones_there_are() {
        let tmp = tempfile::tempdir().unwrap();
        let err = find(tmp.path(), "no-such").unwrap_err();
        assert_eq!(err.kind(), "unknown-template", "{err}");
        assert!(err.to_string().contains(BUILT_IN[0].0), "{err}");
    }

    #[test]
    fn every_built_in_template_fills_into_a_readable_record() {
        for (name, _, text) in BUILT_IN {
            let filled = fill(
                text,
                &Fill {
                    number: Some(7),
                    title: "Use PostgreSQL",
                    date: "2026-11-21",
                    status: StatusKind::Proposed,
                },
            );
            assert!(!filled.contains("{{"), "{name}");
            let d = crate::decision::parse(Path::new("0007-use-postgresql.md"), filled.as_bytes());
            assert_eq!(d.title.as_deref(), Some("Use PostgreSQL"), "{name}");
            assert_eq!(d.status_kind(), StatusKind::Proposed, "{name}");
            assert!(d.date.is_some(), "{name}");
            assert!(d.diagnostics.is_empty(), "{name}: {:?}", d.diagnostics);
        }
    }

    /// The one-way-door template marks the decision one-way and gives it a review date a
    /// year on, which the parser reads (so `cairn due` lists it then).
    #[test]
    fn a_one_way_door_gets_a_review_date_a_year_on() {
        let (_, _, text) = BUILT_IN
            .iter()
            .find(|(n, _, _)| *n == "one-way-door")
            .unwrap();
        let filled = fill(
            text,
            &Fill {
                number: Some(7),
                title: "Use PostgreSQL",
                date: "2028-02-29",
                status: StatusKind::Accepted,
            },
        );
        let d = crate::decision::parse(Path::new("0007-use-postgresql.md"), filled.as_bytes());
        assert_eq!(
            d.planning.review_by,
            chrono::NaiveDate::from_ymd_opt(2029, 2, 28)
        );
        assert_eq!(d.planning.reversibility.as_deref(), Some("one-way"));
        assert_eq!(a_year_after("soon"), "");
    }

    #[test]
    fn adr_tools_templates_fill_like_sed() {
        let t = "# NUMBER. TITLE\n\nDate: DATE\n\n## Status\n\nSTATUS\n";
        let out = fill(
            t,
            &Fill {
                number: Some(3),
                title: "Use X",
                date: "2026-01-02",
                status: StatusKind::Accepted,
            },
        );
        assert_eq!(
            out,
            "# 3. Use X\n\nDate: 2026-01-02\n\n## Status\n\nAccepted\n"
        );
    }
}

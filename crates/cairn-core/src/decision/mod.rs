//! Decision records: the model every dialect is read into, and the surgical edits written
//! back. Parsing lives in `parse`, file-name conventions in `filename`, edits in `edit`.

mod edit;
mod filename;
pub(crate) mod mentions;
mod parse;
mod status;

use std::path::PathBuf;

use chrono::NaiveDate;
use serde::Serialize;

pub use edit::{
    add_link, remove_front_matter_key, set_front_matter_key, set_status, supersede_target,
    LinkTarget,
};
pub use filename::{slugify, FileName, NamePattern};
pub use mentions::MENTIONS;
pub use parse::{normalize_relation, parse, MAX_DECISION_BYTES};
pub use status::StatusKind;
// Diagnostics are shared with scope maps and front matter; they live in their own module and
// keep their old path here.
pub use crate::diagnostic::{Diagnostic, Severity};

/// The way a file records its metadata. Cairn reads all of them and writes, for an existing
/// file, the dialect that file already uses, so a folder never ends up with mixed styles
/// because of the tool.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Dialect {
    /// adr-tools / Michael Nygard: `# N. Title`, a `Date:` line, a `## Status` section.
    Nygard,
    /// MADR 2 and log4brains: `* Status: accepted` bullets under the title.
    MadrBullets,
    /// MADR 3/4: YAML front matter with `status`, `date`, `decision-makers`, …
    Madr,
    /// MADR 4 front matter plus Cairn's own keys (`scope`, `revisit-when`, …).
    Cairn,
    /// Jekyll / Docusaurus / Hugo front matter (`title`, `tags: [Accepted]`, `adr:`).
    StaticSite,
    /// Plain Markdown with no recognisable metadata.
    Plain,
}

impl Dialect {
    /// Whether the metadata lives in YAML front matter.
    pub fn uses_front_matter(self) -> bool {
        matches!(self, Dialect::Madr | Dialect::Cairn | Dialect::StaticSite)
    }
}

/// A status as the file wrote it, with the normalised kind Cairn reasons with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Status {
    /// The words of the file, cleaned of decoration ("✅ Accepted" → "Accepted").
    pub raw: String,
    pub kind: StatusKind,
    /// 1-based line where the file states it.
    pub line: usize,
}

/// The people of a decision, by role, as MADR and the static-site dialects name them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct People {
    pub deciders: Vec<String>,
    pub consulted: Vec<String>,
    pub informed: Vec<String>,
    pub authors: Vec<String>,
}

impl People {
    pub fn all(&self) -> impl Iterator<Item = &String> {
        self.deciders
            .iter()
            .chain(&self.consulted)
            .chain(&self.informed)
            .chain(&self.authors)
    }
}

/// A typed relation from one decision to another. The label keeps the file's own words
/// ("Superceded by", "Clarified by"); `relation` is the normalised, kebab-case name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Link {
    /// `supersedes`, `superseded-by`, `amends`, `amended-by`, `relates-to`, or the kebab-case
    /// form of a custom relation such as `clarified-by`.
    pub relation: String,
    pub label: String,
    /// The number of the target, when the reference carries one.
    pub target_number: Option<u32>,
    /// The file the link points at, when it is a Markdown link to a file.
    pub target_file: Option<String>,
    /// The link's text or the reference as written.
    pub target_text: String,
    pub line: usize,
}

/// The base name of a link's target as the link spells it: `../adr/0012-a%20b.md#why` gives
/// `0012-a%20b.md`. Decoded, it names the file (`catalog::linked_file_name`); as written, it
/// is what a rename has to find in the line.
pub(crate) fn written_file_name(target: &str) -> &str {
    let path = target.split(['#', '?']).next().unwrap_or_default();
    path.rsplit(['/', '\\']).next().unwrap_or_default()
}

/// Cairn's own keys: where a decision sits on the Now vs. Later board and what brings a
/// deferred decision back.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Planning {
    pub scope: Option<String>,
    pub revisit_when: Option<String>,
    pub revisit_by: Option<NaiveDate>,
    pub reversibility: Option<String>,
    /// When a decision (accepted or not) is next to be looked at again: `review-by:` in
    /// front matter, a `Review by:` bullet, or a line of an adr-tools Status section.
    /// Left out of the JSON when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub review_by: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Section {
    pub level: u8,
    pub heading: String,
    pub line: usize,
}

/// One decision record as read from disk. Every field is optional because real folders
/// hold every shape of file; what could not be read is said in `diagnostics`.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Decision {
    pub path: PathBuf,
    /// The file name, which is also the decision's stable identity within its folder.
    pub file_name: String,
    pub number: Option<u32>,
    /// The file name without its number, date and extension.
    pub slug: String,
    pub title: Option<String>,
    pub status: Option<Status>,
    pub date: Option<NaiveDate>,
    /// The date as written, when it could not be read as a calendar date.
    pub date_raw: Option<String>,
    pub people: People,
    pub tags: Vec<String>,
    pub links: Vec<Link>,
    /// References to other decisions in the prose ("see ADR 0067", a Markdown link to
    /// `0012-….md`) that no structured link already names, each target once, with the
    /// relation `mentions`. Left out of the JSON when there are none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "ts", ts(as = "Option<Vec<Link>>", optional))]
    pub mentions: Vec<Link>,
    pub planning: Planning,
    pub sections: Vec<Section>,
    pub dialect: Dialect,
    pub diagnostics: Vec<Diagnostic>,
    /// 1-based line where the body (after any front matter) starts.
    pub body_line: usize,
}

impl Decision {
    /// The title to show: the file's own, or one made from the slug when it has none.
    pub fn display_title(&self) -> String {
        match &self.title {
            Some(t) => t.clone(),
            None => self.slug.replace('-', " "),
        }
    }

    /// "ADR 0007" for numbered records, the file name otherwise.
    pub fn label(&self, width: usize) -> String {
        match self.number {
            Some(n) => format!("ADR {n:0width$}"),
            None => self.file_name.clone(),
        }
    }

    pub fn status_kind(&self) -> StatusKind {
        self.status
            .as_ref()
            .map(|s| s.kind)
            .unwrap_or(StatusKind::Unknown)
    }

    /// A symbolic link in the decisions folder, listed so the user sees it but never read:
    /// the link may point at any file of the user's, and what Cairn reads it may commit.
    pub fn not_followed(path: &std::path::Path) -> Decision {
        let mut d = parse(path, b"");
        // Nothing was read, so nothing (not even a title made from the name) is claimed.
        d.title = None;
        d.diagnostics = vec![Diagnostic::error(None, crate::error::NOT_FOLLOWED)];
        d
    }

    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }
}

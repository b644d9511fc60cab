//! Lint: checks a whole decision log for the problems a reader or a merge leaves behind
//! (duplicate numbers, broken and one-sided links, missing titles, statuses and dates) and
//! reports each as a [`Finding`] with a stable code and a message that says what to do.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::decision::{Decision, Dialect, Link, Severity, StatusKind};
use crate::workspace::Log;

pub mod cache;
pub use cache::cached;

/// One problem in one file. `code` is stable kebab-case so tools and people can filter on
/// it; the message names what is wrong and how to fix it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Finding {
    pub severity: Severity,
    pub code: &'static str,
    pub path: PathBuf,
    /// 1-based line, when the problem sits on one.
    pub line: Option<usize>,
    pub message: String,
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        match self.line {
            Some(line) => write!(f, "{}:{line}: ", self.path.display())?,
            None => write!(f, "{}: ", self.path.display())?,
        }
        write!(f, "{severity}[{}]: {}", self.code, self.message)
    }
}

/// Codes of every check, so callers (the CLI's `--allow`, docs) can list them.
pub const CODES: [&str; 11] = [
    "parse",
    "duplicate-number",
    "broken-link",
    "broken-mention",
    "unknown-status",
    "superseded-without-successor",
    "missing-successor-backlink",
    "missing-title",
    "missing-date",
    "missing-status",
    "stale-proposal",
];

/// What the checks that depend on the day and the workspace's settings need.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub today: chrono::NaiveDate,
    /// Days a proposal may stay open; `None` or 0: not checked.
    pub stale_proposal_days: Option<u32>,
}

impl Options {
    /// Today (`CAIRN_DATE` when set) and the workspace's `stale-proposal-days`.
    pub fn for_workspace(ws: &crate::Workspace) -> Options {
        Options {
            today: crate::changes::today(),
            stale_proposal_days: Some(
                ws.config
                    .stale_proposal_days
                    .unwrap_or(crate::workspace::DEFAULT_STALE_PROPOSAL_DAYS),
            ),
        }
    }
}

/// Lints the log as [`lint`] does, plus the checks that depend on `opts`: proposals left
/// open longer than the workspace allows.
pub fn lint_with(log: &Log, opts: &Options) -> Vec<Finding> {
    let mut out = lint(log);
    if let Some(days) = opts.stale_proposal_days.filter(|&d| d > 0) {
        for d in &log.decisions {
            out.extend(stale_proposal(d, opts.today, days));
        }
        out.sort_by(|a, b| a.path.cmp(&b.path).then(a.line.cmp(&b.line)));
    }
    out
}

/// A proposal older than `days`, by its date (from the file, else from Git history).
fn stale_proposal(d: &Decision, today: chrono::NaiveDate, days: u32) -> Option<Finding> {
    let status = d
        .status
        .as_ref()
        .filter(|s| s.kind == StatusKind::Proposed)?;
    let age = (today - d.date?).num_days();
    (age > i64::from(days)).then(|| {
        finding(
            d,
            Severity::Warning,
            "stale-proposal",
            Some(status.line),
            format!(
                "proposed {age} days ago ({}), longer than the {days} days this workspace \
                 allows; accept or reject it, or set `stale-proposal-days` in .cairn.toml",
                d.date.map(|x| x.to_string()).unwrap_or_default()
            ),
        )
    })
}

/// Lints every decision of the log, returning the findings sorted by path, then line. The
/// checks that depend on the day or the settings are in [`lint_with`].
pub fn lint(log: &Log) -> Vec<Finding> {
    let mut out = Vec::new();
    duplicate_numbers(log, &mut out);
    let resolver = Resolver::new(log);
    for (i, d) in log.decisions.iter().enumerate() {
        parse_diagnostics(d, &mut out);
        if !was_read(d) {
            // A file over the size limit was not read at all: every content check would
            // only repeat that one problem.
            continue;
        }
        content(d, &mut out);
        links(&resolver, i, &mut out);
        mentions(&resolver, d, &mut out);
    }
    // Stable, so findings on the same line keep the order the checks produced them in.
    out.sort_by(|a, b| a.path.cmp(&b.path).then(a.line.cmp(&b.line)));
    out
}

fn finding(
    d: &Decision,
    severity: Severity,
    code: &'static str,
    line: Option<usize>,
    message: String,
) -> Finding {
    Finding {
        severity,
        code,
        path: d.path.clone(),
        line,
        message,
    }
}

/// The parser's diagnostics, as findings. The two that a lint check also covers keep that
/// check's code, so a problem is never reported twice under two names: "unknown status"
/// becomes `unknown-status`, and "no title" is left to `missing-title`, which is an error.
fn parse_diagnostics(d: &Decision, out: &mut Vec<Finding>) {
    for diag in &d.diagnostics {
        let code = match diagnostic_kind(&diag.message) {
            DiagnosticKind::NoTitle => continue,
            DiagnosticKind::UnknownStatus => "unknown-status",
            DiagnosticKind::Other => "parse",
        };
        out.push(finding(
            d,
            diag.severity,
            code,
            diag.line,
            diag.message.clone(),
        ));
    }
}

enum DiagnosticKind {
    NoTitle,
    UnknownStatus,
    Other,
}

/// Which lint check a parser diagnostic duplicates, read from the start of its message.
/// The test `parser_diagnostics_are_not_reported_twice` fails if the parser's wording
/// changes under this.
fn diagnostic_kind(message: &str) -> DiagnosticKind {
    if message.starts_with("no title") {
        DiagnosticKind::NoTitle
    } else if message.starts_with("unknown status") {
        DiagnosticKind::UnknownStatus
    } else {
        DiagnosticKind::Other
    }
}

fn was_read(d: &Decision) -> bool {
    !d.diagnostics
        .iter()
        .any(|x| x.message.contains("it was not read"))
}

/// Two files with one number: what a merge of two branches that each added "the next"
/// record leaves. Every file involved gets a finding naming all of them.
fn duplicate_numbers(log: &Log, out: &mut Vec<Finding>) {
    let mut numbers: Vec<(u32, Vec<&Decision>)> = Vec::new();
    for d in &log.decisions {
        if let Some(n) = d.number {
            match numbers.iter_mut().find(|(m, _)| *m == n) {
                Some((_, files)) => files.push(d),
                None => numbers.push((n, vec![d])),
            }
        }
    }
    for (n, files) in numbers.iter().filter(|(_, f)| f.len() > 1) {
        let names = files
            .iter()
            .map(|d| d.file_name.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        for d in files {
            out.push(finding(
                d,
                Severity::Error,
                "duplicate-number",
                None,
                format!(
                    "number {n} is used by more than one file ({names}), as happens when two \
                     branches each add a record and are merged; give all but one of them the \
                     next free number ({}) and update the links that point at it",
                    log.next_number()
                ),
            ));
        }
    }
}

/// Title, status and date: the facts every reader of the log expects.
fn content(d: &Decision, out: &mut Vec<Finding>) {
    missing_title(d, out);
    status(d, out);
    missing_date(d, out);
}

/// A record whose file states no title: the parser made one from the file name (and said
/// so), which a reader of the folder on GitHub never sees.
fn missing_title(d: &Decision, out: &mut Vec<Finding>) {
    let said = d
        .diagnostics
        .iter()
        .find(|x| matches!(diagnostic_kind(&x.message), DiagnosticKind::NoTitle));
    if d.title.is_none() || said.is_some() {
        let line = said.and_then(|x| x.line);
        let how = if d.dialect == Dialect::StaticSite {
            "add a `title:` key to the front matter"
        } else {
            "add a `# Title` heading at the top of the record"
        };
        out.push(finding(
            d,
            Severity::Error,
            "missing-title",
            line,
            match &d.title {
                Some(t) => format!(
                    "the record states no title (it is shown as {t:?}, made from its file \
                     name); {how}"
                ),
                None => format!("the record has no title; {how}"),
            },
        ));
    }
}

/// A status Cairn cannot read, a superseded one that names no successor, or none at all.
fn status(d: &Decision, out: &mut Vec<Finding>) {
    match &d.status {
        Some(status) if status.kind == StatusKind::Unknown => {
            let reported = d
                .diagnostics
                .iter()
                .any(|x| matches!(diagnostic_kind(&x.message), DiagnosticKind::UnknownStatus));
            if !reported {
                out.push(finding(
                    d,
                    Severity::Warning,
                    "unknown-status",
                    Some(status.line),
                    format!(
                        "unknown status {:?}; use one of draft, proposed, accepted, rejected, \
                         deprecated, superseded",
                        status.raw
                    ),
                ));
            }
        }
        Some(status) if status.kind == StatusKind::Superseded => {
            if !d.links.iter().any(|l| l.relation == "superseded-by") {
                out.push(finding(
                    d,
                    Severity::Error,
                    "superseded-without-successor",
                    Some(status.line),
                    format!(
                        "the status is superseded but no record is named as its successor; {}",
                        successor_hint(d.dialect)
                    ),
                ));
            }
        }
        Some(_) => {}
        // Folders in the other dialects (JabRef's MADR, static sites) often carry no status
        // at all, by design; warning on every file would bury the real problems.
        None => {
            let how = match d.dialect {
                Dialect::Nygard => Some("add a `## Status` section with a line such as `Proposed`"),
                Dialect::MadrBullets => Some("add a `* Status: proposed` bullet under the title"),
                Dialect::Cairn => Some("add `status: proposed` to the front matter"),
                Dialect::Madr | Dialect::StaticSite | Dialect::Plain => None,
            };
            if let Some(how) = how {
                out.push(finding(
                    d,
                    Severity::Warning,
                    "missing-status",
                    None,
                    format!("the record has no status; {how}"),
                ));
            }
        }
    }
}

fn missing_date(d: &Decision, out: &mut Vec<Finding>) {
    // An unreadable date (`date_raw`) already has a parser diagnostic.
    if d.date.is_none() && d.date_raw.is_none() {
        let how = match d.dialect {
            Dialect::Madr | Dialect::Cairn | Dialect::StaticSite => {
                "add `date: YYYY-MM-DD` to the front matter"
            }
            Dialect::MadrBullets => "add a `* Date: YYYY-MM-DD` bullet under the title",
            Dialect::Nygard | Dialect::Plain => "add a `Date: YYYY-MM-DD` line under the title",
        };
        out.push(finding(
            d,
            Severity::Warning,
            "missing-date",
            None,
            format!("the record has no date, in the file or in its name; {how}"),
        ));
    }
}

fn successor_hint(dialect: Dialect) -> &'static str {
    if dialect.uses_front_matter() {
        "add `superseded-by: [ADR-NNNN]` to the front matter, or change the status"
    } else {
        "write the status as `Superseded by [N. Title](NNNN-title.md)`, or change the status"
    }
}

/// Where a link leads, as far as the log can tell.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Target {
    /// A web address or an anchor in the same file: not a link to a decision.
    External,
    /// Neither a number nor a file: free text such as "the old payment flow".
    Unspecified,
    /// The decision at this index of the log.
    Found(usize),
    /// A number that several files share; `duplicate-number` reports that.
    Ambiguous,
    /// A Markdown file in the folder that is not a decision (README, index).
    OtherFile,
    /// A file name not in the folder: its base name and the path as written, no anchor.
    MissingFile {
        base: String,
        path: String,
    },
    MissingNumber(u32),
}

/// Resolves links against a log. Built once per report so that linking every record of a
/// 10,000-record log costs a hash lookup per link, not a scan of the log.
pub(crate) struct Resolver<'a> {
    log: &'a Log,
    by_name: HashMap<&'a str, usize>,
    by_number: HashMap<u32, Vec<usize>>,
    other_names: HashSet<String>,
}

impl<'a> Resolver<'a> {
    pub(crate) fn new(log: &'a Log) -> Self {
        let mut by_name = HashMap::new();
        let mut by_number: HashMap<u32, Vec<usize>> = HashMap::new();
        for (i, d) in log.decisions.iter().enumerate() {
            by_name.entry(d.file_name.as_str()).or_insert(i);
            if let Some(n) = d.number {
                by_number.entry(n).or_default().push(i);
            }
        }
        let other_names = log
            .other_files
            .iter()
            .filter_map(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .collect();
        Resolver {
            log,
            by_name,
            by_number,
            other_names,
        }
    }

    pub(crate) fn decision(&self, index: usize) -> &'a Decision {
        &self.log.decisions[index]
    }

    /// The one decision with number `n`, if exactly one has it.
    fn unique_number(&self, n: u32) -> Option<usize> {
        match self.by_number.get(&n).map(Vec::as_slice) {
            Some([one]) => Some(*one),
            _ => None,
        }
    }

    /// Resolves a link the way a reader would: by its file when it names one (relative
    /// paths such as `../adr/0003-x.md` by their base name in the folder; `#anchor`s
    /// ignored), else by its number.
    pub(crate) fn target(&self, link: &Link) -> Target {
        if let Some(file) = link.target_file.as_deref() {
            if has_scheme(file) {
                return Target::External;
            }
            let path = file.split(['#', '?']).next().unwrap_or("");
            let base = crate::catalog::linked_file_name(file);
            if base.is_empty() {
                return Target::External;
            }
            if let Some(&i) = self.by_name.get(base.as_str()) {
                return Target::Found(i);
            }
            if self.other_names.contains(&base) {
                return Target::OtherFile;
            }
            return Target::MissingFile {
                base,
                path: crate::render::percent_decode(path),
            };
        }
        match link.target_number {
            Some(n) => match self.by_number.get(&n).map(Vec::as_slice) {
                Some([one]) => Target::Found(*one),
                Some([_, _, ..]) => Target::Ambiguous,
                _ => Target::MissingNumber(n),
            },
            None => Target::Unspecified,
        }
    }
}

/// `https://…`, `mailto:…`: a URI scheme of two or more characters (so `C:\…` is not one).
fn has_scheme(s: &str) -> bool {
    match s.split_once(':') {
        Some((scheme, _)) => {
            scheme.len() > 1
                && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

fn is_markdown(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".md") || lower.ends_with(".markdown")
}

/// The relation that states the same fact from the other side.
fn inverse(relation: &str) -> Option<&'static str> {
    match relation {
        "supersedes" => Some("superseded-by"),
        "superseded-by" => Some("supersedes"),
        "amends" => Some("amended-by"),
        "amended-by" => Some("amends"),
        _ => None,
    }
}

/// How a relation reads in a sentence: "A {verb} B".
fn verb(relation: &str) -> &str {
    match relation {
        "superseded-by" => "is superseded by",
        "amended-by" => "is amended by",
        "relates-to" => "relates to",
        other => other,
    }
}

fn links(resolver: &Resolver, i: usize, out: &mut Vec<Finding>) {
    let d = resolver.decision(i);
    for link in &d.links {
        match resolver.target(link) {
            Target::External | Target::Unspecified | Target::Ambiguous | Target::OtherFile => {}
            Target::MissingNumber(n) => out.push(finding(
                d,
                Severity::Error,
                "broken-link",
                Some(link.line),
                format!(
                    "the {} link to {:?} points at number {n}, but no decision has that \
                     number; correct the reference or remove the link",
                    link.relation, link.target_text
                ),
            )),
            Target::MissingFile { base, path } => {
                out.extend(missing_file(resolver, d, link, &base, &path));
            }
            Target::Found(j) if j != i => {
                out.extend(missing_backlink(resolver, i, link, j));
            }
            Target::Found(_) => {}
        }
    }
}

/// References in prose to a decision the log does not hold: a warning, not an error, since
/// prose may name a record of another log or one not written yet.
fn mentions(resolver: &Resolver, d: &Decision, out: &mut Vec<Finding>) {
    for m in &d.mentions {
        let missing = match resolver.target(m) {
            Target::MissingNumber(n) => format!("no decision has the number {n}"),
            Target::MissingFile { base, .. } => {
                format!("{base} is not in the decision folder")
            }
            _ => continue,
        };
        out.push(finding(
            d,
            Severity::Warning,
            "broken-mention",
            Some(m.line),
            format!(
                "the text refers to {:?}, but {missing}; correct the reference or write it \
                 without the number",
                m.target_text
            ),
        ));
    }
}

/// A link to a file that is not in the folder, with the record of that number as a likely
/// fix. Links to pictures or other documents are checked on disk, relative to the record;
/// only Markdown targets must be records in this folder.
fn missing_file(
    resolver: &Resolver,
    d: &Decision,
    link: &Link,
    base: &str,
    path: &str,
) -> Option<Finding> {
    if !is_markdown(base) {
        let dir = d.path.parent().unwrap_or(Path::new(""));
        if dir.join(path).exists() {
            return None;
        }
    }
    let suggestion = match link.target_number.and_then(|n| resolver.unique_number(n)) {
        Some(j) => format!("; did you mean {}?", resolver.decision(j).file_name),
        None => "; correct the file name or remove the link".to_string(),
    };
    Some(finding(
        d,
        Severity::Error,
        "broken-link",
        Some(link.line),
        format!(
            "the {} link points at {base}, which is not in the decision folder{suggestion}",
            link.relation
        ),
    ))
}

/// A link from record `i` to record `j` whose relation has a reverse ("supersedes" and
/// "superseded-by") that `j` does not state back.
fn missing_backlink(resolver: &Resolver, i: usize, link: &Link, j: usize) -> Option<Finding> {
    let back = inverse(&link.relation)?;
    let d = resolver.decision(i);
    let other = resolver.decision(j);
    let answered = other
        .links
        .iter()
        .any(|l| l.relation == back && resolver.target(l) == Target::Found(i));
    if answered {
        return None;
    }
    // "ADR 0003" as the folder writes its numbers.
    let width = resolver
        .log
        .name_pattern()
        .and_then(|p| p.width())
        .unwrap_or(4);
    Some(finding(
        d,
        Severity::Warning,
        "missing-successor-backlink",
        Some(link.line),
        format!(
            "{} {} {}, but {} does not say it {} {}; add a `{back}` link to {} \
             in {} so both records tell the same story",
            d.label(width),
            verb(&link.relation),
            other.label(width),
            other.file_name,
            verb(back),
            d.label(width),
            d.file_name,
            other.file_name,
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn log(files: &[(&str, &str)]) -> Log {
        Log {
            other_files: vec![PathBuf::from("README.md")],
            ..Log::of_texts(files)
        }
    }

    fn codes(findings: &[Finding]) -> Vec<(&str, &'static str, Option<usize>)> {
        findings
            .iter()
            .map(|f| (f.path.to_str().unwrap_or("?"), f.code, f.line))
            .collect()
    }

    fn nygard(n: u32, title: &str, status: &str) -> String {
        format!("# {n}. {title}\n\nDate: 2024-01-0{n}\n\n## Status\n\n{status}\n\n## Context\n\nText.\n")
    }

    #[test]
    fn clean_log_has_no_findings() {
        let l = log(&[
            (
                "0001-a.md",
                &nygard(1, "A", "Superseded by [2. B](0002-b.md)"),
            ),
            (
                "0002-b.md",
                &nygard(2, "B", "Accepted\n\nSupersedes [1. A](0001-a.md)"),
            ),
        ]);
        let f = lint(&l);
        assert!(f.is_empty(), "{f:#?}");
    }

    #[test]
    fn references_in_prose_to_missing_decisions_are_warnings_with_their_line() {
        let mut two = nygard(2, "B", "Accepted");
        two.push_str("\nAs ADR 1 said, and ADR 7 will; see [C](0009-c.md) and `ADR 8`.\n");
        let l = log(&[
            ("0001-a.md", &nygard(1, "A", "Accepted")),
            ("0002-b.md", &two),
        ]);
        let f = lint(&l);
        assert_eq!(
            codes(&f),
            [
                ("0002-b.md", "broken-mention", Some(13)),
                ("0002-b.md", "broken-mention", Some(13))
            ]
        );
        assert_eq!(f[0].severity, Severity::Warning);
        assert!(f[0].message.contains("\"ADR 7\""), "{}", f[0]);
        assert!(f[0].message.contains("number 7"), "{}", f[0]);
        assert!(f[1].message.contains("0009-c.md is not in"), "{}", f[1]);
        assert!(f[1]
            .to_string()
            .starts_with("0002-b.md:13: warning[broken-mention]"));
    }

    #[test]
    fn proposals_open_longer_than_the_setting_are_warned_about() {
        let l = log(&[
            ("0001-a.md", &nygard(1, "A", "Proposed")),
            ("0002-b.md", &nygard(2, "B", "Accepted")),
            ("0003-c.md", &nygard(3, "C", "Proposed")),
        ]);
        let opts = |y, m, d, days| Options {
            today: chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap(),
            stale_proposal_days: days,
        };
        // Dated 2024-01-01 and 2024-01-03: on 2024-02-01 only the first is over 30 days.
        let f = lint_with(&l, &opts(2024, 2, 1, Some(30)));
        assert_eq!(codes(&f), [("0001-a.md", "stale-proposal", Some(7))]);
        assert!(f[0].message.contains("proposed 31 days ago"), "{}", f[0]);
        assert_eq!(f[0].severity, Severity::Warning);
        assert_eq!(lint_with(&l, &opts(2024, 2, 1, Some(40))).len(), 0);
        assert_eq!(lint_with(&l, &opts(2030, 1, 1, Some(0))).len(), 0);
        assert_eq!(lint(&l).len(), 0);
    }

    #[test]
    fn duplicate_numbers_name_both_files() {
        let l = log(&[
            ("0003-use-x.md", &nygard(3, "Use X", "Accepted")),
            ("0003-use-y.md", &nygard(3, "Use Y", "Accepted")),
            ("0004-z.md", &nygard(4, "Z", "Accepted")),
        ]);
        let f = lint(&l);
        assert_eq!(
            codes(&f),
            [
                ("0003-use-x.md", "duplicate-number", None),
                ("0003-use-y.md", "duplicate-number", None)
            ]
        );
        for finding in &f {
            assert_eq!(finding.severity, Severity::Error);
            assert!(finding.message.contains("0003-use-x.md"), "{finding}");
            assert!(finding.message.contains("0003-use-y.md"), "{finding}");
            assert!(finding.message.contains("(5)"), "{finding}");
        }
    }

    #[test]
    fn broken_links_by_number_and_by_file() {
        let l = log(&[
            (
                "0001-a.md",
                "---\nstatus: accepted\ndate: 2024-01-01\nrelates-to: [ADR-0009]\n---\n# A\n",
            ),
            (
                "0002-b.md",
                &nygard(
                    2,
                    "B",
                    "Accepted\n\nAmends [1. A](0001-old-name.md)\n\nRelates to [web](https://example.com/x.md)\n\nRelates to [C](../adr/0003-c.md#context)\n\nRelates to [readme](README.md)\n\nRelates to [pic](missing.png)",
                ),
            ),
            ("0003-c.md", &nygard(3, "C", "Accepted\n\nRelates to [A](0001-a.md)")),
        ]);
        let f = lint(&l);
        assert_eq!(
            codes(&f),
            [
                ("0001-a.md", "broken-link", Some(4)),
                ("0002-b.md", "broken-link", Some(9)),
                ("0002-b.md", "broken-link", Some(17)),
            ],
            "{f:#?}"
        );
        assert!(f[0].message.contains("number 9"), "{}", f[0]);
        assert!(f[1].message.contains("did you mean 0001-a.md?"), "{}", f[1]);
        assert!(f[2].message.contains("missing.png"), "{}", f[2]);
    }

    #[test]
    fn parser_diagnostics_are_not_reported_twice() {
        let l = log(&[
            ("0001-a.md", &nygard(1, "A", "Maybe later")),
            ("0002-b.md", "Date: 2024-01-01\n\n## Status\n\nAccepted\n"),
            (
                "0003-c.md",
                "---\nstatus: accepted\ndate: 2024-01-03\ntags: a: b: c\n---\n# C\n",
            ),
        ]);
        let f = lint(&l);
        assert_eq!(
            codes(&f),
            [
                ("0001-a.md", "unknown-status", Some(7)),
                ("0002-b.md", "missing-title", None),
                ("0003-c.md", "parse", Some(4)),
            ],
            "{f:#?}"
        );
        assert_eq!(f[0].severity, Severity::Warning);
        assert_eq!(f[1].severity, Severity::Error);
        assert_eq!(f[2].severity, Severity::Error);
    }

    #[test]
    fn unknown_status_without_a_parser_diagnostic_is_still_reported() {
        let mut l = log(&[("0001-a.md", &nygard(1, "A", "Accepted"))]);
        if let Some(s) = l.decisions[0].status.as_mut() {
            s.kind = StatusKind::Unknown;
        }
        let f = lint(&l);
        assert_eq!(codes(&f), [("0001-a.md", "unknown-status", Some(7))]);
    }

    #[test]
    fn superseded_needs_a_successor() {
        let l = log(&[
            ("0001-a.md", &nygard(1, "A", "Superseded")),
            (
                "0002-b.md",
                "---\nstatus: superseded\ndate: 2024-01-02\n---\n# B\n",
            ),
        ]);
        let f = lint(&l);
        assert_eq!(
            codes(&f),
            [
                ("0001-a.md", "superseded-without-successor", Some(7)),
                ("0002-b.md", "superseded-without-successor", Some(2)),
            ]
        );
        assert!(f[0].message.contains("Superseded by ["), "{}", f[0]);
        assert!(f[1].message.contains("superseded-by:"), "{}", f[1]);
    }

    #[test]
    fn one_sided_supersede_and_amend_links_are_reported_on_both_sides() {
        let l = log(&[
            (
                "0001-a.md",
                &nygard(1, "A", "Superseded by [2. B](0002-b.md)"),
            ),
            ("0002-b.md", &nygard(2, "B", "Accepted")),
            (
                "0003-c.md",
                "---\nstatus: accepted\ndate: 2024-01-03\namends: [ADR-0002]\n---\n# C\n",
            ),
        ]);
        let f = lint(&l);
        assert_eq!(
            codes(&f),
            [
                ("0001-a.md", "missing-successor-backlink", Some(7)),
                ("0003-c.md", "missing-successor-backlink", Some(4)),
            ],
            "{f:#?}"
        );
        assert!(
            f[0].message
                .contains("`supersedes` link to 0001-a.md in 0002-b.md"),
            "{}",
            f[0]
        );
        assert!(
            f[1].message
                .contains("`amended-by` link to 0003-c.md in 0002-b.md"),
            "{}",
            f[1]
        );
        // The other direction: B says it supersedes A, A says nothing.
        let l = log(&[
            ("0001-a.md", &nygard(1, "A", "Accepted")),
            (
                "0002-b.md",
                &nygard(2, "B", "Accepted\n\nSupersedes [1. A](0001-a.md)"),
            ),
        ]);
        assert_eq!(
            codes(&lint(&l)),
            [("0002-b.md", "missing-successor-backlink", Some(9))]
        );
    }

    #[test]
    fn missing_title_date_and_status() {
        let l = log(&[
            ("0001-a.md", "# A\n\n## Status\n\nAccepted\n"),
            ("0002-b.md", "# B\n\nDate: 2024-01-02\n\n## Context\n"),
            ("0003-c.md", "# C\n\n* Status:\n* Date: 2024-01-03\n"),
            ("0004-d.md", "---\ndate: 2024-01-04\nscope: now\n---\n# D\n"),
            ("0005-e.md", "---\ndate: 2024-01-05\n---\n# E\n"),
            ("2024-01-06_006-f.md", "# F\n"),
            ("0007-g.md", "---\ntitle: G\ndate: 2024-01-07\n---\nText\n"),
        ]);
        let f = lint(&l);
        assert_eq!(
            codes(&f),
            [
                ("0001-a.md", "missing-date", None),
                ("0002-b.md", "missing-status", None),
                ("0003-c.md", "missing-status", None),
                ("0004-d.md", "missing-status", None),
            ],
            "{f:#?}"
        );
        assert_eq!(f[0].severity, Severity::Warning);
        assert!(f[0].message.contains("`Date: YYYY-MM-DD`"), "{}", f[0]);
        assert!(f[2].message.contains("`* Status: proposed`"), "{}", f[2]);
        assert!(f[3].message.contains("`status: proposed`"), "{}", f[3]);
    }

    #[test]
    fn huge_files_get_one_finding() {
        let mut l = log(&[]);
        l.decisions.push(crate::decision::parse(
            Path::new("0001-big.md"),
            &vec![b'a'; crate::decision::MAX_DECISION_BYTES + 1],
        ));
        assert_eq!(codes(&lint(&l)), [("0001-big.md", "parse", None)]);
    }

    #[test]
    fn display_reads_like_a_compiler() {
        let f = Finding {
            severity: Severity::Error,
            code: "broken-link",
            path: PathBuf::from("docs/adr/0001-a.md"),
            line: Some(7),
            message: "fix it".into(),
        };
        assert_eq!(
            f.to_string(),
            "docs/adr/0001-a.md:7: error[broken-link]: fix it"
        );
        let f = Finding {
            line: None,
            severity: Severity::Warning,
            ..f
        };
        assert_eq!(
            f.to_string(),
            "docs/adr/0001-a.md: warning[broken-link]: fix it"
        );
    }

    #[test]
    fn findings_are_sorted_by_path_then_line() {
        let l = log(&[
            (
                "0002-b.md",
                &nygard(2, "B", "Superseded\n\nAmends [x](0009-x.md)"),
            ),
            ("0001-a.md", "# A\n"),
        ]);
        let f = lint(&l);
        let keys: Vec<_> = f.iter().map(|x| (x.path.clone(), x.line)).collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted);
        assert_eq!(
            f.first().map(|x| x.path.as_path()),
            Some(Path::new("0001-a.md"))
        );
    }

    #[test]
    fn percent_escapes_and_schemes() {
        use crate::render::percent_decode;
        assert_eq!(percent_decode("0001-a%20b.md"), "0001-a b.md");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("a%2"), "a%2");
        assert_eq!(percent_decode("%+1%-1"), "%+1%-1");
        assert_eq!(percent_decode("%C3%A9%zz"), "é%zz");
        assert!(has_scheme("https://x"));
        assert!(has_scheme("mailto:a@b"));
        assert!(!has_scheme("C:\\adr\\0001-a.md"));
        assert!(!has_scheme("0001-a.md"));
    }

    #[test]
    fn demo_workspace_has_no_errors() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../adr-templates/demo");
        let log = crate::Workspace::open(&root)
            .and_then(|ws| ws.load())
            .expect("demo workspace loads");
        assert!(log.decisions.len() >= 12);
        let findings = lint(&log);
        let errors: Vec<String> = findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .map(|f| f.to_string())
            .collect();
        assert!(errors.is_empty(), "{errors:#?}");
        let all: Vec<String> = findings.iter().map(|f| f.to_string()).collect();
        assert!(all.is_empty(), "the demo should lint clean: {all:#?}");
    }
}

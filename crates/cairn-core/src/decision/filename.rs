//! File-name conventions: reading a decision's number, date and slug from every naming
//! scheme found in real folders, and writing new names in the scheme a folder already uses.

use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;
use serde::Serialize;

/// How a folder names its files. New records follow the folder's existing scheme so that
/// `ls` keeps sorting the log in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum NamePattern {
    /// `0007-use-postgres.md` (adr-tools, MADR, most folders).
    Numbered { width: usize },
    /// `ADR-7-use-postgres.md`.
    AdrPrefix { width: usize },
    /// `2021-06-05_001-record-decisions.md`.
    DatedNumber { width: usize },
    /// `20200925-use-lerna.md` (log4brains): no number at all.
    DatedSlug,
    /// `use-postgres.md`.
    Slug,
}

/// What a file name says about its decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileName {
    pub number: Option<u32>,
    pub slug: String,
    pub date: Option<NaiveDate>,
    pub pattern: NamePattern,
}

#[allow(
    clippy::expect_used,
    reason = "a fixed pattern: it compiles, or no test passes"
)]
static DATED_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\d{4})-(\d{2})-(\d{2})[_-](\d{1,6})[-_](.*)$").expect("static regex")
});
#[allow(
    clippy::expect_used,
    reason = "a fixed pattern: it compiles, or no test passes"
)]
static ADR_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?i:adr)[-_ ]?(\d{1,6})(?:[-_ .:]+(.*))?$").expect("static regex")
});
#[allow(
    clippy::expect_used,
    reason = "a fixed pattern: it compiles, or no test passes"
)]
static DATED_SLUG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{4})(\d{2})(\d{2})[-_](.*)$").expect("static regex"));
#[allow(
    clippy::expect_used,
    reason = "a fixed pattern: it compiles, or no test passes"
)]
static NUMBERED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{1,6})(?:[-_ .]+(.*))?$").expect("static regex"));

impl FileName {
    /// Reads a file name (with or without its `.md` extension).
    pub fn parse(name: &str) -> FileName {
        let stem = name
            .strip_suffix(".md")
            .or_else(|| name.strip_suffix(".markdown"))
            .unwrap_or(name);
        // Every open lists the folder through this (10,000 names for a large log), and the
        // regexes' captures were a fifth of a warm `cairn search`. An ASCII name is read by
        // hand, with the same result; other names (where `\d` also means other scripts'
        // digits) keep the regexes.
        if stem.is_ascii() {
            parse_ascii(stem)
        } else {
            parse_regex(stem)
        }
    }
}

/// [`FileName::parse`] by the patterns as regexes, for any stem.
fn parse_regex(stem: &str) -> FileName {
    {
        if let Some(c) = DATED_NUMBER.captures(stem) {
            let date = ymd(&c[1], &c[2], &c[3]);
            return FileName {
                number: c[4].parse().ok(),
                slug: c[5].to_string(),
                date,
                pattern: NamePattern::DatedNumber { width: c[4].len() },
            };
        }
        if let Some(c) = ADR_PREFIX.captures(stem) {
            return FileName {
                number: c[1].parse().ok(),
                slug: c.get(2).map_or("", |m| m.as_str()).to_string(),
                date: None,
                pattern: NamePattern::AdrPrefix { width: c[1].len() },
            };
        }
        if let Some(c) = DATED_SLUG.captures(stem) {
            if let Some(date) = ymd(&c[1], &c[2], &c[3]) {
                return FileName {
                    number: None,
                    slug: c[4].to_string(),
                    date: Some(date),
                    pattern: NamePattern::DatedSlug,
                };
            }
        }
        if let Some(c) = NUMBERED.captures(stem) {
            return FileName {
                number: c[1].parse().ok(),
                slug: c.get(2).map_or("", |m| m.as_str()).to_string(),
                date: None,
                pattern: NamePattern::Numbered { width: c[1].len() },
            };
        }
        FileName {
            number: None,
            slug: stem.to_string(),
            date: None,
            pattern: NamePattern::Slug,
        }
    }
}

impl NamePattern {
    /// The file name for a new record in this scheme.
    pub fn file_name(self, number: u32, slug: &str, date: NaiveDate) -> String {
        match self {
            NamePattern::Numbered { width } => format!("{number:0width$}-{slug}.md"),
            NamePattern::AdrPrefix { width } => format!("ADR-{number:0width$}-{slug}.md"),
            NamePattern::DatedNumber { width } => {
                format!("{}_{number:0width$}-{slug}.md", date.format("%Y-%m-%d"))
            }
            NamePattern::DatedSlug => format!("{}-{slug}.md", date.format("%Y%m%d")),
            NamePattern::Slug => format!("{slug}.md"),
        }
    }

    pub fn width(self) -> Option<usize> {
        match self {
            NamePattern::Numbered { width }
            | NamePattern::AdrPrefix { width }
            | NamePattern::DatedNumber { width } => Some(width),
            NamePattern::DatedSlug | NamePattern::Slug => None,
        }
    }
}

/// [`FileName::parse`] for an ASCII stem: the four patterns, tried in the same order,
/// without regexes.
fn parse_ascii(stem: &str) -> FileName {
    let b = stem.as_bytes();
    let digits = |from: usize| {
        b[from.min(b.len())..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count()
    };
    // `.*` in the patterns does not cross a line break.
    let rest = |from: usize| {
        let r = stem.get(from..).unwrap_or("");
        (!r.contains('\n')).then(|| r.to_string())
    };
    // ^(\d{4})-(\d{2})-(\d{2})[_-](\d{1,6})[-_](.*)$
    if b.len() > 11
        && digits(0) >= 4
        && b[4] == b'-'
        && digits(5) >= 2
        && b[7] == b'-'
        && digits(8) >= 2
        && matches!(b[10], b'_' | b'-')
    {
        let n = digits(11);
        if (1..=6).contains(&n) && matches!(b.get(11 + n), Some(b'-' | b'_')) {
            if let Some(slug) = rest(12 + n) {
                return FileName {
                    number: stem[11..11 + n].parse().ok(),
                    slug,
                    date: ymd(&stem[0..4], &stem[5..7], &stem[8..10]),
                    pattern: NamePattern::DatedNumber { width: n },
                };
            }
        }
    }
    // ^(?i:adr)[-_ ]?(\d{1,6})(?:[-_ .:]+(.*))?$
    if b.len() >= 3 && b[..3].eq_ignore_ascii_case(b"adr") {
        let start = if matches!(b.get(3), Some(b'-' | b'_' | b' ')) {
            4
        } else {
            3
        };
        if let Some((width, number, slug)) = numbered_tail(stem, start, b"-_ .:") {
            return FileName {
                number,
                slug,
                date: None,
                pattern: NamePattern::AdrPrefix { width },
            };
        }
    }
    // ^(\d{4})(\d{2})(\d{2})[-_](.*)$
    if digits(0) >= 8 && matches!(b.get(8), Some(b'-' | b'_')) {
        if let (Some(date), Some(slug)) = (ymd(&stem[0..4], &stem[4..6], &stem[6..8]), rest(9)) {
            return FileName {
                number: None,
                slug,
                date: Some(date),
                pattern: NamePattern::DatedSlug,
            };
        }
    }
    // ^(\d{1,6})(?:[-_ .]+(.*))?$
    if let Some((width, number, slug)) = numbered_tail(stem, 0, b"-_ .") {
        return FileName {
            number,
            slug,
            date: None,
            pattern: NamePattern::Numbered { width },
        };
    }
    FileName {
        number: None,
        slug: stem.to_string(),
        date: None,
        pattern: NamePattern::Slug,
    }
}

/// `(\d{1,6})(?:[seps]+(.*))?$` from `start`: the number's width, the number and the slug,
/// or `None` when the stem does not match.
fn numbered_tail(stem: &str, start: usize, seps: &[u8]) -> Option<(usize, Option<u32>, String)> {
    let b = stem.as_bytes();
    let n = b
        .get(start..)?
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count();
    if !(1..=6).contains(&n) {
        return None;
    }
    let after = start + n;
    let s = b[after..].iter().take_while(|c| seps.contains(c)).count();
    // Either the digits end the stem, or a run of separators follows them and the rest is
    // one line.
    if after < b.len() && (s == 0 || stem[after + s..].contains('\n')) {
        return None;
    }
    Some((
        n,
        stem[start..after].parse().ok(),
        stem[after + s..].to_string(),
    ))
}

fn ymd(y: &str, m: &str, d: &str) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

/// Turns a title into a file-name slug the way adr-tools does: lower case, every run of
/// characters other than letters and digits becomes one `-`, none at either end.
pub fn slugify(title: &str) -> String {
    let mut out = String::with_capacity(title.len());
    let mut pending_dash = false;
    for c in title.chars() {
        if c.is_alphanumeric() {
            if pending_dash && !out.is_empty() {
                out.push('-');
            }
            pending_dash = false;
            out.extend(c.to_lowercase());
        } else {
            pending_dash = true;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_real_naming_scheme() {
        let f = FileName::parse("0007-use-postgres.md");
        assert_eq!((f.number, f.slug.as_str()), (Some(7), "use-postgres"));
        assert_eq!(f.pattern, NamePattern::Numbered { width: 4 });

        let f = FileName::parse("048-per-business-unit-clusters.md");
        assert_eq!((f.number, f.pattern.width()), (Some(48), Some(3)));

        let f = FileName::parse("ADR-277-introduce-depracated-state.md");
        assert_eq!(
            (f.number, f.slug.as_str()),
            (Some(277), "introduce-depracated-state")
        );

        let f = FileName::parse("2021-06-05_001-record-architectural-decisions.md");
        assert_eq!(f.number, Some(1));
        assert_eq!(f.date, NaiveDate::from_ymd_opt(2021, 6, 5));
        assert_eq!(f.slug, "record-architectural-decisions");

        let f = FileName::parse("2023-10-16_028_offline_adr.md");
        assert_eq!((f.number, f.slug.as_str()), (Some(28), "offline_adr"));

        let f = FileName::parse("20201016-use-the-adr-slug-as-its-unique-id.md");
        assert_eq!(f.number, None);
        assert_eq!(f.date, NaiveDate::from_ymd_opt(2020, 10, 16));
        assert_eq!(f.pattern, NamePattern::DatedSlug);

        let f = FileName::parse("use-postgres.md");
        assert_eq!((f.number, f.pattern), (None, NamePattern::Slug));
    }

    #[test]
    fn writes_names_in_the_folders_scheme() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
        assert_eq!(
            NamePattern::Numbered { width: 4 }.file_name(12, "use-x", d),
            "0012-use-x.md"
        );
        assert_eq!(
            NamePattern::DatedNumber { width: 3 }.file_name(35, "use-x", d),
            "2026-11-21_035-use-x.md"
        );
        assert_eq!(
            NamePattern::DatedSlug.file_name(0, "use-x", d),
            "20261121-use-x.md"
        );
    }

    proptest::proptest! {
        /// The hand-written reader gives what the regexes give, on names made of the
        /// characters the patterns care about (digits, separators, `adr`, line breaks).
        #[test]
        fn the_ascii_reader_agrees_with_the_regexes(stem in "[0-9adrADRx_. :\n-]{0,24}") {
            proptest::prop_assert_eq!(parse_ascii(&stem), parse_regex(&stem));
        }

        #[test]
        fn the_ascii_reader_agrees_on_dated_names(
            stem in "(19|20)[0-9]{2}-?[01][0-9]-?[0-3][0-9][-_]?[0-9]{0,7}[-_ .]{0,2}[a-z\n]{0,3}"
        ) {
            proptest::prop_assert_eq!(parse_ascii(&stem), parse_regex(&stem));
        }
    }

    #[test]
    fn slugs_like_adr_tools() {
        assert_eq!(
            slugify("Use PostgreSQL (v16) for data!"),
            "use-postgresql-v16-for-data"
        );
        assert_eq!(slugify("  --Hello--  "), "hello");
        assert_eq!(slugify("Café über"), "café-über");
    }
}

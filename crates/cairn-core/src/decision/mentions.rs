//! References to other decisions written in prose ("see ADR 0067", "ADR-67", a Markdown link
//! to `0012-….md`): the one rule that the parser, the renderer and lint share, so a
//! reference the view turns into a link is the same one lint checks and backlinks count.

use std::sync::LazyLock;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use regex::Regex;

use super::filename::FileName;
use super::Link;

/// The relation name of a reference in prose, seen from the record that writes it; the other
/// side reads "mentioned by".
pub const MENTIONS: &str = "mentions";

/// "ADR 0067", "ADR-67", "adr #12", "ADR12": the word ADR and a number, as whole words.
#[allow(
    clippy::expect_used,
    reason = "a fixed pattern: it compiles, or no test passes"
)]
pub(crate) static MENTION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\bADR[-\s#]?0*(\d{1,6})\b").expect("static regex"));

/// A cheap test that lets a body with no possible reference skip the Markdown pass.
#[allow(
    clippy::expect_used,
    reason = "a fixed pattern: it compiles, or no test passes"
)]
static MAYBE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)adr|\.md").expect("static regex"));

/// What a Markdown link destination names when it points at a decision of the log: a
/// relative `.md` file whose name carries a number (`0012-x.md`, `./0012-x.md`,
/// `../adr/ADR-12-x.md`), which is then also the link's file, or a published page's route
/// ending in `ADR-N` (`/adr/ADR-51`, as decentraland's records link each other). Web
/// addresses are not references: they may name another log.
pub(crate) fn link_target(dest: &str) -> Option<(u32, Option<String>)> {
    let dest = dest.trim();
    if dest.contains(':') || dest.starts_with('#') {
        return None;
    }
    let path = dest.split(['#', '?']).next().unwrap_or_default();
    let base = path.rsplit(['/', '\\']).next().unwrap_or_default();
    match base
        .strip_suffix(".md")
        .or_else(|| base.strip_suffix(".MD"))
    {
        Some("") => None,
        Some(_) => Some((FileName::parse(base).number?, Some(dest.to_string()))),
        None => {
            let c = MENTION
                .captures(base)
                .filter(|c| c.get(0).map(|m| m.len()) == Some(base.len()))?;
            Some((c.get(1)?.as_str().parse().ok()?, None))
        }
    }
}

/// The references in prose of a decision's body (`body` starts on 1-based line `first_line`).
/// Code spans and blocks, raw HTML, the decision's own number and file, and targets that a
/// structured link (`links`) already names are left out; each target is listed once, at its
/// first reference.
pub(crate) fn find(
    body: &str,
    first_line: usize,
    own: (Option<u32>, &str),
    links: &[Link],
) -> Vec<Link> {
    if !MAYBE.is_match(body) {
        return Vec::new();
    }
    let starts: Vec<usize> = std::iter::once(0)
        .chain(body.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let line_of = |byte: usize| first_line + starts.partition_point(|&s| s <= byte) - 1;
    let mut found = Found {
        own,
        links,
        out: Vec::new(),
    };
    let mut code = 0usize;
    // For each open link: whether it is itself a reference, whose text is then not read again.
    let mut open_links: Vec<bool> = Vec::new();
    let mut images = 0usize;
    for (event, range) in Parser::new_ext(body, crate::markdown::options()).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_)) => code += 1,
            Event::End(TagEnd::CodeBlock) => code = code.saturating_sub(1),
            Event::Start(Tag::Image { .. }) => images += 1,
            Event::End(TagEnd::Image) => images = images.saturating_sub(1),
            Event::Start(Tag::Link { dest_url, .. }) => {
                let target = link_target(&dest_url);
                let is_reference = target.is_some();
                if let Some((n, file)) = target {
                    found.push(n, file, &dest_url, line_of(range.start));
                }
                open_links.push(is_reference);
            }
            Event::End(TagEnd::Link) => {
                open_links.pop();
            }
            Event::Text(text) if code == 0 && images == 0 && !open_links.contains(&true) => {
                for c in MENTION.captures_iter(&text) {
                    if let (Some(all), Some(n)) =
                        (c.get(0), c.get(1).and_then(|m| m.as_str().parse().ok()))
                    {
                        found.push(n, None, all.as_str(), line_of(range.start));
                    }
                }
            }
            _ => {}
        }
    }
    found.out
}

/// The references collected so far, and what [`find`] leaves out.
struct Found<'a> {
    own: (Option<u32>, &'a str),
    links: &'a [Link],
    out: Vec<Link>,
}

impl Found<'_> {
    fn push(&mut self, number: u32, file: Option<String>, text: &str, line: usize) {
        let base = super::written_file_name;
        let file_base = file.as_deref().map(base);
        let names = |l: &Link| {
            l.target_number == Some(number)
                || (file_base.is_some() && l.target_file.as_deref().map(base) == file_base)
        };
        let own = self.own.0 == Some(number) || file_base == Some(self.own.1);
        if own || self.links.iter().any(names) || self.out.iter().any(names) {
            return;
        }
        self.out.push(Link {
            relation: MENTIONS.to_string(),
            label: MENTIONS.to_string(),
            target_number: Some(number),
            target_file: file,
            target_text: text.trim().to_string(),
            line,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn targets(body: &str, own: Option<u32>) -> Vec<(Option<u32>, Option<String>, String, usize)> {
        find(body, 1, (own, "0001-own.md"), &[])
            .into_iter()
            .map(|l| (l.target_number, l.target_file, l.target_text, l.line))
            .collect()
    }

    #[test]
    fn reads_the_spellings_real_logs_use() {
        let body = "# 1. Own\n\nSee ADR 0067 and ADR-67.\nAlso adr 12, ADR#5, ADR7.\n\
                    As in [the old one](0012-old-thing.md) and [ADR 8](./0008-x.md).\n";
        let got = targets(body, Some(1));
        let numbers: Vec<_> = got.iter().map(|t| t.0).collect();
        assert_eq!(
            numbers,
            [Some(67), Some(12), Some(5), Some(7), Some(8)],
            "{got:?}"
        );
        assert_eq!(got[0].2, "ADR 0067");
        assert_eq!(got[0].3, 3);
        assert_eq!(got[2].3, 4);
        assert_eq!(got[4].1.as_deref(), Some("./0008-x.md"));
        assert_eq!(got[4].3, 5);
    }

    #[test]
    fn a_link_to_a_decision_file_is_a_reference_once_with_its_file() {
        let got = targets("See [ADR 12](0012-x.md), then ADR 12 again.\n", None);
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].1.as_deref(), Some("0012-x.md"));
    }

    #[test]
    fn code_own_number_words_and_web_links_are_not_references() {
        let body =
            "# ADR 3: Own\n\nThis is ADR 3. Use `ADR 4` and\n\n```\nADR 5\n```\n\n    ADR 6\n\n\
                    <!-- ADR 9 -->\n\nADRs 10 and 11, READR 12, ADR-tools, BADR 13, \
                    [log](https://x.org/0014-y.md), [readme](README.md), ![ADR 15](0015-p.md)\n";
        assert_eq!(targets(body, Some(3)), []);
    }

    #[test]
    fn structured_links_are_not_counted_twice() {
        let links = vec![Link {
            relation: "supersedes".into(),
            label: "Supersedes".into(),
            target_number: Some(4),
            target_file: Some("0004-a.md".into()),
            target_text: "4. A".into(),
            line: 5,
        }];
        let got = find(
            "Supersedes [4. A](0004-a.md)\n\nWe replace ADR-0004; see ADR 2.\n",
            10,
            (Some(9), "0009-own.md"),
            &links,
        );
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].target_number, Some(2));
        assert_eq!(got[0].line, 12);
        assert_eq!(got[0].relation, MENTIONS);
    }

    #[test]
    fn link_targets_are_relative_decision_files_or_routes() {
        let t = |d: &str| link_target(d).map(|(n, f)| (n, f.is_some()));
        assert_eq!(t("0012-x.md"), Some((12, true)));
        assert_eq!(t("./0012-x.md#status"), Some((12, true)));
        assert_eq!(t("../decisions/ADR-7-y.md"), Some((7, true)));
        assert_eq!(t("/adr/ADR-51"), Some((51, false)));
        assert_eq!(t("/adr/ADR-51-and-more"), None);
        assert_eq!(t("http://x/0012-x.md"), None);
        assert_eq!(t("https://adr.example.org/adr/ADR-110"), None);
        assert_eq!(t("0012-x.txt"), None);
        assert_eq!(t("use-x.md"), None);
        assert_eq!(t(".md"), None);
    }
}

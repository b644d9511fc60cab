//! Markdown block structure for the line-based readers of decisions and scope maps: a file's
//! lines, its headings (ATX and setext) and the lines that belong to code or HTML blocks.
//!
//! The readers work on 0-based line indexes, because the surgical edits rewrite whole lines.
//! Which line is a heading and which is code is not a per-line question, though (a setext
//! heading is two lines, an HTML comment or an indented code block can hide a `## Status`),
//! so [`blocks`] asks pulldown-cmark, the parser that renders the same file, and maps its
//! byte offsets back to lines.

use std::sync::LazyLock;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use regex::Regex;

/// An ATX heading line: its `#`s and its text without the closing sequence.
#[allow(
    clippy::expect_used,
    reason = "a fixed pattern: it compiles, or no test passes"
)]
pub(crate) static HEADING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(#{1,6})[ \t]+(.*?)[ \t#]*$").expect("static regex"));
/// The opening or closing line of a fenced code block.
#[allow(
    clippy::expect_used,
    reason = "a fixed pattern: it compiles, or no test passes"
)]
pub(crate) static FENCE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^ {0,3}(`{3,}|~{3,})").expect("static regex"));

/// Splits text into lines without their line endings. A trailing newline does not make an
/// extra empty line.
pub(crate) fn lines(text: &str) -> Vec<&str> {
    text.split_inclusive('\n')
        .map(|l| l.strip_suffix('\n').unwrap_or(l))
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect()
}

/// The Markdown extensions Cairn reads and renders with, so the structure the readers see
/// is the one the user sees in the preview (a GitHub table is not a setext heading).
pub(crate) fn options() -> Options {
    let mut opts = Options::empty();
    opts.insert(Options::ENABLE_TABLES);
    opts.insert(Options::ENABLE_STRIKETHROUGH);
    opts.insert(Options::ENABLE_TASKLISTS);
    opts.insert(Options::ENABLE_FOOTNOTES);
    opts
}

/// A heading of the document itself (not one inside a list or block quote).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Heading {
    pub level: u8,
    /// The heading's text as written: for an ATX heading without its `#`s and closing
    /// sequence, for a setext heading its lines joined by spaces.
    pub text: String,
    /// 0-based line of the heading (for a setext heading, its first line of text).
    pub line: usize,
}

/// What [`blocks`] found.
#[derive(Debug, Default)]
pub(crate) struct Blocks {
    pub headings: Vec<Heading>,
    /// For every line of the file: it is inside a code block or an HTML block, or it is a
    /// setext heading's underline or continuation, so it states no fact of its own.
    pub opaque: Vec<bool>,
}

/// Reads the block structure of `lines[start..]` (what follows the front matter).
pub(crate) fn blocks(lines: &[&str], start: usize) -> Blocks {
    let start = start.min(lines.len());
    let body = lines[start..].join("\n");
    // Byte offset in `body` of each line from `start` on.
    let mut starts = Vec::with_capacity(lines.len() - start);
    let mut offset = 0;
    for line in &lines[start..] {
        starts.push(offset);
        offset += line.len() + 1;
    }
    let line_of = |byte: usize| start + starts.partition_point(|&s| s <= byte).saturating_sub(1);
    let mut out = Blocks {
        headings: Vec::new(),
        opaque: vec![false; lines.len()],
    };
    // Lists, items, block quotes and footnotes open: headings inside them are not sections.
    let mut containers = 0usize;
    for (event, range) in Parser::new_ext(&body, options()).into_offset_iter() {
        let lines_of = || (line_of(range.start), line_of(range.end.saturating_sub(1)));
        match event {
            Event::Start(
                Tag::List(_) | Tag::Item | Tag::BlockQuote(_) | Tag::FootnoteDefinition(_),
            ) => containers += 1,
            Event::End(
                TagEnd::List(_) | TagEnd::Item | TagEnd::BlockQuote(_) | TagEnd::FootnoteDefinition,
            ) => containers = containers.saturating_sub(1),
            Event::Start(Tag::Heading { level, .. }) if containers == 0 => {
                let (first, last) = lines_of();
                out.headings.push(heading(lines, level as u8, first, last));
                out.opaque[first + 1..=last.max(first)].fill(true);
            }
            Event::Start(Tag::CodeBlock(_) | Tag::HtmlBlock) => {
                let (first, last) = lines_of();
                out.opaque[first..=last].fill(true);
            }
            _ => {}
        }
    }
    out
}

/// The heading that pulldown-cmark found on lines `first..=last`.
fn heading(lines: &[&str], level: u8, first: usize, last: usize) -> Heading {
    let text = if last > first {
        // Setext: the text lines, then the `===` or `---` underline.
        lines[first..last]
            .iter()
            .map(|l| l.trim())
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        HEADING
            .captures(lines[first].trim_start())
            .map(|c| c[2].trim().to_string())
            .unwrap_or_default()
    };
    Heading {
        level,
        text,
        line: first,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Blocks {
        blocks(&lines(text), 0)
    }

    fn headings(text: &str) -> Vec<(u8, String, usize)> {
        read(text)
            .headings
            .into_iter()
            .map(|h| (h.level, h.text, h.line))
            .collect()
    }

    #[test]
    fn atx_and_setext_headings_are_read_with_their_lines() {
        let got = headings("Use X\n=====\n\n## Status #\n\nMulti\nline\n---\n\n   ### Indented\n");
        assert_eq!(
            got,
            [
                (1, "Use X".into(), 0),
                (2, "Status".into(), 3),
                (2, "Multi line".into(), 5),
                (3, "Indented".into(), 9),
            ]
        );
        let b = read("Use X\n=====\n");
        assert_eq!(b.opaque, [false, true]);
    }

    #[test]
    fn code_html_and_nested_blocks_hide_heading_like_lines() {
        let text = "# T\n\n    ## In code\n\n<!--\n## In a comment\n-->\n\n```\n## Fenced\n```\n\n> ## Quoted\n\n- ## Listed\n";
        assert_eq!(headings(text), [(1, "T".into(), 0)]);
        let opaque: Vec<usize> = read(text)
            .opaque
            .iter()
            .enumerate()
            .filter_map(|(i, o)| o.then_some(i))
            .collect();
        assert_eq!(opaque, [2, 4, 5, 6, 8, 9, 10]);
    }

    #[test]
    fn crlf_lines_and_a_start_past_the_front_matter_keep_line_numbers() {
        let text = "---\na: 1\n---\r\n# T\r\n\r\n## S\r\n";
        let b = blocks(&lines(text), 3);
        let got: Vec<_> = b
            .headings
            .iter()
            .map(|h| (h.text.as_str(), h.line))
            .collect();
        assert_eq!(got, [("T", 3), ("S", 5)]);
        assert_eq!(blocks(&lines(text), 99).headings, []);
    }
}

//! Snippets: a short window of a decision's text around the words that matched, as plain
//! text with highlight ranges. Never HTML: the UI escapes and marks up the ranges itself, so
//! nothing from a file can reach the web view as markup.
//!
//! tantivy's own snippet generator only knows exact terms; typo and prefix matches would go
//! unhighlighted, so the window is chosen here with the same rules the query used.

use rustc_hash::FxHashMap;
use serde::Serialize;
use tantivy::tokenizer::TextAnalyzer;

use super::query::Terms;
use super::schema::{raw_analyzer, stem_analyzer, MAX_TOKEN_LEN};

/// The longest snippet, in bytes (cut back to a character boundary).
pub const SNIPPET_BYTES: usize = 160;

/// A piece of text with the byte ranges (`start..end`, into `text`) of the matched words.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Snippet {
    pub text: String,
    pub highlights: Vec<(usize, usize)>,
}

/// Finds the matched words in the texts of one page of results.
///
/// A page is 20 bodies of up to 8 KB, some 15,000 words, and stemming every one of them
/// cost more than the search itself. Words repeat (within a text and across the page), so
/// each distinct word is judged once and remembered; before that, two cheap tests rule out
/// most words without a lookup: a stem keeps the first letter of its word, and the typo and
/// prefix automata reject a word after a byte or two.
pub(crate) struct Highlighter<'q> {
    terms: &'q Terms,
    /// Lower-case ASCII first letters of the query's stems; a word starting with any other
    /// ASCII letter cannot have one of those stems.
    stem_initials: [bool; 128],
    /// Word as written → whether it matches.
    memo: FxHashMap<Box<str>, bool>,
    raw: TextAnalyzer,
    stem: TextAnalyzer,
}

impl<'q> Highlighter<'q> {
    pub(crate) fn new(terms: &'q Terms) -> Highlighter<'q> {
        let mut stem_initials = [false; 128];
        for s in &terms.stems {
            if let Some(&b) = s.as_bytes().first() {
                if b.is_ascii() {
                    stem_initials[usize::from(b.to_ascii_lowercase())] = true;
                } else {
                    // A folded stem of a non-ASCII word: no shortcut for any word.
                    stem_initials = [true; 128];
                }
            }
        }
        Highlighter {
            terms,
            stem_initials,
            memo: FxHashMap::default(),
            raw: raw_analyzer(),
            stem: stem_analyzer(),
        }
    }

    fn is_empty(&self) -> bool {
        self.terms.stems.is_empty() && self.terms.automata.is_empty()
    }

    /// Whether a word of the text matches the query, by the rules the query used: the same
    /// stem, or accepted by a typo or prefix automaton (on the lower-cased, folded word).
    fn matches(&mut self, word: &str) -> bool {
        if word.len() >= MAX_TOKEN_LEN {
            return false; // not indexed, so never matched
        }
        if word.is_ascii() {
            let lower = word.bytes().map(|b| b.to_ascii_lowercase());
            if self.terms.automata.iter().any(|a| a.accepts(lower.clone())) {
                return true;
            }
            let first = usize::from(word.as_bytes()[0].to_ascii_lowercase());
            if !self.stem_initials[first] {
                return false;
            }
        }
        if let Some(&known) = self.memo.get(word) {
            return known;
        }
        let verdict = self.judge(word);
        self.memo.insert(word.into(), verdict);
        verdict
    }

    fn judge(&mut self, word: &str) -> bool {
        let stem = first_token(&mut self.stem, word);
        if stem.as_ref().is_some_and(|s| self.terms.stems.contains(s)) {
            return true;
        }
        if word.is_ascii() {
            return false; // the automata have seen it already
        }
        first_token(&mut self.raw, word)
            .is_some_and(|raw| self.terms.automata.iter().any(|a| a.accepts(raw.bytes())))
    }

    /// The best window of `text`: the one holding the most matched words. With no match at
    /// all, the opening of the text.
    pub(crate) fn snippet(&mut self, text: &str) -> Snippet {
        let mut hits: Vec<(usize, usize)> = Vec::new();
        if !self.is_empty() {
            for (from, to) in words(text) {
                if self.matches(&text[from..to]) {
                    hits.push((from, to));
                }
            }
        }
        window(text, &hits)
    }
}

fn first_token(analyzer: &mut TextAnalyzer, word: &str) -> Option<String> {
    let mut stream = analyzer.token_stream(word);
    stream.advance().then(|| stream.token().text.clone())
}

/// The words of `text` as byte ranges, split exactly as tantivy's `SimpleTokenizer` splits
/// them (runs of alphanumeric characters), so a word here is a token in the index.
fn words(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut i = 0;
    std::iter::from_fn(move || {
        // Skip to the start of a word.
        let start = loop {
            let (alnum, len) = char_at(text, i)?;
            if alnum {
                break i;
            }
            i += len;
        };
        while let Some((true, len)) = char_at(text, i) {
            i += len;
        }
        Some((start, i))
    })
}

/// ASCII letters and digits, by byte.
const ASCII_ALNUM: [bool; 128] = {
    let mut t = [false; 128];
    let mut b = 0;
    while b < 128 {
        t[b] = (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    t
};

/// Whether the character at byte `i` is alphanumeric, and its length (ASCII without
/// decoding); `None` at the end.
#[inline(always)]
fn char_at(text: &str, i: usize) -> Option<(bool, usize)> {
    let b = *text.as_bytes().get(i)?;
    if let Some(&alnum) = ASCII_ALNUM.get(usize::from(b)) {
        return Some((alnum, 1));
    }
    match text.get(i..).and_then(|rest| rest.chars().next()) {
        Some(c) => Some((c.is_alphanumeric(), c.len_utf8())),
        None => Some((false, 1)),
    }
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Cuts the snippet around the densest run of `hits` (byte ranges of matched words).
fn window(text: &str, hits: &[(usize, usize)]) -> Snippet {
    // Slide a window over the matches and keep the one with the most of them.
    let (mut best_start, mut best_count) = (0usize, 0usize);
    let mut j = 0;
    for i in 0..hits.len() {
        while j < hits.len() && hits[j].1 <= hits[i].0 + SNIPPET_BYTES {
            j += 1;
        }
        if j - i > best_count {
            best_count = j - i;
            best_start = i;
        }
    }
    let start = match hits.get(best_start) {
        // Start a few words before the first match, at a word boundary, for context.
        Some(&(from, _)) => {
            let back = floor_boundary(text, from.saturating_sub(30));
            if back == 0 {
                0
            } else {
                text[back..from]
                    .find(' ')
                    .map_or(from, |k| back + k + 1)
                    .min(from)
            }
        }
        None => 0,
    };
    let mut end = floor_boundary(text, start + SNIPPET_BYTES);
    if end < text.len() {
        if let Some(k) = text[start..end].rfind(' ') {
            if k > SNIPPET_BYTES / 2 {
                end = start + k;
            }
        }
    }
    let mut out = String::new();
    let lead = if start > 0 { "…" } else { "" };
    out.push_str(lead);
    out.push_str(text[start..end].trim_end());
    let body_end = lead.len() + text[start..end].trim_end().len();
    if end < text.len() {
        out.push('…');
    }
    let highlights = hits
        .iter()
        .filter(|&&(from, to)| from >= start && to <= end)
        .map(|&(from, to)| (from - start + lead.len(), to - start + lead.len()))
        .filter(|&(_, to)| to <= body_end)
        .collect();
    Snippet {
        text: out,
        highlights,
    }
}

/// Markdown reduced to the text a reader sees, close enough for search and snippets: one
/// line of words without heading marks, emphasis stars, backticks or table bars, and
/// without the title heading that repeats the title.
pub(crate) fn plain_body(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut first = true;
    for line in body.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        if first && trimmed.starts_with("# ") {
            first = false;
            continue;
        }
        first = false;
        let trimmed = trimmed.trim_start_matches('#').trim_start();
        for word in trimmed.split_whitespace() {
            let word = word.trim_matches(|c| matches!(c, '*' | '`' | '|'));
            if word.is_empty() || word.chars().all(|c| matches!(c, '-' | ':' | '=')) {
                continue;
            }
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(word);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::index::query::Automaton;
    use tantivy::tokenizer::{SimpleTokenizer, TokenStream, Tokenizer};

    fn make(text: &str, terms: &Terms) -> Snippet {
        Highlighter::new(terms).snippet(text)
    }

    fn terms(stems: &[&str]) -> Terms {
        Terms {
            stems: stems.iter().map(|s| s.to_string()).collect(),
            ..Terms::default()
        }
    }

    #[test]
    fn highlights_point_at_the_matched_words() {
        let text = "We chose PostgreSQL because the team knows it. Backups run nightly.";
        let s = make(text, &terms(&["postgresql", "backup"]));
        let words: Vec<&str> = s.highlights.iter().map(|&(a, b)| &s.text[a..b]).collect();
        assert_eq!(words, vec!["PostgreSQL", "Backups"]);
    }

    #[test]
    fn a_long_text_is_windowed_around_the_match() {
        let filler = "lorem ipsum dolor sit amet ".repeat(40);
        let text = format!("{filler}the Stripe integration {filler}");
        let s = make(&text, &terms(&["stripe"]));
        assert!(
            s.text.starts_with('…') && s.text.ends_with('…'),
            "{}",
            s.text
        );
        assert!(s.text.len() <= SNIPPET_BYTES + 2 * '…'.len_utf8());
        let (a, b) = s.highlights[0];
        assert_eq!(&s.text[a..b], "Stripe");
    }

    #[test]
    fn typos_and_prefixes_are_highlighted() {
        let t = Terms {
            stems: vec![],
            automata: vec![
                Automaton::new("postgres", 1, false).unwrap(),
                Automaton::new("strip", 0, true).unwrap(),
            ],
        };
        let s = make("Use Postgers and Stripe, not Mongo or Postgresql.", &t);
        let words: Vec<&str> = s.highlights.iter().map(|&(a, b)| &s.text[a..b]).collect();
        assert_eq!(words, vec!["Postgers", "Stripe"]);
    }

    #[test]
    fn non_ascii_words_are_folded_like_the_index_folds_them() {
        let t = Terms {
            stems: vec!["cafe".into()],
            automata: vec![Automaton::new("resume", 1, false).unwrap()],
        };
        let mut h = Highlighter::new(&t);
        // The second text asks the memo what the first one taught it.
        for text in ["Le Café and my résumé", "Café RÉSUMÉ cafés"] {
            let s = h.snippet(text);
            let words: Vec<String> = s
                .highlights
                .iter()
                .map(|&(a, b)| s.text[a..b].to_lowercase())
                .collect();
            assert!(words
                .iter()
                .all(|w| w.starts_with("caf") || w.starts_with("r")));
            assert!(words.len() >= 2, "{words:?} in {text}");
        }
    }

    #[test]
    fn words_split_like_the_index_tokenizer() {
        let text = "ADR-0007: use Postgres™ (v16) für naïve café_data, 東京 ok—ünïcode 42x";
        let mut tok = SimpleTokenizer::default();
        let mut stream = tok.token_stream(text);
        let mut expected = Vec::new();
        while stream.advance() {
            expected.push((stream.token().offset_from, stream.token().offset_to));
        }
        assert_eq!(words(text).collect::<Vec<_>>(), expected);
    }

    #[test]
    fn snippets_are_plain_text_even_for_html_in_the_file() {
        let body = plain_body("# Title\n\n<script>alert(1)</script> **bold** `code`\n");
        assert_eq!(body, "<script>alert(1)</script> bold code");
        // The snippet is the file's text as text; escaping it is the viewer's job, and no
        // highlight markup is ever added to it.
        let s = make(&body, &terms(&["bold"]));
        assert!(!s.text.contains("<b>") && !s.text.contains("<em>"));
    }
}

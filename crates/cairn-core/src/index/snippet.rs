//! Snippets: a short window of a decision's text around the words that matched, as plain
//! text with highlight ranges. Never HTML: the UI escapes and marks up the ranges itself, so
//! nothing from a file can reach the web view as markup.
//!
//! tantivy's own snippet generator only knows exact terms; typo and prefix matches would go
//! unhighlighted, so the window is chosen here with the same rules the query used.

use serde::Serialize;

use super::query::Terms;
use super::schema::stem_analyzer;

/// The longest snippet, in bytes (cut back to a character boundary).
pub const SNIPPET_BYTES: usize = 160;

/// A piece of text with the byte ranges (`start..end`, into `text`) of the matched words.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Snippet {
    pub text: String,
    pub highlights: Vec<(usize, usize)>,
}

/// Whether a word of the text matches the query, by the same rules the query used: same
/// stem, within the typo distance, or starting with the word being typed.
fn matches(terms: &Terms, stem: &str, raw: &str) -> bool {
    terms.stems.iter().any(|s| s == stem)
        || terms.prefix.as_deref().is_some_and(|p| raw.starts_with(p))
        || terms
            .fuzzy
            .iter()
            .any(|(w, d)| within(w, raw, usize::from(*d)))
}

/// Levenshtein distance ≤ `max`, with adjacent transpositions counting one, as tantivy's
/// fuzzy query does.
fn within(a: &str, b: &str, max: usize) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > max {
        return false;
    }
    let mut prev2 = vec![0usize; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut cur = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                cur[j] = cur[j].min(prev2[j - 2] + 1);
            }
        }
        prev2 = std::mem::replace(&mut prev, cur);
    }
    prev[b.len()] <= max
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The best window of `text` for `terms`: the one holding the most matched words. With no
/// match at all, the opening of the text.
pub(crate) fn make(text: &str, terms: &Terms) -> Snippet {
    let mut analyzer = stem_analyzer();
    let mut stream = analyzer.token_stream(text);
    let mut hits: Vec<(usize, usize)> = Vec::new();
    while stream.advance() {
        let t = stream.token();
        let raw = text[t.offset_from..t.offset_to].to_lowercase();
        if matches(terms, &t.text, &raw) {
            hits.push((t.offset_from, t.offset_to));
        }
    }
    drop(stream);

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
            fuzzy: vec![("postgres".into(), 1)],
            prefix: Some("strip".into()),
        };
        let s = make("Use Postgres and Stripe.", &t);
        let words: Vec<&str> = s.highlights.iter().map(|&(a, b)| &s.text[a..b]).collect();
        assert_eq!(words, vec!["Postgres", "Stripe"]);
        assert!(within("postgres", "postgers", 1));
        assert!(!within("postgres", "mongodb", 2));
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

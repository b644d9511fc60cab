//! Cairn's small query language, parsed by hand so that every mistake gets a message a user
//! can act on (tantivy's own query parser reports syntax errors in its own terms, and treats
//! some of them as empty results).
//!
//! Grammar: whitespace-separated words (all required), `"phrases"`, and filters
//! `status:KIND`, `tag:NAME`, `scope:NAME`, `before:DATE`, `after:DATE` where a filter value
//! may itself be quoted (`tag:"event sourcing"`). Dates are `YYYY`, `YYYY-MM` or `YYYY-MM-DD`;
//! `before:` keeps decisions dated strictly before the start of that period and `after:`
//! those strictly after its end, so `after:2023-06` starts at 2023-07-01.

use std::ops::Bound;
use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use tantivy::query::{
    AllQuery, AutomatonWeight, BooleanQuery, BoostQuery, DfaWrapper, EnableScoring, FuzzyTermQuery,
    Occur, PhraseQuery, Query, RangeQuery, TermQuery, Weight,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::Term;

use super::schema::{raw_analyzer, stem_analyzer, Fields};
use crate::decision::StatusKind;
use crate::error::{Error, Result};

/// The filters the language knows, listed in error messages.
const FILTERS: &str = "status:, tag:, scope:, kind:, before:, after:";

/// Title matches count three times a body match: a decision is most often found by its title.
const TITLE_BOOST: f32 = 3.0;

/// Small words that carry no meaning in a question ("why do we use postgres"). They still
/// add to the score, but a decision need not contain them to match.
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "do", "does", "for", "from", "how", "i", "in",
    "is", "it", "of", "on", "or", "our", "should", "so", "that", "the", "this", "to", "we", "what",
    "when", "where", "which", "who", "why", "with",
];

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Filter {
    Status(StatusKind),
    Tag(String),
    Scope(String),
    /// "decision" or "card".
    Kind(String),
    /// Strictly before this day.
    Before(NaiveDate),
    /// On or after this day (the day after the period named).
    From(NaiveDate),
}

/// A query as the user wrote it, before it meets the index.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Parsed {
    pub words: Vec<String>,
    pub phrases: Vec<String>,
    pub filters: Vec<Filter>,
    /// Whether the last word is still being typed (no space after it), so it matches as a
    /// prefix.
    pub prefix_last: bool,
}

fn query_err(msg: impl Into<String>) -> Error {
    Error::Query { msg: msg.into() }
}

pub(crate) fn parse(input: &str) -> Result<Parsed> {
    let mut out = Parsed::default();
    let chars: Vec<(usize, char)> = input.char_indices().collect();
    let mut i = 0;
    let mut last_was_word = false;
    while i < chars.len() {
        let (pos, c) = chars[i];
        if c.is_whitespace() {
            i += 1;
            last_was_word = false;
            continue;
        }
        if c == '"' {
            let (text, next) = quoted(input, &chars, i)?;
            out.phrases.push(text);
            i = next;
            last_was_word = false;
            continue;
        }
        // A bare token runs to the next whitespace or quote.
        let mut j = i;
        while j < chars.len() && !chars[j].1.is_whitespace() && chars[j].1 != '"' {
            j += 1;
        }
        let end = chars.get(j).map_or(input.len(), |&(p, _)| p);
        let token = &input[pos..end];
        if let Some((name, value)) = token.split_once(':') {
            let is_field = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphabetic());
            if is_field && (!value.is_empty() || chars.get(j).is_some_and(|&(_, c)| c == '"')) {
                let (value, next) = if value.is_empty() {
                    quoted(input, &chars, j)?
                } else {
                    (value.to_string(), j)
                };
                out.filters.push(filter(name, &value)?);
                i = next;
                last_was_word = false;
                continue;
            }
        }
        out.words.push(token.to_string());
        i = j;
        last_was_word = true;
    }
    out.prefix_last = last_was_word && !out.words.is_empty();
    Ok(out)
}

/// Reads a quoted string starting at `chars[start]` (a `"`); returns it and the index after
/// the closing quote.
fn quoted(input: &str, chars: &[(usize, char)], start: usize) -> Result<(String, usize)> {
    let open = chars[start].0;
    let close = chars[start + 1..].iter().position(|&(_, c)| c == '"');
    match close {
        Some(k) => {
            let close_idx = start + 1 + k;
            Ok((
                input[open + 1..chars[close_idx].0].to_string(),
                close_idx + 1,
            ))
        }
        None => Err(query_err(format!(
            "the quote at column {} is never closed; add a closing \"",
            input[..open].chars().count() + 1
        ))),
    }
}

fn filter(name: &str, value: &str) -> Result<Filter> {
    let value = value.trim();
    if value.is_empty() {
        return Err(query_err(format!("`{name}:` needs a value")));
    }
    match name.to_ascii_lowercase().as_str() {
        "status" => {
            let lower = value.to_lowercase();
            StatusKind::ALL
                .into_iter()
                .find(|k| k.as_str() == lower)
                .map(Filter::Status)
                .ok_or_else(|| {
                    let known: Vec<&str> = StatusKind::ALL.iter().map(|k| k.as_str()).collect();
                    query_err(format!(
                        "unknown status `{value}`; use one of {}",
                        known.join(", ")
                    ))
                })
        }
        "tag" => Ok(Filter::Tag(value.to_lowercase())),
        "scope" => Ok(Filter::Scope(value.to_lowercase())),
        "kind" => match value.to_lowercase().as_str() {
            k @ ("decision" | "card") => Ok(Filter::Kind(k.to_string())),
            _ => Err(query_err(format!(
                "unknown kind `{value}`; use kind:decision or kind:card"
            ))),
        },
        "before" => Ok(Filter::Before(period(name, value)?.0)),
        "after" => Ok(Filter::From(period(name, value)?.1)),
        _ => Err(query_err(format!(
            "unknown filter `{name}:`; the filters are {FILTERS} (put the words in quotes to \
             search for them as text)"
        ))),
    }
}

/// The first day of the period a date names, and the first day after it.
fn period(name: &str, value: &str) -> Result<(NaiveDate, NaiveDate)> {
    let bad = || {
        query_err(format!(
            "`{name}:{value}` is not a date; write YYYY, YYYY-MM or YYYY-MM-DD"
        ))
    };
    let parts: Vec<&str> = value.split('-').collect();
    let num = |s: &str, len: usize| -> Result<u32> {
        if s.len() == len && s.chars().all(|c| c.is_ascii_digit()) {
            s.parse().map_err(|_| bad())
        } else {
            Err(bad())
        }
    };
    match parts.as_slice() {
        [y] => {
            let y = num(y, 4)? as i32;
            let start = NaiveDate::from_ymd_opt(y, 1, 1).ok_or_else(bad)?;
            let next = NaiveDate::from_ymd_opt(y + 1, 1, 1).ok_or_else(bad)?;
            Ok((start, next))
        }
        [y, m] => {
            let (y, m) = (num(y, 4)? as i32, num(m, 2)?);
            let start = NaiveDate::from_ymd_opt(y, m, 1).ok_or_else(bad)?;
            let next = if m == 12 {
                NaiveDate::from_ymd_opt(y + 1, 1, 1)
            } else {
                NaiveDate::from_ymd_opt(y, m + 1, 1)
            }
            .ok_or_else(bad)?;
            Ok((start, next))
        }
        [y, m, d] => {
            let day = NaiveDate::from_ymd_opt(num(y, 4)? as i32, num(m, 2)?, num(d, 2)?)
                .ok_or_else(bad)?;
            Ok((day, day.succ_opt().ok_or_else(bad)?))
        }
        _ => Err(bad()),
    }
}

/// Days since the common era, the date field's encoding.
pub(crate) fn day_number(d: NaiveDate) -> i64 {
    i64::from(d.num_days_from_ce())
}

pub(crate) fn day_from_number(n: i64) -> Option<NaiveDate> {
    i32::try_from(n)
        .ok()
        .and_then(NaiveDate::from_num_days_from_ce_opt)
}

/// Typo tolerance by word length: none under 5 characters (too many neighbours), one edit
/// from 5, two from 9.
pub(crate) fn typo_distance(word: &str) -> u8 {
    match word.chars().count() {
        0..=4 => 0,
        5..=8 => 1,
        _ => 2,
    }
}

fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

/// A typo or prefix automaton for one query word. Building a Levenshtein DFA is the costly
/// part of a typo query (hundreds of microseconds at distance 2), so it is built once and
/// shared by every field the word is looked up in, and by the highlighter, which then marks
/// exactly the words the query matched.
#[derive(Clone)]
pub(crate) struct Automaton(Arc<DfaWrapper>);

impl std::fmt::Debug for Automaton {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Automaton")
    }
}

impl Automaton {
    /// Words within `distance` edits of `word` (a transposition counts one), or with a
    /// prefix that is, when `prefix` is set. `word` is lower-cased and folded already.
    pub(crate) fn new(word: &str, distance: u8, prefix: bool) -> Result<Automaton> {
        // The field only carries the text here; the automaton is the same for every field.
        let term = Term::from_field_text(Field::from_field_id(0), word);
        let q = if prefix {
            FuzzyTermQuery::new_prefix(term, distance, true)
        } else {
            FuzzyTermQuery::new(term, distance, true)
        };
        let dfa = q
            .automaton()
            .map_err(|e| query_err(format!("cannot search for `{word}`: {e}")))?;
        Ok(Automaton(Arc::new(dfa)))
    }

    /// Whether the automaton accepts these bytes (a lower-cased, folded word).
    pub(crate) fn accepts(&self, bytes: impl IntoIterator<Item = u8>) -> bool {
        use tantivy_fst::Automaton as _;
        let dfa = &*self.0;
        let mut state = dfa.start();
        for b in bytes {
            if !dfa.can_match(&state) {
                return false;
            }
            state = dfa.accept(&state, b);
        }
        dfa.is_match(&state)
    }

    fn query(&self, field: Field) -> Box<dyn Query> {
        Box::new(AutomatonQuery {
            field,
            automaton: self.clone(),
        })
    }
}

/// [`FuzzyTermQuery`] with a ready automaton.
#[derive(Debug, Clone)]
struct AutomatonQuery {
    field: Field,
    automaton: Automaton,
}

impl Query for AutomatonQuery {
    fn weight(&self, _scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(AutomatonWeight::<DfaWrapper>::new(
            self.field,
            Arc::clone(&self.automaton.0),
        )))
    }
}

/// What the snippet highlighter needs to know of a query: which words count as matches.
#[derive(Debug, Default, Clone)]
pub(crate) struct Terms {
    /// Stemmed words and phrase words.
    pub stems: Vec<String>,
    /// The typo and prefix automata of the query's words.
    pub automata: Vec<Automaton>,
}

/// Turns a parsed query into a tantivy query, and the terms to highlight.
pub(crate) fn build(parsed: &Parsed, f: &Fields) -> Result<(Box<dyn Query>, Terms)> {
    let mut stem = stem_analyzer();
    let mut raw = raw_analyzer();
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let mut terms = Terms::default();

    let meaningful = parsed
        .words
        .iter()
        .filter(|w| !STOP_WORDS.contains(&w.to_lowercase().as_str()))
        .count();
    let last = parsed.words.len().saturating_sub(1);
    for (i, word) in parsed.words.iter().enumerate() {
        let stems = tokens(&mut stem, word);
        let raws = tokens(&mut raw, word);
        if stems.is_empty() || raws.is_empty() {
            continue; // punctuation only
        }
        let is_prefix = parsed.prefix_last && i == last;
        let occur = if meaningful > 0 && STOP_WORDS.contains(&word.to_lowercase().as_str()) {
            Occur::Should
        } else {
            Occur::Must
        };
        if stems.len() > 1 {
            // "ADR-19" or "l2-roadmap": the parts, in order.
            clauses.push((occur, phrase(&stems, f)));
            terms.stems.extend(stems);
            continue;
        }
        let query = one_word(&stems[0], &raws[0], is_prefix, f, &mut terms)?;
        terms.stems.push(stems[0].clone());
        clauses.push((occur, query));
    }
    for text in &parsed.phrases {
        let stems = tokens(&mut stem, text);
        match stems.len() {
            0 => {}
            1 => clauses.push((Occur::Must, stem_anywhere(&stems[0], f))),
            _ => clauses.push((Occur::Must, phrase(&stems, f))),
        }
        terms.stems.extend(stems);
    }
    add_filters(&parsed.filters, f, &mut clauses);

    let has_positive = clauses.iter().any(|(o, _)| *o == Occur::Must);
    let has_words = !parsed.words.is_empty() || !parsed.phrases.is_empty();
    let has_kind = parsed.filters.iter().any(|f| matches!(f, Filter::Kind(_)));
    if !has_words && !has_kind {
        // Filters alone, or nothing at all, list decisions (the decision log); cards come
        // with words, or with `kind:card`.
        clauses.push((Occur::Must, term(f.kind, super::KIND_DECISION)));
    } else if !has_positive {
        clauses.push((Occur::Must, Box::new(AllQuery)));
    }
    Ok((Box::new(BooleanQuery::new(clauses)), terms))
}

/// A word of one token: its stem `s` in the title (boosted) or body, its raw form `r` in the
/// metadata, and its typo (or, for the last word being typed, prefix) automata over the raw
/// title and body; the automata are added to `terms` for the highlighter.
fn one_word(
    s: &str,
    r: &str,
    is_prefix: bool,
    f: &Fields,
    terms: &mut Terms,
) -> Result<Box<dyn Query>> {
    let mut alts: Vec<(Occur, Box<dyn Query>)> = vec![
        (Occur::Should, boosted(term(f.title, s), TITLE_BOOST)),
        (Occur::Should, term(f.body, s)),
        (Occur::Should, term(f.meta, r)),
    ];
    let d = typo_distance(r);
    if is_prefix {
        let typed = Automaton::new(r, d, true)?;
        let exact = if d == 0 {
            typed.clone()
        } else {
            Automaton::new(r, 0, true)?
        };
        alts.push((Occur::Should, boosted(typed.query(f.title_raw), 1.5)));
        alts.push((Occur::Should, boosted(typed.query(f.body_raw), 0.5)));
        alts.push((Occur::Should, boosted(exact.query(f.meta), 0.5)));
        terms.automata.push(typed);
    } else if d > 0 {
        let typo = Automaton::new(r, d, false)?;
        alts.push((Occur::Should, boosted(typo.query(f.title_raw), 1.5)));
        alts.push((Occur::Should, boosted(typo.query(f.body_raw), 0.5)));
        terms.automata.push(typo);
    }
    Ok(Box::new(BooleanQuery::new(alts)))
}

/// A quoted phrase of one word: its stem in the title (boosted) or the body.
fn stem_anywhere(stem: &str, f: &Fields) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(vec![
        (Occur::Should, boosted(term(f.title, stem), TITLE_BOOST)),
        (Occur::Should, term(f.body, stem)),
    ]))
}

fn add_filters(filters: &[Filter], f: &Fields, clauses: &mut Vec<(Occur, Box<dyn Query>)>) {
    // A decision has one status and one scope, so several of them mean "any of"; it has many
    // tags, so several tags mean "all of".
    let mut statuses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let mut scopes: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let mut lower = Bound::Unbounded;
    let mut upper = Bound::Unbounded;
    for filter in filters {
        match filter {
            Filter::Status(k) => statuses.push((Occur::Should, term(f.status, k.as_str()))),
            Filter::Scope(s) => scopes.push((Occur::Should, term(f.scope, s))),
            Filter::Tag(t) => clauses.push((Occur::Must, term(f.tags, t))),
            Filter::Kind(k) => clauses.push((Occur::Must, term(f.kind, k))),
            Filter::Before(d) => {
                let n = day_number(*d);
                upper = match upper {
                    Bound::Excluded(m) if m <= n => Bound::Excluded(m),
                    _ => Bound::Excluded(n),
                };
            }
            Filter::From(d) => {
                let n = day_number(*d);
                lower = match lower {
                    Bound::Included(m) if m >= n => Bound::Included(m),
                    _ => Bound::Included(n),
                };
            }
        }
    }
    for group in [statuses, scopes] {
        if !group.is_empty() {
            clauses.push((Occur::Must, Box::new(BooleanQuery::new(group))));
        }
    }
    if !matches!((&lower, &upper), (Bound::Unbounded, Bound::Unbounded)) {
        let to_term = |n: i64| Term::from_field_i64(f.date, n);
        let lo = match lower {
            Bound::Included(n) => Bound::Included(to_term(n)),
            _ => Bound::Unbounded,
        };
        let hi = match upper {
            Bound::Excluded(n) => Bound::Excluded(to_term(n)),
            _ => Bound::Unbounded,
        };
        clauses.push((Occur::Must, Box::new(RangeQuery::new(lo, hi))));
    }
}

fn term(field: Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::WithFreqs,
    ))
}

fn boosted(q: Box<dyn Query>, boost: f32) -> Box<dyn Query> {
    Box::new(BoostQuery::new(q, boost))
}

fn phrase(stems: &[String], f: &Fields) -> Box<dyn Query> {
    let make = |field: Field| -> Box<dyn Query> {
        Box::new(PhraseQuery::new(
            stems
                .iter()
                .map(|s| Term::from_field_text(field, s))
                .collect(),
        ))
    };
    Box::new(BooleanQuery::new(vec![
        (Occur::Should, boosted(make(f.title), TITLE_BOOST)),
        (Occur::Should, make(f.body)),
    ]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_phrases_and_filters() {
        let p =
            parse(r#"postgres "event sourcing" status:accepted tag:"data base" after:2023-06 use"#)
                .unwrap();
        assert_eq!(p.words, vec!["postgres", "use"]);
        assert_eq!(p.phrases, vec!["event sourcing"]);
        assert_eq!(
            p.filters,
            vec![
                Filter::Status(StatusKind::Accepted),
                Filter::Tag("data base".into()),
                Filter::From(NaiveDate::from_ymd_opt(2023, 7, 1).unwrap()),
            ]
        );
        assert!(p.prefix_last);
        assert!(!parse("postgres ").unwrap().prefix_last);
        assert!(!parse("postgres status:accepted").unwrap().prefix_last);
    }

    #[test]
    fn dates_name_periods() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(
            parse("before:2024").unwrap().filters,
            vec![Filter::Before(d(2024, 1, 1))]
        );
        assert_eq!(
            parse("after:2023-12").unwrap().filters,
            vec![Filter::From(d(2024, 1, 1))]
        );
        assert_eq!(
            parse("after:2024-02-29").unwrap().filters,
            vec![Filter::From(d(2024, 3, 1))]
        );
    }

    #[test]
    fn malformed_queries_say_what_is_wrong() {
        let msg = |q: &str| match parse(q) {
            Err(Error::Query { msg }) => msg,
            other => panic!("{q:?} gave {other:?}"),
        };
        assert!(msg(r#"use "postgres"#).contains("column 5"));
        assert!(msg("before:2024-13-01").contains("not a date"));
        assert!(msg("after:yesterday").contains("not a date"));
        assert!(msg("before:2023-02-30").contains("not a date"));
        assert!(msg("colour:red").contains("unknown filter `colour:`"));
        assert!(msg("status:maybe").contains("unknown status"));
        assert!(msg("kind:epic").contains("unknown kind"));
        assert!(msg(r#"tag:"unclosed"#).contains("never closed"));
    }

    #[test]
    fn colons_that_are_not_filters_are_words() {
        // Titles such as "Decision: use X" must be searchable as typed.
        let p = parse("Decision: use X").unwrap();
        assert_eq!(p.words, vec!["Decision:", "use", "X"]);
        assert!(p.filters.is_empty());
        let p = parse("ADR-19: roadmap").unwrap();
        assert_eq!(p.words, vec!["ADR-19:", "roadmap"]);
    }

    #[test]
    fn typo_distance_grows_with_length() {
        assert_eq!(typo_distance("post"), 0);
        assert_eq!(typo_distance("stripe"), 1);
        assert_eq!(typo_distance("postgresql"), 2);
    }
}

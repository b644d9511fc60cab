//! The site's search index, written at build time for the page's script (`site.js`), which
//! answers the same kinds of query as the app: words (stemmed as the app's index stems them),
//! "phrases", `status:` and `tag:` filters and a prefix on the last word, with highlighted
//! snippets.
//!
//! Why not Pagefind or another engine: the site must work from `file://`, where browsers
//! refuse `fetch()` and WebAssembly loads from disk; only `<script>` files load there. So
//! the index is plain script files, split so that a query loads little:
//! - `search/docs.js`: every decision's row, and the vocabulary (each word as written, and
//!   the stem it belongs to), loaded once when the reader first searches; then, while the
//!   reader is idle, the postings files one by one, so later keystrokes find them loaded;
//! - `search/p/<key>.js`: the postings of the stems that start with the same two
//!   characters — decision ids (delta-coded) and a weight (term frequency, plus 16 for a
//!   title word) — loaded per query word;
//! - `search/t/<n>.js`: the plain text of decisions `n * 8` to `n * 8 + 7`, loaded for the
//!   results shown, for their snippets and to confirm phrases (eight a file: a file per
//!   decision made building a large site mostly the creation of small files).

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use rayon::prelude::*;
use serde_json::json;
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer,
    Stemmer, TextAnalyzer,
};

use super::collect::{Entry, Section};
use super::context::label;
use super::output::Site;

/// Version of the files' layout; the script refuses files of another.
const FORMAT: u32 = 1;

/// A decision's text is searchable and shown in snippets up to this many characters.
const MAX_TEXT_CHARS: usize = 50_000;

/// How many decisions' texts share one file (the page reads it from `docs.js`).
const TEXT_CHUNK: usize = 8;

/// Weight added to a posting when the word is in the title.
const TITLE: u32 = 16;

/// The words of `text` as the app's index reads them before stemming: split at anything
/// not a letter or digit, at most 40 characters, lower case, accents folded.
fn words(text: &str, mut each: impl FnMut(&str)) {
    let mut analyzer = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(crate::index::MAX_TOKEN_LEN))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build();
    let mut stream = analyzer.token_stream(text);
    while stream.advance() {
        each(&stream.token().text);
    }
}

/// Per decision, each word with its weight: how often it occurs (at most 15), plus
/// [`TITLE`] when the title has it.
fn weights(e: &Entry) -> Vec<(String, u32)> {
    let mut counts: FxHashMap<String, (u32, bool)> = FxHashMap::default();
    words(&e.decision.display_title(), |w| {
        let v = counts.entry(w.to_string()).or_default();
        v.0 += 1;
        v.1 = true;
    });
    words(&e.plain, |w| match counts.get_mut(w) {
        Some(v) => v.0 += 1,
        None => {
            counts.insert(w.to_string(), (1, false));
        }
    });
    counts
        .into_iter()
        .map(|(w, (n, title))| (w, n.min(TITLE - 1) + if title { TITLE } else { 0 }))
        .collect()
}

/// Two weights of words with the same stem in one decision, as one.
fn merge(a: u32, b: u32) -> u32 {
    ((a & (TITLE - 1)) + (b & (TITLE - 1))).min(TITLE - 1) | ((a | b) & TITLE)
}

/// Every word of the log once, sorted, with its stem (as the app's index stems it).
struct Vocabulary<'a> {
    terms: Vec<&'a str>,
    /// The index in `stems` of each term's stem.
    term_stem: Vec<usize>,
    /// Every stem once, sorted.
    stems: Vec<String>,
}

impl<'a> Vocabulary<'a> {
    /// The vocabulary of `terms` (in any order, each once), and the position of each of
    /// them in the sorted list.
    fn new(terms: Vec<&'a str>) -> (Vocabulary<'a>, Vec<usize>) {
        let mut order: Vec<usize> = (0..terms.len()).collect();
        order.sort_unstable_by(|&a, &b| terms[a].cmp(terms[b]));
        let mut rank = vec![0; terms.len()];
        for (new, &old) in order.iter().enumerate() {
            rank[old] = new;
        }
        let sorted: Vec<&str> = order.iter().map(|&i| terms[i]).collect();
        let stemmed: Vec<String> = sorted
            .par_chunks(4096)
            .flat_map_iter(|chunk| {
                let mut stemmer = TextAnalyzer::builder(RawTokenizer::default())
                    .filter(Stemmer::new(Language::English))
                    .build();
                chunk
                    .iter()
                    .map(|w| {
                        let mut s = stemmer.token_stream(w);
                        if s.advance() {
                            s.token().text.clone()
                        } else {
                            (*w).to_string()
                        }
                    })
                    .collect::<Vec<_>>()
            })
            .collect();
        let mut stems = stemmed.clone();
        stems.sort_unstable();
        stems.dedup();
        let id: FxHashMap<&str, usize> = stems
            .iter()
            .enumerate()
            .map(|(i, s)| (s.as_str(), i))
            .collect();
        let term_stem = stemmed.iter().map(|s| id[s.as_str()]).collect();
        (
            Vocabulary {
                terms: sorted,
                term_stem,
                stems,
            },
            rank,
        )
    }
}

/// The file a stem's postings are in: its first two characters, kept when they are ASCII
/// letters or digits and written as `_` and their hexadecimal code otherwise.
pub(crate) fn shard_key(stem: &str) -> String {
    stem.chars()
        .take(2)
        .map(|c| {
            if c.is_ascii_lowercase() || c.is_ascii_digit() {
                c.to_string()
            } else {
                format!("_{:x}", c as u32)
            }
        })
        .collect()
}

/// Writes the index of every section's decisions.
pub(super) fn write(sections: &[Section], site: &mut Site) {
    let entries: Vec<(&Section, &Entry)> = sections
        .iter()
        .flat_map(|s| s.entries.iter().map(move |e| (s, e)))
        .collect();
    let per_doc: Vec<Vec<(String, u32)>> = entries.par_iter().map(|(_, e)| weights(e)).collect();
    // Each distinct word gets a number in order of appearance; hashing each occurrence once
    // is far cheaper than sorting millions of strings.
    let mut ids: FxHashMap<&str, usize> = FxHashMap::default();
    let mut terms: Vec<&str> = Vec::new();
    let docs: Vec<Vec<(usize, u32)>> = per_doc
        .iter()
        .map(|words| {
            words
                .iter()
                .map(|(w, weight)| {
                    let next = terms.len();
                    let id = *ids.entry(w.as_str()).or_insert_with(|| {
                        terms.push(w.as_str());
                        next
                    });
                    (id, *weight)
                })
                .collect()
        })
        .collect();
    let (vocabulary, rank) = Vocabulary::new(terms);
    let mut postings: Vec<Vec<(u32, u32)>> = vec![Vec::new(); vocabulary.stems.len()];
    for (doc, words) in docs.iter().enumerate() {
        for &(term, w) in words {
            let list = &mut postings[vocabulary.term_stem[rank[term]]];
            match list.last_mut() {
                Some((d, weight)) if *d == doc as u32 => *weight = merge(*weight, w),
                _ => list.push((doc as u32, w)),
            }
        }
    }
    let shards = shard_files(&vocabulary.stems, &postings, site);
    docs_file(&entries, &vocabulary, &shards, site);
    for (chunk, part) in entries.chunks(TEXT_CHUNK).enumerate() {
        let texts: Vec<String> = part
            .iter()
            .map(|(_, e)| e.plain.chars().take(MAX_TEXT_CHARS).collect())
            .collect();
        let body = format!("cairnSearch.texts({chunk},{});\n", json!(texts));
        site.add(&format!("search/t/{chunk}.js"), body.into_bytes());
    }
}

fn docs_file(
    entries: &[(&Section, &Entry)],
    vocabulary: &Vocabulary,
    shards: &[String],
    site: &mut Site,
) {
    let docs: Vec<serde_json::Value> = entries
        .iter()
        .map(|(s, e)| {
            let d = &e.decision;
            json!([
                format!("{}{}", s.prefix, e.page),
                label(s, e),
                d.display_title(),
                d.status_kind().as_str(),
                d.tags.iter().map(|t| t.to_lowercase()).collect::<Vec<_>>(),
                d.date.map(|x| x.to_string()).unwrap_or_default(),
                s.name,
            ])
        })
        .collect();
    let body = json!({
        "format": FORMAT,
        "docs": docs,
        "terms": vocabulary.terms,
        "termStem": vocabulary.term_stem,
        "stems": vocabulary.stems,
        "shards": shards,
        "textChunk": TEXT_CHUNK,
    });
    site.add(
        "search/docs.js",
        format!("cairnSearch.docs({body});\n").into_bytes(),
    );
}

/// Writes the postings files; returns their keys, largest file first (the order the page
/// loads them in while the reader is idle).
fn shard_files(stem_list: &[String], postings: &[Vec<(u32, u32)>], site: &mut Site) -> Vec<String> {
    let mut shards: BTreeMap<String, serde_json::Map<String, serde_json::Value>> = BTreeMap::new();
    for (stem, list) in stem_list.iter().zip(postings) {
        let mut flat = Vec::with_capacity(list.len() * 2);
        let mut last = 0;
        for &(doc, w) in list {
            flat.push(doc - last);
            flat.push(w);
            last = doc;
        }
        shards
            .entry(shard_key(stem))
            .or_default()
            .insert(stem.clone(), json!(flat));
    }
    let mut keys = Vec::with_capacity(shards.len());
    for (key, map) in shards {
        let body = format!(
            "cairnSearch.postings({},{});\n",
            json!(key),
            serde_json::Value::Object(map)
        );
        keys.push((body.len(), key.clone()));
        site.add(&format!("search/p/{key}.js"), body.into_bytes());
    }
    keys.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    keys.into_iter().map(|(_, k)| k).collect()
}

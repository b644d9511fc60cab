//! The site's search index, written at build time for the page's script (`site.js`), which
//! answers the same kinds of query as the app: words (stemmed as the app's index stems them),
//! "phrases", `status:` and `tag:` filters and a prefix on the last word, with highlighted
//! snippets.
//!
//! Why not Pagefind or another engine: the site must work from `file://`, where browsers
//! refuse `fetch()` and WebAssembly loads from disk; only `<script>` files load there. So
//! the index is plain script files, split so that a query loads little:
//! - `search/docs.js`: every decision's row, and the vocabulary (each word as written, and
//!   the stem it belongs to), loaded once when the reader first searches;
//! - `search/p/<key>.js`: the postings of the stems that start with the same two
//!   characters — decision ids (delta-coded) and a weight (term frequency, plus 16 for a
//!   title word) — loaded per query word;
//! - `search/t/<id>.js`: one decision's plain text, loaded for the results shown, for their
//!   snippets and to confirm phrases.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rayon::prelude::*;
use serde_json::json;
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer,
    Stemmer, TextAnalyzer,
};

use super::collect::{Entry, Section};
use super::output::Site;
use super::pages::label;

/// Version of the files' layout; the script refuses files of another.
const FORMAT: u32 = 1;

/// A decision's text is searchable and shown in snippets up to this many characters.
const MAX_TEXT_CHARS: usize = 50_000;

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
fn weights(e: &Entry) -> BTreeMap<String, u32> {
    let mut counts: BTreeMap<String, (u32, bool)> = BTreeMap::new();
    words(&e.decision.display_title(), |w| {
        let v = counts.entry(w.to_string()).or_default();
        v.0 += 1;
        v.1 = true;
    });
    words(&e.plain, |w| counts.entry(w.to_string()).or_default().0 += 1);
    counts
        .into_iter()
        .map(|(w, (n, title))| (w, n.min(TITLE - 1) + if title { TITLE } else { 0 }))
        .collect()
}

/// Two weights of words with the same stem in one decision, as one.
fn merge(a: u32, b: u32) -> u32 {
    ((a & (TITLE - 1)) + (b & (TITLE - 1))).min(TITLE - 1) | ((a | b) & TITLE)
}

/// The stem of each word, as the app's index stems it.
fn stems(vocabulary: &BTreeSet<String>) -> HashMap<&str, String> {
    let list: Vec<&String> = vocabulary.iter().collect();
    list.par_chunks(4096)
        .flat_map_iter(|chunk| {
            let mut stemmer = TextAnalyzer::builder(RawTokenizer::default())
                .filter(Stemmer::new(Language::English))
                .build();
            chunk
                .iter()
                .map(|w| {
                    let mut s = stemmer.token_stream(w);
                    let stem = if s.advance() { s.token().text.clone() } else { (*w).clone() };
                    (w.as_str(), stem)
                })
                .collect::<Vec<_>>()
        })
        .collect()
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
    let per_doc: Vec<BTreeMap<String, u32>> = entries.par_iter().map(|(_, e)| weights(e)).collect();
    let vocabulary: BTreeSet<String> = per_doc.iter().flat_map(|m| m.keys().cloned()).collect();
    let stem_of = stems(&vocabulary);
    let stem_list: BTreeSet<&str> = stem_of.values().map(String::as_str).collect();
    let stem_id: HashMap<&str, usize> = stem_list.iter().enumerate().map(|(i, s)| (*s, i)).collect();
    let mut postings: Vec<Vec<(u32, u32)>> = vec![Vec::new(); stem_list.len()];
    for (doc, weights) in per_doc.iter().enumerate() {
        for (word, w) in weights {
            let list = &mut postings[stem_id[stem_of[word.as_str()].as_str()]];
            match list.last_mut() {
                Some((d, weight)) if *d == doc as u32 => *weight = merge(*weight, *w),
                _ => list.push((doc as u32, *w)),
            }
        }
    }
    docs_file(&entries, &vocabulary, &stem_of, &stem_id, &stem_list, site);
    shard_files(&stem_list, &postings, site);
    for (id, (_, e)) in entries.iter().enumerate() {
        let text: String = e.plain.chars().take(MAX_TEXT_CHARS).collect();
        let body = format!("cairnSearch.text({id},{});\n", json!(text));
        site.add(&format!("search/t/{id}.js"), body.into_bytes());
    }
}

fn docs_file(
    entries: &[(&Section, &Entry)],
    vocabulary: &BTreeSet<String>,
    stem_of: &HashMap<&str, String>,
    stem_id: &HashMap<&str, usize>,
    stem_list: &BTreeSet<&str>,
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
    let terms: Vec<&String> = vocabulary.iter().collect();
    let term_stems: Vec<usize> = terms.iter().map(|w| stem_id[stem_of[w.as_str()].as_str()]).collect();
    let body = json!({
        "format": FORMAT,
        "docs": docs,
        "terms": terms,
        "termStem": term_stems,
        "stems": stem_list,
    });
    site.add("search/docs.js", format!("cairnSearch.docs({body});\n").into_bytes());
}

fn shard_files(stem_list: &BTreeSet<&str>, postings: &[Vec<(u32, u32)>], site: &mut Site) {
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
            .insert((*stem).to_string(), json!(flat));
    }
    for (key, map) in shards {
        let body = format!("cairnSearch.postings({},{});\n", json!(key), serde_json::Value::Object(map));
        site.add(&format!("search/p/{key}.js"), body.into_bytes());
    }
}

//! The index's schema and text analysis: which fields a decision becomes, and how words are
//! cut, folded and stemmed so that the query side and the snippet side agree with the index.

use rustc_hash::FxHashMap;
use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, FAST, STORED,
    STRING,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer,
    Stemmer, TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer,
};
use tantivy::{Index, IndexSettings};

/// Bumped whenever the fields, their options or the analysers change, so that an index
/// written by an older Cairn is rebuilt rather than misread.
pub const SCHEMA_VERSION: u32 = 2;

/// Stemmed English analysis, for ranked word and phrase matching ("decisions" finds
/// "decision").
pub(crate) const STEM: &str = "cairn_stem";
/// Unstemmed analysis, for typo tolerance and prefixes: stems are not prefixes of what the user
/// is typing ("decisi" is not a prefix of the stem "decis"), so those match whole words.
pub(crate) const RAW: &str = "cairn_raw";

/// Words longer than this are not indexed: they are base64 blobs and URLs, not vocabulary.
pub(crate) const MAX_TOKEN_LEN: usize = 40;

pub(crate) fn stem_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_LEN))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(CachedStemmer)
        .build()
}

/// tantivy's English stemmer with a memo of the words it has stemmed. Snowball stemming was
/// the largest single cost of building the index (about a sixth of all CPU time), and a
/// decision log repeats a small vocabulary, so nearly every word is a memo hit. Same stems as
/// [`Stemmer`]: a miss asks it.
#[derive(Clone, Copy)]
struct CachedStemmer;

/// How many distinct words the memo holds before it starts over; a bound on memory for
/// folders full of unusual words.
const STEM_MEMO_WORDS: usize = 100_000;

impl TokenFilter for CachedStemmer {
    type Tokenizer<T: Tokenizer> = CachedStemFilter<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> CachedStemFilter<T> {
        CachedStemFilter {
            inner,
            memo: FxHashMap::default(),
            stemmer: TextAnalyzer::builder(RawTokenizer::default())
                .filter(Stemmer::new(Language::English))
                .build(),
        }
    }
}

struct CachedStemFilter<T> {
    inner: T,
    memo: FxHashMap<String, String>,
    /// The whole input as one token, stemmed.
    stemmer: TextAnalyzer,
}

impl<T: Clone> Clone for CachedStemFilter<T> {
    /// Each clone (tantivy clones an analyser per indexing thread and field) starts with an
    /// empty memo of its own, so threads never share a lock.
    fn clone(&self) -> Self {
        CachedStemFilter {
            inner: self.inner.clone(),
            memo: FxHashMap::default(),
            stemmer: self.stemmer.clone(),
        }
    }
}

impl<T: Tokenizer> Tokenizer for CachedStemFilter<T> {
    type TokenStream<'a> = CachedStemStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        CachedStemStream {
            tail: self.inner.token_stream(text),
            memo: &mut self.memo,
            stemmer: &mut self.stemmer,
        }
    }
}

struct CachedStemStream<'a, S> {
    tail: S,
    memo: &'a mut FxHashMap<String, String>,
    stemmer: &'a mut TextAnalyzer,
}

impl<S: TokenStream> TokenStream for CachedStemStream<'_, S> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if let Some(stem) = self.memo.get(token.text.as_str()) {
            token.text.clear();
            token.text.push_str(stem);
            return true;
        }
        let stem = {
            let mut stream = self.stemmer.token_stream(&token.text);
            if stream.advance() {
                stream.token().text.clone()
            } else {
                token.text.clone()
            }
        };
        if self.memo.len() >= STEM_MEMO_WORDS {
            self.memo.clear();
        }
        let word = std::mem::replace(&mut token.text, stem.clone());
        self.memo.insert(word, stem);
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

pub(crate) fn raw_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_LEN))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// Index settings: small doc-store blocks. A result page loads 20 stored documents from all
/// over the index, and tantivy decompresses a whole block to read one document; with the
/// default 16 KB blocks that was three or four decisions decompressed for each one shown.
pub(crate) fn settings() -> IndexSettings {
    IndexSettings {
        docstore_blocksize: 4096,
        ..IndexSettings::default()
    }
}

/// Registers the analysers on an opened index; tantivy keeps only their names on disk.
pub(crate) fn register(index: &Index) {
    index.tokenizers().register(STEM, stem_analyzer());
    index.tokenizers().register(RAW, raw_analyzer());
}

/// Handles to every field, resolved once.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Fields {
    /// "decision" or "card" (a scope-map card).
    pub kind: Field,
    pub number: Field,
    pub title: Field,
    pub body: Field,
    pub title_raw: Field,
    pub body_raw: Field,
    /// People, tags and scope as searchable words, so "alice" or "security" find a decision
    /// without a filter.
    pub meta: Field,
    /// The status kind word ("accepted"), for `status:` and the per-status counts.
    pub status: Field,
    /// The status as the file wrote it, shown in results.
    pub status_raw: Field,
    pub tags: Field,
    pub scope: Field,
    /// Days since 0001-01-01 (chrono's `num_days_from_ce`), for `before:`/`after:` and sorting.
    pub date: Field,
    pub file_name: Field,
    pub path: Field,
    /// A card's `^id`.
    pub card_id: Field,
    /// The scope map a card belongs to (its `scope-map:` name).
    pub map: Field,
}

pub(crate) fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let ranked = |tokenizer: &str, record: IndexRecordOption| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(record),
        )
    };
    let kind = b.add_text_field("kind", STRING | STORED);
    let number = b.add_u64_field(
        "number",
        NumericOptions::default()
            .set_indexed()
            .set_stored()
            .set_fast(),
    );
    let title = b.add_text_field(
        "title",
        ranked(STEM, IndexRecordOption::WithFreqsAndPositions).set_stored(),
    );
    let body = b.add_text_field(
        "body",
        ranked(STEM, IndexRecordOption::WithFreqsAndPositions).set_stored(),
    );
    // Typo and prefix queries score as constants, so these need documents only: no
    // frequencies, no positions, which keeps the second copy of the text cheap.
    let title_raw = b.add_text_field("title_raw", ranked(RAW, IndexRecordOption::Basic));
    let body_raw = b.add_text_field("body_raw", ranked(RAW, IndexRecordOption::Basic));
    let meta = b.add_text_field("meta", ranked(RAW, IndexRecordOption::WithFreqs));
    let status = b.add_text_field("status", STRING | FAST | STORED);
    let status_raw = b.add_text_field("status_raw", STORED);
    let tags = b.add_text_field("tags", STRING | FAST | STORED);
    let scope = b.add_text_field("scope", STRING | STORED);
    let date = b.add_i64_field(
        "date",
        NumericOptions::default()
            .set_indexed()
            .set_stored()
            .set_fast(),
    );
    let file_name = b.add_text_field("file_name", STRING | STORED);
    let path = b.add_text_field("path", STORED);
    let card_id = b.add_text_field("card_id", STRING | STORED);
    let map = b.add_text_field("map", STRING | STORED);
    let fields = Fields {
        kind,
        number,
        title,
        body,
        title_raw,
        body_raw,
        meta,
        status,
        status_raw,
        tags,
        scope,
        date,
        file_name,
        path,
        card_id,
        map,
    };
    (b.build(), fields)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(mut analyzer: TextAnalyzer, text: &str) -> Vec<(String, usize, usize, usize)> {
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            let t = stream.token();
            out.push((t.text.clone(), t.offset_from, t.offset_to, t.position));
        }
        out
    }

    #[test]
    fn the_cached_stemmer_stems_exactly_like_tantivys() {
        let plain = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(MAX_TOKEN_LEN))
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .filter(Stemmer::new(Language::English))
            .build();
        let text = "Decisions decided; deciding DECISIONS again — the skies, dying, \
                    généralisation, Generalization and relational databases' relations";
        let mut cached = stem_analyzer();
        // Twice through one analyser: the second pass is all memo hits.
        for _ in 0..2 {
            let mut stream = cached.token_stream(text);
            let mut got = Vec::new();
            while stream.advance() {
                let t = stream.token();
                got.push((t.text.clone(), t.offset_from, t.offset_to, t.position));
            }
            assert_eq!(got, tokens(plain.clone(), text));
        }
        assert_eq!(tokens(stem_analyzer(), "decisions")[0].0, "decis");
    }
}

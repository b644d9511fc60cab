//! A collector that counts matches per status and per tag over every matching decision (not
//! only the page shown), without loading documents.
//!
//! Status comes from its fast field (one value per document, a direct lookup). Tags are
//! many per document, and their fast-field lookup goes through an optional index that
//! costs about a hundred nanoseconds per document; for a broad query matching thousands of
//! decisions that was the largest part of a search. So matching documents are only marked
//! in a bit set while collecting, and tags are then counted the cheaper of two ways: per
//! matching document from the fast field when few match, or by walking each tag's posting
//! list against the bit set when many do (a fixed cost of one pass over all tag postings).

use std::collections::BTreeMap;
use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::index::InvertedIndexReader;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

pub(crate) type CountMaps = (BTreeMap<String, usize>, BTreeMap<String, usize>);

/// Below one match in this many documents, tags are counted per matching document.
const SPARSE: usize = 16;

pub(crate) struct Counts {
    /// The indexed tags field, for counting through its posting lists.
    pub tags: Field,
}

pub(crate) struct SegmentCounts {
    status: Option<(StrColumn, Vec<usize>)>,
    tags: Option<StrColumn>,
    tags_index: Arc<InvertedIndexReader>,
    /// One bit per document of the segment: matched.
    matched: Vec<u64>,
    docs: Vec<DocId>,
    max_doc: usize,
}

fn column(reader: &SegmentReader, name: &str) -> tantivy::Result<Option<StrColumn>> {
    reader.fast_fields().str(name)
}

impl Collector for Counts {
    type Fruit = CountMaps;
    type Child = SegmentCounts;

    fn for_segment(
        &self,
        _segment_local_id: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentCounts> {
        let max_doc = reader.max_doc() as usize;
        Ok(SegmentCounts {
            status: column(reader, "status")?.map(|col| {
                let n = col.num_terms();
                (col, vec![0; n])
            }),
            tags: column(reader, "tags")?,
            tags_index: reader.inverted_index(self.tags)?,
            matched: vec![0; max_doc.div_ceil(64)],
            docs: Vec::new(),
            max_doc,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<CountMaps>) -> tantivy::Result<CountMaps> {
        let mut out = CountMaps::default();
        for (status, tags) in fruits {
            for (k, v) in status {
                *out.0.entry(k).or_default() += v;
            }
            for (k, v) in tags {
                *out.1.entry(k).or_default() += v;
            }
        }
        Ok(out)
    }
}

impl SegmentCounts {
    fn is_matched(&self, doc: DocId) -> bool {
        let d = doc as usize;
        self.matched
            .get(d / 64)
            .is_some_and(|w| w & (1u64 << (d % 64)) != 0)
    }

    /// Tag counts from the fast field, one lookup per matching document.
    fn tags_per_doc(&self) -> BTreeMap<String, usize> {
        let Some(col) = &self.tags else {
            return BTreeMap::new();
        };
        let mut counts = vec![0usize; col.num_terms()];
        for &doc in &self.docs {
            for ord in col.term_ords(doc) {
                if let Some(c) = usize::try_from(ord).ok().and_then(|o| counts.get_mut(o)) {
                    *c += 1;
                }
            }
        }
        named(col, &counts)
    }

    /// Tag counts from the posting lists, checked against the bit set of matches (which
    /// holds only live documents, so deleted ones in the postings are not counted).
    fn tags_by_postings(&self) -> std::io::Result<BTreeMap<String, usize>> {
        let mut out = BTreeMap::new();
        let mut stream = self.tags_index.terms().stream()?;
        while stream.advance() {
            let mut postings = self
                .tags_index
                .read_block_postings_from_terminfo(stream.value(), IndexRecordOption::Basic)?;
            let mut n = 0;
            loop {
                let docs = postings.docs();
                if docs.is_empty() {
                    break;
                }
                n += docs.iter().filter(|&&d| self.is_matched(d)).count();
                postings.advance();
            }
            if n > 0 {
                out.insert(String::from_utf8_lossy(stream.key()).into_owned(), n);
            }
        }
        Ok(out)
    }
}

fn named(col: &StrColumn, counts: &[usize]) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    let mut name = String::new();
    for (ord, &n) in counts.iter().enumerate() {
        name.clear();
        if n > 0 && col.ord_to_str(ord as u64, &mut name).unwrap_or(false) {
            out.insert(name.clone(), n);
        }
    }
    out
}

impl SegmentCollector for SegmentCounts {
    type Fruit = CountMaps;

    fn collect(&mut self, doc: DocId, _score: Score) {
        if let Some((col, counts)) = &mut self.status {
            for ord in col.term_ords(doc) {
                if let Some(c) = usize::try_from(ord).ok().and_then(|o| counts.get_mut(o)) {
                    *c += 1;
                }
            }
        }
        let d = doc as usize;
        if let Some(w) = self.matched.get_mut(d / 64) {
            *w |= 1u64 << (d % 64);
        }
        self.docs.push(doc);
    }

    fn harvest(self) -> CountMaps {
        let status = match &self.status {
            Some((col, counts)) => named(col, counts),
            None => BTreeMap::new(),
        };
        let tags = if self.docs.len() * SPARSE < self.max_doc {
            self.tags_per_doc()
        } else {
            // A read error here would already have failed the search's own postings;
            // counting per document is the safe answer either way.
            self.tags_by_postings()
                .unwrap_or_else(|_| self.tags_per_doc())
        };
        (status, tags)
    }
}

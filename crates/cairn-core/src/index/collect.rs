//! A collector that counts matches per status and per tag over every matching decision (not
//! only the page shown), from the fast fields, without loading documents.

use std::collections::BTreeMap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

pub(crate) type CountMaps = (BTreeMap<String, usize>, BTreeMap<String, usize>);

pub(crate) struct Counts;

pub(crate) struct SegmentCounts {
    status: Option<(StrColumn, Vec<usize>)>,
    tags: Option<(StrColumn, Vec<usize>)>,
}

fn column(reader: &SegmentReader, name: &str) -> tantivy::Result<Option<(StrColumn, Vec<usize>)>> {
    Ok(reader.fast_fields().str(name)?.map(|col| {
        let n = col.num_terms();
        (col, vec![0; n])
    }))
}

impl Collector for Counts {
    type Fruit = CountMaps;
    type Child = SegmentCounts;

    fn for_segment(
        &self,
        _segment_local_id: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentCounts> {
        Ok(SegmentCounts {
            status: column(reader, "status")?,
            tags: column(reader, "tags")?,
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

impl SegmentCollector for SegmentCounts {
    type Fruit = CountMaps;

    fn collect(&mut self, doc: DocId, _score: Score) {
        for (col, counts) in [&mut self.status, &mut self.tags].into_iter().flatten() {
            for ord in col.term_ords(doc) {
                if let Some(c) = usize::try_from(ord).ok().and_then(|o| counts.get_mut(o)) {
                    *c += 1;
                }
            }
        }
    }

    fn harvest(self) -> CountMaps {
        let named = |side: Option<(StrColumn, Vec<usize>)>| {
            let mut out = BTreeMap::new();
            if let Some((col, counts)) = side {
                let mut name = String::new();
                for (ord, &n) in counts.iter().enumerate() {
                    name.clear();
                    if n > 0 && col.ord_to_str(ord as u64, &mut name).unwrap_or(false) {
                        out.insert(name.clone(), n);
                    }
                }
            }
            out
        };
        (named(self.status), named(self.tags))
    }
}

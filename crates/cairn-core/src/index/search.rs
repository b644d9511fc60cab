//! Searching the index: options, hits and result pages, and running a parsed query through
//! tantivy with counts by status and tag and a highlighted snippet per hit.

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use tantivy::collector::{Count, TopDocs};
use tantivy::schema::Value;
use tantivy::{DocAddress, Order, TantivyDocument};

use crate::error::Result;

use super::{collect, index_err, query, snippet, SearchIndex, Snippet, KIND_CARD, KIND_DECISION};

/// How to order results.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum SortBy {
    #[default]
    Relevance,
    Newest,
    Oldest,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchOptions {
    pub limit: usize,
    pub offset: usize,
    pub sort: SortBy,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions {
            limit: 20,
            offset: 0,
            sort: SortBy::Relevance,
        }
    }
}

/// One matching decision.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Hit {
    /// "decision", or "card" for a scope-map card.
    pub kind: String,
    pub number: Option<u32>,
    pub title: String,
    pub file_name: String,
    pub path: PathBuf,
    /// The status kind ("accepted"); `status_raw` is the file's own words.
    pub status: String,
    pub status_raw: Option<String>,
    pub date: Option<NaiveDate>,
    /// Relevance (BM25 with the title boosted); 0 when sorted by date.
    pub score: f32,
    pub snippet: Snippet,
    /// A card's `^id` (cards only).
    pub card_id: Option<String>,
    /// The scope map a card belongs to (cards only).
    pub map: Option<String>,
    /// A card's column: inbox, now, later, wont (cards only).
    pub column: Option<String>,
}

/// A page of results, with counts over all matches (not only the page).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SearchResults {
    pub total: usize,
    pub hits: Vec<Hit>,
    pub status_counts: BTreeMap<String, usize>,
    pub tag_counts: BTreeMap<String, usize>,
}

impl SearchIndex {
    /// Runs a query. Malformed queries are an [`Error::Query`](crate::Error::Query) saying what to fix.
    pub fn search(&self, query: &str, opts: &SearchOptions) -> Result<SearchResults> {
        let parsed = query::parse(query)?;
        let (q, terms) = query::build(&parsed, &self.fields)?;
        let searcher = self.reader.searcher();
        let err = |e: tantivy::TantivyError| index_err(&self.dir, e);
        // tantivy refuses a limit of 0; ask for one and drop it, so counts still come back.
        let limit = opts.limit.max(1);
        let top = TopDocs::with_limit(limit).and_offset(opts.offset);
        let (page, total, (status_counts, tag_counts)): (Vec<(f32, DocAddress)>, usize, _) =
            match opts.sort {
                SortBy::Relevance => searcher
                    .search(
                        &q,
                        &(
                            top.order_by_score(),
                            Count,
                            collect::Counts {
                                tags: self.fields.tags,
                            },
                        ),
                    )
                    .map_err(err)?,
                SortBy::Newest | SortBy::Oldest => {
                    let order = if opts.sort == SortBy::Newest {
                        Order::Desc
                    } else {
                        Order::Asc
                    };
                    let (docs, total, counts) = searcher
                        .search(
                            &q,
                            &(
                                top.order_by_fast_field::<i64>("date", order),
                                Count,
                                collect::Counts {
                                    tags: self.fields.tags,
                                },
                            ),
                        )
                        .map_err(err)?;
                    (
                        docs.into_iter().map(|(_, a)| (0.0, a)).collect(),
                        total,
                        counts,
                    )
                }
            };
        let mut hits = Vec::with_capacity(page.len());
        let mut highlighter = snippet::Highlighter::new(&terms);
        for (score, addr) in page.into_iter().take(opts.limit) {
            let doc: TantivyDocument = searcher.doc(addr).map_err(err)?;
            hits.push(self.hit(&doc, score, &mut highlighter));
        }
        Ok(SearchResults {
            total,
            hits,
            status_counts,
            tag_counts,
        })
    }

    fn hit(&self, doc: &TantivyDocument, score: f32, hl: &mut snippet::Highlighter) -> Hit {
        let f = &self.fields;
        let text = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .map(str::to_string)
        };
        let body = doc.get_first(f.body).and_then(|v| v.as_str()).unwrap_or("");
        let kind = text(f.kind).unwrap_or_else(|| KIND_DECISION.into());
        let is_card = kind == KIND_CARD;
        Hit {
            card_id: text(f.card_id),
            map: text(f.map),
            column: if is_card { text(f.scope) } else { None },
            kind,
            number: doc
                .get_first(f.number)
                .and_then(|v| v.as_u64())
                .and_then(|n| u32::try_from(n).ok()),
            title: text(f.title).unwrap_or_default(),
            file_name: text(f.file_name).unwrap_or_default(),
            path: PathBuf::from(text(f.path).unwrap_or_default()),
            // Cards have no status.
            status: text(f.status).unwrap_or_else(|| {
                if is_card {
                    String::new()
                } else {
                    "unknown".into()
                }
            }),
            status_raw: text(f.status_raw),
            date: doc
                .get_first(f.date)
                .and_then(|v| v.as_i64())
                .and_then(query::day_from_number),
            score,
            snippet: hl.snippet(body),
        }
    }
}

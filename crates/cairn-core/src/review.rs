//! Review dates of decisions: which decisions' `review-by` dates have come (what `cairn
//! due` lists beside the deferred cards), so a review date never expires silently.

use std::path::PathBuf;

use chrono::NaiveDate;
use serde::Serialize;

use crate::decision::{Decision, StatusKind};
use crate::workspace::Log;

/// One decision whose review date has come.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Review {
    /// Always `review`, so the entry reads apart from board cards in `cairn due --json`.
    pub kind: &'static str,
    /// The decision's number as shown ("0014"), or its file name when it has none.
    pub id: String,
    pub file_name: String,
    pub title: String,
    pub status: StatusKind,
    pub review_by: NaiveDate,
    pub revisit_when: Option<String>,
    pub due: bool,
    pub path: PathBuf,
}

/// Whether a decision with this status still wants its review: one that was rejected,
/// deprecated or superseded is no longer in force, so its review date is moot.
pub fn in_force(status: StatusKind) -> bool {
    !matches!(
        status,
        StatusKind::Rejected | StatusKind::Deprecated | StatusKind::Superseded
    )
}

/// Whether `d` is due for review on `today`.
pub fn is_due(d: &Decision, today: NaiveDate) -> bool {
    in_force(d.status_kind()) && d.planning.review_by.is_some_and(|by| by <= today)
}

/// The decisions of `log` whose review date is `today` or earlier, in log order.
pub fn due(log: &Log, today: NaiveDate, width: usize) -> Vec<Review> {
    log.decisions
        .iter()
        .filter(|d| is_due(d, today))
        .filter_map(|d| {
            Some(Review {
                kind: "review",
                id: match d.number {
                    Some(n) => format!("{n:0width$}"),
                    None => d.file_name.clone(),
                },
                file_name: d.file_name.clone(),
                title: d.display_title(),
                status: d.status_kind(),
                review_by: d.planning.review_by?,
                revisit_when: d.planning.revisit_when.clone(),
                due: true,
                path: d.path.clone(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn log(files: &[(&str, &str)]) -> Log {
        Log::of_texts(files)
    }

    #[test]
    fn decisions_whose_review_date_has_come_are_due_in_every_dialect() {
        let l = log(&[
            (
                "0001-a.md",
                "---\nstatus: accepted\nreview-by: 2026-06-01\n---\n# A\n",
            ),
            (
                "0002-b.md",
                "# 2. B\n\nDate: 2025-01-01\n\n## Status\n\nAccepted\n\nReview by: 2026-07-01\n\n## Context\n",
            ),
            ("0003-c.md", "# C\n\n* Status: proposed\n* Review by: 2026-06-30\n"),
            ("0004-d.md", "---\nstatus: accepted\nreview-by: 2027-01-01\n---\n# Later\n"),
            ("0005-e.md", "---\nstatus: superseded\nreview-by: 2020-01-01\n---\n# Gone\n"),
            ("0006-f.md", "---\nstatus: accepted\n---\n# No date\n"),
        ]);
        assert_eq!(
            l.decisions[1].status_kind(),
            StatusKind::Accepted,
            "the review line is not the status"
        );
        let today = NaiveDate::from_ymd_opt(2026, 7, 1).unwrap();
        let ids: Vec<String> = due(&l, today, 4).into_iter().map(|r| r.id).collect();
        assert_eq!(ids, ["0001", "0002", "0003"]);
        let before = NaiveDate::from_ymd_opt(2026, 5, 31).unwrap();
        assert!(due(&l, before, 4).is_empty());
    }

    #[test]
    fn an_unreadable_review_date_is_reported_on_its_line() {
        let d = crate::decision::parse(
            Path::new("0001-a.md"),
            b"---\nstatus: accepted\nreview-by: next spring\n---\n# A\n",
        );
        assert_eq!(d.planning.review_by, None);
        assert_eq!(d.diagnostics.len(), 1, "{:?}", d.diagnostics);
        assert_eq!(d.diagnostics[0].line, Some(3));
        assert!(d.diagnostics[0]
            .message
            .contains("review-by \"next spring\""));
    }
}

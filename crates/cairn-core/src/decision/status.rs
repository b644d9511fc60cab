//! Status words: the many ways real folders spell a status, folded into a few kinds.

use serde::Serialize;

/// The normalised lifecycle of a decision. Real folders use many more words ("Final",
/// "✅ Accepted", "Partly superseded"); the raw words are kept beside the kind.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum StatusKind {
    Draft,
    Proposed,
    Accepted,
    Rejected,
    Deprecated,
    Superseded,
    Unknown,
}

impl StatusKind {
    pub const ALL: [StatusKind; 7] = [
        StatusKind::Draft,
        StatusKind::Proposed,
        StatusKind::Accepted,
        StatusKind::Rejected,
        StatusKind::Deprecated,
        StatusKind::Superseded,
        StatusKind::Unknown,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            StatusKind::Draft => "draft",
            StatusKind::Proposed => "proposed",
            StatusKind::Accepted => "accepted",
            StatusKind::Rejected => "rejected",
            StatusKind::Deprecated => "deprecated",
            StatusKind::Superseded => "superseded",
            StatusKind::Unknown => "unknown",
        }
    }

    /// Reads a status from free text by its first recognised word, so that "Accepted
    /// (2021-03-01)", "✅ Accepted" and "Superceded by [3. X](…)" all classify.
    pub fn classify(text: &str) -> StatusKind {
        let lower = text.to_lowercase();
        for word in lower.split(|c: char| !c.is_alphanumeric()) {
            let kind = match word {
                "draft" | "wip" | "incomplete" | "drafting" | "idea" | "stagnant" => {
                    StatusKind::Draft
                }
                // "Review" (EIP-style folders such as Decentraland's) is a proposal put to
                // reviewers, not a draft still being written. "On hold" and its kin are
                // undecided, which is what proposed means to Cairn.
                "proposed" | "proposal" | "pending" | "open" | "discussion" | "discussing"
                | "rfc" | "suggested" | "considering" | "review" | "reviewing" | "hold"
                | "deferred" | "postponed" | "paused" | "parked" => StatusKind::Proposed,
                "accepted" | "approved" | "adopted" | "agreed" | "final" | "decided" | "done"
                | "implemented" | "living" | "active" | "complete" | "completed" | "current"
                | "ratified" => StatusKind::Accepted,
                "rejected" | "declined" | "withdrawn" | "abandoned" | "refused" => {
                    StatusKind::Rejected
                }
                "deprecated" | "obsolete" | "retired" | "archived" | "outdated" => {
                    StatusKind::Deprecated
                }
                "superseded" | "superceded" | "replaced" | "supersceded" => StatusKind::Superseded,
                _ => continue,
            };
            return kind;
        }
        StatusKind::Unknown
    }
}

impl std::fmt::Display for StatusKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for StatusKind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match StatusKind::classify(s) {
            StatusKind::Unknown => Err(format!(
                "unknown status {s:?}; use one of draft, proposed, accepted, rejected, deprecated, superseded"
            )),
            kind => Ok(kind),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::StatusKind::{self, *};

    #[test]
    fn classifies_real_spellings() {
        let cases = [
            ("Accepted", Accepted),
            ("✅ Accepted", Accepted),
            ("Final", Accepted),
            ("🤔 Incomplete", Draft),
            ("Partly superseded", Superseded),
            ("Superceded by [3. Use X](0003-use-x.md)", Superseded),
            ("superseded by ADR-0005", Superseded),
            ("Withdrawn", Rejected),
            ("proposed", Proposed),
            ("Deprecated", Deprecated),
            ("Living", Accepted),
            ("Stagnant", Draft),
            ("Draft", Draft),
            ("something else", Unknown),
        ];
        for (text, want) in cases {
            assert_eq!(StatusKind::classify(text), want, "{text}");
        }
    }

    /// Found on real corpora: Decentraland's "Review" was read as a draft and MADR's own
    /// "on hold" was not read at all.
    #[test]
    fn review_and_on_hold_are_undecided() {
        for text in ["Review", "on hold", "Deferred", "Postponed"] {
            assert_eq!(StatusKind::classify(text), Proposed, "{text}");
        }
    }
}

//! Suggestions for the board: a proposed column for each unsorted card, with the reason in
//! words. All rules are in the one table [`RULES`], tried in order; the first that applies
//! wins. A suggestion never moves anything: the team decides, the tool only argues.

use serde::Serialize;

use super::board::{Board, BoardCard};
use super::map::Column;
use crate::{Error, Result};

/// What a rule looks at.
#[derive(Debug, Clone, Copy)]
pub enum Test {
    /// The card's reversibility is exactly this (`one-way`, `two-way`).
    Reversibility(&'static str),
    /// A two-way door that states the evidence that would bring it back.
    TwoWayWithTrigger,
    /// Any of these words or phrases in the title, activity or notes. A trailing `*` matches
    /// any ending (`optimi*`: optimise, optimization); otherwise whole words only.
    Words(&'static [&'static str]),
}

/// One rule of thumb from scoping workshops.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub name: &'static str,
    pub column: Column,
    pub test: Test,
    pub reason: &'static str,
}

/// The rules, in the order they are tried.
pub const RULES: &[Rule] = &[
    Rule {
        name: "one-way-door",
        column: Column::Now,
        test: Test::Reversibility("one-way"),
        reason: "a one-way door: costly to reverse once built on, so decide it now",
    },
    Rule {
        name: "foundation-data",
        column: Column::Now,
        test: Test::Words(&["data model", "schema*", "database*", "postgres*", "migration*", "persist*"]),
        reason: "a foundation (the data model): everything else is built on it",
    },
    Rule {
        name: "foundation-auth",
        column: Column::Now,
        test: Test::Words(&["auth*", "login", "log in", "sign in", "sign up", "sign-up", "signup", "password*", "permission*"]),
        reason: "a foundation (authentication): hard to retrofit once accounts exist",
    },
    Rule {
        name: "foundation-deploy",
        column: Column::Now,
        test: Test::Words(&["deploy*", "hosting", "host", "infrastructure", "container*", "rollback*", "roll back"]),
        reason: "a foundation (deployment): the MVP has to run somewhere, safely",
    },
    Rule {
        name: "foundation-monitoring",
        column: Column::Now,
        test: Test::Words(&["monitor*", "logging", "alert*", "observab*", "tracing", "backup*", "error tracking"]),
        reason: "a foundation (monitoring): without it, launch problems go unseen",
    },
    Rule {
        name: "foundation-api",
        column: Column::Now,
        test: Test::Words(&["api", "apis", "endpoint*", "webhook*"]),
        reason: "a foundation (API shape): clients depend on it as soon as it ships",
    },
    Rule {
        name: "optimisation",
        column: Column::Later,
        test: Test::Words(&["optimi*", "performance", "faster", "speed up", "cach*", "latency"]),
        reason: "optimisation: wait until real use shows where it is slow",
    },
    Rule {
        name: "polish",
        column: Column::Later,
        test: Test::Words(&["polish*", "animation*", "dark mode", "theme*", "branding", "custom colours", "custom colors", "pixel*"]),
        reason: "polish: worth doing once the core flow is proven",
    },
    Rule {
        name: "automation",
        column: Column::Later,
        test: Test::Words(&["automat*", "recurring", "schedul*", "bulk", "batch*", "auto-*"]),
        reason: "extra automation: do it by hand first and learn what to automate",
    },
    Rule {
        name: "speculative-scale",
        column: Column::Later,
        test: Test::Words(&["scal*", "shard*", "multi-region", "microservice*", "millions", "cluster*", "high availability"]),
        reason: "speculative scale: build for the load you have, not the load you hope for",
    },
    Rule {
        name: "two-way-door-with-trigger",
        column: Column::Later,
        test: Test::TwoWayWithTrigger,
        reason: "a two-way door with a revisit trigger: it can wait until the evidence arrives",
    },
    Rule {
        name: "two-way-door",
        column: Column::Later,
        test: Test::Reversibility("two-way"),
        reason: "a two-way door: cheap to change later; add a revisit-when saying what would bring it back",
    },
];

/// A proposed column for one card, with the rule and the reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Suggestion {
    pub id: String,
    pub title: String,
    pub current: Column,
    pub column: Column,
    pub rule: &'static str,
    pub reason: String,
}

/// Whether `word` (a rule word, maybe ending in `*`) occurs in `text` (lower case) on word
/// boundaries.
fn has_word(text: &str, word: &str) -> bool {
    let (stem, prefix) = match word.strip_suffix('*') {
        Some(s) => (s, true),
        None => (word, false),
    };
    let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
    text.match_indices(stem).any(|(at, _)| {
        boundary(text[..at].chars().next_back())
            && (prefix || boundary(text[at + stem.len()..].chars().next()))
    })
}

fn applies(rule: &Rule, card: &BoardCard) -> bool {
    match rule.test {
        Test::Reversibility(r) => card.reversibility.as_deref() == Some(r),
        Test::TwoWayWithTrigger => {
            card.reversibility.as_deref() == Some("two-way") && card.revisit_when.is_some()
        }
        Test::Words(words) => {
            let text = [
                Some(card.title.as_str()),
                card.activity.as_deref(),
                card.notes.as_deref(),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase();
            words.iter().any(|w| has_word(&text, w))
        }
    }
}

/// The suggestion for one card, or `None` when no rule applies.
pub fn suggest_card(card: &BoardCard) -> Option<Suggestion> {
    let rule = RULES.iter().find(|r| applies(r, card))?;
    let mut reason = rule.reason.to_string();
    if let (Test::TwoWayWithTrigger, Some(w)) = (rule.test, &card.revisit_when) {
        reason.push_str(&format!(" (revisit when: {w})"));
    }
    Some(Suggestion {
        id: card.id.clone(),
        title: card.title.clone(),
        current: card.column,
        column: rule.column,
        rule: rule.name,
        reason,
    })
}

/// Suggestions for every card in the Inbox, or for the one card `id` wherever it is.
pub fn suggest(board: &Board, id: Option<&str>) -> Result<Vec<Suggestion>> {
    match id {
        Some(id) => {
            let card = board.card(id).ok_or_else(|| Error::UnknownCard {
                reference: id.to_string(),
            })?;
            Ok(suggest_card(card).into_iter().collect())
        }
        None => Ok(board
            .cards()
            .filter(|c| c.column == Column::Inbox)
            .filter_map(suggest_card)
            .collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::super::board::CardKind;
    use super::*;

    fn card(title: &str, rev: Option<&str>, when: Option<&str>) -> BoardCard {
        BoardCard {
            id: "c-1".into(),
            kind: CardKind::Card,
            title: title.into(),
            column: Column::Inbox,
            map: None,
            slice: None,
            activity: None,
            decision: None,
            cards: Vec::new(),
            status: None,
            done: false,
            reversibility: rev.map(str::to_string),
            revisit_when: when.map(str::to_string),
            revisit_by: None,
            due: false,
            estimate: None,
            notes: None,
            path: "m.md".into(),
            line: 1,
        }
    }

    #[test]
    fn concrete_examples() {
        type Case<'a> = (
            &'a str,
            Option<&'a str>,
            Option<&'a str>,
            Option<(Column, &'a str)>,
        );
        let cases: &[Case] = &[
            (
                "Split the backend into microservices",
                Some("one-way"),
                None,
                Some((Column::Now, "one-way-door")),
            ),
            (
                "Invoice data model with sequential numbers",
                None,
                None,
                Some((Column::Now, "foundation-data")),
            ),
            (
                "Email and password sign-up",
                None,
                None,
                Some((Column::Now, "foundation-auth")),
            ),
            (
                "Authentication with magic links",
                None,
                None,
                Some((Column::Now, "foundation-auth")),
            ),
            (
                "Public REST API for accountants",
                None,
                None,
                Some((Column::Now, "foundation-api")),
            ),
            (
                "Deploy to a managed container host",
                Some("two-way"),
                None,
                Some((Column::Now, "foundation-deploy")),
            ),
            (
                "Error alerts to the on-call phone",
                None,
                None,
                Some((Column::Now, "foundation-monitoring")),
            ),
            (
                "Optimise dashboard queries",
                None,
                None,
                Some((Column::Later, "optimisation")),
            ),
            ("Dark mode", None, None, Some((Column::Later, "polish"))),
            (
                "Recurring invoices",
                None,
                None,
                Some((Column::Later, "automation")),
            ),
            (
                "Shard invoices by region for scale",
                None,
                None,
                Some((Column::Later, "speculative-scale")),
            ),
            (
                "Multi-currency invoices",
                Some("two-way"),
                Some("15% of invoices abroad"),
                Some((Column::Later, "two-way-door-with-trigger")),
            ),
            (
                "Client portal",
                Some("two-way"),
                None,
                Some((Column::Later, "two-way-door")),
            ),
            ("Record architecture decisions", None, None, None),
            // Whole words: "capital" is not "api", "hosted" is not "host".
            ("Capitalised titles in hosted emails", None, None, None),
        ];
        for (title, rev, when, want) in cases {
            let got = suggest_card(&card(title, *rev, *when)).map(|s| (s.column, s.rule));
            assert_eq!(got, *want, "{title}");
        }
        let s = suggest_card(&card("Multi-currency", Some("two-way"), Some("15% abroad"))).unwrap();
        assert!(
            s.reason.ends_with("(revisit when: 15% abroad)"),
            "{}",
            s.reason
        );
    }

    #[test]
    fn words_respect_boundaries() {
        assert!(has_word("optimise the pdf", "optimi*"));
        assert!(!has_word("reoptimise", "optimi*"));
        assert!(has_word("a public api.", "api"));
        assert!(!has_word("rapid", "api"));
    }
}

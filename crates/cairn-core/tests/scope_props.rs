//! Property tests for scope-map moves: any sequence of moves followed by the inverse moves
//! gives back the original bytes, and a move changes no line outside the moved card and its
//! new place. Maps are generated with prose, tables, other lists and nested card lines.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use cairn_core::scope::{self, move_back, move_card, Column, Target};
use proptest::prelude::*;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

const SLICES: [&str; 4] = ["Inbox", "Now", "Later", "Won't"];

/// Lines that are not cards: prose, a table row, an ordinary list item, a comment.
fn filler() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-z][a-z ,.]{0,30}".prop_map(|s| format!("{s}\n")),
        Just("| a | b |\n|---|---|\n".to_string()),
        Just("- an ordinary list item\n".to_string()),
        Just("<!-- a comment -->\n".to_string()),
        Just("\n".to_string()),
    ]
}

/// A card's nested lines: fields and an indented prose continuation.
fn nested() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(
        prop_oneof![
            Just("  - activity: Pay\n".to_string()),
            Just("  - revisit-by: 2027-03-01\n".to_string()),
            Just("    - deeper: item\n".to_string()),
            Just("  some continued text\n".to_string()),
        ],
        0..3,
    )
}

/// A map whose slices each hold a tight list of cards (ids unique), with prose before the
/// first slice and after each list; slice headings are followed by a blank line or not.
fn scope_map() -> impl Strategy<Value = String> {
    scope_map_with(any::<bool>().boxed())
}

fn scope_map_with(blank_after_heading: BoxedStrategy<bool>) -> impl Strategy<Value = String> {
    (
        prop::collection::vec(filler(), 0..3),
        prop::collection::vec(
            (
                prop::collection::vec(nested(), 0..4),
                prop::collection::vec(filler(), 0..2),
                blank_after_heading,
            ),
            4,
        ),
    )
        .prop_map(|(intro, slices)| {
            let mut text =
                String::from("---\nscope-map: p\nslices: [Inbox, Now, Later, Won't]\n---\n");
            for l in intro {
                text.push_str(&l);
            }
            let mut n = 0;
            for (k, (cards, after, blank_after_heading)) in slices.into_iter().enumerate() {
                text.push_str(&format!("## {}\n", SLICES[k]));
                if blank_after_heading {
                    text.push('\n');
                }
                for lines in cards {
                    n += 1;
                    text.push_str(&format!("- [ ] Card {n} ^c-{n}\n"));
                    for l in lines {
                        text.push_str(&l);
                    }
                }
                if !after.is_empty() {
                    text.push('\n');
                    for l in after {
                        // Prose after the list must not itself continue the last card.
                        text.push_str(l.trim_start_matches(' '));
                    }
                }
            }
            text
        })
}

fn ids(text: &str) -> Vec<String> {
    scope::parse(Path::new("p.md"), text)
        .cards
        .iter()
        .filter_map(|c| c.id.clone())
        .collect()
}

/// The text without the lines `[at, at + len)`.
fn without(text: &str, at: usize, len: usize) -> String {
    text.split_inclusive('\n')
        .enumerate()
        .filter(|(i, _)| *i < at || *i >= at + len)
        .map(|(_, l)| l)
        .collect()
}

/// Picks a move from indices: a card, a column, and maybe a card to go before.
fn pick(text: &str, card: usize, column: usize, before: Option<usize>) -> Option<(String, Target)> {
    let m = scope::parse(Path::new("p.md"), text);
    if m.cards.is_empty() {
        return None;
    }
    let id = m.cards[card % m.cards.len()].id.clone()?;
    let col = Column::ALL[column % 4];
    let before = before.and_then(|b| {
        let others: Vec<_> = m
            .cards
            .iter()
            .filter(|c| c.column == col && c.id.as_deref() != Some(id.as_str()))
            .collect();
        (!others.is_empty())
            .then(|| others[b % others.len()].id.clone())
            .flatten()
    });
    Some((
        id,
        Target {
            slice: col.heading().to_string(),
            before,
        },
    ))
}

#[test]
fn moves_then_their_inverses_give_back_the_bytes() {
    proptest!(config(), |(
        text in scope_map(),
        moves in prop::collection::vec((any::<usize>(), any::<usize>(), prop::option::of(any::<usize>())), 1..8),
    )| {
        let mut current = text.clone();
        let mut done = Vec::new();
        for (card, column, before) in moves {
            let Some((id, target)) = pick(&current, card, column, before) else { continue };
            let (next, moved) = move_card(Path::new("p.md"), &current, &id, &target)
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            // Nothing but the card's lines moved.
            prop_assert_eq!(
                without(&next, moved.to, moved.len),
                without(&current, moved.from, moved.len)
            );
            prop_assert_eq!(ids(&next).len(), ids(&current).len());
            done.push(moved);
            current = next;
        }
        for moved in done.into_iter().rev() {
            current = move_back(&current, moved);
        }
        prop_assert_eq!(current, text);
    });
}

/// The inverse said the way a user would say it: back into its slice, before the card that
/// used to follow it, or at the end of the slice when it was the last. This holds for maps
/// laid out as Cairn writes them (a blank line after each slice heading): in an emptied
/// slice, "## Later, blank, prose" could have held its card before or after that blank line,
/// and only the exact inverse ([`move_back`], tested above) can know which.
#[test]
fn a_move_is_undone_by_moving_the_card_back_by_name() {
    proptest!(config(), |(
        text in scope_map_with(Just(true).boxed()),
        card in any::<usize>(),
        column in any::<usize>(),
        before in prop::option::of(any::<usize>()),
    )| {
        let Some((id, target)) = pick(&text, card, column, before) else { return Ok(()) };
        let m = scope::parse(Path::new("p.md"), &text);
        let c = m.card(&id).unwrap();
        let slice = c.slice.clone().unwrap();
        let next_in_slice = m
            .cards
            .iter()
            .skip_while(|x| x.id.as_deref() != Some(id.as_str()))
            .nth(1)
            .filter(|x| x.slice.as_deref() == Some(slice.as_str()))
            .and_then(|x| x.id.clone());
        let (moved, _) = move_card(Path::new("p.md"), &text, &id, &target).unwrap();
        let back = Target { slice, before: next_in_slice };
        let (restored, _) = move_card(Path::new("p.md"), &moved, &id, &back).unwrap();
        prop_assert_eq!(restored, text);
    });
}

#[test]
fn parsing_never_panics_and_lines_are_in_range() {
    proptest!(config(), |(text in "(\\PC|\n|- \\[ \\] |\\^c-1|## |---\n){0,300}")| {
        let m = scope::parse(Path::new("p.md"), &text);
        let count = text.split('\n').count().max(1);
        for d in &m.diagnostics {
            if let Some(l) = d.line {
                prop_assert!((1..=count).contains(&l), "line {} of {}", l, count);
            }
        }
        for c in &m.cards {
            prop_assert!((1..=count).contains(&c.line));
        }
    });
}

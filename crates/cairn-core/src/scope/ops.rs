//! Board operations: add a card, edit a field, move, link to a decision, remove. Each reads
//! the one file it changes, edits only the lines that carry the change, and goes through the
//! store as one commit; then it is recorded for undo.
//!
//! A decision's place is its `scope` front-matter key. Records without front matter (adr-tools
//! and MADR-bullet files) are refused rather than given one: adr-tools and other tools read
//! such a file's first line as its title, so inventing front matter would break them. The
//! refusal says how to place such a decision instead: a map card that links to it.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::board::{decision_id, is_on_board, load_log, load_maps};
use super::edit::{self, Target};
use super::map::{self, Column, ScopeMap};
use super::undo;
use crate::decision::{
    parse as parse_decision, remove_front_matter_key, set_front_matter_key, Decision, Dialect,
};
use crate::store::{self, Change, Outcome, Stamp, Write};
use crate::workspace::{Log, Workspace};
use crate::{Error, Result};

/// One board operation, as the CLI and the desktop app ask for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "kebab-case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Op {
    /// A new card in `map` (created when there is no such map), in `slice` or the Inbox.
    Add {
        map: String,
        title: String,
        slice: Option<String>,
        fields: Vec<(String, String)>,
    },
    /// Sets a field of a card (or a decision's revisit-when, revisit-by, reversibility);
    /// `None` removes it.
    Set {
        id: String,
        key: String,
        value: Option<String>,
    },
    /// Moves a card to a column, optionally before another card of its map.
    Move {
        id: String,
        column: Column,
        before: Option<String>,
    },
    /// Points a map card at a decision.
    Link { id: String, decision: String },
    /// Removes a map card.
    Remove { id: String },
}

/// What an operation did.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct BoardChange {
    /// The card the operation was about (for an add, the new card's id).
    pub id: String,
    pub path: PathBuf,
    pub message: String,
    pub outcome: Outcome,
    /// Ids given to cards of the map that had none, as it was written for the first time.
    pub new_ids: Vec<String>,
}

/// What an id names.
enum Found<'a> {
    Card { map: usize, id: String },
    Decision(&'a Decision),
}

pub(super) struct Ctx {
    ws: Workspace,
    maps: Vec<(ScopeMap, String)>,
    log: Log,
    width: usize,
}

impl Ctx {
    pub(super) fn load(ws: &Workspace) -> Result<Ctx> {
        let maps = load_maps(ws)?;
        let log = load_log(ws)?;
        let width = crate::changes::number_width(ws, &log);
        Ok(Ctx {
            ws: ws.clone(),
            maps,
            log,
            width,
        })
    }

    /// A card id (`c-014`, or `map:line` for a card that has no id yet) or a decision.
    fn find(&self, reference: &str) -> Result<Found<'_>> {
        let r = reference.trim().trim_start_matches('^');
        for (i, (m, _)) in self.maps.iter().enumerate() {
            if m.card(r).is_some() {
                return Ok(Found::Card {
                    map: i,
                    id: r.to_string(),
                });
            }
        }
        if let Some((name, line)) = r.rsplit_once(':') {
            if let (Some(i), Ok(line)) = (
                self.maps.iter().position(|(m, _)| m.name == name),
                line.parse::<usize>(),
            ) {
                if self.maps[i]
                    .0
                    .cards
                    .iter()
                    .any(|c| c.line == line && c.id.is_none())
                {
                    return Ok(Found::Card {
                        map: i,
                        id: r.to_string(),
                    });
                }
            }
        }
        if !r.starts_with("c-") && r.chars().any(|c| c.is_ascii_digit()) {
            if let Ok(d) = self.log.resolve(r) {
                if !is_on_board(d) {
                    return Err(Error::Board {
                        msg: format!(
                            "{} is {}; it is not on the board",
                            d.label(self.width),
                            d.status_kind()
                        ),
                    });
                }
                return Ok(Found::Decision(d));
            }
        }
        Err(Error::UnknownCard {
            reference: reference.to_string(),
        })
    }

    pub(super) fn next_card_number(&self) -> u32 {
        self.maps
            .iter()
            .map(|(m, _)| edit::max_card_number(m))
            .max()
            .unwrap_or(0)
            + 1
    }

    fn find_map(&self, name: &str) -> Option<usize> {
        self.maps.iter().position(|(m, _)| {
            m.name == name
                || m.path
                    .file_stem()
                    .is_some_and(|s| s.to_string_lossy() == name)
        })
    }
}

/// Checks a field value the board reasons with, so a typo is refused before it is written.
pub(super) fn check_field(ctx: &Ctx, key: &str, value: &str) -> Result<String> {
    let v = value.trim();
    match key.to_ascii_lowercase().as_str() {
        "revisit-by" if map::parse_date(v).is_none() => Err(Error::Board {
            msg: format!("revisit-by {v:?} is not a date (use YYYY-MM-DD)"),
        }),
        "reversibility" if !matches!(v, "one-way" | "two-way") => Err(Error::Board {
            msg: format!("reversibility {v:?}: use one-way or two-way"),
        }),
        "decision" => {
            let d = ctx.log.resolve(v)?;
            let n = d.number.ok_or_else(|| Error::Board {
                msg: format!("{} has no number to link to", d.file_name),
            })?;
            Ok(decision_id(n, ctx.width))
        }
        "scope" => Err(Error::Board {
            msg: "a card's place is its slice; use `cairn move`".into(),
        }),
        _ => Ok(v.to_string()),
    }
}

/// Applies one operation. `expected` is the stamp of the file as the caller last saw it (the
/// desktop app passes the one it loaded the board with); the change is refused when the file
/// has changed since. Without it, the file as read now is the base.
pub fn apply(ws: &Workspace, op: &Op, expected: Option<&Stamp>) -> Result<BoardChange> {
    let ctx = Ctx::load(ws)?;
    match op {
        Op::Add {
            map,
            title,
            slice,
            fields,
        } => add(&ctx, map, title, slice.as_deref(), fields, expected),
        Op::Set { id, key, value } => set(&ctx, id, key, value.as_deref(), expected),
        Op::Move { id, column, before } => move_op(&ctx, id, *column, before.as_deref(), expected),
        Op::Link { id, decision } => link(&ctx, id, decision, expected),
        Op::Remove { id } => remove(&ctx, id, expected),
    }
}

/// Sets (or, with no value, removes) a field of a card or a planning key of a decision.
fn set(
    ctx: &Ctx,
    id: &str,
    key: &str,
    value: Option<&str>,
    expected: Option<&Stamp>,
) -> Result<BoardChange> {
    match ctx.find(id)? {
        Found::Card { map, id } => {
            let value = value.map(|v| check_field(ctx, key, v)).transpose()?;
            let what = match &value {
                Some(v) => format!("{key} = {v}"),
                None => format!("remove {key}"),
            };
            write_map(
                ctx,
                map,
                &id,
                expected,
                "set",
                |path, text, id| edit::set_field(path, text, id, key, value.as_deref()),
                |_| what,
            )
        }
        Found::Decision(d) => set_decision_field(ctx, d, key, value, expected),
    }
}

/// Moves a card to a column (before another card, when given), or a decision by its `scope`.
fn move_op(
    ctx: &Ctx,
    id: &str,
    column: Column,
    before: Option<&str>,
    expected: Option<&Stamp>,
) -> Result<BoardChange> {
    match ctx.find(id)? {
        Found::Card { map, id } => {
            let target = Target {
                slice: column.heading().to_string(),
                before: before.map(|b| b.trim_start_matches('^').to_string()),
            };
            let what = match before {
                Some(b) => format!("to {column} (before {b})"),
                None => format!("to {column}"),
            };
            write_map(
                ctx,
                map,
                &id,
                expected,
                "move",
                |path, text, id| edit::move_card(path, text, id, &target).map(|(t, _)| t),
                |_| what,
            )
        }
        Found::Decision(d) => {
            if before.is_some() {
                return Err(Error::Board {
                    msg: "decisions are ordered by number; --before only orders cards \
                          within a scope map"
                        .into(),
                });
            }
            move_decision(ctx, d, column, expected)
        }
    }
}

/// Links a card to a decision; decisions link to each other with `cairn link` instead.
fn link(ctx: &Ctx, id: &str, decision: &str, expected: Option<&Stamp>) -> Result<BoardChange> {
    match ctx.find(id)? {
        Found::Card { map, id } => {
            let label = check_field(ctx, "decision", decision)?;
            write_map(
                ctx,
                map,
                &id,
                expected,
                "link",
                |path, text, id| edit::set_field(path, text, id, "decision", Some(&label)),
                |_| format!("to ADR {label}"),
            )
        }
        Found::Decision(d) => Err(Error::Board {
            msg: format!(
                "{} is a decision; link decisions to each other with `cairn link`",
                d.label(ctx.width)
            ),
        }),
    }
}

/// Removes a card; a decision is never removed from the board this way.
fn remove(ctx: &Ctx, id: &str, expected: Option<&Stamp>) -> Result<BoardChange> {
    match ctx.find(id)? {
        Found::Card { map, id } => {
            write_map(ctx, map, &id, expected, "remove", edit::remove_card, |_| {
                String::new()
            })
        }
        Found::Decision(d) => Err(Error::Board {
            msg: format!(
                "{} is a decision, not a card; move it to wont or change its status instead",
                d.label(ctx.width)
            ),
        }),
    }
}

/// Reads map `idx`, gives ids to its cards that have none, applies `edit` to the card `id`,
/// and writes the result as one commit; records it for undo.
fn write_map(
    ctx: &Ctx,
    idx: usize,
    id: &str,
    expected: Option<&Stamp>,
    verb: &str,
    edit: impl FnOnce(&std::path::Path, &str, &str) -> Result<String>,
    what: impl FnOnce(&str) -> String,
) -> Result<BoardChange> {
    let (m, _) = &ctx.maps[idx];
    let path = m.path.clone();
    let (original, stamp) = store::read_text(&path)?;
    if let Some(e) = expected {
        if *e != stamp {
            return Err(Error::Conflict { path });
        }
    }
    let mut next = ctx.next_card_number();
    let (with_ids, new_ids) = edit::assign_ids(&original, &mut next);
    // A `map:line` reference names a card that has just been given its id.
    let id = match id.rsplit_once(':') {
        Some((_, line)) => {
            let line: usize = line.parse().unwrap_or(0);
            map::parse(&path, &with_ids)
                .cards
                .iter()
                .find(|c| c.line == line)
                .and_then(|c| c.id.clone())
                .ok_or_else(|| Error::UnknownCard {
                    reference: id.to_string(),
                })?
        }
        None => id.to_string(),
    };
    let title = map::parse(&path, &with_ids)
        .card(&id)
        .map(|c| c.title.clone())
        .unwrap_or_default();
    let text = edit(&path, &with_ids, &id)?;
    if text == original {
        return Err(Error::Board {
            msg: format!("^{id} is already like that; nothing to change"),
        });
    }
    let detail = what(&id);
    let message = format!(
        "Scope {}: {verb} {id}{}",
        m.name,
        if detail.is_empty() {
            format!(" \"{title}\"")
        } else {
            format!(" {detail}")
        }
    );
    let outcome = commit(
        ctx,
        vec![(path.clone(), stamp, Some(original), text)],
        &message,
    )?;
    Ok(BoardChange {
        id,
        path,
        message,
        outcome,
        new_ids,
    })
}

/// Writes the files through the store as one commit and records the operation for undo.
pub(super) fn commit(
    ctx: &Ctx,
    files: Vec<(PathBuf, Stamp, Option<String>, String)>,
    message: &str,
) -> Result<Outcome> {
    let changes = files
        .iter()
        .map(|(path, stamp, _, text)| Change {
            path: path.clone(),
            expected: stamp.clone(),
            write: Write::Put(text.clone().into_bytes()),
        })
        .collect();
    let outcome = ctx.ws.store().apply(changes, message)?;
    let journal = undo::journal(
        message,
        files
            .iter()
            .map(|(path, _, before, text)| (path.clone(), before.clone(), text.as_bytes()))
            .collect(),
    );
    undo::record(&ctx.ws, &journal)?;
    Ok(outcome)
}

fn add(
    ctx: &Ctx,
    map_name: &str,
    title: &str,
    slice: Option<&str>,
    fields: &[(String, String)],
    expected: Option<&Stamp>,
) -> Result<BoardChange> {
    if title.trim().is_empty() {
        return Err(Error::Board {
            msg: "a card needs a title".into(),
        });
    }
    let fields = fields
        .iter()
        .map(|(k, v)| Ok((k.trim().to_ascii_lowercase(), check_field(ctx, k, v)?)))
        .collect::<Result<Vec<_>>>()?;
    let (path, original, stamp, name) = map_file(ctx, map_name)?;
    if let Some(e) = expected {
        if *e != stamp {
            return Err(Error::Conflict { path });
        }
    }
    let base = original.clone().unwrap_or_else(|| edit::new_map(&name));
    let mut next = ctx.next_card_number();
    let (with_ids, new_ids) = edit::assign_ids(&base, &mut next);
    let id = format!("c-{next:03}");
    let slice_name = slice_for(&map::parse(&path, &with_ids), slice)?;
    let text = edit::add_card(
        &path,
        &with_ids,
        &Target {
            slice: slice_name.clone(),
            before: None,
        },
        title,
        &id,
        &fields,
    )?;
    let message = format!(
        "Scope {name}: add {id} \"{}\" to {slice_name}",
        title.trim()
    );
    let outcome = commit(ctx, vec![(path.clone(), stamp, original, text)], &message)?;
    Ok(BoardChange {
        id,
        path,
        message,
        outcome,
        new_ids,
    })
}

/// The map a new card goes into: `(path, text, stamp, name)` of an existing map, or of a new
/// one named `map_name` (no text yet, absent stamp).
pub(super) fn map_file(
    ctx: &Ctx,
    map_name: &str,
) -> Result<(PathBuf, Option<String>, Stamp, String)> {
    if let Some(i) = ctx.find_map(map_name) {
        let (m, _) = &ctx.maps[i];
        let (text, stamp) = store::read_text(&m.path)?;
        return Ok((m.path.clone(), Some(text), stamp, m.name.clone()));
    }
    let slug = crate::decision::slugify(map_name);
    if slug.is_empty() {
        return Err(Error::Board {
            msg: format!("{map_name:?} cannot name a scope map file"),
        });
    }
    let path = ctx.ws.scope_dir.join(format!("{slug}.md"));
    Ok((path, None, Stamp::absent(), map_name.to_string()))
}

/// The slice a new card goes into: the one named (a column word makes a new slice), else
/// the map's Inbox slice.
pub(super) fn slice_for(m: &ScopeMap, slice: Option<&str>) -> Result<String> {
    let Some(s) = slice else {
        return Ok(m
            .slices
            .iter()
            .find(|s| s.column == Column::Inbox)
            .map_or_else(|| Column::Inbox.heading().to_string(), |s| s.name.clone()));
    };
    match m.slice(s) {
        Some(found) => Ok(found.name.clone()),
        None if Column::of_slice(s).is_some() => Ok(s.to_string()),
        None => Err(Error::ScopeMap {
            path: m.path.clone(),
            line: 1,
            msg: format!(
                "unknown slice {s:?}; this map has {}",
                m.slices
                    .iter()
                    .map(|x| x.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }),
    }
}

/// Decisions keep their metadata in front matter only in some dialects; see the module
/// documentation for why the others are refused.
fn decision_text(ctx: &Ctx, d: &Decision, expected: Option<&Stamp>) -> Result<(String, Stamp)> {
    let (text, stamp) = store::read_text(&d.path)?;
    if let Some(e) = expected {
        if *e != stamp {
            return Err(Error::Conflict {
                path: d.path.clone(),
            });
        }
    }
    let dialect = parse_decision(&d.path, text.as_bytes()).dialect;
    if !dialect.uses_front_matter() || matches!(dialect, Dialect::Plain) {
        let label = d.label(ctx.width);
        let n = d
            .number
            .map_or(d.file_name.clone(), |n| decision_id(n, ctx.width));
        return Err(Error::Board {
            msg: format!(
                "{label} has no front matter to keep its place on the board in (it is written \
                 in the {} style, which other tools read by its first line), and Cairn does not \
                 add one. Place it with a card that links to it instead: \
                 cairn card add MAP \"{}\" --slice now --field decision={n}",
                match dialect {
                    Dialect::Nygard => "adr-tools",
                    Dialect::MadrBullets => "MADR bullet",
                    _ => "plain Markdown",
                },
                d.display_title()
            ),
        });
    }
    Ok((text, stamp))
}

fn move_decision(
    ctx: &Ctx,
    d: &Decision,
    column: Column,
    expected: Option<&Stamp>,
) -> Result<BoardChange> {
    let (text, stamp) = decision_text(ctx, d, expected)?;
    let from = super::board::column_of(d);
    if from == column {
        return Err(Error::Board {
            msg: format!(
                "{} is already in {column}; nothing to change",
                d.label(ctx.width)
            ),
        });
    }
    let new = match column {
        Column::Inbox => remove_front_matter_key(&text, "scope"),
        other => set_front_matter_key(&text, "scope", other.as_str()),
    }
    .ok_or_else(|| Error::Board {
        msg: format!("{} has no front matter", d.label(ctx.width)),
    })?;
    let message = format!("{}: scope {from} → {column}", d.label(ctx.width));
    commit_decision(ctx, d, stamp, text, new, message)
}

fn set_decision_field(
    ctx: &Ctx,
    d: &Decision,
    key: &str,
    value: Option<&str>,
    expected: Option<&Stamp>,
) -> Result<BoardChange> {
    let key = key.trim().to_ascii_lowercase();
    if !matches!(
        key.as_str(),
        "revisit-when" | "revisit-by" | "reversibility"
    ) {
        return Err(Error::Board {
            msg: format!(
                "a decision's {key:?} is not set from the board (only revisit-when, revisit-by \
                 and reversibility; its place is set with `cairn move`)"
            ),
        });
    }
    let (text, stamp) = decision_text(ctx, d, expected)?;
    let new = match value {
        Some(v) => {
            let v = check_field(ctx, &key, v)?;
            // Free text is quoted so that a colon or `#` in it stays part of the value.
            let yaml = if key == "revisit-when" {
                format!("\"{}\"", v.replace('\\', "\\\\").replace('"', "\\\""))
            } else {
                v
            };
            set_front_matter_key(&text, &key, &yaml)
        }
        None => remove_front_matter_key(&text, &key),
    }
    .ok_or_else(|| Error::Board {
        msg: format!("{} has no front matter", d.label(ctx.width)),
    })?;
    if new == text {
        return Err(Error::Board {
            msg: format!(
                "{} is already like that; nothing to change",
                d.label(ctx.width)
            ),
        });
    }
    let message = match value {
        Some(v) => format!("{}: {key} = {}", d.label(ctx.width), v.trim()),
        None => format!("{}: remove {key}", d.label(ctx.width)),
    };
    commit_decision(ctx, d, stamp, text, new, message)
}

/// Commits one edited decision file and reports it as a board change; every decision
/// operation ends this way.
fn commit_decision(
    ctx: &Ctx,
    d: &Decision,
    stamp: Stamp,
    before: String,
    after: String,
    message: String,
) -> Result<BoardChange> {
    let outcome = commit(
        ctx,
        vec![(d.path.clone(), stamp, Some(before), after)],
        &message,
    )?;
    Ok(BoardChange {
        id: d
            .number
            .map_or(d.file_name.clone(), |n| decision_id(n, ctx.width)),
        path: d.path.clone(),
        message,
        outcome,
        new_ids: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use cairn_testkit::TestRepo;

    fn setup() -> (TestRepo, Workspace) {
        let repo = TestRepo::new();
        repo.write(
            ".cairn.toml",
            "decisions = \"decisions\"\nscope = \"scope\"\n",
        );
        repo.write(
            "scope/m.md",
            "---\nscope-map: m\nslices: [Now, Later]\n---\n## Now\n- [ ] A ^c-004\n- [ ] No id yet\n## Later\n",
        );
        repo.commit_all("setup");
        let ws = Workspace::discover(repo.path()).unwrap();
        (repo, ws)
    }

    fn mv(id: &str, column: Column) -> Op {
        Op::Move {
            id: id.into(),
            column,
            before: None,
        }
    }

    /// The desktop app passes the stamp it loaded the board with; a file changed since is
    /// never overwritten.
    #[test]
    fn a_stale_stamp_is_a_conflict_and_nothing_is_written() {
        let (repo, ws) = setup();
        let seen = Stamp::of(repo.read("scope/m.md").as_bytes());
        let edited = repo
            .read("scope/m.md")
            .replace("- [ ] A", "- [ ] A, renamed");
        repo.write("scope/m.md", &edited);
        let commits = repo.commit_count();
        let err = apply(&ws, &mv("c-004", Column::Later), Some(&seen)).unwrap_err();
        assert_eq!(err.kind(), "conflict", "{err}");
        assert_eq!(repo.read("scope/m.md"), edited);
        assert_eq!(repo.commit_count(), commits);
        assert!(undo::peek(&ws).unwrap().is_none(), "nothing recorded");
    }

    /// The board hands out each map's stamp; a move sent back with it goes through, and the
    /// same stamp after the move (a board not yet reloaded) is refused.
    #[test]
    fn the_board_carries_each_maps_stamp_for_moves() {
        let (repo, ws) = setup();
        let board = super::super::board::load(&ws, crate::changes::today()).unwrap();
        let stamp = board.maps[0].stamp.clone();
        assert_eq!(stamp, Stamp::of(repo.read("scope/m.md").as_bytes()));
        apply(&ws, &mv("c-004", Column::Later), Some(&stamp)).unwrap();
        let err = apply(&ws, &mv("c-004", Column::Now), Some(&stamp)).unwrap_err();
        assert_eq!(err.kind(), "conflict");
        let fresh = super::super::board::load(&ws, crate::changes::today()).unwrap();
        assert_ne!(fresh.maps[0].stamp, stamp);
        apply(&ws, &mv("c-004", Column::Now), Some(&fresh.maps[0].stamp)).unwrap();
    }

    #[test]
    fn first_write_gives_ids_and_the_journal_lives_in_git() {
        let (repo, ws) = setup();
        let change = apply(&ws, &mv("m:7", Column::Later), None).unwrap();
        assert_eq!(change.id, "c-005");
        assert_eq!(change.new_ids, ["c-005"]);
        assert_eq!(
            repo.read("scope/m.md"),
            "---\nscope-map: m\nslices: [Now, Later]\n---\n## Now\n- [ ] A ^c-004\n## Later\n- [ ] No id yet ^c-005\n"
        );
        let loc = undo::location(&ws).unwrap();
        assert!(
            loc.starts_with(repo.path().join(".git")),
            "{}",
            loc.display()
        );
        let journal = undo::peek(&ws).unwrap().unwrap();
        assert_eq!(journal.message, "Scope m: move c-005 to later");
        assert_eq!(journal.files.len(), 1);
        undo::undo(&ws).unwrap();
        assert!(repo
            .read("scope/m.md")
            .contains("- [ ] No id yet\n## Later\n"));
        assert_eq!(repo.status(), vec![], "undo committed, nothing left over");
    }

    #[test]
    fn ops_round_trip_through_json_for_the_desktop_app() {
        let op: Op =
            serde_json::from_str(r#"{"op":"move","id":"c-004","column":"wont","before":null}"#)
                .unwrap();
        assert_eq!(op, mv("c-004", Column::Wont));
    }
}

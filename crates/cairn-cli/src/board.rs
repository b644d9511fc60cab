//! The board's commands: `board`, `card`, `move`, `undo`, `due` and `suggest`. Each parses
//! its arguments, calls `cairn_core::scope` once and prints the result.

use std::fmt::Write as _;
use std::process::ExitCode;

use anyhow::Context;
use cairn_core::scope::{self, Board, BoardCard, BoardChange, CardKind, Column, Op};
use cairn_core::{Committed, Workspace};
use clap::{Args, Subcommand, ValueEnum};

use crate::term;

#[derive(Clone, Copy, ValueEnum)]
pub enum Export {
    Md,
    Csv,
}

#[derive(Args)]
pub struct BoardArgs {
    /// Only the cards of this scope map.
    #[arg(long)]
    map: Option<String>,
    /// Print the board as Markdown (for the workshop's write-up) or CSV.
    #[arg(long, value_name = "md|csv")]
    export: Option<Export>,
}

#[derive(Subcommand)]
pub enum CardCommand {
    /// Add a card to a map (a new map is created when there is none of that name).
    Add {
        map: String,
        /// The card's title (several words are joined).
        #[arg(required = true, num_args = 1..)]
        title: Vec<String>,
        /// The slice (default: the Inbox).
        #[arg(long)]
        slice: Option<String>,
        /// A field, e.g. --field activity=Send --field revisit-by=2027-03-01 (repeatable).
        #[arg(long, value_name = "K=V")]
        field: Vec<String>,
    },
    /// Set fields of a card (or a decision's revisit-when, revisit-by, reversibility).
    Set {
        id: String,
        #[arg(required = true, num_args = 1.., value_name = "K=V")]
        fields: Vec<String>,
    },
    /// Remove a field of a card.
    Unset { id: String, key: String },
    /// Point a card at a decision.
    Link { id: String, decision: String },
    /// Remove a card from its map.
    Remove { id: String },
    /// Import cards into a map's Inbox from a CSV export (GitHub Projects, Jira, Linear) or a
    /// Markdown list, as one commit; prints the preview first.
    Import(crate::card_import::ImportArgs),
}

#[derive(Args)]
pub struct CardArgs {
    #[command(subcommand)]
    command: CardCommand,
}

#[derive(Args)]
pub struct MoveArgs {
    /// A card id (c-014) or a decision number (7, 0007).
    id: String,
    /// now, later, wont or inbox.
    column: Column,
    /// Place it before this card of the same map.
    #[arg(long, value_name = "ID")]
    before: Option<String>,
}

#[derive(Args)]
pub struct DueArgs {
    /// Exit 1 when anything is due (for CI).
    #[arg(long)]
    check: bool,
}

#[derive(Args)]
pub struct SuggestArgs {
    /// One card or decision; without it, every card in the Inbox.
    id: Option<String>,
}

fn key_value(s: &str) -> anyhow::Result<(String, String)> {
    s.split_once('=')
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .with_context(|| format!("{s:?}: expected KEY=VALUE, e.g. activity=Send"))
}

pub fn board(ws: &Workspace, args: &BoardArgs, json: bool) -> anyhow::Result<ExitCode> {
    let mut board = scope::board::load(ws, cairn_core::changes::today())?;
    if let Some(m) = &args.map {
        board.only_map(m)?;
    }
    match (args.export, json) {
        (Some(Export::Md), _) => print_export(&scope::board::export_markdown(&board)),
        (Some(Export::Csv), _) => print_export(&scope::board::export_csv(&board)),
        (None, true) => crate::print_json(&board)?,
        (None, false) => {
            print!("{}", render(&board));
            for d in &board.diagnostics {
                eprintln!("{}", term::text(&d.to_string()));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// An export goes out as it is into a file or a pipe; on a terminal, its control characters
/// are escaped like the rest of the human output.
fn print_export(export: &str) {
    use std::io::IsTerminal;
    if std::io::stdout().is_terminal() {
        print!("{}", term::text(export));
    } else {
        print!("{export}");
    }
}

pub(crate) fn card_line(c: &BoardCard) -> String {
    let mut line = match c.kind {
        CardKind::Card => format!("  {:<7} {}", term::line(&c.id), term::line(&c.title)),
        CardKind::Decision => format!("  ADR {} {}", term::line(&c.id), term::line(&c.title)),
    };
    if let Some(a) = &c.activity {
        let _ = write!(line, "  [{}]", term::line(a));
    }
    if let Some(d) = &c.decision {
        let _ = write!(line, "  → ADR {}", term::line(d));
    }
    if !c.cards.is_empty() {
        let _ = write!(line, "  ← {}", term::line(&c.cards.join(", ")));
    }
    if let Some(w) = &c.revisit_when {
        let _ = write!(line, "\n          revisit when: {}", term::line(w));
    }
    if let Some(by) = c.revisit_by {
        let _ = write!(
            line,
            "\n          revisit by: {by}{}",
            if c.due { "  DUE" } else { "" }
        );
    }
    line
}

/// The board as text: one block per column, then what is over its limit.
pub(crate) fn render(board: &Board) -> String {
    let mut out = String::new();
    for col in &board.columns {
        let _ = writeln!(out, "{} ({})", col.column.heading(), col.cards.len());
        for c in &col.cards {
            let _ = writeln!(out, "{}", card_line(c));
        }
        out.push('\n');
    }
    for o in &board.over_limits {
        let _ = writeln!(
            out,
            "over limit: {} / {} holds {} cards, limit {}",
            term::line(&o.map),
            term::line(&o.slice),
            o.count,
            o.limit
        );
    }
    out
}

fn report(change: &BoardChange, json: bool) -> anyhow::Result<ExitCode> {
    if json {
        crate::print_json(change)?;
        return Ok(ExitCode::SUCCESS);
    }
    println!("{}", term::line(&change.id));
    if !change.new_ids.is_empty() {
        eprintln!(
            "gave ids to cards that had none: {}",
            term::line(&change.new_ids.join(", "))
        );
    }
    committed(&change.outcome.committed, &change.message);
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn committed(c: &Committed, message: &str) {
    let message = term::line(message);
    match c {
        Committed::Commit { id, summary } => {
            eprintln!(
                "committed {}: {}",
                &id[..id.len().min(10)],
                term::line(summary)
            )
        }
        Committed::NotARepository => {
            eprintln!("{message} (not a Git repository: files written, no commit made)")
        }
        Committed::AutocommitOff => {
            eprintln!("{message} (autocommit is off: files written, not committed)")
        }
    }
}

pub fn card(ws: &Workspace, args: &CardArgs, json: bool) -> anyhow::Result<ExitCode> {
    let op = match &args.command {
        CardCommand::Import(a) => return crate::card_import::run(ws, a, json),
        CardCommand::Add {
            map,
            title,
            slice,
            field,
        } => Op::Add {
            map: map.clone(),
            title: title.join(" "),
            slice: slice.clone(),
            fields: field
                .iter()
                .map(|f| key_value(f))
                .collect::<anyhow::Result<_>>()?,
        },
        CardCommand::Set { id, fields } => {
            // Several fields are several operations; each is its own commit and undo step.
            let mut last = None;
            for f in fields {
                let (key, value) = key_value(f)?;
                last = Some(scope::apply(
                    ws,
                    &Op::Set {
                        id: id.clone(),
                        key,
                        value: Some(value),
                    },
                    None,
                )?);
                if let Some(c) = &last {
                    if !json {
                        committed(&c.outcome.committed, &c.message);
                    }
                }
            }
            if let (Some(c), true) = (last, json) {
                crate::print_json(&c)?;
            }
            return Ok(ExitCode::SUCCESS);
        }
        CardCommand::Unset { id, key } => Op::Set {
            id: id.clone(),
            key: key.clone(),
            value: None,
        },
        CardCommand::Link { id, decision } => Op::Link {
            id: id.clone(),
            decision: decision.clone(),
        },
        CardCommand::Remove { id } => Op::Remove { id: id.clone() },
    };
    report(&scope::apply(ws, &op, None)?, json)
}

pub fn move_card(ws: &Workspace, args: &MoveArgs, json: bool) -> anyhow::Result<ExitCode> {
    let op = Op::Move {
        id: args.id.clone(),
        column: args.column,
        before: args.before.clone(),
    };
    report(&scope::apply(ws, &op, None)?, json)
}

pub fn undo(ws: &Workspace, json: bool) -> anyhow::Result<ExitCode> {
    let changed = scope::undo(ws)?;
    if json {
        crate::print_json(&changed)?;
    } else {
        println!("{}", term::line(&changed.path.display().to_string()));
        committed(&changed.outcome.committed, &changed.message);
    }
    Ok(ExitCode::SUCCESS)
}

pub fn due(ws: &Workspace, args: &DueArgs, json: bool) -> anyhow::Result<ExitCode> {
    let board = scope::board::load(ws, cairn_core::changes::today())?;
    let due = board.due();
    let log = ws.load()?;
    let reviews = cairn_core::review::due(&log, board.today, crate::output::width(ws, &log));
    if json {
        // Review entries follow the cards in the same array, told apart by `kind: review`.
        let items: Vec<DueItem> = due
            .iter()
            .map(|c| DueItem::Card(c))
            .chain(reviews.iter().map(DueItem::Review))
            .collect();
        crate::print_json(&items)?;
    } else if due.is_empty() && reviews.is_empty() {
        eprintln!("nothing is due for a revisit ({})", board.today);
    } else {
        for c in &due {
            println!("{}", card_line(c).trim_start());
        }
        for r in &reviews {
            println!("{}", review_line(r));
        }
        let reviews_due = if reviews.is_empty() {
            String::new()
        } else {
            format!(" and {} decision(s) due for review", reviews.len())
        };
        eprintln!(
            "{} card(s) due for a revisit{reviews_due} ({})",
            due.len(),
            board.today
        );
    }
    Ok(if args.check && !(due.is_empty() && reviews.is_empty()) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// One entry of `cairn due --json`: a card (or decision) on the board whose revisit date has
/// come, or a decision whose review date has.
#[derive(serde::Serialize)]
#[serde(untagged)]
enum DueItem<'a> {
    Card(&'a BoardCard),
    Review(&'a cairn_core::review::Review),
}

/// A decision due for review, as `cairn due` lists it under the cards.
fn review_line(r: &cairn_core::review::Review) -> String {
    let id = if r.id == r.file_name {
        term::line(&r.id).to_string()
    } else {
        format!("ADR {}", term::line(&r.id))
    };
    let mut line = format!("{id} {}  ({})", term::line(&r.title), r.status);
    if let Some(w) = &r.revisit_when {
        let _ = write!(line, "\n          revisit when: {}", term::line(w));
    }
    let _ = write!(line, "\n          review by: {}  DUE", r.review_by);
    line
}

pub fn suggest(ws: &Workspace, args: &SuggestArgs, json: bool) -> anyhow::Result<ExitCode> {
    let board = scope::board::load(ws, cairn_core::changes::today())?;
    let suggestions = scope::suggest(&board, args.id.as_deref())?;
    if json {
        crate::print_json(&suggestions)?;
    } else if suggestions.is_empty() {
        eprintln!("no suggestion: no rule applies (see `cairn_core::scope::suggest::RULES`)");
    } else {
        for s in &suggestions {
            println!(
                "{:<7} {} → {}: {}",
                term::line(&s.id),
                term::line(&s.title),
                s.column,
                term::line(&s.reason)
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

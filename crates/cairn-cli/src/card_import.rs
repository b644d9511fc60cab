//! `cairn card import`: cards from a CSV export or a Markdown list into a map's Inbox. It
//! prints the preview (what will be added, what is already on the map, what was skipped),
//! then imports as one commit unless `--dry-run` asks for the preview alone.

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use cairn_core::scope::import::{self, ImportFormat, ImportPreview, ImportRequest, MAX_BYTES};
use cairn_core::Workspace;
use clap::{Args, ValueEnum};

use crate::term;

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    /// A Markdown list when the text starts with a list item or heading, else CSV.
    Auto,
    Csv,
    Md,
}

#[derive(Args)]
pub struct ImportArgs {
    /// The map whose Inbox receives the cards (created when there is none).
    map: String,
    /// A CSV export (GitHub Projects, Jira, Linear) or a Markdown list; `-` or nothing reads
    /// standard input.
    file: Option<PathBuf>,
    #[arg(long, value_enum, default_value = "auto")]
    format: Format,
    /// The CSV column whose values become the cards' activity (e.g. "Epic Link").
    #[arg(long, value_name = "COLUMN")]
    activity: Option<String>,
    /// Show what would be imported and write nothing.
    #[arg(long)]
    dry_run: bool,
}

pub fn run(ws: &Workspace, args: &ImportArgs, json: bool) -> anyhow::Result<ExitCode> {
    let req = request(args)?;
    let preview = import::preview(ws, &req)?;
    if args.dry_run {
        if json {
            crate::print_json(&preview)?;
        } else {
            print_preview(&preview);
            eprintln!("nothing written (--dry-run)");
        }
        return Ok(ExitCode::SUCCESS);
    }
    // Importing the same export again is not a mistake: there is simply nothing new.
    if preview.new_cards().next().is_none() && !preview.cards.is_empty() {
        if json {
            crate::print_json(&preview)?;
        } else {
            print_preview(&preview);
            eprintln!("nothing written: every card is already on the map");
        }
        return Ok(ExitCode::SUCCESS);
    }
    let stamp = cairn_core::scope::board::load_maps(ws)?
        .into_iter()
        .find(|(m, _)| m.name == preview.map)
        .map(|(m, _)| m.stamp);
    if !json {
        print_preview(&preview);
    }
    let done = import::import(ws, &req, stamp.as_ref())?;
    if json {
        crate::print_json(&done)?;
    } else {
        crate::board::committed(&done.change.outcome.committed, &done.change.message);
    }
    Ok(ExitCode::SUCCESS)
}

fn request(args: &ImportArgs) -> anyhow::Result<ImportRequest> {
    let (origin, bytes) = match args.file.as_deref() {
        None => (None, read_limited(std::io::stdin().lock())?),
        Some(p) if p.as_os_str() == "-" => (None, read_limited(std::io::stdin().lock())?),
        Some(p) => {
            let f = std::fs::File::open(p).with_context(|| format!("{}", p.display()))?;
            let name = p.file_name().map(|n| n.to_string_lossy().into_owned());
            (name, read_limited(f)?)
        }
    };
    let text = import::decode(origin.as_deref().unwrap_or("standard input"), bytes)?;
    Ok(ImportRequest {
        map: args.map.clone(),
        text,
        format: match args.format {
            Format::Auto => ImportFormat::Auto,
            Format::Csv => ImportFormat::Csv,
            Format::Md => ImportFormat::Markdown,
        },
        activity_column: args.activity.clone(),
        origin,
    })
}

/// Reads at most one byte more than an import takes, so a huge file is refused unread.
fn read_limited(r: impl Read) -> anyhow::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    r.take(MAX_BYTES as u64 + 1).read_to_end(&mut bytes)?;
    Ok(bytes)
}

fn print_preview(p: &ImportPreview) {
    let new = p.new_cards().count();
    for c in &p.cards {
        let mark = if c.duplicate { "=" } else { "+" };
        println!("{mark} {:>4}  {}", c.line, term::line(&c.title));
        for (k, v) in &c.fields {
            println!("          {}: {}", term::line(k), term::line(v));
        }
    }
    for s in &p.skipped {
        eprintln!("skipped line {}: {}", s.line, term::line(&s.reason));
    }
    let dup = p.cards.len() - new;
    eprintln!(
        "{new} new card(s) for {}{} / {}{}",
        term::line(&p.map),
        if p.new_map { " (a new map)" } else { "" },
        term::line(&p.slice),
        if dup > 0 {
            format!("; {dup} already on the map (=)")
        } else {
            String::new()
        }
    );
}

//! What a site is built from, read once per build: each workspace's decisions with their
//! sanitised HTML and plain text, their history from Git, the links between them both ways,
//! and the board.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use chrono::NaiveDate;
use pulldown_cmark::{Event, Parser, TagEnd};
use rayon::prelude::*;

use super::{Progress, Step};
use crate::decision::{Decision, MAX_DECISION_BYTES};
use crate::history::{self, FileHistory, History};
use crate::render::{self, Context, DECISION_HREF};
use crate::report::Relation;
use crate::scope::board::{self, Board};
use crate::workspace::read_capped;
use crate::{Error, Log, Result, Workspace};

/// One workspace's part of the site.
pub(crate) struct Section {
    /// Shown as the section's heading: the workspace's folder name.
    pub name: String,
    /// Where the section's pages live, relative to the site's root: empty for a site of one
    /// workspace, `name/` for each of several.
    pub prefix: String,
    /// Digits in "ADR 0007", as the CLI shows it.
    pub width: usize,
    pub entries: Vec<Entry>,
    /// The board over the workspace's scope maps and placed decisions, when it has any.
    pub board: Option<Board>,
    /// Every link whose target is in the log, each fact once (see `report::edges`).
    pub edges: Vec<crate::report::Edge>,
}

/// One decision as its page, the log and the search index need it.
pub(crate) struct Entry {
    pub decision: Decision,
    /// The page, relative to the section: `d/0007-use-postgres.html`.
    pub page: String,
    /// The body as sanitised HTML, decision links pointing at their pages.
    pub html: String,
    /// The body as plain text, for the search index and its snippets.
    pub plain: String,
    pub history: Option<FileHistory>,
    /// The links the record states, resolved where the target is in the log.
    pub links: Vec<Relation>,
    /// The links other records state to this one.
    pub backlinks: Vec<Relation>,
}

/// Reads every workspace into its section.
pub(super) fn sections(
    workspaces: &[Workspace],
    progress: &mut dyn FnMut(Progress),
) -> Result<Vec<Section>> {
    let names = section_names(workspaces);
    let mut out = Vec::with_capacity(workspaces.len());
    for (i, (ws, name)) in workspaces.iter().zip(names).enumerate() {
        progress(Progress {
            step: Step::Reading,
            done: i,
            total: workspaces.len(),
        });
        let prefix = if workspaces.len() > 1 {
            format!("{name}/")
        } else {
            String::new()
        };
        out.push(section(ws, name, prefix)?);
    }
    Ok(out)
}

/// The site's title when none is given: the one workspace's name, or "Decision logs".
pub(super) fn site_title(sections: &[Section]) -> String {
    match sections {
        [one] => format!("{} — decision log", one.name),
        _ => "Decision logs".to_string(),
    }
}

/// A name per workspace, usable as a folder name and unique within the site: the folder
/// name of the workspace's root, with `-2`, `-3` … where two are the same.
fn section_names(workspaces: &[Workspace]) -> Vec<String> {
    let mut seen = HashSet::new();
    workspaces
        .iter()
        .map(|ws| {
            let base = ws
                .root
                .file_name()
                .map(|n| safe_name(&n.to_string_lossy()))
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| "log".to_string());
            unique(&base, &mut seen)
        })
        .collect()
}

fn section(ws: &Workspace, name: String, prefix: String) -> Result<Section> {
    let log = ws.load()?;
    let width = crate::changes::number_width(ws, &log);
    let history = workspace_history(ws)?;
    let paths: Vec<&Path> = log.decisions.iter().map(|d| d.path.as_path()).collect();
    let histories: Vec<Option<FileHistory>> = match &history {
        Some(h) => history::of_files(ws, h, &paths)
            .into_iter()
            .map(|f| f.cloned())
            .collect(),
        None => vec![None; paths.len()],
    };
    let pages = page_names(&log);
    let (mut links, backlinks) = crate::report::relations(&log);
    let bodies = render_all(ws, &log, &pages);
    let board = board_of(ws, &log, width)?;
    let edges = crate::report::edges(&log);
    let entries = log
        .decisions
        .into_iter()
        .zip(pages)
        .zip(bodies)
        .zip(histories)
        .zip(backlinks)
        .enumerate()
        .map(
            |(i, ((((decision, page), (html, plain)), history), backlinks))| {
                let mut decision = decision;
                fill_date(&mut decision, history.as_ref());
                Entry {
                    decision,
                    page,
                    html,
                    plain,
                    history,
                    links: std::mem::take(&mut links[i]),
                    backlinks,
                }
            },
        )
        .collect();
    Ok(Section {
        name,
        prefix,
        width,
        entries,
        board,
        edges,
    })
}

/// The workspace's history, or none outside a Git repository (a folder of Markdown can be
/// published before it is committed).
fn workspace_history(ws: &Workspace) -> Result<Option<History>> {
    if !crate::store::is_repository(&ws.root) {
        return Ok(None);
    }
    match history::workspace_history(ws) {
        Ok(h) => Ok(Some(h)),
        Err(Error::NotARepository { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

/// A record without a date is dated by the commit that created it, as the CLI does.
fn fill_date(d: &mut Decision, history: Option<&FileHistory>) {
    if d.date.is_none() && d.date_raw.is_none() {
        d.date = history.map(|h| h.created.date.date_naive());
    }
}

/// Each decision's page, `d/<file stem>.html`, with any character a URL would need to
/// escape replaced, so links between pages need no escaping; unique within the section.
fn page_names(log: &Log) -> Vec<String> {
    let mut seen = HashSet::new();
    log.decisions
        .iter()
        .map(|d| {
            let stem = d
                .file_name
                .strip_suffix(".markdown")
                .or_else(|| d.file_name.strip_suffix(".md"))
                .unwrap_or(&d.file_name);
            let base = safe_name(stem);
            let base = if base.is_empty() {
                "decision".into()
            } else {
                base
            };
            format!("d/{}.html", unique(&base, &mut seen))
        })
        .collect()
}

/// `name` with everything but ASCII letters, digits, `.`, `_` and `-` replaced by `-`.
pub(crate) fn safe_name(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '-'
            }
        })
        .collect();
    s.trim_matches(['.', '-']).to_string()
}

fn unique(base: &str, seen: &mut HashSet<String>) -> String {
    let mut name = base.to_string();
    let mut k = 2;
    while !seen.insert(name.to_ascii_lowercase()) {
        name = format!("{base}-{k}");
        k += 1;
    }
    name
}

/// Every decision's body as sanitised HTML and as plain text, in parallel: rendering is
/// most of a build's work.
fn render_all(ws: &Workspace, log: &Log, pages: &[String]) -> Vec<(String, String)> {
    let files: HashSet<String> = log.decisions.iter().map(|d| d.file_name.clone()).collect();
    let page_of: HashMap<&str, &str> = log
        .decisions
        .iter()
        .zip(pages)
        .map(|(d, p)| (d.file_name.as_str(), p.trim_start_matches("d/")))
        .collect();
    let numbers = render::unique_numbers(
        log.decisions
            .iter()
            .map(|d| (d.number, d.file_name.as_str())),
    );
    let ctx = Context {
        root: &ws.root,
        base: &ws.decisions_dir,
        decisions_dir: &ws.decisions_dir,
        decision_files: &files,
        decision_numbers: &numbers,
    };
    log.decisions
        .par_iter()
        .map(|d| render_one(d, &ctx, &page_of))
        .collect()
}

fn render_one(d: &Decision, ctx: &Context, page_of: &HashMap<&str, &str>) -> (String, String) {
    let text = match read_capped(&d.path) {
        Ok(bytes) if bytes.len() <= MAX_DECISION_BYTES => {
            String::from_utf8_lossy(&bytes).into_owned()
        }
        Ok(_) => return (note(&crate::view::too_large_note()), String::new()),
        Err(e) => return (note(&e.to_string()), String::new()),
    };
    let body = render::body_of(&text, d.body_line);
    let html = link_pages(&render::to_html(body, ctx), page_of);
    (html, plain_text(body))
}

fn note(text: &str) -> String {
    format!("<p><em>{}</em></p>", super::html::esc(text))
}

/// The renderer's in-app decision links (`#decision/0004-x.md`) as links to the pages.
/// Done on the sanitised HTML rather than by teaching the shared renderer about pages: the
/// sanitiser lets through no relative URL but a fragment (the app's security rule), and
/// this rewrites only the decision routes the renderer itself made, into page names built
/// from letters, digits, `.`, `_` and `-`.
fn link_pages(html: &str, page_of: &HashMap<&str, &str>) -> String {
    let needle = format!("href=\"{DECISION_HREF}");
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(&needle) {
        out.push_str(&rest[..at]);
        let after = &rest[at + needle.len()..];
        let end = after.find('"').unwrap_or(after.len());
        let name = crate::render::percent_decode(&after[..end].replace("&amp;", "&"));
        match page_of.get(name.as_str()) {
            Some(page) => {
                out.push_str("href=\"");
                out.push_str(page);
            }
            None => out.push_str("href=\"#"),
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// The words of a Markdown body, without its markup, blocks separated by newlines.
fn plain_text(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    for event in Parser::new_ext(body, crate::markdown::options()) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item) => out.push('\n'),
            _ => {}
        }
    }
    out
}

/// The board of the workspace's maps and placed decisions, or none when it has neither.
/// Built as of the earliest date, so no card is marked due at build time: the page marks
/// due cards by the reader's date, and the site's bytes do not depend on the day it was built.
fn board_of(ws: &Workspace, log: &Log, width: usize) -> Result<Option<Board>> {
    let maps: Vec<_> = board::load_maps(ws)?.into_iter().map(|(m, _)| m).collect();
    let rows = crate::catalog::Catalog::from_log(log);
    let b = board::build(&maps, &rows, &ws.decisions_dir, width, NaiveDate::MIN);
    Ok((b.cards().next().is_some() || !b.maps.is_empty()).then_some(b))
}

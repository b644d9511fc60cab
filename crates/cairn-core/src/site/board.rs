//! A section's board page: per scope map, then for the decisions placed by their `scope`
//! key, the columns Now, Later and Won't (and the Inbox when it holds anything), each card
//! with its revisit trigger. Cards carry their `revisit-by` date; the script marks the due
//! ones by the reader's date, so the page is right on the day it is read.

use std::collections::HashMap;
use std::fmt::Write as _;

use super::collect::{Entry, Section};
use super::context::{SiteContext, COLUMNS};
use super::html::{chip, esc, layout, Page};
use crate::scope::board::{BoardCard, CardKind};

/// The board page of `s`, written at `path`.
pub(super) fn page(ctx: &SiteContext, s: &Section, path: &str) -> String {
    let mut body = String::from("<h1>Now vs. Later</h1>\n");
    if let Some(board) = &s.board {
        for map in &board.maps {
            let _ = writeln!(body, "<section class=\"map\"><h2>{}</h2>", esc(&map.name));
            if !map.backbone.is_empty() {
                let _ = writeln!(
                    body,
                    "<p class=\"backbone\">Activities: {}</p>",
                    esc(&map.backbone.join(" → "))
                );
            }
            let cards: Vec<&BoardCard> = board
                .cards()
                .filter(|c| c.map.as_deref() == Some(map.name.as_str()))
                .collect();
            columns(s, &cards, &mut body);
            body.push_str("</section>\n");
        }
        let placed: Vec<&BoardCard> = board
            .cards()
            .filter(|c| c.kind == CardKind::Decision)
            .collect();
        if !placed.is_empty() {
            body.push_str("<section class=\"map\"><h2>Decisions placed by their scope</h2>\n");
            columns(s, &placed, &mut body);
            body.push_str("</section>\n");
        }
    }
    layout(
        ctx.title,
        Page {
            path,
            title: "Board",
            kind: "board",
            nav: ctx.nav(s),
            body,
        },
    )
}

fn columns(s: &Section, cards: &[&BoardCard], body: &mut String) {
    let by_number: HashMap<u32, &Entry> = s
        .entries
        .iter()
        .filter_map(|e| Some((e.decision.number?, e)))
        .collect();
    body.push_str("<div class=\"board\">\n");
    for (column, name) in COLUMNS {
        let in_column: Vec<&&BoardCard> = cards.iter().filter(|c| c.column == column).collect();
        if column == crate::scope::map::Column::Inbox && in_column.is_empty() {
            continue;
        }
        let _ = writeln!(
            body,
            "<section class=\"column\"><h3>{name} <span class=\"count\">{}</span></h3>\n<ul>",
            in_column.len()
        );
        for c in in_column {
            card(&by_number, c, body);
        }
        body.push_str("</ul></section>\n");
    }
    body.push_str("</div>\n");
}

fn card(by_number: &HashMap<u32, &Entry>, c: &BoardCard, body: &mut String) {
    let revisit = c
        .revisit_by
        .map(|d| format!(" data-revisit-by=\"{d}\""))
        .unwrap_or_default();
    let _ = write!(
        body,
        "<li class=\"card\" data-column=\"{}\"{revisit}>",
        c.column.as_str()
    );
    let decision = c
        .decision
        .as_deref()
        .or((c.kind == CardKind::Decision).then_some(c.id.as_str()));
    let target = decision.and_then(|id| by_number.get(&id.parse::<u32>().ok()?));
    match target {
        Some(e) => {
            let _ = write!(body, "<a href=\"{}\">{}</a>", e.page, esc(&c.title));
        }
        None => body.push_str(&esc(&c.title)),
    }
    if let Some(status) = c.status {
        let _ = write!(body, " {}", chip(status));
    }
    let mut details = Vec::new();
    if let Some(a) = &c.activity {
        details.push(esc(a));
    }
    if let Some(w) = &c.revisit_when {
        details.push(format!("revisit when {}", esc(w)));
    }
    if let Some(d) = c.revisit_by {
        details.push(format!("revisit by <time datetime=\"{d}\">{d}</time>"));
    }
    if let Some(r) = &c.reversibility {
        details.push(format!("{} door", esc(r)));
    }
    if !details.is_empty() {
        let _ = write!(body, "<small>{}</small>", details.join(" · "));
    }
    body.push_str("</li>\n");
}

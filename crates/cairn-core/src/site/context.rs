//! What every page of the site needs: the site's sections and title, and how pages name
//! and link to each other (decision labels, page names, tag pages, the board's columns).

use super::collect::{safe_name, Entry, Section};
use super::html::{chip, esc};
use crate::report::Relation;
use crate::scope::map::Column;

/// What every page needs to know about the site.
pub(crate) struct SiteContext<'a> {
    pub title: &'a str,
    pub sections: &'a [Section],
}

impl SiteContext<'_> {
    /// A section's own navigation: its graph and board (named by the section when the site
    /// has several).
    pub(crate) fn nav(&self, s: &Section) -> Vec<(String, String)> {
        let named = |what: &str| match self.sections.len() {
            1 => what.to_string(),
            _ => format!("{what} ({})", s.name),
        };
        let mut nav = vec![(named("Graph"), format!("{}graph.html", s.prefix))];
        if s.board.is_some() {
            nav.push((named("Board"), format!("{}board.html", s.prefix)));
        }
        nav
    }

    pub(crate) fn site_nav(&self) -> Vec<(String, String)> {
        match self.sections {
            [one] => self.nav(one),
            _ => Vec::new(),
        }
    }
}

/// A decision's label in lists: "ADR 0007" or its file name.
pub(crate) fn label(s: &Section, e: &Entry) -> String {
    e.decision.label(s.width)
}

/// A tag's page name; tags that differ only in characters a file name cannot hold share one.
pub(crate) fn tag_file(tag: &str) -> String {
    let name = safe_name(&tag.to_lowercase());
    if name.is_empty() {
        "tag".into()
    } else {
        name
    }
}

/// A decision's page as seen from another decision's page (both in `d/`).
pub(crate) fn page_name(e: &Entry) -> &str {
    e.page.trim_start_matches("d/")
}

/// A link to the other side of `rel`, from a decision page.
pub(crate) fn rel_link(s: &Section, rel: &Relation) -> String {
    match rel.other.and_then(|j| s.entries.get(j)) {
        Some(o) => format!(
            "<a href=\"{}\">{}: {}</a> {}",
            page_name(o),
            esc(&label(s, o)),
            esc(&o.decision.display_title()),
            chip(o.decision.status_kind())
        ),
        None => esc(&rel.text),
    }
}

/// The columns a board shows, in order, with their headings.
pub(crate) const COLUMNS: [(Column, &str); 4] = [
    (Column::Now, "Now"),
    (Column::Later, "Later"),
    (Column::Wont, "Won't"),
    (Column::Inbox, "Inbox"),
];

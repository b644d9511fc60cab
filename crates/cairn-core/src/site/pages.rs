//! The site's pages: the log with its filters, one page per decision (metadata, links both
//! ways, history), the tag pages, the board and the whole log on one page for printing.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use rayon::prelude::*;

use super::collect::{Entry, Section};
use super::context::{label, page_name, tag_file, SiteContext};
use super::html::{chip, esc, layout, Page};
use super::output::Site;
use crate::decision::StatusKind;

/// Writes every page but the graph's and the feed's.
pub(super) fn write_all(ctx: &SiteContext, site: &mut Site) {
    site.add("index.html", log_page(ctx).into_bytes());
    for s in ctx.sections {
        let pages: Vec<(String, String)> = (0..s.entries.len())
            .into_par_iter()
            .map(|i| {
                let path = format!("{}{}", s.prefix, s.entries[i].page);
                let html = decision_page(ctx, s, i, &path);
                (path, html)
            })
            .collect();
        for (path, html) in pages {
            site.add(&path, html.into_bytes());
        }
        if s.board.is_some() {
            let path = format!("{}board.html", s.prefix);
            let html = super::board::page(ctx, s, &path);
            site.add(&path, html.into_bytes());
        }
    }
    tag_pages(ctx, site);
    site.add("all.html", print_page(ctx).into_bytes());
}

/// The log: every decision of every section in one table, which the script filters and
/// sorts; without the script it is still the whole, readable log.
fn log_page(ctx: &SiteContext) -> String {
    let multi = ctx.sections.len() > 1;
    let mut body = String::new();
    let _ = writeln!(body, "<h1>{}</h1>", esc(ctx.title));
    if multi {
        section_list(ctx, &mut body);
    }
    filters(ctx, &mut body);
    body.push_str(
        "<table class=\"log\" id=\"log\">\n<thead><tr>\
         <th scope=\"col\" data-sort=\"n\">ADR</th><th scope=\"col\" data-sort=\"title\">Title</th>\
         <th scope=\"col\" data-sort=\"status\">Status</th><th scope=\"col\" data-sort=\"date\">Date</th>\
         <th scope=\"col\">Tags</th>",
    );
    if multi {
        body.push_str("<th scope=\"col\" data-sort=\"ws\">Log</th>");
    }
    body.push_str("</tr></thead>\n<tbody>\n");
    for s in ctx.sections {
        for e in &s.entries {
            log_row(s, e, multi, &mut body);
        }
    }
    body.push_str(
        "</tbody>\n</table>\n<p id=\"log-count\" class=\"count\" aria-live=\"polite\"></p>\n",
    );
    layout(
        ctx.title,
        Page {
            path: "index.html",
            title: "Log",
            kind: "log",
            nav: ctx.site_nav(),
            body,
        },
    )
}

fn section_list(ctx: &SiteContext, body: &mut String) {
    body.push_str("<ul class=\"sections\">\n");
    for s in ctx.sections {
        let _ = write!(
            body,
            "<li><strong>{}</strong>: {} decisions",
            esc(&s.name),
            s.entries.len()
        );
        for (label, href) in ctx.nav(s) {
            let _ = write!(body, " · <a href=\"{}\">{}</a>", esc(&href), esc(&label));
        }
        body.push_str("</li>\n");
    }
    body.push_str("</ul>\n");
}

/// The filters above the log: a toggle per status with its count, a tag menu, and (for
/// several workspaces) a workspace menu. They do nothing without the script, so they are
/// hidden until it runs.
fn filters(ctx: &SiteContext, body: &mut String) {
    let mut statuses: BTreeMap<&str, usize> = BTreeMap::new();
    let mut tags: BTreeMap<&str, usize> = BTreeMap::new();
    for e in ctx.sections.iter().flat_map(|s| &s.entries) {
        *statuses
            .entry(e.decision.status_kind().as_str())
            .or_default() += 1;
        for t in &e.decision.tags {
            *tags.entry(t.as_str()).or_default() += 1;
        }
    }
    body.push_str(
        "<form class=\"filters\" id=\"filters\" hidden>\n<fieldset><legend>Status</legend>",
    );
    for status in StatusKind::ALL.iter().map(|s| s.as_str()) {
        if let Some(n) = statuses.get(status) {
            let _ = write!(
                body,
                "<button type=\"button\" class=\"chip s-{status}\" data-status=\"{status}\" \
                 aria-pressed=\"false\">{status} <span>{n}</span></button>"
            );
        }
    }
    body.push_str(
        "</fieldset>\n<label>Tag <select id=\"tag-filter\"><option value=\"\">any</option>",
    );
    for (t, n) in &tags {
        let _ = write!(body, "<option value=\"{0}\">{0} ({n})</option>", esc(t));
    }
    body.push_str("</select></label>\n");
    if ctx.sections.len() > 1 {
        body.push_str("<label>Log <select id=\"ws-filter\"><option value=\"\">all</option>");
        for s in ctx.sections {
            let _ = write!(body, "<option value=\"{0}\">{0}</option>", esc(&s.name));
        }
        body.push_str("</select></label>\n");
    }
    body.push_str("</form>\n");
}

fn log_row(s: &Section, e: &Entry, multi: bool, body: &mut String) {
    let d = &e.decision;
    let status = d.status_kind().as_str();
    let date = d.date.map(|d| d.to_string()).unwrap_or_default();
    // JSON, because a tag may hold spaces or any other separator.
    let tags = esc(&serde_json::to_string(&d.tags).unwrap_or_default());
    let _ = write!(
        body,
        "<tr data-n=\"{}\" data-status=\"{status}\" data-date=\"{date}\" data-tags=\"{tags}\" \
         data-ws=\"{}\"><td>{}</td><td><a href=\"{}{}\">{}</a></td><td>{}</td><td>{date}</td><td>",
        d.number.map(|n| n.to_string()).unwrap_or_default(),
        esc(&s.name),
        esc(&label(s, e)),
        s.prefix,
        e.page,
        esc(&d.display_title()),
        chip(d.status_kind()),
    );
    tag_links(&d.tags, s.prefix.matches('/').count(), body);
    body.push_str("</td>");
    if multi {
        let _ = write!(body, "<td>{}</td>", esc(&s.name));
    }
    body.push_str("</tr>\n");
}

/// Links to the tag pages, from a page `depth` folders below the root.
fn tag_links(tags: &[String], depth: usize, body: &mut String) {
    let up = "../".repeat(depth);
    for (i, t) in tags.iter().enumerate() {
        if i > 0 {
            body.push(' ');
        }
        let _ = write!(
            body,
            "<a class=\"tag\" href=\"{up}tags/{}.html\">{}</a>",
            tag_file(t),
            esc(t)
        );
    }
}

fn decision_page(ctx: &SiteContext, s: &Section, i: usize, path: &str) -> String {
    let e = &s.entries[i];
    let d = &e.decision;
    let mut body = String::new();
    let _ = write!(
        body,
        "<div class=\"decision\">\n<article class=\"record\">\n<header class=\"record-head\">\
         <p class=\"num\">{} {}",
        esc(&label(s, e)),
        chip(d.status_kind())
    );
    if let Some(date) = d.date {
        let _ = write!(body, " <time datetime=\"{date}\">{date}</time>");
    }
    body.push_str("</p>");
    if !e.html.contains("<h1") {
        let _ = write!(body, "<h1>{}</h1>", esc(&d.display_title()));
    }
    let _ = write!(
        body,
        "</header>\n<div class=\"body\">\n{}</div>\n</article>\n",
        e.html
    );
    super::meta::panel(s, i, &mut body);
    body.push_str("</div>\n");
    neighbours(s, i, &mut body);
    layout(
        ctx.title,
        Page {
            path,
            title: &format!("{}: {}", label(s, e), d.display_title()),
            kind: "decision",
            nav: ctx.nav(s),
            body,
        },
    )
}

/// Links to the previous and next decision in log order.
fn neighbours(s: &Section, i: usize, body: &mut String) {
    body.push_str("<nav class=\"pager\" aria-label=\"Previous and next decision\">");
    if let Some(p) = i.checked_sub(1).and_then(|j| s.entries.get(j)) {
        let _ = write!(
            body,
            "<a rel=\"prev\" href=\"{}\">← {}</a>",
            page_name(p),
            esc(&label(s, p))
        );
    }
    if let Some(n) = s.entries.get(i + 1) {
        let _ = write!(
            body,
            "<a rel=\"next\" href=\"{}\">{} →</a>",
            page_name(n),
            esc(&label(s, n))
        );
    }
    body.push_str("</nav>\n");
}

/// One page per tag across every section, and an index of the tags.
fn tag_pages(ctx: &SiteContext, site: &mut Site) {
    let mut by_tag: BTreeMap<String, Vec<(&Section, &Entry)>> = BTreeMap::new();
    for s in ctx.sections {
        for e in &s.entries {
            for t in &e.decision.tags {
                by_tag.entry(tag_file(t)).or_default().push((s, e));
            }
        }
    }
    let mut index = String::from("<h1>Tags</h1>\n<ul class=\"tags\">\n");
    for (file, entries) in &by_tag {
        let name = entries
            .first()
            .and_then(|(_, e)| e.decision.tags.iter().find(|t| tag_file(t) == *file))
            .map(String::as_str)
            .unwrap_or(file);
        let _ = writeln!(
            index,
            "<li><a class=\"tag\" href=\"{file}.html\">{}</a> {}</li>",
            esc(name),
            entries.len()
        );
        let mut body = format!("<h1>Tag: {}</h1>\n<ul class=\"list\">\n", esc(name));
        for (s, e) in entries {
            let _ = writeln!(
                body,
                "<li><a href=\"../{}{}\">{}: {}</a> {}</li>",
                s.prefix,
                e.page,
                esc(&label(s, e)),
                esc(&e.decision.display_title()),
                chip(e.decision.status_kind())
            );
        }
        body.push_str("</ul>\n");
        let path = format!("tags/{file}.html");
        let page = Page {
            path: &path,
            title: &format!("Tag {name}"),
            kind: "tags",
            nav: ctx.site_nav(),
            body,
        };
        site.add(&path, layout(ctx.title, page).into_bytes());
    }
    index.push_str("</ul>\n");
    let page = Page {
        path: "tags/index.html",
        title: "Tags",
        kind: "tags",
        nav: ctx.site_nav(),
        body: index,
    };
    site.add("tags/index.html", layout(ctx.title, page).into_bytes());
}

/// Every decision in full on one page, for the browser's "Save as PDF".
fn print_page(ctx: &SiteContext) -> String {
    let mut body = format!("<h1>{}</h1>\n", esc(ctx.title));
    for s in ctx.sections {
        if ctx.sections.len() > 1 {
            let _ = writeln!(body, "<h2 class=\"section-name\">{}</h2>", esc(&s.name));
        }
        for e in &s.entries {
            let d = &e.decision;
            let _ = write!(
                body,
                "<article class=\"record print-record\">\n<p class=\"num\">{} {}{}</p>\n",
                esc(&label(s, e)),
                chip(d.status_kind()),
                d.date
                    .map(|d| format!(" <time>{d}</time>"))
                    .unwrap_or_default()
            );
            if !e.html.contains("<h1") {
                let _ = write!(body, "<h1>{}</h1>", esc(&d.display_title()));
            }
            let _ = write!(
                body,
                "<div class=\"body\">\n{}</div>\n</article>\n",
                relink_for_root(s, &e.html)
            );
        }
    }
    layout(
        ctx.title,
        Page {
            path: "all.html",
            title: "Every decision",
            kind: "print",
            nav: ctx.site_nav(),
            body,
        },
    )
}

/// A decision body's links to other pages (written for `d/`) as seen from the root.
fn relink_for_root(s: &Section, html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find("href=\"") {
        let (head, tail) = rest.split_at(at + 6);
        out.push_str(head);
        let end = tail.find('"').unwrap_or(tail.len());
        let href = &tail[..end];
        if href.ends_with(".html") && !href.contains(':') && !href.contains('/') {
            let _ = write!(out, "{}d/", s.prefix);
        }
        rest = tail;
    }
    out.push_str(rest);
    out
}

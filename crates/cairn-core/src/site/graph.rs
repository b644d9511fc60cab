//! The graph of the links between decisions, drawn to SVG when the site is built (no script
//! needed to see it), in the layout of `crate::graph` (the app's graph view draws the same);
//! every node is a link to its decision's page.

use std::fmt::Write as _;

use super::collect::Section;
use super::context::{label, SiteContext};
use super::html::{esc, layout, Page};
use super::output::Site;
use crate::graph::{edge_path, origin, place, size, NODE_H, NODE_W};

/// Writes `graph.html` for every section.
pub(super) fn write_all(ctx: &SiteContext, site: &mut Site) {
    for s in ctx.sections {
        let path = format!("{}graph.html", s.prefix);
        let (svg, linked) = svg(s);
        let mut body = String::from("<h1>Links between decisions</h1>\n");
        let _ = writeln!(
            body,
            "<p>{linked} of {} decisions are linked to another. Supersedes and amends point from the \
             newer record; relates-to has no arrow head; mentions point from the record whose text names \
             the other.</p>",
            s.entries.len()
        );
        body.push_str("<figure class=\"graph\">\n");
        body.push_str(&svg);
        body.push_str(
            "<figcaption class=\"legend\"><span class=\"e-supersedes\">supersedes</span> \
             <span class=\"e-amends\">amends</span> <span class=\"e-relates-to\">relates to</span> \
             <span class=\"e-mentions\">mentions</span> <span class=\"e-other\">other</span></figcaption>\n</figure>\n",
        );
        let page = Page {
            path: &path,
            title: "Graph",
            kind: "graph",
            nav: ctx.nav(s),
            body,
        };
        site.add(&path, layout(ctx.title, page).into_bytes());
    }
}

/// The SVG of a section's links, and how many decisions it shows.
fn svg(s: &Section) -> (String, usize) {
    let positions = place(s.entries.len(), &s.edges);
    if positions.is_empty() {
        return ("<p>No decision links to another yet.</p>\n".into(), 0);
    }
    let (width, height) = size(&positions);
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" \
         height=\"{height}\" role=\"img\" aria-label=\"Links between decisions\">\n\
         <defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" \
         markerHeight=\"8\" orient=\"auto-start-reverse\"><path d=\"M 0 0 L 10 5 L 0 10 z\"/></marker></defs>\n"
    );
    for e in &s.edges {
        let (Some(&a), Some(&b)) = (positions.get(&e.from), positions.get(&e.to)) else {
            continue;
        };
        edge(&mut out, &edge_path(a, b), &e.relation, !e.undirected());
    }
    for (&i, &(col, row)) in &positions {
        node(&mut out, s, i, col, row);
    }
    out.push_str("</svg>\n");
    (out, positions.len())
}

fn node(out: &mut String, s: &Section, i: usize, col: usize, row: usize) {
    let e = &s.entries[i];
    let (x, y) = origin(col, row);
    let title = e.decision.display_title();
    let short: String = title.chars().take(28).collect();
    let short = if short.len() < title.len() {
        format!("{short}…")
    } else {
        short
    };
    let _ = writeln!(
        out,
        "<a href=\"{}\" class=\"node s-{}\"><title>{}: {}</title>\
         <rect x=\"{x}\" y=\"{y}\" width=\"{NODE_W}\" height=\"{NODE_H}\" rx=\"6\"/>\
         <text x=\"{}\" y=\"{}\" class=\"n\">{} · {}</text><text x=\"{}\" y=\"{}\">{}</text></a>",
        e.page,
        e.decision.status_kind().as_str(),
        esc(&label(s, e)),
        esc(&title),
        x + 10,
        y + 18,
        esc(&label(s, e)),
        e.decision.status_kind().as_str(),
        x + 10,
        y + 36,
        esc(&short),
    );
}

/// One link's curve (`path`, from `crate::graph::edge_path`), styled by its relation.
fn edge(out: &mut String, path: &str, relation: &str, arrow: bool) {
    let class = match relation {
        "supersedes" | "amends" | "relates-to" | "mentions" => relation,
        _ => "other",
    };
    let marker = if arrow {
        " marker-end=\"url(#arrow)\""
    } else {
        ""
    };
    let _ = writeln!(
        out,
        "<path class=\"edge e-{class}\" d=\"{path}\"{marker}><title>{}</title></path>",
        esc(relation)
    );
}

//! The graph of the links between decisions, drawn to SVG when the site is built (no script
//! needed to see it). Linked decisions are grouped by connected component, each component on
//! its own rows in log order, so a chain of supersessions reads left to right; every node is
//! a link to its decision's page.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::collect::Section;
use super::context::{label, SiteContext};
use super::html::{esc, layout, Page};
use super::output::Site;

const NODE_W: usize = 230;
const NODE_H: usize = 46;
const GAP_X: usize = 50;
const GAP_Y: usize = 56;
const PER_ROW: usize = 4;
const MARGIN: usize = 20;

/// Writes `graph.html` for every section.
pub(super) fn write_all(ctx: &SiteContext, site: &mut Site) {
    for s in ctx.sections {
        let path = format!("{}graph.html", s.prefix);
        let (svg, linked) = svg(s);
        let mut body = String::from("<h1>Links between decisions</h1>\n");
        let _ = writeln!(
            body,
            "<p>{linked} of {} decisions are linked to another. Supersedes and amends point from the \
             newer record; relates-to has no arrow head.</p>",
            s.entries.len()
        );
        body.push_str("<figure class=\"graph\">\n");
        body.push_str(&svg);
        body.push_str(
            "<figcaption class=\"legend\"><span class=\"e-supersedes\">supersedes</span> \
             <span class=\"e-amends\">amends</span> <span class=\"e-relates-to\">relates to</span> \
             <span class=\"e-other\">other</span></figcaption>\n</figure>\n",
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
    let positions = place(s);
    if positions.is_empty() {
        return ("<p>No decision links to another yet.</p>\n".into(), 0);
    }
    let rows = positions.values().map(|&(_, row)| row).max().unwrap_or(0) + 1;
    let width = MARGIN * 2 + PER_ROW * NODE_W + (PER_ROW - 1) * GAP_X;
    let height = MARGIN * 2 + rows * NODE_H + (rows - 1) * GAP_Y;
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
        edge(&mut out, a, b, &e.relation, !e.undirected());
    }
    for (&i, &(col, row)) in &positions {
        node(&mut out, s, i, col, row);
    }
    out.push_str("</svg>\n");
    (out, positions.len())
}

/// Grid cells (column, row) of every linked decision: components in the order of their
/// first decision, each starting on a new row.
fn place(s: &Section) -> BTreeMap<usize, (usize, usize)> {
    let n = s.entries.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(p: &mut [usize], mut x: usize) -> usize {
        while p[x] != x {
            p[x] = p[p[x]];
            x = p[x];
        }
        x
    }
    for e in &s.edges {
        let (a, b) = (find(&mut parent, e.from), find(&mut parent, e.to));
        parent[a.max(b)] = a.min(b);
    }
    let mut linked = vec![false; n];
    for e in &s.edges {
        linked[e.from] = true;
        linked[e.to] = true;
    }
    let mut components: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in (0..n).filter(|&i| linked[i]) {
        let root = find(&mut parent, i);
        components.entry(root).or_default().push(i);
    }
    let mut out = BTreeMap::new();
    let mut row = 0;
    for members in components.values() {
        for (k, &i) in members.iter().enumerate() {
            out.insert(i, (k % PER_ROW, row + k / PER_ROW));
        }
        row += members.len().div_ceil(PER_ROW);
    }
    out
}

fn origin(col: usize, row: usize) -> (usize, usize) {
    (
        MARGIN + col * (NODE_W + GAP_X),
        MARGIN + row * (NODE_H + GAP_Y),
    )
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

/// A curve from node `a` to node `b`: straight across between neighbours in a row, an arc
/// above the row for farther ones, and a vertical S-curve between rows.
fn edge(out: &mut String, a: (usize, usize), b: (usize, usize), relation: &str, arrow: bool) {
    let (ax, ay) = origin(a.0, a.1);
    let (bx, by) = origin(b.0, b.1);
    let path = if a.1 == b.1 {
        let (x1, x2) = if ax < bx {
            (ax + NODE_W, bx)
        } else {
            (ax, bx + NODE_W)
        };
        let y = ay + NODE_H / 2;
        let lift = if a.0.abs_diff(b.0) > 1 {
            NODE_H / 2 + 24
        } else {
            0
        };
        format!(
            "M {x1} {y} C {x1} {} {x2} {} {x2} {y}",
            y.saturating_sub(lift),
            y.saturating_sub(lift)
        )
    } else {
        let (x1, y1) = (ax + NODE_W / 2, if ay < by { ay + NODE_H } else { ay });
        let (x2, y2) = (bx + NODE_W / 2, if ay < by { by } else { by + NODE_H });
        let my = (y1 + y2) / 2;
        format!("M {x1} {y1} C {x1} {my} {x2} {my} {x2} {y2}")
    };
    let class = match relation {
        "supersedes" | "amends" | "relates-to" => relation,
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

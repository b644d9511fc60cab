//! The decision graph laid out for drawing: which decisions link to which, and where each
//! box and each curve goes. The static site's graph page and the app's graph view draw the
//! same layout. Linked decisions are grouped by connected component, each component on its
//! own rows in log order, so a chain of supersessions reads left to right and no two boxes
//! ever overlap, however many decisions there are.

use std::collections::{BTreeMap, HashSet};

use serde::Serialize;

use crate::report::{graph_edges, Edge};
use crate::{Log, StatusKind};

/// A decision's box, in SVG user units.
pub const NODE_W: usize = 230;
pub const NODE_H: usize = 46;
const GAP_X: usize = 50;
const GAP_Y: usize = 56;
/// Boxes per row: four fit the site's page and the app's view without scrolling sideways.
pub const PER_ROW: usize = 4;
const MARGIN: usize = 20;

/// The graph of the links between decisions, laid out.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DecisionGraph {
    /// The decisions linked to another one, each with its box.
    pub nodes: Vec<GraphNode>,
    pub edges: Vec<GraphEdge>,
    /// The size of the drawing.
    pub width: usize,
    pub height: usize,
    /// The size of every node's box ([`NODE_W`] by [`NODE_H`]), so the UI need not repeat it.
    pub node_width: usize,
    pub node_height: usize,
    /// How many decisions were looked at (those shown plus those linked to none).
    pub considered: usize,
}

/// One decision's box.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct GraphNode {
    pub file_name: String,
    /// "ADR 0007", or the file name for a record without a number.
    pub label: String,
    pub title: String,
    pub status: StatusKind,
    pub tags: Vec<String>,
    /// The box's top-left corner (its size is the graph's `node_width` by `node_height`).
    pub x: usize,
    pub y: usize,
}

/// One link, as the log states it once (see `report::graph_edges`): supersedes and amends
/// point from the newer record, relates-to has no direction, mentions point from the record
/// whose text names the other.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct GraphEdge {
    pub from: String,
    pub to: String,
    /// The relation's name: supersedes, amends, relates-to, or whatever else the core
    /// reports (mentions, a dialect's own words).
    pub relation: String,
    pub directed: bool,
    /// The curve, as an SVG path's `d`.
    pub path: String,
}

/// The graph of `log`'s links, limited to the decisions named in `only` when it is given:
/// links to a decision left out are left out too, and the layout closes the gaps.
pub fn decision_graph(log: &Log, width: usize, only: Option<&HashSet<String>>) -> DecisionGraph {
    let keep: Vec<usize> = (0..log.decisions.len())
        .filter(|&i| only.is_none_or(|o| o.contains(&log.decisions[i].file_name)))
        .collect();
    let mut local = vec![usize::MAX; log.decisions.len()];
    for (k, &i) in keep.iter().enumerate() {
        local[i] = k;
    }
    let kept: Vec<Edge> = graph_edges(log)
        .into_iter()
        .filter(|e| local[e.from] != usize::MAX && local[e.to] != usize::MAX)
        .map(|e| Edge {
            from: local[e.from],
            to: local[e.to],
            relation: e.relation,
        })
        .collect();
    let cells = place(keep.len(), &kept);
    let (w, h) = size(&cells);
    let nodes = cells
        .iter()
        .map(|(&k, &(col, row))| {
            let d = &log.decisions[keep[k]];
            let (x, y) = origin(col, row);
            GraphNode {
                file_name: d.file_name.clone(),
                label: d.label(width),
                title: d.display_title(),
                status: d.status_kind(),
                tags: d.tags.clone(),
                x,
                y,
            }
        })
        .collect();
    let name = |k: usize| log.decisions[keep[k]].file_name.clone();
    let edges = kept
        .iter()
        .filter_map(|e| {
            let (a, b) = (cells.get(&e.from)?, cells.get(&e.to)?);
            Some(GraphEdge {
                from: name(e.from),
                to: name(e.to),
                relation: e.relation.clone(),
                directed: !e.undirected(),
                path: edge_path(*a, *b),
            })
        })
        .collect();
    DecisionGraph {
        nodes,
        edges,
        width: w,
        height: h,
        node_width: NODE_W,
        node_height: NODE_H,
        considered: keep.len(),
    }
}

/// Grid cells (column, row) of every linked decision among `n`: components in the order of
/// their first decision, each starting on a new row.
pub(crate) fn place(n: usize, edges: &[Edge]) -> BTreeMap<usize, (usize, usize)> {
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(p: &mut [usize], mut x: usize) -> usize {
        while p[x] != x {
            p[x] = p[p[x]];
            x = p[x];
        }
        x
    }
    for e in edges {
        let (a, b) = (find(&mut parent, e.from), find(&mut parent, e.to));
        parent[a.max(b)] = a.min(b);
    }
    let mut linked = vec![false; n];
    for e in edges {
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

/// The width and height of a drawing of `cells` (margins included).
pub(crate) fn size(cells: &BTreeMap<usize, (usize, usize)>) -> (usize, usize) {
    if cells.is_empty() {
        return (0, 0);
    }
    let rows = cells.values().map(|&(_, row)| row).max().unwrap_or(0) + 1;
    (
        MARGIN * 2 + PER_ROW * NODE_W + (PER_ROW - 1) * GAP_X,
        MARGIN * 2 + rows * NODE_H + (rows - 1) * GAP_Y,
    )
}

/// The top-left corner of the box in a grid cell.
pub(crate) fn origin(col: usize, row: usize) -> (usize, usize) {
    (
        MARGIN + col * (NODE_W + GAP_X),
        MARGIN + row * (NODE_H + GAP_Y),
    )
}

/// A curve from the box in cell `a` to the box in cell `b`: straight across between
/// neighbours in a row, an arc above the row for farther ones, and a vertical S-curve
/// between rows.
pub(crate) fn edge_path(a: (usize, usize), b: (usize, usize)) -> String {
    let (ax, ay) = origin(a.0, a.1);
    let (bx, by) = origin(b.0, b.1);
    if a.1 == b.1 {
        let (x1, x2) = if ax < bx {
            (ax + NODE_W, bx)
        } else {
            (ax, bx + NODE_W)
        };
        let y = ay + NODE_H / 2;
        if a.0.abs_diff(b.0) > 1 {
            let top = y.saturating_sub(NODE_H / 2 + 24);
            format!("M {x1} {y} C {x1} {top} {x2} {top} {x2} {y}")
        } else {
            // Control points inside the gap, so the curve has a direction at its end and an
            // arrow head there points at the box (not into it, hidden behind it).
            let (c1, c2) = if x1 < x2 {
                (x1 + GAP_X / 2, x2 - GAP_X / 2)
            } else {
                (x1 - GAP_X / 2, x2 + GAP_X / 2)
            };
            format!("M {x1} {y} C {c1} {y} {c2} {y} {x2} {y}")
        }
    } else {
        let (x1, y1) = (ax + NODE_W / 2, if ay < by { ay + NODE_H } else { ay });
        let (x2, y2) = (bx + NODE_W / 2, if ay < by { by } else { by + NODE_H });
        let my = (y1 + y2) / 2;
        format!("M {x1} {y1} C {x1} {my} {x2} {my} {x2} {y2}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn log(files: &[(&str, &str)]) -> Log {
        Log::of_texts(files)
    }

    /// `n` decisions; each one from the second supersedes the one before in groups of
    /// `chain`, so the log has n / chain components.
    fn chains(n: usize, chain: usize) -> Log {
        let texts: Vec<(String, String)> = (1..=n)
            .map(|i| {
                let link = if (i - 1) % chain == 0 {
                    String::new()
                } else {
                    format!("supersedes: {:04}-d.md\n", i - 1)
                };
                (
                    format!("{i:04}-d.md"),
                    format!(
                        "---\nstatus: accepted\ntags: [t{}]\n{link}---\n# Decision {i}\n",
                        i % 3
                    ),
                )
            })
            .collect();
        let refs: Vec<(&str, &str)> = texts
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        log(&refs)
    }

    fn overlap(a: &GraphNode, b: &GraphNode) -> bool {
        a.x < b.x + NODE_W && b.x < a.x + NODE_W && a.y < b.y + NODE_H && b.y < a.y + NODE_H
    }

    /// A reference in prose is a dotted `mentions` edge from the record that names the other;
    /// between two records already linked it adds nothing.
    #[test]
    fn mentions_are_edges_unless_a_link_says_more() {
        let log = log(&[
            ("0001-a.md", "---\nstatus: superseded\n---\n# A\n"),
            (
                "0002-b.md",
                "---\nstatus: accepted\nsupersedes: 0001-a.md\n---\n# B\n\nSee ADR 0001.\n",
            ),
            (
                "0003-c.md",
                "---\nstatus: accepted\n---\n# C\n\nAs ADR-2 says.\n",
            ),
        ]);
        let g = decision_graph(&log, 4, None);
        let edges: Vec<(&str, &str, &str, bool)> = g
            .edges
            .iter()
            .map(|e| {
                (
                    e.from.as_str(),
                    e.to.as_str(),
                    e.relation.as_str(),
                    e.directed,
                )
            })
            .collect();
        assert_eq!(
            edges,
            [
                ("0002-b.md", "0001-a.md", "supersedes", true),
                ("0003-c.md", "0002-b.md", "mentions", true),
            ]
        );
    }

    #[test]
    fn links_become_nodes_and_edges_with_positions() {
        let log = log(&[
            ("0001-a.md", "---\nstatus: superseded\n---\n# A\n"),
            (
                "0002-b.md",
                "---\nstatus: accepted\nsupersedes: 0001-a.md\ntags: [db]\n---\n# B\n",
            ),
            ("0003-c.md", "---\nstatus: accepted\n---\n# Alone\n"),
        ]);
        let g = decision_graph(&log, 4, None);
        assert_eq!(g.considered, 3);
        let names: Vec<&str> = g.nodes.iter().map(|n| n.file_name.as_str()).collect();
        assert_eq!(
            names,
            ["0001-a.md", "0002-b.md"],
            "the unlinked one is left out"
        );
        assert_eq!(g.nodes[1].label, "ADR 0002");
        assert_eq!(g.nodes[1].tags, ["db"]);
        assert_eq!(g.nodes[0].status, StatusKind::Superseded);
        assert_eq!(g.edges.len(), 1);
        let e = &g.edges[0];
        assert_eq!((e.from.as_str(), e.to.as_str()), ("0002-b.md", "0001-a.md"));
        assert_eq!(e.relation, "supersedes");
        assert!(e.directed);
        assert!(e.path.starts_with("M "), "{}", e.path);
        assert!(g
            .nodes
            .iter()
            .all(|n| n.x + NODE_W <= g.width && n.y + NODE_H <= g.height));
    }

    #[test]
    fn a_filter_keeps_only_links_between_kept_decisions() {
        let log = chains(6, 3);
        let only: HashSet<String> = ["0001-d.md", "0002-d.md", "0004-d.md"]
            .map(String::from)
            .into();
        let g = decision_graph(&log, 4, Some(&only));
        assert_eq!(g.considered, 3);
        let names: Vec<&str> = g.nodes.iter().map(|n| n.file_name.as_str()).collect();
        assert_eq!(
            names,
            ["0001-d.md", "0002-d.md"],
            "0004's partner was filtered out"
        );
        assert_eq!(g.edges.len(), 1);
        // The layout closes the gaps: the kept pair starts at the top-left.
        assert_eq!((g.nodes[0].x, g.nodes[0].y), origin(0, 0));
    }

    #[test]
    fn a_curve_between_neighbours_ends_pointing_at_its_box() {
        // 0001 ← 0002: the curve ends on 0001's right side, coming from the right.
        let path = edge_path((1, 0), (0, 0));
        let (x2, _) = origin(0, 0);
        let end = x2 + NODE_W;
        let nums: Vec<usize> = path.split(' ').filter_map(|t| t.parse().ok()).collect();
        let (last_control, last) = (nums[4], nums[6]);
        assert_eq!(last, end, "{path}");
        assert!(last_control > end, "{path}");
    }

    #[test]
    fn two_hundred_decisions_never_overlap() {
        let g = decision_graph(&chains(200, 7), 4, None);
        assert_eq!(
            g.nodes.len(),
            200,
            "chains of seven and one of four: all linked"
        );
        for (i, a) in g.nodes.iter().enumerate() {
            for b in &g.nodes[i + 1..] {
                assert!(
                    !overlap(a, b),
                    "{} and {} overlap",
                    a.file_name,
                    b.file_name
                );
            }
            assert!(a.x + NODE_W <= g.width && a.y + NODE_H <= g.height);
        }
    }
}

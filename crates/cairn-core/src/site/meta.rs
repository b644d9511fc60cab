//! The panel beside a decision on its page: its metadata, the links both ways, its history
//! from Git (created, last changed, by whom, every version) and what the parser could not
//! understand.

use std::fmt::Write as _;

use super::collect::Section;
use super::context::{rel_link, tag_file};
use super::html::esc;
use crate::decision::Decision;
use crate::history::FileHistory;

/// Writes the panel of decision `i` of `s`.
pub(super) fn panel(s: &Section, i: usize, body: &mut String) {
    let e = &s.entries[i];
    let d = &e.decision;
    body.push_str("<aside class=\"meta\" aria-label=\"About this decision\">\n<dl>\n");
    facts(d, s.prefix.matches('/').count() + 1, body);
    body.push_str("</dl>\n");
    if !e.links.is_empty() {
        body.push_str("<section><h2>Links</h2>\n<ul>\n");
        for rel in &e.links {
            let _ = writeln!(body, "<li>{} {}</li>", esc(&rel.relation), rel_link(s, rel));
        }
        body.push_str("</ul></section>\n");
    }
    if !e.backlinks.is_empty() {
        body.push_str("<section><h2>Linked from</h2>\n<ul>\n");
        for rel in &e.backlinks {
            // A reference in the other record's prose reads from this side as "mentioned by".
            let relation = match rel.relation.as_str() {
                crate::decision::MENTIONS => "mentioned by",
                other => other,
            };
            let _ = writeln!(body, "<li>{} {}</li>", esc(relation), rel_link(s, rel));
        }
        body.push_str("</ul></section>\n");
    }
    if let Some(h) = &e.history {
        history(h, body);
    }
    problems(d, body);
    let _ = writeln!(
        body,
        "<p class=\"file\">File: <code>{}</code></p>\n</aside>",
        esc(&d.file_name)
    );
}

fn facts(d: &Decision, depth: usize, body: &mut String) {
    let mut row = |name: &str, value: String| {
        if !value.is_empty() {
            let _ = writeln!(body, "<dt>{name}</dt><dd>{value}</dd>");
        }
    };
    row(
        "Status",
        d.status.as_ref().map(|s| esc(&s.raw)).unwrap_or_default(),
    );
    row("Date", d.date.map(|x| x.to_string()).unwrap_or_default());
    let people = &d.people;
    for (name, list) in [
        ("Deciders", &people.deciders),
        ("Consulted", &people.consulted),
        ("Informed", &people.informed),
        ("Authors", &people.authors),
    ] {
        row(name, esc(&list.join(", ")));
    }
    let up = "../".repeat(depth);
    let tags: Vec<String> = d
        .tags
        .iter()
        .map(|t| {
            format!(
                "<a class=\"tag\" href=\"{up}tags/{}.html\">{}</a>",
                tag_file(t),
                esc(t)
            )
        })
        .collect();
    row("Tags", tags.join(" "));
    let p = &d.planning;
    row("Scope", esc(p.scope.as_deref().unwrap_or_default()));
    row(
        "Reversibility",
        esc(p.reversibility.as_deref().unwrap_or_default()),
    );
    row(
        "Revisit when",
        esc(p.revisit_when.as_deref().unwrap_or_default()),
    );
    row(
        "Revisit by",
        p.revisit_by
            .map(|x| format!("<time class=\"due-date\" datetime=\"{x}\">{x}</time>"))
            .unwrap_or_default(),
    );
    row(
        "Review by",
        p.review_by
            .map(|x| format!("<time class=\"due-date\" datetime=\"{x}\">{x}</time>"))
            .unwrap_or_default(),
    );
}

fn history(h: &FileHistory, body: &mut String) {
    let _ = write!(
        body,
        "<section class=\"history\"><h2>History</h2>\n<p>Created {} by {}; last changed {} by {}.</p>\n\
         <ol class=\"versions\" reversed>\n",
        h.created.date.date_naive(),
        esc(&h.created.author),
        h.last_changed.date.date_naive(),
        esc(&h.last_changed.author),
    );
    for v in &h.versions {
        let _ = writeln!(
            body,
            "<li><time datetime=\"{}\">{}</time> {} — {} <code title=\"{}\">{}</code></li>",
            v.date.to_rfc3339(),
            v.date.date_naive(),
            esc(&v.author),
            esc(&v.summary),
            esc(&v.commit),
            esc(v.commit.get(..10).unwrap_or(&v.commit)),
        );
    }
    body.push_str("</ol></section>\n");
}

fn problems(d: &Decision, body: &mut String) {
    if d.diagnostics.is_empty() {
        return;
    }
    body.push_str("<section class=\"problems\"><h2>Not understood</h2>\n<ul>\n");
    for diag in &d.diagnostics {
        let line = diag.line.map(|l| format!("line {l}: ")).unwrap_or_default();
        let _ = writeln!(body, "<li>{line}{}</li>", esc(&diag.message));
    }
    body.push_str("</ul></section>\n");
}

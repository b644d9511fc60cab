//! What the desktop app shows: a light summary per decision for the log, and one decision's
//! page (its text, stamp, sanitised HTML and resolved links). Kept here, not in the shell,
//! so the shell's commands stay a few lines and this is tested without a window.

use std::cmp::Reverse;
use std::collections::HashSet;
use std::path::Path;

use serde::Serialize;

use crate::catalog::Catalog;
// The log's rows live with the catalog that keeps them; named here too for the app's callers.
pub use crate::catalog::{summaries, summary, Summary};
use crate::decision::{parse, Decision, StatusKind, MAX_DECISION_BYTES};
use crate::render::{self, Context};
use crate::store::Stamp;
use crate::workspace::decision_file;
use crate::workspace::read_capped;
use crate::{Error, Result, Workspace};

/// A link from the decision to another one, resolved to the target's file when it exists.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Related {
    pub relation: String,
    /// The file's own words for the relation ("Superceded by").
    pub label: String,
    pub target_text: String,
    pub file_name: Option<String>,
    pub title: Option<String>,
    pub status: Option<StatusKind>,
}

/// One decision as the app shows and edits it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Page {
    pub decision: Decision,
    /// The whole file, for the editor.
    pub text: String,
    /// What the file looked like when read; a save sends it back to detect outside edits.
    pub stamp: Stamp,
    /// The body (front matter left out) as sanitised HTML.
    pub html: String,
    pub related: Vec<Related>,
    /// The decisions whose prose refers to this one ("mentioned by"), in log order.
    pub mentioned_by: Vec<Related>,
}

/// Reads one decision for display and editing. `file_name` comes from the UI and is checked
/// to name a file in the decisions folder. Links are resolved against the log's rows, so a
/// page never needs every decision parsed.
pub fn page(ws: &Workspace, log: &Catalog, file_name: &str) -> Result<Page> {
    let path = decision_file(ws, file_name)?;
    let bytes = read_capped(&path)?;
    // Over the cap, the stamp is of the first bytes only: it never matches the file, so a
    // save from this page is refused as a conflict instead of replacing the unread body.
    let stamp = Stamp::of(&bytes);
    let (text, decision, html) = if bytes.len() > MAX_DECISION_BYTES {
        let note = format!("<p><em>{}</em></p>", too_large_note());
        (String::new(), parse(&path, &bytes), note)
    } else {
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let decision = parse(&path, text.as_bytes());
        let html = preview(ws, log, &text, decision.body_line);
        (text, decision, html)
    };
    let related = decision
        .links
        .iter()
        .map(|l| {
            let target = l
                .target_file
                .as_deref()
                .and_then(|f| log.get(&crate::catalog::linked_file_name(f)))
                .or_else(|| l.target_number.and_then(|n| log.get_number(n)));
            Related {
                relation: l.relation.clone(),
                label: l.label.clone(),
                target_text: l.target_text.clone(),
                file_name: target.map(|d| d.file_name.clone()),
                title: target.map(|d| d.title.clone()),
                status: target.map(|d| d.status),
            }
        })
        .collect();
    let mentioned_by = mentioned_by(log, &decision);
    Ok(Page {
        decision,
        text,
        stamp,
        html,
        related,
        mentioned_by,
    })
}

/// The rows of `log` whose prose refers to `d`.
fn mentioned_by(log: &Catalog, d: &Decision) -> Vec<Related> {
    log.mentioning(&d.file_name, d.number)
        .map(|row| Related {
            relation: crate::decision::MENTIONS.to_string(),
            label: "Mentioned by".to_string(),
            target_text: row.title.clone(),
            file_name: Some(row.file_name.clone()),
            title: Some(row.title.clone()),
            status: Some(row.status),
        })
        .collect()
}

/// One decision as `cairn show` prints it: the file parsed alone (its date from Git when it
/// has none, as the full log gives it), its text, and what mentions it from the rows.
#[derive(Debug, Clone)]
pub struct Shown {
    pub decision: Decision,
    /// `None` over the size cap (see [`text_for_display`]).
    pub text: Option<String>,
    pub mentioned_by: Vec<crate::catalog::Backlink>,
}

/// Reads the decision `reference` names (number, file name or a unique part of it) with the
/// rows of the log, so showing one of 10,000 decisions parses one file, not 10,000.
pub fn show(ws: &Workspace, log: &Catalog, reference: &str) -> Result<Shown> {
    let row = log.resolve(reference)?;
    let path = ws.decisions_dir.join(&row.file_name);
    // A link is refused here as everywhere a file is read (the log lists it, unread).
    let bytes = read_capped(&path)?;
    let text =
        (bytes.len() <= MAX_DECISION_BYTES).then(|| String::from_utf8_lossy(&bytes).into_owned());
    let mut one = crate::Log {
        decisions: vec![parse(&path, &bytes)],
        other_files: Vec::new(),
    };
    crate::history::fill_missing(ws, &mut one)?;
    let decision = one.decisions.remove(0);
    let mentioned_by = log
        .mentioning(&decision.file_name, decision.number)
        .map(|row| crate::catalog::Backlink {
            relation: crate::decision::MENTIONS.to_string(),
            file_name: row.file_name.clone(),
            number: row.number,
            title: row.title.clone(),
        })
        .collect();
    Ok(Shown {
        decision,
        text,
        mentioned_by,
    })
}

/// What the view and `cairn show` say instead of the body of a decision over
/// [`MAX_DECISION_BYTES`] (plain text, no markup to escape).
pub fn too_large_note() -> String {
    format!(
        "The body is not shown: this file is over the {MAX_DECISION_BYTES} byte limit for a \
         decision record. Open it in a text editor to read it."
    )
}

/// A decision's text for `cairn show`, read no further than the cap: `None` for a file
/// over [`MAX_DECISION_BYTES`], whose body is not shown.
pub fn text_for_display(path: &Path) -> Result<Option<String>> {
    Ok(display_text(&read_capped(path)?))
}

fn display_text(bytes: &[u8]) -> Option<String> {
    (bytes.len() <= MAX_DECISION_BYTES).then(|| String::from_utf8_lossy(bytes).into_owned())
}

/// Sanitised HTML of a decision's text from `body_line` on: the view, and the editor's live
/// preview of text not yet saved.
pub fn preview(ws: &Workspace, log: &Catalog, text: &str, body_line: usize) -> String {
    let files: HashSet<String> = log.rows().iter().map(|d| d.file_name.clone()).collect();
    let numbers =
        render::unique_numbers(log.rows().iter().map(|d| (d.number, d.file_name.as_str())));
    render::to_html(
        render::body_of(text, body_line),
        &Context {
            root: &ws.root,
            base: &ws.decisions_dir,
            decisions_dir: &ws.decisions_dir,
            decision_files: &files,
            decision_numbers: &numbers,
        },
    )
}

/// The editor's live preview: the text as it would be shown if saved.
pub fn preview_text(ws: &Workspace, log: &Catalog, file_name: &str, text: &str) -> Result<String> {
    let path = decision_file(ws, file_name)?;
    if text.len() > MAX_DECISION_BYTES {
        return Err(Error::TooLarge {
            path,
            size: text.len() as u64,
            limit: MAX_DECISION_BYTES as u64,
            purpose: "to preview",
        });
    }
    let decision = parse(&path, text.as_bytes());
    Ok(preview(ws, log, text, decision.body_line))
}

/// The log's first screen: the rows the app shows first, and how many there are in all.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FirstRows {
    pub rows: Vec<Summary>,
    pub total: usize,
}

/// The first `count` rows of the log in the order the app opens it in: by number, highest
/// first, unnumbered decisions (files named by a slug) ahead of all, ties in the log's order.
/// The app paints these while the whole log crosses to the page (100,000 rows are 28 MB of
/// JSON), so this must be the head of the list's own order, "number-desc" in
/// `ui/src/lib/rows.ts` (a stable sort that counts no number as the largest).
pub fn first_rows(log: &Catalog, count: usize) -> FirstRows {
    let rows = log.rows();
    // The position breaks ties, so an unstable selection gives the stable sort's head.
    let key = |&i: &usize| (Reverse(rows[i].number.map_or(u64::MAX, u64::from)), i);
    let mut order: Vec<usize> = (0..rows.len()).collect();
    if count < order.len() {
        order.select_nth_unstable_by_key(count, key);
        order.truncate(count);
    }
    order.sort_unstable_by_key(key);
    FirstRows {
        rows: order.into_iter().map(|i| rows[i].clone()).collect(),
        total: rows.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demo() -> (tempfile::TempDir, Workspace) {
        cairn_testkit::isolate_git_config();
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("demo");
        crate::demo::install(&dest).unwrap();
        let ws = Workspace::discover(&dest).unwrap();
        (dir, ws)
    }

    /// The first rows are the head of the whole log in the list's newest-first order, for
    /// every count: unnumbered files first, a number two files share in the log's order.
    #[test]
    fn first_rows_are_the_head_of_the_newest_first_order() {
        let dir = tempfile::tempdir().unwrap();
        let decisions = dir.path().join("docs/decisions");
        std::fs::create_dir_all(&decisions).unwrap();
        for (name, title) in [
            ("0003-cache.md", "Cache"),
            ("0010-queue.md", "Queue"),
            ("0010-queue-again.md", "Queue again"),
            ("use-slugs.md", "Use slugs"),
            ("0001-record.md", "Record"),
            ("plain-name.md", "Plain name"),
            ("0007-auth.md", "Auth"),
        ] {
            std::fs::write(
                decisions.join(name),
                format!("# {title}\n\nStatus: accepted\n"),
            )
            .unwrap();
        }
        let ws = Workspace::discover(dir.path()).unwrap();
        let log = Catalog::load_with(&ws, None).unwrap().0;
        let mut all = log.rows().to_vec();
        // The list's comparator: `num(b) - num(a)`, no number counting as the largest.
        all.sort_by_key(|r| Reverse(r.number.map_or(u64::MAX, u64::from)));
        let names = |rows: &[Summary]| rows.iter().map(|r| r.file_name.clone()).collect::<Vec<_>>();
        let whole = names(&all);
        assert_eq!(
            whole[2..5],
            ["0010-queue-again.md", "0010-queue.md", "0007-auth.md"]
        );
        assert!(whole[..2].iter().all(|n| !n.starts_with('0')), "{whole:?}");
        for count in 0..=all.len() + 1 {
            let first = first_rows(&log, count);
            assert_eq!(first.total, all.len());
            assert_eq!(
                names(&first.rows),
                whole[..count.min(all.len())],
                "count {count}"
            );
        }
    }

    /// `show` from the rows says what the full log says: the same decision (an undated one
    /// dated by Git), the same "mentioned by", and the same answer to a bad reference.
    #[test]
    fn show_from_the_rows_matches_the_full_log() {
        let repo = cairn_testkit::TestRepo::new();
        repo.write(
            "docs/decisions/0001-use-postgres.md",
            "# 1. Use Postgres\n\nStatus: accepted\n",
        );
        repo.write(
            "docs/decisions/0002-undated.md",
            "# 2. Undated\n\nWe keep ADR 1.\n",
        );
        repo.write(
            "docs/decisions/0003-cache.md",
            "# 3. Cache\n\nDate: 2026-01-02\n\nSee [it](0001-use-postgres.md).\n",
        );
        repo.commit_all("three decisions");
        let ws = Workspace::discover(repo.path()).unwrap();
        let mut log = ws.load().unwrap();
        crate::history::fill_missing(&ws, &mut log).unwrap();
        let rows = Catalog::load_with(&ws, None).unwrap().0;
        for reference in ["1", "ADR-2", "0003-cache.md", "cache", "undated"] {
            let shown = show(&ws, &rows, reference).unwrap();
            let full = log.resolve(reference).unwrap();
            assert_eq!(
                format!("{:?}", shown.decision),
                format!("{full:?}"),
                "{reference}"
            );
            assert_eq!(
                shown.mentioned_by,
                crate::agent::mentioned_by(&log, full),
                "{reference}"
            );
            assert_eq!(
                shown.text.as_deref(),
                Some(std::fs::read_to_string(&full.path).unwrap().as_str())
            );
        }
        assert!(
            show(&ws, &rows, "2").unwrap().decision.date.is_some(),
            "dated by Git"
        );
        let mentions: Vec<String> = show(&ws, &rows, "1")
            .unwrap()
            .mentioned_by
            .into_iter()
            .map(|b| b.file_name)
            .collect();
        assert_eq!(mentions, ["0002-undated.md", "0003-cache.md"]);
        for bad in ["9", "nothing", "00"] {
            assert_eq!(
                show(&ws, &rows, bad).unwrap_err().to_string(),
                log.resolve(bad).unwrap_err().to_string(),
                "{bad}"
            );
        }
        // The mentions come from the rows: with the rows' cache warm, an edit that keeps the
        // mentioning file's time and size is not seen, where a parse of the log would see it.
        let cache = repo.path().join("rows.bin");
        let two = ws.decisions_dir.join("0002-undated.md");
        let old = std::time::SystemTime::now() - std::time::Duration::from_secs(60);
        let age = |p: &Path| {
            let f = std::fs::File::options().write(true).open(p).unwrap();
            f.set_modified(old).unwrap();
        };
        for entry in std::fs::read_dir(&ws.decisions_dir).unwrap() {
            age(&entry.unwrap().path());
        }
        let warm = Catalog::load_with(&ws, Some(&cache)).unwrap().0;
        std::fs::write(&two, "# 2. Undated\n\nWe keep ADR 9.\n").unwrap();
        age(&two);
        let (rows, report) = Catalog::load_with(&ws, Some(&cache)).unwrap();
        assert_eq!(report.parsed, 0);
        assert_eq!(rows.rows(), warm.rows());
        let mentions = show(&ws, &rows, "1").unwrap().mentioned_by;
        assert_eq!(mentions.len(), 2, "{mentions:?}");
    }

    #[test]
    fn summaries_of_the_demo() {
        let (_d, ws) = demo();
        let log = ws.load().unwrap();
        let rows = summaries(&log);
        let seven = rows.iter().find(|r| r.number == Some(7)).unwrap();
        assert_eq!(seven.title, "Take card payments with Stripe");
        assert_eq!(seven.status, StatusKind::Accepted);
        assert_eq!(seven.tags, vec!["payments".to_string()]);
    }

    #[test]
    fn page_resolves_related_decisions() {
        let (_d, ws) = demo();
        let log = Catalog::from_log(&ws.load().unwrap());
        let seven = log.get_number(7).unwrap().file_name.clone();
        let page = page(&ws, &log, &seven).unwrap();
        assert!(page
            .html
            .contains("<h1>Take card payments with Stripe</h1>"));
        assert!(
            !page.html.contains("decision-makers"),
            "front matter left out"
        );
        let sup = page
            .related
            .iter()
            .find(|r| r.relation == "supersedes")
            .unwrap();
        assert_eq!(
            sup.file_name.as_deref(),
            Some("0004-collect-payments-with-paypal-links.md")
        );
        assert_eq!(page.stamp, Stamp::of(page.text.as_bytes()));
    }

    /// A link that names its file with an anchor, a query, a folder or `%20` leads to that
    /// file, by the rule the rows' mentions and the agent's links follow, even where the
    /// number alone would lead to another (two records numbered 7, as a merge leaves them).
    #[test]
    fn related_links_resolve_as_the_agent_resolves_them() {
        let (_d, ws) = demo();
        let other = "0007-zz other choice.md";
        std::fs::write(ws.decisions_dir.join(other), "# 7. Other\n").unwrap();
        std::fs::write(
            ws.decisions_dir.join("0099-later.md"),
            "# 99. Later\n\nDate: 2026-01-01\n\n## Status\n\nAccepted\n\n\
             Amends [7. Other](./0007-zz%20other%20choice.md#why)\n\n\
             Amends [7. Other](../decisions/0007-zz%20other%20choice.md?x=1)\n",
        )
        .unwrap();
        let log = Catalog::load_with(&ws, None).unwrap().0;
        let later = page(&ws, &log, "0099-later.md").unwrap();
        let targets: Vec<_> = later
            .related
            .iter()
            .map(|r| r.file_name.as_deref())
            .collect();
        assert_eq!(targets, [Some(other), Some(other)]);
        let full = ws.load().unwrap();
        let doc = crate::agent::read(&full, "99", None).unwrap();
        let agent: Vec<_> = doc.links.iter().map(|r| r.file_name.as_deref()).collect();
        assert_eq!(agent, targets);
    }

    #[test]
    fn a_reference_in_prose_is_a_link_and_a_mentioned_by_on_the_other_page() {
        let (_d, ws) = demo();
        std::fs::write(
            ws.decisions_dir.join("0099-later.md"),
            "# Later\n\nWe keep what ADR 0007 chose; `ADR 0006` is code.\n",
        )
        .unwrap();
        let log = Catalog::load_with(&ws, None).unwrap().0;
        let later = page(&ws, &log, "0099-later.md").unwrap();
        let seven = log.get_number(7).unwrap().file_name.clone();
        assert!(
            later.html.contains(&format!(
                "<a href=\"#decision/{seven}\" rel=\"noopener noreferrer\">ADR 0007</a>"
            )),
            "{}",
            later.html
        );
        let page7 = page(&ws, &log, &seven).unwrap();
        let by: Vec<_> = page7
            .mentioned_by
            .iter()
            .map(|r| (r.relation.as_str(), r.file_name.as_deref()))
            .collect();
        assert_eq!(by, [("mentions", Some("0099-later.md"))]);
        let six = log.get_number(6).unwrap().file_name.clone();
        let page6 = page(&ws, &log, &six).unwrap();
        assert!(page6
            .mentioned_by
            .iter()
            .all(|r| r.file_name.as_deref() != Some("0099-later.md")));
    }

    #[test]
    fn page_refuses_paths_out_of_the_folder() {
        let (_d, ws) = demo();
        let log = Catalog::load_with(&ws, None).unwrap().0;
        for bad in ["../.cairn.toml", "/etc/passwd", "../../x.md"] {
            assert_eq!(
                page(&ws, &log, bad).unwrap_err().kind(),
                "outside-workspace"
            );
        }
    }

    #[test]
    fn a_huge_decision_is_shown_by_its_metadata_with_a_note() {
        let (_d, ws) = demo();
        let mut text = String::from("# Huge\n\n* Status: accepted\n\n## Context\n");
        text.push_str(&"secret filler\n".repeat(MAX_DECISION_BYTES / 14 + 1));
        std::fs::write(ws.decisions_dir.join("0099-huge.md"), &text).unwrap();
        let log = Catalog::load_with(&ws, None).unwrap().0;
        let page = page(&ws, &log, "0099-huge.md").unwrap();
        assert_eq!(page.decision.title.as_deref(), Some("Huge"));
        assert_eq!(page.decision.status_kind(), StatusKind::Accepted);
        assert!(page.text.is_empty());
        assert!(page.html.contains("The body is not shown"), "{}", page.html);
        assert!(!page.html.contains("secret"));
        assert_ne!(page.stamp, Stamp::of(text.as_bytes()), "a save conflicts");
        assert_eq!(text_for_display(&page.decision.path).unwrap(), None);
    }

    #[test]
    fn deeply_nested_markdown_renders_without_overflow() {
        let (_d, ws) = demo();
        let text = format!(
            "# Deep\n\n{} quoted\n\n{} item\n\n{}",
            ">".repeat(100_000),
            "- ".repeat(100_000),
            "* a\n".repeat(10)
        );
        std::fs::write(ws.decisions_dir.join("0099-deep.md"), &text).unwrap();
        let log = Catalog::load_with(&ws, None).unwrap().0;
        let page = page(&ws, &log, "0099-deep.md").unwrap();
        assert!(page.html.contains("<h1>Deep</h1>"), "{}", &page.html[..200]);
    }

    #[test]
    fn preview_is_sanitised() {
        let (_d, ws) = demo();
        let log = Catalog::load_with(&ws, None).unwrap().0;
        let html = preview_text(
            &ws,
            &log,
            "0099-new.md",
            "# X\n<script>window.__pwned=1</script>\n\n[a](javascript:alert(1))",
        )
        .unwrap();
        assert!(
            !html.contains("<script") && !html.contains("href"),
            "{html}"
        );
        assert!(html.contains("<h1>X</h1>"));
    }
}

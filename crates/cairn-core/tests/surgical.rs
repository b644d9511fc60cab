//! Surgical edits proven on every real decision file: each corpus folder is copied to a
//! temporary folder, every file gets `set_status`, `add_link` and `supersede_target`, and a
//! line diff shows that only the lines carrying that fact changed. The result is parsed
//! again to show the new fact is read back.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;

use cairn_core::decision::{add_link, parse, set_status, supersede_target, LinkTarget};
use cairn_core::{Decision, Dialect, Log, StatusKind, Workspace};
use similar::{capture_diff_slices, Algorithm, DiffOp};

/// The lines of a text with their endings, so a changed line ending counts as a change.
fn lines(text: &str) -> Vec<&str> {
    text.split_inclusive('\n').collect()
}

/// What a line diff did: the old lines that went (0-based) and the new lines that came.
#[derive(Debug, Default)]
struct Diff {
    removed: Vec<usize>,
    added: Vec<usize>,
}

/// Patience diff, because it anchors on unique lines: when a status line goes and a
/// relation line is appended after an existing one, Myers may report the existing relation
/// line as removed and re-added, which is the same text but not what happened.
fn diff(old: &str, new: &str) -> Diff {
    let (a, b) = (lines(old), lines(new));
    let mut out = Diff::default();
    for op in capture_diff_slices(Algorithm::Patience, &a, &b) {
        match op {
            DiffOp::Equal { .. } => {}
            DiffOp::Delete {
                old_index, old_len, ..
            } => out.removed.extend(old_index..old_index + old_len),
            DiffOp::Insert {
                new_index, new_len, ..
            } => out.added.extend(new_index..new_index + new_len),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                out.removed.extend(old_index..old_index + old_len);
                out.added.extend(new_index..new_index + new_len);
            }
        }
    }
    out
}

/// A line's words without list markers and emphasis, lower case: "* **Status:** x" → "status: x".
fn bare(line: &str) -> String {
    line.trim()
        .trim_start_matches(['*', '-', '+', ' ', '_'])
        .replace(['*', '_'], "")
        .to_lowercase()
}

/// The lines that state a status, found from the text itself rather than from the
/// parser's own layout: front-matter `status:` and `tags:`, a `Status:` bullet or line
/// above the first section, the line the parser reports, and the first line of a
/// `## Status` section when it names a status (prose there is not a status line).
fn status_lines(text: &str, d: &Decision) -> Vec<usize> {
    let ls = lines(text);
    let fm_end = match ls.first().map(|l| l.trim()) {
        Some("---") => (1..ls.len()).find(|&i| ls[i].trim() == "---").unwrap_or(0),
        _ => 0,
    };
    let first_section = ls
        .iter()
        .position(|l| l.starts_with("## "))
        .unwrap_or(ls.len());
    let mut out = Vec::new();
    for (i, line) in ls.iter().enumerate() {
        let b = bare(line);
        let in_fm = i < fm_end;
        if (b.starts_with("status:") && (in_fm || i < first_section))
            || (b.starts_with("tags:") && in_fm)
        {
            out.push(i);
        }
        let heading = line.trim_start_matches('#');
        if line.starts_with("##") && bare(heading).trim().starts_with("status") {
            if let Some(first) = (i + 1..ls.len()).find(|&j| !ls[j].trim().is_empty()) {
                if StatusKind::classify(ls[first]) != StatusKind::Unknown {
                    out.push(first);
                }
            }
        }
    }
    if let Some(s) = &d.status {
        out.push(s.line - 1);
    }
    out
}

fn other_kind(d: &Decision) -> StatusKind {
    match d.status_kind() {
        StatusKind::Deprecated => StatusKind::Accepted,
        _ => StatusKind::Deprecated,
    }
}

fn target_of(d: &Decision, log: &Log) -> LinkTarget {
    let width = log.name_pattern().and_then(|p| p.width()).unwrap_or(4);
    LinkTarget {
        number: d.number,
        padded: d.number.map(|n| format!("{n:0width$}")),
        title: d.display_title(),
        file_name: d.file_name.clone(),
    }
}

/// Whether the re-parsed record links to `target` with `relation`.
fn links_to(d: &Decision, relation: &str, target: &LinkTarget) -> bool {
    d.links.iter().any(|l| {
        l.relation == relation
            && match target.number {
                Some(n) => l.target_number == Some(n),
                None => l.target_file.as_deref() == Some(target.file_name.as_str()),
            }
    })
}

/// Runs the three edits on every record of one corpus and returns how many were checked.
fn check_corpus(name: &str) -> Option<usize> {
    let from = common::decisions_dir(name)?;
    let tmp = tempfile::tempdir().expect("a temporary folder");
    common::copy_files(&from, tmp.path()).expect("the corpus copies");
    let log = Workspace::open(tmp.path())
        .expect("the copy opens")
        .load()
        .expect("the copy loads");
    let mut failures = Vec::new();
    for (k, d) in log.decisions.iter().enumerate() {
        let text = std::fs::read_to_string(&d.path).expect("corpus files are UTF-8");
        // Some other record, as the link target.
        let other = &log.decisions[(k + 1) % log.decisions.len()];
        let target = target_of(other, &log);
        if let Err(e) = check_file(d, &text, &target) {
            failures.push(format!("{name}/{}: {e}", d.file_name));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    Some(log.decisions.len())
}

fn check_file(d: &Decision, text: &str, target: &LinkTarget) -> Result<(), String> {
    let path = Path::new(&d.file_name);

    // set_status: only status lines change; a file that stated none only gains lines.
    let kind = other_kind(d);
    let out = set_status(text, d.dialect, kind);
    let changes = diff(text, &out);
    let allowed = status_lines(text, d);
    if d.status.is_none() && !changes.removed.is_empty() {
        return Err(format!(
            "set_status on a file without status changed lines {:?}",
            changes.removed
        ));
    }
    if let Some(i) = changes.removed.iter().find(|i| !allowed.contains(i)) {
        return Err(format!(
            "set_status changed line {} ({:?}), which is not a status line",
            i + 1,
            lines(text)[*i]
        ));
    }
    let new_lines = lines(&out);
    for &i in &changes.added {
        let line = new_lines[i].trim();
        let fine = line.is_empty() || line == "## Status" || StatusKind::classify(line) == kind;
        if !fine {
            return Err(format!("set_status wrote {line:?}"));
        }
    }
    if changes.added.is_empty() {
        return Err("set_status changed nothing".into());
    }
    let again = parse(path, out.as_bytes());
    if again.status_kind() != kind {
        return Err(format!(
            "after set_status {kind} the file reads as {}",
            again.status_kind()
        ));
    }

    // add_link: the original lines survive in order, at most one front-matter key line is
    // rewritten (`relates-to: [..]` gaining an item).
    let out = add_link(text, d.dialect, "Relates to", target);
    let changes = diff(text, &out);
    match changes.removed.as_slice() {
        [] => {}
        [i] if d.dialect.uses_front_matter() && bare(lines(text)[*i]).starts_with("relate") => {}
        more => {
            return Err(format!(
                "add_link removed or rewrote lines {:?}",
                more.iter().map(|i| i + 1).collect::<Vec<_>>()
            ))
        }
    }
    if changes.added.is_empty() {
        return Err("add_link added nothing".into());
    }
    let again = parse(path, out.as_bytes());
    if !links_to(&again, "relates-to", target) {
        return Err(format!(
            "add_link's link is not read back: {:?}",
            again.links
        ));
    }
    if again.status_kind() != d.status_kind() {
        return Err("add_link changed the status".into());
    }

    // supersede_target: read back as superseded with the back link, in every dialect.
    let out = supersede_target(text, d.dialect, target);
    let again = parse(path, out.as_bytes());
    if again.status_kind() != StatusKind::Superseded || !links_to(&again, "superseded-by", target) {
        return Err(format!(
            "after supersede_target: status {}, links {:?}",
            again.status_kind(),
            again.links
        ));
    }
    // For adr-tools records, what `adr new -s` does: the status line goes (with at most
    // one blank line), the "Superseded by" line and blank lines come.
    if d.dialect == Dialect::Nygard {
        let changes = diff(text, &out);
        let old = lines(text);
        let status_line = d.status.as_ref().map(|s| s.line - 1);
        let removed_ok = changes
            .removed
            .iter()
            .all(|&i| Some(i) == status_line || old[i].trim().is_empty());
        let blanks = changes
            .removed
            .iter()
            .filter(|&&i| old[i].trim().is_empty())
            .count();
        let new_lines = lines(&out);
        let added_ok = changes.added.iter().all(|&i| {
            let l = new_lines[i].trim();
            l.is_empty() || l == "## Status" || l.starts_with("Superseded by [")
        });
        if !removed_ok || blanks > 1 || !added_ok {
            return Err(format!(
                "supersede_target removed {:?} and added {:?}",
                changes.removed.iter().map(|&i| old[i]).collect::<Vec<_>>(),
                changes
                    .added
                    .iter()
                    .map(|&i| new_lines[i])
                    .collect::<Vec<_>>()
            ));
        }
    }
    Ok(())
}

#[test]
fn decentraland_adr() {
    if let Some(n) = check_corpus("decentraland-adr") {
        assert_eq!(n, 177);
    }
}

#[test]
fn govuk_aws() {
    if let Some(n) = check_corpus("govuk-aws") {
        assert_eq!(n, 38);
    }
}

#[test]
fn hydra() {
    if let Some(n) = check_corpus("hydra") {
        assert_eq!(n, 34);
    }
}

#[test]
fn jabref() {
    if let Some(n) = check_corpus("jabref") {
        assert_eq!(n, 70);
    }
}

#[test]
fn log4brains() {
    if let Some(n) = check_corpus("log4brains") {
        assert_eq!(n, 9);
    }
}

#[test]
fn madr() {
    if let Some(n) = check_corpus("madr") {
        assert_eq!(n, 19);
    }
}

#[test]
fn moj_cloud_platform() {
    if let Some(n) = check_corpus("moj-cloud-platform") {
        assert_eq!(n, 49);
    }
}

/// The checker itself catches a non-surgical edit, so a green run means something.
#[test]
fn the_diff_sees_a_rewritten_line() {
    let d = diff("a\nb\nc\n", "a\nB\nc\nd\n");
    assert_eq!((d.removed, d.added), (vec![1], vec![1, 3]));
    let d = diff("a\r\nb\r\n", "a\nb\r\n");
    assert_eq!(d.removed, [0], "a changed line ending is a change");
}

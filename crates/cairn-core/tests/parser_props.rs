//! Property tests: the parser and the edits never panic on anything a folder may hold
//! (arbitrary bytes, Markdown-ish soup, damaged real files), and on well-formed records of
//! each dialect the edits are surgical and read back.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;

use cairn_core::decision::{add_link, parse, set_status, supersede_target, LinkTarget};
use cairn_core::{Decision, Dialect, StatusKind};
use proptest::prelude::*;
use proptest::sample::Index;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 256,
        // Failures are reported in the test output; no regression files in the tree.
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// What must hold for any parse: line numbers point into the file, and the name-derived
/// identity is kept whatever the content.
fn check_invariants(d: &Decision, bytes: &[u8]) -> Result<(), TestCaseError> {
    let line_count = bytes.split(|&b| b == b'\n').count().max(1);
    let lines = d
        .diagnostics
        .iter()
        .filter_map(|g| g.line)
        .chain(d.status.iter().map(|s| s.line))
        .chain(d.links.iter().map(|l| l.line))
        .chain(d.sections.iter().map(|s| s.line));
    for line in lines {
        prop_assert!(
            (1..=line_count).contains(&line),
            "line {line} of {line_count}"
        );
    }
    prop_assert_eq!(d.file_name.as_str(), "0003-x.md");
    prop_assert!(d.number.is_some());
    Ok(())
}

/// Pieces real records are made of, and the awkward ones around them.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("---".to_string()),
        Just("...".to_string()),
        Just("# ".to_string()),
        Just("## Status".to_string()),
        Just("## Status: accepted".to_string()),
        Just("* Status: ".to_string()),
        Just("- Date: 2020-01-01".to_string()),
        Just("Date: 10/04/18".to_string()),
        Just("[x](y.md)".to_string()),
        Just("Superseded by [3. X](0003-x.md)".to_string()),
        Just(" and [ADR 4](/adr/4)".to_string()),
        Just("```".to_string()),
        Just("~~~".to_string()),
        Just("status: accepted".to_string()),
        Just("tags: [Accepted, db]".to_string()),
        Just("title: |".to_string()),
        Just("supersedes:\n  - ADR-0001".to_string()),
        Just("relates-to: [".to_string()),
        Just("key: \"unterminated".to_string()),
        Just(": : :".to_string()),
        Just("\r\n".to_string()),
        Just("\n".to_string()),
        Just("\r".to_string()),
        Just("\u{feff}".to_string()),
        Just("✅ ".to_string()),
        Just("⛔️ Superseded (as never implemented) by ".to_string()),
        Just("🤔".to_string()),
        Just("é́".to_string()),
        "[A-Za-z0-9 .:;,()\\[\\]#*_-]{0,12}",
        any::<char>().prop_map(String::from),
    ]
}

fn soup() -> impl Strategy<Value = String> {
    prop::collection::vec(fragment(), 0..60).prop_map(|v| v.concat())
}

fn dialect() -> impl Strategy<Value = Dialect> {
    prop::sample::select(vec![
        Dialect::Nygard,
        Dialect::MadrBullets,
        Dialect::Madr,
        Dialect::Cairn,
        Dialect::StaticSite,
        Dialect::Plain,
    ])
}

fn kind() -> impl Strategy<Value = StatusKind> {
    prop::sample::select(StatusKind::ALL[..6].to_vec())
}

fn target() -> LinkTarget {
    LinkTarget {
        number: Some(7),
        padded: Some("0007".into()),
        title: "Use Y".into(),
        file_name: "0007-use-y.md".into(),
    }
}

fn path() -> &'static Path {
    Path::new("0003-x.md")
}

#[test]
fn parse_never_panics_on_bytes() {
    proptest!(config(), |(bytes in prop::collection::vec(any::<u8>(), 0..2000))| {
        let d = parse(path(), &bytes);
        check_invariants(&d, &bytes)?;
    });
}

#[test]
fn parse_never_panics_on_markdown_soup() {
    proptest!(config(), |(text in soup())| {
        let d = parse(path(), text.as_bytes());
        check_invariants(&d, text.as_bytes())?;
    });
}

/// Every decision file of every corpus that is present, read once.
fn corpus_files() -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for (name, _) in common::CORPORA {
        let Some(dir) = common::decisions_dir(name) else {
            continue;
        };
        let Ok(entries) = std::fs::read_dir(dir) else {
            continue;
        };
        for entry in entries.flatten() {
            if entry.file_name().to_string_lossy().ends_with(".md") {
                if let Ok(bytes) = std::fs::read(entry.path()) {
                    out.push(bytes);
                }
            }
        }
    }
    out
}

#[test]
fn parse_never_panics_on_damaged_real_files() {
    let files = corpus_files();
    if files.is_empty() {
        eprintln!(
            "skipped: no corpus found under {}",
            common::corpora_root().display()
        );
        return;
    }
    proptest!(config(), |(
        pick in any::<Index>(),
        cut in any::<Index>(),
        flips in prop::collection::vec((any::<Index>(), any::<u8>()), 0..8),
    )| {
        let mut bytes = files[pick.index(files.len())].clone();
        bytes.truncate(cut.index(bytes.len() + 1));
        for (at, byte) in flips {
            if !bytes.is_empty() {
                let i = at.index(bytes.len());
                bytes[i] = byte;
            }
        }
        let d = parse(path(), &bytes);
        check_invariants(&d, &bytes)?;
    });
}

#[test]
fn edits_never_panic_on_any_text() {
    proptest!(config(), |(text in soup(), dialect in dialect(), kind in kind())| {
        let count = |t: &str| t.split('\n').count();
        // set_status only rewrites or inserts lines; add_link only inserts or extends one.
        let out = set_status(&text, dialect, kind);
        prop_assert!(count(&out) >= count(&text));
        let out = add_link(&text, dialect, "Relates to", &target());
        prop_assert!(out.len() >= text.len());
        // supersede_target drops at most the status line and one blank line.
        let out = supersede_target(&text, dialect, &target());
        prop_assert!(count(&out) + 2 >= count(&text));
    });
}

/// A well-formed record of one dialect, and the 0-based index of its status line.
#[derive(Debug, Clone)]
struct Record {
    text: String,
    status_line: usize,
    dialect: Dialect,
}

fn words() -> impl Strategy<Value = String> {
    "[A-Z][a-z]{2,9}( [a-z]{2,8}){0,3}"
}

/// Body lines that are prose: no heading, list, field or fence syntax.
fn body() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(
        prop_oneof![Just(String::new()), "[A-Z][a-z ,.()0-9]{0,40}"],
        0..8,
    )
}

fn status_text() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "Accepted",
        "accepted",
        "Proposed",
        "✅ Accepted",
        "🤔 Incomplete",
        "Deprecated",
        "Draft",
        "Rejected",
        "Final",
        "Living",
        "on hold",
        "Superseded",
    ])
    .prop_map(String::from)
}

fn record() -> impl Strategy<Value = Record> {
    (
        0..3u8,
        words(),
        status_text(),
        body(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(which, title, status, body, crlf, final_newline, extra)| {
            let mut lines: Vec<String> = Vec::new();
            let status_line;
            let dialect;
            match which {
                0 => {
                    dialect = Dialect::Nygard;
                    lines.extend([format!("# 3. {title}"), String::new()]);
                    lines.extend(["Date: 2020-01-01".into(), String::new()]);
                    lines.extend(["## Status".into(), String::new()]);
                    status_line = lines.len();
                    lines.extend([status.clone(), String::new()]);
                    if extra {
                        lines.extend(["Amends [1. Record](0001-record.md)".into(), String::new()]);
                    }
                }
                1 => {
                    dialect = Dialect::MadrBullets;
                    lines.extend([format!("# {title}"), String::new()]);
                    status_line = lines.len();
                    lines.push(format!("* Status: {status}"));
                    lines.push("* Date: 2020-01-01".into());
                    if extra {
                        lines.push("* Deciders: Ann, Bob".into());
                    }
                    lines.push(String::new());
                }
                _ => {
                    dialect = Dialect::Madr;
                    lines.push("---".into());
                    status_line = lines.len();
                    lines.push(format!("status: {status}"));
                    lines.push("date: 2020-01-01".into());
                    if extra {
                        lines.push("decision-makers: [Ann, Bob]".into());
                        lines.push("supersedes:\n  - ADR-0001".into());
                    }
                    lines.extend(["---".into(), format!("# {title}"), String::new()]);
                }
            }
            lines.extend(["## Context and Problem Statement".into(), String::new()]);
            lines.extend(body);
            let eol = if crlf { "\r\n" } else { "\n" };
            let mut text = lines.join("\n").replace('\n', eol);
            if final_newline {
                text.push_str(eol);
            }
            Record {
                text,
                status_line,
                dialect,
            }
        })
}

#[test]
fn generated_records_parse_as_written() {
    proptest!(config(), |(r in record())| {
        let d = parse(path(), r.text.as_bytes());
        prop_assert_eq!(d.dialect, r.dialect);
        prop_assert_eq!(d.status.as_ref().map(|s| s.line), Some(r.status_line + 1));
        prop_assert!(d.status_kind() != StatusKind::Unknown, "{:?}", d.status);
        prop_assert!(d.diagnostics.is_empty(), "{:?}", d.diagnostics);
    });
}

#[test]
fn set_status_changes_only_the_status_line_and_reads_back() {
    proptest!(config(), |(r in record(), kind in kind())| {
        let out = set_status(&r.text, r.dialect, kind);
        let (old, new): (Vec<_>, Vec<_>) = (r.text.split('\n').collect(), out.split('\n').collect());
        prop_assert_eq!(old.len(), new.len());
        for (i, (a, b)) in old.iter().zip(&new).enumerate() {
            if i != r.status_line {
                prop_assert_eq!(a, b, "line {}", i + 1);
            }
        }
        let d = parse(path(), out.as_bytes());
        prop_assert_eq!(d.status_kind(), kind);
        prop_assert_eq!(d.status.as_ref().map(|s| s.line), Some(r.status_line + 1));
    });
}

/// Whether `small` is a subsequence of `big`.
fn is_subsequence(small: &[&str], big: &[&str]) -> bool {
    let mut it = big.iter();
    small.iter().all(|s| it.any(|b| b == s))
}

#[test]
fn add_link_only_adds_and_reads_back() {
    proptest!(config(), |(r in record())| {
        let before = parse(path(), r.text.as_bytes());
        let out = add_link(&r.text, r.dialect, "Relates to", &target());
        let old: Vec<_> = r.text.lines().collect();
        let new: Vec<_> = out.lines().collect();
        prop_assert!(new.len() > old.len());
        prop_assert!(is_subsequence(&old, &new), "{:?}", out);
        let d = parse(path(), out.as_bytes());
        prop_assert!(
            d.links.iter().any(|l| l.relation == "relates-to" && l.target_number == Some(7)),
            "{:?}", d.links
        );
        prop_assert_eq!(d.links.len(), before.links.len() + 1);
        prop_assert_eq!(d.status_kind(), before.status_kind());
    });
}

#[test]
fn supersede_target_reads_back() {
    proptest!(config(), |(r in record())| {
        let out = supersede_target(&r.text, r.dialect, &target());
        let d = parse(path(), out.as_bytes());
        prop_assert_eq!(d.status_kind(), StatusKind::Superseded);
        prop_assert!(
            d.links.iter().any(|l| l.relation == "superseded-by" && l.target_number == Some(7)),
            "{:?}", d.links
        );
        // Everything outside the status block is kept, in order.
        let old: Vec<_> = r.text.lines().filter(|l| *l != r.text.lines().nth(r.status_line).unwrap_or("")).collect();
        let new: Vec<_> = out.lines().collect();
        let old: Vec<_> = old.into_iter().filter(|l| !l.trim().is_empty()).collect();
        prop_assert!(is_subsequence(&old, &new), "{:?}", out);
    });
}

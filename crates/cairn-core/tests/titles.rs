//! Titles made from file names, against the real ADR folders in `/work/shared/corpora`
//! (read in place; skipped with a message when absent, a failure under `CI=true`): every
//! record of the seven folders states its own title, so none is made up; a real record
//! whose heading is taken away gets one from its file name and says so.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use cairn_core::{decision, StatusKind, Workspace};

#[test]
fn no_real_record_needs_a_title_from_its_file_name() {
    for (name, _) in common::CORPORA {
        let Some(dir) = common::decisions_dir(name) else {
            continue;
        };
        let log = Workspace::open(&dir).unwrap().load().unwrap();
        let made: Vec<&str> = log
            .decisions
            .iter()
            .filter(|d| {
                d.diagnostics
                    .iter()
                    .any(|g| g.message.contains("made from the file name"))
            })
            .map(|d| d.file_name.as_str())
            .collect();
        assert_eq!(made, Vec::<&str>::new(), "{name}");
    }
}

#[test]
fn a_real_record_without_its_heading_is_titled_from_its_file_name() {
    let Some(dir) = common::decisions_dir("moj-cloud-platform") else {
        return;
    };
    let path = dir.join("036-multi-cluster.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let (heading, rest) = text.split_once('\n').unwrap();
    assert_eq!(heading, "# 36. Multi-cluster");
    let d = decision::parse(&path, rest.as_bytes());
    assert_eq!(d.title.as_deref(), Some("Multi cluster"));
    assert_eq!(d.number, Some(36));
    assert_eq!(d.status_kind(), StatusKind::Accepted);
    assert!(
        d.diagnostics.iter().any(|g| g
            .message
            .contains("\"Multi cluster\" is made from the file name")),
        "{:?}",
        d.diagnostics
    );
}

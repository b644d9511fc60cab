//! Faults met by a running app, in process: the search index deleted or damaged under an open
//! handle, and a file removed or renamed outside Cairn between listing it and opening,
//! editing or moving it. What must hold: no panic, a clear error naming the file, nothing
//! written, and the index rebuilt with correct results.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use cairn_core::catalog::Catalog;
use cairn_core::index::{self, OpenOptions, RebuildReason, SearchIndex, SearchOptions};
use cairn_core::scope::{self, Column, Op};
use cairn_core::{changes, store, view, StatusKind, Workspace};
use cairn_testkit::{files_under, TestRepo};

const FILE: &str = "0007-take-card-payments-with-stripe.md";

fn demo() -> (TestRepo, Workspace) {
    let repo = TestRepo::new();
    repo.add_demo();
    let ws = Workspace::discover(repo.path()).unwrap();
    (repo, ws)
}

fn numbers(ix: &SearchIndex, q: &str) -> Vec<u32> {
    let mut n: Vec<u32> = ix
        .search(q, &SearchOptions::default())
        .unwrap_or_else(|e| panic!("{q}: {e}"))
        .hits
        .iter()
        .filter_map(|h| h.number)
        .collect();
    n.sort();
    n
}

/// Ways the index folder gets damaged while the app has it open. Files are replaced (written
/// aside and renamed), as a cleaner or another program would; truncating a memory-mapped
/// file in place is not something any program does to a cache it did not write.
type Harm = fn(&Path);

fn damages() -> Vec<(&'static str, Harm)> {
    vec![
        ("folder deleted", |d| fs::remove_dir_all(d).unwrap()),
        ("every file emptied", |d| {
            for f in files_under(d) {
                replace(&f, Vec::new());
            }
        }),
        ("every file garbled", |d| {
            for f in files_under(d) {
                let mut b = fs::read(&f).unwrap();
                for (i, x) in b.iter_mut().enumerate() {
                    *x ^= (i as u8).wrapping_mul(31) | 1;
                }
                replace(&f, b);
            }
        }),
        ("meta.json and manifest deleted", |d| {
            let _ = fs::remove_file(d.join("meta.json"));
            let _ = fs::remove_file(d.join("cairn-index.json"));
        }),
    ]
}

fn replace(path: &Path, bytes: Vec<u8>) {
    let tmp = path.with_extension("damaged");
    fs::write(&tmp, bytes).unwrap();
    fs::rename(tmp, path).unwrap();
}

/// Opens, searches, damages the folder, then searches and updates through the open handle
/// (no panic; results or a clear error), and opens again: rebuilt, the edit made meanwhile
/// is found, nothing else is lost.
#[test]
fn index_damaged_under_an_open_handle_is_rebuilt() {
    for (what, harm) in damages() {
        let (_repo, ws) = demo();
        let cache = tempfile::tempdir().unwrap();
        let opts = OpenOptions {
            index_dir: Some(cache.path().join("index")),
            ..OpenOptions::default()
        };
        let (ix, _) = index::open(&ws, &opts).unwrap();
        let want = numbers(&ix, "stripe");
        assert!(want.contains(&7), "{want:?}");

        harm(&cache.path().join("index"));
        let path = ws.decisions_dir.join(FILE);
        let text = fs::read_to_string(&path).unwrap();
        fs::write(&path, format!("{text}\nZeppelinpay was considered too.\n")).unwrap();

        let live = catch_unwind(AssertUnwindSafe(|| {
            let searched = ix.search("stripe", &SearchOptions::default()).map(|_| ());
            let updated = ix.update_paths(std::slice::from_ref(&path)).map(|_| ());
            (searched, updated)
        }));
        let (searched, updated) = live.unwrap_or_else(|_| panic!("{what}: panicked"));
        for r in [&searched, &updated] {
            if let Err(e) = r {
                assert!(
                    ["index", "io", "index-busy"].contains(&e.kind()),
                    "{what}: {e}"
                );
                eprintln!("{what}: live handle: {e}");
            }
        }
        drop(ix);

        let (ix, report) = index::open(&ws, &opts).unwrap();
        assert!(
            matches!(
                report.rebuilt,
                Some(RebuildReason::Damaged { .. } | RebuildReason::Missing)
            ) || updated.is_ok(),
            "{what}: {report:?}"
        );
        assert_eq!(numbers(&ix, "stripe"), want, "{what}");
        assert_eq!(numbers(&ix, "zeppelinpay"), vec![7], "{what}");
        assert_eq!(ix.len(), 12, "{what}");
    }
}

/// The app listed the log, then the file went away outside Cairn: opening, saving, changing
/// its status and moving it are clear errors naming it, and nothing is written or committed.
#[test]
fn a_file_removed_after_listing_is_a_clear_error_and_nothing_is_written() {
    let (repo, ws) = demo();
    let log = ws.load().unwrap();
    let catalog = Catalog::from_log(&log);
    let path = ws.decisions_dir.join(FILE);
    let (bytes, stamp) = store::read(&path).unwrap();
    let head = repo.head();
    fs::remove_file(&path).unwrap();

    let err = view::page(&ws, &catalog, FILE).unwrap_err();
    assert_eq!(err.kind(), "io", "{err}");
    assert!(err.to_string().contains(FILE), "{err}");

    let text = format!("{}\nMore.\n", String::from_utf8_lossy(&bytes));
    let err = changes::save_text(&ws, FILE, &text, &stamp).unwrap_err();
    assert_eq!(err.kind(), "conflict", "{err}");
    assert!(err.to_string().contains(FILE), "{err}");

    let err = changes::change_status(&ws, FILE, StatusKind::Deprecated).unwrap_err();
    assert_eq!(err.kind(), "not-found", "{err}");
    assert!(err.to_string().contains(FILE), "{err}");

    let err = changes::link(&ws, "6", "amends", "7", None).unwrap_err();
    assert_eq!(err.kind(), "not-found", "{err}");

    let op = Op::Move {
        id: "7".into(),
        column: Column::Later,
        before: None,
    };
    let err = scope::apply(&ws, &op, Some(&stamp)).unwrap_err();
    assert_eq!(err.kind(), "unknown-card", "{err}");

    assert!(!path.exists(), "the removed file is not written back");
    assert_eq!(repo.head(), head, "no commit");
    let status = repo.status();
    assert_eq!(status.len(), 1, "only the removal: {status:?}");
}

/// Renamed instead of removed: the editor's save under the old name does not recreate it,
/// and the renamed file is left as it was.
#[test]
fn a_file_renamed_after_listing_is_not_recreated_under_its_old_name() {
    let (repo, ws) = demo();
    let _ = ws.load().unwrap();
    let path = ws.decisions_dir.join(FILE);
    let (bytes, stamp) = store::read(&path).unwrap();
    let renamed = ws
        .decisions_dir
        .join("0007-take-card-payments-with-adyen.md");
    fs::rename(&path, &renamed).unwrap();
    let head = repo.head();

    let text = format!("{}\nMore.\n", String::from_utf8_lossy(&bytes));
    let err = changes::save_text(&ws, FILE, &text, &stamp).unwrap_err();
    assert_eq!(err.kind(), "conflict", "{err}");
    assert!(err.to_string().contains(FILE), "{err}");
    assert!(!path.exists());
    assert_eq!(fs::read(&renamed).unwrap(), bytes);

    // Referred to by number, the status change follows the file to its new name.
    changes::change_status(&ws, "7", StatusKind::Deprecated).unwrap();
    assert!(!path.exists());
    assert_ne!(repo.head(), head);
}

/// A scope map removed after the board was loaded: the move is a clear error and the map
/// is not written back.
#[test]
fn a_scope_map_removed_after_the_board_loaded_is_not_written_back() {
    let (repo, ws) = demo();
    let board = scope::board::load(&ws, changes::today()).unwrap();
    let map = &board.maps[0];
    let head = repo.head();
    fs::remove_file(&map.path).unwrap();
    let op = Op::Move {
        id: "c-001".into(),
        column: Column::Later,
        before: None,
    };
    let err = scope::apply(&ws, &op, Some(&map.stamp)).unwrap_err();
    assert_eq!(err.kind(), "unknown-card", "{err}");
    assert!(!map.path.exists());
    assert_eq!(repo.head(), head);
}

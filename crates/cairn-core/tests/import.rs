//! Importing cards into a map's Inbox in a real Git repository: the preview writes nothing,
//! the import is one commit touching only the map and one undo takes it back, the same export
//! twice adds nothing, and a map changed since the preview is refused.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use cairn_core::scope::import::{self, ImportFormat, ImportRequest};
use cairn_core::scope::{self, Column};
use cairn_core::store::Stamp;
use cairn_core::{Error, Workspace};
use cairn_testkit::TestRepo;

const MAP: &str = "---\nscope-map: checkout\nslices: [Inbox, Now, Later]\n---\n# Checkout\n\nProse stays.\n\n## Inbox\n- [ ] Guest checkout ^c-001\n\n## Now\n- [ ] Cart ^c-002\n\n## Later\n";

const CSV: &str = "Summary,Issue key,Labels,Epic\nGuest checkout,PAY-1,,Pay\nRefunds,PAY-2,payments,Support\n\"Saved cards\",PAY-3,,Pay\n";

fn setup() -> (TestRepo, Workspace) {
    let repo = TestRepo::new();
    repo.write(
        ".cairn.toml",
        "decisions = \"decisions\"\nscope = \"scope\"\n",
    );
    repo.write("decisions/0001-a.md", "---\nstatus: accepted\n---\n# A\n");
    repo.write("scope/checkout.md", MAP);
    repo.commit_all("setup");
    let ws = Workspace::discover(repo.path()).unwrap();
    (repo, ws)
}

fn request(text: &str) -> ImportRequest {
    ImportRequest {
        map: "checkout".into(),
        text: text.into(),
        format: ImportFormat::Auto,
        activity_column: Some("Epic".into()),
        origin: Some("jira.csv".into()),
    }
}

#[test]
fn the_preview_marks_duplicates_and_writes_nothing() {
    let (repo, ws) = setup();
    let before = repo.commit_count();
    let p = import::preview(&ws, &request(CSV)).unwrap();
    assert_eq!(p.format, ImportFormat::Csv);
    assert_eq!(p.slice, "Inbox");
    assert!(!p.new_map);
    let dup: Vec<(&str, bool)> = p
        .cards
        .iter()
        .map(|c| (c.title.as_str(), c.duplicate))
        .collect();
    assert_eq!(
        dup,
        [
            ("Guest checkout", true),
            ("Refunds", false),
            ("Saved cards", false)
        ]
    );
    assert_eq!(p.columns, ["Summary", "Issue key", "Labels", "Epic"]);
    assert_eq!(repo.read("scope/checkout.md"), MAP);
    assert_eq!(repo.commit_count(), before);
}

#[test]
fn an_import_is_one_commit_of_the_map_and_one_undo() {
    let (repo, ws) = setup();
    let before = repo.commit_count();
    let done = import::import(&ws, &request(CSV), None).unwrap();
    assert_eq!(done.added, ["c-003", "c-004"]);
    assert_eq!(done.duplicates, 1);
    assert_eq!(repo.commit_count(), before + 1);
    let head = repo.head().unwrap();
    assert_eq!(repo.files_in_commit(head), ["scope/checkout.md"]);
    assert_eq!(
        done.change.message,
        "Scope checkout: import 2 cards into Inbox from jira.csv"
    );
    // Only the new lines: the prose, the other slices and the old card are untouched.
    let text = repo.read("scope/checkout.md");
    assert_eq!(
        text,
        MAP.replace(
            "^c-001\n\n## Now",
            "^c-001\n- [ ] Refunds ^c-003\n  - activity: Support\n  - labels: payments\n  - source: PAY-2\n- [ ] Saved cards ^c-004\n  - activity: Pay\n  - source: PAY-3\n\n## Now"
        )
    );
    let board = scope::view::current(&ws).unwrap();
    let inbox: Vec<&str> = board
        .cards()
        .filter(|c| c.column == Column::Inbox && c.id.starts_with("c-"))
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(inbox, ["c-001", "c-003", "c-004"]);

    scope::undo(&ws).unwrap();
    assert_eq!(repo.read("scope/checkout.md"), MAP);
    assert_eq!(repo.commit_count(), before + 2);
}

#[test]
fn the_same_export_twice_adds_nothing_the_second_time() {
    let (_repo, ws) = setup();
    import::import(&ws, &request(CSV), None).unwrap();
    let e = import::import(&ws, &request(CSV), None).unwrap_err();
    assert!(
        e.to_string()
            .contains("all 3 cards are already on checkout"),
        "{e}"
    );
}

#[test]
fn a_map_changed_since_the_preview_is_refused() {
    let (repo, ws) = setup();
    let stamp: Stamp = scope::board::load_maps(&ws).unwrap()[0].0.stamp.clone();
    repo.write("scope/checkout.md", &MAP.replace("Prose stays.", "Edited."));
    let e = import::import(&ws, &request(CSV), Some(&stamp)).unwrap_err();
    assert!(matches!(e, Error::Conflict { .. }), "{e:?}");
    assert!(repo.read("scope/checkout.md").contains("Edited."));
}

#[test]
fn a_markdown_list_makes_a_new_map() {
    let (repo, ws) = setup();
    let mut r = request("## Track\n- Order page\n- [ ] Emails\n  - revisit-by: 2027-03-01\n");
    r.map = "Tracking MVP".into();
    r.activity_column = None;
    r.origin = None;
    let p = import::preview(&ws, &r).unwrap();
    assert!(p.new_map);
    assert_eq!(p.format, ImportFormat::Markdown);
    import::import(&ws, &r, None).unwrap();
    let text = repo.read("scope/tracking-mvp.md");
    assert!(
        text.contains("## Inbox\n\n- [ ] Order page ^c-003\n  - activity: Track\n- [ ] Emails ^c-004\n  - activity: Track\n  - revisit-by: 2027-03-01\n"),
        "{text}"
    );
}

/// A field the board reasons with is checked as `cairn card add` checks it, and the error
/// names the line of the text.
#[test]
fn a_bad_field_value_names_its_line_and_writes_nothing() {
    let (repo, ws) = setup();
    let r = request("- A\n- B\n  - revisit-by: next spring\n");
    let e = import::import(&ws, &r, None).unwrap_err();
    assert!(matches!(e, Error::Import { line: 2, .. }), "{e:?}");
    assert!(e.to_string().starts_with("jira.csv:2: import:"), "{e}");
    assert_eq!(repo.read("scope/checkout.md"), MAP);
}

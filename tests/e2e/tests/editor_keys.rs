//! Keys typed in the editor reach the file: a line ended with Enter and saved at once with
//! Ctrl+S is saved whole. (WebDriver's "\n" character is not the Enter key in WebKitGTK and
//! inserts nothing, so these tests press the Enter key itself.)

#![allow(clippy::unwrap_used, clippy::expect_used)]

use cairn_e2e::{demo_copy, keys, App};

#[test]
fn enter_then_ctrl_s_at_once_saves_the_new_line() {
    let home = tempfile::tempdir().unwrap();
    let ws = demo_copy(home.path(), &[]);
    let file = ws.join("decisions/0006-use-postgresql-as-the-primary-store.md");
    let before = std::fs::read_to_string(&file).unwrap();
    let app = App::start(home.path(), ws.clone());
    let s = &app.session;
    s.click_css("[data-file='0006-use-postgresql-as-the-primary-store.md']");
    // Edit only once 0006 is on screen: its page arriving after Edit was pressed on the
    // decision shown before would close the editor again.
    s.wait_text(
        "[data-testid=decision-html] h1",
        "Use PostgreSQL as the primary store",
    );
    s.click_css("[data-testid=edit]");
    let editor = s.wait(".cm-content");
    s.caret_to_end(&editor);
    s.type_into(
        &editor,
        &format!("First line.{}Second line.{}", keys::ENTER, keys::ENTER),
    );
    s.type_into(&editor, &format!("{}s{}", keys::CONTROL, keys::NULL));
    s.wait_until("the save to land", || {
        std::fs::read_to_string(&file)
            .ok()
            .filter(|t| t.contains("Second line."))
            .map(|_| ())
    });
    let after = std::fs::read_to_string(&file).unwrap();
    assert_eq!(after, format!("{before}First line.\nSecond line.\n"));
}

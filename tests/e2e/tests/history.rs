//! The history panel and the Sync button in the real window: edit and save a decision, open
//! its history (Ctrl+H), see its versions and the diff lines of the edit, follow a commit
//! made outside the app; sync against a real bare `file://` remote where a teammate's clone
//! pushes a change (it appears in the app and in search), push a change of the app's, and
//! meet a conflict (named, nothing changed on disk) and an unreachable remote.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use cairn_e2e::{demo_copy, git, keys, App, Session};

/// One app at a time: each test starts its own Xvfb, driver and window, and two at once on
/// two cores make both slow and racy.
static ONE_APP: Mutex<()> = Mutex::new(());

fn one_at_a_time() -> MutexGuard<'static, ()> {
    ONE_APP.lock().unwrap_or_else(|p| p.into_inner())
}

const STRIPE: &str = "0007-take-card-payments-with-stripe.md";

fn press_ctrl(s: &Session, key: &str) {
    let body = s.wait("body");
    s.type_into(&body, &format!("{}{key}{}", keys::CONTROL, keys::NULL));
}

/// Waits until the element `css` exists and its text contains `needle`; returns the text.
fn wait_dom_text(s: &Session, css: &str, needle: &str) -> String {
    s.wait_until(&format!("{css} to contain {needle:?}"), || {
        s.dom_text(css).filter(|t| t.contains(needle))
    })
}

/// The diff lines on screen as (kind, text).
fn diff_lines(s: &Session) -> Vec<(String, String)> {
    let v = s.exec(
        "return [...document.querySelectorAll('[data-testid=diff-line]')]\
         .map(r => [r.dataset.kind, r.querySelector('.text').textContent])",
    );
    v.as_array()
        .map(|rows| {
            rows.iter()
                .map(|r| {
                    (
                        r[0].as_str().unwrap_or_default().to_string(),
                        r[1].as_str().unwrap_or_default().to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The version rows' text (through the DOM: WebKitWebDriver's element text proved unreliable
/// for these multi-line buttons).
fn versions(s: &Session) -> Vec<String> {
    let v = s.exec(
        "return [...document.querySelectorAll('[data-testid=history-version]')]\
         .map(e => e.innerText.replace(/\\s+/g, ' '))",
    );
    v.as_array()
        .map(|a| {
            a.iter()
                .map(|t| t.as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

fn last_subject(ws: &Path) -> String {
    git(ws, &["log", "-1", "--format=%s"]).trim().to_string()
}

#[test]
fn the_history_panel_shows_versions_and_the_diff_of_an_edit() {
    let _one = one_at_a_time();
    let home = tempfile::tempdir().unwrap();
    let ws = demo_copy(home.path(), &[]);
    let app = App::start(home.path(), ws.clone());
    let s = &app.session;
    let file = ws.join("decisions").join(STRIPE);

    s.wait_text(
        "[data-testid=decision-list]",
        "Take card payments with Stripe",
    );
    s.click_css(&format!("[data-file='{STRIPE}']"));
    s.wait_text(
        "[data-testid=decision-html] h1",
        "Take card payments with Stripe",
    );

    // 1. Edit and save (one commit).
    s.click_css("[data-testid=edit]");
    let editor = s.wait(".cm-content");
    s.caret_to_end(&editor);
    s.type_into(&editor, "\nRevisit if Stripe's fees rise above 2.5%.\n");
    s.wait_text("[data-testid=preview]", "fees rise above 2.5%");
    s.type_into(&editor, &format!("{}s{}", keys::CONTROL, keys::NULL));
    s.wait_until("the edit commit", || {
        (last_subject(&ws) == "ADR 0007: edit").then_some(())
    });
    s.click_css("[data-testid=close-editor]");
    s.wait("[data-testid=history-button]");

    // 2. Ctrl+H opens the history: created, last changed, two versions, newest first and
    // shown, with the edit's lines as added and the lines around it as context.
    press_ctrl(s, "h");
    s.wait("[data-testid=history]");
    s.wait_until("two versions", || (versions(s).len() == 2).then_some(()));
    let v = versions(s);
    assert!(v[0].contains("ADR 0007: edit"), "{v:?}");
    assert!(v[1].contains("Demo workspace"), "{v:?}");
    assert!(v.iter().all(|t| t.contains("Cairn E2E")), "authors: {v:?}");
    let head = git(&ws, &["rev-parse", "HEAD"]);
    assert!(v[0].contains(&head[..7]), "short commit id: {v:?}");
    wait_dom_text(s, "[data-testid=history-created]", "Cairn E2E");
    wait_dom_text(s, "[data-testid=history-last-changed]", "Cairn E2E");
    let lines = s.wait_until("the diff of the edit", || {
        let l = diff_lines(s);
        l.iter()
            .any(|(k, t)| k == "added" && t == "Revisit if Stripe's fees rise above 2.5%.")
            .then_some(l)
    });
    assert!(
        lines.iter().all(|(k, _)| k != "removed"),
        "nothing was removed: {lines:?}"
    );
    assert!(
        lines.iter().any(|(k, t)| k == "context"
            && t.contains("we should look at bank-transfer matching as well")),
        "context around the edit: {lines:?}"
    );
    assert!(
        lines.len() < 12,
        "only the hunk, not the whole file: {lines:?}"
    );

    // 3. The first version: the creation, every line added.
    let older = s.find_all("[data-testid=history-version]")[1].clone();
    s.click(&older);
    s.wait_until("the creation's diff", || {
        let l = diff_lines(s);
        (l.len() > 40
            && l.iter().all(|(k, _)| k == "added")
            && l.iter()
                .any(|(_, t)| t == "# Take card payments with Stripe"))
        .then_some(())
    });

    // 4. HEAD moves outside the app (a commit in a terminal): the open panel follows, and as
    // the newest version was shown, it shows the new newest one.
    let newest = s.find_all("[data-testid=history-version]")[0].clone();
    s.click(&newest);
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replace("status: accepted", "status: deprecated"),
    )
    .unwrap();
    git(&ws, &["commit", "-qam", "Deprecate Stripe from a terminal"]);
    s.wait_until("the outside commit in the panel", || {
        let v = versions(s);
        (v.len() == 3 && v[0].contains("Deprecate Stripe from a terminal")).then_some(())
    });
    let lines = s.wait_until("the outside commit's diff", || {
        let l = diff_lines(s);
        l.iter()
            .any(|(k, t)| k == "added" && t == "status: deprecated")
            .then_some(l)
    });
    assert!(lines
        .iter()
        .any(|(k, t)| k == "removed" && t == "status: accepted"));
    s.shot("history-panel");

    // 5. Any two versions: the newest against the creation holds both changes.
    s.exec(
        "const sel = document.querySelector('[data-testid=history-base]');\
         sel.value = sel.options[sel.options.length - 1].value;\
         sel.dispatchEvent(new Event('change', { bubbles: true }));\
         return true;",
    );
    s.wait_until("the diff across two versions", || {
        let l = diff_lines(s);
        (l.iter()
            .any(|(k, t)| k == "added" && t == "status: deprecated")
            && l.iter().any(|(k, t)| k == "added" && t.contains("2.5%")))
        .then_some(())
    });
    wait_dom_text(s, "[data-testid=history-diff-stats]", "Changes from");

    // 6. Escape closes the panel; the decision is shown again.
    let body = s.wait("body");
    s.type_into(&body, keys::ESCAPE);
    s.wait_until("the panel to close", || {
        s.find_all("[data-testid=history]").is_empty().then_some(())
    });
    s.wait("[data-testid=decision-html]");
}

const TEAM_DECISION: &str = "---\nstatus: proposed\ndate: 2026-01-30\ntags: [ops]\n---\n\
# Ship behind feature flags\n\nNew screens reach a tenth of users first; the flag decides.\n";

#[test]
fn sync_pulls_pushes_and_stops_at_a_conflict_without_changing_anything() {
    let _one = one_at_a_time();
    let home = tempfile::tempdir().unwrap();
    let ws = demo_copy(home.path(), &[]);

    // A bare remote on this machine, the workspace published to it, a teammate's clone.
    let remote = home.path().join("remote.git");
    git(home.path(), &["init", "-q", "--bare", "remote.git"]);
    let url = format!("file://{}", remote.display());
    let branch = git(&ws, &["rev-parse", "--abbrev-ref", "HEAD"])
        .trim()
        .to_string();
    git(&ws, &["remote", "add", "origin", &url]);
    git(&ws, &["push", "-q", "-u", "origin", &branch]);
    git(home.path(), &["clone", "-q", &url, "teammate"]);
    let mate = home.path().join("teammate");
    git(&mate, &["config", "user.name", "Teammate"]);
    git(&mate, &["config", "user.email", "mate@cairn.invalid"]);

    let app = App::start(home.path(), ws.clone());
    let s = &app.session;
    s.wait_text(
        "[data-testid=decision-list]",
        "Take card payments with Stripe",
    );
    s.wait_indexed();
    wait_dom_text(s, "[data-testid=sync-status]", "Up to date");

    // 1. The teammate adds a decision and pushes; Sync brings it into the list and search.
    std::fs::write(
        mate.join("decisions/0013-ship-behind-feature-flags.md"),
        TEAM_DECISION,
    )
    .unwrap();
    git(&mate, &["add", "-A"]);
    git(&mate, &["commit", "-qm", "ADR 0013: new"]);
    git(&mate, &["push", "-q"]);
    s.click_css("[data-testid=sync]");
    wait_dom_text(s, "[data-testid=sync-last]", "pulled 1 changed file");
    s.wait_text("[data-testid=decision-list]", "Ship behind feature flags");
    assert!(ws
        .join("decisions/0013-ship-behind-feature-flags.md")
        .exists());
    assert_eq!(last_subject(&ws), "ADR 0013: new");
    press_ctrl(s, "k");
    let input = s.wait("[data-testid=search-input]");
    s.type_into(&input, "feature flags");
    s.wait("[data-testid=search-hit][data-file='0013-ship-behind-feature-flags.md']");
    s.type_into(&input, keys::ESCAPE);

    // 2. A change made in the app (accept 0012) is one commit ahead, and Sync pushes it.
    s.click_css("[data-file='0012-deploy-to-a-single-managed-container-host.md']");
    s.wait_text("[data-testid=view-status]", "proposed");
    s.click_css("[data-testid=accept]");
    s.wait_text("[data-testid=view-status]", "accepted");
    wait_dom_text(s, "[data-testid=sync-status]", "↑1");
    s.click_css("[data-testid=sync]");
    wait_dom_text(s, "[data-testid=sync-last]", "pushed 1 commit");
    wait_dom_text(s, "[data-testid=sync-status]", "Up to date");
    assert_eq!(
        git(&remote, &["log", "-1", "--format=%s", &branch]).trim(),
        "ADR 0012: status proposed → accepted"
    );

    // 3. A conflict: both sides change the same line of 0007. Sync stops, names the file,
    // and leaves the file, the commits and the working tree as they were.
    git(&mate, &["pull", "-q"]);
    let mate_file = mate.join("decisions").join(STRIPE);
    let text = std::fs::read_to_string(&mate_file).unwrap();
    std::fs::write(
        &mate_file,
        text.replace("revisit-when:\n", "revisit-when: fees above 2%\n"),
    )
    .unwrap();
    git(&mate, &["commit", "-qam", "ADR 0007: revisit on fees"]);
    git(&mate, &["push", "-q"]);
    let file = ws.join("decisions").join(STRIPE);
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replace(
            "revisit-when:\n",
            "revisit-when: a third of invoices by bank transfer\n",
        ),
    )
    .unwrap();
    git(&ws, &["commit", "-qam", "ADR 0007: revisit on transfers"]);
    let before = std::fs::read(&file).unwrap();
    let head = git(&ws, &["rev-parse", "HEAD"]);
    wait_dom_text(s, "[data-testid=sync-status]", "↑1");
    s.click_css("[data-testid=sync]");
    let message = wait_dom_text(
        s,
        "[data-testid=sync-message][data-kind=sync-conflict]",
        &format!("decisions/{STRIPE}"),
    );
    assert!(message.contains("nothing was changed"), "{message}");
    s.shot("sync-conflict");
    assert_eq!(
        std::fs::read(&file).unwrap(),
        before,
        "the file is unchanged"
    );
    assert_eq!(git(&ws, &["rev-parse", "HEAD"]), head, "no commit moved");
    assert_eq!(git(&ws, &["status", "--porcelain"]).trim(), "", "clean");
    s.click_css("[data-testid=sync-dismiss]");

    // 4. An unreachable remote: a clear error, nothing lost.
    git(
        &ws,
        &[
            "remote",
            "set-url",
            "origin",
            "file:///nonexistent/cairn.git",
        ],
    );
    s.click_css("[data-testid=sync]");
    let message = wait_dom_text(
        s,
        "[data-testid=sync-message][data-kind=remote]",
        "nothing was changed locally",
    );
    assert!(message.contains("origin"), "{message}");
    assert_eq!(git(&ws, &["rev-parse", "HEAD"]), head);

    // 5. No upstream at all: the error says how to set one.
    git(&ws, &["branch", "--unset-upstream"]);
    s.click_css("[data-testid=sync]");
    wait_dom_text(
        s,
        "[data-testid=sync-message][data-kind=no-upstream]",
        "git push -u",
    );
    wait_dom_text(s, "[data-testid=sync-status]", "No remote");
}

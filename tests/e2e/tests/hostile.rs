//! A hostile workspace in the real window: a decision and a scope-map card whose links try to
//! take the window somewhere else (a web site, `data:`, `file:`, `javascript:`, a `data:`
//! hidden behind a control character), and navigations forced from script as if something
//! had slipped past the sanitiser. The window stays on the app's own page, the app still
//! answers, the JavaScript prototypes are frozen and no payload runs.
//! (`CAIRN_SCREENSHOTS=dir` saves a screenshot of the hostile decision as shown.)

#![allow(clippy::unwrap_used, clippy::expect_used)]

use cairn_e2e::hostile::{DECISION, MAP};
use cairn_e2e::{demo_copy, git, App};

/// The app's own page, still in place: the marker set at the start survives only while no
/// navigation replaced the document.
fn assert_still_home(app: &App, home_url: &str, after: &str) {
    let s = &app.session;
    let state = s.exec(
        "return {url: location.href, marker: window.__cairnMarker ?? null, \
         pwned: window.__pwned === undefined ? null : String(window.__pwned), \
         app: document.querySelector('[data-testid=decision-list]') !== null \
            || document.querySelector('[data-testid=board]') !== null}",
    );
    assert_eq!(
        state["url"], home_url,
        "the window left the app after {after}"
    );
    assert_eq!(state["marker"], 42, "the page was replaced after {after}");
    assert!(
        state["pwned"].is_null(),
        "a payload ran after {after}: {state}"
    );
    assert_eq!(state["app"], true, "the app is gone after {after}: {state}");
}

#[test]
fn a_hostile_workspace_cannot_take_the_window_away() {
    let home = tempfile::tempdir().unwrap();
    let ws = demo_copy(home.path(), &[("0099-hostile-links.md", DECISION)]);
    std::fs::write(ws.join("scope/hostile.md"), MAP).unwrap();
    git(&ws, &["add", "-A"]);
    git(&ws, &["commit", "-qm", "Hostile map"]);
    let app = App::start(home.path(), ws);
    let s = &app.session;

    s.wait_text("[data-testid=decision-list]", "Hostile links");
    let home_url = s
        .exec("window.__cairnMarker = 42; return location.href")
        .as_str()
        .unwrap()
        .to_string();
    assert!(home_url.starts_with("tauri://localhost"), "{home_url}");

    // The built-in prototypes are frozen, and the UI works with them frozen.
    assert_eq!(
        s.exec(
            "return [Object.prototype, Array.prototype, Function.prototype, String.prototype, \
             Promise.prototype].every(p => Object.isFrozen(p))"
        ),
        true
    );
    assert_eq!(
        s.exec("try { ({}).__proto__.polluted = 1 } catch (e) {} return ({}).polluted ?? null"),
        serde_json::Value::Null
    );

    // 1. The decision as shown: what survived the sanitiser is an in-app, web or mail link.
    s.click_css("[data-file='0099-hostile-links.md']");
    s.wait_text("[data-testid=decision-html]", "Plain text survives.");
    let hrefs = s.exec(
        "return Array.from(document.querySelectorAll('[data-testid=decision-html] a[href]'), a => a.href)",
    );
    for href in hrefs.as_array().unwrap() {
        let href = href.as_str().unwrap();
        assert!(
            href.starts_with("https://")
                || href.starts_with("tauri://localhost/#")
                || (href.starts_with("mailto:") && !href.contains('?')),
            "{href} survived the sanitiser"
        );
    }
    let inputs = s.exec(
        "return Array.from(document.querySelectorAll('[data-testid=decision-html] input'), \
         i => i.type + (i.disabled ? ':disabled' : ''))",
    );
    // The text field became a disabled checkbox, like the task list's own box.
    assert_eq!(
        inputs,
        serde_json::json!(["checkbox:disabled", "checkbox:disabled"])
    );
    // A link whose target the sanitiser dropped reads as the text it now is, not as a link.
    assert_eq!(
        s.exec(
            "const dead = [...document.querySelectorAll('[data-testid=decision-html] a:not([href])')]; \
             return dead.length > 0 && dead.every(a => \
               getComputedStyle(a).color === getComputedStyle(a.parentElement).color)"
        ),
        true
    );
    if let Some(dir) = std::env::var_os("CAIRN_SCREENSHOTS").map(std::path::PathBuf::from) {
        std::fs::create_dir_all(&dir).unwrap();
        s.screenshot(&dir.join("hostile-decision.png")).unwrap();
    }
    for link in s.find_all("[data-testid=decision-html] a") {
        s.click(&link);
    }
    assert_still_home(&app, &home_url, "the decision's links");

    // 2. Navigations forced from script, as if a link had slipped past the sanitiser and the
    // UI's click handler: the shell's navigation guard cancels every one.
    for url in [
        "https://example.com/",
        "data:text/html,<script>window.top.__pwned='nav-data'</script>",
        "file:///etc/passwd",
        "javascript:window.__pwned='nav-js'",
        "\u{1}data:text/html,<script>window.top.__pwned='nav-c0'</script>",
    ] {
        s.exec(&format!(
            "const a = document.createElement('a'); a.href = {url:?}; a.id = 'forced'; \
             document.body.append(a); a.click(); a.remove(); return true"
        ));
        s.exec(&format!("location.assign({url:?}); return true"));
        assert_still_home(&app, &home_url, url);
    }

    // 3. The workshop outcome's links behave as the decision view's.
    s.click_css("[data-testid=screen-board]");
    s.click_css("[data-testid=workshop-start]");
    s.click_css("[data-testid=workshop-end]");
    s.wait_text("[data-testid=workshop-outcome-html]", "Read");
    let links = s.find_all("[data-testid=workshop-outcome-html] a");
    assert!(links.len() >= 2, "the card's web links are shown as links");
    for link in links {
        s.click(&link);
    }
    assert_still_home(&app, &home_url, "the workshop outcome's links");
    s.click_css("[data-testid=workshop-done]");

    // After all that, the app still works: open a decision from the log.
    s.click_css("[data-testid=screen-decisions]");
    s.click_css("[data-file='0007-take-card-payments-with-stripe.md']");
    s.wait_text(
        "[data-testid=decision-html] h1",
        "Take card payments with Stripe",
    );
    assert_still_home(&app, &home_url, "everything");
    assert_eq!(s.alert_text(), None, "no alert");
}

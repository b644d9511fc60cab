//! Mermaid diagrams in the real window: a ```mermaid block is drawn as SVG in the decision
//! view and in the editor's preview, a broken one keeps its source and shows Mermaid's error,
//! and diagrams built from Mermaid's known XSS classes (click and callback directives,
//! `javascript:` links, HTML and KaTeX in labels, an `init` directive that tries to lower the
//! security level or turn HTML labels on) run nothing.
//! (`CAIRN_SCREENSHOTS=dir` saves `diagram.png` and `diagram-error.png`.)

#![allow(clippy::unwrap_used, clippy::expect_used)]

use cairn_e2e::diagrams::{BROKEN, DIAGRAM, HOSTILE};
use cairn_e2e::{demo_copy, keys, App};

/// The state of the diagram blocks under `root`: how many, and each one's `data-diagram`.
fn states(app: &App, root: &str) -> Vec<String> {
    let v = app.session.exec(&format!(
        "return Array.from(document.querySelectorAll('{root} pre.mermaid'), p => p.dataset.diagram ?? '')"
    ));
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

fn wait_settled(app: &App, root: &str, count: usize) -> Vec<String> {
    app.session
        .wait_until("the diagrams to be drawn or refused", || {
            let st = states(app, root);
            (st.len() == count && st.iter().all(|s| s == "drawn" || s == "error")).then_some(st)
        })
}

fn assert_nothing_ran(app: &App, after: &str) {
    let s = &app.session;
    s.wait_until("the images to load or fail", || {
        (s.exec("return Array.from(document.images).every(i => i.complete)") == true).then_some(())
    });
    assert_eq!(s.alert_text(), None, "an alert opened after {after}");
    let pwned = s.exec("return window.__pwned === undefined ? null : String(window.__pwned)");
    assert!(pwned.is_null(), "a payload ran after {after}: {pwned}");
    let leftovers = s.exec(
        "return Array.from(document.querySelectorAll('.doc script, .doc iframe, .doc img[onerror], \
         .doc [onmouseover], .doc [onclick], .doc a[href^=javascript], .doc a[*|href^=javascript], \
         .doc foreignObject img'), e => e.outerHTML)",
    );
    assert_eq!(leftovers, serde_json::json!([]), "after {after}");
    assert_eq!(
        s.exec("return getComputedStyle(document.body).display"),
        "block",
        "a diagram's CSS reached the page after {after}"
    );
}

#[test]
fn diagrams_are_drawn_broken_ones_explained_hostile_ones_inert() {
    let home = tempfile::tempdir().unwrap();
    let ws = demo_copy(
        home.path(),
        &[
            ("0090-route-payments-through-one-gateway.md", DIAGRAM),
            ("0091-a-diagram-with-a-typo.md", BROKEN),
            ("0092-hostile-diagrams.md", HOSTILE),
        ],
    );
    let app = App::start(home.path(), ws);
    let s = &app.session;
    s.wait_text("[data-testid=decision-list]", "Route payments");

    // 1. Drawn in the view: two SVGs with the diagram's words, in place of their source.
    s.click_css("[data-file='0090-route-payments-through-one-gateway.md']");
    s.wait_text("[data-testid=decision-html]", "single record of money");
    let view = "[data-testid=decision-html]";
    assert_eq!(
        wait_settled(&app, view, 2),
        ["drawn", "drawn"],
        "{}",
        s.text(&s.wait(view))
    );
    let drawn = s.exec(&format!(
        "const svgs = document.querySelectorAll('{view} pre.mermaid svg'); \
         return {{count: svgs.length, text: Array.from(svgs, s => s.textContent).join(' '), \
         sized: Array.from(svgs).every(s => s.getBoundingClientRect().width > 100 \
                                            && s.getBoundingClientRect().height > 50), \
         styled: getComputedStyle(svgs[0].querySelector('.node rect, .node polygon')).fill}}"
    ));
    assert_eq!(drawn["count"], 2, "{drawn}");
    assert_eq!(drawn["sized"], true, "{drawn}");
    // The drawing's own <style> applies under the app's CSP: shapes are not SVG's default
    // black.
    assert_ne!(drawn["styled"], "rgb(0, 0, 0)", "{drawn}");
    let text = drawn["text"].as_str().unwrap();
    for word in [
        "Checkout page",
        "Payment gateway",
        "Ledger",
        "charge(order)",
    ] {
        assert!(text.contains(word), "{word} in {text}");
    }
    s.shot("diagram");

    // 2. Drawn in the editor's preview too, and again after an edit.
    s.click_css("[data-testid=edit]");
    let preview = "[data-testid=preview]";
    s.wait_text(preview, "single record of money");
    assert_eq!(wait_settled(&app, preview, 2), ["drawn", "drawn"]);
    let editor = s.wait(".cm-content");
    s.caret_to_end(&editor);
    s.type_into(
        &editor,
        &format!(
            "{ENTER}```mermaid{ENTER}flowchart LR{ENTER}  Refund --> Ledger{ENTER}```{ENTER}",
            ENTER = keys::ENTER
        ),
    );
    s.wait_until("the new diagram in the preview", || {
        let st = states(&app, preview);
        let text = s.exec(&format!(
            "return Array.from(document.querySelectorAll('{preview} pre.mermaid svg'), s => s.textContent).join(' ')"
        ));
        (st == ["drawn", "drawn", "drawn"] && text.as_str().unwrap().contains("Refund")).then_some(())
    });
    s.shot("diagram-editor");
    // Saved, so that closing the editor does not ask to discard the edit.
    s.click_css("[data-testid=save]");
    s.wait_until("the save", || {
        (!s.text(&s.wait(".editing")).ends_with('•')).then_some(())
    });
    s.click_css("[data-testid=close-editor]");
    s.wait_until("the view with the saved diagram", || {
        (states(&app, view) == ["drawn", "drawn", "drawn"]).then_some(())
    });

    // 3. A broken diagram keeps its source and says why.
    s.click_css("[data-file='0091-a-diagram-with-a-typo.md']");
    s.wait_text(view, "Text after the diagram.");
    assert_eq!(wait_settled(&app, view, 1), ["error"]);
    let block = s.wait_text(&format!("{view} pre.mermaid"), "Diagram not drawn");
    assert!(
        block.contains("this is not mermaid (("),
        "source shown: {block}"
    );
    assert!(
        block.to_lowercase().contains("parse error") || block.contains("Expecting"),
        "Mermaid's message shown: {block}"
    );
    assert!(s.find_all(&format!("{view} pre.mermaid svg")).is_empty());
    s.shot("diagram-error");

    // 4. Hostile diagrams: drawn or refused, none runs anything, even when clicked.
    s.click_css("[data-file='0092-hostile-diagrams.md']");
    s.wait_text(view, "Plain text survives.");
    let st = wait_settled(&app, view, 4);
    assert_eq!(st[0], "drawn", "the first is valid Mermaid: {st:?}");
    assert_eq!(
        st[1], "drawn",
        "the init directive does not stop it: {st:?}"
    );
    // SVG elements have no click(): a real click event, as a pointer sends, on every node
    // and link of the drawings.
    let clicked = s.exec(&format!(
        "const els = document.querySelectorAll('{view} pre.mermaid svg .node, {view} pre.mermaid svg a, \
         {view} pre.mermaid svg .actor, {view} pre.mermaid svg text'); \
         els.forEach(e => e.dispatchEvent(new MouseEvent('click', {{bubbles: true, cancelable: true}}))); \
         return els.length"
    ));
    assert!(clicked.as_u64().unwrap() >= 4, "{clicked}");
    assert_nothing_ran(&app, "the hostile diagrams in the view");
    // The init directive did not turn HTML labels on: labels are SVG text.
    assert_eq!(
        s.exec(&format!(
            "return document.querySelectorAll('{view} pre.mermaid foreignObject').length"
        )),
        0
    );
    s.click_css("[data-testid=edit]");
    s.wait_text(preview, "Plain text survives.");
    wait_settled(&app, preview, 4);
    assert_nothing_ran(&app, "the hostile diagrams in the preview");
    assert!(s
        .exec("return location.href")
        .as_str()
        .unwrap()
        .starts_with("tauri://localhost"));
}

/// With a dark system theme the diagram is drawn in Mermaid's dark theme: its labels are light
/// on the page's dark background (`CAIRN_SCREENSHOTS=dir` saves `diagram-dark.png`).
#[test]
fn diagrams_follow_the_dark_theme() {
    let home = tempfile::tempdir().unwrap();
    let ws = demo_copy(
        home.path(),
        &[("0090-route-payments-through-one-gateway.md", DIAGRAM)],
    );
    let app = App::start_with_env(home.path(), ws, &[("GTK_THEME", "Adwaita:dark")]);
    let s = &app.session;
    s.click_css("[data-file='0090-route-payments-through-one-gateway.md']");
    let view = "[data-testid=decision-html]";
    assert_eq!(wait_settled(&app, view, 2), ["drawn", "drawn"]);
    // The label's colour, as "rgb(r, g, b)": light means each channel above the middle.
    let fill = s.exec(&format!(
        "const t = document.querySelector('{view} pre.mermaid svg .nodeLabel, {view} pre.mermaid svg .label text, \
         {view} pre.mermaid svg text'); return getComputedStyle(t).fill + ' ' + getComputedStyle(t).color"
    ));
    let fill = fill.as_str().unwrap();
    let rgb: Vec<u32> = fill
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .take(3)
        .map(|p| p.parse().unwrap())
        .collect();
    assert!(rgb.iter().all(|&c| c > 128), "light labels: {fill}");
    s.shot("diagram-dark");
}

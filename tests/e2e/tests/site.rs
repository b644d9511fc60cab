//! The static site `cairn site` writes, opened from `file://` in headless Chromium: the
//! log's filters and sorting, search as you type (words, prefixes, phrases, filters) with the
//! keyboard, links between decision pages and from the graph, and a hostile decision whose
//! payloads must not run.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

use cairn_e2e::browser::Browser;
use cairn_e2e::{app_binary, demo_copy, keys, App, Session};

/// A decision built to attack the page: script in the title, tags and body, event handlers,
/// `javascript:` and control-character `data:` links, an SVG with script.
const HOSTILE: &str = "---\n\
title: \"<script>window.__pwned = 'title'</script> Hostile record\"\n\
status: proposed\n\
date: 2026-01-05\n\
tags: [\"\\\"><img src=x onerror=window.__pwned='tag'>\"]\n\
---\n\n\
# <img src=x onerror=\"window.__pwned='h1'\"> Hostile record\n\n\
<script>window.__pwned = 'body'</script>\n\n\
<img src=x onerror=\"window.__pwned='img'\">\n\n\
[click](javascript:window.__pwned='link') and [data](\u{1}data:text/html,<script>parent.__pwned='data'</script>)\n\n\
<svg><script>window.__pwned='svg'</script></svg>\n\n\
<a href=\"#\" onclick=\"window.__pwned='click'\">anchor</a> the zebrafish keyword.\n";

fn cairn() -> PathBuf {
    app_binary().with_file_name("cairn")
}

/// The demo workspace (with the hostile records when `hostile`), committed, published into
/// `out`.
fn build_site(home: &Path, hostile: bool) -> PathBuf {
    let extra = [
        ("0013-hostile.md", HOSTILE),
        ("0099-hostile-links.md", cairn_e2e::hostile::DECISION),
    ];
    let ws = demo_copy(home, if hostile { &extra[..] } else { &[] });
    if hostile {
        std::fs::write(ws.join("scope/hostile.md"), cairn_e2e::hostile::MAP).unwrap();
    }
    publish(home, &ws)
}

/// `cairn site` run in `ws`, into `home/site`, with no Mermaid bundle: diagrams stay source.
fn publish(home: &Path, ws: &Path) -> PathBuf {
    publish_with(home, ws, Path::new(""))
}

/// [`publish`] with `mermaid` as the Mermaid bundle (`CAIRN_MERMAID_JS`; empty for none).
fn publish_with(home: &Path, ws: &Path, mermaid: &Path) -> PathBuf {
    let out = home.join("site");
    let status = Command::new(cairn())
        .args(["site", "-o"])
        .arg(&out)
        .current_dir(ws)
        .env("CAIRN_MERMAID_JS", mermaid)
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .status()
        .expect("cairn runs");
    assert!(status.success(), "cairn site failed");
    out
}

fn url(out: &Path, page: &str) -> String {
    format!("file://{}/{page}", out.display())
}

fn visible_rows(s: &Session) -> Vec<String> {
    s.exec("return Array.from(document.querySelectorAll('#log tbody tr')).filter(r => !r.hidden).map(r => r.dataset.status)")
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

/// Types `query` into the search box and waits for the results of exactly that query.
fn search(s: &Session, query: &str) -> Vec<String> {
    let input = s.wait("#q");
    s.exec("const q = document.getElementById('q'); q.value = ''; delete document.body.dataset.searchQuery; return 1");
    s.type_into(&input, query);
    s.wait_until(&format!("results for {query:?}"), || {
        (s.exec("return document.body.dataset.searchQuery || ''") == query).then_some(())
    });
    s.exec("return Array.from(document.querySelectorAll('#results .hit')).map(a => a.getAttribute('href'))")
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn the_site_filters_searches_and_links_from_file_urls() {
    let home = tempfile::tempdir().unwrap();
    let out = build_site(home.path(), false);
    let b = Browser::start();
    let s = &b.session;
    s.goto(&url(&out, "index.html"));
    s.wait("#filters:not([hidden])");
    assert_eq!(visible_rows(s).len(), 12);
    s.click_css("#filters button[data-status=accepted]");
    let rows = visible_rows(s);
    assert!(
        !rows.is_empty() && rows.iter().all(|r| r == "accepted"),
        "{rows:?}"
    );
    s.wait_text("#log-count", "Showing 7 of 12");
    s.click_css("#filters button[data-status=accepted]");
    s.exec("const t = document.getElementById('tag-filter'); t.value = 'payments'; t.dispatchEvent(new Event('change')); return 1");
    s.wait_text("#log-count", "Showing 2 of 12");
    s.exec("const t = document.getElementById('tag-filter'); t.value = ''; t.dispatchEvent(new Event('change')); return 1");
    s.click_css("#log th[data-sort=date] button");
    s.click_css("#log th[data-sort=date] button");
    let first = s.exec("return document.querySelector('#log tbody tr').dataset.date");
    assert_eq!(first, "2026-11-16", "sorted newest first");
    s.shot("site-log");

    // Search: a word, a prefix of the last word, a phrase, filters, nothing.
    assert!(search(s, "postgresql")[0].contains("0006-"));
    assert!(search(s, "postgr").iter().any(|h| h.contains("0006-")));
    let phrase = search(s, "\"modular monolith\"");
    assert!(phrase.iter().any(|h| h.contains("0005-")), "{phrase:?}");
    assert!(search(s, "\"monolith modular\"").is_empty());
    let superseded = search(s, "status:superseded");
    assert_eq!(superseded.len(), 2, "{superseded:?}");
    let tagged = search(s, "invoice tag:payments");
    assert!(
        !tagged.is_empty()
            && tagged
                .iter()
                .all(|h| h.contains("0007-") || h.contains("0010-")),
        "{tagged:?}"
    );
    assert!(search(s, "qqqxyzzy").is_empty());
    s.wait_text("#results .none", "No decision matches");
    search(s, "stripe");
    s.wait("#results .hit .s mark");
    s.shot("site-search");

    // The keyboard: `/` focuses the box, arrows choose, Enter opens.
    s.goto(&url(&out, "index.html"));
    s.wait("#filters:not([hidden])");
    s.chord(&[], &["/"]);
    assert_eq!(s.active_attr("id"), "q");
    s.press("postgresql");
    s.wait("#results .hit");
    s.press(keys::ARROW_DOWN);
    s.press(keys::ENTER);
    s.wait_until("the decision page", || {
        s.current_url().contains("0006-").then_some(())
    });

    // Links both ways: 0003 is superseded by 0009; 0009's page links back.
    s.goto(&url(&out, "d/0003-generate-pdfs-in-the-browser.html"));
    s.wait_text("aside.meta", "Linked from");
    s.click_css("aside.meta a[href^='0009-']");
    s.wait_until("0009's page", || {
        s.current_url().contains("0009-").then_some(())
    });
    s.wait_text("aside.meta", "History");
    s.shot("site-decision");

    // The graph: a node is a link to its page.
    s.goto(&url(&out, "graph.html"));
    let node = s.wait("svg a.node[href*='0007-']");
    s.pointer_click(&node);
    s.wait_until("0007's page from the graph", || {
        s.current_url().contains("0007-").then_some(())
    });
    s.goto(&url(&out, "graph.html"));
    s.wait("svg a.node");
    s.shot("site-graph");
    s.goto(&url(&out, "board.html"));
    s.wait(".card.due");
    s.shot("site-board");

    // Printing: the header, search and footer are left out; one decision and the whole log
    // each print to a PDF.
    s.goto(&url(&out, "d/0007-take-card-payments-with-stripe.html"));
    s.wait("aside.meta");
    let shown = "return ['header.top', 'footer', '#results', 'main', 'aside.meta'].map(q => \
                 { const e = document.querySelector(q); return e ? getComputedStyle(e).display : 'absent'; })";
    s.emulate_print(true);
    let print = s.exec(shown);
    s.emulate_print(false);
    assert_eq!(print[0], "none", "the header is printed: {print}");
    assert_eq!(print[1], "none", "the footer is printed: {print}");
    assert_eq!(print[2], "none", "the search results are printed: {print}");
    assert_ne!(print[3], "none", "{print}");
    assert_ne!(print[4], "none", "the metadata panel is left out: {print}");
    assert_ne!(s.exec(shown)[0], "none", "the header is hidden on screen");
    let pdf = s.print_pdf();
    assert!(pdf.starts_with(b"%PDF"), "a PDF");
    s.goto(&url(&out, "all.html"));
    s.wait(".print-record");
    let whole = s.print_pdf();
    assert!(
        whole.len() > pdf.len(),
        "the whole log prints to more pages than one decision"
    );
}

/// A Mermaid block on the site: its source, labelled as a diagram, with no script drawing it
/// (and none of its payloads running).
#[test]
fn a_diagram_shows_as_labelled_source_on_the_site() {
    let home = tempfile::tempdir().unwrap();
    let diagram = "---\nstatus: accepted\n---\n# Route payments through one gateway\n\n\
                   ```mermaid\nflowchart LR\n  Checkout --> Gateway{Payment gateway}\n  \
                   Gateway --> Stripe[\"<img src=x onerror=window.__pwned='label'>\"]\n  \
                   click Stripe \"javascript:window.__pwned='click'\"\n```\n\nAfter the diagram.\n";
    let ws = demo_copy(home.path(), &[("0090-route-payments.md", diagram)]);
    let out = publish(home.path(), &ws);
    let b = Browser::start();
    let s = &b.session;
    s.goto(&url(&out, "d/0090-route-payments.html"));
    let pre = s.wait_text(".body pre.mermaid", "Checkout --> Gateway{Payment gateway}");
    assert!(
        pre.contains("<img src=x onerror="),
        "the label as text: {pre}"
    );
    let label = s.exec(
        "return getComputedStyle(document.querySelector('.body pre.mermaid'), '::before').content",
    );
    assert_eq!(label, "\"Diagram (Mermaid source)\"");
    assert_eq!(
        s.exec("return document.querySelectorAll('.body svg, .body img').length"),
        0
    );
    assert_eq!(
        s.exec("return window.__pwned === undefined ? null : String(window.__pwned)"),
        serde_json::Value::Null
    );
    s.shot("site-diagram-source");
}

/// Mermaid's bundle from the UI's `npm ci` (what `make package` installs beside `cairn`).
fn mermaid_bundle() -> Option<PathBuf> {
    let p = cairn_e2e::repo_root().join("ui/node_modules/mermaid/dist/mermaid.min.js");
    if p.is_file() {
        return Some(p);
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "{} is missing: run npm ci in ui/",
        p.display()
    );
    eprintln!("skipped: {} is missing (npm ci in ui/)", p.display());
    None
}

/// With Mermaid's bundle the site draws diagrams as SVG in the reader's browser, under a CSP
/// that still allows scripts only from the site; a broken diagram keeps its source and says
/// why; and diagrams made of Mermaid's known XSS classes run nothing. Pages without a diagram
/// neither load the bundle nor allow inline styles.
#[test]
fn diagrams_are_drawn_on_the_site_and_hostile_ones_run_nothing() {
    let Some(bundle) = mermaid_bundle() else {
        return;
    };
    use cairn_e2e::diagrams::{BROKEN, DIAGRAM, HOSTILE};
    let home = tempfile::tempdir().unwrap();
    let ws = demo_copy(
        home.path(),
        &[
            ("0090-route-payments.md", DIAGRAM),
            ("0091-typo.md", BROKEN),
            ("0092-hostile-diagrams.md", HOSTILE),
        ],
    );
    let out = publish_with(home.path(), &ws, &bundle);
    let csp = |page: &str| {
        let html = std::fs::read_to_string(out.join(page)).unwrap();
        (
            html.contains("'unsafe-inline'"),
            html.contains("mermaid.min.js"),
        )
    };
    assert_eq!(csp("d/0090-route-payments.html"), (true, true));
    assert_eq!(
        csp("d/0007-take-card-payments-with-stripe.html"),
        (false, false)
    );
    assert_eq!(csp("index.html"), (false, false));

    let b = Browser::start();
    let s = &b.session;
    let states = || {
        s.exec("return Array.from(document.querySelectorAll('.body pre.mermaid'), p => p.dataset.diagram || '')")
    };
    s.goto(&url(&out, "d/0090-route-payments.html"));
    s.wait_until("both diagrams drawn", || {
        (states() == serde_json::json!(["drawn", "drawn"])).then_some(())
    });
    assert_eq!(
        s.exec("return document.querySelectorAll('.body pre.mermaid svg').length"),
        2
    );
    s.wait_text(".body pre.mermaid svg", "Payment gateway");
    s.shot("site-diagram");

    s.goto(&url(&out, "d/0091-typo.html"));
    s.wait_until("the typo refused", || {
        (states() == serde_json::json!(["error"])).then_some(())
    });
    s.wait_text(".body .diagram-error", "Diagram not drawn:");
    s.wait_text(".body pre.mermaid", "this is not mermaid");

    s.goto(&url(&out, "d/0092-hostile-diagrams.html"));
    s.wait_until("the hostile diagrams settled", || {
        let st = states();
        let all = st.as_array()?;
        (all.len() == 4 && all.iter().all(|v| v == "drawn" || v == "error")).then_some(())
    });
    s.wait_until("the images to load or fail", || {
        (s.exec("return Array.from(document.images).every(i => i.complete)") == true).then_some(())
    });
    assert_eq!(s.alert_text(), None);
    assert_eq!(
        s.exec("return window.__pwned === undefined ? null : String(window.__pwned)"),
        serde_json::Value::Null
    );
    assert_eq!(
        s.exec(
            "return Array.from(document.querySelectorAll('.body script, .body iframe, .body img[onerror], \
             .body [onmouseover], .body [onclick], .body a[href^=javascript], .body foreignObject img'), e => e.outerHTML)"
        ),
        serde_json::json!([])
    );
    assert_eq!(
        s.exec("return getComputedStyle(document.body).display"),
        "block"
    );
}

#[test]
fn a_hostile_decision_runs_nothing_on_the_site() {
    let home = tempfile::tempdir().unwrap();
    let out = build_site(home.path(), true);
    let b = Browser::start();
    let s = &b.session;
    for page in [
        "d/0013-hostile.html",
        "index.html",
        "all.html",
        "tags/index.html",
    ] {
        s.goto(&url(&out, page));
        s.wait("main");
        let pwned = s.exec("return window.__pwned || parent.__pwned || null");
        assert_eq!(pwned, serde_json::Value::Null, "a payload ran on {page}");
        assert!(s.alert_text().is_none());
        let scripts = s.exec("return Array.from(document.scripts).filter(x => !x.src.endsWith('assets/site.js') && !x.src.includes('/search/')).length");
        assert_eq!(
            scripts, 0,
            "a script element besides the site's own on {page}"
        );
        let handlers = s.exec("return Array.from(document.querySelectorAll('*')).filter(e => Array.from(e.attributes).some(a => a.name.startsWith('on'))).length");
        assert_eq!(handlers, 0, "an event handler attribute on {page}");
        let bad_links = s.exec("return Array.from(document.links).filter(a => !/^(file|https?|mailto):/.test(a.href)).map(a => a.href)");
        assert_eq!(
            bad_links,
            serde_json::json!([]),
            "a link of another scheme on {page}"
        );
    }
    // The app's hostile links: only the web and mail links survive, the mail link without
    // its query, and no text field; following every link leaves no payload run.
    s.goto(&url(&out, "d/0099-hostile-links.html"));
    let hrefs =
        s.exec("return Array.from(document.querySelectorAll('.body a[href]')).map(a => a.href)");
    assert_eq!(
        hrefs,
        serde_json::json!(["https://example.com/", "mailto:ops@example.com"])
    );
    let fields =
        "return document.querySelectorAll('.body input:not([type=checkbox][disabled])').length";
    assert_eq!(s.exec(fields), 0, "an input other than a disabled checkbox");
    // Searching for it shows its title as text, not markup.
    s.goto(&url(&out, "index.html"));
    assert!(search(s, "zebrafish")[0].contains("0013-"));
    let title = s.text(&s.wait("#results .hit .t"));
    assert!(
        title.contains("<script>"),
        "the title is shown as text: {title}"
    );
    assert_eq!(
        s.exec("return window.__pwned || null"),
        serde_json::Value::Null
    );
}

#[test]
fn the_desktop_app_publishes_the_site() {
    let home = tempfile::tempdir().unwrap();
    let ws = demo_copy(home.path(), &[]);
    let app = App::start(home.path(), ws);
    let s = &app.session;
    s.wait("[data-testid=decision-row]");
    s.click_css("[data-testid=workspace-button]");
    s.click_css("[data-testid=publish-site]");
    let toast = s.wait_text("[data-testid=toast]", "Site published");
    assert!(toast.contains("12 decisions"), "{toast}");
    let out = home.path().join("data/cairn/sites/workspace");
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(index.contains("Take card payments with Stripe"));
    assert!(out
        .join("d/0007-take-card-payments-with-stripe.html")
        .is_file());
}

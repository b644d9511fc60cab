//! `cairn site` and `cairn export` through the real binary: deterministic, incremental output
//! with a strict Content Security Policy on every page; an output folder that is not Cairn's
//! is refused and nothing outside it is touched; several workspaces (two real corpora) make
//! one site with one search; the export's JSON schema and Markdown document.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use cairn_testkit::TestRepo;
use common::{cairn, output};

fn demo() -> TestRepo {
    let repo = TestRepo::new();
    repo.add_demo();
    repo
}

/// Every file under `dir` with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    cairn_testkit::files_under(dir)
        .into_iter()
        .map(|p| {
            let rel = p.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
            let bytes = std::fs::read(&p).unwrap();
            (rel, bytes)
        })
        .collect()
}

/// What `cairn export --format FORMAT` prints, checking that it succeeded.
fn export(repo: &TestRepo, format: &str) -> String {
    let out = cairn(repo)
        .args(["export", "--format", format])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", common::stderr(&out));
    String::from_utf8(out.stdout).unwrap()
}

/// The number that follows `marker` in `text` (`cairn site`'s summary line).
fn number_after(text: &str, marker: &str) -> usize {
    let rest = text
        .split(marker)
        .nth(1)
        .unwrap_or_else(|| panic!("{marker:?} in {text}"));
    rest.split(' ').next().unwrap().parse().unwrap()
}

fn site(repo: &TestRepo, out: &Path) -> (bool, String, String) {
    output(repo, &["site", "-o", out.to_str().unwrap()])
}

#[test]
fn the_same_log_gives_the_same_bytes_and_a_rebuild_writes_only_what_changed() {
    let repo = demo();
    let out = repo.home().join("site");
    let (ok, stdout, err) = site(&repo, &out);
    assert!(ok, "{err}");
    assert!(stdout.contains("12 decisions"), "{stdout}");
    let first = snapshot(&out);
    for page in [
        "index.html",
        "graph.html",
        "board.html",
        "all.html",
        "feed.xml",
        "tags/index.html",
        "search/docs.js",
        "d/0007-take-card-payments-with-stripe.html",
    ] {
        assert!(first.contains_key(page), "{page} is missing");
    }
    // Again, into the same folder and into another: the same bytes, nothing rewritten.
    let (_, again, _) = site(&repo, &out);
    assert!(again.contains("0 changed, 0 removed"), "{again}");
    let other = repo.home().join("site2");
    site(&repo, &other);
    assert_eq!(first, snapshot(&other), "two builds of one log differ");

    // One decision changes: its page, the log and a few search files are rewritten.
    let file = "decisions/0012-deploy-to-a-single-managed-container-host.md";
    let text = repo
        .read(file)
        .replace("Deploy to a single", "Deploy to one");
    repo.write(file, &text);
    repo.commit_all("retitle 12");
    let (_, stdout, _) = site(&repo, &out);
    let written = number_after(&stdout, " files: ");
    assert!((1..40).contains(&written), "{stdout}");
    let page =
        std::fs::read_to_string(out.join("d/0012-deploy-to-a-single-managed-container-host.html"))
            .unwrap();
    assert!(page.contains("Deploy to one managed container host"));
    assert!(
        page.contains("retitle 12"),
        "the history lists the new version"
    );
}

#[test]
fn every_page_has_a_strict_policy_and_no_inline_script_or_style() {
    let repo = demo();
    let out = repo.home().join("site");
    assert!(site(&repo, &out).0);
    let mut pages = 0;
    for (path, bytes) in snapshot(&out)
        .into_iter()
        .filter(|(p, _)| p.ends_with(".html"))
    {
        let html = String::from_utf8(bytes).unwrap();
        pages += 1;
        assert!(
            html.contains("content=\"default-src 'none'; script-src 'self'; style-src 'self';"),
            "{path} has no Content Security Policy"
        );
        assert_eq!(
            html.matches("<script").count(),
            1,
            "{path}: only the site's own script"
        );
        assert!(!html.contains(" style=\""), "{path}: an inline style");
        assert!(!html.contains("<style"), "{path}: a style element");
    }
    assert!(pages > 20, "{pages} pages");
}

#[test]
fn a_folder_cairn_did_not_write_is_refused_and_left_alone() {
    let repo = demo();
    let out = repo.home().join("mine");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("index.html"), "my own page").unwrap();
    let (ok, _, err) = site(&repo, &out);
    assert!(!ok);
    assert!(err.contains("not written by cairn site"), "{err}");
    assert_eq!(
        std::fs::read_to_string(out.join("index.html")).unwrap(),
        "my own page"
    );

    // A planted list of earlier files cannot make a rebuild delete outside the folder.
    let victim = repo.home().join("victim.txt");
    std::fs::write(&victim, "keep me").unwrap();
    let out = repo.home().join("site");
    assert!(site(&repo, &out).0);
    let list = out.join(".cairn-site");
    let planted = format!(
        "{}../victim.txt\n{}\n",
        std::fs::read_to_string(&list).unwrap(),
        victim.display()
    );
    std::fs::write(&list, planted).unwrap();
    assert!(site(&repo, &out).0);
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");

    // The workspace's own folder is never a site folder, even empty of Cairn's list.
    let (ok, _, err) = output(&repo, &["site", "-o", repo.path().to_str().unwrap()]);
    assert!(!ok && err.contains("not written by cairn site"), "{err}");
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_in_the_site_folder_is_not_written_through() {
    let repo = demo();
    let out = repo.home().join("site");
    assert!(site(&repo, &out).0);
    let target = repo.home().join("elsewhere.html");
    std::fs::write(&target, "untouched").unwrap();
    std::fs::remove_file(out.join("graph.html")).unwrap();
    std::os::unix::fs::symlink(&target, out.join("graph.html")).unwrap();
    let (ok, _, err) = site(&repo, &out);
    assert!(!ok, "a link in the output was written through");
    assert!(err.contains("graph.html"), "{err}");
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "untouched");
}

#[test]
fn the_feed_and_sitemap_use_the_base_url() {
    let repo = demo();
    let out = repo.home().join("site");
    let (ok, _, err) = output(
        &repo,
        &[
            "site",
            "-o",
            out.to_str().unwrap(),
            "--base-url",
            "https://example.org/adr",
        ],
    );
    assert!(ok, "{err}");
    let feed = std::fs::read_to_string(out.join("feed.xml")).unwrap();
    assert!(feed.starts_with("<?xml"));
    assert_eq!(feed.matches("<entry>").count(), 12);
    assert!(feed.contains("<link rel=\"alternate\" href=\"https://example.org/adr/d/0001-record-architecture-decisions.html\"/>"));
    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    assert_eq!(sitemap.matches("<loc>https://example.org/adr/").count(), 13);
}

#[test]
fn two_real_logs_make_one_site_with_one_search() {
    let Some(corpora) = cairn_testkit::inputs::corpora_dir() else {
        return;
    };
    let repo = demo();
    let mut sections = Vec::new();
    for name in ["madr", "jabref"] {
        let ws = repo.home().join(name);
        cairn_testkit::copy_dir(&corpora.join(name), &ws);
        sections.push(ws);
    }
    let out = repo.home().join("site");
    let mut args = vec!["site".to_string(), "-o".into(), out.display().to_string()];
    args.extend(sections.iter().map(|p| p.display().to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (ok, stdout, err) = output(&repo, &args);
    assert!(ok, "{err}");
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    for name in ["madr", "jabref"] {
        assert!(
            out.join(name).join("graph.html").is_file(),
            "{name}'s section"
        );
        assert!(
            index.contains(&format!("href=\"{name}/d/")),
            "{name}'s decisions in the log"
        );
    }
    let docs = std::fs::read_to_string(out.join("search/docs.js")).unwrap();
    assert!(
        docs.contains("\"madr/d/") && docs.contains("\"jabref/d/"),
        "one index over both"
    );
    let count = number_after(&stdout, " (");
    assert!(count > 20, "{stdout}");
}

#[test]
fn export_json_carries_every_decision_with_links_both_ways() {
    let repo = demo();
    let v: serde_json::Value = serde_json::from_str(&export(&repo, "json")).unwrap();
    assert_eq!(v["format"], "cairn-export");
    assert_eq!(v["version"], 1);
    let decisions = v["decisions"].as_array().unwrap();
    assert_eq!(decisions.len(), 12);
    let third = &decisions[2];
    assert_eq!(third["status"], "superseded");
    assert_eq!(third["links"][0]["relation"], "superseded-by");
    assert_eq!(
        third["links"][0]["target"],
        "0009-generate-pdfs-on-the-server.md"
    );
    let ninth = &decisions[8];
    assert!(ninth["backlinks"]
        .as_array()
        .unwrap()
        .iter()
        .any(|b| b["target"] == "0003-generate-pdfs-in-the-browser.md"));
    assert!(ninth["body"].as_str().unwrap().contains("## Context"));
}

#[test]
fn export_md_is_one_document_with_a_heading_per_decision() {
    let repo = demo();
    let md = export(&repo, "md");
    assert!(md.starts_with("# "));
    assert_eq!(md.lines().filter(|l| l.starts_with("## ADR ")).count(), 12);
    assert!(md.contains("## ADR 0007: Take card payments with Stripe\n\n*Status: accepted"));
    assert!(
        !md.lines()
            .any(|l| l.starts_with("# ") && l.contains("Stripe")),
        "titles are not repeated as level-one headings"
    );
}

/// `docs/export.schema.json` is the JSON Schema of what `cairn export --format json` prints,
/// generated from the Rust types (`UPDATE_BINDINGS=1` rewrites it).
#[test]
fn the_export_schema_in_the_docs_is_current() {
    let schema = schemars::schema_for!(cairn_core::export::Export);
    let text = format!("{}\n", serde_json::to_string_pretty(&schema).unwrap());
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/export.schema.json");
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(&path, &text).unwrap();
    }
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(on_disk == text, "docs/export.schema.json is stale: run UPDATE_BINDINGS=1 cargo test -p cairn-cli --test site");
}

/// The demo's ADR 0006 says "the module rules in ADR-0005" in its prose: the export lists
/// that as a `mentions` link from 0006 and a backlink on 0005, and the site's page of 0005
/// says "mentioned by" under "Linked from" while 0006's page links the words to 0005's page.
#[test]
fn references_in_prose_are_links_both_ways_in_the_export_and_the_site() {
    let repo = demo();
    let v: serde_json::Value = serde_json::from_str(&export(&repo, "json")).unwrap();
    let decisions = v["decisions"].as_array().unwrap();
    let (fifth, sixth) = (&decisions[4], &decisions[5]);
    let mentions = |links: &serde_json::Value| -> Vec<String> {
        links
            .as_array()
            .unwrap()
            .iter()
            .filter(|l| l["relation"] == "mentions")
            .map(|l| l["target"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        mentions(&sixth["links"]),
        ["0005-build-a-modular-monolith-in-rust-and-typescript.md"]
    );
    assert_eq!(
        mentions(&fifth["backlinks"]),
        ["0006-use-postgresql-as-the-primary-store.md"]
    );

    let out = repo.home().join("site");
    let (ok, _, err) = site(&repo, &out);
    assert!(ok, "{err}");
    let page = |name: &str| std::fs::read_to_string(out.join("d").join(name)).unwrap();
    let five = page("0005-build-a-modular-monolith-in-rust-and-typescript.html");
    assert!(
        five.contains("<li>mentioned by <a href=\"0006-use-postgresql-as-the-primary-store.html\""),
        "{five}"
    );
    let six = page("0006-use-postgresql-as-the-primary-store.html");
    assert!(
        six.contains(
            "<a href=\"0005-build-a-modular-monolith-in-rust-and-typescript.html\" \
             rel=\"noopener noreferrer\">ADR-0005</a>"
        ),
        "{six}"
    );
}

/// A page with a Mermaid diagram loads the bundle given with `--diagram-script` (copied into
/// the site) under a policy that allows inline styles, and only that page does; with no
/// bundle (`CAIRN_MERMAID_JS` empty) the diagram stays source and `cairn site` says so.
#[test]
fn a_diagram_page_loads_the_mermaid_bundle_and_no_other_page_does() {
    let repo = demo();
    repo.write(
        "decisions/0090-route-payments.md",
        "---\nstatus: accepted\n---\n# Route payments\n\n```mermaid\nflowchart LR\n  A --> B\n```\n",
    );
    repo.commit_all("a diagram");
    let bundle = repo.home().join("mermaid.min.js");
    std::fs::write(&bundle, "/* a stand-in for Mermaid */").unwrap();
    let out = repo.home().join("site");
    let run = cairn(&repo)
        .args(["site", "-o", out.to_str().unwrap(), "--diagram-script"])
        .arg(&bundle)
        .output()
        .unwrap();
    assert!(run.status.success());
    assert_eq!(
        std::fs::read(out.join("assets/mermaid.min.js")).unwrap(),
        b"/* a stand-in for Mermaid */"
    );
    for (path, bytes) in snapshot(&out)
        .into_iter()
        .filter(|(p, _)| p.ends_with(".html"))
    {
        let html = String::from_utf8(bytes).unwrap();
        let diagram = html.contains("<pre class=\"mermaid\">");
        assert_eq!(html.contains("mermaid.min.js\" defer"), diagram, "{path}");
        assert_eq!(
            html.contains("style-src 'self' 'unsafe-inline';"),
            diagram,
            "{path}"
        );
        assert!(html.contains("script-src 'self';"), "{path}");
    }

    let plain = repo.home().join("site-plain");
    let run = cairn(&repo)
        .args(["site", "-o", plain.to_str().unwrap()])
        .env("CAIRN_MERMAID_JS", "")
        .output()
        .unwrap();
    assert!(run.status.success());
    assert!(!plain.join("assets/mermaid.min.js").exists());
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        stdout.contains("show Mermaid diagrams as source"),
        "{stdout}"
    );
}

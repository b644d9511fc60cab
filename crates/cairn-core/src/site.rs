//! `cairn site`: the decision log published as static HTML for readers who never install the
//! app — the log, one page per decision with its history, the boards, a graph, tag pages, an
//! Atom feed and search in the page — opening from `file://` or from any static host.
//!
//! The output depends on the workspaces alone (their files and Git history), never on the
//! clock or the machine, so the same input gives the same bytes and a published site diffs
//! cleanly. A rebuild writes only the files whose bytes changed and removes the files an
//! earlier build wrote that are no longer part of the site; it never touches a file it did
//! not write.

mod board;
mod collect;
mod context;
mod diagrams;
mod feed;
mod graph;
mod html;
mod meta;
mod output;
mod pages;
mod search;

use std::path::PathBuf;

use serde::Serialize;

use crate::{Result, Workspace};

/// What `cairn site` was asked for.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The folder the site is written to; created when missing.
    pub out: PathBuf,
    /// Where the site will be served from (`https://example.org/decisions/`). The feed and
    /// the sitemap need absolute addresses; without a base URL there is no sitemap and the
    /// feed's links are relative.
    pub base_url: Option<String>,
    /// The site's title; by default the workspace's folder name.
    pub title: Option<String>,
    /// Mermaid's browser bundle (`mermaid.min.js`). With it, the pages that have a diagram
    /// draw it in the reader's browser; without it, diagrams show as their source.
    pub diagram_script: Option<PathBuf>,
}

/// The stage a build is in, for a progress display.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "SiteStep"))]
pub enum Step {
    /// Reading and rendering the decisions and their history.
    Reading,
    /// Laying out the pages, the graph, the feed and the search index.
    Pages,
    /// Writing the files that changed.
    Writing,
}

/// How far a build is: `done` of `total` in `step`.
#[derive(Debug, Clone, Copy, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "SiteProgress"))]
pub struct Progress {
    pub step: Step,
    pub done: usize,
    pub total: usize,
}

/// What a build did.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "SiteReport"))]
pub struct Report {
    pub out: PathBuf,
    pub workspaces: usize,
    pub decisions: usize,
    /// Every file of the site.
    pub files: usize,
    /// The files whose bytes changed (or are new) in this build.
    pub written: usize,
    /// Files an earlier build wrote that are no longer part of the site.
    pub removed: usize,
    /// Whether a sitemap was written (it needs `base_url`).
    pub sitemap: bool,
    /// Pages with a Mermaid diagram.
    pub diagram_pages: usize,
    /// Whether those diagrams are drawn (the build had Mermaid's bundle) or shown as source.
    pub diagrams_drawn: bool,
}

/// Where the desktop app publishes a workspace's site unless the user picks a folder:
/// `<data folder>/cairn/sites/<workspace folder name>`, outside the repository, so a
/// published site never shows up as changes to commit.
pub fn default_folder(ws: &Workspace) -> Result<PathBuf> {
    let base = directories::BaseDirs::new().ok_or(crate::Error::NoHome {
        purpose: "publish the site into",
    })?;
    let name = ws
        .root
        .file_name()
        .map(|n| collect::safe_name(&n.to_string_lossy()))
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "log".into());
    Ok(base.data_dir().join("cairn").join("sites").join(name))
}

/// Builds the site of `workspaces` (one section each when there are several, one search
/// across all) into `opts.out`.
pub fn build(
    workspaces: &[Workspace],
    opts: &Options,
    progress: &mut dyn FnMut(Progress),
) -> Result<Report> {
    output::check_folder(&opts.out, workspaces)?;
    let sections = collect::sections(workspaces, progress)?;
    progress(Progress {
        step: Step::Pages,
        done: 0,
        total: 1,
    });
    let mut site = output::Site::default();
    let title = opts
        .title
        .clone()
        .unwrap_or_else(|| collect::site_title(&sections));
    let ctx = context::SiteContext {
        title: &title,
        sections: &sections,
    };
    pages::write_all(&ctx, &mut site);
    graph::write_all(&ctx, &mut site);
    search::write(&sections, &mut site);
    let sitemap = feed::write(&ctx, opts.base_url.as_deref(), &mut site);
    site.add("assets/site.css", html::CSS.as_bytes().to_vec());
    site.add("assets/site.js", html::JS.as_bytes().to_vec());
    let script = opts
        .diagram_script
        .as_deref()
        .map(diagrams::read_script)
        .transpose()?;
    let diagrams_drawn = script.is_some();
    let diagram_pages = diagrams::enable(&mut site, script);
    let decisions = sections.iter().map(|s| s.entries.len()).sum();
    let written = output::commit(&opts.out, site, progress)?;
    Ok(Report {
        out: opts.out.clone(),
        workspaces: sections.len(),
        decisions,
        files: written.files,
        written: written.written,
        removed: written.removed,
        sitemap,
        diagram_pages,
        diagrams_drawn: diagrams_drawn && diagram_pages > 0,
    })
}

/// The Mermaid bundle a build uses unless told otherwise: `CAIRN_MERMAID_JS` when set (empty:
/// none), else
/// the one the package installs beside the binaries (`<prefix>/share/cairn/mermaid.min.js`
/// for `<prefix>/bin/cairn`), else, for a binary built in this repository's `target/`, the
/// one the UI's `npm ci` fetched. `None` when there is none: diagrams then stay source.
pub fn default_diagram_script() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("CAIRN_MERMAID_JS") {
        return (!p.is_empty()).then(|| PathBuf::from(p));
    }
    let exe = std::env::current_exe().ok()?;
    let dir = exe.parent()?;
    [
        dir.join("../share/cairn/mermaid.min.js"),
        dir.join("../../ui/node_modules/mermaid/dist/mermaid.min.js"),
    ]
    .into_iter()
    .find(|p| p.is_file())
}

//! `cairn site` and `cairn export`: the log published for people who do not run Cairn, as a
//! static site or as one JSON or Markdown file.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use cairn_core::site::{self, Progress, Step};
use cairn_core::Workspace;
use clap::{Args, ValueEnum};

#[derive(Args)]
pub struct SiteArgs {
    /// The workspaces to publish, each a workspace or a decisions folder (default: the current
    /// one); several make one site with a section each and one search across all.
    #[arg(value_name = "WORKSPACE")]
    workspaces: Vec<PathBuf>,
    /// The folder to write (created when missing; must be empty or an earlier site).
    #[arg(short, long, default_value = "site")]
    out: PathBuf,
    /// The address the site is served from, for the feed's links and the sitemap.
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// The site's title (default: the workspace's folder name).
    #[arg(long)]
    title: Option<String>,
    /// Mermaid's browser bundle, to draw diagrams (default: the one installed with Cairn,
    /// or $CAIRN_MERMAID_JS); without one, diagrams show as their source.
    #[arg(long, value_name = "FILE")]
    diagram_script: Option<PathBuf>,
}

#[derive(Args)]
pub struct ExportArgs {
    /// `json`: every decision with metadata, links and body (schema in docs/export.md);
    /// `md`: the whole log as one Markdown document.
    #[arg(long, value_enum, default_value = "json")]
    format: Format,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Json,
    Md,
}

/// Opens each named workspace, or the current one when none is named.
pub fn site(
    args: &SiteArgs,
    current: impl Fn() -> anyhow::Result<Workspace>,
    json: bool,
) -> anyhow::Result<ExitCode> {
    let workspaces = if args.workspaces.is_empty() {
        vec![current()?]
    } else {
        args.workspaces
            .iter()
            .map(|p| Workspace::open(p))
            .collect::<Result<Vec<_>, _>>()?
    };
    let opts = site::Options {
        out: args.out.clone(),
        base_url: args.base_url.clone(),
        title: args.title.clone(),
        diagram_script: args
            .diagram_script
            .clone()
            .or_else(site::default_diagram_script),
    };
    let tty = !json && std::io::stderr().is_terminal();
    let report = site::build(&workspaces, &opts, &mut |p: Progress| {
        if tty {
            let step = match p.step {
                Step::Reading => "reading",
                Step::Pages => "laying out pages",
                Step::Writing => "writing",
            };
            eprint!("\r\x1b[K{step} {}/{}", p.done, p.total);
        }
    })?;
    if tty {
        eprint!("\r\x1b[K");
    }
    if json {
        crate::print_json(&report)?;
    } else {
        println!(
            "Wrote {} ({} decisions, {} files: {} changed, {} removed). Open {}",
            report.out.display(),
            report.decisions,
            report.files,
            report.written,
            report.removed,
            report.out.join("index.html").display()
        );
        if !report.sitemap {
            println!("No sitemap: it needs --base-url.");
        }
        if report.diagram_pages > 0 && !report.diagrams_drawn {
            println!(
                "{} page(s) show Mermaid diagrams as source: no Mermaid bundle was found \
                 (--diagram-script FILE).",
                report.diagram_pages
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn export(args: &ExportArgs, ws: &Workspace) -> anyhow::Result<ExitCode> {
    match args.format {
        Format::Json => crate::print_json(&cairn_core::export::json(ws)?)?,
        Format::Md => print!("{}", cairn_core::export::markdown(ws)?),
    }
    Ok(ExitCode::SUCCESS)
}

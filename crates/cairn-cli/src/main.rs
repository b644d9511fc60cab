//! `cairn`: the command line over `cairn-core`. Each command parses its arguments, calls
//! the core once and prints the result, for people by default and as JSON with `--json`.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use cairn_core::changes::{self, NewDecision};
use cairn_core::index::SortBy;
use cairn_core::{Changed, Committed, StatusKind, Workspace, WriteDialect};
use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};

mod board;
mod card_import;
mod mcp;
mod output;
mod publish;
mod term;

/// `cairn --version`: the version from Cargo and the commit it was built from, so a bug
/// report names the exact build (the desktop app's About shows the same).
const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (commit ",
    env!("CAIRN_GIT_COMMIT"),
    ")"
);

/// Architecture decision records and MVP scoping, in plain Markdown under Git.
#[derive(Parser)]
#[command(name = "cairn", version = VERSION, about, long_about = None)]
struct Cli {
    /// Run as if started in DIR (the workspace is searched for from there, upward).
    #[arg(short = 'C', global = true, value_name = "DIR")]
    chdir: Option<PathBuf>,

    /// Use this folder as the workspace (or the decisions folder itself); no upward search.
    #[arg(long, global = true, value_name = "DIR", env = "CAIRN_WORKSPACE")]
    workspace: Option<PathBuf>,

    /// Print machine-readable JSON.
    #[arg(long, global = true)]
    json: bool,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create a workspace: .cairn.toml, docs/decisions and a first record.
    Init {
        /// Where to create it (default: the current folder).
        dir: Option<PathBuf>,
        /// The dialect new records are written in.
        #[arg(long, default_value = "cairn")]
        dialect: WriteDialect,
    },
    /// List decisions in log order.
    List {
        /// Only decisions with this status (draft, proposed, accepted, …).
        #[arg(long)]
        status: Option<StatusKind>,
        /// Only decisions with this tag.
        #[arg(long)]
        tag: Option<String>,
    },
    /// Show one decision: its metadata, links, diagnostics and text.
    Show {
        /// Number (7, 0007, ADR-7), file name, or a unique part of it.
        decision: String,
    },
    /// Create a new decision from a template, in the folder's own dialect.
    New(NewArgs),
    /// Change a decision's status.
    Status {
        decision: String,
        status: StatusKind,
    },
    /// Link two decisions: `cairn link 12 amends 7` (the reverse is written into 7).
    Link {
        source: String,
        relation: String,
        target: String,
        /// The reverse relation, needed for relations Cairn does not know.
        reverse: Option<String>,
    },
    /// Move a decision to the next free number and rewrite every link to it (after two
    /// branches both added the same number).
    Renumber {
        /// The decision to move; after a clash, name it by file name.
        decision: String,
    },
    /// Check the log: duplicate numbers, broken links, unknown statuses, … (exit 1 on errors).
    Lint,
    /// Print a Markdown index of all decisions with their statuses.
    Toc,
    /// Print the links between decisions as a graph.
    Graph {
        #[arg(long, default_value = "dot")]
        format: cairn_core::report::GraphFormat,
    },
    /// List the templates `cairn new --template` accepts.
    Templates,
    /// Search decisions: words, "phrases", status:, tag:, scope:, before:/after: dates.
    Search(SearchArgs),
    /// Rebuild the search index from the Markdown files.
    Reindex,
    /// Who created and changed a decision, and every version, from Git history.
    History { decision: String },
    /// The changes to a decision between two versions (default: HEAD and the working tree).
    Diff {
        decision: String,
        /// The older version (a commit, branch or tag); default HEAD.
        rev1: Option<String>,
        /// The newer version; default the file as it is on disk.
        rev2: Option<String>,
    },
    /// Share with the team: fetch, fast-forward or merge (stopping on a conflict), push.
    Sync,
    /// Show the Now vs. Later board over all scope maps and decisions.
    Board(board::BoardArgs),
    /// Add, edit, link or remove cards of a scope map.
    Card(board::CardArgs),
    /// Move a card or a decision to now, later, wont or inbox.
    Move(board::MoveArgs),
    /// Undo the last board operation (only while its files are unchanged since).
    Undo,
    /// List cards whose revisit-by date has come (--check: exit 1 when any is due).
    Due(board::DueArgs),
    /// Propose a column, with a reason, for unsorted cards (or one card).
    Suggest(board::SuggestArgs),
    /// Publish the log as a static site (log, pages with history, board, graph, tags, feed,
    /// search) that opens from file:// or any static host.
    Site(publish::SiteArgs),
    /// Write every decision to stdout as JSON (versioned schema) or as one Markdown document.
    Export(publish::ExportArgs),
    /// Serve the log to coding agents over the Model Context Protocol (stdio). Read-only
    /// unless --allow-writes.
    Mcp {
        /// Let agents create decisions, change statuses and links, and sort the board (each
        /// write one commit naming the agent).
        #[arg(long)]
        allow_writes: bool,
    },
    /// Print a shell completion script: `cairn completions bash > /etc/bash_completion.d/cairn`.
    Completions {
        /// bash, zsh, fish, elvish or powershell.
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), as the packages install it.
    #[command(hide = true)]
    Man,
}

#[derive(Args)]
struct NewArgs {
    /// The title (several words are joined, as adr-tools does).
    #[arg(required = true, num_args = 1..)]
    title: Vec<String>,
    /// Template name (see `cairn templates`).
    #[arg(long, short)]
    template: Option<String>,
    /// A decision this one supersedes (repeatable).
    #[arg(long, short, value_name = "N")]
    supersedes: Vec<String>,
    /// A link to another decision, as N:RELATION, e.g. 5:Amends (repeatable).
    #[arg(long, short, value_name = "N:RELATION")]
    link: Vec<String>,
    /// Initial status.
    #[arg(long, default_value = "proposed")]
    status: StatusKind,
}

#[derive(Args)]
struct SearchArgs {
    /// The query, e.g. `postgres status:accepted after:2024`.
    #[arg(required = true, num_args = 1..)]
    query: Vec<String>,
    #[arg(long, default_value_t = 20)]
    limit: usize,
    #[arg(long, default_value_t = 0)]
    offset: usize,
    /// The order of the results.
    #[arg(long, value_enum, default_value = "relevance")]
    sort: Sort,
}

/// `--sort`'s values. clap parses them, so a wrong one is refused before any work starts,
/// with the list of the right ones; the core's `SortBy` stays free of clap.
#[derive(Clone, Copy, ValueEnum)]
enum Sort {
    Relevance,
    Newest,
    Oldest,
}

impl From<Sort> for SortBy {
    fn from(sort: Sort) -> Self {
        match sort {
            Sort::Relevance => SortBy::Relevance,
            Sort::Newest => SortBy::Newest,
            Sort::Oldest => SortBy::Oldest,
        }
    }
}

fn main() -> ExitCode {
    // `cairn list | head` must end quietly when the reader goes away, as other Unix tools
    // do, instead of panicking on a broken pipe.
    #[cfg(unix)]
    // SAFETY: restoring the default disposition of SIGPIPE before any thread or I/O exists.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    // Over a file-size limit (`ulimit -f`) a write should fail with an error Cairn can report
    // (the old file is still in place), not kill the process with SIGXFSZ.
    #[cfg(unix)]
    // SAFETY: as above, before any thread or I/O exists.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
    // Unchecked libgit2 reads and glibc allocator thresholds: `cairn log`, `cairn diff` and
    // the board read the whole history once, and libgit2's per-object hash check made such
    // a walk up to ten times slower (see `tune_process` for the measurements). A library leaves
    // this choice to the program, so it is made here, before any thread starts.
    cairn_core::tune_process();
    let cli = Cli::parse();
    let json = cli.json;
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            match err.downcast_ref::<cairn_core::Error>() {
                Some(core) if json => eprintln!("{}", serde_json::json!({ "error": core })),
                _ => eprintln!("cairn: {}", term::text(&format!("{err:#}"))),
            }
            ExitCode::from(2)
        }
    }
}

fn workspace(cli: &Cli) -> anyhow::Result<Workspace> {
    if let Some(dir) = &cli.workspace {
        let dir = match &cli.chdir {
            Some(c) => c.join(dir),
            None => dir.clone(),
        };
        return Ok(Workspace::open(&dir)?);
    }
    let start = match &cli.chdir {
        Some(dir) => dir.clone(),
        None => std::env::current_dir().context("cannot read the current folder")?,
    };
    Ok(Workspace::discover(&start)?)
}

/// Loads the log, with dates from Git history for records whose files carry none.
fn load(ws: &Workspace) -> anyhow::Result<cairn_core::Log> {
    let mut log = ws.load()?;
    cairn_core::history::fill_missing(ws, &mut log)?;
    Ok(log)
}

/// Sends each command to its own function; each parses its input, makes one core call and
/// prints the result.
fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let json = cli.json;
    match &cli.command {
        Command::Init { dir, dialect } => cmd_init(&cli, dir.as_deref(), *dialect),
        Command::List { status, tag } => cmd_list(&cli, *status, tag.as_deref()),
        Command::Show { decision } => cmd_show(&cli, decision),
        Command::New(args) => cmd_new(&cli, args),
        Command::Status { decision, status } => {
            let ws = workspace(&cli)?;
            report_change(&changes::change_status(&ws, decision, *status)?, json)
        }
        Command::Link {
            source,
            relation,
            target,
            reverse,
        } => {
            let ws = workspace(&cli)?;
            let changed = changes::link(&ws, source, relation, target, reverse.as_deref())?;
            report_change(&changed, json)
        }
        Command::Renumber { decision } => {
            report_change(&changes::renumber(&workspace(&cli)?, decision)?, json)
        }
        Command::Lint => cmd_lint(&cli),
        Command::Toc => cmd_toc(&cli),
        Command::Graph { format } => cmd_graph(&cli, *format),
        Command::Templates => cmd_templates(&cli),
        Command::Search(args) => cmd_search(&cli, args),
        Command::Reindex => cmd_reindex(&cli),
        Command::History { decision } => cmd_history(&cli, decision),
        Command::Diff {
            decision,
            rev1,
            rev2,
        } => cmd_diff(&cli, decision, rev1.as_deref(), rev2.as_deref()),
        Command::Sync => cmd_sync(&cli),
        Command::Board(args) => board::board(&workspace(&cli)?, args, json),
        Command::Card(args) => board::card(&workspace(&cli)?, args, json),
        Command::Move(args) => board::move_card(&workspace(&cli)?, args, json),
        Command::Undo => board::undo(&workspace(&cli)?, json),
        Command::Due(args) => board::due(&workspace(&cli)?, args, json),
        Command::Suggest(args) => board::suggest(&workspace(&cli)?, args, json),
        Command::Mcp { allow_writes } => mcp::serve(workspace(&cli)?, *allow_writes),
        Command::Site(args) => publish::site(args, || workspace(&cli), json),
        Command::Export(args) => publish::export(args, &workspace(&cli)?),
        Command::Completions { shell } => {
            clap_complete::generate(*shell, &mut Cli::command(), "cairn", &mut std::io::stdout());
            Ok(ExitCode::SUCCESS)
        }
        Command::Man => {
            clap_mangen::Man::new(Cli::command()).render(&mut std::io::stdout())?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Prints `value` as indented JSON on stdout, the form every `--json` output takes.
fn print_json(value: &impl serde::Serialize) -> anyhow::Result<()> {
    println!("{}", term::json(value)?);
    Ok(())
}

/// `cairn init`: the folder is taken relative to `-C`, as every other path is.
fn cmd_init(cli: &Cli, dir: Option<&Path>, dialect: WriteDialect) -> anyhow::Result<ExitCode> {
    let base = cli.chdir.clone().unwrap_or_else(|| PathBuf::from("."));
    let dir = dir.map_or(base.clone(), |d| base.join(d));
    report_change(&changes::init(&dir, dialect)?, cli.json)
}

fn cmd_list(cli: &Cli, status: Option<StatusKind>, tag: Option<&str>) -> anyhow::Result<ExitCode> {
    let ws = workspace(cli)?;
    if !cli.json {
        // The rows the desktop lists from: a warm list reads its cache instead of parsing
        // every file.
        let catalog = cairn_core::catalog::Catalog::load_dated(&ws)?;
        let shown: Vec<&cairn_core::catalog::Summary> = catalog
            .rows()
            .iter()
            .filter(|r| status.is_none_or(|s| r.status == s))
            .filter(|r| tag.is_none_or(|t| r.tags.iter().any(|x| x.eq_ignore_ascii_case(t))))
            .collect();
        print!("{}", output::list_rows(&shown));
        drop(shown);
        // The process ends here: the system takes the rows back at once, where freeing them
        // one by one was a tenth of a warm list at 10,000.
        std::mem::forget(catalog);
        return Ok(ExitCode::SUCCESS);
    }
    let text = cairn_core::agent::list_json(&ws, status, tag)?;
    println!("{}", term::safe_json(text));
    Ok(ExitCode::SUCCESS)
}

fn cmd_show(cli: &Cli, decision: &str) -> anyhow::Result<ExitCode> {
    let ws = workspace(cli)?;
    // The rows (from their cache) resolve the reference and name what mentions it: one file
    // is parsed, not the whole log.
    let log = cairn_core::catalog::Catalog::load(&ws)?;
    let shown = cairn_core::view::show(&ws, &log, decision)?;
    if cli.json {
        print_json(&serde_json::json!({
            "decision": shown.decision,
            "text": shown.text,
            "mentioned_by": shown.mentioned_by,
        }))?;
    } else {
        print!(
            "{}",
            output::show(
                &shown.decision,
                shown.text.as_deref(),
                &log,
                &shown.mentioned_by
            )
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn cmd_new(cli: &Cli, args: &NewArgs) -> anyhow::Result<ExitCode> {
    let ws = workspace(cli)?;
    let links = args
        .link
        .iter()
        .map(|l| {
            l.split_once(':')
                .map(|(n, r)| (n.to_string(), r.to_string()))
                .with_context(|| format!("--link {l:?}: expected N:RELATION, e.g. 5:Amends"))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let new = NewDecision {
        title: args.title.join(" "),
        template: args.template.clone(),
        status: Some(args.status),
        supersedes: args.supersedes.clone(),
        links,
        date: None,
    };
    report_change(&changes::create(&ws, &new)?, cli.json)
}

/// `cairn lint`: exits 1 when any finding is an error, so scripts and CI can stop on it.
fn cmd_lint(cli: &Cli) -> anyhow::Result<ExitCode> {
    let ws = workspace(cli)?;
    let opts = cairn_core::lint::Options::for_workspace(&ws);
    let findings = cairn_core::lint::cached(&ws, &opts)?;
    let errors = findings
        .iter()
        .filter(|f| f.severity == cairn_core::Severity::Error)
        .count();
    if cli.json {
        print_json(&findings)?;
    } else {
        for f in &findings {
            println!("{}", term::text(&f.to_string()));
        }
        let warnings = findings.len() - errors;
        eprintln!("{errors} error(s), {warnings} warning(s)");
    }
    Ok(if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn cmd_toc(cli: &Cli) -> anyhow::Result<ExitCode> {
    let ws = workspace(cli)?;
    let log = load(&ws)?;
    let toc = cairn_core::report::toc(&log, output::width(&ws, &log));
    print!("{}", term::text(&toc));
    Ok(ExitCode::SUCCESS)
}

fn cmd_graph(cli: &Cli, format: cairn_core::report::GraphFormat) -> anyhow::Result<ExitCode> {
    let ws = workspace(cli)?;
    let log = load(&ws)?;
    let graph = cairn_core::report::graph(&log, format, output::width(&ws, &log));
    print!("{}", term::text(&graph));
    Ok(ExitCode::SUCCESS)
}

/// `cairn templates` works outside a workspace too: then only the built-in templates show.
fn cmd_templates(cli: &Cli) -> anyhow::Result<ExitCode> {
    let dir = workspace(cli)
        .ok()
        .map_or_else(|| PathBuf::from("."), |w| w.decisions_dir);
    let templates = cairn_core::template::list(&dir)?;
    if cli.json {
        print_json(&templates)?;
    } else {
        for t in &templates {
            println!("{:<14} {}", term::line(&t.name), term::line(&t.description));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `cairn search`: exits 1 when nothing matches, as `grep` does.
fn cmd_search(cli: &Cli, args: &SearchArgs) -> anyhow::Result<ExitCode> {
    let ws = workspace(cli)?;
    let (index, report) = cairn_core::index::open(&ws, &Default::default())?;
    output::index_report(&report, cli.json);
    let options = cairn_core::index::SearchOptions {
        limit: args.limit,
        offset: args.offset,
        sort: args.sort.into(),
    };
    let results = index.search(&args.query.join(" "), &options)?;
    if cli.json {
        print_json(&results)?;
    } else {
        print!("{}", output::search(&results));
    }
    Ok(if results.total == 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// `cairn reindex`: progress goes to stderr, and only for people (not with `--json`).
fn cmd_reindex(cli: &Cli) -> anyhow::Result<ExitCode> {
    let json = cli.json;
    let (index, report) =
        cairn_core::index::reindex(&workspace(cli)?, &Default::default(), &mut |done, total| {
            if !json && total > 0 && (done == total || done % 500 == 0) {
                eprint!("\rindexing {done}/{total}");
            }
        })?;
    if json {
        print_json(&report)?;
    } else {
        eprintln!();
        let dir = report.index_dir.display();
        println!("indexed {} decisions into {dir}", index.len());
    }
    Ok(ExitCode::SUCCESS)
}

fn cmd_history(cli: &Cli, decision: &str) -> anyhow::Result<ExitCode> {
    let ws = workspace(cli)?;
    let log = ws.load()?;
    let d = log.resolve(decision)?;
    let history = cairn_core::history::workspace_history(&ws)?;
    let file = cairn_core::history::of_file(&ws, &history, &d.path).ok_or_else(|| {
        let path = d.path.display();
        anyhow::anyhow!("{path} has no Git history yet (is it committed?)")
    })?;
    if cli.json {
        print_json(file)?;
    } else {
        print!("{}", output::history(d, file));
    }
    Ok(ExitCode::SUCCESS)
}

/// `cairn diff`: coloured like `git diff` only on a terminal, and never under `NO_COLOR`.
fn cmd_diff(
    cli: &Cli,
    decision: &str,
    rev1: Option<&str>,
    rev2: Option<&str>,
) -> anyhow::Result<ExitCode> {
    let ws = workspace(cli)?;
    let log = ws.load()?;
    let d = log.resolve(decision)?;
    let lines = cairn_core::history::diff(&ws.root, &d.path, rev1.unwrap_or("HEAD"), rev2)?;
    if cli.json {
        print_json(&lines)?;
    } else {
        let colour = term::colour(
            std::io::stdout().is_terminal(),
            std::env::var_os("NO_COLOR").as_deref(),
        );
        print!("{}", output::diff(&lines, colour));
    }
    Ok(ExitCode::SUCCESS)
}

fn cmd_sync(cli: &Cli) -> anyhow::Result<ExitCode> {
    let report = cairn_core::sync::sync(&workspace(cli)?.root)?;
    if cli.json {
        print_json(&report)?;
    } else {
        println!("{}", output::sync(&report));
    }
    Ok(ExitCode::SUCCESS)
}

/// Says what an operation wrote and whether it became a commit.
fn report_change(changed: &Changed, json: bool) -> anyhow::Result<ExitCode> {
    if json {
        print_json(changed)?;
        return Ok(ExitCode::SUCCESS);
    }
    println!("{}", term::line(&changed.path.display().to_string()));
    match &changed.outcome.committed {
        Committed::Commit { id, summary } => {
            eprintln!(
                "committed {}: {}",
                &id[..id.len().min(10)],
                term::line(summary)
            )
        }
        Committed::NotARepository => {
            eprintln!(
                "{} (not a Git repository: files written, no commit made)",
                term::line(&changed.message)
            )
        }
        Committed::AutocommitOff => {
            eprintln!(
                "{} (autocommit is off: files written, not committed)",
                term::line(&changed.message)
            )
        }
    }
    Ok(ExitCode::SUCCESS)
}

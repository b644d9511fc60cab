//! The MCP tools: each checks its arguments, makes one core call and answers with structured
//! content (the same JSON as `cairn --json`) plus the text `cairn` prints for people.

use cairn_core::agent::{self, Document};
use cairn_core::catalog::Summary;
use cairn_core::changes::{self, NewDecision};
use cairn_core::history::{DiffLine, FileHistory};
use cairn_core::index::{SearchOptions, SearchResults, SortBy};
use cairn_core::scope::{self, Board, BoardCard, BoardChange, Column, Op};
use cairn_core::{Changed, Error, Finding, Log, Result, StatusKind};
use rmcp::handler::server::common::schema_for_output;
use rmcp::handler::server::router::tool::ToolRouter;
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::{CallToolResult, ContentBlock};
use rmcp::service::RequestContext;
use rmcp::{tool, tool_router, RoleServer};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{client_name, CairnMcp};
use crate::output;

/// The longest text argument taken (a title, a query, a field value): far above any real one,
/// low enough that a runaway agent cannot make the server hold or write megabytes.
const MAX_ARG: usize = 4096;
/// The most results one `search` or `list` page returns.
const MAX_LIMIT: usize = 500;

/// A successful answer: `value` as structured content, `text` for a reader.
fn reply(value: &impl Serialize, text: String) -> CallToolResult {
    let mut result = CallToolResult::success(vec![ContentBlock::text(text)]);
    result.structured_content = serde_json::to_value(value).ok();
    result
}

/// A refused request: the error's kind and message as structured content (`{kind, message}`,
/// as the CLI's `--json` and the desktop app report errors), and the message as text.
pub fn refusal(e: &Error) -> CallToolResult {
    CallToolResult::structured_error(
        serde_json::json!({ "kind": e.kind(), "message": e.to_string() }),
    )
}

fn answer<T>(r: Result<T>, ok: impl FnOnce(T) -> CallToolResult) -> CallToolResult {
    match r {
        Ok(v) => ok(v),
        Err(e) => refusal(&e),
    }
}

/// Refuses an argument that is too long, so nothing larger than [`MAX_ARG`] reaches the core.
fn bounded<'a>(name: &str, value: &'a str) -> Result<&'a str> {
    if value.len() > MAX_ARG {
        return Err(Error::BadArgument {
            name: name.into(),
            msg: format!("{} bytes; at most {MAX_ARG} are taken", value.len()),
        });
    }
    Ok(value)
}

/// A decision reference: a number, a file name or a unique part of one, never a path. A name
/// with a folder in it is refused as lying outside the decisions folder, as the app does.
fn reference<'a>(state: &super::State, name: &str, value: &'a str) -> Result<&'a str> {
    let value = bounded(name, value)?;
    if value.contains('/') || value.contains('\\') || value.contains('\0') {
        return Err(Error::OutsideWorkspace {
            path: value.into(),
            root: state.workspace().decisions_dir.clone(),
        });
    }
    Ok(value)
}

fn status_arg(name: &str, value: &str) -> Result<StatusKind> {
    bounded(name, value)?
        .parse::<StatusKind>()
        .map_err(|e| Error::BadArgument {
            name: name.into(),
            msg: e.to_string(),
        })
}

#[derive(Debug, Deserialize, JsonSchema)]
pub struct SearchArgs {
    /// Words, "phrases", status:accepted, tag:db, scope:later, before:/after: dates; the last
    /// word also matches as a prefix.
    pub query: String,
    /// At most this many hits (default 20, at most 500).
    pub limit: Option<usize>,
    /// Skip this many hits (for the next page).
    pub offset: Option<usize>,
    /// relevance (default), newest or oldest.
    pub sort: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
pub struct ListArgs {
    /// Only decisions with this status (draft, proposed, accepted, rejected, deprecated,
    /// superseded).
    pub status: Option<String>,
    /// Only decisions with this tag.
    pub tag: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
pub struct DecisionArg {
    /// A decision: its number (7, 0007, ADR-7), file name, or a unique part of the file name.
    pub decision: String,
}

#[derive(Debug, Deserialize, JsonSchema)]
pub struct HistoryArgs {
    /// A decision: its number, file name, or a unique part of the file name.
    pub decision: String,
    /// With `to`: the older version (a commit id from the history, a branch or a tag).
    pub from: Option<String>,
    /// With `from`: the newer version; "worktree" for the file as it is on disk.
    pub to: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
pub struct CreateArgs {
    pub title: String,
    /// A template name (the folder's own template when absent).
    pub template: Option<String>,
    /// The initial status; proposed when absent.
    pub status: Option<String>,
    /// Decisions this one supersedes (they are marked superseded in the same commit).
    #[serde(default)]
    pub supersedes: Vec<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
pub struct SetStatusArgs {
    pub decision: String,
    pub status: String,
}

#[derive(Debug, Deserialize, JsonSchema)]
pub struct LinkArgs {
    pub source: String,
    /// supersedes, amends, relates-to, or a relation of your own (then give `reverse`).
    pub relation: String,
    pub target: String,
    /// The relation as the target states it, for relations Cairn does not know.
    pub reverse: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
pub struct SupersedeArgs {
    /// The newer decision.
    pub decision: String,
    /// The decision it replaces; it is marked superseded.
    pub superseded: String,
}

#[derive(Debug, Deserialize, JsonSchema)]
pub struct BoardArgs {
    /// Only the cards of this scope map.
    pub map: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
pub struct CardAddArgs {
    /// The scope map (made when there is none of that name).
    pub map: String,
    pub title: String,
    /// The slice (Now, Later, Won't, …); the Inbox when absent.
    pub slice: Option<String>,
    /// Fields such as activity, revisit-when, revisit-by, reversibility, decision.
    #[serde(default)]
    pub fields: Vec<Field>,
}

#[derive(Debug, Deserialize, JsonSchema)]
pub struct Field {
    pub key: String,
    pub value: String,
}

#[derive(Debug, Deserialize, JsonSchema)]
pub struct CardMoveArgs {
    /// A card id (c-014) or a decision number.
    pub id: String,
    /// now, later, wont or inbox.
    pub column: String,
    /// Place it before this card of the same map.
    pub before: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
pub struct CardSetArgs {
    /// A card id (c-014) or a decision number.
    pub id: String,
    pub key: String,
    /// The new value; absent or null removes the field.
    pub value: Option<String>,
}

/// `list`'s answer.
#[derive(Serialize, JsonSchema)]
pub struct Decisions {
    pub decisions: Vec<Summary>,
}

/// `history`'s answer: the versions, and the diff between two of them when asked.
#[derive(Serialize, JsonSchema)]
pub struct HistoryOut {
    /// Absent while the file has never been committed.
    pub history: Option<FileHistory>,
    pub diff: Option<Vec<DiffLine>>,
}

#[derive(Serialize, JsonSchema)]
pub struct Findings {
    pub findings: Vec<Finding>,
    pub errors: usize,
}

/// A Markdown (`toc`) or Mermaid (`graph`) document.
#[derive(Serialize, JsonSchema)]
pub struct Document_ {
    pub text: String,
}

#[derive(Serialize, JsonSchema)]
pub struct Due {
    pub today: chrono::NaiveDate,
    pub due: Vec<BoardCard>,
}

#[tool_router(vis = "pub(super)")]
impl CairnMcp {
    /// Search the decision log (same query language and ranking as `cairn search`).
    #[tool(annotations(read_only_hint = true), output_schema = schema_for_output::<SearchResults>())]
    async fn search(&self, Parameters(a): Parameters<SearchArgs>) -> CallToolResult {
        answer(self.search_(&a), |r| reply(&r, output::search(&r)))
    }

    /// List decisions in log order, optionally only one status or tag.
    #[tool(annotations(read_only_hint = true), output_schema = schema_for_output::<Decisions>())]
    async fn list(&self, Parameters(a): Parameters<ListArgs>) -> CallToolResult {
        answer(self.list_(&a), |(log, status, tag)| {
            // The rows and the text from one filtering pass over the cached log.
            let shown = agent::filter(&log, status, tag.as_deref());
            let text = output::list(&shown, self.state.workspace());
            let rows = shown
                .into_iter()
                .map(cairn_core::catalog::summary)
                .collect();
            reply(&Decisions { decisions: rows }, text)
        })
    }

    /// One decision whole: metadata, links both ways, the Markdown text and its version.
    /// A later write to this file is refused if it changed since this read.
    #[tool(annotations(read_only_hint = true), output_schema = schema_for_output::<Document>())]
    async fn get(
        &self,
        Parameters(a): Parameters<DecisionArg>,
        ctx: RequestContext<RoleServer>,
    ) -> CallToolResult {
        answer(self.get_(&a.decision, &client_name(&ctx)), |(log, doc)| {
            let mentioned_by = cairn_core::agent::mentioned_by(&log, &doc.decision);
            let rows = cairn_core::catalog::Catalog::from_log(&log);
            let text = output::show(&doc.decision, Some(&doc.text), &rows, &mentioned_by);
            reply(&doc, text)
        })
    }

    /// Who created and changed a decision, every version, and with `from`/`to` the diff
    /// between two versions.
    #[tool(annotations(read_only_hint = true), output_schema = schema_for_output::<HistoryOut>())]
    async fn history(&self, Parameters(a): Parameters<HistoryArgs>) -> CallToolResult {
        answer(self.history_(&a), |(log, out)| {
            let mut text = match (log.resolve(&a.decision), &out.history) {
                (Ok(d), Some(h)) => output::history(d, h),
                _ => "no Git history yet (the file has not been committed)\n".to_string(),
            };
            if let Some(diff) = &out.diff {
                text.push_str(&output::diff(diff, false));
            }
            reply(&out, text)
        })
    }

    /// Check the log: duplicate numbers, broken links, unknown statuses and more.
    #[tool(annotations(read_only_hint = true), output_schema = schema_for_output::<Findings>())]
    async fn lint(&self) -> CallToolResult {
        let opts = cairn_core::lint::Options::for_workspace(self.state.workspace());
        answer(self.state.log(), |log| {
            let findings = cairn_core::lint::lint_with(&log, &opts);
            let errors = findings
                .iter()
                .filter(|f| f.severity == cairn_core::Severity::Error)
                .count();
            let mut text: String = findings.iter().map(|f| format!("{f}\n")).collect();
            text += &format!(
                "{errors} error(s), {} warning(s)\n",
                findings.len() - errors
            );
            reply(&Findings { findings, errors }, text)
        })
    }

    /// A Markdown index of all decisions with their statuses.
    #[tool(annotations(read_only_hint = true), output_schema = schema_for_output::<Document_>())]
    async fn toc(&self) -> CallToolResult {
        answer(self.state.log(), |log| {
            let text = cairn_core::report::toc(&log, output::width(self.state.workspace(), &log));
            reply(&Document_ { text: text.clone() }, text)
        })
    }

    /// The links between decisions as a Mermaid flowchart.
    #[tool(annotations(read_only_hint = true), output_schema = schema_for_output::<Document_>())]
    async fn graph(&self) -> CallToolResult {
        answer(self.state.log(), |log| {
            let width = output::width(self.state.workspace(), &log);
            let text = cairn_core::report::graph(&log, cairn_core::GraphFormat::Mermaid, width);
            reply(&Document_ { text: text.clone() }, text)
        })
    }

    /// Create a decision (status proposed unless given) from the folder's template, in the
    /// folder's own dialect; one commit.
    #[tool(annotations(read_only_hint = false, destructive_hint = false), output_schema = schema_for_output::<Changed>())]
    async fn create(
        &self,
        Parameters(a): Parameters<CreateArgs>,
        ctx: RequestContext<RoleServer>,
    ) -> CallToolResult {
        self.write("create", &ctx, |ws| {
            let new = NewDecision {
                title: bounded("title", &a.title)?.to_string(),
                template: a
                    .template
                    .as_deref()
                    .map(|t| bounded("template", t))
                    .transpose()?
                    .map(str::to_string),
                status: Some(
                    a.status
                        .as_deref()
                        .map(|s| status_arg("status", s))
                        .transpose()?
                        .unwrap_or(StatusKind::Proposed),
                ),
                supersedes: a
                    .supersedes
                    .iter()
                    .map(|s| reference(&self.state, "supersedes", s).map(str::to_string))
                    .collect::<Result<_>>()?,
                links: Vec::new(),
                date: None,
            };
            changes::create(ws, &new)
        })
    }

    /// Change a decision's status, in every place its file states it; one commit.
    #[tool(annotations(read_only_hint = false, destructive_hint = false), output_schema = schema_for_output::<Changed>())]
    async fn set_status(
        &self,
        Parameters(a): Parameters<SetStatusArgs>,
        ctx: RequestContext<RoleServer>,
    ) -> CallToolResult {
        self.write("set_status", &ctx, |ws| {
            let status = status_arg("status", &a.status)?;
            changes::change_status(ws, reference(&self.state, "decision", &a.decision)?, status)
        })
    }

    /// Link two decisions; the reverse link is written into the target; one commit.
    #[tool(annotations(read_only_hint = false, destructive_hint = false), output_schema = schema_for_output::<Changed>())]
    async fn link(
        &self,
        Parameters(a): Parameters<LinkArgs>,
        ctx: RequestContext<RoleServer>,
    ) -> CallToolResult {
        self.write("link", &ctx, |ws| {
            let source = reference(&self.state, "source", &a.source)?;
            let target = reference(&self.state, "target", &a.target)?;
            let reverse = a
                .reverse
                .as_deref()
                .map(|r| bounded("reverse", r))
                .transpose()?;
            changes::link(
                ws,
                source,
                bounded("relation", &a.relation)?,
                target,
                reverse,
            )
        })
    }

    /// Mark `superseded` as superseded by `decision`, both ways; one commit.
    #[tool(annotations(read_only_hint = false, destructive_hint = false), output_schema = schema_for_output::<Changed>())]
    async fn supersede(
        &self,
        Parameters(a): Parameters<SupersedeArgs>,
        ctx: RequestContext<RoleServer>,
    ) -> CallToolResult {
        self.write("supersede", &ctx, |ws| {
            let newer = reference(&self.state, "decision", &a.decision)?;
            let older = reference(&self.state, "superseded", &a.superseded)?;
            changes::link(ws, newer, "Supersedes", older, None)
        })
    }

    /// The Now vs. Later board over every scope map and decision.
    #[tool(annotations(read_only_hint = true), output_schema = schema_for_output::<Board>())]
    async fn board(&self, Parameters(a): Parameters<BoardArgs>) -> CallToolResult {
        answer(self.board_(a.map.as_deref()), |board| {
            let text = crate::board::render(&board);
            reply(&board, text)
        })
    }

    /// Deferred cards and decisions whose revisit-by date has come.
    #[tool(annotations(read_only_hint = true), output_schema = schema_for_output::<Due>())]
    async fn due(&self) -> CallToolResult {
        answer(self.board_(None), |board| {
            let due: Vec<BoardCard> = board.due().into_iter().cloned().collect();
            let mut text: String = due
                .iter()
                .map(|c| format!("{}\n", crate::board::card_line(c).trim_start()))
                .collect();
            text += &format!(
                "{} card(s) due for a revisit ({})\n",
                due.len(),
                board.today
            );
            reply(
                &Due {
                    today: board.today,
                    due,
                },
                text,
            )
        })
    }

    /// Add a card to a scope map's slice (the Inbox by default); one commit.
    #[tool(annotations(read_only_hint = false, destructive_hint = false), output_schema = schema_for_output::<BoardChange>())]
    async fn card_add(
        &self,
        Parameters(a): Parameters<CardAddArgs>,
        ctx: RequestContext<RoleServer>,
    ) -> CallToolResult {
        self.board_write("card_add", &ctx, || {
            Ok(Op::Add {
                map: bounded("map", &a.map)?.into(),
                title: bounded("title", &a.title)?.into(),
                slice: a
                    .slice
                    .as_deref()
                    .map(|s| bounded("slice", s))
                    .transpose()?
                    .map(Into::into),
                fields: a
                    .fields
                    .iter()
                    .map(|f| {
                        Ok((
                            bounded("key", &f.key)?.into(),
                            bounded("value", &f.value)?.into(),
                        ))
                    })
                    .collect::<Result<_>>()?,
            })
        })
    }

    /// Move a card or a decision to now, later, wont or inbox; one commit.
    #[tool(annotations(read_only_hint = false, destructive_hint = false), output_schema = schema_for_output::<BoardChange>())]
    async fn card_move(
        &self,
        Parameters(a): Parameters<CardMoveArgs>,
        ctx: RequestContext<RoleServer>,
    ) -> CallToolResult {
        self.board_write("card_move", &ctx, || {
            let column = bounded("column", &a.column)?
                .parse::<Column>()
                .map_err(|e| Error::BadArgument {
                    name: "column".into(),
                    msg: e.to_string(),
                })?;
            Ok(Op::Move {
                id: bounded("id", &a.id)?.into(),
                column,
                before: a
                    .before
                    .as_deref()
                    .map(|b| bounded("before", b))
                    .transpose()?
                    .map(Into::into),
            })
        })
    }

    /// Set (or with no value remove) a field of a card, or a decision's revisit-when,
    /// revisit-by or reversibility; one commit.
    #[tool(annotations(read_only_hint = false, destructive_hint = false), output_schema = schema_for_output::<BoardChange>())]
    async fn card_set(
        &self,
        Parameters(a): Parameters<CardSetArgs>,
        ctx: RequestContext<RoleServer>,
    ) -> CallToolResult {
        self.board_write("card_set", &ctx, || {
            Ok(Op::Set {
                id: bounded("id", &a.id)?.into(),
                key: bounded("key", &a.key)?.into(),
                value: a
                    .value
                    .as_deref()
                    .map(|v| bounded("value", v))
                    .transpose()?
                    .map(Into::into),
            })
        })
    }
}

/// The steps behind the tools, kept apart from the MCP plumbing above.
impl CairnMcp {
    fn search_(&self, a: &SearchArgs) -> Result<SearchResults> {
        let query = bounded("query", &a.query)?;
        let sort = match a.sort.as_deref().map(str::trim) {
            None | Some("relevance") => SortBy::Relevance,
            Some("newest") => SortBy::Newest,
            Some("oldest") => SortBy::Oldest,
            Some(other) => {
                return Err(Error::BadArgument {
                    name: "sort".into(),
                    msg: format!("{other:?}: one of relevance, newest, oldest"),
                })
            }
        };
        let options = SearchOptions {
            limit: a.limit.unwrap_or(20).min(MAX_LIMIT),
            offset: a.offset.unwrap_or(0),
            sort,
        };
        self.state.with_index(|index| index.search(query, &options))
    }

    fn list_(
        &self,
        a: &ListArgs,
    ) -> Result<(std::sync::Arc<Log>, Option<StatusKind>, Option<String>)> {
        let status = a
            .status
            .as_deref()
            .map(|s| status_arg("status", s))
            .transpose()?;
        let tag = a.tag.as_deref().map(|t| bounded("tag", t)).transpose()?;
        Ok((self.state.log()?, status, tag.map(str::to_string)))
    }

    fn get_(&self, decision: &str, client: &str) -> Result<(std::sync::Arc<Log>, Document)> {
        let decision = reference(&self.state, "decision", decision)?;
        let log = self.state.log()?;
        let doc = agent::read(&log, decision, Some(&self.state.session(client)))?;
        Ok((log, doc))
    }

    fn history_(&self, a: &HistoryArgs) -> Result<(std::sync::Arc<Log>, HistoryOut)> {
        let decision = reference(&self.state, "decision", &a.decision)?;
        let ws = self.state.workspace();
        let log = self.state.log()?;
        let d = log.resolve(decision)?;
        let all = cairn_core::history::workspace_history(ws)?;
        let history = cairn_core::history::of_file(ws, &all, &d.path).cloned();
        let diff = match (&a.from, &a.to) {
            (Some(from), Some(to)) => {
                let to = (to != "worktree").then(|| bounded("to", to)).transpose()?;
                Some(cairn_core::history::diff(
                    &ws.root,
                    &d.path,
                    bounded("from", from)?,
                    to,
                )?)
            }
            _ => None,
        };
        Ok((log.clone(), HistoryOut { history, diff }))
    }

    fn board_(&self, map: Option<&str>) -> Result<Board> {
        let mut board = scope::board::load(self.state.workspace(), changes::today())?;
        if let Some(m) = map {
            board.only_map(bounded("map", m)?)?;
        }
        Ok(board)
    }

    /// Runs one decision change as the client, then tells the log, index and listeners.
    fn write(
        &self,
        tool: &str,
        ctx: &RequestContext<RoleServer>,
        f: impl FnOnce(&cairn_core::Workspace) -> Result<Changed>,
    ) -> CallToolResult {
        let done = self
            .state
            .writer(tool, &client_name(ctx))
            .and_then(|ws| f(&ws));
        answer(done, |changed| {
            self.state.changed(&changed.outcome.paths, tool == "create");
            let text = format!("{}\n{}\n", changed.path.display(), changed.message);
            reply(&changed, text)
        })
    }

    /// Runs one board operation as the client, as [`Self::write`] does.
    fn board_write(
        &self,
        tool: &str,
        ctx: &RequestContext<RoleServer>,
        op: impl FnOnce() -> Result<Op>,
    ) -> CallToolResult {
        let done = self
            .state
            .writer(tool, &client_name(ctx))
            .and_then(|ws| scope::apply(&ws, &op()?, None));
        answer(done, |change: BoardChange| {
            self.state.changed(&change.outcome.paths, false);
            let text = format!("{}\n{}\n", change.id, change.message);
            reply(&change, text)
        })
    }
}

pub fn router() -> ToolRouter<CairnMcp> {
    CairnMcp::tool_router()
}

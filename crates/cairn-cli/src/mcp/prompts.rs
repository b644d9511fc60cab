//! The MCP prompts: the three things teams ask an agent to do with a decision log, each
//! carrying the log's own context (its template, its accepted decisions, the board's rules)
//! so the agent starts from this log and not from a generic idea of one.

use std::fmt::Write as _;

use cairn_core::{Error, Result, StatusKind};
use rmcp::handler::server::router::prompt::PromptRouter;
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::{PromptMessage, Role};
use rmcp::{prompt, prompt_router, ErrorData};
use schemars::JsonSchema;
use serde::Deserialize;

use super::CairnMcp;

/// The longest text a prompt takes (a pasted discussion or diff): 256 KiB.
const MAX_TEXT: usize = 256 * 1024;
/// How many accepted decisions a prompt lists by title.
const MAX_LISTED: usize = 200;

#[derive(Debug, Deserialize, JsonSchema)]
pub struct Discussion {
    /// The discussion (chat, meeting notes, issue thread) the decision came out of.
    pub discussion: String,
}

#[derive(Debug, Deserialize, JsonSchema)]
pub struct Change {
    /// The change: a diff, a pull request description, or a plan.
    pub change: String,
}

#[derive(Debug, Deserialize, JsonSchema)]
pub struct Features {
    /// The features to sort, one per line.
    pub features: String,
}

fn bounded(name: &str, text: &str) -> std::result::Result<(), ErrorData> {
    if text.len() > MAX_TEXT {
        let e = Error::BadArgument {
            name: name.into(),
            msg: format!("{} bytes; at most {MAX_TEXT} are taken", text.len()),
        };
        return Err(super::resources::error(&e));
    }
    Ok(())
}

fn user(text: String) -> Vec<PromptMessage> {
    vec![PromptMessage::new_text(Role::User, text)]
}

#[prompt_router(vis = "pub(super)")]
impl CairnMcp {
    /// Draft a decision record from a discussion, in this log's template and dialect.
    #[prompt(name = "draft_decision")]
    async fn draft_decision(
        &self,
        Parameters(a): Parameters<Discussion>,
    ) -> std::result::Result<Vec<PromptMessage>, ErrorData> {
        bounded("discussion", &a.discussion)?;
        let template = self.template().map_err(|e| super::resources::error(&e))?;
        Ok(user(format!(
            "Draft an architecture decision record from the discussion below.\n\n\
             1. Use `search` to find decisions it touches or repeats; `get` the closest ones.\n\
             2. Write the context (the forces at play), the decision (one sentence first), \
             and its consequences, good and bad. Name the options that were rejected and why.\n\
             3. Create it with `create` (status proposed) and connect it with `link` or \
             `supersede`; if writes are refused, show the draft instead.\n\n\
             This log's template:\n\n{template}\n\nThe discussion:\n\n{}",
            a.discussion
        )))
    }

    /// Check a change (a diff or plan) against the accepted decisions.
    #[prompt(name = "check_change")]
    async fn check_change(
        &self,
        Parameters(a): Parameters<Change>,
    ) -> std::result::Result<Vec<PromptMessage>, ErrorData> {
        bounded("change", &a.change)?;
        let accepted = self.accepted().map_err(|e| super::resources::error(&e))?;
        Ok(user(format!(
            "Check the change below against the accepted decisions of this log. For each \
             decision the change touches, `get` it and say whether the change follows it, \
             departs from it (then quote the decision and say what would have to change), or \
             calls for a new decision that supersedes it. Say so plainly when none applies.\n\n\
             Accepted decisions:\n{accepted}\nThe change:\n\n{}",
            a.change
        )))
    }

    /// Sort features into Now and Later (and Won't), with a reason for each.
    #[prompt(name = "sort_features")]
    async fn sort_features(
        &self,
        Parameters(a): Parameters<Features>,
    ) -> std::result::Result<Vec<PromptMessage>, ErrorData> {
        bounded("features", &a.features)?;
        let mut rules = String::new();
        for r in cairn_core::scope::suggest::RULES {
            let _ = writeln!(rules, "- {} → {}: {}", r.name, r.column, r.reason);
        }
        Ok(user(format!(
            "Sort the features below into Now (critical for the first release), Later \
             (deferred on purpose) and Won't. Give each a one-line reason. For each Later, \
             name the evidence that would bring it back (revisit-when, e.g. \"p95 > 800 ms \
             under real load\") and, where a date fits, a revisit-by date. Check `board` for \
             cards that already exist; add new ones with `card_add` (fields revisit-when, \
             revisit-by, reversibility) if writes are allowed.\n\n\
             The rules this board suggests by:\n{rules}\nThe features:\n\n{}",
            a.features
        )))
    }
}

impl CairnMcp {
    /// The text of the template `create` uses in this folder.
    fn template(&self) -> Result<String> {
        let dir = &self.state.workspace().decisions_dir;
        let templates = cairn_core::template::list(dir)?;
        Ok(templates
            .first()
            .map(|t| t.text.chars().take(8192).collect())
            .unwrap_or_default())
    }

    /// The accepted decisions, one line each, newest last.
    fn accepted(&self) -> Result<String> {
        let log = self.state.log()?;
        let rows = cairn_core::agent::list(&log, Some(StatusKind::Accepted), None);
        let mut out = String::new();
        for r in rows.iter().rev().take(MAX_LISTED).rev() {
            let number = r
                .number
                .map_or_else(|| r.file_name.clone(), |n| format!("{n:04}"));
            let _ = writeln!(out, "- {number} {}", crate::term::line(&r.title));
        }
        if rows.len() > MAX_LISTED {
            let _ = writeln!(
                out,
                "(and {} older ones: use `search`)",
                rows.len() - MAX_LISTED
            );
        }
        Ok(out)
    }
}

pub fn router() -> PromptRouter<CairnMcp> {
    CairnMcp::prompt_router()
}

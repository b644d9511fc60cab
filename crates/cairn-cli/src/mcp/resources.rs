//! Decisions as MCP resources (`cairn://decision/0007`), and the notifications a client
//! subscribed to when decision files change on disk.

use std::collections::BTreeMap;
use std::path::PathBuf;

use cairn_core::{Decision, Error, Log, Result};
use rmcp::model::{
    ErrorCode, ListResourcesResult, ReadResourceResponse, ReadResourceResult, Resource,
    ResourceContents,
};
use rmcp::service::SubscriptionContext;
use rmcp::ErrorData;

use super::State;

const SCHEME: &str = "cairn://decision/";

/// A decision's address: its number at the log's width, or its file name when it has none.
fn uri(d: &Decision, width: usize) -> String {
    match d.number {
        Some(n) => format!("{SCHEME}{n:0width$}"),
        None => format!("{SCHEME}{}", d.file_name),
    }
}

pub fn list(state: &State) -> Result<ListResourcesResult> {
    let log = state.log()?;
    let width = crate::output::width(state.workspace(), &log);
    let items = log
        .decisions
        .iter()
        .map(|d| {
            Resource::new(uri(d, width), d.file_name.clone())
                .with_title(d.display_title())
                .with_mime_type("text/markdown")
        })
        .collect();
    Ok(ListResourcesResult::with_all_items(items))
}

/// The decision's Markdown; reading it counts as the client's read for the conflict check.
pub fn read(state: &State, uri: &str, client: &str) -> Result<ReadResourceResponse> {
    let reference = uri.strip_prefix(SCHEME).ok_or_else(|| Error::BadArgument {
        name: "uri".into(),
        msg: format!(
            "{:?} is not a Cairn decision (they look like {SCHEME}0007)",
            crate::term::line(uri)
        ),
    })?;
    if reference.contains('/') || reference.contains('\\') {
        return Err(Error::OutsideWorkspace {
            path: reference.into(),
            root: state.workspace().decisions_dir.clone(),
        });
    }
    let log = state.log()?;
    let doc = cairn_core::agent::read(&log, reference, Some(&state.session(client)))?;
    let text = doc.note.unwrap_or(doc.text);
    let contents = ResourceContents::text(text, uri).with_mime_type("text/markdown");
    Ok(ReadResourceResult::new(vec![contents]).into())
}

/// A core error as an MCP protocol error: the code the protocol gives it and, in `data`,
/// Cairn's own kind, so a client can tell an unknown decision from a path it may not read.
pub fn error(e: &Error) -> ErrorData {
    let code = match e.error_kind() {
        cairn_core::ErrorKind::NotFound => ErrorCode::RESOURCE_NOT_FOUND,
        cairn_core::ErrorKind::BadArgument
        | cairn_core::ErrorKind::OutsideWorkspace
        | cairn_core::ErrorKind::Ambiguous => ErrorCode::INVALID_PARAMS,
        _ => ErrorCode::INTERNAL_ERROR,
    };
    ErrorData::new(
        code,
        e.to_string(),
        Some(serde_json::json!({ "kind": e.kind() })),
    )
}

/// The decisions' addresses by file, to tell which addresses a batch of changed files touches
/// and whether the list itself changed (a file added or removed).
fn addresses(state: &State) -> BTreeMap<PathBuf, String> {
    let Ok(log) = state.log() else {
        return BTreeMap::new();
    };
    let width = crate::output::width(state.workspace(), &log);
    by_path(&log, width)
}

fn by_path(log: &Log, width: usize) -> BTreeMap<PathBuf, String> {
    log.decisions
        .iter()
        .map(|d| (d.path.clone(), uri(d, width)))
        .collect()
}

/// Runs one `subscriptions/listen` stream: for each batch of changed files, a list-changed
/// notification when decisions came or went, and an updated notification for each changed
/// decision the client subscribed to. Ends when the client cancels or disconnects.
pub async fn listen(state: &State, context: SubscriptionContext) {
    let mut changes = state.changes.subscribe();
    let mut known = addresses(state);
    let sink = context.sink().clone();
    loop {
        let batch = tokio::select! {
            () = context.cancelled() => return,
            batch = changes.recv() => batch,
        };
        let paths = match batch {
            Ok(paths) => paths,
            // Fell behind: some batches were dropped, so treat everything as changed.
            Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {
                known.keys().cloned().collect()
            }
            Err(tokio::sync::broadcast::error::RecvError::Closed) => return,
        };
        let now = addresses(state);
        if known.keys().ne(now.keys()) && sink.accepted().resources_list_changed == Some(true) {
            let _ = sink.notify_resource_list_changed().await;
        }
        let subscribed = sink
            .accepted()
            .resource_subscriptions
            .clone()
            .unwrap_or_default();
        for path in &paths {
            if let Some(uri) = now.get(path).or_else(|| known.get(path)) {
                if subscribed.contains(uri) {
                    let _ = sink.notify_resource_updated(uri.clone()).await;
                }
            }
        }
        known = now;
    }
}

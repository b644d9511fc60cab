//! Decisions as MCP resources (`cairn://decision/0007`), and the notifications a client
//! subscribed to when decision files change on disk.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::{Arc, Mutex};

use cairn_core::{Decision, Error, Result};
use rmcp::model::{
    ErrorCode, ListResourcesResult, ReadResourceResponse, ReadResourceResult, Resource,
    ResourceContents, ResourceUpdatedNotificationParam,
};
use rmcp::service::{Peer, SubscriptionSink};
use rmcp::{ErrorData, RoleServer};
use tokio::sync::broadcast::error::RecvError;

use super::state::Batch;
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

/// The subscribed addresses a changed file answers to: by number (whatever the zero
/// padding the client wrote) or, for a file without one, by file name. Read from the name
/// alone, so a batch costs no parsing of the log.
fn addressed<'a>(path: &Path, subscribed: &'a [String]) -> Vec<&'a String> {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return Vec::new();
    };
    let number = cairn_core::decision::FileName::parse(name).number;
    subscribed
        .iter()
        .filter(|uri| {
            let reference = uri.strip_prefix(SCHEME).unwrap_or(uri);
            match (number, reference.parse::<u32>()) {
                (Some(n), Ok(m)) => n == m,
                _ => reference == name,
            }
        })
        .collect()
}

/// Where change notifications go.
pub enum Target {
    /// A `subscriptions/listen` stream (protocol 2026-07-28), filtered by what it accepted.
    Stream(SubscriptionSink),
    /// The connection itself, for clients on earlier protocol versions: the list always,
    /// and updates for the addresses subscribed with `resources/subscribe`.
    Connection(Peer<RoleServer>, Arc<Mutex<BTreeSet<String>>>),
}

impl Target {
    fn wants_list(&self) -> bool {
        match self {
            Target::Stream(sink) => sink.accepted().resources_list_changed == Some(true),
            Target::Connection(..) => true,
        }
    }

    fn subscribed(&self) -> Vec<String> {
        match self {
            Target::Stream(sink) => sink
                .accepted()
                .resource_subscriptions
                .clone()
                .unwrap_or_default(),
            Target::Connection(_, uris) => uris
                .lock()
                .map(|uris| uris.iter().cloned().collect())
                .unwrap_or_default(),
        }
    }

    /// Sends a notification; false once the client is gone.
    async fn list_changed(&self) -> bool {
        match self {
            Target::Stream(sink) => sink.notify_resource_list_changed().await.is_ok(),
            Target::Connection(peer, _) => peer.notify_resource_list_changed().await.is_ok(),
        }
    }

    async fn updated(&self, uri: &str) -> bool {
        match self {
            Target::Stream(sink) => sink.notify_resource_updated(uri).await.is_ok(),
            Target::Connection(peer, _) => peer
                .notify_resource_updated(ResourceUpdatedNotificationParam::new(uri))
                .await
                .is_ok(),
        }
    }
}

/// Follows file changes for one target until `until` completes or the client is gone: for
/// each batch of changed files, a list-changed notification when decisions came or went, and
/// an updated notification for each changed decision the client subscribed to.
pub async fn follow(state: &State, target: Target, until: impl std::future::Future<Output = ()>) {
    let mut changes = state.changes.subscribe();
    let decisions = state.workspace().decisions_dir.clone();
    tokio::pin!(until);
    loop {
        let batch = tokio::select! {
            () = &mut until => return,
            batch = changes.recv() => batch,
        };
        let batch = match batch {
            Ok(batch) => batch,
            // Fell behind: some batches were dropped, so the list may have changed too.
            Err(RecvError::Lagged(_)) => Batch {
                paths: Vec::new(),
                listed: true,
            },
            Err(RecvError::Closed) => return,
        };
        let decided: Vec<_> = batch
            .paths
            .iter()
            .filter(|p| p.parent() == Some(decisions.as_path()))
            .collect();
        if batch.listed
            && !decided.is_empty()
            && target.wants_list()
            && !target.list_changed().await
        {
            return;
        }
        let subscribed = target.subscribed();
        for path in decided {
            for uri in addressed(path, &subscribed) {
                if !target.updated(uri).await {
                    return;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_file_answers_to_its_number_however_it_was_padded() {
        let subscribed = vec![
            "cairn://decision/0007".to_string(),
            "cairn://decision/12".to_string(),
            "cairn://decision/notes-on-naming.md".to_string(),
        ];
        let at = |name: &str| addressed(&Path::new("/w/docs/decisions").join(name), &subscribed);
        assert_eq!(at("0007-use-stripe.md"), [&subscribed[0]]);
        assert_eq!(at("0012-deploy.md"), [&subscribed[1]]);
        assert_eq!(at("notes-on-naming.md"), [&subscribed[2]]);
        assert!(at("0070-other.md").is_empty());
    }
}

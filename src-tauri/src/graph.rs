//! The graph view's command: the links between the open workspace's decisions, laid out by
//! the core (`cairn_core::graph`, the layout the static site draws too).

use std::collections::HashSet;

use cairn_core::graph::{self, DecisionGraph};
use cairn_core::Result;
use tauri::State;

use crate::state::Shared;
use crate::task::blocking;

/// The graph of the open workspace; with `only`, of those decisions alone (the view's status
/// and tag filters pick them), laid out again so that no gap is left where others were.
#[tauri::command]
pub async fn decision_graph(
    state: State<'_, Shared>,
    only: Option<Vec<String>>,
) -> Result<DecisionGraph> {
    let shared = state.inner().clone();
    blocking(move || {
        let snap = shared.snapshot()?;
        let log = snap.ws.load()?;
        let width = cairn_core::changes::number_width(&snap.ws, &log);
        let only: Option<HashSet<String>> = only.map(|files| files.into_iter().collect());
        Ok(graph::decision_graph(&log, width, only.as_ref()))
    })
    .await
}

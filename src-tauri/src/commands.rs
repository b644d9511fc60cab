//! The commands the web view may call (and only these: see `capabilities/default.json`).
//! Each parses its input, calls `cairn-core` off the main thread, and returns; errors reach
//! the UI as `{ kind, message }`. File names from the UI are checked by the core to lie in
//! the decisions folder.

use std::path::PathBuf;

use cairn_core::index::{SearchOptions, SearchResults};
use cairn_core::store::Stamp;
use cairn_core::template::Template;
use cairn_core::view::{self, FirstRows, Page, Summary};
use cairn_core::{changes, Error, Result, StatusKind};
use tauri::{AppHandle, State};

use crate::state::Shared;
use crate::task::blocking;
use crate::types::WorkspaceInfo;

#[tauri::command]
pub async fn current_workspace(state: State<'_, Shared>) -> Result<WorkspaceInfo> {
    state.info()
}

#[tauri::command]
pub async fn list_decisions(state: State<'_, Shared>) -> Result<Vec<Summary>> {
    let shared = state.inner().clone();
    blocking(move || {
        held_by_the_tests();
        let snap = shared.snapshot()?;
        Ok(shared.catalog(&snap)?.rows().to_vec())
    })
    .await
}

/// The end-to-end tests look at the window while only the log's first screen is there: with
/// `CAIRN_TEST_LOG_GATE` set to a path, the whole log is sent only once a file is there (for
/// a minute at most). Polled, as a one-off file has nothing to wait on. Unset, as in every
/// real run, this is one lookup of the environment.
fn held_by_the_tests() {
    let Some(gate) = std::env::var_os("CAIRN_TEST_LOG_GATE") else {
        return;
    };
    let gate = PathBuf::from(gate);
    let until = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !gate.exists() && std::time::Instant::now() < until {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// The log's first `count` rows, newest first: the window shows them while the whole log
/// (`list_decisions`, 28 MB of JSON at 100,000 decisions) is on its way.
#[tauri::command]
pub async fn first_decisions(state: State<'_, Shared>, count: usize) -> Result<FirstRows> {
    let shared = state.inner().clone();
    blocking(move || {
        let snap = shared.snapshot()?;
        Ok(view::first_rows(shared.catalog(&snap)?.as_ref(), count))
    })
    .await
}

#[tauri::command]
pub async fn open_decision(state: State<'_, Shared>, file: String) -> Result<Page> {
    let shared = state.inner().clone();
    blocking(move || {
        let snap = shared.snapshot()?;
        view::page(&snap.ws, shared.catalog(&snap)?.as_ref(), &file)
    })
    .await
}

#[tauri::command]
pub async fn preview(state: State<'_, Shared>, file: String, text: String) -> Result<String> {
    let shared = state.inner().clone();
    blocking(move || {
        let snap = shared.snapshot()?;
        view::preview_text(&snap.ws, shared.catalog(&snap)?.as_ref(), &file, &text)
    })
    .await
}

/// Saves the editor's text; refused with kind `conflict` if the file changed on disk since
/// the editor loaded `stamp`.
#[tauri::command]
pub async fn save_decision(
    state: State<'_, Shared>,
    file: String,
    text: String,
    stamp: Stamp,
) -> Result<Page> {
    let shared = state.inner().clone();
    blocking(move || {
        let snap = shared.snapshot()?;
        let changed = changes::save_text(&snap.ws, &file, &text, &stamp)?;
        shared.files_changed(&changed.outcome.paths);
        page_now(&shared, &file)
    })
    .await
}

/// Creates a decision from a template; with `supersedes`, marks that one superseded in the
/// same commit. Returns the new file's name.
#[tauri::command]
pub async fn new_decision(
    state: State<'_, Shared>,
    title: String,
    template: Option<String>,
    supersedes: Option<String>,
) -> Result<String> {
    let new = changes::NewDecision {
        title,
        template,
        supersedes: supersedes.into_iter().collect(),
        ..Default::default()
    };
    let shared = state.inner().clone();
    blocking(move || {
        let changed = changes::create(&shared.snapshot()?.ws, &new)?;
        shared.files_changed(&changed.outcome.paths);
        file_name(&changed.path)
    })
    .await
}

#[tauri::command]
pub async fn set_status(
    state: State<'_, Shared>,
    file: String,
    status: StatusKind,
) -> Result<Page> {
    let shared = state.inner().clone();
    blocking(move || {
        let snap = shared.snapshot()?;
        cairn_core::workspace::decision_file(&snap.ws, &file)?;
        let changed = changes::change_status(&snap.ws, &file, status)?;
        shared.files_changed(&changed.outcome.paths);
        page_now(&shared, &file)
    })
    .await
}

#[tauri::command]
pub async fn templates(state: State<'_, Shared>) -> Result<Vec<Template>> {
    let snap = state.snapshot()?;
    blocking(move || cairn_core::template::list(&snap.ws.decisions_dir)).await
}

#[tauri::command]
pub async fn search(
    state: State<'_, Shared>,
    query: String,
    limit: usize,
) -> Result<SearchResults> {
    let snap = state.snapshot()?;
    let options = SearchOptions {
        limit: limit.clamp(1, 100),
        ..Default::default()
    };
    blocking(move || {
        snap.index
            .ok_or(Error::IndexBuilding)?
            .search(&query, &options)
    })
    .await
}

/// The About line, "Cairn 0.1.0 (commit 0123456789ab)": the same version and commit as
/// `cairn --version` (both build scripts stamp it alike), so a bug report names the build.
#[tauri::command]
pub async fn about() -> Result<String> {
    Ok(concat!(
        "Cairn ",
        env!("CARGO_PKG_VERSION"),
        " (commit ",
        env!("CAIRN_GIT_COMMIT"),
        ")"
    )
    .to_string())
}

/// Opens an http(s) or mailto link in the system browser; anything else is refused.
#[tauri::command]
pub async fn open_external(url: String) -> Result<()> {
    // A mailto: opens without its query: `?attach=…` would have some mail programs attach a
    // local file.
    let Some(target) = cairn_core::render::external_target(&url) else {
        return Err(Error::UnsupportedLink { url });
    };
    open::that_detached(target.as_ref()).map_err(|e| Error::LinkNotOpened {
        msg: e.to_string(),
        url,
    })
}

/// Shows the native folder picker (from Rust: the web view has no dialog permission) and
/// opens the folder chosen. None when the user cancelled.
#[tauri::command]
pub async fn pick_workspace(
    app: AppHandle,
    state: State<'_, Shared>,
) -> Result<Option<WorkspaceInfo>> {
    let shared = state.inner().clone();
    let Some(dir) = crate::dialog::pick_folder(&app).await else {
        return Ok(None);
    };
    // The same path as a folder named on the command line (which the end-to-end tests take,
    // since WebDriver cannot drive the native dialog).
    blocking(move || shared.open_folder(&app, &dir).map(Some)).await
}

/// Reopens a workspace from the recent list; other paths are refused, so the web view cannot
/// open a folder the user never chose.
#[tauri::command]
pub async fn open_recent(
    app: AppHandle,
    state: State<'_, Shared>,
    root: String,
) -> Result<WorkspaceInfo> {
    let shared = state.inner().clone();
    blocking(move || shared.open_recent(&app, PathBuf::from(root))).await
}

#[tauri::command]
pub async fn open_demo(app: AppHandle, state: State<'_, Shared>) -> Result<WorkspaceInfo> {
    let shared = state.inner().clone();
    blocking(move || shared.open_demo(&app)).await
}

/// The page of `file` from a fresh snapshot, so it shows the change a command just made.
fn page_now(shared: &Shared, file: &str) -> Result<Page> {
    let snap = shared.snapshot()?;
    view::page(&snap.ws, shared.catalog(&snap)?.as_ref(), file)
}

fn file_name(path: &std::path::Path) -> Result<String> {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| Error::NoFileName {
            path: path.to_path_buf(),
        })
}

//! Publish site…: the open workspace as a static site (`cairn site`), into the folder the
//! user picks or the app's own sites folder, with progress events.

use cairn_core::site::{self, Options, Progress, Report};
use cairn_core::Result;
use tauri::{AppHandle, Emitter, State};

use crate::state::Shared;
use crate::task::blocking;

/// Publishes the open workspace; with `choose`, into a folder the user picks (`None` when
/// they cancel), else into [`site::default_folder`]. Emits `site-progress` while it works.
#[tauri::command]
pub async fn publish_site(
    app: AppHandle,
    state: State<'_, Shared>,
    choose: bool,
) -> Result<Option<Report>> {
    let snap = state.snapshot()?;
    let out = match choose {
        true => match crate::dialog::pick_site_folder(&app).await {
            Some(dir) => dir,
            None => return Ok(None),
        },
        false => site::default_folder(&snap.ws)?,
    };
    let opts = Options {
        out,
        diagram_script: site::default_diagram_script(),
        ..Options::default()
    };
    blocking(move || {
        site::build(std::slice::from_ref(&snap.ws), &opts, &mut |p: Progress| {
            let _ = app.emit("site-progress", p);
        })
        .map(Some)
    })
    .await
}

//! The native dialogs, shown from Rust (the web view has no dialog permission). Each is
//! awaited through a oneshot channel, so no runtime thread blocks while the user decides.

use std::path::{Path, PathBuf};

use tauri::AppHandle;
use tauri_plugin_dialog::{DialogExt, FilePath};
use tokio::sync::oneshot;

/// Waits for the dialog's callback; `None` when the user cancelled (or the dialog went away).
async fn answer(show: impl FnOnce(oneshot::Sender<Option<FilePath>>)) -> Option<PathBuf> {
    let (tx, rx) = oneshot::channel();
    show(tx);
    rx.await.ok().flatten().and_then(|p| p.into_path().ok())
}

/// The folder picker, for opening a decision folder.
pub async fn pick_folder(app: &AppHandle) -> Option<PathBuf> {
    let dialog = app.dialog().file().set_title("Open a decision folder");
    answer(|tx| {
        dialog.pick_folder(move |p| {
            let _ = tx.send(p);
        })
    })
    .await
}

/// The folder picker for Publish site…: an empty folder or one an earlier publish wrote.
pub async fn pick_site_folder(app: &AppHandle) -> Option<PathBuf> {
    let dialog = app
        .dialog()
        .file()
        .set_title("Publish the site into a folder");
    answer(|tx| {
        dialog.pick_folder(move |p| {
            let _ = tx.send(p);
        })
    })
    .await
}

/// The save dialog for a workshop's outcome, opened at `default` (its folder, else `root`).
pub async fn save_markdown(app: &AppHandle, default: &Path, root: &Path) -> Option<PathBuf> {
    let dialog = app
        .dialog()
        .file()
        .set_title("Save the workshop outcome")
        .add_filter("Markdown", &["md"])
        .set_directory(default.parent().unwrap_or(root))
        .set_file_name(
            default
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
        );
    answer(|tx| {
        dialog.save_file(move |p| {
            let _ = tx.send(p);
        })
    })
    .await
}

//! `cairn-desktop [WORKSPACE]`: the Tauri shell. Opens the folder given, else the last
//! workspace, else the demo (copied on first run into the user's data folder).

// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod board;
mod commands;
mod dialog;
mod head;
mod history;
mod navigation;
#[cfg(test)]
mod security;
mod state;
mod sync;
mod task;
mod types;
mod watch;

use std::path::PathBuf;

use tauri::Manager;

fn main() {
    // Unchecked libgit2 reads and glibc allocator thresholds, for the history the board and
    // the history panel compute: libgit2's per-object hash check made a walk that reads the
    // whole history once up to ten times slower (see `tune_process` for the measurements).
    // A library leaves this choice to the program, so it is made here, before any thread.
    cairn_core::tune_process();
    let arg = std::env::args_os().nth(1).map(PathBuf::from);
    if arg
        .as_deref()
        .is_some_and(|a| a == std::path::Path::new("--help") || a == std::path::Path::new("-h"))
    {
        println!("usage: cairn-desktop [WORKSPACE]\n\nOpens WORKSPACE (a folder with decisions), else the last one, else the demo.");
        return;
    }
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .plugin(navigation::guard())
        .manage(state::Shared::new())
        .setup(move |app| {
            let handle = app.handle().clone();
            let shared = app.state::<state::Shared>();
            if let Err(err) = shared.open_at_start(&handle, arg.as_deref()) {
                // The window still opens and says what went wrong, with a way to pick a folder.
                eprintln!("cairn-desktop: {err}");
                shared.set_start_error(err);
            }
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::current_workspace,
            commands::list_decisions,
            commands::open_decision,
            commands::preview,
            commands::save_decision,
            commands::new_decision,
            commands::set_status,
            commands::templates,
            commands::search,
            commands::open_external,
            commands::pick_workspace,
            commands::open_recent,
            commands::open_demo,
            history::decision_history,
            history::version_diff,
            sync::sync_status,
            sync::sync_now,
            board::board_load,
            board::board_apply,
            board::board_undo,
            board::board_export_session,
            board::set_fullscreen,
        ])
        .run(tauri::generate_context!("../tauri.conf.json"));
    if let Err(err) = result {
        eprintln!("cairn-desktop: {err}");
        std::process::exit(1);
    }
}

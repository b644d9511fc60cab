//! `cairn-desktop [WORKSPACE]`: the Tauri shell. Opens the folder given, else the last
//! workspace, else the demo (copied on first run into the user's data folder).

// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

// The command list first: the modules below expand it.
#[macro_use]
mod command_table;
#[macro_use]
mod bindings;
mod board;
mod commands;
mod dialog;
mod graph;
mod head;
mod history;
mod navigation;
mod renderer;
#[cfg(test)]
mod security;
mod site;
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
    renderer::skip_gpu_probes_without_gpu();
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
            let shared = app.state::<state::Shared>();
            shared.open_at_start_in_background(app.handle().clone(), arg);
            Ok(())
        })
        .invoke_handler(cairn_commands!(handler))
        .run(tauri::generate_context!());
    if let Err(err) = result {
        eprintln!("cairn-desktop: {err}");
        std::process::exit(1);
    }
}

//! Builds the Tauri context. `tauri.conf.json` lives at the repository root, and tauri-build
//! reads it (and the paths in it) from the current folder, so this changes there first.

/// The commands the web view may call; each gets an `allow-…` permission that
/// `capabilities/default.json` grants. Keep in step with `invoke_handler` in `main.rs`
/// (a test checks the capability file against this list).
const COMMANDS: &[&str] = &[
    "current_workspace",
    "list_decisions",
    "open_decision",
    "preview",
    "save_decision",
    "new_decision",
    "set_status",
    "templates",
    "search",
    "open_external",
    "pick_workspace",
    "open_recent",
    "open_demo",
    "decision_history",
    "version_diff",
    "sync_status",
    "sync_now",
    "board_load",
    "board_apply",
    "board_undo",
    "board_export_session",
    "set_fullscreen",
];

fn main() {
    let manifest_dir =
        std::path::PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let root = manifest_dir.parent().unwrap_or(&manifest_dir).to_path_buf();
    if let Err(e) = std::env::set_current_dir(&root) {
        eprintln!("cannot change to {}: {e}", root.display());
        std::process::exit(1);
    }
    println!("cargo:rerun-if-changed=../tauri.conf.json");
    println!("cargo:rerun-if-changed=../ui/dist");
    println!("cargo:rerun-if-changed=capabilities");
    let attributes = tauri_build::Attributes::new()
        .capabilities_path_pattern("src-tauri/capabilities/*.json")
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(e) = tauri_build::try_build(attributes) {
        eprintln!("tauri-build failed: {e:#}");
        std::process::exit(1);
    }
}

//! Builds the Tauri context from `tauri.conf.json` beside this file (where the Tauri CLI
//! looks for it too, for `make package`), and records the Git commit for the About box.

// The command list the app registers, read here for its names.
#[macro_use]
#[path = "src/command_table.rs"]
mod command_table;

// The same commit stamp as `cairn --version`, so the app's About and the CLI agree.
#[path = "../crates/cairn-cli/git_commit.rs"]
mod git_commit;

/// The command names of the list, in its order.
macro_rules! names {
    ($($module:ident::$name:ident(
        $($inj:ident),* $(; $($arg:ident: $ty:ty),* $(,)?)?
    ) -> $ret:ty;)*) => {
        &[$(stringify!($name)),*]
    };
}

/// The commands the web view may call; each gets an `allow-…` permission that
/// `capabilities/default.json` grants (a test checks the capability file against this list).
const COMMANDS: &[&str] = cairn_commands!(names);

fn main() {
    git_commit::emit(std::path::Path::new("."));
    println!("cargo:rerun-if-changed=tauri.conf.json");
    println!("cargo:rerun-if-changed=../ui/dist");
    println!("cargo:rerun-if-changed=capabilities");
    println!("cargo:rerun-if-changed=src/command_table.rs");
    let attributes = tauri_build::Attributes::new()
        .capabilities_path_pattern("capabilities/*.json")
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(e) = tauri_build::try_build(attributes) {
        eprintln!("tauri-build failed: {e:#}");
        std::process::exit(1);
    }
}

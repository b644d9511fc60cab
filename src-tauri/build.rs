//! Builds the Tauri context. `tauri.conf.json` lives at the repository root, and tauri-build
//! reads it (and the paths in it) from the current folder, so this changes there first.

// The command list the app registers, read here for its names.
#[macro_use]
#[path = "src/command_table.rs"]
mod command_table;

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
    println!("cargo:rerun-if-changed=src/command_table.rs");
    let attributes = tauri_build::Attributes::new()
        .capabilities_path_pattern("src-tauri/capabilities/*.json")
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(e) = tauri_build::try_build(attributes) {
        eprintln!("tauri-build failed: {e:#}");
        std::process::exit(1);
    }
}

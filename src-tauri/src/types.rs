//! The shell's own types that cross to the UI (the rest come from `cairn-core`), and the
//! generation of every such type into `ui/src/generated/` so the UI never writes them twice.

use serde::Serialize;
use ts_rs::TS;

/// The open workspace as the UI shows it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct WorkspaceInfo {
    /// Which opening of a workspace this is; index events carry it, so an event that
    /// arrives before (or after) the answer to an open is matched to the right workspace.
    pub generation: u64,
    pub root: String,
    /// The folder's name, for the title bar.
    pub name: String,
    pub decisions_dir: String,
    pub is_demo: bool,
    /// True while the search index is being built; `index-progress` events follow.
    pub indexing: bool,
    /// Recently opened workspaces, most recent first (this one included).
    pub recent: Vec<String>,
    /// Why the workspace asked for could not be opened at start, if it could not.
    pub start_error: Option<String>,
}

/// `index-progress` event: files indexed so far.
#[derive(Debug, Clone, Serialize, TS)]
pub struct IndexProgress {
    pub generation: u64,
    pub done: usize,
    pub total: usize,
}

/// `index-ready` event: the index is searchable (or could not be built, and why).
#[derive(Debug, Clone, Serialize, TS)]
pub struct IndexReady {
    pub generation: u64,
    pub documents: usize,
    pub millis: u64,
    pub error: Option<String>,
}

/// `files-changed` event: decision files changed on disk (by the app or from outside).
#[derive(Debug, Clone, Serialize, TS)]
pub struct FilesChanged {
    pub files: Vec<String>,
}

/// `head-moved` event: the repository's HEAD now points to `head` (`None`: an unborn branch).
#[derive(Debug, Clone, Serialize, TS)]
pub struct HeadMoved {
    pub head: Option<String>,
}

#[cfg(test)]
/// Writes (or with `check`, compares) every generated TypeScript file. Returns the files
/// that differ.
pub fn generate(dir: &std::path::Path, check: bool) -> std::io::Result<Vec<String>> {
    use cairn_core as c;
    // u64 counts never reach 2^53 here; plain numbers keep the UI free of bigint.
    let cfg = ts_rs::Config::new().with_large_int("number");
    let decls: Vec<(String, String)> = vec![
        decl::<WorkspaceInfo>(&cfg),
        decl::<IndexProgress>(&cfg),
        decl::<IndexReady>(&cfg),
        decl::<FilesChanged>(&cfg),
        decl::<HeadMoved>(&cfg),
        decl::<c::view::Summary>(&cfg),
        decl::<c::view::FirstRows>(&cfg),
        decl::<c::catalog::MentionTarget>(&cfg),
        decl::<c::view::Page>(&cfg),
        decl::<c::view::Related>(&cfg),
        decl::<c::Decision>(&cfg),
        decl::<c::Status>(&cfg),
        decl::<c::StatusKind>(&cfg),
        decl::<c::decision::People>(&cfg),
        decl::<c::Link>(&cfg),
        decl::<c::decision::Planning>(&cfg),
        decl::<c::decision::Section>(&cfg),
        decl::<c::Severity>(&cfg),
        decl::<c::Diagnostic>(&cfg),
        decl::<c::Dialect>(&cfg),
        decl::<c::store::Stamp>(&cfg),
        decl::<c::index::SearchResults>(&cfg),
        decl::<c::index::Hit>(&cfg),
        decl::<c::index::Snippet>(&cfg),
        decl::<c::template::Template>(&cfg),
        decl::<c::history::FileHistory>(&cfg),
        decl::<c::history::Version>(&cfg),
        decl::<c::history::Stamp>(&cfg),
        decl::<c::history::ChangeKind>(&cfg),
        decl::<c::history::DiffLine>(&cfg),
        decl::<c::history::LineKind>(&cfg),
        decl::<c::sync::SyncStatus>(&cfg),
        decl::<c::sync::SyncReport>(&cfg),
        decl::<c::sync::Integration>(&cfg),
        decl::<c::scope::view::BoardView>(&cfg),
        decl::<c::scope::view::BoardResult>(&cfg),
        decl::<c::scope::view::UndoResult>(&cfg),
        decl::<c::scope::view::ImportResult>(&cfg),
        decl::<c::scope::import::ImportRequest>(&cfg),
        decl::<c::scope::import::ImportFormat>(&cfg),
        decl::<c::scope::import::ImportPreview>(&cfg),
        decl::<c::scope::import::ImportCard>(&cfg),
        decl::<c::scope::import::ColumnMapping>(&cfg),
        decl::<c::scope::import::Skipped>(&cfg),
        decl::<c::scope::import::Imported>(&cfg),
        decl::<c::scope::workshop::ExportedSession>(&cfg),
        decl::<c::scope::Board>(&cfg),
        decl::<c::scope::BoardCard>(&cfg),
        decl::<c::scope::CardKind>(&cfg),
        decl::<c::scope::Column>(&cfg),
        decl::<c::scope::ColumnView>(&cfg),
        decl::<c::scope::OverLimit>(&cfg),
        decl::<c::scope::BoardDiagnostic>(&cfg),
        decl::<c::scope::board::MapInfo>(&cfg),
        decl::<c::scope::board::SliceLimit>(&cfg),
        decl::<c::scope::Suggestion>(&cfg),
        decl::<c::scope::Op>(&cfg),
        decl::<c::scope::BoardChange>(&cfg),
        decl::<c::store::Outcome>(&cfg),
        decl::<c::store::Committed>(&cfg),
        decl::<c::scope::workshop::StartPlace>(&cfg),
        decl::<c::scope::workshop::SessionInfo>(&cfg),
        decl::<c::site::Report>(&cfg),
        decl::<c::site::Progress>(&cfg),
        decl::<c::site::Step>(&cfg),
        decl::<c::graph::DecisionGraph>(&cfg),
        decl::<c::graph::GraphNode>(&cfg),
        decl::<c::graph::GraphEdge>(&cfg),
        decl::<c::ErrorKind>(&cfg),
    ];
    let mut text = String::from(
        "// Generated from the Rust types by `cargo test -p cairn-desktop` (UPDATE_BINDINGS=1\n\
         // rewrites it). Do not edit.\n\n",
    );
    for (_, d) in &decls {
        text.push_str("export ");
        text.push_str(d);
        text.push_str("\n\n");
    }
    let files = [
        ("types.ts", text),
        ("commands.ts", crate::bindings::commands_ts(&cfg)),
    ];
    let mut stale = vec![];
    for (name, text) in files {
        let path = dir.join(name);
        if std::fs::read_to_string(&path).unwrap_or_default() == text {
            continue;
        }
        if !check {
            std::fs::create_dir_all(dir)?;
            std::fs::write(&path, &text)?;
        }
        stale.push(path.display().to_string());
    }
    Ok(stale)
}

#[cfg(test)]
fn decl<T: TS>(cfg: &ts_rs::Config) -> (String, String) {
    (T::name(cfg), T::decl(cfg))
}

#[cfg(test)]
mod tests {
    /// The UI's types are the Rust types: this fails when they drift, and rewrites them when
    /// run with UPDATE_BINDINGS=1.
    #[test]
    fn generated_types_are_current() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/generated");
        let update = std::env::var_os("UPDATE_BINDINGS").is_some();
        let stale = super::generate(&dir, !update).unwrap();
        assert!(
            update || stale.is_empty(),
            "{stale:?} is out of date: run UPDATE_BINDINGS=1 cargo test -p cairn-desktop generated_types"
        );
    }
}

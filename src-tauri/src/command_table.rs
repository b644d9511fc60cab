//! The one list of the commands the web view may call: each command's name, the arguments
//! the UI sends and the result it gets back. Everything else is made from this list: the
//! handler `main.rs` registers, the `allow-…` permissions `build.rs` declares, a compile-time
//! check that each command's Rust signature agrees with its line here (`bindings`), and the
//! UI's typed wrappers in `ui/src/generated/commands.ts`.
//!
//! A line reads `module::command(injected; argument: Type, …) -> Result;`. The injected
//! values (`app`, `state`, `window`) are the ones Tauri hands the command itself, in the
//! order the command takes them; the UI never sends them. This file holds only the macro, so
//! that `build.rs` can include it without the types being in scope.

/// Calls the macro `$then!` with the command list.
macro_rules! cairn_commands {
    ($then:ident) => {
        $then! {
            commands::current_workspace(state) -> WorkspaceInfo;
            commands::list_decisions(state) -> Vec<Summary>;
            commands::first_decisions(state; count: usize) -> FirstRows;
            commands::open_decision(state; file: String) -> Page;
            commands::preview(state; file: String, text: String) -> String;
            commands::save_decision(state; file: String, text: String, stamp: Stamp) -> Page;
            commands::new_decision(
                state;
                title: String,
                template: Option<String>,
                supersedes: Option<String>
            ) -> String;
            commands::set_status(state; file: String, status: StatusKind) -> Page;
            commands::templates(state) -> Vec<Template>;
            commands::search(state; query: String, limit: usize) -> SearchResults;
            commands::open_external(; url: String) -> ();
            commands::pick_workspace(app, state) -> Option<WorkspaceInfo>;
            commands::open_recent(app, state; root: String) -> WorkspaceInfo;
            commands::open_demo(app, state) -> WorkspaceInfo;
            commands::about() -> String;
            history::decision_history(state; file: String) -> Option<FileHistory>;
            history::version_diff(
                state;
                file: String,
                old: Option<String>,
                new: String
            ) -> Vec<DiffLine>;
            sync::sync_status(state) -> SyncStatus;
            sync::sync_now(app, state) -> SyncReport;
            board::board_load(state) -> BoardView;
            board::board_apply(state; op: Op, stamp: Option<Stamp>) -> BoardResult;
            board::board_import_preview(state; request: ImportRequest) -> ImportPreview;
            board::board_import(
                state;
                request: ImportRequest,
                stamp: Option<Stamp>
            ) -> ImportResult;
            board::board_undo(state) -> UndoResult;
            board::board_export_session(
                app,
                state;
                start: Vec<StartPlace>,
                info: SessionInfo,
                choose: bool
            ) -> Option<ExportedSession>;
            board::set_fullscreen(window; on: bool) -> ();
            site::publish_site(app, state; choose: bool) -> Option<SiteReport>;
            graph::decision_graph(state; only: Option<Vec<String>>) -> DecisionGraph;
        }
    };
}

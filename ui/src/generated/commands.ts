// Generated from the command list in src-tauri/src/command_table.rs by `cargo test -p
// cairn-desktop` (UPDATE_BINDINGS=1 rewrites it). Do not edit.
import { invoke } from "@tauri-apps/api/core";
import type { BoardResult, BoardView, DecisionGraph, DiffLine, ExportedSession, FileHistory, FirstRows, ImportPreview, ImportRequest, ImportResult, Op, Page, SearchResults, SessionInfo, SiteReport, Stamp, StartPlace, StatusKind, Summary, SyncReport, SyncStatus, Template, UndoResult, WorkspaceInfo } from "./types";

/** Every command the shell registers, as a typed call. */
export const commands = {
  currentWorkspace: (): Promise<WorkspaceInfo> =>
    invoke("current_workspace"),
  listDecisions: (): Promise<Array<Summary>> =>
    invoke("list_decisions"),
  firstDecisions: (count: number): Promise<FirstRows> =>
    invoke("first_decisions", { count }),
  openDecision: (file: string): Promise<Page> =>
    invoke("open_decision", { file }),
  preview: (file: string, text: string): Promise<string> =>
    invoke("preview", { file, text }),
  saveDecision: (file: string, text: string, stamp: Stamp): Promise<Page> =>
    invoke("save_decision", { file, text, stamp }),
  newDecision: (title: string, template: string | null, supersedes: string | null): Promise<string> =>
    invoke("new_decision", { title, template, supersedes }),
  setStatus: (file: string, status: StatusKind): Promise<Page> =>
    invoke("set_status", { file, status }),
  templates: (): Promise<Array<Template>> =>
    invoke("templates"),
  search: (query: string, limit: number): Promise<SearchResults> =>
    invoke("search", { query, limit }),
  openExternal: (url: string): Promise<void> =>
    invoke("open_external", { url }),
  pickWorkspace: (): Promise<WorkspaceInfo | null> =>
    invoke("pick_workspace"),
  openRecent: (root: string): Promise<WorkspaceInfo> =>
    invoke("open_recent", { root }),
  openDemo: (): Promise<WorkspaceInfo> =>
    invoke("open_demo"),
  about: (): Promise<string> =>
    invoke("about"),
  decisionHistory: (file: string): Promise<FileHistory | null> =>
    invoke("decision_history", { file }),
  versionDiff: (file: string, old: string | null, new_: string): Promise<Array<DiffLine>> =>
    invoke("version_diff", { file, old, new: new_ }),
  syncStatus: (): Promise<SyncStatus> =>
    invoke("sync_status"),
  syncNow: (): Promise<SyncReport> =>
    invoke("sync_now"),
  boardLoad: (): Promise<BoardView> =>
    invoke("board_load"),
  boardApply: (op: Op, stamp: Stamp | null): Promise<BoardResult> =>
    invoke("board_apply", { op, stamp }),
  boardImportPreview: (request: ImportRequest): Promise<ImportPreview> =>
    invoke("board_import_preview", { request }),
  boardImport: (request: ImportRequest, stamp: Stamp | null): Promise<ImportResult> =>
    invoke("board_import", { request, stamp }),
  boardUndo: (): Promise<UndoResult> =>
    invoke("board_undo"),
  boardExportSession: (start: Array<StartPlace>, info: SessionInfo, choose: boolean): Promise<ExportedSession | null> =>
    invoke("board_export_session", { start, info, choose }),
  setFullscreen: (on: boolean): Promise<void> =>
    invoke("set_fullscreen", { on }),
  publishSite: (choose: boolean): Promise<SiteReport | null> =>
    invoke("publish_site", { choose }),
  decisionGraph: (only: Array<string> | null): Promise<DecisionGraph> =>
    invoke("decision_graph", { only }),
};

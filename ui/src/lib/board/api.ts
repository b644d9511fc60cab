// The board's commands (src-tauri/src/board.rs) and its events. Errors arrive as
// { kind, message }, as for every other command (see ../api.ts).
import { commands } from "../../generated/commands";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import type { BoardCard, Column, FilesChanged } from "../../generated/types";

/** The board's commands, from the generated wrappers. `apply`'s `stamp` is the card's map
 * as the board was loaded; a changed map is a `conflict`. */
export const boardApi = {
  load: commands.boardLoad,
  apply: commands.boardApply,
  undo: commands.boardUndo,
  importPreview: commands.boardImportPreview,
  import: commands.boardImport,
  exportSession: commands.boardExportSession,
  setFullscreen: commands.setFullscreen,
};

export const boardEvents = {
  /** A scope map changed on disk (another editor, a `git pull`, or the app itself). */
  scopeChanged: (f: (p: FilesChanged) => void): Promise<UnlistenFn> =>
    listen<FilesChanged>("scope-changed", (e) => f(e.payload)),
  /** A decision changed on disk: decision cards may have moved. */
  decisionsChanged: (f: (p: FilesChanged) => void): Promise<UnlistenFn> =>
    listen<FilesChanged>("files-changed", (e) => f(e.payload)),
};

export const COLUMNS: { id: Column; name: string; hint: string }[] = [
  { id: "inbox", name: "Inbox", hint: "Not sorted yet" },
  { id: "now", name: "Now", hint: "The MVP: needed on launch day" },
  { id: "later", name: "Later", hint: "Deferred on purpose, with what brings it back" },
  { id: "wont", name: "Won't", hint: "Decided against" },
];

/** A card on the board, as the drag-and-drop zones hold it. */
export type Item = BoardCard & { isDndShadowItem?: boolean };

/** The marks the benchmark and the end-to-end tests read: when the board last painted. */
export function markPainted(key: string, detail: Record<string, unknown> = {}) {
  requestAnimationFrame(() => {
    const w = window as unknown as { __cairnBoard?: Record<string, unknown> };
    w.__cairnBoard = { ...(w.__cairnBoard ?? {}), [key]: { t: performance.now(), ...detail } };
  });
}

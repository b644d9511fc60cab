// The shell's commands and events for the components. The commands' wrappers and the types
// are generated from Rust (src/generated/); errors arrive as { kind, message }.
import { commands } from "../generated/commands";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import type {
  ErrorKind,
  FilesChanged,
  HeadMoved,
  IndexProgress,
  IndexReady,
  SiteProgress,
  StatusKind,
} from "../generated/types";

// `kind` is one of the Rust `ErrorKind`s, so a comparison with a kind that does not exist
// fails the type check; "internal" also covers anything that was not a Cairn error.
export interface CairnError {
  kind: ErrorKind;
  message: string;
}

export function asError(e: unknown): CairnError {
  if (e && typeof e === "object" && "kind" in e && "message" in e) {
    return e as CairnError;
  }
  return { kind: "internal", message: String(e) };
}

/** The shell's commands: the generated wrappers (one per command in
 * src-tauri/src/command_table.rs), with the defaults the components rely on. */
export const api = {
  ...commands,
  search: (query: string, limit = 20) => commands.search(query, limit),
};

export const events = {
  indexProgress: (f: (p: IndexProgress) => void): Promise<UnlistenFn> =>
    listen<IndexProgress>("index-progress", (e) => f(e.payload)),
  indexReady: (f: (p: IndexReady) => void): Promise<UnlistenFn> =>
    listen<IndexReady>("index-ready", (e) => f(e.payload)),
  filesChanged: (f: (p: FilesChanged) => void): Promise<UnlistenFn> =>
    listen<FilesChanged>("files-changed", (e) => f(e.payload)),
  headMoved: (f: (p: HeadMoved) => void): Promise<UnlistenFn> =>
    listen<HeadMoved>("head-moved", (e) => f(e.payload)),
  siteProgress: (f: (p: SiteProgress) => void): Promise<UnlistenFn> =>
    listen<SiteProgress>("site-progress", (e) => f(e.payload)),
};

/** Splits text into plain and highlighted pieces from UTF-8 byte ranges (as the Rust
 * snippet gives them), so the DOM is built from text nodes and never from HTML. */
export function highlightPieces(
  text: string,
  ranges: [number, number][],
): { text: string; hit: boolean }[] {
  const bytes = new TextEncoder().encode(text);
  const dec = new TextDecoder();
  const out: { text: string; hit: boolean }[] = [];
  let at = 0;
  for (const [start, end] of [...ranges].sort((a, b) => a[0] - b[0])) {
    if (start < at || end > bytes.length || start >= end) continue;
    if (start > at) out.push({ text: dec.decode(bytes.slice(at, start)), hit: false });
    out.push({ text: dec.decode(bytes.slice(start, end)), hit: true });
    at = end;
  }
  if (at < bytes.length) out.push({ text: dec.decode(bytes.slice(at)), hit: false });
  return out;
}

export const STATUSES: StatusKind[] = [
  "draft",
  "proposed",
  "accepted",
  "rejected",
  "deprecated",
  "superseded",
];

export function label(n: number | null, file: string): string {
  return n === null ? file : String(n).padStart(4, "0");
}

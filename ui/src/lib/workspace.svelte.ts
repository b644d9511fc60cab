// The open workspace and its search index: which workspace, why none could be opened, the
// index's progress, and a counter of file changes that open views watch to refresh.
import { api, asError, events } from "./api";
import { doc } from "./doc.svelte";
import { log } from "./log.svelte";
import { toast } from "./toast.svelte";
import type { IndexProgress, WorkspaceInfo } from "../generated/types";

// CodeMirror is most of the script: loaded when the editor first opens, not at start.
export const loadEditor = () => import("./Editor.svelte");

/** Marks when the list was first painted, when all its rows were, and when search was ready
 * (for docs/benchmarks.md). */
function mark(name: string) {
  const w = window as unknown as Record<string, number>;
  w[name] ??= performance.timeOrigin + performance.now();
}

class Workspace {
  ws: WorkspaceInfo | null = $state(null);
  startError = $state("");
  progress: IndexProgress | null = $state(null);
  indexing = $state(false);
  /** Bumped when files change or the index becomes ready, so open views can refresh. */
  fileChanges = $state(0);

  // The index of a workspace can be ready before the answer to the command that opened it
  // arrives: remember which opening's index is ready, and never let the older answer win.
  #readyGeneration = -1;

  async load(info: WorkspaceInfo) {
    this.ws = info;
    this.startError = info.start_error ?? "";
    this.indexing = info.indexing && this.#readyGeneration !== info.generation;
    if (!this.indexing) this.progress = null;
    document.title = `Cairn — ${info.name}`;
    doc.clear();
    await log.open();
    requestAnimationFrame(() => mark("__cairnListed"));
    log.rest.then(() => requestAnimationFrame(() => mark("__cairnComplete")));
    if (!this.indexing) mark("__cairnSearchable");
    // Fetch the editor's code once the window is up, so the first edit does not wait for it.
    setTimeout(() => loadEditor().catch(() => {}), 300);
    if (log.shown.length > 0) await doc.open(log.shown[0].file_name, false);
  }

  /** Opens what `pick` answers (a workspace, or nothing when the user cancelled). */
  async openWith(pick: () => Promise<WorkspaceInfo | null>) {
    try {
      const info = await pick();
      if (info) await this.load(info);
    } catch (e) {
      toast.fail(e);
    }
  }

  /** Listens to the index and the file watcher, and loads the workspace the shell opened at
   * start. Returns the function that stops listening. */
  start(): () => void {
    const unlisten = [
      events.indexProgress((p) => {
        if (p.generation === this.#readyGeneration || (this.ws && p.generation < this.ws.generation)) return;
        this.progress = p;
        this.indexing = true;
      }),
      events.indexReady((r) => {
        this.#readyGeneration = Math.max(this.#readyGeneration, r.generation);
        if (this.ws && r.generation < this.ws.generation) return;
        this.progress = null;
        this.indexing = false;
        requestAnimationFrame(() => mark("__cairnSearchable"));
        this.fileChanges++;
        if (r.error) toast.say(`Search is unavailable: ${r.error}`, true);
      }),
      events.filesChanged(async (c) => {
        this.fileChanges++;
        await log.refresh();
        await doc.filesChanged(c.files);
      }),
    ];
    api
      .currentWorkspace()
      .then((info) => this.load(info))
      .catch((e) => {
        this.startError = asError(e).message;
      });
    return () => unlisten.forEach((p) => p.then((f) => f()));
  }
}

export const workspace = new Workspace();

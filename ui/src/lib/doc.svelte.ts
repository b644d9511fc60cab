// The decision on screen, read or edited: which one, its page, and the editor's text, stamp
// and state (unsaved, changed on disk, in conflict). Every answer that arrives late (an older
// navigation, a save while more was typed) is checked against what the user did meanwhile.
import { tick } from "svelte";
import { api, asError } from "./api";
import { log } from "./log.svelte";
import { toast } from "./toast.svelte";
import type { Page, StatusKind } from "../generated/types";

class Doc {
  selected: string | null = $state(null);
  page: Page | null = $state(null);
  mode: "view" | "edit" = $state("view");
  editText = $state("");
  editStamp: Page["stamp"] | null = $state(null);
  dirty = $state(false);
  previewHtml = $state("");
  changedOnDisk = $state(false);
  conflict: Page | null = $state(null);
  saving = $state(false);
  /** Called after a decision opened with `focusView`: the list reveals it, the view takes
   * the focus (the store knows no DOM). */
  onopened: (file: string) => void = () => {};

  // Only the latest navigation applies: a slow answer for an older one is dropped, so a
  // refresh from the file watcher can never replace the decision the user just opened.
  #openSeq = 0;
  #previewTimer: ReturnType<typeof setTimeout> | undefined;

  /** Nothing open, as after opening another workspace. */
  clear() {
    this.selected = null;
    this.page = null;
    this.mode = "view";
  }

  async open(file: string, focusView = true) {
    if (this.mode === "edit" && this.dirty && !confirm("Discard your unsaved edits?")) return;
    const mine = ++this.#openSeq;
    this.selected = file;
    try {
      const p = await api.openDecision(file);
      if (mine !== this.#openSeq) return;
      this.page = p;
      this.mode = "view";
      this.dirty = false;
      this.changedOnDisk = false;
      await tick();
      if (focusView) this.onopened(file);
    } catch (e) {
      if (mine === this.#openSeq) toast.fail(e);
    }
  }

  /** Re-reads the decision on screen after it changed on disk, unless the user has moved on. */
  async reloadCurrent() {
    const file = this.selected;
    const mine = this.#openSeq;
    if (!file) return;
    try {
      const p = await api.openDecision(file);
      if (mine === this.#openSeq && this.selected === file && this.mode === "view") this.page = p;
    } catch (e) {
      toast.fail(e);
    }
  }

  /** A file changed on disk: the view reads it again, the editor compares it. */
  async filesChanged(files: string[]) {
    if (!this.selected || !files.includes(this.selected)) return;
    if (this.mode === "view") {
      await this.reloadCurrent();
    } else if (!this.saving) {
      await this.editorFileChanged();
    }
  }

  startEdit() {
    if (!this.page) return;
    this.editText = this.page.text;
    this.editStamp = this.page.stamp;
    this.previewHtml = this.page.html;
    this.dirty = false;
    this.changedOnDisk = false;
    this.mode = "edit";
  }

  onEdit(text: string) {
    this.editText = text;
    this.dirty = this.page !== null && text !== this.page.text;
    clearTimeout(this.#previewTimer);
    this.#previewTimer = setTimeout(async () => {
      if (!this.selected) return;
      try {
        this.previewHtml = await api.preview(this.selected, this.editText);
      } catch (e) {
        toast.fail(e);
      }
    }, 120);
  }

  async save(over: Page["stamp"] | null = null) {
    if (!this.selected || !this.editStamp || this.saving) return;
    if (!this.dirty && !over) {
      toast.say("No changes to save");
      return;
    }
    this.saving = true;
    const sent = this.editText;
    try {
      const saved = await api.saveDecision(this.selected, sent, over ?? this.editStamp);
      this.page = saved;
      this.editStamp = saved.stamp;
      // What was typed while the save was on its way stays in the editor, still unsaved.
      if (this.editText === sent) this.editText = saved.text;
      this.dirty = this.editText !== saved.text;
      this.changedOnDisk = false;
      this.conflict = null;
      toast.say("Saved and committed");
      await log.refresh();
    } catch (e) {
      await this.#saveFailed(e);
    } finally {
      this.saving = false;
    }
  }

  /** A conflict shows both versions; anything else is said. */
  async #saveFailed(e: unknown) {
    if (asError(e).kind !== "conflict" || !this.selected) {
      toast.fail(e);
      return;
    }
    try {
      this.conflict = await api.openDecision(this.selected);
    } catch (e2) {
      toast.fail(e2);
    }
  }

  /** The file open in the editor changed on disk (or an event for a change the editor
   * already has arrived late). Compared with what the editor loaded, and decided when the
   * answer comes, not before: keystrokes typed meanwhile must never be replaced. */
  async editorFileChanged() {
    const file = this.selected;
    if (!file) return;
    try {
      const disk = await api.openDecision(file);
      if (this.mode !== "edit" || this.selected !== file || this.saving || disk.stamp === this.editStamp) return;
      if (this.dirty) {
        this.changedOnDisk = true;
        return;
      }
      this.#load(disk);
    } catch (e) {
      toast.fail(e);
    }
  }

  async reloadEditor() {
    if (!this.selected) return;
    try {
      this.#load(await api.openDecision(this.selected));
      this.dirty = false;
      this.conflict = null;
    } catch (e) {
      toast.fail(e);
    }
  }

  /** Puts the file as it is on disk into the editor. */
  #load(disk: Page) {
    this.page = disk;
    this.editText = disk.text;
    this.editStamp = disk.stamp;
    this.previewHtml = disk.html;
    this.changedOnDisk = false;
  }

  async keepMine() {
    if (!this.conflict) return;
    await this.save(this.conflict.stamp);
  }

  closeEditor() {
    if (this.dirty && !confirm("Discard your unsaved edits?")) return;
    this.mode = "view";
    this.dirty = false;
    if (this.selected) this.open(this.selected);
  }

  async changeStatus(status: StatusKind) {
    if (!this.selected || !this.page || this.page.decision.status?.kind === status) return;
    try {
      this.page = await api.setStatus(this.selected, status);
      toast.say(`Status set to ${status}`);
      await log.refresh();
    } catch (e) {
      toast.fail(e);
      if (this.selected) await this.open(this.selected, false);
    }
  }
}

export const doc = new Doc();

// The board's state and operations: the last board loaded, the four columns' cards through
// the filters, the selected card, and the queue that sends moves, adds and undos to the core
// one at a time, each against the latest stamps. The components only lay it out.
import { tick } from "svelte";
import { TRIGGERS, type DndEvent } from "svelte-dnd-action";
import { asError } from "../api";
import { boardApi, COLUMNS, markPainted, type Item } from "./api";
import { activitiesOf, beforeAt, fileName, NO_ACTIVITY, placed, reconcile, visible } from "./logic";
import type { BoardCard, BoardView, Column, ImportRequest, Op, Stamp, Suggestion } from "../../generated/types";

// One signal per column: a change to one column (its drop zone, its cards) leaves the other
// three alone.
class Zones {
  inbox = $state.raw<Item[]>([]);
  now = $state.raw<Item[]>([]);
  later = $state.raw<Item[]>([]);
  wont = $state.raw<Item[]>([]);
}

const KEY_COLUMN: Record<string, Column> = { "1": "inbox", "2": "now", "3": "later", "4": "wont" };

export class BoardStore {
  view = $state.raw<BoardView | null>(null);
  loadError = $state("");
  items = new Zones();
  mapFilter = $state("");
  activityFilter = $state("");
  layout: "columns" | "story" = $state("columns");
  selected = $state<string | null>(null);
  pendingIds = $state.raw<Set<string>>(new Set());
  addText: Record<Column, string> = $state({ inbox: "", now: "", later: "", wont: "" });
  /** The import dialog is open. */
  importing = $state(false);
  workshop = $state<{ start: { id: string; column: Column }[]; startedAt: Date } | null>(null);

  board = $derived(this.view?.board ?? null);
  maps = $derived(this.board?.maps ?? []);
  suggestions = $derived(new Map<string, Suggestion>((this.view?.suggestions ?? []).map((s) => [s.id, s])));
  activities = $derived(
    activitiesOf(this.maps, this.board ? this.board.columns.flatMap((c) => c.cards) : [], this.mapFilter),
  );
  shownCards = $derived(COLUMNS.flatMap((c) => this.items[c.id]));
  dueCount = $derived(this.shownCards.filter((c) => c.due).length);

  #loadSeq = 0;
  // Operations run one at a time, in order; `busy` counts those queued or running.
  #queue: Promise<void> = Promise.resolve();
  #busy = 0;
  #reloadWanted = false;
  #dragging = false;

  private notify: (text: string, error?: boolean) => void;
  private onopendecision: (file: string) => void;

  constructor(notify: (text: string, error?: boolean) => void, onopendecision: (file: string) => void) {
    this.notify = notify;
    this.onopendecision = onopendecision;
  }

  /** The columns' cards from the last board loaded, through the filters. Cards that look
   * the same as on screen keep their objects (and a column that looks the same keeps its
   * list), so after a move only what changed is drawn again: a board answer for one move
   * does not redraw 500 cards. */
  rebuild = () => {
    const b = this.view?.board;
    for (const c of COLUMNS) {
      const cards = b?.columns.find((x) => x.column === c.id)?.cards ?? [];
      const next = reconcile(this.items[c.id], cards.filter((x) => visible(x, this.mapFilter, this.activityFilter)));
      if (next !== this.items[c.id]) this.items[c.id] = next;
    }
  };

  limitsFor(col: Column) {
    return this.maps
      .filter((m) => !this.mapFilter || m.name === this.mapFilter)
      .flatMap((m) => m.limits.filter((l) => l.column === col).map((l) => ({ ...l, map: m.name })));
  }

  // ---- loading ----
  load = async () => {
    const mine = ++this.#loadSeq;
    const t0 = performance.now();
    try {
      const v = await boardApi.load();
      const arrived = performance.now();
      // Never under a card being dragged or a move on its way: after it.
      if (mine !== this.#loadSeq || this.#busy > 0 || this.#dragging) {
        if (this.#busy > 0 || this.#dragging) this.#reloadWanted = true;
        return;
      }
      this.#setView(v);
      this.loadError = "";
      await this.#restoreFocus();
      markPainted("rendered", { cards: this.shownCards.length, since: t0, arrived });
    } catch (e) {
      this.loadError = asError(e).message;
    }
  };

  #setView(v: BoardView) {
    this.view = v;
    if (this.mapFilter && !v.board.maps.some((m) => m.name === this.mapFilter)) this.mapFilter = "";
    this.rebuild();
  }

  // ---- operations: one at a time, in order, each against the latest stamps ----
  #enqueue(work: () => Promise<void>) {
    this.#busy++;
    this.#queue = this.#queue
      .then(work)
      .catch(() => {})
      .finally(async () => {
        this.#busy--;
        if (this.#busy === 0) {
          this.rebuild();
          this.pendingIds = new Set();
          await this.#restoreFocus();
          if (this.#reloadWanted) {
            this.#reloadWanted = false;
            await this.load();
          }
        }
      });
    return this.#queue;
  }

  /** Shows the board an operation answered with; the columns follow once no other
   * operation is queued (an answer for the first of two quick moves must not undo the
   * second on screen). */
  #answered(view: BoardView) {
    this.view = view;
    if (this.#busy === 1) this.rebuild();
  }

  #stampOf(card: BoardCard): Stamp | null {
    if (card.kind !== "card") return null;
    return this.maps.find((m) => m.path === card.path)?.stamp ?? null;
  }

  findCard(id: string): BoardCard | undefined {
    return this.board?.columns.flatMap((c) => c.cards).find((c) => c.id === id);
  }

  async #failed(e: unknown) {
    const err = asError(e);
    if (err.kind === "conflict") {
      const path = err.message.split(" changed on disk")[0];
      this.notify(
        `${fileName(path)} changed on disk since the board was loaded (another editor, a git pull): nothing was written, and the board now shows the map as it is on disk. Look again, and repeat the move if it still makes sense.`,
        true,
      );
    } else {
      this.notify(err.message, true);
    }
    this.#reloadWanted = true;
  }

  /** Runs one board operation through the core (one commit) and shows the board after it.
   * The stamp sent is the card's map as this board last saw it: a map changed on disk since
   * (and not yet reloaded) is refused by the core, never silently edited. */
  #run(op: Op, card: BoardCard | undefined, done: string) {
    return this.#enqueue(async () => {
      try {
        const sent = performance.now();
        const res = await boardApi.apply(op, card ? this.#stampOf(card) : null);
        const arrived = performance.now();
        this.#answered(res.view);
        this.notify(done);
        await tick();
        markPainted("committed", { id: res.change.id, since: sent, arrived });
      } catch (e) {
        await this.#failed(e);
      }
    });
  }

  /** Moves a card: on screen at once, then written and committed through the core. */
  move = async (id: string, to: Column, before: string | null, alreadyPlaced = false) => {
    const card = this.findCard(id);
    if (!card) return;
    if (card.kind === "decision") before = null;
    if (!alreadyPlaced) {
      const from = this.columnOf(id);
      if (from) this.items[from] = this.items[from].filter((x) => x.id !== id);
      this.items[to] = placed(this.items[to], { ...card, column: to }, before);
    }
    this.pendingIds = new Set([...this.pendingIds, id]);
    this.selected = id;
    await tick();
    markPainted("moved", { id, column: to });
    this.focusCard(id);
    const where = COLUMNS.find((c) => c.id === to)?.name ?? to;
    this.#run({ op: "move", id, column: to, before }, card, `Moved “${card.title}” to ${where}`);
  };

  columnOf(id: string): Column | undefined {
    return COLUMNS.map((c) => c.id).find((c) => this.items[c].some((x) => x.id === id));
  }

  moveBy(id: string, delta: number) {
    const col = this.columnOf(id);
    const card = this.findCard(id);
    if (!col || !card) return;
    if (card.kind === "decision") {
      this.notify("Decisions keep their order by number; move them between columns instead.", true);
      return;
    }
    const list = this.items[col];
    const i = list.findIndex((c) => c.id === id);
    // The neighbour of the same map in that direction.
    let j = i + delta;
    while (j >= 0 && j < list.length && !(list[j].kind === "card" && list[j].map === card.map)) j += delta;
    if (j < 0 || j >= list.length) return;
    const next = [...list];
    next.splice(i, 1);
    // Up: before the neighbour; down: right after it (one slot left by the removal).
    const at = j;
    next.splice(at, 0, { ...card });
    this.items[col] = next;
    const before = beforeAt(next, at + 1, card);
    this.pendingIds = new Set([...this.pendingIds, id]);
    tick().then(() => {
      markPainted("moved", { id, column: col });
      this.focusCard(id);
    });
    this.#run({ op: "move", id, column: col, before }, card, `Moved “${card.title}” ${delta < 0 ? "up" : "down"}`);
  }

  undo = () => {
    this.#enqueue(async () => {
      try {
        const res = await boardApi.undo();
        this.#answered(res.view);
        this.notify(res.message);
        await tick();
        markPainted("undone");
        if (this.selected) this.focusCard(this.selected);
      } catch (e) {
        await this.#failed(e);
      }
    });
  };

  /** Imports the cards the dialog previewed into their map's Inbox as one commit (against
   * the map's stamp as this board saw it); true when it was written. */
  importCards = async (req: ImportRequest): Promise<boolean> => {
    let ok = false;
    await this.#enqueue(async () => {
      try {
        const stamp = this.maps.find((x) => x.name === req.map)?.stamp ?? null;
        const res = await boardApi.import(req, stamp);
        this.#answered(res.view);
        const n = res.imported.added.length;
        this.selected = res.imported.added[0] ?? this.selected;
        this.notify(`Imported ${n} card${n === 1 ? "" : "s"} into the Inbox of ${req.map} (Ctrl+Z undoes it)`);
        await tick();
        markPainted("imported", { ids: res.imported.added });
        ok = true;
      } catch (e) {
        await this.#failed(e);
      }
    });
    return ok;
  };

  quickAdd = async (col: Column) => {
    const title = this.addText[col].trim();
    if (!title) return;
    const map = this.mapFilter || this.findCard(this.selected ?? "")?.map || this.maps[0]?.name || "mvp";
    this.addText[col] = "";
    const name = COLUMNS.find((c) => c.id === col)?.name ?? col;
    const fields: [string, string][] =
      this.activityFilter && this.activityFilter !== NO_ACTIVITY ? [["activity", this.activityFilter]] : [];
    await this.#enqueue(async () => {
      try {
        const stamp = this.maps.find((x) => x.name === map)?.stamp ?? null;
        const res = await boardApi.apply({ op: "add", map, title, slice: col, fields }, stamp);
        this.#answered(res.view);
        this.selected = res.change.id;
        this.notify(`Added “${title}” to ${name}`);
        await tick();
        markPainted("added", { id: res.change.id });
        document.querySelector(`[data-testid=quick-add-${col}]`)?.scrollIntoView({ block: "nearest" });
      } catch (e) {
        this.addText[col] = title;
        await this.#failed(e);
      }
    });
  };

  accept = (s: Suggestion) => {
    this.move(s.id, s.column, null);
  };

  // ---- drag and drop ----
  consider = (col: Column, e: CustomEvent<DndEvent<Item>>) => {
    if (e.detail.info.trigger === TRIGGERS.DRAG_STARTED) this.#dragging = true;
    this.items[col] = e.detail.items;
  };

  finalize = (col: Column, e: CustomEvent<DndEvent<Item>>) => {
    this.#dragging = false;
    const list = e.detail.items;
    this.items[col] = list;
    if (this.#reloadWanted && this.#busy === 0) {
      // Something changed on disk during the drag: let the drop land first, then look.
      setTimeout(() => {
        if (this.#busy === 0 && this.#reloadWanted) {
          this.#reloadWanted = false;
          this.load();
        }
      }, 0);
    }
    const id = String(e.detail.info.id);
    const i = list.findIndex((c) => c.id === id);
    if (i < 0) return; // the zone it left
    const card = this.findCard(id);
    if (!card) return;
    const before = beforeAt(list, i + 1, card);
    // Dropped where it was: nothing to write.
    if (card.column === col) {
      const was = this.board?.columns.find((c) => c.column === col)?.cards ?? [];
      const wasBefore = beforeAt(was, was.findIndex((c) => c.id === id) + 1, card);
      if (wasBefore === before || card.kind === "decision") return;
    }
    const next = [...list];
    next[i] = { ...list[i], column: col };
    this.items[col] = next;
    this.move(id, col, before, true);
  };

  // ---- keyboard ----
  focusCard(id: string) {
    const sel = CSS.escape(id);
    const el = document.querySelector(
      `[data-testid=board-item][data-card-id="${sel}"], [data-testid=story-item][data-card-id="${sel}"]`,
    ) as HTMLElement | null;
    if (el && document.activeElement !== el && !document.activeElement?.matches("input, select, textarea")) {
      el.focus({ preventScroll: true });
      el.scrollIntoView({ block: "nearest" });
    }
  }

  /** A card that changed column is a new element; keep the keyboard on the selected card. */
  async #restoreFocus() {
    await tick();
    const a = document.activeElement;
    if (this.selected && (!a || a === document.body)) this.focusCard(this.selected);
  }

  select = (id: string) => {
    this.selected = id;
    this.focusCard(id);
  };

  /** The board's keys (see the Keys panel), wherever a card has the focus. */
  onkeydown = (e: KeyboardEvent) => {
    const t = e.target as HTMLElement;
    if (t.matches("input, select, textarea, button")) return;
    const item = t.closest("[data-card-id]") as HTMLElement | null;
    const id = item?.dataset.cardId ?? this.selected;
    if (!id) return;
    const col = this.columnOf(id);
    if (!col) return;
    if (this.#key(e, id, col)) e.preventDefault();
  };

  /** Does what `e` asks for the card `id` in `col`; false when it is not a board key. */
  #key(e: KeyboardEvent, id: string, col: Column): boolean {
    const cols = COLUMNS.map((c) => c.id);
    const ci = cols.indexOf(col);
    const list = this.items[col];
    const i = list.findIndex((c) => c.id === id);
    const key = e.key;
    if (e.altKey && (key === "ArrowLeft" || key === "ArrowRight")) {
      const to = cols[ci + (key === "ArrowLeft" ? -1 : 1)];
      if (to) this.move(id, to, null);
    } else if (e.altKey && (key === "ArrowUp" || key === "ArrowDown")) {
      this.moveBy(id, key === "ArrowUp" ? -1 : 1);
    } else if (!e.altKey && !e.ctrlKey && !e.metaKey && KEY_COLUMN[key]) {
      if (KEY_COLUMN[key] !== col) this.move(id, KEY_COLUMN[key], null);
    } else if (key === "ArrowDown" || key === "j") {
      const n = list[Math.min(list.length - 1, i + 1)];
      if (n) this.select(n.id);
    } else if (key === "ArrowUp" || key === "k") {
      const n = list[Math.max(0, i - 1)];
      if (n) this.select(n.id);
    } else if (key === "ArrowLeft" || key === "ArrowRight" || key === "h" || key === "l") {
      const step = key === "ArrowLeft" || key === "h" ? -1 : 1;
      for (let k = ci + step; k >= 0 && k < cols.length; k += step) {
        const other = this.items[cols[k]];
        if (other.length) {
          this.select(other[Math.min(other.length - 1, Math.max(0, i))].id);
          break;
        }
      }
    } else if (key === "a" && this.suggestions.get(id)) {
      const s = this.suggestions.get(id);
      if (s) this.accept(s);
    } else if (key === "n") {
      (document.querySelector(`[data-testid=quick-add-${col}]`) as HTMLInputElement | null)?.focus();
    } else if (key === "Enter") {
      const card = this.findCard(id);
      if (card?.kind === "decision") this.onopendecision(fileName(card.path));
      else if (card?.decision) this.openLinked(card.decision);
    } else {
      return false;
    }
    return true;
  }

  openLinked = (number: string) => {
    const d = this.board?.columns.flatMap((c) => c.cards).find((c) => c.kind === "decision" && c.id === number);
    if (d) this.onopendecision(fileName(d.path));
    else this.notify(`ADR ${number} is not on the board (superseded, rejected or missing)`, true);
  };

  onAddKey = (col: Column, e: KeyboardEvent) => {
    if (e.key === "Enter") {
      e.preventDefault();
      this.quickAdd(col);
    } else if (e.key === "Escape") {
      e.stopPropagation();
      this.addText[col] = "";
      (e.currentTarget as HTMLInputElement).blur();
      if (this.selected) this.focusCard(this.selected);
    }
  };

  // ---- workshop ----
  startWorkshop = async () => {
    this.workshop = {
      start: (this.board?.columns.flatMap((c) => c.cards) ?? []).map((c) => ({ id: c.id, column: c.column })),
      startedAt: new Date(),
    };
    try {
      await boardApi.setFullscreen(true);
    } catch {
      // A window manager that refuses full screen still gets the large board.
    }
  };

  endWorkshop = async () => {
    this.workshop = null;
    try {
      await boardApi.setFullscreen(false);
    } catch {
      // Nothing to undo.
    }
  };
}

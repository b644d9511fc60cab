// The board's pure rules: which cards the filters show, which activities there are, where a
// moved card lands on screen and what the core places it before, and how a new board is
// merged into the one on screen without redrawing what did not change.
import type { BoardCard, MapInfo } from "../../generated/types";
import type { Item } from "./api";

/** The activity filter's value for "cards with no activity". */
export const NO_ACTIVITY = "\u0000none";

export function visible(c: BoardCard, mapFilter: string, activityFilter: string): boolean {
  if (mapFilter && c.map !== mapFilter) return false;
  if (activityFilter === NO_ACTIVITY) return !c.activity;
  if (activityFilter && c.activity !== activityFilter) return false;
  return true;
}

/** The activities to offer: the shown maps' backbones in order, then any other activity a
 * shown card names. */
export function activitiesOf(maps: MapInfo[], cards: BoardCard[], mapFilter: string): string[] {
  const out: string[] = [];
  for (const m of maps.filter((m) => !mapFilter || m.name === mapFilter))
    for (const a of m.backbone) if (!out.includes(a)) out.push(a);
  for (const c of cards)
    if (c.activity && !out.includes(c.activity) && (!mapFilter || c.map === mapFilter)) out.push(c.activity);
  return out;
}

// What a card shows: a fresh card equal in these keeps the old object, so it is not redrawn.
const SHOWN: (keyof BoardCard)[] = [
  "kind", "title", "column", "map", "slice", "activity", "decision", "status", "done",
  "reversibility", "revisit_when", "revisit_by", "due", "estimate", "notes", "path",
];

export function sameCard(a: BoardCard, b: BoardCard): boolean {
  return SHOWN.every((k) => a[k] === b[k]) && a.cards.join() === b.cards.join();
}

/** `fresh`, keeping the objects of `old` for cards that look the same (and `old` itself
 * when the whole list does), so after a move only what changed is drawn again. */
export function reconcile(old: Item[], fresh: BoardCard[]): Item[] {
  const byId = new Map(old.map((c) => [c.id, c]));
  let same = old.length === fresh.length;
  const out = fresh.map((c, i) => {
    const o = byId.get(c.id);
    const keep = o && !o.isDndShadowItem && sameCard(o, c) ? o : c;
    if (keep !== old[i]) same = false;
    return keep;
  });
  return same ? old : out;
}

/** The card of the same map that follows position `index` of `list`: what the core places
 * the moved card before (decisions and other maps' cards are not ordered with it). */
export function beforeAt(list: Item[], index: number, card: BoardCard): string | null {
  for (let i = index; i < list.length; i++) {
    const c = list[i];
    if (c.id !== card.id && c.kind === "card" && c.map === card.map && !c.isDndShadowItem) return c.id;
  }
  return null;
}

/** `target` with `card` put where the core will put it: before `before`, else after the
 * last card of its map (a column lists map cards first, then decisions), else at the end. */
export function placed(target: Item[], card: Item, before: string | null): Item[] {
  const out = [...target];
  let at = before ? out.findIndex((x) => x.id === before) : -1;
  if (at < 0 && card.kind === "card") {
    let last = -1;
    out.forEach((x, k) => {
      if (x.kind === "card" && x.map === card.map) last = k;
    });
    at = last >= 0 ? last + 1 : out.findIndex((x) => x.kind === "decision");
  }
  if (at >= 0) out.splice(at, 0, card);
  else out.push(card);
  return out;
}

/** The last part of a path, whichever separator it uses. */
export function fileName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

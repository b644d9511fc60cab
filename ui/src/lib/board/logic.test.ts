// The board's pure rules: filters, activities, placing a moved card, and reconciling.
import { describe, expect, it } from "vitest";
import type { BoardCard, MapInfo } from "../../generated/types";
import { activitiesOf, beforeAt, fileName, NO_ACTIVITY, placed, reconcile, visible } from "./logic";

function card(id: string, map: string | null, activity: string | null = null, kind: BoardCard["kind"] = "card"): BoardCard {
  return {
    id, kind, title: id, column: "now", map, slice: null, activity, decision: null, status: null,
    done: false, reversibility: null, revisit_when: null, revisit_by: null, due: false,
    estimate: null, notes: null, path: `scope/${map}.md`, cards: [],
  } as unknown as BoardCard;
}

const map = (name: string, backbone: string[]) => ({ name, backbone }) as unknown as MapInfo;

describe("visible", () => {
  it("filters by map and activity, and by no activity", () => {
    const c = card("c-1", "mvp", "Pay");
    expect(visible(c, "", "")).toBe(true);
    expect(visible(c, "other", "")).toBe(false);
    expect(visible(c, "mvp", "Pay")).toBe(true);
    expect(visible(c, "", "Browse")).toBe(false);
    expect(visible(c, "", NO_ACTIVITY)).toBe(false);
    expect(visible(card("c-2", "mvp"), "", NO_ACTIVITY)).toBe(true);
  });
});

describe("activitiesOf", () => {
  it("lists backbones in order, then other activities of shown cards, once each", () => {
    const maps = [map("a", ["Browse", "Pay"]), map("b", ["Pay", "Track"])];
    const cards = [card("c-1", "a", "Support"), card("c-2", "b", "Ship"), card("c-3", "a", "Pay")];
    expect(activitiesOf(maps, cards, "")).toEqual(["Browse", "Pay", "Track", "Support", "Ship"]);
    expect(activitiesOf(maps, cards, "a")).toEqual(["Browse", "Pay", "Support"]);
  });
});

describe("placed and beforeAt", () => {
  const list = [card("c-1", "a"), card("c-2", "b"), card("c-3", "a"), card("0007", null, null, "decision")];

  it("puts a card before the one named, else after the last card of its map", () => {
    expect(placed(list, card("c-9", "a"), "c-3").map((c) => c.id)).toEqual(["c-1", "c-2", "c-9", "c-3", "0007"]);
    expect(placed(list, card("c-9", "a"), null).map((c) => c.id)).toEqual(["c-1", "c-2", "c-3", "c-9", "0007"]);
    expect(placed(list, card("c-9", "z"), null).map((c) => c.id)).toEqual(["c-1", "c-2", "c-3", "c-9", "0007"]);
    expect(placed(list, card("0008", null, null, "decision"), null).map((c) => c.id)).toEqual(["c-1", "c-2", "c-3", "0007", "0008"]);
  });

  it("names the next card of the same map, skipping others and the card itself", () => {
    expect(beforeAt(list, 1, card("c-1", "a"))).toBe("c-3");
    expect(beforeAt(list, 0, card("c-1", "a"))).toBe("c-3");
    expect(beforeAt(list, 3, card("c-1", "a"))).toBe(null);
  });
});

describe("reconcile", () => {
  it("keeps the old list when nothing changed, and old objects of unchanged cards", () => {
    const old = [card("c-1", "a"), card("c-2", "a")];
    expect(reconcile(old, [card("c-1", "a"), card("c-2", "a")])).toBe(old);
    const moved = { ...card("c-2", "a"), title: "renamed" } as BoardCard;
    const next = reconcile(old, [card("c-1", "a"), moved]);
    expect(next).not.toBe(old);
    expect(next[0]).toBe(old[0]);
    expect(next[1]).toBe(moved);
  });
});

describe("fileName", () => {
  it("takes the last part of either kind of path", () => {
    expect(fileName("a/b/0007-x.md")).toBe("0007-x.md");
    expect(fileName("C:\\a\\scope.md")).toBe("scope.md");
  });
});

// Opening a log: the first screen of rows, then the rest. The real store, with the shell's
// two commands answered here (vitest runs without Tauri).
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { FirstRows, Summary } from "../generated/types";

const calls: string[] = [];
let answers: Record<string, () => Promise<unknown>> = {};
vi.mock("@tauri-apps/api/core", () => ({
  invoke: (command: string) => {
    calls.push(command);
    return answers[command]();
  },
}));
vi.mock("@tauri-apps/api/event", () => ({ listen: async () => () => {} }));

const { log, FIRST_SCREEN } = await import("./log.svelte");

const row = (n: number): Summary => ({
  file_name: `${String(n).padStart(4, "0")}-d.md`,
  number: n,
  title: `D${n}`,
  status: "accepted",
  status_raw: null,
  date: null,
  tags: [],
  scope: null,
  problems: 0,
  mentions: [],
  review_by: null,
});
const all = (n: number) => Array.from({ length: n }, (_, i) => row(i + 1));
const first = (rows: Summary[]): FirstRows => ({
  rows: [...rows].reverse().slice(0, FIRST_SCREEN),
  total: rows.length,
});

/** A promise settled from outside, to look at the store between two answers. */
function later<T>() {
  let settle!: (v: T) => void;
  const promise = new Promise<T>((r) => (settle = r));
  return { promise, settle };
}

beforeEach(() => {
  calls.length = 0;
  Object.assign(log, { sortBy: "number-desc", filterStatus: "", filterTag: "", filterDue: false });
});

describe("log.open", () => {
  it("paints the first screen, then takes the whole log when it comes", async () => {
    const rows = all(FIRST_SCREEN + 300);
    const rest = later<Summary[]>();
    answers = { first_decisions: async () => first(rows), list_decisions: () => rest.promise };
    await log.open();
    expect(log.decisions).toHaveLength(FIRST_SCREEN);
    expect(log.shown[0].number).toBe(rows.length);
    expect([log.complete, log.total]).toEqual([false, rows.length]);
    rest.settle(rows);
    await log.rest;
    expect(log.decisions).toHaveLength(rows.length);
    expect(log.shown.slice(0, FIRST_SCREEN)).toEqual(first(rows).rows);
    expect(log.complete).toBe(true);
    expect(calls).toEqual(["first_decisions", "list_decisions"]);
  });

  it("asks once when the first screen is the whole log", async () => {
    const rows = all(12);
    answers = { first_decisions: async () => first(rows) };
    await log.open();
    await log.rest;
    expect([log.decisions.length, log.complete]).toEqual([12, true]);
    expect(calls).toEqual(["first_decisions"]);
  });

  it("waits for the whole log when the list is sorted or filtered otherwise", async () => {
    const rows = all(FIRST_SCREEN + 1);
    answers = { list_decisions: async () => rows };
    log.sortBy = "title";
    await log.open();
    expect([log.decisions.length, log.complete]).toEqual([rows.length, true]);
    expect(calls).toEqual(["list_decisions"]);
  });

  it("keeps a newer answer over the first screen's late one", async () => {
    const slow = later<FirstRows>();
    answers = { first_decisions: () => slow.promise, list_decisions: async () => all(3) };
    const opening = log.open();
    await log.refresh();
    slow.settle(first(all(FIRST_SCREEN + 5)));
    await opening;
    expect([log.decisions.length, log.complete]).toEqual([3, true]);
  });
});

// The log's filtering, sorting and counts, and the conflict dialog's differing lines.
import { describe, expect, it } from "vitest";
import type { Summary } from "../generated/types";
import { allTags, differing, shownRows, statusCounts } from "./rows";

function row(number: number | null, title: string, status: Summary["status"], tags: string[] = [], date: string | null = null): Summary {
  return { file_name: `${number ?? title}.md`, number, title, status, status_raw: null, date, tags, scope: null, problems: 0, mentions: [] };
}

const rows = [
  row(2, "Bravo", "accepted", ["db"], "2024-02-01"),
  row(null, "Notes", "unknown"),
  row(1, "Alpha", "proposed", ["db", "api"], "2024-03-01"),
  row(3, "Charlie", "accepted", [], "2024-01-01"),
];

describe("shownRows", () => {
  it("sorts newest first by default, unnumbered rows last either way", () => {
    expect(shownRows(rows, "", "", "number-desc").map((r) => r.title)).toEqual(["Notes", "Charlie", "Bravo", "Alpha"]);
    expect(shownRows(rows, "", "", "number-asc").map((r) => r.title)).toEqual(["Alpha", "Bravo", "Charlie", "Notes"]);
    expect(shownRows(rows, "", "", "no-such-order").map((r) => r.title)).toEqual(["Notes", "Charlie", "Bravo", "Alpha"]);
  });

  it("sorts by date, title and status", () => {
    expect(shownRows(rows, "", "", "date-desc").map((r) => r.number)).toEqual([1, 2, 3, null]);
    expect(shownRows(rows, "", "", "title").map((r) => r.title)).toEqual(["Alpha", "Bravo", "Charlie", "Notes"]);
    expect(shownRows(rows, "", "", "status").map((r) => r.number)).toEqual([2, 3, 1, null]);
  });

  it("filters by status and tag, and leaves the input alone", () => {
    expect(shownRows(rows, "accepted", "", "number-asc").map((r) => r.number)).toEqual([2, 3]);
    expect(shownRows(rows, "", "db", "number-asc").map((r) => r.number)).toEqual([1, 2]);
    expect(shownRows(rows, "accepted", "api", "number-asc")).toEqual([]);
    expect(rows.map((r) => r.title)).toEqual(["Bravo", "Notes", "Alpha", "Charlie"]);
  });
});

describe("allTags and statusCounts", () => {
  it("lists each tag once, sorted, and counts statuses", () => {
    expect(allTags(rows)).toEqual(["api", "db"]);
    expect(statusCounts(rows)).toEqual({ accepted: 2, unknown: 1, proposed: 1 });
  });
});

describe("differing", () => {
  it("keeps two lines of context around the lines that differ", () => {
    const disk = "a\nb\nc\nd\nX\ne\nf\ng\nh";
    const mine = "a\nb\nc\nd\nY\ne\nf\ng\nh";
    expect(differing(disk, mine)).toEqual({ disk: "c\nd\nX\ne\nf", mine: "c\nd\nY\ne\nf", from: 3 });
  });

  it("starts at line 1 when the change is near the top", () => {
    expect(differing("x\nsame", "y\nsame")).toEqual({ disk: "x\nsame", mine: "y\nsame", from: 1 });
  });
});

// The log's filtering, sorting and counts, and the conflict dialog's differing lines.
import { describe, expect, it } from "vitest";
import type { Summary } from "../generated/types";
import { allTags, differing, dueForReview, localDay, shownRows, statusCounts } from "./rows";

function row(number: number | null, title: string, status: Summary["status"], tags: string[] = [], date: string | null = null): Summary {
  return { file_name: `${number ?? title}.md`, number, title, status, status_raw: null, date, tags, scope: null, problems: 0, mentions: [], review_by: null };
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

describe("due for review", () => {
  const review = (n: number, status: Summary["status"], by: string | null) => ({ ...row(n, `R${n}`, status), review_by: by });
  const reviews = [
    review(1, "accepted", "2026-06-01"),
    review(2, "proposed", "2026-07-01"),
    review(3, "accepted", "2026-07-02"),
    review(4, "superseded", "2020-01-01"),
    review(5, "accepted", null),
  ];

  it("keeps the decisions in force whose review date has come", () => {
    expect(reviews.filter((d) => dueForReview(d, "2026-07-01")).map((d) => d.number)).toEqual([1, 2]);
    expect(shownRows(reviews, "", "", "number-asc", "2026-07-01").map((d) => d.number)).toEqual([1, 2]);
    expect(shownRows(reviews, "accepted", "", "number-asc", "2026-07-01").map((d) => d.number)).toEqual([1]);
    expect(shownRows(reviews, "", "", "number-asc").length).toBe(5);
  });

  it("writes the local day as review dates are written", () => {
    expect(localDay(new Date(2026, 0, 5, 23, 30))).toBe("2026-01-05");
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

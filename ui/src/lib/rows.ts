// The decision log's rows as the list shows them: filtered by status and tag, sorted by the
// chosen order, and the tags and per-status counts the filters offer.
import type { Summary } from "../generated/types";

export type SortBy = "number-desc" | "number-asc" | "date-desc" | "title" | "status";

// A decision without a number (a file named by its slug) sorts after the numbered ones.
const num = (d: Summary) => d.number ?? Number.MAX_SAFE_INTEGER;

const ORDERS: Record<SortBy, (a: Summary, b: Summary) => number> = {
  "number-asc": (a, b) => num(a) - num(b),
  "number-desc": (a, b) => num(b) - num(a),
  "date-desc": (a, b) => (b.date ?? "").localeCompare(a.date ?? ""),
  title: (a, b) => a.title.localeCompare(b.title),
  status: (a, b) => a.status.localeCompare(b.status) || num(a) - num(b),
};

/** The rows with `status` and `tag` (either empty: any), and only those due for review on
 * `dueOn` (a `YYYY-MM-DD` day) when it is given, in the order `by` (an unknown order: newest
 * first). The input is left as it is. */
export function shownRows(rows: Summary[], status: string, tag: string, by: string, dueOn = ""): Summary[] {
  const kept = rows.filter(
    (d) => (!status || d.status === status) && (!tag || d.tags.includes(tag)) && (!dueOn || dueForReview(d, dueOn)),
  );
  return kept.sort(ORDERS[by as SortBy] ?? ORDERS["number-desc"]);
}

// A decision no longer in force has no review to make (as `cairn due` in the core says).
const CLOSED = new Set(["rejected", "deprecated", "superseded"]);

/** Whether a decision's review date (`review-by`) has come on `today` (`YYYY-MM-DD`). */
export function dueForReview(d: Summary, today: string): boolean {
  return !!d.review_by && d.review_by <= today && !CLOSED.has(d.status);
}

/** Today in the local time zone as `YYYY-MM-DD`, the form review dates are written in. */
export function localDay(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** Every tag used, once each, sorted. */
export function allTags(rows: Summary[]): string[] {
  return [...new Set(rows.flatMap((d) => d.tags))].sort();
}

/** How many decisions have each status. */
export function statusCounts(rows: Summary[]): Record<string, number> {
  const c: Record<string, number> = {};
  for (const d of rows) c[d.status] = (c[d.status] ?? 0) + 1;
  return c;
}

/** The part of two texts that differs, with two lines of context, so a conflict shows what
 * changed rather than two whole files. `from` is the 1-based line the parts start at. */
export function differing(a: string, b: string): { disk: string; mine: string; from: number } {
  const x = a.split("\n");
  const y = b.split("\n");
  let start = 0;
  while (start < x.length && start < y.length && x[start] === y[start]) start++;
  let end = 0;
  while (end < x.length - start && end < y.length - start && x[x.length - 1 - end] === y[y.length - 1 - end]) end++;
  const from = Math.max(0, start - 2);
  return {
    disk: x.slice(from, Math.min(x.length, x.length - end + 2)).join("\n"),
    mine: y.slice(from, Math.min(y.length, y.length - end + 2)).join("\n"),
    from: from + 1,
  };
}

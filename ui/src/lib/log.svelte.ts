// The decision log: every decision's row, the filters and the order the list shows them in.
import { api } from "./api";
import { allTags, dueForReview, localDay, shownRows, statusCounts } from "./rows";
import { toast } from "./toast.svelte";
import type { Summary } from "../generated/types";

/** How many rows the window shows first when a workspace opens: more than a tall screen holds. */
export const FIRST_SCREEN = 200;

class Log {
  // Raw: thousands of rows are replaced whole, never edited in place, so no deep proxies.
  decisions: Summary[] = $state.raw([]);
  filterStatus = $state("");
  filterTag = $state("");
  sortBy = $state("number-desc");
  /** Show only the decisions whose review date has come. */
  filterDue = $state(false);
  /** The day reviews are compared with; set again on each refresh, so an app left open
   * overnight counts the new day. */
  today = $state(localDay());

  tags = $derived(allTags(this.decisions));
  shown = $derived(
    shownRows(this.decisions, this.filterStatus, this.filterTag, this.sortBy, this.filterDue ? this.today : ""),
  );
  counts = $derived(statusCounts(this.decisions));
  dueCount = $derived(this.decisions.filter((d) => dueForReview(d, this.today)).length);

  /** False while only the first screen of rows is here: the filters, their counts and the
   * order wait for the whole log. */
  complete = $state(true);
  /** How many decisions the log has, known before all of them are here. */
  total = $state(0);
  /** Settles when the rows past the first screen are here (or failed to come). */
  rest: Promise<void> = Promise.resolve();

  #seq = 0;

  /** Reads the rows of a workspace just opened, and resolves once the list can be painted.
   * In the list's opening order (newest first, nothing filtered) the first screen of rows
   * comes first and the rest follows, not awaited: 100,000 decisions are 28 MB of rows to
   * move and parse, and the first screen is a few kilobytes. */
  async open() {
    const opening = this.sortBy === "number-desc" && !this.filterStatus && !this.filterTag && !this.filterDue;
    if (!opening) {
      this.rest = this.refresh();
      return this.rest;
    }
    const mine = ++this.#seq;
    try {
      const first = await api.firstDecisions(FIRST_SCREEN);
      if (mine !== this.#seq) return;
      this.today = localDay();
      this.decisions = first.rows;
      this.total = first.total;
      this.complete = first.rows.length === first.total;
      this.rest = this.complete ? Promise.resolve() : this.refresh();
    } catch (e) {
      toast.fail(e);
    }
  }

  /** Reads the rows again; an older answer that arrives after a newer one is dropped. */
  async refresh() {
    const mine = ++this.#seq;
    try {
      const rows = await api.listDecisions();
      if (mine === this.#seq) {
        this.today = localDay();
        this.decisions = rows;
        this.total = rows.length;
        this.complete = true;
      }
    } catch (e) {
      toast.fail(e);
    }
  }
}

export const log = new Log();

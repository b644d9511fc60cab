// The decision log: every decision's row, the filters and the order the list shows them in.
import { api } from "./api";
import { allTags, dueForReview, localDay, shownRows, statusCounts } from "./rows";
import { toast } from "./toast.svelte";
import type { Summary } from "../generated/types";

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

  #seq = 0;

  /** Reads the rows again; an older answer that arrives after a newer one is dropped. */
  async refresh() {
    const mine = ++this.#seq;
    try {
      const rows = await api.listDecisions();
      if (mine === this.#seq) {
        this.today = localDay();
        this.decisions = rows;
      }
    } catch (e) {
      toast.fail(e);
    }
  }
}

export const log = new Log();

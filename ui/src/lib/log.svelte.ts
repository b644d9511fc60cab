// The decision log: every decision's row, the filters and the order the list shows them in.
import { api } from "./api";
import { allTags, shownRows, statusCounts } from "./rows";
import { toast } from "./toast.svelte";
import type { Summary } from "../generated/types";

class Log {
  // Raw: thousands of rows are replaced whole, never edited in place, so no deep proxies.
  decisions: Summary[] = $state.raw([]);
  filterStatus = $state("");
  filterTag = $state("");
  sortBy = $state("number-desc");

  tags = $derived(allTags(this.decisions));
  shown = $derived(shownRows(this.decisions, this.filterStatus, this.filterTag, this.sortBy));
  counts = $derived(statusCounts(this.decisions));

  #seq = 0;

  /** Reads the rows again; an older answer that arrives after a newer one is dropped. */
  async refresh() {
    const mine = ++this.#seq;
    try {
      const rows = await api.listDecisions();
      if (mine === this.#seq) this.decisions = rows;
    } catch (e) {
      toast.fail(e);
    }
  }
}

export const log = new Log();

// The pure part of the graph view (Graph.svelte): which decisions the filters keep, how a
// node's title is shortened and how each relation is drawn.
import { shownRows } from "./rows";
import type { Summary } from "../generated/types";

/** The files the graph is limited to by a status and a tag filter (the log's own rule), or
 * null when neither is set: then the core takes every decision. */
export function graphFiles(rows: Summary[], status: string, tag: string): string[] | null {
  if (!status && !tag) return null;
  return shownRows(rows, status, tag, "number-asc").map((d) => d.file_name);
}

/** Characters of a title that fit in a node's box. */
export const TITLE_CHARS = 28;

/** A title cut to fit its box, with an ellipsis when cut (by characters, not UTF-16 units). */
export function shortTitle(title: string): string {
  const chars = [...title];
  return chars.length > TITLE_CHARS ? chars.slice(0, TITLE_CHARS).join("") + "…" : title;
}

const STYLED = ["supersedes", "amends", "relates-to", "mentions"];

/** The style of a relation's edges: the four Cairn draws apart, and "other" for the rest. */
export function edgeClass(relation: string): string {
  return STYLED.includes(relation) ? relation : "other";
}

/** The legend: each edge style and its name. */
export const RELATION_LEGEND: [string, string][] = [
  ["supersedes", "supersedes"],
  ["amends", "amends"],
  ["relates-to", "relates to"],
  ["mentions", "mentions"],
  ["other", "other"],
];

// The graph view's filters, titles and edge styles.
import { describe, expect, it } from "vitest";
import { edgeClass, graphFiles, shortTitle } from "./graph";
import type { Summary } from "../generated/types";

const row = (file_name: string, status: Summary["status"], tags: string[]): Summary => ({
  file_name,
  number: Number(file_name.slice(0, 4)),
  title: file_name,
  status,
  status_raw: null,
  date: null,
  tags,
  scope: null,
  problems: 0,
  mentions: [],
  review_by: null,
});

describe("graphFiles", () => {
  const rows = [row("0002-b.md", "accepted", ["db"]), row("0001-a.md", "proposed", ["db", "ui"]), row("0003-c.md", "accepted", [])];

  it("is null without filters, so the core takes every decision", () => {
    expect(graphFiles(rows, "", "")).toBeNull();
  });

  it("keeps the decisions with the status and the tag, in log order", () => {
    expect(graphFiles(rows, "accepted", "")).toEqual(["0002-b.md", "0003-c.md"]);
    expect(graphFiles(rows, "", "db")).toEqual(["0001-a.md", "0002-b.md"]);
    expect(graphFiles(rows, "accepted", "ui")).toEqual([]);
  });
});

describe("shortTitle", () => {
  it("cuts long titles by characters", () => {
    expect(shortTitle("Short")).toBe("Short");
    expect(shortTitle("é".repeat(30))).toBe("é".repeat(28) + "…");
    expect(shortTitle("😀".repeat(29))).toBe("😀".repeat(28) + "…");
  });
});

describe("edgeClass", () => {
  it("styles the known relations apart and the rest alike", () => {
    expect(edgeClass("supersedes")).toBe("supersedes");
    expect(edgeClass("mentions")).toBe("mentions");
    expect(edgeClass("relates-to")).toBe("relates-to");
    expect(edgeClass("depends-on")).toBe("other");
  });
});

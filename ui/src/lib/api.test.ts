// The pure helpers of api.ts: no Tauri here, only what the components build the page from.
import { describe, expect, it } from "vitest";
import { asError, highlightPieces, label } from "./api";

describe("highlightPieces", () => {
  it("splits text at UTF-8 byte ranges, not UTF-16 indices", () => {
    // "é" is two bytes in UTF-8 but one UTF-16 unit: "café" ends at byte 5.
    expect(highlightPieces("café au lait", [[6, 8]])).toEqual([
      { text: "café ", hit: false },
      { text: "au", hit: true },
      { text: " lait", hit: false },
    ]);
  });

  it("sorts ranges and drops overlapping, empty and out-of-bounds ones", () => {
    expect(
      highlightPieces("one two three", [
        [8, 13],
        [0, 3],
        [1, 2],
        [4, 4],
        [10, 99],
      ]),
    ).toEqual([
      { text: "one", hit: true },
      { text: " two ", hit: false },
      { text: "three", hit: true },
    ]);
  });

  it("gives the whole text as one plain piece without ranges", () => {
    expect(highlightPieces("plain", [])).toEqual([{ text: "plain", hit: false }]);
    expect(highlightPieces("", [])).toEqual([]);
  });
});

describe("label", () => {
  it("pads numbers to four digits and falls back to the file name", () => {
    expect(label(7, "0007-x.md")).toBe("0007");
    expect(label(12345, "x.md")).toBe("12345");
    expect(label(null, "notes.md")).toBe("notes.md");
  });
});

describe("asError", () => {
  it("keeps a { kind, message } error as it is", () => {
    const e = { kind: "conflict", message: "changed on disk" };
    expect(asError(e)).toBe(e);
  });

  it("wraps anything else as an internal error", () => {
    expect(asError("boom")).toEqual({ kind: "internal", message: "boom" });
    expect(asError(new Error("bad"))).toEqual({ kind: "internal", message: "Error: bad" });
    expect(asError(null)).toEqual({ kind: "internal", message: "null" });
  });
});

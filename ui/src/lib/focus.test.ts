// The pure part of the dialogs' focus trap: where Tab and Shift+Tab go.
import { describe, expect, it } from "vitest";
import { cycle } from "./focus";

describe("cycle", () => {
  it("moves forward and wraps from the last control to the first", () => {
    expect(cycle(3, 0, false)).toBe(1);
    expect(cycle(3, 1, false)).toBe(2);
    expect(cycle(3, 2, false)).toBe(0);
  });

  it("moves back with Shift and wraps from the first control to the last", () => {
    expect(cycle(3, 2, true)).toBe(1);
    expect(cycle(3, 0, true)).toBe(2);
  });

  it("enters from outside at the first control, or the last one going back", () => {
    expect(cycle(4, -1, false)).toBe(0);
    expect(cycle(4, -1, true)).toBe(3);
    expect(cycle(4, 9, false)).toBe(0);
  });

  it("stays on a single control and has nowhere to go without any", () => {
    expect(cycle(1, 0, false)).toBe(0);
    expect(cycle(1, 0, true)).toBe(0);
    expect(cycle(0, -1, false)).toBe(-1);
  });
});

// The settings Mermaid runs with and the error text a broken diagram shows.
import { describe, expect, it } from "vitest";
import { errorText, LOCKED_KEYS, MERMAID_CONFIG, themeFor } from "./diagrams";

describe("Mermaid settings", () => {
  it("run at the strict level, never on load, with text labels", () => {
    expect(MERMAID_CONFIG.securityLevel).toBe("strict");
    expect(MERMAID_CONFIG.startOnLoad).toBe(false);
    expect(MERMAID_CONFIG.htmlLabels).toBe(false);
    expect(MERMAID_CONFIG.flowchart?.htmlLabels).toBe(false);
  });

  it("cannot be changed by a diagram's init directive where it matters", () => {
    for (const key of ["securityLevel", "htmlLabels", "flowchart", "themeCSS", "secure", "dompurifyConfig"]) {
      expect(LOCKED_KEYS).toContain(key);
    }
    expect(MERMAID_CONFIG.secure).toBe(LOCKED_KEYS);
  });
});

describe("errorText", () => {
  it("keeps Mermaid's message", () => {
    expect(errorText(new Error("Parse error on line 2:\n...\n\n"))).toBe("Parse error on line 2:\n...");
  });

  it("shows something for odd throws", () => {
    expect(errorText("boom")).toBe("boom");
    expect(errorText({ message: "  " })).toBe("Mermaid could not read this diagram.");
    expect(errorText(undefined)).toBe("undefined");
  });
});

describe("themeFor", () => {
  it("follows the system's light or dark palette", () => {
    expect(themeFor(false)).toBe("neutral");
    expect(themeFor(true)).toBe("dark");
  });
});

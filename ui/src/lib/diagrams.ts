// Mermaid diagrams in rendered decisions. The Rust renderer leaves each ```mermaid block as
// <pre class="mermaid"> holding its source as escaped text (never HTML); this draws them in
// place. Mermaid is large, so it is loaded only when a page has a diagram, and it runs at
// its strict level: labels are text, click and callback directives do nothing, and a
// diagram's own `%%{init}%%` cannot lower the level or turn HTML labels back on.
import type { Mermaid, MermaidConfig } from "mermaid";

/** Keys a diagram's `%%{init: …}%%` directive may not set: Mermaid's own list (security
 * level, start on load, sizes, error rendering) and the ones that put HTML or CSS from the
 * file into the page. */
export const LOCKED_KEYS = [
  "secure",
  "securityLevel",
  "startOnLoad",
  "maxTextSize",
  "maxEdges",
  "suppressErrorRendering",
  "htmlLabels",
  "flowchart",
  "themeCSS",
  "dompurifyConfig",
  "fontFamily",
];

export const MERMAID_CONFIG: MermaidConfig = {
  startOnLoad: false,
  securityLevel: "strict",
  // The app shows the error beside the source itself; Mermaid's own error picture would
  // replace the source the user needs to fix it.
  suppressErrorRendering: true,
  secure: LOCKED_KEYS,
  // Labels as SVG text, not HTML inside <foreignObject>: less HTML from the file in the page.
  htmlLabels: false,
  flowchart: { htmlLabels: false },
  theme: "neutral",
  fontFamily: 'system-ui, "Cantarell", "DejaVu Sans", sans-serif',
  maxTextSize: 50_000,
  maxEdges: 500,
};

/** Mermaid's theme for the app's palette: its dark one on a dark system, so lines and labels
 * stay readable on the page's background. */
export function themeFor(dark: boolean): MermaidConfig["theme"] {
  return dark ? "dark" : "neutral";
}

/** What a failed diagram says under its source: Mermaid's message without its trailing
 * blank lines, or the thrown value as text. */
export function errorText(e: unknown): string {
  const raw =
    e && typeof e === "object" && "message" in e ? String((e as { message: unknown }).message) : String(e);
  const text = raw.trim();
  return text === "" ? "Mermaid could not read this diagram." : text;
}

let loading: Promise<Mermaid> | null = null;

function mermaid(): Promise<Mermaid> {
  loading ??= import("mermaid").then(({ default: m }) => {
    m.initialize({ ...MERMAID_CONFIG, theme: themeFor(matchMedia("(prefers-color-scheme: dark)").matches) });
    return m;
  });
  return loading;
}

let seq = 0;

/** Draws every diagram block under `root` not drawn yet. A block keeps its node (Svelte owns
 * the rendered HTML around it): on success its source is replaced by the SVG, on failure the
 * source stays and Mermaid's error is shown below it. A block that left the page meanwhile
 * (the preview moved on) is not touched. */
export async function drawDiagrams(root: HTMLElement): Promise<void> {
  const blocks = [...root.querySelectorAll<HTMLElement>("pre.mermaid:not([data-diagram])")];
  if (blocks.length === 0) return;
  let m: Mermaid;
  try {
    m = await mermaid();
  } catch (e) {
    loading = null;
    for (const pre of blocks) showError(pre, `Mermaid could not be loaded: ${errorText(e)}`);
    return;
  }
  for (const pre of blocks) {
    if (!pre.isConnected || pre.dataset.diagram) continue;
    pre.dataset.diagram = "drawing";
    const source = pre.textContent ?? "";
    const id = `cairn-diagram-${++seq}`;
    try {
      const { svg } = await m.render(id, source);
      if (!pre.isConnected) continue;
      // Mermaid's output at the strict level, passed through its DOMPurify; the CSP (no
      // inline script) stands behind it.
      pre.innerHTML = svg;
      pre.dataset.diagram = "drawn";
    } catch (e) {
      document.getElementById(`d${id}`)?.remove();
      if (pre.isConnected) showError(pre, errorText(e));
    }
  }
}

function showError(pre: HTMLElement, message: string) {
  pre.dataset.diagram = "error";
  const note = document.createElement("span");
  note.className = "diagram-error";
  note.setAttribute("role", "note");
  note.textContent = `Diagram not drawn: ${message}`;
  pre.append(note);
}

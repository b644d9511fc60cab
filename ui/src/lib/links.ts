// Clicks on links inside HTML rendered in Rust (a decision, the editor's preview, a workshop
// outcome), handled the same way everywhere: in-app links open the decision, http(s) and
// mailto links go to the system browser through Rust (which checks them again), anchors
// scroll, and nothing else does anything. The window itself never follows a link; the shell's
// navigation guard would cancel it anyway.
import { api } from "./api";

export function onLinkClick(
  e: MouseEvent,
  fail: (e: unknown) => void,
  openDecision?: (fileName: string) => void,
) {
  const a = (e.target as HTMLElement).closest("a");
  if (!a) return;
  e.preventDefault();
  const href = a.getAttribute("href") ?? "";
  if (href.startsWith("#decision/")) {
    openDecision?.(decodeURIComponent(href.slice("#decision/".length)));
  } else if (/^(https?:|mailto:)/i.test(href)) {
    api.openExternal(href).catch(fail);
  } else if (href.startsWith("#")) {
    const id = decodeURIComponent(href.slice(1));
    document.getElementById(id)?.scrollIntoView();
  }
}

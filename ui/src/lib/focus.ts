// Keyboard focus inside modal dialogs: Tab and Shift+Tab cycle through the dialog's own
// controls and never reach the page behind it; Escape closes it; and when it closes, the
// focus goes back to the control that opened it.
import type { Attachment } from "svelte/attachments";

/** Where Tab (or Shift+Tab with `back`) moves from `current` among `count` controls: the
 * next one, wrapping at either end. From outside them (`current` -1), Tab goes to the first
 * and Shift+Tab to the last. -1 when there is nothing to focus. */
export function cycle(count: number, current: number, back: boolean): number {
  if (count <= 0) return -1;
  if (current < 0 || current >= count) return back ? count - 1 : 0;
  return (current + (back ? count - 1 : 1)) % count;
}

const FOCUSABLE =
  "a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), " +
  "textarea:not([disabled]), [tabindex]:not([tabindex='-1'])";

/** The controls in `root` that Tab reaches, in document order. */
function focusables(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
    (el) => el.getClientRects().length > 0,
  );
}

/** Tab, with or without Shift. WebKitGTK reports the key WebDriver sends as "Unidentified",
 * with the code "Tab"; a keyboard's Tab has both. */
function isTab(e: KeyboardEvent): boolean {
  return e.key === "Tab" || e.code === "Tab";
}

/** The element that has the focus now. A dialog component reads it as its script starts:
 * by the time its attachments run, a control inside it may have taken the focus already. */
export function focused(): HTMLElement | null {
  return document.activeElement instanceof HTMLElement ? document.activeElement : null;
}

/** Traps the focus in the element it is attached to (a modal dialog), calls `onescape` on
 * Escape, and gives the focus back to `opener` (the element that had it when the dialog
 * opened, from `focused`) when the dialog goes. */
export function trapFocus(onescape: () => void, opener: HTMLElement | null): Attachment<HTMLElement> {
  return (dialog) => {
    function onkeydown(e: KeyboardEvent) {
      if (e.key === "Escape") {
        e.preventDefault();
        e.stopPropagation();
        onescape();
      } else if (isTab(e)) {
        const items = focusables(dialog);
        const to = cycle(items.length, items.indexOf(document.activeElement as HTMLElement), e.shiftKey);
        e.preventDefault();
        items[to]?.focus();
      }
    }
    dialog.addEventListener("keydown", onkeydown);
    return () => {
      dialog.removeEventListener("keydown", onkeydown);
      // The opener may be gone (a re-rendered list): then the focus stays where it lands.
      if (opener?.isConnected) opener.focus();
    };
  };
}

// The passing message at the foot of the window: what an action did, or why it failed.
// Errors stay longer, since they are read rather than glanced at.
import { asError } from "./api";

class Toast {
  current: { text: string; error: boolean } | null = $state(null);
  #timer: ReturnType<typeof setTimeout> | undefined;

  say = (text: string, error = false) => {
    this.current = { text, error };
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => (this.current = null), error ? 8000 : 3000);
  };

  fail = (e: unknown) => {
    this.say(asError(e).message, true);
  };
}

export const toast = new Toast();

// Taming of the "override mistake" for frozen prototypes (used by freeze.ts; apart from it
// so that a test can import it without freezing the test runner's own built-ins).

/** Turns `proto[key]`, a data property, into an accessor: reading gives the original value,
 * assigning on `proto` itself throws, and assigning on an object that inherits it defines
 * that object's own property, as it would if `proto` were not frozen. */
export function overridable(proto: object, key: PropertyKey): void {
  const d = Object.getOwnPropertyDescriptor(proto, key);
  if (!d || !("value" in d) || !d.configurable) return;
  const value: unknown = d.value;
  Object.defineProperty(proto, key, {
    get() {
      return value;
    },
    set(this: object, v: unknown) {
      if (this === proto) throw new TypeError(`Cannot assign to ${String(key)} of a frozen prototype`);
      Object.defineProperty(this, key, { value: v, writable: true, enumerable: true, configurable: true });
    },
    enumerable: d.enumerable,
    configurable: false,
  });
}

// Freezes the prototypes of JavaScript's built-in objects before any other module runs (it is
// main.ts's first import), so prototype pollution — a `__proto__` or `constructor.prototype`
// key in data that some code merges into an object — cannot change how every object behaves.
// Error.prototype stays open: error classes set `this.name`, which a frozen prototype would
// turn into a TypeError.
//
// Freezing alone breaks ordinary code through the "override mistake": once
// `Object.prototype.valueOf` is read-only, `Foo.prototype.valueOf = …` on an object that
// inherits it throws in strict mode instead of creating Foo's own method (dayjs does this, and
// so Mermaid could not load). As SES does, the inherited members libraries override that way
// become accessors first: reading gives the original, assigning on the prototype itself still
// throws, and assigning on any other object defines that object's own property.
import { overridable } from "./override";

const prototypes: object[] = [
  Object.prototype,
  Array.prototype,
  Function.prototype,
  String.prototype,
  Number.prototype,
  Boolean.prototype,
  Symbol.prototype,
  BigInt.prototype,
  RegExp.prototype,
  Date.prototype,
  Promise.prototype,
  Map.prototype,
  Set.prototype,
  WeakMap.prototype,
  WeakSet.prototype,
];
/** Members that code overrides by assignment on objects inheriting them: all of
 * Object.prototype's, and these on the other prototypes. */
const OVERRIDDEN = ["constructor", "toString", "toLocaleString", "valueOf", "toJSON", "bind"];

for (const key of Reflect.ownKeys(Object.prototype)) overridable(Object.prototype, key);
for (const p of prototypes) for (const key of OVERRIDDEN) overridable(p, key);
for (const p of prototypes) Object.freeze(p);

// Freezes the prototypes of JavaScript's built-in objects before any other module runs (it is
// main.ts's first import), so prototype pollution — a `__proto__` or `constructor.prototype`
// key in data that some code merges into an object — cannot change how every object behaves.
// Error.prototype stays open: error classes set `this.name`, which a frozen prototype would
// turn into a TypeError.
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
for (const p of prototypes) Object.freeze(p);

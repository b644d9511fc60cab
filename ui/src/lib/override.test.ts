// The frozen prototypes (freeze.ts) still let objects override what they inherit, and still
// refuse changes to the prototypes themselves. Checked on stand-in prototypes, so that the
// test runner's own built-ins are not frozen.
import { describe, expect, it } from "vitest";
import { overridable } from "./override";

describe("overridable", () => {
  it("lets an inheriting object define its own member by assignment", () => {
    const proto = { valueOf: () => 1 };
    overridable(proto, "valueOf");
    Object.freeze(proto);
    function Day(this: { valueOf?: () => number }) {}
    Day.prototype = Object.create(proto);
    // What dayjs does; with a plain frozen data property this assignment throws.
    Day.prototype.valueOf = () => 2;
    expect(Day.prototype.valueOf()).toBe(2);
    expect(proto.valueOf()).toBe(1);
  });

  it("still refuses changes to the prototype itself", () => {
    const proto = { toString: () => "proto" };
    overridable(proto, "toString");
    Object.freeze(proto);
    expect(() => {
      proto.toString = () => "changed";
    }).toThrow(TypeError);
    expect(proto.toString()).toBe("proto");
    expect(Object.isFrozen(proto)).toBe(true);
  });
});

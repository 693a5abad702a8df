/** The test helpers' equality is structural: Sets, Maps and missing vs undefined fields count. */
import { assert, assertEquals, assertThrows, equal } from "../../support/assert.ts";

Deno.test("equal: Sets and Maps compare by content, not as {}", () => {
  assert(!equal(new Set([1]), new Set([2])));
  assert(equal(new Set([1, 2]), new Set([2, 1])));
  assert(!equal(new Map([[1, "a"]]), new Map([[1, "b"]])));
  assert(equal([1, { x: new Map([[1, 2]]) }], [1, { x: new Map([[1, 2]]) }]));
});

Deno.test("equal: types, NaN, dates and absent keys", () => {
  assert(!equal({ a: 1 }, { a: "1" }));
  assert(!equal({ a: 1, b: undefined }, { a: 1 }));
  assert(equal(NaN, NaN));
  assert(equal(new Date(5), new Date(5)));
  assert(!equal([1, 2], { 0: 1, 1: 2 }));
});

Deno.test("assertEquals names both sides", () => {
  assertThrows(
    () => assertEquals(new Set([1]), new Set([2])),
    /expected Set\(\[2\]\), got Set\(\[1\]\)/,
  );
});

import { SegmentTimer } from "../../src/recorder/segment_timer.ts";
import { assertEquals } from "../support/assert.ts";

const s = 1e9; // ns per second

Deno.test("segments chain on the running time, anchored once to the wall clock", () => {
  const t = new SegmentTimer(200);
  t.opened(0.5 * s, 10_700);
  assertEquals(t.closed("a", 2.5 * s), {
    location: "a",
    startMs: 10_500,
    durationMs: 2000,
    newRun: true,
  });
  t.opened(2.5 * s, 12_790); // 90 ms of scheduling noise: ignored
  assertEquals(t.closed("b", 4.5 * s), {
    location: "b",
    startMs: 12_500,
    durationMs: 2000,
    newRun: false,
  });
  assertEquals(t.closed("c", 5 * s), undefined, "no fragment open");
});

Deno.test("fragment messages that lag by a GOP (4 s) do not move the times", () => {
  // Measured with a 4 s GOP and whole-frame buffers: the first message comes at once,
  // the others 4 s late. (A busy server reading its children late looks the same.)
  const t = new SegmentTimer(0, 1000);
  t.opened(0.046 * s, 46);
  assertEquals(t.closed("a", 4.047 * s)?.startMs, 46);
  t.opened(4.047 * s, 8044);
  assertEquals(t.closed("b", 8.049 * s)?.startMs, 4047);
  t.opened(8.049 * s, 12_045);
  assertEquals(t.closed("c", 12.05 * s), {
    location: "c",
    startMs: 8049,
    durationMs: 4001,
    newRun: false,
  });
  assertEquals(t.reanchors, 0);
});

Deno.test("a running time that drifts from the wall clock is re-anchored", () => {
  const t = new SegmentTimer(0, 1000);
  t.opened(0, 0);
  t.closed("a", 1.96 * s);
  t.opened(1.96 * s, 2960); // one GOP (1 s) late, as usual
  t.closed("b", 3.92 * s);
  // Ten minutes later the camera's clock is 3 s slow: the wall clock wins (the usual
  // one-GOP lag is kept out of the new anchor).
  t.opened(600 * s, 604_000);
  assertEquals(t.closed("c", 602 * s)?.startMs, 603_000);
  // Running ahead of the wall clock (messages cannot come early): re-anchored too.
  t.opened(700 * s, 701_000);
  assertEquals(t.closed("d", 702 * s)?.startMs, 700_000);
  assertEquals(t.reanchors, 2);
});

Deno.test("a new run starts a new anchor and is marked", () => {
  const t = new SegmentTimer(0);
  t.opened(0, 1000);
  t.closed("a", 1 * s);
  t.newRun();
  t.opened(0.2 * s, 50_200);
  assertEquals(t.closed("b", 1.2 * s), {
    location: "b",
    startMs: 50_200,
    durationMs: 1000,
    newRun: true,
  });
  assertEquals(t.segments, 1);
});

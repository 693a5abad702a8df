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

Deno.test("a running time that drifts from the wall clock is re-anchored", () => {
  const t = new SegmentTimer(0, 1000);
  t.opened(0, 0);
  t.closed("a", 1.96 * s);
  // Ten minutes later the camera's clock is 1.5 s slow: the wall clock wins.
  t.opened(600 * s, 601_500);
  assertEquals(t.closed("b", 602 * s)?.startMs, 601_500);
  assertEquals(t.reanchors, 1);
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

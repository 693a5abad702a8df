import { SegmentTimer } from "../../../src/recorder/segment_timer.ts";
import { assert, assertEquals } from "../../support/assert.ts";

const s = 1e9; // ns per second
/** Wall = monotonic + this (an arbitrary epoch) unless a test steps the wall clock. */
const EPOCH = 1_700_000_000_000;

Deno.test("segments chain on the running time, anchored once to the wall clock", () => {
  const t = new SegmentTimer(200);
  t.opened(0.5 * s, EPOCH + 10_700, 10_700);
  assertEquals(t.closed("a", 2.5 * s, EPOCH + 12_790, 12_790), {
    location: "a",
    startMs: EPOCH + 10_500,
    durationMs: 2000,
    newRun: true,
  });
  t.opened(2.5 * s, EPOCH + 12_790, 12_790); // 90 ms of scheduling noise: ignored
  assertEquals(t.closed("b", 4.5 * s, EPOCH + 14_700, 14_700), {
    location: "b",
    startMs: EPOCH + 12_500,
    durationMs: 2000,
    newRun: false,
  });
  assertEquals(t.closed("c", 5 * s, EPOCH + 15_000, 15_000), undefined, "no fragment open");
});

Deno.test("fragment messages that lag by a GOP (4 s) do not move the times", () => {
  // The first message comes at once, the others 4 s late (splitmuxsink decides a
  // fragment's end once the next GOP is whole).
  const t = new SegmentTimer(0, 1000);
  t.opened(0.046 * s, EPOCH + 46, 46);
  assertEquals(t.closed("a", 4.047 * s, EPOCH + 8044, 8044)?.startMs, EPOCH + 46);
  t.opened(4.047 * s, EPOCH + 8044, 8044);
  assertEquals(t.closed("b", 8.049 * s, EPOCH + 12_045, 12_045)?.startMs, EPOCH + 4047);
  t.opened(8.049 * s, EPOCH + 12_045, 12_045);
  assertEquals(t.closed("c", 12.05 * s, EPOCH + 16_046, 16_046), {
    location: "c",
    startMs: EPOCH + 8049,
    durationMs: 4001,
    newRun: false,
  });
  assertEquals(t.reanchors, 0);
});

Deno.test("load: messages late by up to 8 s never move the times nor step back", () => {
  // A busy box reads its children late, sometimes by seconds, in bursts. The old timer
  // read a message late by more than a segment + 1 s as a clock change and moved its
  // anchor (a 5 s jump forward), then back when the next came on time (a step back: the
  // session closed as "clock stepped back"). Lateness is not a clock step.
  const t = new SegmentTimer(200);
  let seed = 7;
  const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  let rt = 0.1;
  const late = () => (random() < 0.3 ? random() * 8000 : random() * 300);
  let mono = 5000;
  const at = (rtS: number) => {
    mono = Math.max(mono, 5000 + 200 + rtS * 1000 + late()); // never before the media
    return mono;
  };
  let m = at(rt);
  t.opened(rt * s, EPOCH + m, m);
  const segments = [];
  for (let i = 0; i < 300; i++) {
    const end = rt + 2;
    m = at(end);
    segments.push(t.closed(`${i}`, end * s, EPOCH + m, m)!);
    t.opened(end * s, EPOCH + m, m);
    rt = end;
  }
  for (let i = 1; i < segments.length; i++) {
    const prev = segments[i - 1];
    assertEquals(segments[i].startMs, prev.startMs + prev.durationMs, `segment ${i} chains`);
  }
  const truth = EPOCH + 5000 + 100; // when the first frame really came
  assert(segments[0].startMs >= truth && segments[0].startMs <= truth + 8000);
  assertEquals(t.steps, 0, "lateness is not a clock step");
});

Deno.test("the wall clock stepping (monotonic does not): a gap forward, an overlap back", () => {
  const t = new SegmentTimer(0);
  let wall = EPOCH, mono = 0;
  const tick = (ms: number) => {
    wall += ms;
    mono += ms;
  };
  t.opened(0, wall, mono);
  tick(2000);
  const a = t.closed("a", 2 * s, wall, mono)!;
  t.opened(2 * s, wall, mono);
  wall += 30_000; // NTP steps forward 30 s
  tick(2000);
  const b = t.closed("b", 4 * s, wall, mono)!;
  t.opened(4 * s, wall, mono);
  assertEquals(b.startMs - (a.startMs + a.durationMs), 30_000, "a 30 s gap");
  wall -= 60_000; // and back a minute, with a late message on top
  tick(3500);
  const c = t.closed("c", 6 * s, wall, mono)!;
  assertEquals(c.startMs, b.startMs + b.durationMs - 60_000, "times go back with the clock");
  assertEquals([t.steps, t.reanchors], [2, 0]);
  // 0.9 s: within the tolerance, nothing moves.
  t.opened(6 * s, wall, mono);
  wall += 900;
  tick(2000);
  assertEquals(t.closed("d", 8 * s, wall, mono)!.startMs, c.startMs + c.durationMs);
});

Deno.test("a camera whose timestamps drift is followed, once the drift persists", () => {
  const t = new SegmentTimer(0, 1000, 60_000);
  t.opened(0, EPOCH, 0);
  t.closed("a", 2 * s, EPOCH + 2000, 2000);
  t.opened(2 * s, EPOCH + 2000, 2000);
  // The camera's clock runs slow: its running time is 4 s behind after ten minutes, and
  // stays so for over a minute (lateness under load comes and goes).
  let rt = 600;
  for (let mono = 604_000; mono <= 666_000; mono += 2000, rt += 2) {
    t.closed("x", rt * s, EPOCH + mono, mono);
    t.opened(rt * s, EPOCH + mono, mono);
  }
  assertEquals(t.reanchors, 1);
  const slow = t.closed("b", rt * s, EPOCH + 668_000, 668_000)!;
  assertEquals(slow.startMs + slow.durationMs, EPOCH + 668_000, "follows the wall clock");
  // Running ahead (messages cannot come early): followed at once.
  t.opened(rt * s, EPOCH + 668_000, 668_000);
  t.closed("c", (rt + 4) * s, EPOCH + 670_000, 670_000);
  assertEquals(t.reanchors, 2);
});

Deno.test("a new run starts a new anchor and is marked; it never starts before the last end", () => {
  const t = new SegmentTimer(0);
  t.opened(0, EPOCH + 1000, 1000);
  t.closed("a", 1 * s, EPOCH + 2000, 2000);
  t.newRun();
  t.opened(0.2 * s, EPOCH + 50_200, 50_200);
  assertEquals(t.closed("b", 1.2 * s, EPOCH + 51_200, 51_200), {
    location: "b",
    startMs: EPOCH + 50_200,
    durationMs: 1000,
    newRun: true,
  });
  assertEquals(t.segments, 1);
  // A run whose first message came late, then an early one: placed after "b", no overlap.
  t.newRun();
  t.opened(0, EPOCH + 51_700, 51_700);
  const c = t.closed("c", 2 * s, EPOCH + 51_900, 51_900)!; // base: 49.9 s, before "b" ended
  assertEquals(c.startMs, EPOCH + 51_200);
  assert(c.newRun);
});

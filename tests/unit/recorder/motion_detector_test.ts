import { assert, assertEquals } from "../../support/assert.ts";
import { defaultMotionSettings } from "../../../src/recorder/motion/settings.ts";
import { play, Scene, type SceneAt, T0 } from "./motion_scene.ts";

const phases = (r: ReturnType<typeof play>) =>
  r.changes.map((c) => c.phase).filter((p) => p !== "update");
const starts = (r: ReturnType<typeof play>) => r.changes.filter((c) => c.phase === "start");

Deno.test("motion: an object that appears and leaves is one event, from its first frame to the first frame without it", () => {
  const scene = new Scene();
  // Present in frames 20..27 (8 s at one frame a second), moving right.
  const at = (i: number): SceneAt =>
    i >= 20 && i < 28 ? { box: [40 + (i - 20) * 3, 30, 24, 20] } : {};
  const r = play(60, scene, at);
  assertEquals(phases(r), ["start", "end"]);
  const start = r.changes[0].event;
  assertEquals(start.start, T0 + 20_000);
  assertEquals(start.id, "20261201-140020-000");
  const end = r.changes.at(-1)!.event;
  assertEquals(end.end, T0 + 28_000);
  assert(end.score > 0.02 && end.score < 0.1, `score ${end.score}`);
  const [x, y, w, h] = end.box;
  assert(
    x >= 0.2 && x < 0.45 && y > 0.28 && y < 0.4 && w > 0.1 && w < 0.4 && h > 0.15 && h < 0.3,
    `box ${end.box}`,
  );
  assert(end.peak! >= end.start && end.peak! < end.end!);
});

Deno.test("motion: the same object appearing three times is three events", () => {
  const scene = new Scene(3);
  const at = (i: number): SceneAt =>
    i % 20 >= 5 && i % 20 < 12 && i >= 20 ? { box: [90, 40, 30, 30] } : {};
  const r = play(80, scene, at);
  assertEquals(starts(r).map((c) => c.event.start - T0), [25_000, 45_000, 65_000]);
  assertEquals(phases(r), ["start", "end", "start", "end", "start", "end"]);
});

Deno.test("motion: sensor noise alone is no event, even at the highest sensitivity", () => {
  for (const sensitivity of [50, 100]) {
    const r = play(300, new Scene(5, 10), () => ({}), {
      settings: () => ({ ...defaultMotionSettings(), sensitivity }),
    });
    assertEquals(r.changes, [], `sensitivity ${sensitivity}`);
  }
});

Deno.test("motion: a ticking burned-in clock is learnt and ignored; an object still counts", () => {
  const scene = new Scene(7);
  // The clock (24x12 = 2% of the picture, twice the minimum area) changes every frame.
  const r = play(
    120,
    scene,
    (i) => ({ clock: i, ...(i >= 80 && i < 86 ? { box: [100, 50, 30, 25] } : {}) }),
  );
  assert(r.detector.ignoredPixels > 100, `ignored ${r.detector.ignoredPixels}`);
  assertEquals(starts(r).map((c) => c.event.start - T0), [80_000]);
  // The object's box does not reach into the clock's corner.
  assert(starts(r)[0].event.box[0] > 0.5);
});

Deno.test("motion: slow, uneven light drift (dusk, clouds) is no event", () => {
  const scene = new Scene(9);
  // Darker by 90 levels over 5 minutes, more on the right than on the left; then brighter again.
  const light = (i: number) => i < 300 ? -90 * (i / 300) : -90 + 90 * ((i - 300) / 200);
  const r = play(500, scene, (i) => ({ light: light(i) }));
  assertEquals(r.changes, []);
});

Deno.test("motion: a sudden global change (IR switch) is learnt again, no event and none stuck; motion after it counts", () => {
  const scene = new Scene(11);
  const at = (i: number): SceneAt => ({
    switched: i >= 30,
    light: i >= 30 && i < 34 ? (34 - i) * 10 : 0, // exposure settles over a few frames
    ...(i >= 70 && i < 76 ? { box: [20, 50, 30, 25] } : {}),
  });
  const r = play(100, scene, at);
  assert(r.verdicts[30].global, "frame 30 is a global change");
  assertEquals(starts(r).map((c) => c.event.start - T0), [70_000]);
  assertEquals(phases(r), ["start", "end"]);
});

Deno.test("motion: a global change during an event ends it at once", () => {
  const scene = new Scene(12);
  const at = (i: number): SceneAt => ({
    switched: i >= 25,
    ...(i >= 20 ? { box: [20, 20, 30, 30] } : {}),
  });
  const r = play(60, scene, at);
  const end = r.changes.find((c) => c.phase === "end")!;
  assertEquals(end.event.end, T0 + 25_000);
  assertEquals(
    starts(r).length,
    1,
    "the object still there after the switch is part of the new background",
  );
});

Deno.test("motion: an object inside a mask is no event; outside it is; masks apply from the next frame", () => {
  const scene = new Scene(13);
  const mask: [number, number][][] = [[[0.5, 0], [1, 0], [1, 1], [0.5, 1]]]; // the right half
  const at = (i: number): SceneAt =>
    i >= 10 && i < 16
      ? { box: [110, 30, 30, 30] }
      : i >= 30 && i < 36
      ? { box: [20, 30, 30, 30] }
      : {};
  const masked = play(50, scene, at, {
    settings: () => ({ ...defaultMotionSettings(), masks: mask }),
  });
  assertEquals(starts(masked).map((c) => c.event.start - T0), [30_000]);
  const unmasked = play(50, new Scene(13), at);
  assertEquals(starts(unmasked).map((c) => c.event.start - T0), [10_000, 30_000]);
});

Deno.test("motion: min_area: a small object counts only when the minimum area is below its size", () => {
  const at = (i: number): SceneAt => (i >= 10 && i < 16 ? { box: [60, 40, 9, 8] } : {}); // 0.5%
  const big = play(30, new Scene(15), at);
  assertEquals(big.changes, []);
  const small = play(30, new Scene(15), at, {
    settings: () => ({ ...defaultMotionSettings(), minArea: 0.002 }),
  });
  assertEquals(phases(small), ["start", "end"]);
});

Deno.test("motion: an object that stays is absorbed: the event ends within minutes", () => {
  const r = play(400, new Scene(17), (i) => (i >= 10 ? { box: [60, 30, 30, 30] } : {}));
  assertEquals(phases(r), ["start", "end"]);
  assert(r.changes.at(-1)!.event.end! - T0 < 300_000, `ended ${r.changes.at(-1)!.event.end! - T0}`);
});

Deno.test("motion: sensitivity: a faint object counts at a high sensitivity only", () => {
  const at = (
    i: number,
  ): SceneAt => (i >= 10 && i < 16 ? { box: [60, 30, 30, 30], boxDelta: 20 } : {});
  const low = play(30, new Scene(19), at, {
    settings: () => ({ ...defaultMotionSettings(), sensitivity: 1 }),
  });
  const high = play(30, new Scene(19), at, {
    settings: () => ({ ...defaultMotionSettings(), sensitivity: 100 }),
  });
  assertEquals(low.changes, []);
  assertEquals(phases(high), ["start", "end"]);
});

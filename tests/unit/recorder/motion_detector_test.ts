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

Deno.test("motion: an object that stays: its event ends two frames after it stopped; it becomes background", () => {
  const r = play(60, new Scene(17), (i) => ({
    ...(i >= 10 ? { box: [60, 30, 30, 30], boxLevel: 40 } : {}),
    // Later, another object crosses it.
    ...(i >= 40 && i < 46 ? { box2: [30 + (i - 40) * 10, 35, 20, 20] } : {}),
  }));
  assertEquals(phases(r), ["start", "end", "start", "end"]);
  assertEquals(r.changes[1].event.end! - T0, 12_000);
  // Absorbed (ABSORB_MS): the crossing's area and box are its own, not the parked object's.
  const crossing = r.changes.at(-1)!.event;
  assertEquals([crossing.start - T0, crossing.end! - T0], [40_000, 46_000]);
  assert(crossing.score < 0.035, `score ${crossing.score}`);
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

/** Every event ended by the frames themselves (not by `stop()`), and when. */
const ends = (r: ReturnType<typeof play>) =>
  r.changes.filter((c) => c.phase === "end").map((c) => c.event);

Deno.test("motion: background learnt with an object present, the object leaves: at most one short event, none stuck", () => {
  for (const stepMs of [1000, 2000, 4000]) {
    // The object is there from the first frame (the camera started with it) and leaves at
    // frame 12; nothing moves after that.
    const leaveAt = 12;
    const r = play(
      leaveAt + Math.ceil(60_000 / stepMs),
      new Scene(21),
      (i) => (i < leaveAt ? { box: [60, 30, 32, 22] } : {}),
      { stepMs },
    );
    const left = T0 + leaveAt * stepMs;
    assert(starts(r).length <= 1, `${stepMs}: ${starts(r).length} events`);
    for (const e of ends(r)) {
      assert(e.start >= left - stepMs, `${stepMs}: starts off the leaving ${e.start - T0}`);
      assert(e.end! <= left + Math.max(5_000, 2 * stepMs), `${stepMs}: ended ${e.end! - left}`);
    }
    assertEquals(r.endedByStop, undefined, `${stepMs}: an event still open`);
  }
});

Deno.test("motion: an object that arrives and stays still is one short event; it leaves minutes later: one short event", () => {
  for (const stepMs of [1000, 4000]) {
    const arrive = T0 + 20_000, leave = T0 + 320_000;
    const r = play(Math.ceil(400_000 / stepMs), new Scene(23), (i) => {
      const t = T0 + i * stepMs;
      return t >= arrive && t < leave ? { box: [70, 40, 40, 30] } : {};
    }, { stepMs });
    assertEquals(starts(r).map((c) => c.event.start), [arrive, leave], `${stepMs}`);
    for (const e of ends(r)) {
      assert(
        e.end! - e.start <= Math.max(5_000, 2 * stepMs),
        `${stepMs}: lasted ${e.end! - e.start}`,
      );
    }
    assertEquals(r.endedByStop, undefined, `${stepMs}: an event still open`);
  }
});

Deno.test("motion: a door left open (a stable change) ends; an object moving past it later is still one event while it moves", () => {
  const r = play(120, new Scene(25), (i) => ({
    ...(i >= 10 ? { box: [10, 10, 20, 60], boxLevel: 20 } : {}), // the door opens at 10, stays open
    ...(i >= 60 && i < 70 ? { box2: [60 + (i - 60) * 6, 40, 20, 20] } : {}),
  }));
  const e = ends(r);
  assertEquals(starts(r).map((c) => c.event.start - T0), [10_000, 60_000]);
  assert(e[0].end! - T0 <= 15_000, `the door's event ended ${e[0].end! - T0}`);
  assertEquals(e[1].end! - T0, 70_000);
  assertEquals(r.endedByStop, undefined);
});

Deno.test("motion: learnt while an object moved through; it comes back along the same path: its ghost is absorbed, events end when it leaves", () => {
  // Every 12 s the object crosses the same path in 4 frames; the camera started during one.
  const at = (i: number): SceneAt =>
    i % 12 < 4 ? { box: [16 + (i % 12) * 6, 15, 32, 22], boxLevel: 16 } : {};
  const r = play(72, new Scene(29), at);
  const e = ends(r);
  assertEquals(r.endedByStop, undefined);
  assert(e.every((x) => x.end! - x.start <= 6_000), "all short");
  // From the third crossing on (the ghost absorbed), exactly while it is there.
  assertEquals(
    e.filter((x) => x.start >= T0 + 24_000).map((x) => [x.start - T0, x.end! - T0]),
    [[24_000, 28_000], [36_000, 40_000], [48_000, 52_000], [60_000, 64_000]],
  );
});

import { assert, assertEquals } from "../../support/assert.ts";
import { FakeClock } from "../../support/fake_clock.ts";
import type { NvrEvent } from "../../../src/events.ts";
import { FrameClock } from "../../../src/recorder/motion/frame_clock.ts";
import { parseFrameMessage } from "../../../src/recorder/motion/frame_message.ts";
import { motionBranch, MotionTap } from "../../../src/recorder/motion/motion_tap.ts";
import { defaultMotionSettings } from "../../../src/recorder/motion/settings.ts";
import { motionEventId, MotionTracker } from "../../../src/recorder/motion/tracker.ts";
import { rasterizeMasks } from "../../../src/recorder/motion/mask.ts";
import { Scene, type SceneAt } from "./motion_scene.ts";

const LINE = (file: string, rtNs: number, element = "motion") =>
  `Got message #140 from element "${element}" (element): GstMultiFileSink, filename=(string)${file}, index=(int)0, timestamp=(guint64)3600000000000000, stream-time=(guint64)${rtNs}, running-time=(guint64)${rtNs}, duration=(guint64)40000000, offset=(guint64)18446744073709551615, offset-end=(guint64)18446744073709551615;`;

Deno.test("motion frame message: multifilesink's file and running time, from our sink only", () => {
  assertEquals(parseFrameMessage(LINE("/m/.motion/1_1/00003.gray", 29002097), "motion"), {
    filename: "/m/.motion/1_1/00003.gray",
    runningTimeNs: 29002097,
  });
  assertEquals(parseFrameMessage(LINE("/x/00000.gray", 1, "other"), "motion"), undefined);
  assertEquals(
    parseFrameMessage(
      'Got message #201 from element "splitmuxsink0" (element): splitmuxsink-fragment-closed, location=(string)m1/seg00000.ts, running-time=(guint64)2042346588',
      "motion",
    ),
    undefined,
  );
});

Deno.test("motion frame clock: the earliest message sets the base; late messages do not move frame times", () => {
  const c = new FrameClock(200);
  // wall = mono + 1000. Frame at rt 0 arrives at mono 5300 (300 ms after capture at 5000 + 200 latency, 100 decode).
  assertEquals(c.frameTime(0, 6300, 5300), 6100);
  // Next frame 1 s later, its message 900 ms late: timed from the base, not its arrival.
  assertEquals(c.frameTime(1e9, 8200, 7200), 7100);
  // A prompter message moves the base earlier.
  assertEquals(c.frameTime(2e9, 8250, 7250), 8050);
  c.newRun();
  assertEquals(c.frameTime(0, 20_000, 19_000), 19_800);
});

Deno.test("motion branch: keyframes only before a leaky queue, a decoder that never errors, small grey files", () => {
  const b = motionBranch("h265", "/m/.motion/1_2");
  assertEquals(b.slice(0, 4), ["identity", "drop-buffer-flags=delta-unit", "!", "queue"]);
  assert(b.includes("leaky=downstream"));
  assert(b.includes("avdec_h265") && b.includes("max-errors=-1") && b.includes("max-threads=1"));
  assert(b.includes("video/x-raw,format=GRAY8,width=160,height=90"));
  assert(b.includes('location="/m/.motion/1_2/%05d.gray"') && b.includes("post-messages=true"));
  assertEquals(motionBranch("h264", "/d").includes("avdec_h264"), true);
});

Deno.test("motion tracker: updates at most once a second, stop() ends an open event, ids from the start time", () => {
  assertEquals(motionEventId(Date.UTC(2026, 11, 1, 14, 5, 2, 123)), "20261201-140502-123");
  const t = new MotionTracker();
  const frame = (ms: number, area: number) => ({
    timeMs: ms,
    area,
    box: [0.1, 0.1, 0.2, 0.2] as [number, number, number, number],
    global: false,
    learning: false,
  });
  const out = [];
  // Growing motion every 250 ms for 3 s: one start, updates at most 1/s.
  for (let i = 0; i <= 12; i++) out.push(...t.frame(frame(i * 250, 0.05 + i * 0.01), 0.01));
  assertEquals(out[0].phase, "start");
  const updates = out.filter((c) => c.phase === "update").map((c) => c.event.peak);
  assertEquals(updates, [1000, 2000, 3000]);
  const end = t.stop();
  assertEquals(end.map((c) => [c.phase, c.event.end, c.event.score]), [["end", 3000, 0.17]]);
  assertEquals(t.stop(), []);
});

Deno.test("motion masks: a polygon covers the pixels whose centre is inside it", () => {
  const m = rasterizeMasks([[[0, 0], [0.5, 0], [0.5, 1], [0, 1]]], 4, 2);
  assertEquals([...m], [1, 1, 0, 0, 1, 1, 0, 0]);
  assertEquals([...rasterizeMasks([[[0, 0], [1, 0]]], 2, 1)], [0, 0]);
});

Deno.test("motion tap: frames announced on the bus are read, analysed and published as hub events", async () => {
  const clock = new FakeClock(Date.UTC(2026, 11, 1, 14, 0, 0));
  const events: NvrEvent[] = [];
  const media = await Deno.makeTempDir();
  const scene = new Scene(21);
  const files = new Map<string, Uint8Array>();
  let settings = defaultMotionSettings();
  const tap = new MotionTap({
    camera: { gid: 2, seq: 3 },
    mediaRoot: media,
    clock,
    publish: (e) => events.push(e),
    settings: () => settings,
    latencyMs: 0,
    readFrame: (path) => {
      const f = files.get(path);
      return f ? Promise.resolve(f) : Promise.reject(new Deno.errors.NotFound(path));
    },
  });
  const branch = tap.branch({ codec: "h264", runDir: "/r" })!;
  assert(branch.some((a) => a.includes(`${media}/.motion/2_3/%05d.gray`)));
  assert((await Deno.stat(tap.dir)).isDirectory, "the frame folder is made before the run");
  tap.runStarted();
  const at = (i: number): SceneAt => (i >= 10 && i < 15 ? { box: [50, 30, 30, 30] } : {});
  for (let i = 0; i < 30; i++) {
    const path = `${tap.dir}/${String(i).padStart(5, "0")}.gray`;
    files.set(path, scene.frame(at(i)));
    tap.onLine(LINE(path, i * 1e9));
    tap.onLine(LINE(`${tap.dir}/gone.gray`, Math.max(0, i * 1e9 - 5e8))); // rotated away: skipped
    await tap.settled();
    await clock.advance(1000);
  }
  const motion = events.filter((e) => e.type === "motion");
  assertEquals(motion.map((e) => e.type === "motion" && e.phase), ["start", "end"]);
  const start = motion[0].type === "motion" ? motion[0] : undefined;
  assertEquals([start?.gid, start?.seq, start?.event.start], [
    2,
    3,
    Date.UTC(2026, 11, 1, 14, 0, 10),
  ]);
  // Disabled: the next run has no branch.
  settings = { ...settings, enabled: false };
  assertEquals(tap.branch({ codec: "h264", runDir: "/r2" }), undefined);
  await tap.close();
  assertEquals(
    await Deno.stat(tap.dir).then(() => true, () => false),
    false,
    "folder removed on close",
  );
  await Deno.remove(media, { recursive: true });
});

Deno.test("motion tap: a run that ends during an event ends it", async () => {
  const clock = new FakeClock(Date.UTC(2026, 11, 1, 14, 0, 0));
  const events: NvrEvent[] = [];
  const media = await Deno.makeTempDir();
  const scene = new Scene(23);
  const frames: Uint8Array[] = [];
  const tap = new MotionTap({
    camera: { gid: 1, seq: 1 },
    mediaRoot: media,
    clock,
    publish: (e) => events.push(e),
    settings: () => defaultMotionSettings(),
    latencyMs: 0,
    readFrame: (path) => Promise.resolve(frames[Number(path.split("/").pop()!.slice(0, 5))]),
  });
  tap.branch({ codec: "h264", runDir: "/r" });
  tap.runStarted();
  for (let i = 0; i < 12; i++) {
    frames.push(scene.frame(i >= 8 ? { box: [50, 30, 30, 30] } : {}));
    tap.onLine(LINE(`${tap.dir}/${String(i).padStart(5, "0")}.gray`, i * 1e9));
    await tap.settled();
    await clock.advance(1000);
  }
  tap.runEnded();
  await tap.settled();
  const phases = events.map((e) => e.type === "motion" ? e.phase : e.type);
  assertEquals(phases, ["start", "end"]);
  await tap.close();
  assertEquals(events.length, 2, "close after the end publishes nothing more");
  await Deno.remove(media, { recursive: true });
});

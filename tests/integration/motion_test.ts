/**
 * Motion detection end to end: the real recorder pulls two scenes from the test RTSP
 * server (rtsp_server.py --motion-scenes; a 1 s GOP): /motion, a static noisy picture with a
 * burned-in clock where a box appears at wall-clock seconds 3 mod 12 and leaves at 7, and
 * /drift, the same picture without the box and with the light drifting. Every appearance
 * watched is one event (events API) starting within 1.5 s of the onset and ending when the
 * box left; the drifting scene has none (over minutes: tests/long/motion_static_test.ts). A third camera on /motion is added just before a
 * box appears, so its background is learnt with the box in it (the box's ghost stays when
 * it leaves): the events around that end (none stays open) and the next box is one event.
 */
import { join } from "node:path";
import { assert, assertEquals } from "../support/assert.ts";
import { startRecording } from "../support/recording_camera.ts";

const PERIOD_MS = 12_000, FROM_MS = 3_000, TO_MS = 7_000;

interface EventJson {
  id: string;
  start: string;
  end: string | null;
  score: number;
  box: number[];
}

const sleepUntil = (t: number) => new Promise((r) => setTimeout(r, Math.max(0, t - Date.now())));

/** The onsets (epoch ms) at or after `t`. */
function onsetsFrom(t: number, n: number): number[] {
  let first = Math.floor(t / PERIOD_MS) * PERIOD_MS + FROM_MS;
  if (first < t) first += PERIOD_MS;
  return Array.from({ length: n }, (_, i) => first + i * PERIOD_MS);
}

Deno.test("motion: each appearance of the box is one event from its onset; no event on a drifting scene", async () => {
  const rc = await startRecording({
    rtsp: { motionScenes: true },
    cameras: [{ seq: 1, mount: "motion" }, { seq: 2, mount: "drift" }],
  });
  const { nvr } = rc;
  try {
    const ready = Date.now();
    // Reconnects before now (the RTSP server refusing a first connection on a busy box) are
    // not the detector's doing.
    const before = await Promise.all(
      [1, 2].map(async (seq) => (await rc.status({ gid: 1, seq })).reconnects),
    );
    // Camera 3 starts a second before the box appears at o0: it learns its background with
    // the box in it. Cameras 1 and 2 are judged on the next two onsets (past the detector's
    // warm-up: its first frames, a frame a second, only learn the background).
    const [o0, o1, o2] = onsetsFrom(ready + 1000, 3);
    await sleepUntil(o0 - 1000);
    const third = { seq: 3, gid: 1, name: "cam 1/3", iaddr: rc.rtsp.url("motion"), isRec: 1 };
    assertEquals(
      (await nvr.api("POST", "/api/camera", { ...third, protocol: "rtsp" })).status,
      201,
    );
    // The second box has left and the quiet time (5 s) after it has passed.
    await sleepUntil(o2 + TO_MS - FROM_MS + 7_000);
    const q = `from=${ready - 60_000}&to=${Date.now() + 1000}`;
    const events = async (seq: number): Promise<EventJson[]> => {
      const r = await nvr.api("GET", `/api/camera/seq/${seq}/gid/1/events?${q}`);
      assertEquals(r.status, 200);
      return r.json.events;
    };
    const moving = await events(1);
    console.log(moving.map((e) => `${e.start} → ${e.end} ${e.score} [${e.box}]`).join("\n"));
    const near = (e: EventJson, o: number) =>
      Date.parse(e.start) >= o - 500 && Date.parse(e.start) <= o + 1500;
    for (const o of [o1, o2]) {
      const mine = moving.filter((e) => near(e, o));
      assertEquals(mine.length, 1, `one event for the onset at ${new Date(o).toISOString()}`);
      const e = mine[0];
      assert(e.end !== null, "ended");
      const end = Date.parse(e.end!);
      const left = o - FROM_MS + TO_MS;
      assert(end >= left - 500 && end <= left + 2500, `ends when the box left: ${e.end}`);
      assert(e.score > 0.01 && e.score <= 1, `score ${e.score}`);
      const [x, y, w, h] = e.box;
      assert(x >= 0 && y >= 0 && w > 0.05 && h > 0.05 && x + w <= 1.0001, `box ${e.box}`);
    }
    // Nothing else: every event is one of an onset (earlier cycles may be seen too), or
    // one short event right after the camera's warm-up when it learnt its background with the
    // box in it (the box, then its ghost, seen when its first frames are analysed).
    const ghosts = (list: EventJson[]) =>
      list.filter((e) => !onsetsFrom(Date.parse(e.start) - 1500, 1).some((o) => near(e, o)));
    assert(ghosts(moving).length <= 1, "one event off the onsets at most");
    for (const e of ghosts(moving)) {
      const t = Date.parse(e.start);
      assert(
        t < ready + PERIOD_MS && e.end !== null && Date.parse(e.end) - t <= TO_MS - FROM_MS + 2000,
        `an event off the onsets: ${e.start} → ${e.end}`,
      );
    }
    assertEquals(await events(2), [], "no event on the drifting scene");
    // Camera 3: whatever its ghost box did, every event ended and was short; the box seen
    // after its warm-up is one event from the onset.
    const late = await events(3);
    console.log("camera 3:\n" + late.map((e) => `${e.start} → ${e.end} ${e.score}`).join("\n"));
    for (const e of late) {
      assert(e.end !== null, `camera 3: an event still open: ${e.start}`);
      const lasted = Date.parse(e.end!) - Date.parse(e.start);
      assert(lasted <= TO_MS - FROM_MS + 3000, `camera 3: ${e.start} lasted ${lasted} ms`);
    }
    assert(ghosts(late).length <= 1, "camera 3: one ghost event at most");
    assertEquals(late.filter((e) => near(e, o1)).length, 1, "camera 3: one event at its onset");
    // Detection never disturbed the recording: the same child ran all along.
    for (const seq of [1, 2]) {
      const cam = await rc.status({ gid: 1, seq });
      if (cam.reconnects !== before[seq - 1]) {
        console.log(nvr.logs.filter((l) => /warn|error/i.test(l)).join("\n"));
      }
      assertEquals([cam.state, cam.reconnects], ["recording", before[seq - 1]], `camera ${seq}`);
    }
    // The frame files stay few, in the hidden folder.
    const files = [...Deno.readDirSync(join(nvr.mediaRoot, ".motion", "1_1"))];
    assert(files.length > 0 && files.length <= 8, `${files.length} frame files`);
  } finally {
    await rc.stop();
  }
});

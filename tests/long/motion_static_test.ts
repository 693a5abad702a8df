/**
 * Motion detection over minutes (issue 14's "no event on the static/drifting scenes over
 * several minutes"): the real recorder watches the test RTSP server's /drift scene (a static
 * picture with sensor noise, a ticking burned-in clock and the light drifting through a whole
 * 2-minute cycle) for `WATCH_MS` and must report no event. Beside it, a camera on /motion (the
 * same scene with a box appearing every 12 s) shows the detector worked all along: one short,
 * closed event per appearance. Frames reach the detector throughout (the frame folder keeps
 * changing) and the recording is never restarted.
 *
 * Files under tests/long/ run beside the rest of the suite (tests/run.sh starts them first, in
 * their own process), so this one costs the suite no time when it runs whole.
 */
import { join } from "node:path";
import { assert, assertEquals } from "../support/assert.ts";
import { startRecording } from "../support/recording_camera.ts";
import { QUIET_MS } from "../../src/recorder/motion/tracker.ts";

const WATCH_MS = 200_000;
const PERIOD_MS = 12_000, FROM_MS = 3_000, TO_MS = 7_000;

interface EventJson {
  start: string;
  end: string | null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Epoch ms of the newest frame file of a camera (0 if none). */
function newestFrame(mediaRoot: string, seq: number): number {
  let newest = 0;
  for (const f of Deno.readDirSync(join(mediaRoot, ".motion", `1_${seq}`))) {
    const m = Deno.statSync(join(mediaRoot, ".motion", `1_${seq}`, f.name)).mtime?.getTime();
    newest = Math.max(newest, m ?? 0);
  }
  return newest;
}

Deno.test("motion over minutes: no event on a static, noisy, drifting scene; every box seen", async () => {
  const rc = await startRecording({
    rtsp: { motionScenes: true },
    cameras: [{ seq: 1, mount: "drift" }, { seq: 2, mount: "motion" }],
  });
  const { nvr } = rc;
  try {
    const ready = Date.now();
    const before = await Promise.all([1, 2].map(async (seq) => (await rc.status({ gid: 1, seq }))));
    // Frames keep coming to the detector: at each check the newest frame file is recent.
    for (let t = 0; t < WATCH_MS; t += 25_000) {
      await sleep(Math.min(25_000, WATCH_MS - t));
      for (const seq of [1, 2]) {
        const age = Date.now() - newestFrame(nvr.mediaRoot, seq);
        assert(age < 5_000, `camera ${seq}: no frame analysed for ${age} ms`);
      }
    }
    const q = `from=${ready - 60_000}&to=${Date.now() + 1000}`;
    const events = async (seq: number): Promise<EventJson[]> => {
      const r = await nvr.api("GET", `/api/camera/seq/${seq}/gid/1/events?${q}`);
      assertEquals(r.status, 200);
      return r.json.events;
    };
    const drift = await events(1);
    assertEquals(drift, [], `no event on the drifting scene in ${WATCH_MS / 1000} s`);

    // The control: past the warm-up, each appearance whose event must have ended is one
    // closed, short event. An event ends QUIET_MS after its box left (the tracker's
    // hysteresis), one GOP later at most; 5 s more for a loaded box. Later ones are not judged.
    const boxes = await events(2);
    const judged = Date.now() - QUIET_MS - 5000;
    const onsets: number[] = [];
    let onset = Math.ceil((ready + PERIOD_MS) / PERIOD_MS) * PERIOD_MS + FROM_MS;
    for (; onset + TO_MS - FROM_MS < judged; onset += PERIOD_MS) onsets.push(onset);
    const done = boxes.filter((e) => Date.parse(e.start) < onset - 1000);
    console.log(`camera 2: ${boxes.length} events, ${onsets.length} appearances judged`);
    for (const e of done) {
      assert(e.end !== null, `an event still open: ${e.start}`);
      const lasted = Date.parse(e.end!) - Date.parse(e.start);
      assert(lasted <= TO_MS - FROM_MS + 3000, `${e.start} lasted ${lasted} ms`);
    }
    const seen = onsets.map((o) =>
      done.filter((e) => Math.abs(Date.parse(e.start) - o - 500) <= 1000).length
    );
    assert(onsets.length >= 12, `${onsets.length} appearances watched`);
    assertEquals(seen.filter((n) => n !== 1), [], `one event per appearance: ${seen}`);

    for (const seq of [1, 2]) {
      const cam = await rc.status({ gid: 1, seq });
      assertEquals(
        [cam.state, cam.reconnects],
        ["recording", before[seq - 1].reconnects],
        `camera ${seq}`,
      );
    }
  } finally {
    await rc.stop();
  }
});

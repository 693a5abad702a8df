/**
 * Record mode `motion` with a real recording camera: the recorder in-process (its real
 * gst-launch children, the test RTSP server, the real clock; detection off) so the test can
 * publish motion events on its hub at known times. The recordings keep the event with the
 * segment before its onset and its post-roll, and lose the quiet before and after (the
 * session being recorded is split for that); the event's thumbnail is decoded from the
 * recording. Then the recorder stops without closing its open event (as a kill -9 leaves the
 * file: lines are appended synchronously) and a new one on the same folders closes it.
 */
import { join } from "node:path";
import { loadConfig } from "../../src/config/config.ts";
import type { MotionEventData } from "../../src/events.ts";
import { createLogger } from "../../src/log.ts";
import { createNvr, type Nvr } from "../../src/server.ts";
import { parsePlaylist } from "../../src/storage/playlist.ts";
import { localDate } from "../../src/time.ts";
import { apiCall } from "../support/api_call.ts";
import { assert, assertEquals } from "../support/assert.ts";
import { RtspServer, waitFor } from "../support/harness.ts";

const POST_ROLL_MS = 2000;
/** holdMs(1 s segments). */
const HOLD_MS = 10_000;
const box: MotionEventData["box"] = [0.2, 0.2, 0.3, 0.3];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

Deno.test("motion mode, real camera: the event and its rolls are kept, the quiet goes; an event open at a crash is closed", async () => {
  const rtsp = await new RtspServer().start();
  const root = await Deno.makeTempDir({ prefix: "nvr-motion-mode-" });
  const config = loadConfig([
    `--media-root=${join(root, "media")}`,
    `--data-dir=${join(root, "data")}`,
    "--demo=off",
    "--segment-seconds=1",
    "--retention-interval-seconds=1",
    "--thumbnail-seconds=0",
    "--motion=off",
  ], {});
  const make = () => createNvr(config, { log: createLogger("json", {}, () => {}) });
  const api = (nvr: Nvr, method: string, path: string, body?: unknown) =>
    apiCall(
      (p, init) => Promise.resolve(nvr.app.request(`http://127.0.0.1${p}`, init)),
      method,
      path,
      body,
    );
  const motion = (nvr: Nvr, phase: "start" | "update" | "end", event: MotionEventData) =>
    nvr.events.publish({ type: "motion", at: Date.now(), gid: 1, seq: 1, phase, event });
  let a: Nvr | undefined, b: Nvr | undefined;
  try {
    a = make();
    await a.start();
    const nvr = a;
    const added = await api(nvr, "POST", "/api/camera", {
      seq: 1,
      gid: 1,
      name: "motion mode",
      iaddr: rtsp.url("h264"),
      protocol: "rtsp",
      isRec: 1,
    });
    assertEquals(added.status, 201);
    const put = await api(nvr, "PUT", "/api/camera/seq/1/gid/1/options", {
      record_mode: "motion",
      post_roll_seconds: POST_ROLL_MS / 1000,
    });
    assertEquals(put.json.record_mode, "motion");
    await waitFor(
      async () =>
        (await api(nvr, "GET", "/api/camera/seq/1/gid/1")).json.segments >= 6 || undefined,
      "6 segments",
      30_000,
    );

    const onset = Date.now();
    const e1 = { id: "mode-1", start: onset, score: 0.1, box };
    motion(nvr, "start", e1);
    await sleep(1000);
    motion(nvr, "update", { ...e1, score: 0.3, peak: Date.now() });
    await sleep(1500);
    const end = Date.now();
    motion(nvr, "end", { ...e1, score: 0.3, end });
    // The quiet after the post-roll must be past the hold, and a pass must have run.
    await sleep(end + POST_ROLL_MS + HOLD_MS + 3000 - Date.now());

    const date = localDate(onset);
    const day = await nvr.app.request(`http://127.0.0.1/1/1/${date}/index.m3u8`);
    assertEquals(day.status, 200);
    const segs = parsePlaylist(await day.text()).segments;
    const at = (t: number) => segs.some((s) => s.startMs <= t && t < s.startMs + s.durationMs);
    const onsetSeg = segs.find((s) => s.startMs <= onset && onset < s.startMs + s.durationMs);
    assert(onsetSeg, "the onset's segment is kept");
    assert(
      segs.some((s) =>
        s.startMs + s.durationMs <= onsetSeg.startMs + 50 && s.startMs < onsetSeg.startMs
      ),
      "the segment before it (pre-roll) is kept",
    );
    for (let t = onset; t < end + POST_ROLL_MS - 300; t += 250) {
      assert(at(t), `kept: ${t - onset} ms after the onset`);
    }
    const judged = Date.now() - HOLD_MS - 2000;
    const quiet = segs.filter((s) =>
      s.startMs + s.durationMs <= judged &&
      (s.startMs + s.durationMs < onsetSeg.startMs - 1100 || s.startMs > end + POST_ROLL_MS + 1100)
    );
    assertEquals(quiet.map((s) => new Date(s.startMs).toISOString()), [], "the quiet is gone");
    assert(
      segs.some((s) => s.startMs > Date.now() - HOLD_MS),
      "the last seconds wait (not judged yet)",
    );
    for (const s of segs) {
      const r = await nvr.app.request(
        new URL(s.uri, `http://127.0.0.1/1/1/${date}/index.m3u8`).href,
        {
          method: "HEAD",
        },
      );
      assertEquals(r.status, 200, `listed and on disk: ${s.uri}`);
    }
    const sessions =
      (await api(nvr, "GET", `/api/recordings/gid/1/seq/1/date/${date}`)).json.sessions;
    assert(
      sessions.some((s: { close_reason: string }) => s.close_reason === "split for retention"),
      `the recorded session was split: ${
        JSON.stringify(sessions.map((s: { close_reason: string }) => s.close_reason))
      }`,
    );
    const jpg = await nvr.app.request(`http://127.0.0.1/1/1/events/${e1.id}.jpg`);
    assertEquals(jpg.status, 200);
    const bytes = new Uint8Array(await jpg.arrayBuffer());
    assertEquals([bytes[0], bytes[1], bytes.at(-2), bytes.at(-1)], [0xff, 0xd8, 0xff, 0xd9]);

    // A crash during an event: the recorder's cameras stop, its open event is never ended.
    const e2 = { id: "mode-2", start: Date.now(), score: 0.2, box };
    motion(nvr, "start", e2);
    await sleep(1200);
    motion(nvr, "update", { ...e2, score: 0.4, peak: Date.now() });
    await nvr.service.shutdown();
    const stoppedAt = Date.now();
    b = make();
    await b.start();
    const events =
      (await api(b, "GET", `/api/camera/seq/1/gid/1/events?from=${onset - 1000}`)).json.events;
    assertEquals(events.map((e: { id: string }) => e.id), ["mode-1", "mode-2"]);
    const closed = Date.parse(events[1].end);
    assert(
      closed >= e2.start + 1000 && closed <= stoppedAt + 1000,
      `closed at start-up: ${events[1].end}`,
    );
  } finally {
    await a?.shutdown();
    await b?.shutdown();
    await rtsp.stop();
    await Deno.remove(root, { recursive: true }).catch(() => {});
  }
});

/**
 * Motion events with the real recorder and its real detector, on the scripted scene of the
 * test RTSP server (rtsp_server.py --motion-scenes, /motion: a box appears at wall-clock
 * seconds 3 mod 12 and leaves at 7; 1 s GOP, 1 s segments). The camera records in
 * `record_mode: "motion"` (post-roll 2 s): its recordings keep each appearance with its
 * pre-roll and post-roll and lose the quiet in between; the event's thumbnail is made from
 * the recording. Then the server is killed (SIGKILL) while an event is open: after the
 * restart that event is closed (repaired), and what was kept still plays.
 */
import { assert, assertEquals } from "../support/assert.ts";
import { waitFor } from "../support/harness.ts";
import { startRecording } from "../support/recording_camera.ts";
import { parsePlaylist } from "../../src/storage/playlist.ts";
import { localDate } from "../../src/time.ts";

const PERIOD_MS = 12_000;
const POST_ROLL_MS = 2_000;
/** holdMs(1 s segments): quiet is judged 10 s after it ended. */
const HOLD_MS = 10_000;

interface EventJson {
  id: string;
  start: string;
  end: string | null;
  thumbnail_url: string;
}

Deno.test("motion mode keeps each appearance with its rolls; kill -9 during an event leaves it closed", async () => {
  const rc = await startRecording({
    rtsp: { motionScenes: true },
    cameras: [{ seq: 1, mount: "motion" }],
    nvr: { extraArgs: ["--retention-interval-seconds=1"] },
  });
  try {
    let nvr = rc.nvr;
    const put = await nvr.api("PUT", "/api/camera/seq/1/gid/1/options", {
      record_mode: "motion",
      post_roll_seconds: POST_ROLL_MS / 1000,
    });
    assertEquals([put.status, put.json.record_mode], [200, "motion"]);
    const events = async (): Promise<EventJson[]> => {
      const r = await nvr.api("GET", `/api/camera/seq/1/gid/1/events?from=${Date.now() - 600_000}`);
      assertEquals(r.status, 200);
      return r.json.events;
    };
    // The first appearance the detector sees, ended (its background is learnt first).
    const first = await waitFor(
      async () => (await events()).find((e) => e.end),
      "a whole event",
      40_000,
      500,
    );
    const start1 = Date.parse(first.start), end1 = Date.parse(first.end!);
    // The next one is open: kill -9 now.
    const second = await waitFor(
      async () => (await events()).find((e) => e.end === null && Date.parse(e.start) > end1),
      "an open event",
      PERIOD_MS + 4000,
      250,
    );
    const killedAt = Date.now();
    nvr = await rc.restart({ extraArgs: ["--retention-interval-seconds=1"] }, "SIGKILL");
    const after = (await events()).find((e) => e.id === second.id);
    assert(after?.end, `the open event was closed at start-up: ${JSON.stringify(after)}`);
    const end2 = Date.parse(after.end!);
    assert(
      end2 >= Date.parse(second.start) && end2 <= killedAt + 3000,
      `closed at its last update or the last segment: ${after.end} (killed ${
        new Date(killedAt).toISOString()
      })`,
    );

    // Recordings: wait until the quiet between the two appearances is past the hold.
    const quietEnd = Date.parse(second.start) - 2000;
    await waitFor(
      () => Date.now() > quietEnd + HOLD_MS + 3000 || undefined,
      "the hold",
      30_000,
      250,
    );
    const day = await fetch(nvr.base + `/1/1/${localDate(start1)}/index.m3u8`);
    assertEquals(day.status, 200);
    const segs = parsePlaylist(await day.text()).segments;
    const overlaps = (s: { startMs: number; durationMs: number }, a: number, b: number) =>
      s.startMs < b && s.startMs + s.durationMs > a;
    // The onset, the pre-roll before it, the whole event and its post-roll are kept.
    assert(segs.some((s) => overlaps(s, start1, start1 + 1)), "the onset's segment is kept");
    assert(
      segs.some((s) =>
        s.startMs + s.durationMs <= start1 && s.startMs + s.durationMs >= start1 - 3000
      ),
      "the segment before the onset (pre-roll) is kept",
    );
    for (let t = start1; t < end1 + POST_ROLL_MS - 500; t += 500) {
      assert(
        segs.some((s) => overlaps(s, t, t + 1)),
        `the event is kept whole (${t - start1} ms in)`,
      );
    }
    // Nothing quiet between the first event's post-roll and the second's pre-roll is left.
    const quiet = segs.filter((s) =>
      s.startMs >= end1 + POST_ROLL_MS + 1100 && s.startMs + s.durationMs <= quietEnd - 1100
    );
    assertEquals(quiet.map((s) => new Date(s.startMs).toISOString()), [], "the quiet is dropped");
    // Every listed segment is on disk (playlists and files agree).
    const dayUrl = `http://nvr/1/1/${localDate(start1)}/index.m3u8`;
    for (const s of segs) {
      const r = await fetch(nvr.base + new URL(s.uri, dayUrl).pathname, { method: "HEAD" });
      assertEquals(r.status, 200, s.uri);
    }
    // The first event's thumbnail, from its recording.
    const jpg = await fetch(nvr.base + first.thumbnail_url);
    assertEquals(jpg.status, 200);
    const bytes = new Uint8Array(await jpg.arrayBuffer());
    assertEquals([bytes[0], bytes[1], bytes.at(-2), bytes.at(-1)], [0xff, 0xd8, 0xff, 0xd9]);
  } finally {
    await rc.stop();
  }
});

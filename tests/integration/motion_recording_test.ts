/**
 * kill -9 during a motion event, with the real recorder and its real detector on the
 * scripted scene of the test RTSP server (rtsp_server.py --motion-scenes, /motion: a box
 * appears at wall-clock seconds 3 mod 12 and leaves at 7). Once an event is open the server
 * is killed (SIGKILL); after the restart that event is closed (repaired at start-up) at its
 * last update or the camera's last segment, and its thumbnail is made from the recording.
 * (Record mode `motion` with events at known times: motion_mode_test.ts.)
 */
import { assert, assertEquals } from "../support/assert.ts";
import { waitFor } from "../support/harness.ts";
import { startRecording } from "../support/recording_camera.ts";

interface EventJson {
  id: string;
  start: string;
  end: string | null;
  thumbnail_url: string;
}

Deno.test("kill -9 during a motion event: after the restart the event is closed", async () => {
  const rc = await startRecording({
    rtsp: { motionScenes: true },
    cameras: [{ seq: 1, mount: "motion" }],
  });
  try {
    let nvr = rc.nvr;
    const events = async (): Promise<EventJson[]> => {
      const r = await nvr.api("GET", `/api/camera/seq/1/gid/1/events?from=${Date.now() - 600_000}`);
      assertEquals(r.status, 200);
      return r.json.events;
    };
    // The detector learns its background first, then the box appears every 12 s.
    const open = await waitFor(
      async () => (await events()).find((e) => e.end === null),
      "an open event",
      40_000,
      250,
    );
    await new Promise((r) => setTimeout(r, 1200)); // an update or two on disk
    const killedAt = Date.now();
    nvr = await rc.restart({}, "SIGKILL");
    const after = (await events()).find((e) => e.id === open.id);
    assert(after?.end, `the open event was closed at start-up: ${JSON.stringify(after)}`);
    const end = Date.parse(after.end!);
    assert(
      end >= Date.parse(open.start) && end <= killedAt + 3000,
      `closed at its last update or the last segment: ${after.end} (killed ${
        new Date(killedAt).toISOString()
      })`,
    );
    const jpg = await fetch(nvr.base + after.thumbnail_url);
    assertEquals([jpg.status, jpg.headers.get("content-type")], [200, "image/jpeg"]);
    const bytes = new Uint8Array(await jpg.arrayBuffer());
    assertEquals([bytes[0], bytes[1], bytes.at(-2), bytes.at(-1)], [0xff, 0xd8, 0xff, 0xd9]);
  } finally {
    await rc.stop();
  }
});

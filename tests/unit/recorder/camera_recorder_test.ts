/** CameraRecorder with a scripted gst-launch (fake spawner), a fake clock and a real temp folder. */
import { join } from "node:path";
import { parsePlaylist } from "../../../src/storage/playlist.ts";
import { assert, assertEquals } from "../../support/assert.ts";
import { settle, setup } from "../../support/scripted_gst.ts";

Deno.test("recording on keeps the open segment; off keeps the one holding the stop", async () => {
  const { clock, children, rec, catalog } = setup(new Date(2026, 4, 10, 12, 0, 0).getTime());
  await rec.start();
  await clock.advance(0);
  const gst = children[0];
  gst.open();
  await clock.advance(2000);
  gst.close(2000); // segment 0: live only
  await settle(rec);
  assertEquals(rec.status.state, "streaming");
  await clock.advance(1000);
  rec.setRecording(true); // during segment 1
  await clock.advance(1000);
  gst.close(2000); // segment 1: recorded (pre-roll)
  await clock.advance(2000);
  gst.close(2000); // segment 2
  await settle(rec);
  await clock.advance(500);
  const closing = rec.setRecording(false); // during segment 3
  assert(closing, "a session to close");
  await clock.advance(1500);
  gst.close(2000); // segment 3: holds the stop moment → recorded, then the session closes
  await clock.advance(2000);
  gst.close(2000); // segment 4: not recorded
  await settle(rec);
  const sessions = catalog.sessions(1, 2, "2026-05-10");
  assertEquals(sessions.length, 1);
  assertEquals([sessions[0].segments, sessions[0].open, sessions[0].closeReason], [
    3,
    false,
    "recording stopped",
  ]);
  assertEquals(sessions[0].startMs, new Date(2026, 4, 10, 12, 0, 2).getTime());
  assertEquals(rec.status.reconnects, 0);
  await rec.stop();
});

Deno.test("a session that reaches midnight continues in the next day's folder, losing nothing", async () => {
  const { root, clock, children, rec, catalog } = setup(
    new Date(2026, 11, 31, 23, 59, 54).getTime(),
    "rtsp://cam/x",
    1,
  );
  await rec.start();
  await clock.advance(0);
  children[0].open();
  for (let i = 0; i < 6; i++) {
    await clock.advance(2000);
    children[0].close(2000);
  }
  await settle(rec);
  await rec.stop();
  const before = catalog.sessions(1, 2, "2026-12-31");
  const after = catalog.sessions(1, 2, "2027-01-01");
  assertEquals([before.length, after.length], [1, 1]);
  assertEquals(before[0].segments + after[0].segments, 6, "every closed segment recorded");
  assertEquals(before[0].closeReason, "midnight");
  assertEquals(before[0].endMs, after[0].startMs, "no gap at midnight");
  const text = Deno.readTextFileSync(
    join(root, "1", "2", "2027-01-01", after[0].time, "index.m3u8"),
  );
  const parsed = parsePlaylist(text);
  assertEquals(parsed.ended, true);
  assertEquals(parsed.segments[0].startMs, new Date(2027, 0, 1, 0, 0, 0).getTime());
});

Deno.test("an H.265 camera is found by switching codec after a not-linked error", async () => {
  const { clock, children, rec } = setup(Date.UTC(2026, 0, 1));
  await rec.start();
  await clock.advance(0);
  assert(children[0].args.includes("rtph264depay"));
  children[0].fail([
    "ERROR: from element /GstPipeline:pipeline0/GstRTSPSrc:src: Internal data stream error.",
    "Additional debug info:",
    "../gst/rtsp/gstrtspsrc.c(6403): gst_rtspsrc_loop (): /GstPipeline:pipeline0/GstRTSPSrc:src:",
    "streaming stopped, reason not-linked (-1)",
  ]);
  await clock.advance(200);
  assertEquals(children.length, 2);
  assert(children[1].args.includes("rtph265depay"), "second try is H.265");
  await rec.stop();
});

Deno.test("a failing camera shows the GStreamer reason and is retried with backoff", async () => {
  const { clock, children, rec } = setup(Date.UTC(2026, 0, 1));
  await rec.start();
  await clock.advance(0);
  children[0].fail([
    "ERROR: from element /GstPipeline:pipeline0/GstRTSPSrc:src: Could not open resource for reading and writing.",
    "Additional debug info:",
    "../gst/rtsp/gstrtspsrc.c(8336): gst_rtspsrc_retrieve_sdp (): /GstPipeline:pipeline0/GstRTSPSrc:src:",
    "Failed to connect. (Generic error)",
  ]);
  await clock.advance(10);
  assertEquals(rec.status.state, "failed");
  assertEquals(
    rec.status.lastError,
    "src: Could not open resource for reading and writing. (Failed to connect. (Generic error))",
  );
  assert(rec.status.started, "counts as started for /api/boot/end");
  await clock.advance(790);
  assertEquals(children.length, 1, "not before 1 s - 20%");
  await clock.advance(410);
  assertEquals(children.length, 2, "retried after 1 s ± 20%");
  await rec.stop();
});

Deno.test("clock steps: forward is a marked gap, back starts a new session; nothing lost", async () => {
  const { root, clock, children, rec, catalog } = setup(
    new Date(2026, 2, 3, 12, 0, 0).getTime(),
    "rtsp://cam/x",
    1,
  );
  await rec.start();
  await clock.advance(0);
  const gst = children[0];
  gst.open();
  const step = async () => {
    await clock.advance(2000);
    gst.close(2000);
    await settle(rec);
  };
  await step();
  await step();
  clock.step(30_000); // NTP steps forward 30 s
  await step();
  await step();
  clock.step(-3_600_000); // and back one hour
  await step();
  await step();
  await rec.stop();
  const sessions = catalog.sessions(1, 2, "2026-03-03");
  assertEquals(sessions.length, 2, JSON.stringify(sessions));
  const [early, late] = sessions; // sorted by start time
  assertEquals(late.closeReason, "clock stepped back");
  // A segment is timed when it closes: the one open during a step takes the new clock.
  assertEquals(late.segments, 4);
  assertEquals(late.spans.length, 2, "the forward step is a gap");
  assertEquals(early.segments, 2);
  assert(early.startMs < late.startMs);
  for (const s of sessions) {
    const text = Deno.readTextFileSync(join(root, "1", "2", s.date, s.time, "index.m3u8"));
    const starts = parsePlaylist(text).segments.map((x) => x.startMs);
    assertEquals(starts, [...starts].sort((a, b) => a - b), "times only go forward in a session");
  }
});

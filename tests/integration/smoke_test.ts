import { assert, assertEquals } from "../support/assert.ts";
import {
  decodeFrames,
  Nvr,
  playlistSegments,
  probe,
  RtspServer,
  waitFor,
} from "../support/harness.ts";

Deno.test("a registered RTSP camera streams live HLS that decodes", async () => {
  const rtsp = await new RtspServer().start();
  const nvr = await new Nvr().start();
  try {
    const res = await nvr.api("POST", "/api/camera", {
      seq: 1,
      gid: 2,
      name: "cam",
      iaddr: rtsp.url("h264"),
      protocol: "rtsp",
      isRec: 0,
    });
    assertEquals(res.status, 201);
    const live = `${nvr.base}/2/1/hls/index.m3u8`;
    const text = await waitFor(async () => {
      const r = await fetch(live);
      const t = await r.text();
      return r.ok && (t.match(/#EXTINF/g) ?? []).length >= 3 ? t : undefined;
    }, "three live segments");
    assert(text.includes("#EXT-X-PROGRAM-DATE-TIME"));
    for (const segment of (await playlistSegments(live)).slice(0, 2)) {
      const frames = await decodeFrames(segment);
      assert(frames >= 20, `decoded ${frames} frames from ${segment}`);
      assertEquals((await probe(segment)).codec, "h264");
    }
  } finally {
    await nvr.stop();
    await rtsp.stop();
  }
});

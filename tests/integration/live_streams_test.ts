/**
 * The live view's streams with the real recorder, the real RTSP server and real sockets:
 * a camera's sub-stream (`sub_iaddr`) pulled on demand for `?stream=sub` while the main
 * stream goes on; an H.265 camera's on-demand H.264 transcode for `?stream=h264`. Each
 * socket must deliver the init (its codec and stream named) and then frames from a keyframe.
 */
import { assert, assertEquals } from "../support/assert.ts";
import { gstProcessesMentioning, waitFor } from "../support/harness.ts";
import { startRecording } from "../support/recording_camera.ts";

interface Watched {
  init?: { codec: string; stream: string };
  /** Binary messages after the init segment (one frame each). */
  fragments: number;
  firstKey: boolean;
  close(): void;
}

/** Opens `live.ws` and counts what it delivers. */
function watch(base: string, path: string): Watched {
  const ws = new WebSocket(base.replace(/^http/, "ws") + path);
  ws.binaryType = "arraybuffer";
  const w: Watched = { fragments: 0, firstKey: false, close: () => ws.close() };
  let binaries = 0, lastText = "";
  ws.onmessage = (e) => {
    if (typeof e.data === "string") {
      const m = JSON.parse(e.data);
      if (m.type === "init") w.init = { codec: m.codec, stream: m.stream };
      lastText = m.type;
      return;
    }
    binaries++;
    if (binaries === 2) w.firstKey = lastText === "key"; // the first frame after the init
    if (binaries > 1) w.fragments++;
    lastText = "";
  };
  return w;
}

Deno.test("live streams: a sub-stream on demand beside the main stream; an H.265 camera's H.264 transcode", async () => {
  const rc = await startRecording({
    rtsp: { size: "640x360" },
    cameras: [{ seq: 1, mount: "h265" }, { seq: 2, mount: "h264" }],
  });
  const { nvr } = rc;
  const opened: Watched[] = [];
  try {
    await rc.segments(1, { gid: 1, seq: 2 });
    // Another codec than the main stream (told apart by it), with audio (kept out).
    const sub = rc.rtsp.url("h264aac");
    const put = await nvr.api("PUT", "/api/camera/seq/1/gid/1/options", { sub_iaddr: sub });
    assertEquals([put.status, put.json.sub_iaddr], [200, sub]);

    const main = watch(nvr.base, "/1/1/live.ws");
    const tile = watch(nvr.base, "/1/1/live.ws?stream=sub");
    const h264 = watch(nvr.base, "/1/1/live.ws?stream=h264");
    const noSub = watch(nvr.base, "/1/2/live.ws?stream=sub"); // none: the main stream
    const noTranscode = watch(nvr.base, "/1/2/live.ws?stream=h264"); // H.264 already
    opened.push(main, tile, h264, noSub, noTranscode);
    await waitFor(
      () => opened.every((w) => w.fragments >= 25),
      "25 frames on every socket",
      30_000,
      100,
    );
    const h265 = /^(hvc1|hev1)/;
    assertEquals(main.init?.stream, "main");
    assert(h265.test(main.init?.codec ?? ""), main.init?.codec);
    assertEquals(tile.init?.stream, "sub");
    assert(tile.init?.codec.startsWith("avc1"), `the sub-stream's video: ${tile.init?.codec}`);
    assertEquals(h264.init?.stream, "h264");
    assert(h264.init?.codec.startsWith("avc1"), h264.init?.codec);
    for (const w of [noSub, noTranscode]) {
      assertEquals(w.init?.stream, "main");
      assert(w.init?.codec.startsWith("avc1"), w.init?.codec);
    }
    for (const w of opened) assert(w.firstKey, `${w.init?.stream}: starts at a keyframe`);
    // The sub-stream and the transcode are children of their own, made for these viewers.
    assertEquals((await gstProcessesMentioning("x264enc")).length, 1); // the transcode
    assertEquals((await gstProcessesMentioning("parsebin")).length, 1);
    // Both cameras kept recording the whole time (their main streams, not the sub-stream).
    const before = await rc.status({ gid: 1, seq: 1 });
    await rc.segments(before.segments + 2, { gid: 1, seq: 1 });
  } finally {
    for (const w of opened) w.close();
    await rc.stop();
  }
});

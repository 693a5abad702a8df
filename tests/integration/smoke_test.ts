import { assert, assertEquals } from "../support/assert.ts";
import { decodeFrames, playlistSegments, probe, waitFor } from "../support/harness.ts";
import { withRecordingCamera } from "../support/recording_camera.ts";

Deno.test("a registered RTSP camera streams live HLS that decodes", () =>
  withRecordingCamera(
    { nvr: { segmentSeconds: 1 }, cameras: [{ gid: 2, isRec: 0 }], segments: 0 },
    async ({ nvr }) => {
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
    },
  ));

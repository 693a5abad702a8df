/** Overlay mode (decode, clockoverlay, x264) and the UDP transport option, with a real camera. */
import { assert, assertEquals } from "../support/assert.ts";
import { closedPlaylist, decodeFrames, type Nvr, probe, waitFor } from "../support/harness.ts";
import { startRecording } from "../support/recording_camera.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Gray pixels of one frame where the burned-in time's clock digits land (clockoverlay's
 * default padding, after the date). The test camera writes its own short `%H:%M:%S`
 * at the left of the same line, so this region is dark without the overlay.
 */
async function timeRegion(url: string, atSeconds: number): Promise<Uint8Array> {
  const out = await new Deno.Command("ffmpeg", {
    args: [
      "-v",
      "error",
      "-ss",
      String(atSeconds),
      "-i",
      url,
      "-frames:v",
      "1",
      "-vf",
      "crop=60:14:100:28,format=gray",
      "-f",
      "rawvideo",
      "-",
    ],
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(30_000),
  }).output();
  assert(out.success && out.stdout.length > 0, new TextDecoder().decode(out.stderr));
  return out.stdout;
}

const bright = (px: Uint8Array) => px.filter((v) => v > 180).length / px.length;

/** GET /{gid}/{seq}/snapshot.jpg answers a JPEG of the camera's picture size (via ffprobe). */
async function assertSnapshot(nvr: Nvr, width: number): Promise<void> {
  const res = await fetch(`${nvr.base}/1/1/snapshot.jpg`);
  const jpeg = new Uint8Array(await res.arrayBuffer());
  assertEquals([res.status, res.headers.get("content-type")], [200, "image/jpeg"]);
  const file = await Deno.makeTempFile({ suffix: ".jpg" });
  await Deno.writeFile(file, jpeg);
  assertEquals((await probe(file)).width, width);
  await Deno.remove(file);
}

async function recordFor(nvr: Nvr, ms: number): Promise<string> {
  await nvr.api("PUT", "/api/camera/record/status", { seq: 1, gid: 1, isRec: 1 });
  await sleep(ms);
  const off = await nvr.api("PUT", "/api/camera/record/status", { seq: 1, gid: 1, isRec: 0 });
  const url = off.json.record_url as string;
  await closedPlaylist(url);
  return url;
}

Deno.test("overlay: frames carry a burned-in time, output is H.264 from an H.265 camera; snapshots; UDP records", async () => {
  // A black picture: only burned-in text is bright (the test camera writes its own short
  // `%H:%M:%S` at the left of the line; the region checked is right of it).
  const rc = await startRecording({
    rtsp: { gop: 25, pattern: "black" },
    cameras: [{ mount: "h265", isRec: 0 }],
    segments: 2, // copy mode live
  });
  const { nvr } = rc;
  try {
    const cam = () => rc.status();
    await assertSnapshot(nvr, 320); // from H.265 segments
    const copy = await recordFor(nvr, 3000);
    assertEquals((await probe(copy)).codec, "hevc");

    const bad = await nvr.api("PUT", "/api/camera/seq/1/gid/1/options", {
      mode: "burn",
      time_format: 'x"y',
    });
    assertEquals(bad.status, 400);
    assertEquals(bad.json.fields.map((f: { field: string }) => f.field).sort(), [
      "mode",
      "time_format",
    ]);
    const set = await nvr.api("PUT", "/api/camera/seq/1/gid/1/options", { mode: "overlay" });
    assertEquals([set.status, set.json.mode, set.json.transport], [200, "overlay", "tcp"]);
    const mark = (await cam()).segments;
    await waitFor(async () => (await cam()).segments >= mark + 2, "overlay mode live", 30_000);
    const overlay = await recordFor(nvr, 4000);
    await assertSnapshot(nvr, 320); // from the re-encoded H.264 segments
    assertEquals((await probe(overlay)).codec, "h264", "re-encoded with x264");
    assert((await decodeFrames(overlay)) > 25, "overlay output decodes");
    const [a, b, c, d] = await Promise.all([
      timeRegion(overlay, 0.5),
      timeRegion(overlay, 2.5),
      timeRegion(copy, 0.5),
      timeRegion(copy, 1.5),
    ]);
    const lit = [bright(a), bright(b)];
    const dark = [bright(c), bright(d)];
    assert(Math.min(...lit) > 0.05, `time text in the frame: ${lit}`);
    assert(Math.max(...dark) < 0.01, `no such text without overlay: ${dark} vs ${lit}`);
    assert(a.some((v, i) => Math.abs(v - b[i]) > 100), "the time changes between frames 2 s apart");

    await nvr.api("PUT", "/api/camera/seq/1/gid/1/options", { mode: "copy", transport: "udp" });
    assertEquals((await nvr.api("GET", "/api/camera/seq/1/gid/1/options")).json.transport, "udp");
    const m2 = (await cam()).segments;
    await waitFor(async () => (await cam()).segments >= m2 + 2, "UDP live", 30_000);
  } finally {
    await rc.stop();
  }
});

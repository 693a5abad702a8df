/** Media URLs: MIME types, byte ranges, and nothing outside the media root. */
import { join } from "node:path";
import { assert, assertEquals } from "../support/assert.ts";
import { waitFor } from "../support/harness.ts";
import { startRecording } from "../support/recording_camera.ts";

Deno.test("media is served with MIME types and byte ranges, and never from outside the root", async () => {
  const rc = await startRecording({
    rtsp: false,
    cameras: [{ iaddr: "test://smpte", protocol: "test" }],
    segments: 0,
  });
  const { nvr } = rc;
  try {
    const live = `${nvr.base}/1/1/hls/index.m3u8`;
    const text = await waitFor(async () => {
      const r = await fetch(live);
      const t = await r.text();
      return r.ok && t.includes("#EXTINF") ? t : undefined;
    }, "live playlist");
    const head = await fetch(live, { method: "HEAD" });
    assertEquals(head.headers.get("content-type"), "application/vnd.apple.mpegurl");
    await head.body?.cancel();
    const alias = await fetch(`${nvr.base}/1/1/index.m3u8`);
    assertEquals(alias.status, 200, "the seed's live URL without /hls/");
    await alias.body?.cancel();

    const segUrl = new URL(text.split("\n").find((l) => l.endsWith(".ts"))!, live).href;
    const full = new Uint8Array(await (await fetch(segUrl)).arrayBuffer());
    assertEquals(full[0], 0x47, "MPEG-TS sync byte");
    const part = await fetch(segUrl, { headers: { range: "bytes=188-375" } });
    assertEquals(part.status, 206);
    assertEquals(part.headers.get("content-type"), "video/mp2t");
    assertEquals(part.headers.get("content-range"), `bytes 188-375/${full.length}`);
    const bytes = new Uint8Array(await part.arrayBuffer());
    assertEquals(bytes.length, 188);
    assertEquals([...bytes], [...full.slice(188, 376)]);
    const tail = await fetch(segUrl, { headers: { range: "bytes=-10" } });
    assertEquals((await tail.arrayBuffer()).byteLength, 10);
    const bad = await fetch(segUrl, { headers: { range: `bytes=${full.length + 5}-` } });
    assertEquals(bad.status, 416);
    await bad.body?.cancel();

    // A whole day: one playlist, gzipped for clients that accept it, revalidated by ETag.
    const date = (await nvr.api("GET", "/api/recordings/gid/1/seq/1/days")).json.days[0];
    const dayUrl = `${nvr.base}/1/1/${date}/index.m3u8`;
    const day = await fetch(dayUrl, { headers: { "accept-encoding": "gzip" } });
    assertEquals(day.headers.get("content-encoding"), "gzip");
    assert((await day.text()).includes("#EXT-X-PROGRAM-DATE-TIME"), "fetch decodes gzip");
    const again = await fetch(dayUrl, { headers: { "if-none-match": day.headers.get("etag")! } });
    assert(again.status === 304 || again.status === 200, "304 unless a segment arrived meanwhile");
    await again.body?.cancel();

    // A file planted outside the root, and a symlink to it inside the root.
    const secret = join(nvr.dataDir, "cameras.json");
    Deno.symlinkSync(secret, join(nvr.mediaRoot, "1", "1", "hls", "99999.ts"));
    const run = /\n([a-z0-9]+)\/\d+\.ts/.exec(text)![1];
    Deno.symlinkSync(secret, join(nvr.mediaRoot, "1", "1", "hls", run, "99999.ts"));
    const attempts = [
      `/1/1/hls/${run}/99999.ts`,
      "/1/1/hls/99999.ts",
      "/1/1/hls/..%2F..%2F..%2Fdata%2Fcameras.json",
      "/1/1/hls/%2e%2e/%2e%2e/index.m3u8",
      "/1/1/..%2f..%2f..%2fetc%2fpasswd",
      "/1/1/hls/..%5c..%5cindex.m3u8",
      "/1/1/hls/%00.ts",
      "/%2Fetc%2Fpasswd",
      "/..%2F..%2F..%2Fetc/passwd/x/y",
      "/1/1/2026-01-01/..%2F..%2F..%2Fdata/cameras.json",
      "/1/1/2026-01-01/000000/..%2F..%2F..%2F..%2Fdata%2Fcameras.json",
      "/1/1/hls/../../../../etc/passwd",
    ];
    for (const path of attempts) {
      const r = await fetch(`${nvr.base}${path}`);
      const body = await r.text();
      assert(r.status === 404 || r.status === 400, `${path} → ${r.status}`);
      assert(!body.includes("iaddr") && !body.includes("root:"), `${path} leaked a file`);
      assert(body.startsWith("{"), `${path}: JSON error body`);
    }
  } finally {
    await rc.stop();
  }
});

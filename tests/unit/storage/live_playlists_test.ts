/**
 * Live playlists served from memory (src/storage/live_playlists.ts, the live routes in
 * src/api/media_routes.ts): the same bytes as the file the live window wrote, an ETag
 * (304 on revalidation), gzip made once, HEAD and ranges as before; a playlist removed
 * from the disk is a 404 again, not a stale answer.
 */
import { Hono } from "hono";
import { join } from "node:path";
import { HttpError } from "../../../src/api/http_errors.ts";
import { liveFromMemory, mediaRoutes } from "../../../src/api/media_routes.ts";
import type { Catalog } from "../../../src/storage/catalog.ts";
import { LiveWindow } from "../../../src/storage/live_window.ts";
import { CHECK_MS, currentLivePlaylist } from "../../../src/storage/live_playlists.ts";
import { assert, assertEquals } from "../../support/assert.ts";

const T0 = Date.UTC(2026, 4, 10, 12, 0, 0);

async function setup() {
  const root = await Deno.makeTempDir({ prefix: "nvr-live-mem-" });
  const dir = join(root, "1", "2", "hls");
  const live = new LiveWindow(dir, 3, 2, () => 0);
  await live.reset();
  let n = 0;
  const push = async (startMs: number) => {
    const path = join(live.runDir("r1"), `${String(n++).padStart(5, "0")}.ts`);
    await Deno.writeFile(path, new Uint8Array(188).fill(0x47));
    await live.push(path, startMs, 2000, false);
  };
  // As http_app.ts mounts them: a route's HttpError is its status.
  const app = new Hono();
  app.onError((err, c) => c.text(String(err), err instanceof HttpError ? err.status : 500));
  app.route("/", mediaRoutes(root, {} as Catalog));
  const get = (path: string, headers: Record<string, string> = {}, method = "GET") =>
    app.request(path, { method, headers });
  return { root, dir, push, app, get };
}

Deno.test("live playlist from memory: the file's bytes, an ETag, 304, gzip, HEAD, ranges", async () => {
  const { root, dir, push, get } = await setup();
  await push(T0);
  const onDisk = await Deno.readTextFile(join(dir, "index.m3u8"));
  assertEquals(currentLivePlaylist(join(dir, "index.m3u8"))?.text, onDisk);

  for (const path of ["/1/2/hls/index.m3u8", "/1/2/index.m3u8"]) {
    const r = await get(path);
    assertEquals(r.status, 200);
    assertEquals(await r.text(), onDisk);
    assertEquals(r.headers.get("content-type"), "application/vnd.apple.mpegurl");
    assertEquals(r.headers.get("cache-control"), "no-cache");
    // The body is bytes in memory: the runtime sends their length (not set by the route).
    assertEquals(r.headers.get("content-length"), null);
    const etag = r.headers.get("etag")!;
    assert(/^"[0-9a-f]{8}-[0-9a-f]+"$/.test(etag), etag);
    const again = await get(path, { "if-none-match": etag });
    assertEquals(again.status, 304);
    assertEquals(await again.text(), "");
  }

  const zipped = await get("/1/2/hls/index.m3u8", { "accept-encoding": "gzip, br" });
  assertEquals(zipped.headers.get("content-encoding"), "gzip");
  assertEquals(zipped.headers.get("vary"), "accept-encoding");
  const unzipped = zipped.body!.pipeThrough(new DecompressionStream("gzip"));
  assertEquals(await new Response(unzipped).text(), onDisk);
  const zippedAgain = await get("/1/2/hls/index.m3u8", { "accept-encoding": "gzip" });
  assertEquals(zippedAgain.headers.get("etag"), zipped.headers.get("etag"));
  const again = zippedAgain.body!.pipeThrough(new DecompressionStream("gzip"));
  assertEquals(await new Response(again).text(), onDisk);

  const head = await get("/1/2/hls/index.m3u8", {}, "HEAD");
  assertEquals(head.status, 200);
  assertEquals(await head.text(), "");
  assertEquals(head.headers.get("content-length"), String(onDisk.length));

  const range = await get("/1/2/hls/index.m3u8", { range: "bytes=0-6" });
  assertEquals(range.status, 206);
  assertEquals(await range.text(), "#EXTM3U");

  // A new segment: new text, new tag; the old tag no longer matches.
  const before = (await get("/1/2/hls/index.m3u8")).headers.get("etag")!;
  await push(T0 + 2000);
  const next = await get("/1/2/hls/index.m3u8", { "if-none-match": before });
  assertEquals(next.status, 200);
  assertEquals(await next.text(), await Deno.readTextFile(join(dir, "index.m3u8")));
  assert(next.headers.get("etag") !== before);

  // The same answer ahead of the router (http_app.ts), and none for other paths.
  const fast = liveFromMemory(root);
  const direct = await fast(new Request("http://nvr.local/1/2/hls/index.m3u8?x=1"))!;
  assertEquals(await direct.text(), await Deno.readTextFile(join(dir, "index.m3u8")));
  assertEquals(fast(new Request("http://nvr.local/1/2/2026-05-10/index.m3u8")), undefined);
  assertEquals(fast(new Request("http://nvr.local/1/3/hls/index.m3u8")), undefined);
  assertEquals(
    fast(new Request("http://nvr.local/1/2/hls/index.m3u8", { method: "POST" })),
    undefined,
  );

  // Removed from the disk by someone else (a camera deleted): a 404 again.
  await Deno.remove(dir, { recursive: true });
  await new Promise((r) => setTimeout(r, CHECK_MS + 5));
  assertEquals((await get("/1/2/hls/index.m3u8")).status, 404);
  assertEquals(fast(new Request("http://nvr.local/1/2/hls/index.m3u8")), undefined);
  await Deno.remove(root, { recursive: true });
});

Deno.test("live playlist from memory: a reset forgets it at once", async () => {
  const { root, dir, push, get } = await setup();
  await push(T0);
  assertEquals((await get("/1/2/hls/index.m3u8")).status, 200);
  const live = new LiveWindow(dir, 3, 2, () => 0);
  await live.reset();
  assertEquals(currentLivePlaylist(join(dir, "index.m3u8")), undefined);
  assertEquals((await get("/1/2/hls/index.m3u8")).status, 404);
  await Deno.remove(root, { recursive: true });
});

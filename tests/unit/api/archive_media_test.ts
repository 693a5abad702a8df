/** Archive-only segments over HTTP: the bytes from the bundle, byte ranges, HEAD, 502, 404. */
import { join } from "node:path";
import { archivedMedia, archiveRanges } from "../../../src/api/archive_media.ts";
import { renderPlaylist } from "../../../src/storage/playlist.ts";
import { Archiver } from "../../../src/archive/uploader.ts";
import { createLogger } from "../../../src/log.ts";
import { appendArchiveIndex } from "../../../src/storage/archive_index.ts";
import { Catalog } from "../../../src/storage/catalog.ts";
import { assert, assertEquals } from "../../support/assert.ts";
import { FakeClock } from "../../support/fake_clock.ts";
import { MemoryStore } from "../archive/memory_store.ts";

/** Indexes a 1000-byte bundle `key` holding a.ts (400 bytes) and b.ts (600 bytes). */
function indexBundle(dir: string, key: string) {
  return appendArchiveIndex(dir, {
    key,
    size: 1000,
    md5: "x",
    segments: [{ name: "a.ts", offset: 0, bytes: 400 }, { name: "b.ts", offset: 400, bytes: 600 }],
  });
}

Deno.test("archived media: a segment's bytes from its bundle, with ranges and HEAD; 502 when the store is down", async () => {
  const root = await Deno.makeTempDir();
  try {
    const store = new MemoryStore();
    const bundle = new Uint8Array(1000).map((_, i) => i % 251);
    await store.put("b/1.ts", bundle, "video/mp2t");
    const dir = join(root, "1", "1", "2026-12-01", "120000");
    await Deno.mkdir(dir, { recursive: true });
    await indexBundle(dir, "b/1.ts");
    const archiver = new Archiver({
      mediaRoot: root,
      catalog: new Catalog(root),
      clock: new FakeClock(),
      log: createLogger("json", {}, () => {}),
      store,
      prefix: "",
      node: "n1",
      bundleSeconds: 60,
    });
    const serve = archivedMedia(archiver, "immutable");
    const get = (name: string, headers: Record<string, string> = {}, method = "GET") =>
      serve(new Request("http://x/", { method, headers }), 1, 1, "2026-12-01", "120000", name);

    const whole = (await get("b.ts"))!;
    assertEquals([whole.status, whole.headers.get("content-length")], [200, "600"]);
    assertEquals(new Uint8Array(await whole.arrayBuffer()), bundle.slice(400));
    const part = (await get("b.ts", { range: "bytes=-100" }))!;
    assertEquals([part.status, part.headers.get("content-range")], [206, "bytes 500-599/600"]);
    assertEquals(new Uint8Array(await part.arrayBuffer()), bundle.slice(900));
    assertEquals((await get("a.ts", { range: "bytes=400-" }))!.status, 416);
    const head = (await get("a.ts", {}, "HEAD"))!;
    assertEquals([head.status, head.headers.get("content-length"), head.body], [200, "400", null]);
    assertEquals(await get("c.ts"), undefined); // not archived: the route's 404
    store.down = true;
    const down = (await get("a.ts"))!;
    assertEquals([down.status, (await down.json()).error], [502, "archive unavailable"]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("archive ranges (--archive-presign): archive-only segments become byte ranges of their bundle's fleet URL", async () => {
  const root = await Deno.makeTempDir();
  try {
    const dir = join(root, "1", "1", "2026-12-01", "120000");
    await Deno.mkdir(dir, { recursive: true });
    const key = "fleet/n1/1/1/2026-12-01/120000/1764590400000.ts";
    await indexBundle(dir, key);
    await Deno.writeFile(join(dir, "b.ts"), new Uint8Array(600)); // b: local and archived
    const archiver = new Archiver({
      mediaRoot: root,
      catalog: new Catalog(root),
      clock: new FakeClock(),
      log: createLogger("json", {}, () => {}),
      store: new MemoryStore(),
      prefix: "fleet",
      node: "n1",
      bundleSeconds: 60,
      presign: true,
    });
    const rel = (n: string) => `1/1/2026-12-01/120000/${n}`;
    const ranges = await archiveRanges(archiver, root)([rel("a.ts"), rel("b.ts"), rel("c.ts")]);
    assertEquals([...ranges], [[rel("a.ts"), {
      uri: "/archive/n1/1/1/2026-12-01/120000/1764590400000.ts",
      byteRange: { length: 400, offset: 0 },
    }]]);
    // In a playlist: version 4 and the range before the URI.
    const text = renderPlaylist({ targetDuration: 2, ended: true }, [
      { startMs: 1764590400000, durationMs: 2000, uri: "/x", ...ranges.get(rel("a.ts")) },
      { startMs: 1764590402000, durationMs: 2000, uri: `/${rel("b.ts")}` },
    ]);
    assert(text.includes("#EXT-X-VERSION:4\n"), text);
    assert(
      text.includes(
        "#EXTINF:2.000,\n#EXT-X-BYTERANGE:400@0\n/archive/n1/1/1/2026-12-01/120000/1764590400000.ts\n",
      ),
      text,
    );
    assert(text.includes(`#EXTINF:2.000,\n/${rel("b.ts")}\n`), text);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

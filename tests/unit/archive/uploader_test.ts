/**
 * The uploader on a real media folder with an in-memory store: bundles, manifest and index;
 * a bundle that does not verify is never indexed and is sent again (same key) after a restart;
 * retries back off (FakeClock); the backlog and lag are measured.
 */
import { join } from "node:path";
import { createLogger } from "../../../src/log.ts";
import { Archiver } from "../../../src/archive/uploader.ts";
import { Catalog } from "../../../src/storage/catalog.ts";
import { appendArchiveIndex, parseArchiveIndex } from "../../../src/storage/archive_index.ts";
import { SessionQueue } from "../../../src/archive/session_queue.ts";
import { parsePlaylist } from "../../../src/storage/playlist.ts";
import { RecordingSession } from "../../../src/storage/session.ts";
import { assert, assertEquals } from "../../support/assert.ts";
import { FakeClock } from "../../support/fake_clock.ts";
import { MemoryStore } from "./memory_store.ts";

const T0 = 1_764_597_902_000;
const log = createLogger("json", {}, () => {});

/** A session of `n` 2 s segments (each 1,000 bytes of a distinct value). */
export async function recordSession(root: string, n: number, close: boolean, startMs = T0) {
  const s = await RecordingSession.open(root, 1, 1, startMs, 2);
  for (let i = 0; i < n; i++) {
    const p = join(root, `src_${startMs}_${i}.ts`);
    Deno.writeFileSync(p, new Uint8Array(1000).fill(i + 1).map((v, j) => (j === 0 ? 0x47 : v)));
    await s.append(p, startMs + i * 2000, 2000, false);
    Deno.removeSync(p);
  }
  if (close) await s.close("recording stopped");
  return s;
}

async function setup(store = new MemoryStore(), clock = new FakeClock(T0 + 60_000)) {
  const root = await Deno.makeTempDir();
  const catalog = new Catalog(root);
  const make = () =>
    new Archiver({
      mediaRoot: root,
      catalog,
      clock,
      log,
      store,
      prefix: "fleet",
      node: "n1",
      bundleSeconds: 4,
    });
  return { root, catalog, store, clock, make };
}

const index = (dir: string) =>
  parseArchiveIndex(Deno.readTextFileSync(join(dir, "archived.jsonl")));

Deno.test("uploader: a closed session becomes bundles + a final manifest, indexed once", async () => {
  const t = await setup();
  try {
    const s = await recordSession(t.root, 5, true);
    t.catalog.put(s.summary);
    const a = t.make();
    assert(await a.pass());
    const bundles = index(s.dir);
    assertEquals(bundles.map((b) => b.segments.length), [2, 2, 1]);
    const prefix = `fleet/n1/1/1/${s.summary.date}/${s.summary.time}/`;
    assertEquals([...t.store.objects.keys()].sort(), [
      `${prefix}${T0}.ts`,
      `${prefix}${T0 + 4000}.ts`,
      `${prefix}${T0 + 8000}.ts`,
      `${prefix}index.m3u8`,
    ]);
    // A bundle is its segments' bytes, concatenated; the index says where each lies.
    const listed = parsePlaylist(Deno.readTextFileSync(join(s.dir, "index.m3u8"))).segments;
    for (const b of bundles) {
      const body = t.store.objects.get(b.key)!;
      assertEquals(body.length, b.size);
      for (const seg of b.segments) {
        const local = Deno.readFileSync(join(s.dir, seg.name));
        assertEquals(body.slice(seg.offset, seg.offset + seg.bytes), local);
      }
    }
    assertEquals(bundles.flatMap((b) => b.segments.map((x) => x.name)), listed.map((x) => x.uri));
    const manifest = new TextDecoder().decode(t.store.objects.get(`${prefix}index.m3u8`));
    assert(
      manifest.endsWith("#EXT-X-ENDLIST\n") && manifest.includes("#EXT-X-BYTERANGE:1000@1000"),
    );
    assertEquals(a.status.backlogBytes, 0);
    assertEquals(a.status.uploadedBytes, 5000);
    // Done: a second pass (and a restarted uploader) sends nothing.
    const before = t.store.calls.filter((c) => c.startsWith("PUT")).length;
    assert(await a.pass());
    assert(await t.make().pass());
    assertEquals(t.store.calls.filter((c) => c.startsWith("PUT")).length, before);
  } finally {
    await Deno.remove(t.root, { recursive: true });
  }
});

Deno.test("uploader: an object that does not verify is not indexed; after a restart it is sent again, once", async () => {
  const t = await setup();
  try {
    const s = await recordSession(t.root, 2, true);
    t.catalog.put(s.summary);
    t.store.headSize = 5; // the store lost bytes
    const a = t.make();
    assertEquals(await a.pass(), false);
    assertEquals(a.status.failures, 1);
    assertEquals(a.status.backlogBytes, 2000);
    assert(a.status.lastError?.includes("did not verify"));
    assertEquals(await Deno.stat(join(s.dir, "archived.jsonl")).catch(() => undefined), undefined);
    t.store.headSize = undefined;
    const b = t.make(); // a restart: the queue comes from disk
    assert(await b.pass());
    assertEquals(index(s.dir).length, 1);
    assertEquals(t.store.objects.size, 2); // the bundle (overwritten under its key) + manifest
    assertEquals(b.status.backlogBytes, 0);
  } finally {
    await Deno.remove(t.root, { recursive: true });
  }
});

Deno.test("uploader: an open session sends full bundles and keeps the rest; lag is the oldest pending", async () => {
  const t = await setup(new MemoryStore(), new FakeClock(T0 + 10_000));
  try {
    const s = await recordSession(t.root, 5, false);
    t.catalog.put(s.summary);
    const a = t.make();
    assert(await a.pass());
    assertEquals(index(s.dir).map((b) => b.segments.length), [2, 2]);
    assertEquals(a.status.backlogBytes, 1000);
    assertEquals(a.status.lagSeconds, 0); // the 5th ended at T0 + 10 s = now
    const manifest = [...t.store.objects.entries()].find(([k]) => k.endsWith(".m3u8"))![1];
    assert(!new TextDecoder().decode(manifest).includes("ENDLIST"));
  } finally {
    await Deno.remove(t.root, { recursive: true });
  }
});

/** Lets real file I/O of a pass finish until the uploader waits on the fake clock again. */
async function idle(clock: FakeClock) {
  for (let i = 0; i < 200 && clock.pending === 0; i++) await new Promise((r) => setTimeout(r, 5));
}

/**
 * A closed session of three segments, the store down, the uploader started and its first
 * pass failed; `body` runs, then everything is stopped and removed.
 */
async function withStoreDown(
  body: (o: {
    store: MemoryStore;
    clock: FakeClock;
    a: ReturnType<Awaited<ReturnType<typeof setup>>["make"]>;
    s: Awaited<ReturnType<typeof recordSession>>;
  }) => Promise<void>,
) {
  const store = new MemoryStore();
  const clock = new FakeClock(T0 + 60_000);
  const t = await setup(store, clock);
  const a = t.make();
  try {
    const s = await recordSession(t.root, 3, true);
    t.catalog.put(s.summary);
    store.down = true;
    a.start();
    await idle(clock);
    await body({ store, clock, a, s });
  } finally {
    await a.stop();
    await Deno.remove(t.root, { recursive: true });
  }
}

Deno.test("uploader: a store that is down is retried after 1, 2, 4 s…; recording's files stay; it drains when back", () =>
  withStoreDown(async ({ store, clock, a, s }) => {
    const attempts = () => store.calls.filter((c) => c.startsWith("PUT")).length;
    assertEquals([attempts(), a.status.failures], [1, 1]);
    await clock.advance(999);
    assertEquals(attempts(), 1);
    await clock.advance(1);
    await idle(clock);
    assertEquals([attempts(), a.status.failures], [2, 2]);
    await clock.advance(2000);
    await idle(clock);
    assertEquals([attempts(), a.status.failures], [3, 3]);
    assertEquals(a.status.backlogBytes, 3000);
    assertEquals(a.status.errors, 3);
    store.down = false;
    await clock.advance(4000);
    await idle(clock);
    assertEquals(a.status.failures, 0);
    assertEquals(a.status.backlogBytes, 0);
    assertEquals(index(s.dir).flatMap((b) => b.segments).length, 3);
    assertEquals(Deno.readDirSync(s.dir).toArray().filter((f) => f.name.endsWith(".ts")).length, 3);
  }));

Deno.test("uploader: after a long outage, the backlog drains within 30 s of the store's return", () =>
  withStoreDown(async ({ store, clock, a, s }) => {
    const attemptAt: number[] = [];
    const end = clock.monotonic() + 900_000; // 15 minutes (the old 5-minute cap reached)
    while (clock.monotonic() < end) {
      const before = store.calls.length;
      await clock.advance(5000);
      await idle(clock);
      if (store.calls.length > before) attemptAt.push(clock.monotonic());
    }
    // The waits grew and stopped growing at 30 s.
    const waits = attemptAt.slice(1).map((x, i) => x - attemptAt[i]);
    assertEquals(Math.max(...waits), 30_000);
    assert(a.status.failures > 25, `${a.status.failures} failures`);
    // The store comes back just after a failed retry (the worst moment).
    store.down = false;
    const back = clock.monotonic();
    while (a.status.backlogBytes > 0 && clock.monotonic() - back < 600_000) {
      await clock.advance(1000);
      await idle(clock);
    }
    const late = clock.monotonic() - back;
    assert(late <= 31_000, `drained ${late / 1000} s after the store returned`);
    assertEquals([a.status.failures, index(s.dir).flatMap((b) => b.segments).length], [0, 3]);
  }));

Deno.test("session queue: reads only what the playlist gained, never half an entry; a rewrite reloads", async () => {
  const root = await Deno.makeTempDir();
  try {
    const s = await recordSession(root, 3, false);
    const q = new SessionQueue(s.dir);
    assert(await q.refresh());
    assertEquals(q.pending.length, 3);
    const playlist = join(s.dir, "index.m3u8");
    // Half an entry (a writer caught mid-append) is not taken...
    const entry = `#EXT-X-PROGRAM-DATE-TIME:2025-12-01T14:05:08.000+00:00\n#EXTINF:2.000,\n${
      T0 + 6000
    }_2000.ts\n`;
    Deno.writeTextFileSync(playlist, entry.slice(0, 40), { append: true });
    await q.refresh();
    assertEquals(q.pending.length, 3);
    // ...until it is whole.
    Deno.writeTextFileSync(playlist, entry.slice(40), { append: true });
    await q.refresh();
    assertEquals(q.pending.map((p) => p.seg.startMs - T0), [0, 2000, 4000, 6000]);
    q.remove(new Set([q.pending[0].seg.uri]));
    await q.refresh();
    assertEquals(q.pending.length, 3);
    // Retention rewrote the playlist (a new file): read again, archived ones excluded.
    await appendArchiveIndex(s.dir, {
      key: "k",
      size: 1000,
      md5: "0",
      segments: [{ name: `${T0}_2000.ts`, offset: 0, bytes: 1000 }],
    });
    const text = Deno.readTextFileSync(playlist);
    Deno.writeTextFileSync(playlist + ".tmp", text);
    Deno.renameSync(playlist + ".tmp", playlist);
    await q.refresh();
    assertEquals(q.pending.map((p) => p.seg.startMs - T0), [2000, 4000, 6000]);
    assertEquals(q.bundles, 1);
    await q.measure(); // the 4th segment's file does not exist: it leaves the queue
    assertEquals(q.pending.map((p) => p.bytes), [1000, 1000]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

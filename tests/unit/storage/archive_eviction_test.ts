/**
 * Local eviction of archived segments and the archive index: only copies whose archived size
 * matches go, files only (the playlist keeps listing them), the oldest first under pressure;
 * a torn index line is skipped and never swallows the next; a repaired session lists its
 * archive-only segments again.
 */
import { join } from "node:path";
import { createLogger } from "../../../src/log.ts";
import {
  appendArchiveIndex,
  parseArchiveIndex,
  readArchiveState,
} from "../../../src/storage/archive_index.ts";
import { Catalog } from "../../../src/storage/catalog.ts";
import { chooseEvictions, Evictor } from "../../../src/storage/eviction.ts";
import { parsePlaylist } from "../../../src/storage/playlist.ts";
import type { SegmentFile } from "../../../src/storage/retention.ts";
import { RecordingSession } from "../../../src/storage/session.ts";
import { assert, assertEquals } from "../../support/assert.ts";

const T0 = 1_764_597_902_000;
const log = createLogger("json", {}, () => {});

async function recorded(root: string, n: number) {
  const s = await RecordingSession.open(root, 1, 1, T0, 2);
  for (let i = 0; i < n; i++) {
    const p = join(root, `src_${i}.ts`);
    Deno.writeFileSync(p, new Uint8Array(1000).fill(0x47));
    await s.append(p, T0 + i * 2000, 2000, false);
    Deno.removeSync(p);
  }
  await s.close("recording stopped");
  return s;
}

/** Indexes segments `[from, to)` as one bundle, with `bytes` as their archived size. */
async function archive(s: RecordingSession, from: number, to: number, bytes = 1000) {
  const names = parsePlaylist(Deno.readTextFileSync(join(s.dir, "index.m3u8"))).segments
    .slice(from, to).map((x) => x.uri);
  await appendArchiveIndex(s.dir, {
    key: `k/${from}.ts`,
    size: bytes * names.length,
    md5: "0",
    segments: names.map((name, i) => ({ name, offset: i * bytes, bytes })),
  });
}

const local = (dir: string) =>
  [...Deno.readDirSync(dir)].filter((f) => f.name.endsWith(".ts")).length;

Deno.test("eviction: archived copies past the local max age go (files only); un-archived and mismatched stay", async () => {
  const root = await Deno.makeTempDir();
  try {
    const s = await recorded(root, 6);
    await archive(s, 0, 3);
    await archive(s, 3, 4, 999); // archived size differs: not a copy of this file
    const catalog = new Catalog(root);
    await catalog.rebuild();
    const playlistBefore = Deno.readTextFileSync(join(s.dir, "index.m3u8"));
    const ev = new Evictor({
      mediaRoot: root,
      catalog,
      now: () => T0 + 3_600_000,
      log,
      localMaxAgeMs: 60_000,
    });
    assertEquals(await ev.pass(), { deleted: 3, freedBytes: 3000 });
    assertEquals(local(s.dir), 3);
    assertEquals(Deno.readTextFileSync(join(s.dir, "index.m3u8")), playlistBefore);
    const [summary] = catalog.sessions(1, 1, s.summary.date);
    assertEquals([summary.segments, summary.bytes], [6, 3000]);
    assertEquals(JSON.parse(Deno.readTextFileSync(join(s.dir, "session.json"))).bytes, 3000);
    // Even under pressure, nothing un-archived goes.
    assertEquals(await ev.pass(1_000_000), { deleted: 0, freedBytes: 0 });
    // A session repaired after a crash lists its archive-only segments again.
    Deno.removeSync(join(s.dir, "session.json"));
    await catalog.rebuild();
    assertEquals(catalog.sessions(1, 1, s.summary.date)[0].segments, 6);
    assertEquals(
      parsePlaylist(Deno.readTextFileSync(join(s.dir, "index.m3u8"))).segments.length,
      6,
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("eviction: without a max age, archived copies go only for space, oldest first", async () => {
  const root = await Deno.makeTempDir();
  try {
    const s = await recorded(root, 4);
    await archive(s, 0, 4);
    const catalog = new Catalog(root);
    await catalog.rebuild();
    const ev = new Evictor({ mediaRoot: root, catalog, now: () => T0 + 3_600_000, log });
    assertEquals(await ev.pass(0), { deleted: 0, freedBytes: 0 });
    assertEquals(await ev.pass(1500), { deleted: 2, freedBytes: 2000 });
    const left = [...Deno.readDirSync(s.dir)].map((f) => f.name).filter((n) => n.endsWith(".ts"))
      .sort();
    assertEquals(left, [`${T0 + 4000}_2000.ts`, `${T0 + 6000}_2000.ts`]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("eviction: past the archive max age, archive-only entries leave the playlist; an empty session and day go", async () => {
  const root = await Deno.makeTempDir();
  try {
    const s = await recorded(root, 3);
    await archive(s, 0, 3);
    const catalog = new Catalog(root);
    await catalog.rebuild();
    const now = { t: T0 + 3_600_000 };
    const ev = new Evictor({
      mediaRoot: root,
      catalog,
      now: () => now.t,
      log,
      localMaxAgeMs: 60_000,
      archiveMaxAgeMs: 86_400_000,
    });
    await ev.pass();
    assertEquals(local(s.dir), 0);
    assertEquals(catalog.sessions(1, 1, s.summary.date)[0].segments, 3); // still listed
    now.t = T0 + 2 * 86_400_000;
    await ev.pass();
    assertEquals(catalog.sessions(1, 1, s.summary.date), []);
    assertEquals(
      await Deno.stat(join(root, "1", "1", s.summary.date)).catch(() => undefined),
      undefined,
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("chooseEvictions: every one past the cutoff, then the oldest for the bytes needed", () => {
  const f = (i: number): SegmentFile => ({
    gid: 1,
    seq: 1,
    date: "d",
    time: "t",
    name: `${i}`,
    startMs: i * 1000,
    durationMs: 1000,
    bytes: 100,
  });
  const all = [f(3), f(1), f(2), f(0)];
  assertEquals(chooseEvictions(all, 2000, 0).map((x) => x.name), ["0", "1"]);
  assertEquals(chooseEvictions(all, 2000, 250).map((x) => x.name), ["0", "1", "2"]);
  assertEquals(chooseEvictions(all, undefined, 150).map((x) => x.name), ["0", "1"]);
  assertEquals(chooseEvictions(all, undefined, 0), []);
});

Deno.test("archive index: a torn last line is skipped and the next append starts a new line", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const b = { key: "a.ts", size: 3, md5: "m", segments: [{ name: "x.ts", offset: 0, bytes: 3 }] };
    await appendArchiveIndex(dir, b);
    Deno.writeTextFileSync(join(dir, "archived.jsonl"), '{"key":"b.ts","si', { append: true });
    assertEquals((await readArchiveState(dir)).bundles, [b]);
    await appendArchiveIndex(dir, { ...b, key: "c.ts" });
    await appendArchiveIndex(dir, { ended: true });
    const state = await readArchiveState(dir);
    assertEquals(state.bundles.map((x) => x.key), ["a.ts", "c.ts"]);
    assert(state.ended);
    assertEquals(parseArchiveIndex('{"key":1}\nnot json\n'), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

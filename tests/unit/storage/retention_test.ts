/** Retention: pure decisions with fake sizes, and a cleaning pass on a real temp folder. */
import { join } from "node:path";
import { createLogger } from "../../../src/log.ts";
import { Catalog } from "../../../src/storage/catalog.ts";
import { Cleaner } from "../../../src/storage/cleaner.ts";
import { DiskGuard } from "../../../src/storage/disk_guard.ts";
import { parsePlaylist } from "../../../src/storage/playlist.ts";
import { pruneSession } from "../../../src/storage/prune.ts";
import {
  bytesToFree,
  forecastDays,
  planDeletions,
  type SegmentFile,
} from "../../../src/storage/retention.ts";
import { assert, assertEquals } from "../../support/assert.ts";
import { FakeClock } from "../../support/fake_clock.ts";
import { recordSession, unknownSpace } from "../../support/recordings.ts";

const seg = (gid: number, startMs: number, bytes = 100, extra: Partial<SegmentFile> = {}) => ({
  gid,
  seq: 1,
  date: "2026-05-10",
  time: "120000",
  name: `${startMs}_2000.ts`,
  startMs,
  durationMs: 2000,
  bytes,
  ...extra,
});

Deno.test("bytesToFree: budget and minimum free space, with slack for batches", () => {
  assertEquals(bytesToFree({ usedBytes: 900, budgetBytes: 1000, minFreeBytes: 0 }), 0);
  assertEquals(bytesToFree({ usedBytes: 1100, budgetBytes: 1000, minFreeBytes: 0, slack: 0 }), 100);
  assertEquals(bytesToFree({ usedBytes: 1100, budgetBytes: 1000, minFreeBytes: 0 }), 120);
  assertEquals(
    bytesToFree({ usedBytes: 10, freeBytes: 400, budgetBytes: 0, minFreeBytes: 1000, slack: 0 }),
    600,
  );
  assertEquals(
    bytesToFree({ usedBytes: 10, budgetBytes: 0, minFreeBytes: 1000 }),
    0,
    "free unknown",
  );
});

Deno.test("planDeletions: oldest first across cameras, never kept, never the open newest", () => {
  const now = 1_000_000;
  const segments = [
    seg(2, 10_000),
    seg(1, 4_000),
    seg(1, 6_000),
    seg(1, 8_000, 100, { newestOfOpen: true }),
    seg(2, 12_000),
  ];
  const keeps = [{ gid: 1, seq: 1, startMs: 6_500, endMs: 7_500 }];
  const plan = planDeletions(segments, { now, needBytes: 250, maxAgeMs: () => undefined, keeps });
  assertEquals(plan.delete.map((s) => `${s.gid}@${s.startMs}`), ["1@4000", "2@10000", "2@12000"]);
  assertEquals([plan.freedBytes, plan.shortfallBytes], [300, 0]);
  const all = planDeletions(segments, { now, needBytes: 10_000, maxAgeMs: () => undefined, keeps });
  assertEquals(all.delete.length, 3, "kept and open-newest segments survive any pressure");
  assertEquals(all.shortfallBytes, 10_000 - 300);
});

Deno.test("planDeletions: per-camera maximum age deletes expired segments without pressure", () => {
  const day = 86_400_000;
  const now = 10 * day;
  const segments = [seg(1, now - 3 * day), seg(1, now - day / 2), seg(2, now - 5 * day)];
  const plan = planDeletions(segments, {
    now,
    needBytes: 0,
    maxAgeMs: (gid) => (gid === 1 ? 2 * day : undefined),
    keeps: [],
  });
  assertEquals(plan.delete.map((s) => s.startMs), [now - 3 * day]);
  assertEquals(plan.expired, 1);
  assertEquals(forecastDays(10 * 2 ** 30, 2 ** 30), 10);
  assertEquals(forecastDays(10, 0), null);
});

Deno.test("cleaner: budget pass empties the oldest day, trims the next session, keeps both consistent", async () => {
  const root = await Deno.makeTempDir();
  const day1 = new Date(2026, 4, 9, 10, 0, 0).getTime();
  const day2 = new Date(2026, 4, 10, 10, 0, 0).getTime();
  await recordSession(root, day1, 3, true);
  const open = await recordSession(root, day2, 5, false);
  const catalog = new Catalog(root);
  await catalog.rebuild();
  catalog.put(open.summary); // the recorder keeps its open session in the catalog
  const clock = new FakeClock(day2 + 60_000);
  let free = 10_000;
  const disk = new DiskGuard({
    mediaRoot: root,
    minFreeBytes: 0,
    log: createLogger("json", {}, () => {}),
    space: () => Promise.resolve({ freeBytes: free, totalBytes: 100_000 }),
  });
  const cleaner = new Cleaner({
    mediaRoot: root,
    catalog,
    clock,
    log: createLogger("json", {}, () => {}),
    budgetBytes: 4000,
    minFreeBytes: 0,
    disk,
    keeps: () => [],
    maxAgeMs: () => undefined,
    pruneOpen: (_s, names) => pruneSession(open.dir, open.summary, names),
  });
  const report = await cleaner.pass();
  // 8000 bytes used, budget 4000 minus 2% slack: five oldest segments go.
  assertEquals([report.deletedSegments, report.freedBytes], [5, 5000]);
  assertEquals(catalog.days(1, 1), ["2026-05-10"], "the emptied day left the calendar");
  const text = Deno.readTextFileSync(join(open.dir, "index.m3u8"));
  const parsed = parsePlaylist(text);
  assertEquals(parsed.segments.map((s) => s.startMs), [day2 + 4000, day2 + 6000, day2 + 8000]);
  assertEquals(parsed.mediaSequence, 2, "a growing playlist advances its media sequence");
  assertEquals([open.summary.startMs, open.summary.segments, open.summary.bytes], [
    day2 + 4000,
    3,
    3000,
  ]);
  // The recorder appends after cleaning: still one valid playlist.
  const p = join(root, "next.ts");
  Deno.writeFileSync(p, new Uint8Array(1000).fill(0x47));
  await open.append(p, day2 + 10_000, 2000, false);
  await open.close("recording stopped");
  const closed = parsePlaylist(Deno.readTextFileSync(join(open.dir, "index.m3u8")));
  assertEquals([closed.segments.length, closed.ended], [4, true]);
  // Really full: recording pauses; space back: it resumes.
  free = 1000;
  await cleaner.pass();
  assert(disk.blocked()?.startsWith("disk full"), disk.blocked());
  free = 10 * 2 ** 30;
  await cleaner.pass();
  assertEquals(disk.blocked(), undefined);
});

Deno.test("cleaner: a fully kept oldest session is skipped, the next one is cleaned; max age applies", async () => {
  const root = await Deno.makeTempDir();
  const t1 = new Date(2026, 4, 9, 10, 0, 0).getTime();
  const t2 = new Date(2026, 4, 9, 11, 0, 0).getTime();
  await recordSession(root, t1, 3, true);
  await recordSession(root, t2, 3, true);
  const catalog = new Catalog(root);
  await catalog.rebuild();
  const age: { ms?: number } = {};
  const cleaner = new Cleaner({
    mediaRoot: root,
    catalog,
    clock: new FakeClock(t2 + 3_600_000),
    log: createLogger("json", {}, () => {}),
    budgetBytes: 5000,
    minFreeBytes: 0,
    disk: unknownSpace(root),
    keeps: () => [{ gid: 1, seq: 1, startMs: t1, endMs: t1 + 6000 }],
    maxAgeMs: () => age.ms,
    pruneOpen: () => Promise.resolve(undefined),
  });
  const r = await cleaner.pass();
  assertEquals([r.deletedSegments, r.shortfallBytes], [2, 0]);
  const [first, second] = catalog.sessions(1, 1, "2026-05-09");
  assertEquals([first.segments, second.segments], [3, 1], "the kept session is whole");
  age.ms = 30 * 60_000; // 30 minutes: everything but the keep lock has expired
  const r2 = await cleaner.pass();
  assertEquals(r2.deletedSegments, 1);
  assertEquals(catalog.sessions(1, 1, "2026-05-09").length, 1);
  assertEquals(catalog.days(1, 1), ["2026-05-09"]);
});

Deno.test("prune: an unlisted file left by a crash is deleted without touching the summary", async () => {
  const root = await Deno.makeTempDir();
  const t = new Date(2026, 4, 9, 10, 0, 0).getTime();
  const s = await recordSession(root, t, 2, true);
  const orphan = `${t + 10_000}_2000.ts`;
  Deno.writeFileSync(join(s.dir, orphan), new Uint8Array(500).fill(0x47));
  const r = await pruneSession(s.dir, s.summary, new Set([orphan]));
  assertEquals([r.deleted, r.freedBytes, s.summary.bytes, s.summary.segments], [0, 500, 2000, 2]);
  assertEquals(await Deno.stat(join(s.dir, orphan)).then(() => true, () => false), false);
});

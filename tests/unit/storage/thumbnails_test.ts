/**
 * Timeline thumbnails: names round-trip, the due decision with a fake clock, one decode
 * at a time across many cameras (failures skipped), and retention of thumbnails on a
 * real temp folder (a day emptied loses them, a trimmed day loses the older ones).
 */
import { exists } from "../../../src/storage/files.ts";
import { join } from "node:path";
import { ConfigError, loadConfig } from "../../../src/config/config.ts";
import { createLogger } from "../../../src/log.ts";
import {
  dueThumbnails,
  type ThumbCamera,
  thumbnailArgs,
  Thumbnailer,
  tickMs,
} from "../../../src/recorder/thumbnailer.ts";
import { Catalog } from "../../../src/storage/catalog.ts";
import { Cleaner } from "../../../src/storage/cleaner.ts";
import { DiskGuard } from "../../../src/storage/disk_guard.ts";
import {
  DATE_RE,
  parseThumbnailName,
  THUMB_RE,
  thumbnailName,
  thumbsDir,
  TIME_RE,
} from "../../../src/storage/layout.ts";
import { RecordingSession } from "../../../src/storage/session.ts";
import {
  listThumbnails,
  mergeThumbnails,
  removeDayWithoutSessions,
  thumbnailsBefore,
} from "../../../src/storage/thumbnails.ts";
import { thumbBefore, thumbNear, thumbReach } from "../../../src/web/client/timeline_math.ts";
import { assert, assertEquals, assertThrows } from "../../support/assert.ts";
import { FakeClock } from "../../support/fake_clock.ts";

const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9]);
const quiet = (lines: string[] = []) => createLogger("json", {}, (l) => lines.push(l));

Deno.test("thumbnail names round-trip: local day folder + HHMMSS.jpg ↔ the frame's second", () => {
  for (
    const ms of [
      new Date(2026, 4, 10, 0, 0, 0).getTime(),
      new Date(2026, 4, 10, 9, 5, 7, 999).getTime(),
      new Date(2026, 11, 31, 23, 59, 59, 500).getTime(),
      new Date(2024, 1, 29, 12, 30, 0, 1).getTime(),
    ]
  ) {
    const { date, name } = thumbnailName(ms);
    assert(DATE_RE.test(date) && THUMB_RE.test(name), `${date}/${name}`);
    assert(!TIME_RE.test(name.slice(0, -4) + "x"), "never mistaken for a session folder");
    const back = parseThumbnailName(date, name)!;
    assertEquals(back, Math.floor(ms / 1000) * 1000, `${date}/${name}`);
    assertEquals(thumbnailName(back), { date, name });
  }
  assertEquals(thumbnailName(new Date(2026, 4, 10, 9, 5, 7).getTime()), {
    date: "2026-05-10",
    name: "090507.jpg",
  });
  for (
    const [date, name] of [
      ["2026-05-10", "090507.jpg.tmp-1a2b3c4d"],
      ["2026-05-10", "246000.jpg"],
      ["2026-05-10", "096000.jpg"],
      ["2026-05-10", "09050.jpg"],
      ["2026-05-10", "090507.png"],
      ["2026-02-30", "090507.jpg"],
      ["2026-5-10", "090507.jpg"],
    ]
  ) assertEquals(parseThumbnailName(date, name), undefined, `${date}/${name}`);
});

Deno.test("dueThumbnails: one interval after first sight, then every interval, only while recording", async () => {
  const clock = new FakeClock(1_000_000);
  const I = 300_000;
  const cams = [
    { key: "1/1", recording: true, lastMs: undefined as number | undefined },
    { key: "1/2", recording: false, lastMs: undefined as number | undefined },
  ];
  assertEquals(dueThumbnails(cams, clock.monotonic(), I), [], "never seen: not due yet");
  for (const c of cams) c.lastMs = clock.monotonic(); // first sighting
  await clock.advance(I - 1);
  assertEquals(dueThumbnails(cams, clock.monotonic(), I), []);
  await clock.advance(1);
  assertEquals(dueThumbnails(cams, clock.monotonic(), I), ["1/1"], "not recording: never due");
  cams[0].lastMs = clock.monotonic(); // attempted now
  await clock.advance(I / 2);
  cams[1].recording = true;
  assertEquals(dueThumbnails(cams, clock.monotonic(), I), ["1/2"], "due at once when it starts");
  await clock.advance(I);
  assertEquals(
    dueThumbnails(cams, clock.monotonic(), I),
    ["1/2", "1/1"],
    "the longest waiting first",
  );
  clock.step(-86_400_000); // the wall clock steps back a day: intervals are monotonic
  assertEquals(dueThumbnails(cams, clock.monotonic(), I).length, 2);
  assertEquals(dueThumbnails(cams, clock.monotonic(), 0), [], "0 = thumbnails off");
  assertEquals([tickMs(3000), tickMs(300_000), tickMs(600)], [1000, 10_000, 500]);
});

Deno.test("thumbnailArgs: first frame, scaled to 320 px wide with square pixels, JPEG", () => {
  const args = thumbnailArgs({ path: "/m/1/1/hls/a/00001.ts", codec: "h265" }, "/m/t.jpg.tmp-1");
  const pipe = args.join(" ");
  assert(
    pipe.includes(
      "avdec_h265 ! videoconvert ! videoscale ! video/x-raw,width=320,pixel-aspect-ratio=1/1 ! jpegenc snapshot=true",
    ),
    pipe,
  );
  assertEquals(args.at(-1), 'location="/m/t.jpg.tmp-1"');
  let refused = false;
  try {
    thumbnailArgs({ path: '/m/"x.ts', codec: "h264" }, "/m/t.jpg");
  } catch {
    refused = true;
  }
  assert(refused, "a path that cannot be quoted is refused");
});

Deno.test("Thumbnailer: 64 cameras, one decode at a time, failures logged and skipped", async () => {
  const root = await Deno.makeTempDir();
  const clock = new FakeClock(new Date(2026, 4, 10, 12, 0, 0).getTime());
  const lines: string[] = [];
  let active = 0, maxActive = 0, decodes = 0;
  const cams: (ThumbCamera & { startMs: number })[] = [];
  for (let seq = 1; seq <= 64; seq++) {
    const cam = {
      gid: 1,
      seq,
      recording: seq !== 64,
      startMs: clock.now() - 2000,
      frame: () =>
        Promise.resolve(
          seq === 63 ? undefined : {
            source: { path: `/live/${seq}.ts`, codec: "h264" as const },
            startMs: cam.startMs,
          },
        ),
    };
    cams.push(cam);
  }
  const thumbnailer = new Thumbnailer({
    mediaRoot: root,
    intervalSeconds: 300,
    clock,
    log: quiet(lines),
    cameras: () => cams,
    decode: async (src, out) => {
      active++;
      decodes++;
      maxActive = Math.max(maxActive, active);
      await new Promise((r) => setTimeout(r, 2));
      active--;
      if (src.path === "/live/7.ts") throw new Error("decoder crashed");
      await Deno.writeFile(out, src.path === "/live/8.ts" ? new Uint8Array([1, 2, 3]) : JPEG);
    },
  });
  assertEquals(await thumbnailer.tick(), 0, "first sighting: nothing due");
  await clock.advance(299_000);
  assertEquals(await thumbnailer.tick(), 0);
  await clock.advance(1000);
  // Two ticks at once still never run two decodes together.
  const [a, b] = await Promise.all([thumbnailer.tick(), thumbnailer.tick()]);
  assertEquals(maxActive, 1, "never two decoders at once");
  assertEquals(a + b, 60, "62 due with a frame, 2 failed");
  assertEquals(decodes, 62, "no second decode of the same segment");
  assertEquals(thumbnailer.totals, { made: 60, failed: 2 });
  const { date, name } = thumbnailName(cams[0].startMs);
  const files = (seq: number) =>
    [...Deno.readDirSync(thumbsDir(root, 1, seq, date))].map((e) => e.name);
  assertEquals(files(1), [name]);
  assertEquals(Deno.readFileSync(join(thumbsDir(root, 1, 1, date), name)), JPEG);
  assertEquals(files(7), [], "a failed decode leaves no file (temp removed)");
  assertEquals(files(8), [], "a non-JPEG output is not kept");
  assertEquals(await exists(thumbsDir(root, 1, 64, date)), false, "not recording: none");
  assertEquals(await exists(thumbsDir(root, 1, 63, date)), false, "no frame yet: none");
  const warns = lines.filter((l) => l.includes("thumbnail skipped"));
  assertEquals(warns.length, 2);
  assert(warns.some((l) => l.includes("decoder crashed") && l.includes('"camera":"1/7"')));
  // Next interval: only cameras with a new segment get another thumbnail.
  await clock.advance(300_000);
  for (const c of cams) if (c.seq <= 10) c.startMs = clock.now() - 2000;
  assertEquals(await thumbnailer.tick(), 8, "cameras 1–10 minus the failing 7 and 8");
  assertEquals(files(1).length, 2);
  assertEquals(files(20).length, 1, "same segment as last time: no new thumbnail");
  // A camera without a frame is looked at again at the next tick, not an interval later.
  await clock.advance(1000);
  cams[62].frame = () =>
    Promise.resolve({ source: { path: "/live/63.ts", codec: "h264" }, startMs: clock.now() });
  assertEquals(await thumbnailer.tick(), 1);
  assertEquals(files(63).length, 1);
  await thumbnailer.stop();
  await Deno.remove(root, { recursive: true });
});

Deno.test("Thumbnailer loop: off at 0, ticks on the clock otherwise, stops cleanly", async () => {
  const clock = new FakeClock();
  const off = new Thumbnailer({
    mediaRoot: "/nonexistent",
    intervalSeconds: 0,
    clock,
    log: quiet(),
    cameras: () => [],
  });
  off.start();
  assertEquals(clock.pending, 0, "no timer when thumbnails are off");
  await off.stop();
  let looked = 0;
  const on = new Thumbnailer({
    mediaRoot: "/nonexistent",
    intervalSeconds: 3,
    clock,
    log: quiet(),
    cameras: () => (looked++, []),
  });
  on.start();
  await clock.advance(3000);
  assertEquals(looked, 3, "one look per second at a 3 s interval");
  await on.stop();
  assertEquals(clock.pending, 0);
});

async function session(root: string, startMs: number, count: number, close: boolean) {
  const s = await RecordingSession.open(root, 1, 1, startMs, 2);
  for (let i = 0; i < count; i++) {
    const p = join(root, `src${startMs}_${i}.ts`);
    Deno.writeFileSync(p, new Uint8Array(1000).fill(0x47));
    await s.append(p, startMs + i * 2000, 2000, false);
    Deno.removeSync(p);
  }
  if (close) await s.close("recording stopped");
  return s;
}

async function plantThumbs(root: string, times: number[]) {
  for (const ms of times) {
    const { date, name } = thumbnailName(ms);
    await Deno.mkdir(thumbsDir(root, 1, 1, date), { recursive: true });
    await Deno.writeFile(join(thumbsDir(root, 1, 1, date), name), JPEG);
  }
}

Deno.test("retention: an emptied day loses its folder and thumbnails; a trimmed day its older ones", async () => {
  const root = await Deno.makeTempDir();
  const day1 = new Date(2026, 4, 9, 10, 0, 0).getTime();
  const day2 = new Date(2026, 4, 10, 10, 0, 0).getTime();
  await session(root, day1, 3, true);
  await session(root, day2, 10, true); // 10:00:00–10:00:20
  await plantThumbs(root, [day1, day1 + 4000]);
  // 09:59:55 lies in a keep lock (no segment there), 10:00:00 goes with its segment, the
  // others are at or after the oldest segment left (10:00:04, kept by a second lock).
  await plantThumbs(root, [
    day2 - 5000,
    day2,
    day2 + 4000,
    day2 + 6000,
    day2 + 8000,
    day2 + 12_000,
  ]);
  Deno.writeFileSync(join(thumbsDir(root, 1, 1, "2026-05-10"), "100012.jpg.tmp-abcd1234"), JPEG);
  const catalog = new Catalog(root);
  const report = await catalog.rebuild();
  assertEquals(report.sessions, 2, "thumbs/ is never taken for a session");
  assertEquals(catalog.days(1, 1), ["2026-05-09", "2026-05-10"]);
  const cleaner = new Cleaner({
    mediaRoot: root,
    catalog,
    clock: new FakeClock(day2 + 3_600_000),
    log: quiet(),
    budgetBytes: 7800, // 13 000 used: 3 + 3 segments go (2% slack), the keep lock is skipped
    minFreeBytes: 0,
    disk: new DiskGuard({
      mediaRoot: root,
      minFreeBytes: 0,
      log: quiet(),
      space: () => Promise.resolve(undefined),
    }),
    keeps: () => [
      { gid: 1, seq: 1, startMs: day2 + 4500, endMs: day2 + 5000 },
      { gid: 1, seq: 1, startMs: day2 - 10_000, endMs: day2 - 1000 },
    ],
    maxAgeMs: () => undefined,
    pruneOpen: () => Promise.resolve(undefined),
  });
  const r = await cleaner.pass();
  assertEquals(r.deletedSegments, 6);
  assertEquals(catalog.days(1, 1), ["2026-05-10"], "the emptied day left the calendar");
  assertEquals(await exists(join(root, "1", "1", "2026-05-09")), false, "its folder is gone");
  // Day 2 lost 10:00:00, 10:00:02 and 10:00:06; 10:00:04 is kept and now the oldest.
  const [left] = catalog.sessions(1, 1, "2026-05-10");
  assertEquals(left.startMs, day2 + 4000);
  const names = (await listThumbnails(root, 1, 1, "2026-05-10")).map((t) => t.name);
  assertEquals(names, ["095955.jpg", "100004.jpg", "100006.jpg", "100008.jpg", "100012.jpg"]);
  // Nothing left but thumbnails (a crash cut the cleaning short): gone at the next start.
  for (const e of Deno.readDirSync(join(root, "1", "1", "2026-05-10"))) {
    if (TIME_RE.test(e.name)) {
      Deno.removeSync(join(root, "1", "1", "2026-05-10", e.name), { recursive: true });
    }
  }
  assertEquals((await new Catalog(root).rebuild()).sessions, 0);
  assertEquals(await exists(join(root, "1", "1", "2026-05-10")), false, "thumbs-only day removed");
  await Deno.remove(root, { recursive: true });
});

Deno.test("thumbnailsBefore and removeDayWithoutSessions: keep locks and session folders win", async () => {
  const t = (s: number) => ({ name: `x${s}`, ms: 1_000_000 + s * 1000 });
  const thumbs = [t(0), t(1), t(2), t(3), t(4)];
  assertEquals(thumbnailsBefore(thumbs, 1_003_500, []).map((x) => x.name), ["x0", "x1", "x2"]);
  assertEquals(
    thumbnailsBefore(thumbs, 1_003_500, [{ startMs: 1_001_500, endMs: 1_001_600 }]).map((x) =>
      x.name
    ),
    ["x0", "x2"],
    "a thumbnail whose second overlaps a keep lock stays",
  );
  const root = await Deno.makeTempDir();
  const when = new Date(2026, 4, 10, 10, 0, 0).getTime();
  await session(root, when, 1, true);
  await plantThumbs(root, [when]);
  assertEquals(await removeDayWithoutSessions(root, 1, 1, "2026-05-10"), false);
  assertEquals((await listThumbnails(root, 1, 1, "2026-05-10")).length, 1, "kept with its session");
  assertEquals(await removeDayWithoutSessions(root, 1, 1, "2026-05-11"), true, "absent day: done");
  // A group move merging into an existing day folder brings the thumbnails along.
  const from = join(root, "from"), to = join(root, "1", "1", "2026-05-10");
  await Deno.mkdir(join(from, "thumbs"), { recursive: true });
  Deno.writeFileSync(join(from, "thumbs", "100000.jpg"), new Uint8Array([1]));
  Deno.writeFileSync(join(from, "thumbs", "110000.jpg"), JPEG);
  await mergeThumbnails(from, to);
  assertEquals((await listThumbnails(root, 1, 1, "2026-05-10")).map((x) => x.name), [
    "100000.jpg",
    "110000.jpg",
  ]);
  assertEquals(Deno.readFileSync(join(to, "thumbs", "100000.jpg")), JPEG, "existing one kept");
  assertEquals(await exists(join(from, "thumbs")), false);
  await Deno.remove(root, { recursive: true });
});

Deno.test("timeline thumbnails in the UI: the one before, the nearest within reach", () => {
  const m = 60_000;
  const thumbs = [0, 5, 10, 30].map((x) => ({ ms: x * m, url: `/t/${x}` }));
  assertEquals(thumbBefore(-1, thumbs), -1);
  assertEquals(thumbBefore(0, thumbs), 0);
  assertEquals(thumbBefore(9 * m, thumbs), 1);
  assertEquals(thumbBefore(99 * m, thumbs), 3);
  assertEquals(thumbNear(8 * m, thumbs, 10 * m), 2, "nearest, even after");
  assertEquals(thumbNear(20 * m, thumbs, 5 * m), -1, "none within reach");
  assertEquals(thumbNear(3 * m, [], 10 * m), -1);
  assertEquals(thumbReach(thumbs), 10 * m, "never under 10 minutes");
  const hourly = [0, 60, 120, 180].map((x) => ({ ms: x * m, url: `/h/${x}` }));
  assertEquals(thumbReach(hourly), 60 * m, "the usual spacing");
});

Deno.test("--thumbnail-seconds / NVR_THUMBNAIL_SECONDS: default 300, 0 = off, bad values named", () => {
  assertEquals(loadConfig([], {}).thumbnailSeconds, 300);
  assertEquals(loadConfig([], { NVR_THUMBNAIL_SECONDS: "0" }).thumbnailSeconds, 0);
  assertEquals(
    loadConfig(["--thumbnail-seconds=60"], { NVR_THUMBNAIL_SECONDS: "5" }).thumbnailSeconds,
    60,
    "the flag wins",
  );
  for (const bad of ["-1", "1.5", "soon", "86401"]) {
    const err = assertThrows(
      () => loadConfig([`--thumbnail-seconds=${bad}`], {}),
      /thumbnail-seconds \(NVR_THUMBNAIL_SECONDS\)/,
    );
    assert(err instanceof ConfigError, bad);
  }
});

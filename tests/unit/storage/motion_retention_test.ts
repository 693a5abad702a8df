/**
 * Motion-only keeping: the pure decisions (which segments events need, from when a camera
 * keeps only motion: record mode and retention tier, with a fake clock), and cleaning
 * passes on a real temp folder that keep the onsets (pre-roll), the events and their
 * post-roll, drop the rest, and leave playlists, summaries and the catalog consistent.
 */
import { join } from "node:path";
import { createLogger } from "../../../src/log.ts";
import { Catalog } from "../../../src/storage/catalog.ts";
import { Cleaner } from "../../../src/storage/cleaner.ts";
import { EventStore } from "../../../src/storage/event_store.ts";
import {
  HOLD_MS,
  motionOnlyBefore,
  type MotionRule,
  unneededSegments,
} from "../../../src/storage/motion_retention.ts";
import { parsePlaylist } from "../../../src/storage/playlist.ts";
import { pruneSession } from "../../../src/storage/prune.ts";
import type { RecordingSession } from "../../../src/storage/session.ts";
import { assert, assertEquals } from "../../support/assert.ts";
import { FakeClock } from "../../support/fake_clock.ts";
import { recordEvent, recordSession, unknownSpace } from "../../support/recordings.ts";

const DAY = 86_400_000;
const T0 = new Date(2026, 4, 10, 10, 0, 0).getTime();
/** Ten 2 s segments from T0: names "0".."9". */
const segs = (n = 10, gapAt = -1) =>
  Array.from({ length: n }, (_, i) => ({
    name: String(i),
    startMs: T0 + i * 2000 + (gapAt >= 0 && i >= gapAt ? 60_000 : 0),
    durationMs: 2000,
  }));
const names = (s: Set<string>) => [...s].sort((a, b) => Number(a) - Number(b));

Deno.test("motion-only: an event keeps its segments, the one before the onset, and the post-roll", () => {
  // Onset at 7.5 s (segment 3), end at 9 s (segment 4), post-roll 2 s: to 11 s (segment 5).
  const drop = unneededSegments(segs(), [{ start: T0 + 7500, end: T0 + 9000 }], 2000, Infinity);
  assertEquals(names(drop), ["0", "1", "6", "7", "8", "9"]);
  // An onset on a segment boundary: the segment before it is the pre-roll.
  const edge = unneededSegments(segs(), [{ start: T0 + 8000, end: T0 + 8500 }], 0, Infinity);
  assertEquals(names(edge), ["0", "1", "2", "5", "6", "7", "8", "9"]);
  // Zero post-roll: nothing after the event's segment.
  const open = unneededSegments(segs(), [{ start: T0 + 15_000 }], 0, Infinity);
  assertEquals(names(open), ["0", "1", "2", "3", "4", "5"], "an open event keeps all after it");
});

Deno.test("motion-only: no pre-roll across a gap; nothing judged after the boundary", () => {
  // Segments 5.. start a minute later (recording was off): the onset at segment 5's start.
  const s = segs(10, 5);
  const drop = unneededSegments(s, [{ start: s[5].startMs, end: s[5].startMs + 500 }], 0, Infinity);
  assertEquals(names(drop), ["0", "1", "2", "3", "4", "6", "7", "8", "9"]);
  // Boundary at 10 s: segments ending after it are not judged yet.
  const early = unneededSegments(segs(), [], 0, T0 + 10_000);
  assertEquals(names(early), ["0", "1", "2", "3", "4"]);
  assertEquals(unneededSegments([], [{ start: T0 }], 0, Infinity).size, 0);
});

Deno.test("motion-only boundary: motion mode waits HOLD_MS, a tier waits its days, the later wins", async () => {
  const clock = new FakeClock(T0);
  const at = (rule?: MotionRule) => motionOnlyBefore(clock.now(), rule);
  assertEquals(at(undefined), undefined);
  assertEquals(at({ recordMode: "continuous" }), undefined);
  assertEquals(at({ recordMode: "motion" }), T0 - HOLD_MS);
  assertEquals(at({ continuousDays: 7 }), T0 - 7 * DAY);
  assertEquals(at({ recordMode: "motion", continuousDays: 7 }), T0 - HOLD_MS);
  assertEquals(at({ continuousDays: 0 }), T0);
  await clock.advance(DAY);
  assertEquals(at({ continuousDays: 7 }), T0 - 6 * DAY);
});

Deno.test("cleaner, motion mode: a closed session keeps pre-roll, event and post-roll; a quiet one goes", async () => {
  const root = await Deno.makeTempDir();
  try {
    const quiet = await recordSession(root, T0 - 3_600_000, 5, true);
    const busy = await recordSession(root, T0, 10, true);
    const s = await setupAt(root, { recordMode: "motion", postRollSeconds: 2 }, T0 + 600_000);
    recordEvent(s.store, "e1", T0 + 7500, T0 + 9000);
    await s.cleaner.pass();
    const listed = parsePlaylist(Deno.readTextFileSync(join(busy.dir, "index.m3u8"))).segments;
    assertEquals(listed.map((x) => (x.startMs - T0) / 2000), [2, 3, 4, 5]);
    const summary = JSON.parse(Deno.readTextFileSync(join(busy.dir, "session.json")));
    assertEquals([summary.segments, summary.startMs], [4, T0 + 4000]);
    assertEquals(s.catalog.sessions(1, 1, busy.summary.date).map((x) => x.segments), [4]);
    assert(!(await Deno.stat(quiet.dir).catch(() => false)), "the quiet session is gone");
    assertEquals([...Deno.readDirSync(busy.dir)].filter((f) => f.name.endsWith(".ts")).length, 4);
    // A second pass changes nothing.
    await s.cleaner.pass();
    assertEquals(
      parsePlaylist(Deno.readTextFileSync(join(busy.dir, "index.m3u8"))).segments.length,
      4,
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

async function setupAt(root: string, rule: MotionRule, now: number, open?: RecordingSession) {
  const catalog = new Catalog(root);
  await catalog.rebuild();
  if (open) catalog.put(open.summary);
  const clock = new FakeClock(now);
  const log = createLogger("json", {}, () => {});
  const store = new EventStore(root, { now: () => clock.now() });
  const cleaner = new Cleaner({
    mediaRoot: root,
    catalog,
    clock,
    log,
    budgetBytes: 0,
    minFreeBytes: 0,
    disk: unknownSpace(root),
    keeps: () => [],
    maxAgeMs: () => undefined,
    pruneOpen: (_s, n) =>
      open ? pruneSession(open.dir, open.summary, n) : Promise.resolve(undefined),
    events: store,
    motionRule: () => rule,
  });
  return { catalog, clock, store, cleaner };
}

Deno.test("cleaner, retention tier: whole for continuous_days, then motion only (fake clock)", async () => {
  const root = await Deno.makeTempDir();
  try {
    const old = await recordSession(root, T0, 10, true);
    const s = await setupAt(root, { continuousDays: 2 }, T0 + DAY);
    recordEvent(s.store, "a", T0 + 1000, T0 + 1500);
    await s.cleaner.pass();
    assertEquals(
      parsePlaylist(Deno.readTextFileSync(join(old.dir, "index.m3u8"))).segments.length,
      10,
    );
    await s.clock.advance(2 * DAY); // now past continuous_days: only the event and its rolls stay
    await s.cleaner.pass();
    const listed = parsePlaylist(Deno.readTextFileSync(join(old.dir, "index.m3u8"))).segments;
    // Event 1–1.5 s in segment 0, post-roll 10 s (default): to 11.5 s, segment 5.
    assertEquals(listed.map((x) => (x.startMs - T0) / 2000), [0, 1, 2, 3, 4, 5]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("cleaner, motion mode: an open session loses its quiet start; the newest segment stays", async () => {
  const root = await Deno.makeTempDir();
  try {
    const open = await recordSession(root, T0, 30, false); // 60 s, still recording
    const s = await setupAt(root, { recordMode: "motion", postRollSeconds: 0 }, T0 + 60_000, open);
    await s.cleaner.pass();
    const parsed = parsePlaylist(Deno.readTextFileSync(join(open.dir, "index.m3u8")));
    // Boundary: now − 30 s = 30 s → segments 0..14 judged and dropped, 15.. kept.
    assertEquals(parsed.segments.map((x) => (x.startMs - T0) / 2000)[0], 15);
    assertEquals(parsed.mediaSequence, 15, "removed from the start: the media sequence advances");
    assertEquals(parsed.ended, false);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

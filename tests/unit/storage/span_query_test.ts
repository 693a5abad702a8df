/**
 * The span query (src/storage/span_query.ts): the segments of a camera between two
 * instants, read from its sessions on disk across days, with gaps marked and the target
 * duration that fits.
 */
import { Catalog } from "../../../src/storage/catalog.ts";
import { RecordingSession } from "../../../src/storage/session.ts";
import { joinSessions, segmentsBetween, sessionsBetween } from "../../../src/storage/span_query.ts";
import { join } from "node:path";
import { assertEquals } from "../../support/assert.ts";

async function twoSessions() {
  const root = await Deno.makeTempDir();
  const catalog = new Catalog(root);
  const live = join(root, "live.ts");
  await Deno.writeFile(live, new Uint8Array(188).fill(0x47));
  // 23:59:50 local: the first session crosses midnight (it stays in its start day's folder).
  const t0 = new Date(2026, 4, 10, 23, 59, 50).getTime();
  const record = async (start: number, durations: number[], segmentSeconds = 2) => {
    const s = await RecordingSession.open(root, 1, 2, start, segmentSeconds);
    for (const d of durations) {
      await s.append(live, start, d, false, 188);
      start += d;
    }
    const closed = await s.close("recording stopped");
    catalog.put(closed);
    return closed;
  };
  const a = await record(t0, [4000, 4000, 4000, 4000]); // …50 to 00:00:06
  const b = await record(t0 + 60_000, [2000, 2000], 5); // a minute later, target 10
  return { root, catalog, t0, a, b };
}

Deno.test("span query: segments overlapping [from, to) across midnight, a gap between sessions", async () => {
  const { root, catalog, t0 } = await twoSessions();
  const span = await segmentsBetween(root, catalog, 1, 2, t0 + 5000, t0 + 61_000);
  assertEquals(span.segments.map((s) => [s.startMs - t0, s.durationMs, s.discontinuity]), [
    [4000, 4000, false],
    [8000, 4000, false],
    [12_000, 4000, false],
    [60_000, 2000, true],
  ]);
  assertEquals(span.segments[0].rel, `1/2/2026-05-10/235950/${t0 + 4000}_4000.ts`);
  assertEquals(span.targetDuration, 10, "the largest target of the sessions it joins");
  const none = await segmentsBetween(root, catalog, 1, 2, t0 + 20_000, t0 + 50_000);
  assertEquals(none.segments, [], "in the gap: nothing");
  await Deno.remove(root, { recursive: true });
});

Deno.test("span query: the sessions between two instants; a day joined whole; unreadable skipped", async () => {
  const { root, catalog, t0, a, b } = await twoSessions();
  assertEquals(sessionsBetween(catalog, 1, 2, t0 + 1000, t0 + 2000).map((s) => s.time), [a.time]);
  assertEquals(sessionsBetween(catalog, 1, 2, t0, t0 + 90_000).map((s) => s.time), [
    a.time,
    b.time,
  ]);
  const day = await joinSessions(root, [a, b], (s, name) => `${s.time}/${name}`);
  assertEquals(day.segments.length, 6);
  assertEquals(day.segments[4].uri, `${b.time}/${t0 + 60_000}_2000.ts`);
  assertEquals(day.segments.map((s) => !!s.discontinuity), [
    false,
    false,
    false,
    false,
    true,
    false,
  ]);
  await Deno.remove(join(root, "1", "2", b.date, b.time), { recursive: true });
  const left = await joinSessions(root, [a, b], (_s, name) => name);
  assertEquals(
    [left.segments.length, left.targetDuration],
    [4, 6],
    "the cleaned session is skipped",
  );
  await Deno.remove(root, { recursive: true });
});

/**
 * Motion event store: pure folding and activity buckets (a 23 h DST day included), and
 * the JSON-lines files on a real temp folder: append, a torn last line, start-up repair
 * of an event left open by a crash, range queries, days and retention's trim.
 */
import { join } from "node:path";
import { eventsDir, EventStore } from "../../../src/storage/event_store.ts";
import {
  activityLevels,
  foldEvents,
  localDayBounds,
  type MotionEvent,
  parseEventLines,
  repairedEnd,
  scoreLevel,
} from "../../../src/storage/motion_events.ts";
import { localDate } from "../../../src/time.ts";
import { assert, assertEquals } from "../../support/assert.ts";

const T0 = Date.parse("2026-05-10T10:00:00Z");
const box = [0.1, 0.2, 0.3, 0.4] as [number, number, number, number];
const ev = (id: string, start: number, end?: number, score = 0.1): MotionEvent => ({
  id,
  start,
  end,
  score,
  box,
  peak: start,
  lastAt: end ?? start,
});

function store(root: string, now = () => T0 + 3_600_000) {
  return new EventStore(root, { now });
}

Deno.test("events: fold keeps the first start, the highest score with its peak, and the end", () => {
  const lines = parseEventLines([
    JSON.stringify({ phase: "start", at: 1000, id: "a", start: 1000, score: 0.1, box }),
    JSON.stringify({
      phase: "update",
      at: 2000,
      id: "a",
      start: 1000,
      score: 0.5,
      box,
      peak: 1900,
    }),
    JSON.stringify({ phase: "update", at: 3000, id: "a", start: 1000, score: 0.2, box }),
    JSON.stringify({ phase: "end", at: 4000, id: "a", start: 1000, end: 3500, score: 0.2, box }),
    JSON.stringify({ phase: "update", at: 5000, id: "a", start: 1000, score: 0.9, box }),
    '{"phase":"start","at":6000,"id":"b","sta', // torn by a crash
  ].join("\n"));
  const [a] = foldEvents(lines);
  assertEquals(foldEvents(lines).length, 1);
  assertEquals([a.start, a.end, a.score, a.peak, a.lastAt], [1000, 3500, 0.5, 1900, 4000]);
});

Deno.test("events: bad lines are skipped (foreign phase, bad id, no start)", () => {
  const lines = parseEventLines([
    JSON.stringify({ phase: "begin", at: 1, id: "a", start: 1, score: 0, box }),
    JSON.stringify({ phase: "start", at: 1, id: "../x", start: 1, score: 0, box }),
    JSON.stringify({ phase: "start", at: 1, id: "c", score: 0, box }),
    JSON.stringify({ phase: "start", at: 1, id: "d", start: 1, score: 7, box: "no" }),
  ].join("\n"));
  assertEquals(lines.map((l) => [l.id, l.score, l.box]), [["d", 1, [0, 0, 0, 0]]]);
});

Deno.test("events: activity buckets of 10 s, levels by score, an open event reaches now", () => {
  const day = T0 - 10 * 3_600_000;
  const end = day + 86_400_000;
  const levels = activityLevels(
    [
      ev("a", day + 15_000, day + 35_000, 0.01),
      ev("b", day + 30_000, day + 31_000, 1),
      ev("c", end - 5_000),
    ],
    day,
    end,
    end + 60_000,
  );
  assertEquals(levels.length, 8640);
  assertEquals(levels.slice(0, 5), "01190");
  assertEquals(levels.at(-1), "3");
  assertEquals(levels.replace(/0/g, "").length, 4); // 3 buckets, and the last
  assertEquals([scoreLevel(0), scoreLevel(0.1), scoreLevel(0.25), scoreLevel(1)], [
    "1",
    "3",
    "5",
    "9",
  ]);
});

Deno.test("events: a 23 h DST day has 8280 buckets; an event before it does not count", () => {
  // Europe/Berlin, 2026-03-29: midnight is 23:00Z the day before, the next one 22:00Z.
  const start = Date.parse("2026-03-28T23:00:00Z"), end = Date.parse("2026-03-29T22:00:00Z");
  const levels = activityLevels(
    [ev("a", start - 60_000, start - 1000), ev("b", end - 10_000, end + 60_000, 0.3)],
    start,
    end,
    end + 120_000,
  );
  assertEquals(levels.length, 8280);
  assertEquals(levels.indexOf("1"), -1);
  assertEquals(levels.at(-1), "5");
});

Deno.test("events: local day bounds follow the process time zone on DST days", async () => {
  const code = `import { localDayBounds } from "${
    new URL("../../../src/storage/motion_events.ts", import.meta.url).href
  }";
  const a = localDayBounds("2026-03-29"), b = localDayBounds("2026-10-25"), c = localDayBounds("2026-05-10");
  console.log([a.end - a.start, b.end - b.start, c.end - c.start].map((x) => x / 3600000).join(","));`;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", code],
    env: { TZ: "Europe/Berlin" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  assertEquals(new TextDecoder().decode(out.stdout).trim(), "23,25,24");
  // In this process, whatever its zone: a day is 23 to 25 h from local midnight.
  const d = localDayBounds("2026-05-10");
  assertEquals(localDate(d.start), "2026-05-10");
  assertEquals(localDate(d.end), "2026-05-11");
});

Deno.test("events: a crash-left event ends at the camera's last segment, capped, never before its start", () => {
  const e = ev("a", 1000);
  e.lastAt = 5000;
  delete e.end;
  assertEquals(repairedEnd(e, 9000), 9000);
  assertEquals(repairedEnd(e, undefined), 5000);
  assertEquals(repairedEnd(e, 500), 5000);
  assertEquals(repairedEnd(e, 5000 + 3_600_000), 5000 + 300_000);
});

Deno.test("event store: appends, reads back a range, survives a torn line, repairs an open event", async () => {
  const root = await Deno.makeTempDir({ prefix: "nvr-events-" });
  try {
    const s = store(root);
    s.record(1, 2, "start", T0, { id: "e1", start: T0, score: 0.05, box });
    s.record(1, 2, "update", T0 + 1000, { id: "e1", start: T0, score: 0.3, box, peak: T0 + 900 });
    s.record(1, 2, "end", T0 + 5000, { id: "e1", start: T0, end: T0 + 4000, score: 0.2, box });
    s.record(1, 2, "start", T0 + 60_000, { id: "e2", start: T0 + 60_000, score: 0.1, box });
    s.record(1, 2, "update", T0 + 61_000, { id: "e2", start: T0 + 60_000, score: 0.1, box });
    assertEquals(s.open(1, 2).map((e) => e.id), ["e2"]);
    const all = await s.between(1, 2, T0 - 1000, T0 + 120_000);
    assertEquals(all.map((e) => [e.id, e.end, e.score]), [["e1", T0 + 4000, 0.3], [
      "e2",
      undefined,
      0.1,
    ]]);
    assertEquals((await s.between(1, 2, T0 + 10_000, T0 + 20_000)).length, 0);
    // A crash mid-append: a torn line at the end of the file.
    const path = join(eventsDir(root, 1, 2), `${localDate(T0)}.jsonl`);
    await Deno.writeTextFile(path, '{"phase":"update","at":1', { append: true });
    // Start-up: a new store (new process) repairs e2, ended at the camera's last segment.
    const again = store(root);
    assertEquals(await again.repair(() => T0 + 63_000), 1);
    const [e1, e2] = await again.between(1, 2, T0 - 1000, T0 + 120_000);
    assertEquals([e1.end, e2.end], [T0 + 4000, T0 + 63_000]);
    assertEquals(await store(root).repair(() => T0 + 99_000), 0);
    assertEquals(await again.days(1, 2, "2000-01-01", "2100-01-01"), [{
      date: localDate(T0),
      events: 2,
    }]);
    assertEquals((await again.find(1, 2, "e1"))?.peak, T0 + 900);
    // An append after the torn line starts on a new line and reads back.
    again.record(1, 2, "start", T0 + 90_000, { id: "e3", start: T0 + 90_000, score: 0.1, box });
    assertEquals((await store(root).between(1, 2, T0, T0 + 120_000)).map((e) => e.id), [
      "e1",
      "e2",
      "e3",
    ]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("event store: an event filed under the day before is found across midnight", async () => {
  const root = await Deno.makeTempDir({ prefix: "nvr-events-" });
  try {
    const s = store(root);
    const { start: midnight } = localDayBounds(localDate(T0));
    s.record(3, 1, "start", midnight - 5000, {
      id: "late",
      start: midnight - 5000,
      score: 0.2,
      box,
    });
    s.record(3, 1, "end", midnight + 25_000, {
      id: "late",
      start: midnight - 5000,
      end: midnight + 25_000,
      score: 0.2,
      box,
    });
    const a = await s.activity(3, 1, localDate(T0));
    assertEquals(a.levels.slice(0, 4), "5550");
    assertEquals((await s.days(3, 1, localDate(midnight - 5000), localDate(T0))).length, 1);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("event store: retention drops events that ended before the cutoff, with thumbnails", async () => {
  const root = await Deno.makeTempDir({ prefix: "nvr-events-" });
  try {
    const s = store(root);
    const day2 = T0 + 86_400_000;
    for (const [id, t] of [["old", T0], ["mid", T0 + 600_000], ["new", day2]] as const) {
      s.record(1, 1, "start", t, { id, start: t, score: 0.1, box });
      s.record(1, 1, "end", t + 10_000, { id, start: t, end: t + 10_000, score: 0.1, box });
    }
    await Deno.writeFile(s.thumbnailPath(1, 1, "old"), new Uint8Array([1]));
    assertEquals(await s.trimBefore(1, 1, T0 + 300_000), 1);
    assert(!(await Deno.stat(s.thumbnailPath(1, 1, "old")).catch(() => false)));
    assertEquals((await store(root).between(1, 1, T0 - 1, day2 + 1)).map((e) => e.id), [
      "mid",
      "new",
    ]);
    assertEquals(await s.trimBefore(1, 1, day2), 1);
    const names = [...Deno.readDirSync(eventsDir(root, 1, 1))].map((e) => e.name);
    assertEquals(names, [`${localDate(day2)}.jsonl`]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

/** Synchronized review math: the master clock, PROGRAM-DATE-TIME mapping, drift correction. */
import { assert, assertEquals } from "../../support/assert.ts";
import {
  correction,
  type Frag,
  instantOf,
  parseCams,
  positionOf,
  reviewUrl,
  SyncClock,
} from "../../../src/web/client/sync_math.ts";
import { parseLocalDateTime, toLocalInput } from "../../../src/web/client/time_input.ts";
import { reviewTime } from "../../../src/web/routes.ts";

Deno.test("the master clock runs at its rate while playing and stops when paused", () => {
  let now = 1000;
  const c = new SyncClock(5_000_000, () => now);
  assertEquals(c.time(), 5_000_000);
  c.play();
  now += 2000;
  assertEquals(c.time(), 5_002_000);
  c.setRate(4);
  now += 500;
  assertEquals(c.time(), 5_004_000);
  assertEquals(c.time(now + 250), 5_005_000, "at a later instant");
  c.pause();
  now += 10_000;
  assertEquals(c.time(), 5_004_000);
  c.seek(42);
  assertEquals([c.time(), c.playing, c.rate], [42, false, 4]);
});

// Two recordings 10 s apart, joined in the media timeline (a DISCONTINUITY between them).
const T = 1_773_482_400_000;
const FRAGS: Frag[] = [
  { start: 0, duration: 2, pdt: T },
  { start: 2, duration: 2, pdt: T + 2000 },
  { start: 4, duration: 2, pdt: T + 14_000 },
];

Deno.test("instants map to media positions through PROGRAM-DATE-TIME, gaps to none", () => {
  assertEquals(positionOf(T + 500, FRAGS), 0.5);
  assertEquals(positionOf(T + 3999, FRAGS), 3.999);
  assertEquals(positionOf(T + 4000, FRAGS), undefined, "in the gap");
  assertEquals(positionOf(T + 13_999, FRAGS), undefined, "in the gap");
  assertEquals(positionOf(T + 14_000, FRAGS), 4);
  assertEquals(positionOf(T - 1, FRAGS), undefined, "before");
  assertEquals(positionOf(T + 16_000, FRAGS), undefined, "after");
  assertEquals(instantOf(4.5, FRAGS), T + 14_500);
  assertEquals(instantOf(1, FRAGS), T + 1000);
  assertEquals(instantOf(-1, FRAGS), undefined);
  for (const ms of [T, T + 1234, T + 15_960]) {
    assertEquals(instantOf(positionOf(ms, FRAGS)!, FRAGS), ms);
  }
});

Deno.test("a playing tile seeks when far off, nudges its rate when near, holds when on time", () => {
  assertEquals(correction(1000, 2000, 7, 1, true, 1), { kind: "seek", pos: 7 });
  assertEquals(correction(2005, 2000, 7, 1, true, 1), { kind: "none" });
  const behind = correction(1920, 2000, 7, 1, true, 1);
  assert(behind.kind === "rate" && behind.rate > 1.1, JSON.stringify(behind));
  const ahead = correction(2080, 2000, 7, 2, true, 2);
  assert(ahead.kind === "rate" && ahead.rate < 2 && ahead.rate > 1, JSON.stringify(ahead));
  assertEquals(correction(2000, 2000, 7, 2, true, 1.7), { kind: "rate", rate: 2 }, "back to 2x");
  assertEquals(correction(16_000, 2000, 7, 16, true, 16).kind, "seek");
  assertEquals(correction(1990, 2000, 7, 16, true, 16), { kind: "none" }, "never above 16x");
  // Paused: to the exact frame.
  assertEquals(correction(1960, 2000, 7, 1, false, 1), { kind: "seek", pos: 7 });
  assertEquals(correction(2000, 2000, 7, 1, false, 1), { kind: "none" });
});

Deno.test("review URLs: cameras as gid-seq (at most nine, no repeats), t in ISO 8601", () => {
  assertEquals(parseCams("1-1,1-2,x,1-1,2-4"), ["1-1", "1-2", "2-4"]);
  assertEquals(parseCams(Array.from({ length: 12 }, (_, i) => `1-${i}`).join(",")).length, 9);
  assertEquals(parseCams(undefined), []);
  assertEquals(
    reviewUrl(["1-1", "1-2"], Date.UTC(2026, 11, 1, 14, 5)),
    "/review?cams=1-1,1-2&t=2026-12-01T14:05:00.000Z",
  );
  assertEquals(reviewTime("2026-12-01T14:05:00Z"), Date.UTC(2026, 11, 1, 14, 5));
  assertEquals(reviewTime("2026-12-01T15:05:00+01:00"), Date.UTC(2026, 11, 1, 14, 5));
  assertEquals(reviewTime("1764597900000"), 1764597900000);
  for (const bad of ["", "tomorrow", "2026-12-01", "2026-13-45T99:00:00Z"]) {
    assertEquals(reviewTime(bad), undefined, bad);
  }
});

Deno.test("typed times: 14:05:30 on the day shown, or a whole local date and time", () => {
  const ref = new Date(2026, 11, 1, 9, 0, 0).getTime();
  assertEquals(parseLocalDateTime("14:05:30", ref), new Date(2026, 11, 1, 14, 5, 30).getTime());
  assertEquals(parseLocalDateTime("7:05", ref), new Date(2026, 11, 1, 7, 5, 0).getTime());
  assertEquals(
    parseLocalDateTime("2026-11-30T23:59:59", ref),
    new Date(2026, 10, 30, 23, 59, 59).getTime(),
  );
  for (const bad of ["", "25:00", "12:60", "noon"]) {
    assertEquals(parseLocalDateTime(bad, ref), undefined);
  }
  assertEquals(toLocalInput(new Date(2026, 0, 2, 3, 4, 5).getTime()), "2026-01-02T03:04:05");
});

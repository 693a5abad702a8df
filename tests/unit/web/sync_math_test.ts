/**
 * The review side's pure parts: the synchronized review's master clock, PROGRAM-DATE-TIME
 * mapping and drift correction; typed times; timeline zoom and activity; event and calendar
 * steps.
 */
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
import {
  activityBars,
  dayBounds,
  ticksFor,
  viewWindow,
} from "../../../src/web/client/timeline_math.ts";
import { stepEvent } from "../../../src/web/client/use_motion.ts";
import { dayAfterKey } from "../../../src/web/client/calendar.tsx";
import { labelled } from "../../../src/web/client/field_labels.ts";
import { byField } from "../../../src/web/client/camera_form.tsx";

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

Deno.test("timeline zoom: a window inside the day around the position; axis labels; activity", () => {
  const { start: d0, end: d1 } = dayBounds("2026-03-14");
  assertEquals(viewWindow(24 * 3_600_000, d0 + 5000, d0, d1), { start: d0, end: d1 });
  const h = 3_600_000;
  assertEquals(viewWindow(h, d0 + 10 * h, d0, d1), { start: d0 + 9.5 * h, end: d0 + 10.5 * h });
  assertEquals(viewWindow(h, d0 + 60_000, d0, d1), { start: d0, end: d0 + h }, "clamped");
  assertEquals(viewWindow(h, d1 - 1, d0, d1), { start: d1 - h, end: d1 }, "clamped");
  const ticks = ticksFor(d0 + 9.5 * h, d0 + 10.5 * h, 600_000);
  assertEquals(ticks.map((t) => t.label), [
    "09:30",
    "09:40",
    "09:50",
    "10:00",
    "10:10",
    "10:20",
    "10:30",
  ]);
  assertEquals(ticks[0].left, 0);
  assertEquals(ticks[6].left, 100);
  // Activity: 10 s buckets; bars only where there was motion, the highest level of each.
  const levels = "0".repeat(360) + "3" + "0".repeat(5) + "9" + "0".repeat(8273);
  const a = { start: d0, bucketMs: 10_000, levels };
  assertEquals(activityBars(a, d0, d0 + h, 60), [], "the first hour had none");
  const bars = activityBars(a, d0 + h, d0 + 2 * h, 60); // 1 h in 60 bars of 6 buckets
  assertEquals(bars.map((b) => b.level), [3, 9]);
  assertEquals([bars[0].left, Math.round(bars[1].left * 1000)], [0, 1667], "1 min in: 1.667 %");
  assertEquals(activityBars(a, d0 + 2 * h, d0 + 3 * h), []);
});

Deno.test("motion events: the next starts after the position, the previous well before it", () => {
  const ev = (start: number) => ({
    id: String(start),
    start,
    end: start + 5000,
    score: 1,
    thumbnail: "",
  });
  const events = [ev(10_000), ev(60_000), ev(120_000)];
  assertEquals(stepEvent(0, events, 1), 10_000);
  assertEquals(stepEvent(10_000, events, 1), 60_000, "not the one playing");
  assertEquals(stepEvent(120_000, events, 1), undefined);
  assertEquals(stepEvent(61_000, events, -1), 10_000, "the one just started is skipped back over");
  assertEquals(stepEvent(70_000, events, -1), 60_000);
  assertEquals(stepEvent(5000, events, -1), undefined);
});

Deno.test("calendar keys: arrows by day and week, Home/End the week, Page Up/Down a month", () => {
  assertEquals(dayAfterKey("2026-03-14", "ArrowRight"), "2026-03-15");
  assertEquals(dayAfterKey("2026-03-01", "ArrowLeft"), "2026-02-28");
  assertEquals(dayAfterKey("2026-03-14", "ArrowDown"), "2026-03-21");
  assertEquals(dayAfterKey("2026-03-14", "Home"), "2026-03-09", "Monday");
  assertEquals(dayAfterKey("2026-03-14", "End"), "2026-03-15", "Sunday");
  assertEquals(dayAfterKey("2026-03-31", "PageUp"), "2026-02-28");
  assertEquals(dayAfterKey("2026-01-31", "PageDown"), "2026-02-28");
  assertEquals(dayAfterKey("2026-03-14", "Enter"), undefined);
});

Deno.test("error messages name fields as the forms label them", () => {
  assertEquals(labelled("iaddr has no host"), "Source URL has no host");
  assertEquals(
    labelled('iaddr scheme "ftp:" is not supported'),
    'Source URL scheme "ftp:" is not supported',
  );
  assertEquals(labelled("gid and seq must be numbers"), "Group and Number must be numbers");
  assertEquals(labelled("iaddrs are fine"), "iaddrs are fine", "whole words only");
  assertEquals(byField([{ field: "iaddr", message: "iaddr is not a valid URL" }]), {
    iaddr: "Source URL is not a valid URL",
  });
});

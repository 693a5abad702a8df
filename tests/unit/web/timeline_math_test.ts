import { assertEquals } from "../../support/assert.ts";
import {
  barOf,
  dayBounds,
  gapsOf,
  hourTicks,
  snapToRecorded,
  spansOf,
  stepSession,
  timeAtFraction,
} from "../../../src/web/client/timeline_math.ts";
import { monthCells } from "../../../src/web/client/calendar.tsx";
import { byField } from "../../../src/web/client/camera_form.tsx";
import { timeOn } from "../../../src/web/client/clip_export.tsx";
import type { SessionJson } from "../../../src/web/client/types.ts";

const local = (h: number, m = 0, s = 0) => new Date(2025, 2, 10, h, m, s).getTime();
const iso = (ms: number) => new Date(ms).toISOString();
const session = (spans: [number, number][], close: string | null): SessionJson => ({
  time: "000000",
  start: iso(spans[0][0]),
  end: iso(spans[spans.length - 1][1]),
  spans: spans.map(([a, b]) => [iso(a), iso(b)]),
  segments: 1,
  bytes: 1,
  open: false,
  close_reason: close,
  record_url: "",
});
const day = [
  session([[local(1), local(2)], [local(2, 30), local(3)]], "recording stopped"),
  session([[local(5), local(6)]], "recovered"),
  session([[local(8), local(9)]], null),
];

Deno.test("day bounds are local midnights", () => {
  const { start, end } = dayBounds("2025-03-10");
  assertEquals([start, end], [local(0), new Date(2025, 2, 11).getTime()]);
});

Deno.test("spans and gaps with reasons", () => {
  assertEquals(spansOf(day).map((s) => s.session), [0, 0, 1, 2]);
  assertEquals(gapsOf(day).map((g) => [g.start, g.end, g.reason]), [
    [local(2), local(2, 30), "camera offline"],
    [local(3), local(5), "recording off"],
    [local(6), local(8), "server down"],
  ]);
});

Deno.test("bars and clicks map the day both ways", () => {
  const { start, end } = dayBounds("2025-03-10");
  const b = barOf(local(6), local(12), start, end);
  assertEquals([Math.round(b.left), Math.round(b.width)], [25, 25]);
  assertEquals(timeAtFraction(0.5, start, end), local(12));
  assertEquals(timeAtFraction(2, start, end), end);
  assertEquals(barOf(start - 5000, start + 1000, start, end).left, 0);
  assertEquals(hourTicks(start, end, 6).map((t) => t.label), ["00", "06", "12", "18", "24"]);
});

Deno.test("a click in a gap plays the next recording; after the last, its tail", () => {
  const spans = spansOf(day);
  assertEquals(snapToRecorded(local(1, 10), spans), local(1, 10));
  assertEquals(snapToRecorded(local(4), spans), local(5));
  assertEquals(snapToRecorded(local(0), spans), local(1));
  assertEquals(snapToRecorded(local(23), spans), local(9) - 10_000);
  assertEquals(snapToRecorded(local(1), []), undefined);
});

Deno.test("stepping through sessions", () => {
  assertEquals(stepSession(local(1, 30), day, 1), local(5));
  assertEquals(stepSession(local(5, 30), day, -1), local(5));
  assertEquals(stepSession(local(5, 0, 2), day, -1), local(1));
  assertEquals(stepSession(local(8, 30), day, 1), undefined);
});

Deno.test("month cells start on Monday", () => {
  const cells = monthCells(2025, 2); // March 2025 starts on a Saturday
  assertEquals(cells.slice(0, 6), [null, null, null, null, null, 1]);
  assertEquals(cells.filter((c) => c !== null).length, 31);
});

Deno.test("field errors by name, and clip times", () => {
  assertEquals(byField([{ field: "b_gid", message: "x" }, { field: "seq,extra", message: "y" }]), {
    gid: "x",
    seq: "y",
    extra: "y",
  });
  assertEquals(timeOn(local(15), "10:20:30"), local(10, 20, 30));
  assertEquals(timeOn(local(15), "1020"), undefined);
});

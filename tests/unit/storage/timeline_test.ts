/**
 * The recorded timeline's one rule (src/storage/timeline.ts): where a discontinuity goes
 * and where spans split, for a session as it is written (addToSpans), repaired or pruned
 * (markTimeline).
 */
import {
  addToSpans,
  GAP_MS,
  jumps,
  markTimeline,
  type Span,
} from "../../../src/storage/timeline.ts";
import { assertEquals } from "../../support/assert.ts";

const T = Date.UTC(2026, 4, 10, 12);
const seg = (startS: number, durS: number, discontinuity?: boolean) => ({
  uri: `${startS}.ts`,
  startMs: T + startS * 1000,
  durationMs: durS * 1000,
  ...(discontinuity ? { discontinuity } : {}),
});

Deno.test("timeline: a jump beyond GAP_MS either way breaks it; rounding does not", () => {
  assertEquals(jumps(T, T + GAP_MS), false);
  assertEquals(jumps(T, T - GAP_MS), false);
  assertEquals(jumps(T, T + GAP_MS + 1), true);
  assertEquals(jumps(T, T - GAP_MS - 1), true, "an overlap after a clock step back");
});

Deno.test("timeline: markTimeline marks jumps and kept marks, never the first, and gives the spans", () => {
  const { segments, spans } = markTimeline([
    seg(0, 2, true), // a mark on the first segment is dropped: nothing precedes it
    seg(2, 2),
    seg(4.3, 2), // 300 ms late: within GAP_MS, same span
    seg(10, 2), // a hole
    seg(12, 2, true), // a new run that chains exactly: still a new span
    seg(14, 2),
  ]);
  assertEquals(segments.map((s) => s.discontinuity), [
    undefined,
    undefined,
    undefined,
    true,
    true,
    undefined,
  ]);
  assertEquals(spans, [[T, T + 6300], [T + 10_000, T + 12_000], [T + 12_000, T + 16_000]]);
  assertEquals(markTimeline([]), { segments: [], spans: [] });
});

Deno.test("timeline: addToSpans grows the last span or opens one, as a session appends", () => {
  const spans: Span[] = [];
  addToSpans(spans, seg(0, 2), false);
  addToSpans(spans, seg(2, 2), false);
  addToSpans(spans, seg(9, 1), true);
  assertEquals(spans, [[T, T + 4000], [T + 9000, T + 10_000]]);
  // The same segments through markTimeline give the same spans.
  assertEquals(markTimeline([seg(0, 2), seg(2, 2), seg(9, 1)]).spans, spans);
});

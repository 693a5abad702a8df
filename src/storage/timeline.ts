/**
 * The recorded timeline's one rule, for every place that lays segments end to end: a
 * session being written, a session repaired or pruned, and the day and export playlists
 * that join sessions. Two segments whose times are further apart than GAP_MS (a gap, or
 * an overlap after a clock step) are separated by a #EXT-X-DISCONTINUITY, and the
 * recorded spans split there. Pure functions.
 */

/**
 * The one tolerance of the timeline (ms). Segments of one run chain exactly (see
 * SegmentTimer), so it only absorbs rounding and old recordings' jitter.
 */
export const GAP_MS = 500;

/** A segment's place on the timeline. */
export interface Timed {
  startMs: number;
  durationMs: number;
  /** A gap or a new encoder run precedes this segment. */
  discontinuity?: boolean;
}

/** A continuous recorded span [startMs, endMs]. */
export type Span = [number, number];

/** A segment starting at `startMs` does not continue one that ended at `prevEndMs`. */
export const jumps = (prevEndMs: number, startMs: number): boolean =>
  Math.abs(startMs - prevEndMs) > GAP_MS;

/**
 * Whether the segment `s` starts a new span after `spans` (never the first one): it jumps
 * from the last span's end, or `cut` says it must (a new run, a marked discontinuity).
 */
export function breaksSpan(spans: readonly Span[], s: Timed, cut = false): boolean {
  const last = spans.at(-1);
  return last !== undefined && (cut || jumps(last[1], s.startMs));
}

/** Adds `s` to `spans` in place: a new span after a break (or as the first), else the last grows. */
export function addToSpans(spans: Span[], s: Timed, breaks: boolean): void {
  const end = s.startMs + s.durationMs;
  if (spans.length === 0 || breaks) spans.push([s.startMs, end]);
  else spans[spans.length - 1][1] = end;
}

/**
 * The segments of one recording (in time order) with their discontinuities (a marked one
 * kept, a jump added, never on the first), and its continuous spans.
 */
export function markTimeline<T extends Timed>(segments: T[]): { segments: T[]; spans: Span[] } {
  const spans: Span[] = [];
  const marked = segments.map((s) => {
    const breaks = breaksSpan(spans, s, !!s.discontinuity);
    addToSpans(spans, s, breaks);
    return { ...s, discontinuity: breaks || undefined };
  });
  return { segments: marked, spans };
}

/**
 * Joins recordings (each list in time order, the lists in order of their start) into one
 * timeline where a time maps to one segment: a DISCONTINUITY where a list starts, where
 * one was marked, and wherever the times jump by more than GAP_MS. Sessions overlap only
 * after the wall clock stepped back: a segment that starts more than GAP_MS before the
 * previous one ends is left out (its session's own playlist still lists it); one that
 * overlaps by less is listed from the previous end (its time moves by under GAP_MS).
 */
export function joinTimeline<T extends Timed>(lists: T[][]): T[] {
  const out: T[] = [];
  let prevEnd: number | undefined;
  for (const list of lists) {
    let cut = true; // a new list, or a segment left out before this one
    for (const seg of list) {
      let s = seg;
      if (prevEnd !== undefined && s.startMs < prevEnd) {
        if (prevEnd - s.startMs > GAP_MS) {
          cut = true;
          continue;
        }
        s = { ...s, startMs: prevEnd };
      }
      const jump = prevEnd !== undefined && jumps(prevEnd, s.startMs);
      const discontinuity = out.length > 0 && (cut || jump || !!s.discontinuity);
      out.push({ ...s, discontinuity: discontinuity || undefined });
      prevEnd = s.startMs + s.durationMs;
      cut = false;
    }
  }
  return out;
}

/**
 * Motion-only keeping as pure decisions: which recorded segments of a camera are needed
 * by its motion events, and from when a camera keeps only those. Two rules lead there:
 * `record_mode: "motion"` (everything but motion is removed soon after it can no longer
 * become a pre-roll) and the retention tier `continuous_days` (everything is kept that
 * many days, then only motion until `max_age_days`). The cleaner (cleaner.ts) acts.
 */

/**
 * How long after its end a segment may still become an event's pre-roll: the detector
 * reports an onset within a few seconds (a keyframe interval plus its decision), so a
 * segment is not judged before this: 5 segment lengths, at least 10 s.
 */
export const holdMs = (segmentSeconds: number) => Math.max(10_000, 5 * segmentSeconds * 1000);
/** The hold when the segment length is unknown. */
export const HOLD_MS = 30_000;
/** The segment before an onset's is its pre-roll when it ends at most this before it. */
export const PRE_ROLL_GAP_MS = 2_000;
export const DEFAULT_POST_ROLL_SECONDS = 10;
const DAY_MS = 86_400_000;

export type RecordMode = "continuous" | "motion";

/** A camera's motion-only rules (its settings). */
export interface MotionRule {
  recordMode?: RecordMode;
  postRollSeconds?: number;
  /** Retention tier: days kept whole before only motion is kept. */
  continuousDays?: number;
}

/**
 * The instant before which the camera keeps only motion (segments ending at or before it
 * are judged), or undefined when it keeps everything: `now − hold` in motion mode,
 * `now − continuous_days` with a tier, the later of both.
 */
export function motionOnlyBefore(
  now: number,
  rule: MotionRule | undefined,
  hold = HOLD_MS,
): number | undefined {
  const cuts: number[] = [];
  if (rule?.recordMode === "motion") cuts.push(now - hold);
  if (rule?.continuousDays !== undefined) cuts.push(now - rule.continuousDays * DAY_MS);
  return cuts.length ? Math.max(...cuts) : undefined;
}

export interface TimedName {
  name: string;
  startMs: number;
  durationMs: number;
}

/**
 * Names of the segments (sorted by start) that motion-only keeping removes: those ending
 * at or before `before` that no event needs. An event needs every segment overlapping
 * [start, end + post-roll) (an open event: everything from its start), and its pre-roll:
 * the segment before the one that holds (or follows) its onset, when it ends at most
 * PRE_ROLL_GAP_MS before that one's start or the onset. Pure.
 */
export function unneededSegments(
  segments: TimedName[],
  events: { start: number; end?: number }[],
  postRollMs: number,
  before: number,
): Set<string> {
  const needed = new Uint8Array(segments.length);
  const ends = segments.map((s) => s.startMs + s.durationMs);
  for (const e of events) {
    const hi = e.end === undefined ? Infinity : e.end + postRollMs;
    // First segment ending after the onset (binary search: segments are sorted).
    let lo = 0, up = segments.length;
    while (lo < up) {
      const mid = (lo + up) >> 1;
      if (ends[mid] > e.start) up = mid;
      else lo = mid + 1;
    }
    const j = lo;
    if (j > 0) {
      const anchor = j < segments.length ? Math.min(segments[j].startMs, e.start) : e.start;
      if (anchor - ends[j - 1] <= PRE_ROLL_GAP_MS) needed[j - 1] = 1;
    }
    for (let i = j; i < segments.length && segments[i].startMs < hi; i++) needed[i] = 1;
  }
  const out = new Set<string>();
  segments.forEach((s, i) => {
    if (!needed[i] && ends[i] <= before) out.add(s.name);
  });
  return out;
}

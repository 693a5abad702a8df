/**
 * Pure math of the 24-hour timeline: where spans and gaps sit on a day, what a
 * click means, and which session comes next. Times are epoch ms; a day is the
 * local day [dayStart, dayEnd) (23 or 25 hours on daylight-saving days).
 */
import type { SessionJson, Where } from "./types.ts";

export interface Span {
  start: number;
  end: number;
  /** Index of the session that holds the span. */
  session: number;
  /** Where it is kept (undefined: local). */
  where?: Where;
}

export interface Gap {
  start: number;
  end: number;
  reason: string;
}

export interface Bar {
  /** Percent of the day from the left edge, and width in percent. */
  left: number;
  width: number;
}

/** Local midnight of a `YYYY-MM-DD` date, and of the next day. */
export function dayBounds(date: string): { start: number; end: number } {
  const [y, m, d] = date.split("-").map(Number);
  return { start: new Date(y, m - 1, d).getTime(), end: new Date(y, m - 1, d + 1).getTime() };
}

/** The sessions' recorded spans, split where their storage changes (when the server says). */
export function spansOf(sessions: SessionJson[]): Span[] {
  const out: Span[] = [];
  sessions.forEach((s, i) => {
    if (s.storage?.length) {
      for (const x of s.storage) {
        out.push({
          start: Date.parse(x.start),
          end: Date.parse(x.end),
          session: i,
          where: x.where,
        });
      }
    } else {
      for (const [a, b] of s.spans) {
        out.push({ start: Date.parse(a), end: Date.parse(b), session: i });
      }
    }
  });
  return out.sort((a, b) => a.start - b.start);
}

/** Why nothing was recorded after a session ended, from its close reason. */
export function gapReason(closeReason: string | null | undefined): string {
  switch (closeReason) {
    case "recording stopped":
      return "recording off";
    case "recovered":
      return "server down";
    case "camera stopped":
      return "camera stopped";
    default:
      return "no recording";
  }
}

/** The holes between spans (from the day's first to last recording) with reasons. */
export function gapsOf(sessions: SessionJson[], minMs = 1500): Gap[] {
  const spans = spansOf(sessions);
  const gaps: Gap[] = [];
  for (let i = 1; i < spans.length; i++) {
    const prev = spans[i - 1], next = spans[i];
    if (next.start - prev.end < minMs) continue;
    const reason = prev.session === next.session
      ? "camera offline"
      : gapReason(sessions[prev.session].close_reason);
    gaps.push({ start: prev.end, end: next.start, reason });
  }
  return gaps;
}

/** Position of [start, end) on the day, in percent, clipped to the day. */
export function barOf(start: number, end: number, dayStart: number, dayEnd: number): Bar {
  const len = dayEnd - dayStart;
  const a = Math.max(start, dayStart), b = Math.min(end, dayEnd);
  return { left: ((a - dayStart) / len) * 100, width: (Math.max(0, b - a) / len) * 100 };
}

/** The instant at a fraction (0..1) of the day. */
export function timeAtFraction(f: number, dayStart: number, dayEnd: number): number {
  return dayStart + Math.min(1, Math.max(0, f)) * (dayEnd - dayStart);
}

export function fractionOf(ms: number, dayStart: number, dayEnd: number): number {
  return Math.min(1, Math.max(0, (ms - dayStart) / (dayEnd - dayStart)));
}

/**
 * Where playback should start for a wanted instant: inside a span as is; in a gap
 * or before the first span, the next span's start; after the last, its last
 * `tailMs` (so "click at the end" still shows something). Undefined with no spans.
 */
export function snapToRecorded(ms: number, spans: Span[], tailMs = 10_000): number | undefined {
  if (spans.length === 0) return undefined;
  for (const s of spans) {
    if (ms < s.start) return s.start;
    if (ms < s.end) return ms;
  }
  const last = spans[spans.length - 1];
  return Math.max(last.start, last.end - tailMs);
}

/** Index of the session playing at `ms` (or the last one that started before it). */
export function sessionAt(ms: number, sessions: SessionJson[]): number {
  let found = -1;
  sessions.forEach((s, i) => {
    if (Date.parse(s.start) <= ms) found = i;
  });
  return found;
}

/** Start of the next (step = 1) or previous (step = -1) session from `ms`. */
export function stepSession(ms: number, sessions: SessionJson[], step: 1 | -1): number | undefined {
  const i = sessionAt(ms, sessions);
  const starts = sessions.map((s) => Date.parse(s.start));
  if (step === 1) return i + 1 < sessions.length ? starts[i + 1] : undefined;
  // Back: to the start of the current session when well into it, else the previous one.
  if (i >= 0 && ms - starts[i] > 5000) return starts[i];
  return i > 0 ? starts[i - 1] : undefined;
}

/** Hour labels for the axis: every `every` hours from local midnight. */
export function hourTicks(dayStart: number, dayEnd: number, every: number) {
  const ticks: { label: string; left: number }[] = [];
  const d = new Date(dayStart);
  for (let h = 0; h <= 24; h += every) {
    const t = new Date(d.getFullYear(), d.getMonth(), d.getDate(), h).getTime();
    if (t > dayEnd) break;
    ticks.push({ label: String(h).padStart(2, "0"), left: fractionOf(t, dayStart, dayEnd) * 100 });
  }
  return ticks;
}

/** A timeline thumbnail: the instant it shows and its URL. */
export interface Thumb {
  ms: number;
  url: string;
}

/** Index of the last thumbnail at or before `ms` (thumbs sorted by time), or -1. */
export function thumbBefore(ms: number, thumbs: Thumb[]): number {
  let lo = 0, hi = thumbs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (thumbs[mid].ms <= ms) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** Index of the thumbnail nearest to `ms`, if it is at most `maxMs` away, else -1. */
export function thumbNear(ms: number, thumbs: Thumb[], maxMs: number): number {
  const i = thumbBefore(ms, thumbs);
  const dist = (j: number) => j >= 0 && j < thumbs.length ? Math.abs(thumbs[j].ms - ms) : Infinity;
  const best = dist(i + 1) < dist(i) ? i + 1 : i;
  return dist(best) <= maxMs ? best : -1;
}

/**
 * How far from a thumbnail the pointer may be and still preview it: the usual
 * spacing of the day's thumbnails (median), never under 10 minutes.
 */
export function thumbReach(thumbs: Thumb[]): number {
  const gaps = thumbs.slice(1).map((t, i) => t.ms - thumbs[i].ms).sort((a, b) => a - b);
  return Math.max(600_000, gaps.length ? gaps[gaps.length >> 1] : 0);
}

/** The timeline's zoom levels: the whole day, an hour, ten minutes. */
export const ZOOMS = [
  { label: "24 h", ms: 24 * 3_600_000, tickMs: 3 * 3_600_000, keyMs: 60_000 },
  { label: "1 h", ms: 3_600_000, tickMs: 10 * 60_000, keyMs: 10_000 },
  { label: "10 min", ms: 600_000, tickMs: 60_000, keyMs: 1000 },
];

/** The part of the day shown at a zoom of `spanMs` around `center`, kept inside the day. */
export function viewWindow(spanMs: number, center: number, dayStart: number, dayEnd: number) {
  if (spanMs >= dayEnd - dayStart) return { start: dayStart, end: dayEnd };
  const start = Math.min(dayEnd - spanMs, Math.max(dayStart, center - spanMs / 2));
  return { start, end: start + spanMs };
}

/** Axis labels `HH:MM` every `stepMs` (whole minutes) of local time inside [start, end]. */
export function ticksFor(start: number, end: number, stepMs: number) {
  const out: { label: string; left: number }[] = [];
  const d = new Date(start);
  const step = stepMs / 60_000;
  const p2 = (n: number) => String(n).padStart(2, "0");
  const now = d.getHours() * 60 + d.getMinutes() + d.getSeconds() / 60 + d.getMilliseconds() / 6e4;
  for (let m = Math.ceil(now / step) * step; out.length < 100; m += step) {
    const t = new Date(d.getFullYear(), d.getMonth(), d.getDate(), 0, m).getTime();
    if (t > end) break;
    const x = new Date(t);
    out.push({
      label: `${p2(x.getHours())}:${p2(x.getMinutes())}`,
      left: fractionOf(t, start, end) * 100,
    });
  }
  return out;
}

/** A day's motion activity (GET …/activity): one level '0'–'9' per bucket from `start`. */
export interface Activity {
  start: number;
  bucketMs: number;
  levels: string;
}

/**
 * Bars of motion activity inside [from, to): at most `maxBars` bars, each the highest level
 * of the buckets it covers, only where there was motion. `left`/`width` in percent.
 */
export function activityBars(a: Activity, from: number, to: number, maxBars = 240) {
  const bars: { left: number; width: number; level: number }[] = [];
  const first = Math.max(0, Math.floor((from - a.start) / a.bucketMs));
  const last = Math.min(a.levels.length, Math.ceil((to - a.start) / a.bucketMs));
  const per = Math.max(1, Math.ceil((last - first) / maxBars));
  for (let i = first; i < last; i += per) {
    let level = 0;
    for (let j = i; j < Math.min(last, i + per); j++) level = Math.max(level, +a.levels[j] || 0);
    if (level === 0) continue;
    const b = barOf(a.start + i * a.bucketMs, a.start + (i + per) * a.bucketMs, from, to);
    bars.push({ ...b, level });
  }
  return bars;
}

/**
 * Motion events as data (pure part): the JSON lines of an event file, folding them into
 * events, which events overlap a span, and a day's activity in 10 s buckets.
 * The files themselves are handled by `event_store.ts`; see docs/storage.md ("Motion
 * events") for the layout and what survives a crash.
 */
import type { MotionEventData } from "../events.ts";

/** One stored motion event (epoch ms). `end` undefined while it lasts. */
export interface MotionEvent extends Omit<MotionEventData, "peak"> {
  /** When the score peaked (the thumbnail's moment); `start` when unknown. */
  peak: number;
  /** Time of the event's last line (its last update). */
  lastAt: number;
}

/** One line of an event file: the event as it was at `at`, and what happened. */
export interface EventLine extends MotionEventData {
  phase: "start" | "update" | "end";
  at: number;
  /** Written at start-up for an event left open by a crash. */
  repaired?: true;
}

/** Event ids name files (`{id}.jpg`): letters, digits, `-`, `_`, at most 64. */
export const EVENT_ID_RE = /^[A-Za-z0-9_-]{1,64}$/;
/** An event day file: `{YYYY-MM-DD}.jsonl` (the local day of the events' start). */
export const EVENT_FILE_RE = /^(\d{4}-\d{2}-\d{2})\.jsonl$/;
export const BUCKET_MS = 10_000;

const finite = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const unit = (v: unknown) => finite(v) ? Math.min(1, Math.max(0, v)) : 0;

/** Parses an event file; a torn or foreign line (a crash mid-append) is skipped. */
export function parseEventLines(text: string): EventLine[] {
  const out: EventLine[] = [];
  for (const raw of text.split("\n")) {
    if (!raw.trim()) continue;
    let v;
    try {
      v = JSON.parse(raw);
    } catch (err) {
      if (err instanceof SyntaxError) continue; // torn line
      throw err;
    }
    if (!v || !["start", "update", "end"].includes(v.phase)) continue;
    if (!finite(v.at) || !finite(v.start) || typeof v.id !== "string") continue;
    if (!EVENT_ID_RE.test(v.id)) continue;
    const box = Array.isArray(v.box) && v.box.length === 4 ? v.box.map(unit) : [0, 0, 0, 0];
    out.push({
      phase: v.phase,
      at: v.at,
      id: v.id,
      start: v.start,
      ...(finite(v.end) ? { end: v.end } : {}),
      score: unit(v.score),
      box: box as EventLine["box"],
      ...(finite(v.peak) ? { peak: v.peak } : {}),
      ...(v.repaired === true ? { repaired: true as const } : {}),
    });
  }
  return out;
}

/** One line as written (JSON plus a newline). */
export function eventLine(l: EventLine): string {
  return JSON.stringify(l) + "\n";
}

/**
 * Folds lines into events, in order of start. The first line of an id sets its start;
 * the score is the highest seen (with its peak and box); an `end` line ends it (the
 * end is never before the start); lines after the end are ignored.
 */
export function foldEvents(lines: EventLine[]): MotionEvent[] {
  const map = new Map<string, MotionEvent>();
  for (const l of lines) {
    const e = map.get(l.id);
    if (!e) {
      map.set(l.id, {
        id: l.id,
        start: l.start,
        score: l.score,
        box: l.box,
        peak: l.peak ?? l.start,
        lastAt: l.at,
        ...(l.phase === "end" ? { end: Math.max(l.start, l.end ?? l.at) } : {}),
      });
      continue;
    }
    if (e.end !== undefined) continue;
    e.lastAt = Math.max(e.lastAt, l.at);
    if (l.score >= e.score) {
      e.score = l.score;
      e.box = l.box;
      e.peak = l.peak ?? e.peak;
    }
    if (l.phase === "end") e.end = Math.max(e.start, l.end ?? l.at);
  }
  return [...map.values()].sort((a, b) => a.start - b.start || (a.id < b.id ? -1 : 1));
}

/** The end used for queries: its end, else `now` while it lasts. */
export const endOr = (e: MotionEvent, now: number) => e.end ?? Math.max(e.start, now);

/** Events overlapping [fromMs, toMs) (one lasting reaches `now`). */
export function eventsOverlapping(
  events: MotionEvent[],
  fromMs: number,
  toMs: number,
  now: number,
): MotionEvent[] {
  return events.filter((e) => e.start < toMs && endOr(e, now) >= fromMs);
}

/**
 * A score as one activity digit '1'..'9': `ceil(9·√score)` (a tenth of the picture is
 * about '3', a quarter '5', all of it '9'), at least '1' for any motion.
 */
export function scoreLevel(score: number): string {
  return String(Math.min(9, Math.max(1, Math.ceil(9 * Math.sqrt(unit(score)) - 1e-9))));
}

/**
 * A day's activity from `dayStart` to `dayEnd` (local midnights: 23 or 25 h on DST
 * days) in 10 s buckets: one character each, '0' for none, else the highest level of
 * the events overlapping it. Pure.
 */
export function activityLevels(
  events: MotionEvent[],
  dayStart: number,
  dayEnd: number,
  now: number,
): string {
  const n = Math.max(0, Math.round((dayEnd - dayStart) / BUCKET_MS));
  const levels = new Uint8Array(n);
  for (const e of events) {
    const from = Math.max(e.start, dayStart);
    const to = Math.min(endOr(e, now), dayEnd);
    if (to < from) continue;
    const level = Number(scoreLevel(e.score));
    const first = Math.floor((from - dayStart) / BUCKET_MS);
    const last = Math.min(n - 1, Math.floor((Math.max(from, to - 1) - dayStart) / BUCKET_MS));
    for (let i = Math.max(0, first); i <= last; i++) levels[i] = Math.max(levels[i], level);
  }
  let s = "";
  for (let i = 0; i < n; i++) s += String(levels[i]);
  return s;
}

/** Local midnight of `date` (YYYY-MM-DD) and of the next day, epoch ms (process time zone). */
export function localDayBounds(date: string): { start: number; end: number } {
  const [y, m, d] = date.split("-").map(Number);
  return { start: new Date(y, m - 1, d).getTime(), end: new Date(y, m - 1, d + 1).getTime() };
}

/**
 * The end an event left open by a crash gets at start-up: the later of its last line
 * and the camera's last recorded segment end (the motion went on while it recorded), but
 * at most `REPAIR_CAP_MS` after its last line; never before its start.
 */
export function repairedEnd(e: MotionEvent, lastSegmentEnd?: number): number {
  const seg = lastSegmentEnd !== undefined && lastSegmentEnd > e.start
    ? Math.min(lastSegmentEnd, e.lastAt + REPAIR_CAP_MS)
    : 0;
  return Math.max(e.start, e.lastAt, seg);
}

export const REPAIR_CAP_MS = 5 * 60_000;

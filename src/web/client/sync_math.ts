/**
 * Pure parts of synchronized review: one master clock for every tile, the mapping
 * between wall-clock instants and a player's media timeline through each segment's
 * PROGRAM-DATE-TIME, and how a tile corrects its drift (seek when far, nudge the
 * playback rate when near). Times are epoch ms; media positions are seconds.
 */

/** One segment of a loaded playlist: media start and duration (s), PROGRAM-DATE-TIME (ms). */
export interface Frag {
  start: number;
  duration: number;
  pdt: number;
}

/** Speeds the review offers (Chromium plays up to 16x). */
export const REVIEW_SPEEDS = [0.5, 1, 2, 4, 8, 16];

/**
 * The master clock: an instant that advances at `rate` while playing, from an anchor.
 * `now` is a monotonic clock in ms (performance.now in the browser).
 */
export class SyncClock {
  #anchorMs: number;
  #anchorAt: number;
  #rate = 1;
  #playing = false;
  constructor(startMs: number, private readonly now: () => number) {
    this.#anchorMs = startMs;
    this.#anchorAt = now();
  }
  /** The instant the tiles should show at monotonic time `at` (default: now). */
  time(at = this.now()): number {
    return this.#playing ? this.#anchorMs + (at - this.#anchorAt) * this.#rate : this.#anchorMs;
  }
  get rate(): number {
    return this.#rate;
  }
  get playing(): boolean {
    return this.#playing;
  }
  #reanchor(ms = this.time()) {
    this.#anchorMs = ms;
    this.#anchorAt = this.now();
  }
  seek(ms: number): void {
    this.#reanchor(ms);
  }
  setRate(rate: number): void {
    this.#reanchor();
    this.#rate = rate;
  }
  play(): void {
    this.#reanchor();
    this.#playing = true;
  }
  pause(): void {
    this.#reanchor();
    this.#playing = false;
  }
}

/** Index of the segment holding media position `pos` (s), or -1. */
function fragAtPosition(pos: number, frags: Frag[]): number {
  let lo = 0, hi = frags.length - 1, found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (frags[mid].start <= pos + 1e-6) [found, lo] = [mid, mid + 1];
    else hi = mid - 1;
  }
  return found;
}

/** The wall-clock instant of media position `pos`, or undefined outside the segments. */
export function instantOf(pos: number, frags: Frag[]): number | undefined {
  const i = fragAtPosition(pos, frags);
  if (i < 0) return undefined;
  const f = frags[i];
  // Past the segment's end (the last one, or a rounding at a boundary): still its time line.
  if (pos > f.start + f.duration + 0.5) return undefined;
  return f.pdt + (pos - f.start) * 1000;
}

/**
 * The media position (s) showing instant `ms`: inside a segment, its offset there;
 * in a hole between segments or outside the list, undefined (no recording there).
 */
export function positionOf(ms: number, frags: Frag[]): number | undefined {
  let lo = 0, hi = frags.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const f = frags[mid];
    if (ms < f.pdt) hi = mid - 1;
    else if (ms >= f.pdt + f.duration * 1000) lo = mid + 1;
    else return f.start + (ms - f.pdt) / 1000;
  }
  return undefined;
}

/** What a tile does to follow the master clock. */
export type Correction =
  | { kind: "seek"; pos: number }
  | { kind: "rate"; rate: number }
  | { kind: "none" };

/** Beyond this drift a playing tile seeks; below it, it plays a little faster or slower. */
export const SEEK_DRIFT_MS = 400;
/** Drift a playing tile tolerates before nudging its rate (well inside the ±100 ms goal). */
export const NUDGE_DRIFT_MS = 15;
/** Rate change per second of drift: 80 ms off plays 16 % faster or slower until caught up. */
const GAIN = 2;
/** The browser's playback rates. */
const MIN_RATE = 0.0625, MAX_RATE = 16;

/**
 * How a tile showing `frameMs` follows the master instant `wantMs`, at `pos` (the media
 * position of `wantMs`): paused, it seeks to the exact frame; playing, it seeks when far
 * off and otherwise changes its rate in proportion to the drift, back to `rate` when on time.
 */
export function correction(
  frameMs: number,
  wantMs: number,
  pos: number,
  rate: number,
  playing: boolean,
  currentRate: number,
): Correction {
  const drift = frameMs - wantMs;
  if (!playing) return Math.abs(drift) > 5 ? { kind: "seek", pos } : { kind: "none" };
  if (Math.abs(drift) > SEEK_DRIFT_MS * Math.max(1, rate / 2)) return { kind: "seek", pos };
  const factor = Math.abs(drift) <= NUDGE_DRIFT_MS
    ? 1
    : Math.min(1.5, Math.max(0.5, 1 - (drift / 1000) * GAIN));
  const want = Math.min(MAX_RATE, Math.max(MIN_RATE, rate * factor));
  return Math.abs(want - currentRate) > 0.005 ? { kind: "rate", rate: want } : { kind: "none" };
}

/** `{gid}-{seq}` list of a review URL: 2 to 9 distinct cameras, in order. */
export function parseCams(text: string | undefined | null, max = 9): string[] {
  const out: string[] = [];
  for (const c of (text ?? "").split(",")) {
    if (/^\d{1,9}-\d{1,9}$/.test(c) && !out.includes(c) && out.length < max) out.push(c);
  }
  return out;
}

/** The review URL of a moment. */
export function reviewUrl(cams: string[], ms: number): string {
  return `/review?cams=${cams.join(",")}&t=${new Date(Math.round(ms)).toISOString()}`;
}

/**
 * The start of an on-demand muxer's stream, trimmed to the latest keyframe (pure; times
 * come from the caller's monotonic clock). The recording child's sink gives a new reader
 * the last few seconds at once (`sync-method=burst`, live/tap.ts): gdppay's buffers carry
 * no keyframe flag, so the sink cannot start the burst at a keyframe itself, and the burst
 * may hold an older keyframe or two. The muxer turns it into fragments within a few ms;
 * while they come that fast this holds only the fragments since the latest keyframe, and
 * hands them on when the stream slows to the camera's pace (the first read `gapMs` after
 * the previous one) or after `maxHoldMs`. Viewers then start at the newest keyframe
 * instead of seconds behind.
 */
import type { Fragment } from "./fmp4.ts";

/** A read this long after the previous one means the burst is over (a frame at 60 fps: 16 ms). */
export const BURST_GAP_MS = 12;
/** Never hold longer than this after the first fragment. */
export const BURST_MAX_HOLD_MS = 1_000;

export class BurstTrim {
  #holding = true;
  #pending: Fragment[] = [];
  #firstAt?: number;
  #lastReadAt?: number;

  constructor(readonly gapMs = BURST_GAP_MS, readonly maxHoldMs = BURST_MAX_HOLD_MS) {}

  /** Whether it still holds back (the burst is not over). */
  get holding(): boolean {
    return this.#holding;
  }

  /**
   * Called for each read of the muxer's stdout, before its fragments: returns the held
   * fragments (from the latest keyframe) once the burst is over, else nothing.
   */
  read(now: number): Fragment[] {
    const last = this.#lastReadAt;
    this.#lastReadAt = now;
    if (!this.#holding || this.#firstAt === undefined || last === undefined) return [];
    if (now - last < this.gapMs && now - this.#firstAt < this.maxHoldMs) return [];
    this.#holding = false;
    const out = this.#pending;
    this.#pending = [];
    return out;
  }

  /** A fragment of the current read: returned to pass on, or held (undefined). */
  fragment(f: Fragment, now: number): Fragment | undefined {
    if (!this.#holding) return f;
    this.#firstAt ??= now;
    if (f.key) this.#pending = [f];
    else if (this.#pending.length > 0) this.#pending.push(f);
    return undefined;
  }
}

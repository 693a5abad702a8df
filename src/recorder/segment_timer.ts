/**
 * Turns splitmuxsink's fragment messages into segments with wall-clock times. Pure.
 *
 * GStreamer reports running times (ns since the pipeline started playing). Two clocks
 * place them on the wall clock, each checked on its own:
 *
 * - **Monotonic base** (when running time 0 was, on the monotonic clock, minus the
 *   jitter-buffer latency). A message can only come late, never early: by up to a GOP
 *   (splitmuxsink decides a fragment's end once the next GOP is whole) or by however long
 *   a busy box takes to run gst-launch and read its output. So the base is the earliest
 *   estimate of the first messages of a run, and lateness never moves it. Only a lag that
 *   persists (`persistMs`, a minute: every message later than a segment plus `stepMs`, as when the
 *   camera's timestamps run slow) or a message early by more than `stepMs` (they run fast)
 *   re-anchors it. Scheduling delay is transient, so it cannot.
 * - **Wall offset** (wall − monotonic). It changes only when the wall clock itself steps
 *   (NTP, an operator): by more than `stepMs`, the new offset applies. A step back is the
 *   only way a segment can start before the previous one ended (see `steppedBack`).
 *
 * Segments of a run chain exactly (start = previous end), rounding included. A new run,
 * or a base moved back by under `catchUpMs`, never starts before the previous segment
 * ended: it is placed right after it (so a time maps to one segment).
 */

/** Smallest wall-clock step or timestamp drift that moves recorded times (ms). */
export const STEP_MS = 1000;

export interface TimedSegment {
  location: string;
  startMs: number;
  durationMs: number;
  /** First segment of a gst-launch run: a discontinuity precedes it. */
  newRun: boolean;
}

export class SegmentTimer {
  /** Monotonic ms at running time 0 of this run (latency taken off). */
  #base = NaN;
  /** wall − monotonic (ms) the times use. */
  #offset = NaN;
  #openRt?: number;
  #newRun = true;
  /** A segment of this run was timed (the base is settled). */
  #timed = false;
  /** Wall end of the last segment timed (any run). */
  #lastEnd?: number;
  /** The wall clock stepped back since the last segment was timed. */
  #steppedBack = false;
  /** Duration of the last closed fragment: the most a later message may lag. */
  #lastDurationMs = 0;
  /** How late messages come at least (the run's smallest lag), kept when re-anchoring. */
  #lagMs?: number;
  /** Since when (monotonic) every message came later than expected, and by how much at least. */
  #late?: { since: number; minLag: number };
  /** Segments closed in the current run. */
  segments = 0;
  /** Times the base moved to follow the camera's timestamps (drift corrections). */
  reanchors = 0;
  /** Wall-clock steps seen. */
  steps = 0;

  constructor(
    readonly latencyMs: number,
    readonly stepMs = STEP_MS,
    readonly persistMs = 60_000,
    readonly catchUpMs = 5 * STEP_MS,
  ) {}

  /** A new gst-launch run starts: its running times start again from zero. */
  newRun(): void {
    this.#base = NaN;
    this.#openRt = undefined;
    this.#newRun = true;
    this.#timed = false;
    this.#lastDurationMs = 0;
    this.#lagMs = undefined;
    this.#late = undefined;
    this.segments = 0;
  }

  /** A fragment is being written (one is, whenever the camera streams). */
  get writing(): boolean {
    return this.#openRt !== undefined;
  }

  /** A message about running time `rtMs` came at wall time `now`, monotonic `mono`. */
  #sample(rtMs: number, now: number, mono: number): void {
    const offset = now - mono;
    if (Number.isNaN(this.#offset)) this.#offset = offset;
    else if (Math.abs(offset - this.#offset) > this.stepMs) {
      if (offset < this.#offset) this.#steppedBack = true;
      this.#offset = offset;
      this.steps++;
    }
    const base = mono - this.latencyMs - rtMs;
    if (Number.isNaN(this.#base) || (!this.#timed && base < this.#base)) {
      this.#base = base;
      return;
    }
    if (!this.#timed) return;
    const lag = base - this.#base;
    if (lag < -this.stepMs) {
      // Early: the camera's timestamps run fast (or the base was late). Follow them.
      this.#base = base - (this.#lagMs ?? 0);
      this.reanchors++;
      this.#late = undefined;
    } else if (lag <= this.#lastDurationMs + this.stepMs) {
      this.#lagMs = Math.min(this.#lagMs ?? Infinity, Math.max(0, lag));
      this.#late = undefined;
    } else if (!this.#late) this.#late = { since: mono, minLag: lag };
    else {
      // Late every time for a while: the camera's timestamps run slow, not a busy box.
      this.#late.minLag = Math.min(this.#late.minLag, lag);
      if (mono - this.#late.since >= this.persistMs) {
        this.#base += this.#late.minLag - (this.#lagMs ?? 0);
        this.reanchors++;
        this.#late = undefined;
      }
    }
  }

  opened(runningTimeNs: number, now: number, mono: number): void {
    const rtMs = runningTimeNs / 1e6;
    this.#sample(rtMs, now, mono);
    this.#openRt = rtMs;
  }

  closed(
    location: string,
    runningTimeNs: number,
    now: number,
    mono: number,
  ): TimedSegment | undefined {
    if (this.#openRt === undefined) return undefined;
    const rtMs = runningTimeNs / 1e6;
    this.#sample(rtMs, now, mono);
    let startMs = Math.round(this.#base + this.#offset + this.#openRt);
    let endMs = Math.max(startMs + 1, Math.round(this.#base + this.#offset + rtMs));
    const last = this.#lastEnd;
    if (
      last !== undefined && startMs < last && !this.#steppedBack && last - startMs <= this.catchUpMs
    ) {
      // Not a clock step: an estimate that improved. Keep the timeline one segment deep.
      endMs += last - startMs;
      startMs = last;
    }
    const segment = { location, startMs, durationMs: endMs - startMs, newRun: this.#newRun };
    this.#openRt = undefined;
    this.#lastDurationMs = segment.durationMs;
    this.#lastEnd = endMs;
    this.#steppedBack = false;
    this.#newRun = false;
    this.#timed = true;
    this.segments++;
    return segment;
  }
}

/**
 * Turns splitmuxsink's fragment messages into segments with wall-clock times. Pure.
 *
 * GStreamer reports running times (ns since the pipeline started playing). The first
 * fragment of a run anchors them to the wall clock (minus the jitter-buffer latency):
 * its message comes at once. Later fragments follow the running time, so their times
 * chain exactly. Their messages can only come late, never early: by up to a GOP (with
 * whole-frame buffers splitmuxsink reports a fragment once it holds the GOP that starts
 * it), or by however long a busy server takes to read them. Up to a segment of such lag
 * is expected, not drift. Beyond it plus `maxDriftMs`, or earlier than the anchor by
 * `maxDriftMs` (a camera whose timestamps run slow or fast, a clock step), the anchor
 * moves, so recorded times never wander off.
 */

export interface TimedSegment {
  location: string;
  startMs: number;
  durationMs: number;
  /** First segment of a gst-launch run: a discontinuity precedes it. */
  newRun: boolean;
}

export class SegmentTimer {
  #anchor = NaN;
  #openRt?: number;
  #newRun = true;
  /** Duration of the last closed fragment: the most a later message may lag. */
  #lastDurationMs = 0;
  /** How late fragment messages come at least (the run's smallest lag), kept when re-anchoring. */
  #lagMs?: number;
  /** Segments closed in the current run. */
  segments = 0;
  /** Times the anchor moved to follow the wall clock (drift corrections). */
  reanchors = 0;

  constructor(readonly latencyMs: number, readonly maxDriftMs = 1000) {}

  /** A new gst-launch run starts: its running times start again from zero. */
  newRun(): void {
    this.#anchor = NaN;
    this.#openRt = undefined;
    this.#newRun = true;
    this.#lastDurationMs = 0;
    this.#lagMs = undefined;
    this.segments = 0;
  }

  /** A fragment is being written (one is, whenever the camera streams). */
  get writing(): boolean {
    return this.#openRt !== undefined;
  }

  opened(runningTimeNs: number, now: number): void {
    const rtMs = runningTimeNs / 1e6;
    const wall = now - this.latencyMs - rtMs;
    if (Number.isNaN(this.#anchor)) this.#anchor = wall;
    else {
      const lag = wall - this.#anchor;
      if (lag < -this.maxDriftMs || lag > this.#lastDurationMs + this.maxDriftMs) {
        this.#anchor = wall - (this.#lagMs ?? 0);
        this.reanchors++;
      } else this.#lagMs = Math.min(this.#lagMs ?? Infinity, Math.max(0, lag));
    }
    this.#openRt = rtMs;
  }

  closed(location: string, runningTimeNs: number): TimedSegment | undefined {
    if (this.#openRt === undefined) return undefined;
    const rtMs = runningTimeNs / 1e6;
    const segment = {
      location,
      startMs: Math.round(this.#anchor + this.#openRt),
      durationMs: Math.max(1, Math.round(rtMs - this.#openRt)),
      newRun: this.#newRun,
    };
    this.#openRt = undefined;
    this.#lastDurationMs = segment.durationMs;
    this.#newRun = false;
    this.segments++;
    return segment;
  }
}

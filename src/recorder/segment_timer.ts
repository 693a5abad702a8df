/**
 * Turns splitmuxsink's fragment messages into segments with wall-clock times. Pure.
 *
 * GStreamer reports running times (ns since the pipeline started playing). The first
 * fragment of a run anchors them to the wall clock (minus the jitter-buffer latency);
 * later fragments follow the running time, so their times chain exactly. If the
 * running time drifts from the wall clock by more than `maxDriftMs` (a camera whose
 * timestamps run slow or fast), the anchor moves, so recorded times never wander off.
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
    else if (Math.abs(wall - this.#anchor) > this.maxDriftMs) {
      this.#anchor = wall;
      this.reanchors++;
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
    this.#newRun = false;
    this.segments++;
    return segment;
  }
}

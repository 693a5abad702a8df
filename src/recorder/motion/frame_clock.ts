/**
 * When an analysed frame was taken, on the wall clock, from its running time (ns since the
 * run started playing, in multifilesink's message) and when the message arrived. Pure.
 *
 * A message can come late (decoding, a busy box), never early: the base (monotonic time
 * of running time 0) is the earliest estimate among the last `WINDOW` frames, so a
 * passing delay does not move it while a camera clock that runs slow or fast is followed
 * within a window. The jitter buffer's latency is taken off, as for segments
 * (segment_timer.ts), and the wall offset is read at every frame (a stepped clock applies).
 */
export const WINDOW = 60;

export class FrameClock {
  #bases: number[] = [];

  constructor(readonly latencyMs: number) {}

  /** A new run: running times start from zero again. */
  newRun(): void {
    this.#bases = [];
  }

  /** Wall ms of the frame at `runningTimeNs`, whose message came at `now` (wall) / `mono`. */
  frameTime(runningTimeNs: number, now: number, mono: number): number {
    const rtMs = runningTimeNs / 1e6;
    this.#bases.push(mono - rtMs);
    if (this.#bases.length > WINDOW) this.#bases.shift();
    const base = Math.min(...this.#bases);
    return Math.round(base + rtMs + (now - mono) - this.latencyMs);
  }
}

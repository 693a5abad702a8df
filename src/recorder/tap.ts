/**
 * A tap: a feature that takes the recorded video from the camera's own child, on the
 * same connection (motion detection, the low-latency live stream). The pipeline tees the
 * recorded video (whole frames, after the parser and the watchdog) into one branch per
 * tap; the recorder hands each tap the run's bus lines.
 *
 * A branch must never hold the recording back: a tee pushes every branch in the
 * recording's thread, so a branch starts with a leaky queue (or drops what it does not
 * need before one: `identity drop-buffer-flags=delta-unit ! queue leaky=downstream …`),
 * and its elements must not post errors for a bad frame (an error stops the child).
 */
import type { Codec } from "./pipeline.ts";

/** What one run of the child is. */
export interface TapRun {
  /** The recorded video's codec (H.264 where the recorder encodes). */
  codec: Codec;
  /** The run's folder of segments. */
  runDir: string;
}

export interface RecorderTap {
  /**
   * The elements of this tap's branch for the next run (after `tee. !`), or undefined to
   * sit the run out. Called before every run; property values quoted with `prop()`.
   */
  branch(run: TapRun): string[] | undefined;
  /** A line the run printed on stdout (bus messages from `-m`, caps from `-v`). */
  onLine?(line: string): void;
  /** The run's child was spawned. */
  runStarted?(run: TapRun): void;
  /** The run's child exited. */
  runEnded?(): void;
  /** The camera stops for good (stopped, deleted, shut down). */
  close?(): void | Promise<void>;
}

/** A camera's taps, told about its runs; a tap that throws is reported, never the recorder's problem. */
export class Taps {
  constructor(
    readonly taps: RecorderTap[],
    readonly report: (what: string, err: unknown) => void,
  ) {}

  runStarted(run: TapRun | undefined): void {
    if (run) this.#each("runStarted", (t) => t.runStarted?.(run));
  }

  line(line: string): void {
    this.#each("onLine", (t) => t.onLine?.(line));
  }

  runEnded(): void {
    this.#each("runEnded", (t) => t.runEnded?.());
  }

  async close(): Promise<void> {
    for (const tap of this.taps) {
      await Promise.resolve().then(() => tap.close?.()).catch((err) => this.report("close", err));
    }
  }

  #each(what: string, call: (tap: RecorderTap) => void): void {
    for (const tap of this.taps) {
      try {
        call(tap);
      } catch (err) {
        this.report(what, err);
      }
    }
  }
}

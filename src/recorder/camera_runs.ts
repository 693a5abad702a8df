/**
 * The runs of one camera's gst-launch child, for a valid source: what each run is built
 * from (RunArgs), the Supervisor that starts, restarts and stops it, and what a run's output
 * means: bus lines become camera events, closed segments (timed by SegmentTimer) go to the
 * sink, and a run's end becomes a `run-ended` event (run_outcome.ts). The state machine and
 * its effects stay with CameraRecorder, reached through `dispatch`.
 */
import { parseBusLine } from "./bus.ts";
import type { CameraEvent } from "./camera_state.ts";
import type { RecorderDeps } from "./camera_status.ts";
import { GST_LAUNCH } from "./pipeline.ts";
import { sourceEndpoint } from "./reachability.ts";
import { RunArgs, stallMs } from "./run_args.ts";
import { runOutcome } from "./run_outcome.ts";
import type { SegmentSink } from "./segment_sink.ts";
import { SegmentTimer } from "./segment_timer.ts";
import type { Source } from "./source_url.ts";
import type { StreamLearner } from "./stream_learner.ts";
import { type RunResult, Supervisor } from "./supervisor.ts";
import type { Taps } from "./tap.ts";

export interface CameraRunsDeps {
  /** `gid/seq`, for logs. */
  key: string;
  recorder: RecorderDeps;
  source: Source;
  latencyMs: number;
  stream: StreamLearner;
  sink: SegmentSink;
  taps: Taps;
  /** Has the camera been stopped (final)? */
  stopped: () => boolean;
  /** Moves the camera's state machine; returns the restart delay it decided, if any. */
  dispatch: (event: CameraEvent) => number | undefined;
}

export class CameraRuns {
  readonly args: RunArgs;
  readonly timer: SegmentTimer;
  #c: CameraRunsDeps;
  #supervisor?: Supervisor;
  #stderr: string[] = [];
  /** Why the current run is being ended on purpose (reported instead of an exit code). */
  #restartReason?: string;

  constructor(c: CameraRunsDeps) {
    this.#c = c;
    const { segmentSeconds, options, fileRoot, taps } = c.recorder;
    const runDeps = { segmentSeconds, latencyMs: c.latencyMs, options, fileRoot, taps };
    this.args = new RunArgs(c.source, c.stream, runDeps);
    // Only rtspsrc holds frames back (its jitter buffer) before they are timed.
    this.timer = new SegmentTimer(c.source.kind === "rtsp" ? c.latencyMs : 0);
  }

  get started(): boolean {
    return this.#supervisor !== undefined;
  }

  get pid(): number | undefined {
    return this.#supervisor?.pid;
  }

  /** A run is going and a segment is being written. */
  get writing(): boolean {
    return (this.#supervisor?.running ?? false) && this.timer.writing;
  }

  /** Starts the supervisor (once: a second call does nothing). */
  start(): void {
    if (this.#supervisor) return;
    const d = this.#c.recorder;
    const endpoint = sourceEndpoint(this.#c.source);
    const reachable = d.reachable;
    this.#supervisor = new Supervisor({
      spawn: d.spawn,
      command: GST_LAUNCH,
      clock: d.clock,
      stallMs: stallMs(d.segmentSeconds),
      stopGraceMs: 5000,
      args: () => this.args.build(() => this.#newRunDir()),
      onStart: () => {
        this.#stderr = [];
        this.#c.taps.runStarted(this.args.run);
        this.#c.dispatch({ type: "run-started", at: d.clock.now() });
      },
      onLine: (stream, line) => this.#onLine(stream, line),
      onExit: (result, delay) => this.#onExit(result, delay),
      onError: (what, err) =>
        d.log.error("camera supervisor error", { camera: this.#c.key, what, error: String(err) }),
      reachable: endpoint && reachable && (() => reachable(endpoint)),
    });
    this.#supervisor.start();
  }

  /** Stops the child (EOS: the last segment is finalized); start() may begin again. */
  async stop(signalledMs: number): Promise<void> {
    await this.#supervisor?.stop(signalledMs);
    this.#supervisor = undefined;
  }

  /** Ends the current run at once; the next run reads the options again. */
  async restart(reason: string, discard: boolean): Promise<void> {
    this.#restartReason = reason;
    await this.#supervisor?.restartNow(discard);
  }

  /** Applies the end of a run; returns the delay before the next one (none: no restart). */
  #onExit(result: RunResult, delay: number): number | undefined {
    const c = this.#c;
    const outcome = runOutcome({
      result,
      restartReason: this.#restartReason,
      stderr: this.#stderr,
      stopped: c.stopped(),
      sourceKind: c.source.kind,
      learn: (error) => c.stream.afterRun(error, this.timer.segments),
      storageBlocked: c.recorder.storageBlocked?.(),
    });
    this.#restartReason = undefined;
    c.taps.runEnded();
    // Read now: the next run may start (and reset the count) before the queue gets there.
    c.sink.runEnded(this.timer.segments === 0);
    const at = c.recorder.clock.now();
    return c.dispatch({ type: "run-ended", at, outcome, delayMs: delay, code: result.code });
  }

  /** Starts a new run: its own folder under hls/, named by the time. */
  #newRunDir(): string {
    this.timer.newRun();
    return this.#c.sink.newRun(this.#c.recorder.clock.now().toString(36));
  }

  #onLine(stream: "stdout" | "stderr", line: string): void {
    const c = this.#c;
    if (stream === "stderr") {
      this.#stderr.push(line);
      if (this.#stderr.length > 40) this.#stderr.shift();
      return;
    }
    c.taps.line(line);
    const learnt = c.stream.onLine(line);
    if (learnt) {
      this.restart(learnt, true).catch((err) =>
        c.recorder.log.error("camera restart failed", { camera: c.key, error: String(err) })
      );
    }
    // A run that ends to pick up what was learnt is discarded: see RunArgs.
    if (c.stream.relearning) return;
    const event = parseBusLine(line);
    if (!event) return;
    const now = c.recorder.clock.now();
    const mono = c.recorder.clock.monotonic();
    switch (event.type) {
      case "playing":
        c.dispatch({ type: "playing", at: now });
        break;
      case "fragment-opened":
        this.timer.opened(event.runningTimeNs, now, mono);
        this.#supervisor?.kick(false);
        c.dispatch({ type: "segment-opened", at: now, blocked: c.recorder.storageBlocked?.() });
        break;
      case "fragment-closed": {
        const segment = this.timer.closed(event.location, event.runningTimeNs, now, mono);
        if (!segment) break;
        this.#supervisor?.kick(true);
        c.sink.push(segment, now, this.args.tracks);
        break;
      }
    }
  }
}

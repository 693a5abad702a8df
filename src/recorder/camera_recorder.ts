/**
 * Records one camera: the wiring around its state machine (camera_state.ts). Supervises
 * its gst-launch child, turns runs, bus lines, stored segments and API calls into events
 * and carries out the effects, and turns closed segments (timed by SegmentTimer) into the
 * live playlist and, while recording, into recording sessions (RecordingKeeper).
 * Recording on/off never restarts the connection to the camera.
 */
import { join } from "node:path";
import { sourceEndpoint } from "./reachability.ts";
import { parseSource, type Source } from "./source_url.ts";
import type { PruneResult } from "../storage/prune.ts";
import type { SessionSummary } from "../storage/session.ts";
import { OutageLog } from "../storage/outages.ts";
import { parseBusLine } from "./bus.ts";
import { runOutcome } from "./run_outcome.ts";
import { type CameraEvent, type CameraMachine, initialCamera, transition } from "./camera_state.ts";
import { GST_LAUNCH } from "./pipeline.ts";
import { RunArgs, stallMs } from "./run_args.ts";
import type { SnapshotSource } from "./snapshot.ts";
import { SegmentTimer } from "./segment_timer.ts";
import { SegmentSink } from "./segment_sink.ts";
import { StreamLearner } from "./stream_learner.ts";
import { type RunResult, Supervisor } from "./supervisor.ts";
import { Taps } from "./tap.ts";
import { stateEvents } from "./state_events.ts";
import type { CameraInput, CameraStatus, RecorderDeps } from "./camera_status.ts";

export type { CameraState, CameraStatus, RecorderDeps } from "./camera_status.ts";

export class CameraRecorder {
  readonly gid: number;
  readonly seq: number;
  readonly key: string;
  #d: RecorderDeps;
  #source?: Source;
  #supervisor?: Supervisor;
  #stream: StreamLearner;
  /** What each run is built from (none: the source address is invalid). */
  #run?: RunArgs;
  #sink: SegmentSink;
  #timer: SegmentTimer;
  #stderr: string[] = [];
  #camera: CameraMachine;
  #startedAt: number;
  /** Why the current run is being ended on purpose (reported instead of an exit code). */
  #restartReason?: string;
  readonly outages: OutageLog;
  #taps: Taps;

  constructor(camera: CameraInput, deps: RecorderDeps) {
    this.gid = camera.gid;
    this.seq = camera.seq;
    this.key = `${camera.gid}/${camera.seq}`;
    this.#d = deps;
    const { gid, seq } = camera;
    const onEvent = (event: CameraEvent) => this.#dispatch(event);
    this.#sink = new SegmentSink({ ...deps, gid, seq, onEvent }, camera.isRec === 1);
    this.outages = new OutageLog(deps.mediaRoot, gid, seq, deps.log);
    this.#camera = initialCamera(deps.clock.now(), camera.isRec === 1);
    this.#startedAt = deps.clock.now();
    this.#taps = new Taps(
      deps.taps ?? [],
      (what, err) =>
        deps.log.error("camera tap failed", { camera: this.key, what, error: String(err) }),
    );
    try {
      this.#source = parseSource(camera.iaddr);
    } catch (err) {
      const error = (err as Error).message;
      this.#dispatch({ type: "source-invalid", at: deps.clock.now(), error });
    }
    this.#stream = new StreamLearner(this.#source?.kind);
    if (this.#source) {
      const { segmentSeconds, options, fileRoot, taps } = deps;
      const runDeps = { segmentSeconds, latencyMs: this.latencyMs, options, fileRoot, taps };
      this.#run = new RunArgs(this.#source, this.#stream, runDeps);
    }
    // Only rtspsrc holds frames back (its jitter buffer) before they are timed.
    this.#timer = new SegmentTimer(this.#source?.kind === "rtsp" ? this.latencyMs : 0);
  }

  get latencyMs(): number {
    return this.#d.latencyMs ?? 200;
  }

  get status(): CameraStatus {
    const s = this.#sink.keeper.current;
    const { wanted: _, ...camera } = this.#camera;
    return {
      ...camera,
      startedAt: this.#startedAt,
      pid: this.#supervisor?.pid,
      outageSince: this.outages.open?.startMs,
      stats: this.#sink.stats.view,
      codec: this.#run?.codec(),
      audio: this.#stream.audio?.format,
      recordingSession: s && { date: s.date, time: s.time },
    };
  }

  get recording(): boolean {
    return this.#sink.keeper.wanted;
  }

  /** Starts the child. A stop() while this is in flight wins: no child is spawned after it. */
  async start(): Promise<void> {
    if (this.#supervisor) return;
    const stopped = () => this.#camera.state === "stopped";
    this.#startedAt = this.#d.clock.now();
    await this.outages.load();
    if (stopped()) return;
    if (!this.#source) {
      this.outages.onState("failed", this.#d.clock.now(), this.#camera.lastError ?? "failed");
      return;
    }
    await this.#sink.live.reset();
    if (stopped() || this.#supervisor) return;
    const run = this.#run!;
    const endpoint = sourceEndpoint(this.#source);
    const reachable = this.#d.reachable;
    this.#supervisor = new Supervisor({
      spawn: this.#d.spawn,
      command: GST_LAUNCH,
      clock: this.#d.clock,
      stallMs: stallMs(this.#d.segmentSeconds),
      stopGraceMs: 5000,
      args: () => run.build(() => this.#newRunDir()),
      onStart: () => {
        this.#stderr = [];
        this.#taps.runStarted(run.run);
        this.#dispatch({ type: "run-started", at: this.#d.clock.now() });
      },
      onLine: (stream, line) => this.#onLine(stream, line),
      onExit: (result, delay) => this.#onExit(result, delay),
      onError: (what, err) =>
        this.#d.log.error("camera supervisor error", {
          camera: this.key,
          what,
          error: String(err),
        }),
      reachable: endpoint && reachable && (() => reachable(endpoint)),
    });
    this.#supervisor.start();
  }

  /** Applies the end of a run; returns the delay before the next one (none: no restart). */
  #onExit(result: RunResult, delay: number): number | undefined {
    const outcome = runOutcome({
      result,
      restartReason: this.#restartReason,
      stderr: this.#stderr,
      stopped: this.#camera.state === "stopped",
      sourceKind: this.#source?.kind,
      learn: (error) => this.#stream.afterRun(error, this.#timer.segments),
      storageBlocked: this.#d.storageBlocked?.(),
    });
    this.#restartReason = undefined;
    this.#taps.runEnded();
    // Read now: the next run may start (and reset the count) before the queue gets there.
    this.#sink.runEnded(this.#timer.segments === 0);
    const at = this.#d.clock.now();
    return this.#dispatch({ type: "run-ended", at, outcome, delayMs: delay, code: result.code });
  }

  /** Moves the state machine by `event` and carries out its effects; returns the restart delay. */
  #dispatch(event: CameraEvent): number | undefined {
    const { camera, effects } = transition(this.#camera, event);
    this.#camera = camera;
    let restartInMs: number | undefined;
    for (const effect of effects) {
      switch (effect.type) {
        case "state-changed":
          this.#publishState(
            effect.at,
            this.outages.onState(effect.state, effect.at, effect.reason),
          );
          break;
        case "restart":
          restartInMs = effect.delayMs;
          break;
        case "close-session":
          this.#sink.closeSession("recording stopped");
          break;
        case "log":
          this.#d.log[effect.level](effect.message, { camera: this.key, ...effect.fields });
          break;
      }
    }
    return restartInMs;
  }

  /**
   * Stops the child (EOS: the last segment is finalized) and closes any session.
   * Returns the summary of the session it closed.
   */
  async stop(signalledMs = 0): Promise<SessionSummary | undefined> {
    this.#dispatch({ type: "stopped", at: this.#d.clock.now() });
    await this.#supervisor?.stop(signalledMs);
    this.#supervisor = undefined;
    await this.#sink.settled();
    await this.#taps.close();
    this.#sink.live.close();
    const closed = await this.#sink.keeper.close("camera stopped");
    await this.outages.flushed();
    return closed;
  }

  /**
   * Turns recording on or off at the next segment boundary. Returns the session
   * that turning off will close (its folder names the record_url), if any.
   */
  setRecording(on: boolean): SessionSummary | undefined {
    const closing = this.#sink.keeper.set(on, this.#d.clock.now());
    this.#dispatch({
      type: "recording",
      at: this.#d.clock.now(),
      on,
      blocked: this.#d.storageBlocked?.(),
      closing: closing !== undefined,
      writing: (this.#supervisor?.running ?? false) && this.#timer.writing,
    });
    return closing;
  }

  /**
   * Retention: removes segments from this camera's session {date}/{time}, in the
   * recorder's queue so it never races an append. Undefined if that session is unknown.
   */
  pruneSession(date: string, time: string, names: Set<string>): Promise<PruneResult | undefined> {
    return this.#sink.prune(date, time, names);
  }

  /** The newest closed live segment and the codec it holds (for snapshots). */
  snapshotSource(): SnapshotSource | undefined {
    const live = this.#sink.live;
    const last = live.segments.at(-1);
    if (!last || !this.#run) return undefined;
    return { path: join(live.dir, last.uri), codec: this.#run.codec() };
  }

  /** Ends the current run at once; the next run reads the options again. */
  async restartPipeline(reason: string, discard = false): Promise<void> {
    this.#restartReason = reason;
    await this.#supervisor?.restartNow(discard);
  }

  /** Resolves once every segment event received so far has been written. */
  settled(): Promise<void> {
    return this.#sink.settled();
  }

  #publishState(at: number, outage: "start" | "end" | undefined): void {
    const events = stateEvents(this, this.#camera, { at, outage, isRec: this.recording });
    for (const e of events) this.#d.events?.publish(e);
  }

  /** Starts a new run: its own folder under hls/, named by the time. */
  #newRunDir(): string {
    this.#timer.newRun();
    return this.#sink.newRun(this.#d.clock.now().toString(36));
  }

  #onLine(stream: "stdout" | "stderr", line: string): void {
    if (stream === "stderr") {
      this.#stderr.push(line);
      if (this.#stderr.length > 40) this.#stderr.shift();
      return;
    }
    this.#taps.line(line);
    const learnt = this.#stream.onLine(line);
    if (learnt) {
      this.restartPipeline(learnt, true).catch((err) =>
        this.#d.log.error("camera restart failed", { camera: this.key, error: String(err) })
      );
    }
    // A run that ends to pick up what was learnt is discarded: see RunArgs.
    if (this.#stream.relearning) return;
    const event = parseBusLine(line);
    if (!event) return;
    const now = this.#d.clock.now();
    const mono = this.#d.clock.monotonic();
    switch (event.type) {
      case "playing":
        this.#dispatch({ type: "playing", at: now });
        break;
      case "fragment-opened":
        this.#timer.opened(event.runningTimeNs, now, mono);
        this.#supervisor?.kick(false);
        this.#dispatch({ type: "segment-opened", at: now, blocked: this.#d.storageBlocked?.() });
        break;
      case "fragment-closed": {
        const segment = this.#timer.closed(event.location, event.runningTimeNs, now, mono);
        if (!segment) break;
        this.#supervisor?.kick(true);
        this.#sink.push(segment, now, this.#run!.tracks);
        break;
      }
    }
  }
}

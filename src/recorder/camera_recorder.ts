/**
 * Records one camera: supervises its gst-launch child, tracks its state, and turns
 * closed segments (timed by SegmentTimer) into the live playlist and, while
 * recording, into recording sessions (RecordingKeeper). Recording on/off never
 * restarts the connection to the camera.
 */
import { join } from "node:path";
import { sourceEndpoint } from "./reachability.ts";
import { parseSource, type Source } from "./source_url.ts";
import { liveDir } from "../storage/layout.ts";
import { LiveWindow } from "../storage/live_window.ts";
import type { PruneResult } from "../storage/prune.ts";
import type { SessionSummary } from "../storage/session.ts";
import { OutageLog } from "../storage/outages.ts";
import { parseBusLine } from "./bus.ts";
import { runOutcome } from "./run_outcome.ts";
import { SegmentStats } from "./camera_stats.ts";
import { buildPipelineArgs, type Codec, GST_LAUNCH } from "./pipeline.ts";
import type { SnapshotSource } from "./snapshot.ts";
import { resolveFileSource } from "./file_source.ts";
import { RecordingKeeper } from "./recording_keeper.ts";
import { SegmentTimer, type TimedSegment } from "./segment_timer.ts";
import { startsWithKeyframe } from "./segment_start.ts";
import { StreamLearner } from "./stream_learner.ts";
import { type RunResult, Supervisor } from "./supervisor.ts";
import type { CameraInput, CameraState, CameraStatus, RecorderDeps } from "./camera_status.ts";

export type { CameraState, CameraStatus, RecorderDeps } from "./camera_status.ts";

export class CameraRecorder {
  readonly gid: number;
  readonly seq: number;
  #d: RecorderDeps;
  #source?: Source;
  #supervisor?: Supervisor;
  #live: LiveWindow;
  #stream: StreamLearner;
  /** What the current run's segments hold, e.g. `h264+aac`. */
  #tracks = "";
  #keeper: RecordingKeeper;
  #timer: SegmentTimer;
  #queue: Promise<void> = Promise.resolve();
  #stderr: string[] = [];
  #status: CameraStatus;
  #stats = new SegmentStats();
  /** Why the current run is being ended on purpose (reported instead of an exit code). */
  #restartReason?: string;
  /** The current run's folder under hls/ (removed if the run ends without a segment). */
  #runDir?: string;
  /** The run's first segment was dropped (no keyframe first): the next one starts the run. */
  #runStartPending = false;
  readonly outages: OutageLog;

  constructor(camera: CameraInput, deps: RecorderDeps) {
    this.gid = camera.gid;
    this.seq = camera.seq;
    this.#d = deps;
    this.#keeper = new RecordingKeeper(
      { ...deps, gid: camera.gid, seq: camera.seq },
      camera.isRec === 1,
    );
    this.outages = new OutageLog(deps.mediaRoot, camera.gid, camera.seq);
    this.#live = new LiveWindow(
      liveDir(deps.mediaRoot, camera.gid, camera.seq),
      deps.liveSegments,
      deps.segmentSeconds,
      () => deps.clock.monotonic(),
    );
    this.#status = {
      state: "connecting",
      since: deps.clock.now(),
      reconnects: 0,
      segments: 0,
      started: false,
      startedAt: deps.clock.now(),
    };
    try {
      this.#source = parseSource(camera.iaddr);
    } catch (err) {
      this.#setState("failed", (err as Error).message);
      this.#status.started = true;
    }
    this.#stream = new StreamLearner(this.#source?.kind);
    // Only rtspsrc holds frames back (its jitter buffer) before they are timed.
    this.#timer = new SegmentTimer(this.#source?.kind === "rtsp" ? this.latencyMs : 0);
  }

  get latencyMs(): number {
    return this.#d.latencyMs ?? 200;
  }

  get status(): CameraStatus {
    const s = this.#keeper.current;
    return {
      ...this.#status,
      pid: this.#supervisor?.pid,
      outageSince: this.outages.open?.startMs,
      stats: this.#stats.view,
      codec: this.#source ? this.#codecRecorded() : undefined,
      audio: this.#stream.audio?.format,
      recordingSession: s && { date: s.date, time: s.time },
    };
  }

  get recording(): boolean {
    return this.#keeper.wanted;
  }

  /** Starts the child. A stop() while this is in flight wins: no child is spawned after it. */
  async start(): Promise<void> {
    if (this.#supervisor) return;
    const stopped = () => this.#status.state === "stopped";
    this.#status.startedAt = this.#d.clock.now();
    await this.outages.load();
    if (stopped()) return;
    if (!this.#source) {
      this.outages.onState("failed", this.#d.clock.now(), this.#status.lastError ?? "failed");
      return;
    }
    await this.#live.reset();
    if (stopped() || this.#supervisor) return;
    const latencyMs = this.latencyMs;
    const segmentMs = this.#d.segmentSeconds * 1000;
    const endpoint = sourceEndpoint(this.#source);
    const reachable = this.#d.reachable;
    this.#supervisor = new Supervisor({
      spawn: this.#d.spawn,
      command: GST_LAUNCH,
      clock: this.#d.clock,
      stallMs: Math.max(15_000, segmentMs * 3 + 8_000),
      stopGraceMs: 5000,
      args: () =>
        buildPipelineArgs({
          source: this.#runSource(),
          ...this.#newRunStreams(),
          locationPattern: join(this.#newRunDir(), "%05d.ts"),
          segmentSeconds: this.#d.segmentSeconds,
          latencyMs,
          watchdogMs: Math.max(5000, segmentMs * 2 + 4000),
          ...this.#d.options?.(),
        }),
      onStart: () => {
        this.#stderr = [];
        this.#setState("connecting");
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
      stopped: this.#status.state === "stopped",
      sourceKind: this.#source?.kind,
      learn: (error) => this.#stream.afterRun(error, this.#timer.segments),
      storageBlocked: this.#d.storageBlocked?.(),
    });
    this.#restartReason = undefined;
    // Read now: the next run may start (and reset both) before the queue gets there.
    const emptyRun = this.#timer.segments === 0 ? this.#runDir : undefined;
    this.#queue = this.#queue.then(() => this.#afterRun(emptyRun));
    switch (outcome.kind) {
      case "stopped":
        return undefined;
      case "loop":
        return 0;
      case "learnt":
        this.#d.log.info("camera stream learnt", { camera: this.key, detail: outcome.detail });
        return 100;
    }
    this.#status.reconnects++;
    this.#status.started = true;
    this.#setState(outcome.state, outcome.error);
    this.#d.log.warn("camera pipeline ended", {
      camera: this.key,
      error: outcome.error,
      code: result.code,
      restartInMs: delay,
    });
    return delay;
  }

  get key(): string {
    return `${this.gid}/${this.seq}`;
  }

  /**
   * Stops the child (EOS: the last segment is finalized) and closes any session.
   * Returns the summary of the session it closed.
   */
  async stop(signalledMs = 0): Promise<SessionSummary | undefined> {
    this.#setState("stopped");
    await this.#supervisor?.stop(signalledMs);
    this.#supervisor = undefined;
    await this.#queue;
    const closed = await this.#keeper.close("camera stopped");
    await this.outages.flushed();
    return closed;
  }

  /**
   * Turns recording on or off at the next segment boundary. Returns the session
   * that turning off will close (its folder names the record_url), if any.
   */
  setRecording(on: boolean): SessionSummary | undefined {
    const closing = this.#keeper.set(on, this.#d.clock.now());
    if (on && this.#status.state === "streaming") this.#setState(this.#upState());
    if (!on && (this.#status.state === "recording" || this.#status.state === "paused")) {
      this.#setState("streaming");
    }
    // A camera that is down would never close the session: close it now.
    if (closing && (!this.#supervisor?.running || !this.#timer.writing)) {
      this.#queue = this.#queue.then(() => this.#keeper.close("recording stopped").then(() => {}));
    }
    return closing;
  }

  /**
   * Retention: removes segments from this camera's session {date}/{time}, in the
   * recorder's queue so it never races an append. Undefined if that session is unknown.
   */
  pruneSession(date: string, time: string, names: Set<string>): Promise<PruneResult | undefined> {
    const run = this.#queue.then(() => this.#keeper.prune(date, time, names));
    this.#queue = run.then(() => {}, () => {});
    return run;
  }

  /** The source of the next run: a file source is confined and resolved (throws if not allowed). */
  #runSource(): Source {
    const s = this.#source!;
    if (s.kind !== "file") return s;
    return { ...s, location: resolveFileSource(this.#d.fileRoot, s.location) };
  }

  /** The newest closed live segment and the codec it holds (for snapshots). */
  snapshotSource(): SnapshotSource | undefined {
    const last = this.#live.segments.at(-1);
    if (!last || !this.#source) return undefined;
    return { path: join(this.#live.dir, last.uri), codec: this.#codecRecorded() };
  }

  /** Ends the current run at once; the next run reads the options again. */
  async restartPipeline(reason: string, discard = false): Promise<void> {
    this.#restartReason = reason;
    await this.#supervisor?.restartNow(discard);
  }

  /** Resolves once every segment event received so far has been written. */
  settled(): Promise<void> {
    return this.#queue;
  }

  /**
   * The streams the next run records (what the camera was learnt to send). A run that
   * restarts to pick up a newly learnt stream is discarded: its first, partial segment
   * would otherwise start a session with other tracks than the rest.
   */
  #newRunStreams() {
    const run = this.#stream.newRun();
    this.#tracks = `${this.#codecRecorded()}${run.audio ? "+aac" : ""}`;
    return run;
  }

  /** The codec of the recorded video: the camera's, or H.264 where we encode (overlay, test, MJPEG). */
  #codecRecorded(): Codec {
    const encoded = this.#d.options?.()?.mode === "overlay" || !this.#stream.learns;
    return encoded ? "h264" : this.#stream.codec;
  }

  /** Starts a new run: its own folder under hls/, named by the time. */
  #newRunDir(): string {
    this.#timer.newRun();
    this.#runStartPending = false;
    this.#runDir = this.#live.runDir(this.#d.clock.now().toString(36));
    return this.#runDir;
  }

  #setState(state: CameraState, error?: string): void {
    if (this.#status.state === "stopped" && state !== "stopped") return;
    if (state !== this.#status.state) {
      this.#status.state = state;
      this.#status.since = this.#d.clock.now();
      this.outages.onState(state, this.#status.since, error ?? this.#stateReason(state));
    }
    if (error !== undefined) this.#status.lastError = error;
  }

  #stateReason(state: CameraState): string {
    return state === "stopped" ? "recorder stopped" : this.#status.lastError ?? state;
  }

  /** The state of a camera that delivers segments. */
  #upState(): CameraState {
    if (!this.#keeper.wanted) return "streaming";
    return this.#d.storageBlocked?.() ? "paused" : "recording";
  }

  #onLine(stream: "stdout" | "stderr", line: string): void {
    if (stream === "stderr") {
      this.#stderr.push(line);
      if (this.#stderr.length > 40) this.#stderr.shift();
      return;
    }
    const learnt = this.#stream.onLine(line);
    if (learnt) void this.restartPipeline(learnt, true);
    // A run that ends to pick up what was learnt is discarded: see #newRunStreams.
    if (this.#stream.relearning) return;
    const event = parseBusLine(line);
    if (!event) return;
    const now = this.#d.clock.now();
    const mono = this.#d.clock.monotonic();
    switch (event.type) {
      case "playing":
        this.#status.started = true;
        break;
      case "fragment-opened": {
        this.#timer.opened(event.runningTimeNs, now, mono);
        this.#status.started = true;
        this.#supervisor?.kick(false);
        const blocked = this.#keeper.wanted ? this.#d.storageBlocked?.() : undefined;
        this.#setState(this.#upState(), blocked ? `recording paused: ${blocked}` : undefined);
        break;
      }
      case "fragment-closed": {
        const segment = this.#timer.closed(event.location, event.runningTimeNs, now, mono);
        if (!segment) break;
        this.#supervisor?.kick(true);
        const tracks = this.#tracks;
        this.#queue = this.#queue.then(() => this.#onSegment(segment, now, tracks));
        break;
      }
    }
  }

  async #onSegment(closed: TimedSegment, closedAt: number, tracks: string) {
    let segment = closed;
    try {
      if (segment.newRun && !(await keyframeFirst(segment.location))) {
        // What came before the run's first keyframe cannot be decoded (an H.265 run that
        // joined mid-GOP: rtph265depay cannot wait for a keyframe): not listed, not kept.
        await Deno.remove(segment.location).catch(() => {});
        this.#runStartPending = true;
        return;
      }
      if (this.#runStartPending) {
        segment = { ...segment, newRun: true };
        this.#runStartPending = false;
      }
      const { location, startMs, durationMs, newRun } = segment;
      const bytes = (await Deno.stat(location)).size;
      await this.#live.push(location, startMs, durationMs, newRun);
      const keep = this.#keeper.keeps(startMs);
      const blocked = keep ? this.#d.storageBlocked?.() : undefined;
      if (blocked) this.#setState("paused", `recording paused: ${blocked}`);
      else if (keep) await this.#keeper.add(segment, bytes, tracks);
      if (this.#keeper.closing && !this.#keeper.wanted) {
        await this.#keeper.close("recording stopped");
      }
      this.#status.segments++;
      this.#status.lastSegmentAt = startMs + durationMs;
      this.#stats.record(bytes, durationMs, this.#d.clock.now() - closedAt);
    } catch (err) {
      const full = /no space left|ENOSPC|quota/i.test((err as Error).message);
      this.#setState(
        full ? "paused" : "failed",
        full ? "recording paused: disk full" : `storage: ${(err as Error).message}`,
      );
      this.#d.log.error("cannot store segment", {
        camera: this.key,
        error: (err as Error).message,
      });
    }
  }

  async #afterRun(emptyRunDir?: string): Promise<void> {
    // A run that closed no segment (a camera that is down) leaves no folder behind.
    if (emptyRunDir) await Deno.remove(emptyRunDir, { recursive: true }).catch(() => {});
    // A session waiting to close gets no more segments from this run.
    if (this.#keeper.closing) await this.#keeper.close("recording stopped");
  }
}

/** Whether a segment starts with a keyframe; true when that cannot be told. */
async function keyframeFirst(path: string): Promise<boolean> {
  const file = await Deno.open(path);
  try {
    const head = new Uint8Array(64 * 1024);
    const n = (await file.read(head)) ?? 0;
    return startsWithKeyframe(head.subarray(0, n)) ?? true;
  } finally {
    file.close();
  }
}

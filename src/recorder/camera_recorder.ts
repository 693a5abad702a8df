/**
 * Records one camera: the wiring around its state machine (camera_state.ts). Its child's
 * runs (supervision, bus lines, closed segments, how a run ended) are in camera_runs.ts;
 * here the resulting events and API calls move the machine, and its effects are carried out.
 * Closed segments become the live playlist and, while recording, recording sessions
 * (SegmentSink, RecordingKeeper). Recording on/off never restarts the connection to the camera.
 */
import { join } from "node:path";
import { parseSource } from "./source_url.ts";
import type { PruneResult } from "../storage/prune.ts";
import type { SessionSummary } from "../storage/session.ts";
import { OutageLog } from "../storage/outages.ts";
import { type CameraEvent, type CameraMachine, initialCamera, transition } from "./camera_state.ts";
import { CameraRuns } from "./camera_runs.ts";
import type { SnapshotSource } from "./snapshot.ts";
import { SegmentSink } from "./segment_sink.ts";
import { StreamLearner } from "./stream_learner.ts";
import { Taps } from "./tap.ts";
import { stateEvents } from "./state_events.ts";
import type { CameraInput, CameraStatus, RecorderDeps } from "./camera_status.ts";

export type { CameraState, CameraStatus, RecorderDeps } from "./camera_status.ts";

export class CameraRecorder {
  readonly gid: number;
  readonly seq: number;
  readonly key: string;
  #d: RecorderDeps;
  #stream: StreamLearner;
  /** The child's runs (none: the source address is invalid). */
  #runs?: CameraRuns;
  #sink: SegmentSink;
  #camera: CameraMachine;
  #startedAt: number;
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
    let source;
    try {
      source = parseSource(camera.iaddr);
    } catch (err) {
      const error = (err as Error).message;
      this.#dispatch({ type: "source-invalid", at: deps.clock.now(), error });
    }
    this.#stream = new StreamLearner(source?.kind);
    if (source) {
      this.#runs = new CameraRuns({
        key: this.key,
        recorder: deps,
        source,
        latencyMs: this.latencyMs,
        stream: this.#stream,
        sink: this.#sink,
        taps: this.#taps,
        stopped: () => this.#camera.state === "stopped",
        dispatch: onEvent,
      });
    }
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
      pid: this.#runs?.pid,
      outageSince: this.outages.open?.startMs,
      stats: this.#sink.stats.view,
      codec: this.#runs?.args.codec(),
      audio: this.#stream.audio?.format,
      recordingSession: s && { date: s.date, time: s.time },
    };
  }

  get recording(): boolean {
    return this.#sink.keeper.wanted;
  }

  /** Starts the child. A stop() while this is in flight wins: no child is spawned after it. */
  async start(): Promise<void> {
    if (this.#runs?.started) return;
    const stopped = () => this.#camera.state === "stopped";
    this.#startedAt = this.#d.clock.now();
    await this.outages.load();
    if (stopped()) return;
    if (!this.#runs) {
      this.outages.onState("failed", this.#d.clock.now(), this.#camera.lastError ?? "failed");
      return;
    }
    await this.#sink.live.reset();
    if (stopped()) return;
    this.#runs.start();
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
    await this.#runs?.stop(signalledMs);
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
      writing: this.#runs?.writing ?? false,
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
    if (!last || !this.#runs) return undefined;
    return { path: join(live.dir, last.uri), codec: this.#runs.args.codec() };
  }

  /** Ends the current run at once; the next run reads the options again. */
  async restartPipeline(reason: string, discard = false): Promise<void> {
    await this.#runs?.restart(reason, discard);
  }

  /** Resolves once every segment event received so far has been written. */
  settled(): Promise<void> {
    return this.#sink.settled();
  }

  #publishState(at: number, outage: "start" | "end" | undefined): void {
    const events = stateEvents(this, this.#camera, { at, outage, isRec: this.recording });
    for (const e of events) this.#d.events?.publish(e);
  }
}

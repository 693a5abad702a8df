/**
 * Where one camera's closed segments go: the live window, and while recording the
 * RecordingKeeper (its session folder and playlist). Every write (a segment, the clean-up
 * after a run, a session close, a retention prune) runs in one queue, so none races
 * another. What happens to the camera on the way (the disk is blocked, storing failed, a
 * segment was stored) goes to the recorder's state machine as an event.
 */
import type { Clock } from "../clock.ts";
import type { Logger } from "../log.ts";
import type { Catalog } from "../storage/catalog.ts";
import { removeIfPresent } from "../storage/files.ts";
import { liveDir } from "../storage/layout.ts";
import { LiveWindow } from "../storage/live_window.ts";
import type { PruneResult } from "../storage/prune.ts";
import { SerialQueue } from "../util/serial_queue.ts";
import { SegmentStats } from "./camera_stats.ts";
import type { CameraEvent } from "./camera_state.ts";
import { RecordingKeeper } from "./recording_keeper.ts";
import { keyframeFirst } from "./segment_start.ts";
import type { TimedSegment } from "./segment_timer.ts";

export interface SinkDeps {
  mediaRoot: string;
  gid: number;
  seq: number;
  segmentSeconds: number;
  liveSegments: number;
  clock: Clock;
  catalog: Catalog;
  log: Logger;
  /** Why recording must pause now (e.g. "disk full"), or undefined when it may write. */
  storageBlocked?: () => string | undefined;
  /** Receives what storing segments means for the camera's state. */
  onEvent: (event: CameraEvent) => void;
}

export class SegmentSink {
  readonly live: LiveWindow;
  readonly keeper: RecordingKeeper;
  readonly stats = new SegmentStats();
  #d: SinkDeps;
  #queue: SerialQueue;
  /** The run's first segment was dropped (no keyframe first): the next one starts the run. */
  #runStartPending = false;
  /** The current run's folder under hls/ (removed if the run ends without a segment). */
  #runDir?: string;

  constructor(deps: SinkDeps, wanted: boolean) {
    this.#d = deps;
    this.keeper = new RecordingKeeper(deps, wanted);
    this.live = new LiveWindow(
      liveDir(deps.mediaRoot, deps.gid, deps.seq),
      deps.liveSegments,
      deps.segmentSeconds,
      () => deps.clock.monotonic(),
      deps.log,
    );
    this.#queue = new SerialQueue((err) =>
      deps.log.error("camera queue task failed", { camera: this.#key, error: String(err) })
    );
  }

  get #key(): string {
    return `${this.#d.gid}/${this.#d.seq}`;
  }

  /** A new run starts; returns its own folder under hls/, named `name`. */
  newRun(name: string): string {
    this.#runStartPending = false;
    return this.#runDir = this.live.runDir(name);
  }

  /** Queues a segment GStreamer closed at `closedAt` (wall ms); `tracks`: what it holds. */
  push(segment: TimedSegment, closedAt: number, tracks: string): void {
    this.#queue.push(() => this.#store(segment, closedAt, tracks));
  }

  /** Queues the clean-up after a run; `empty`: it closed no segment. */
  runEnded(empty: boolean): void {
    // Read now: the next run may start (and replace it) before the queue gets there.
    const emptyRunDir = empty ? this.#runDir : undefined;
    this.#queue.push(async () => {
      // A run that closed no segment (a camera that is down) leaves no folder behind.
      if (emptyRunDir) await this.#remove(emptyRunDir, { recursive: true });
      // A session waiting to close gets no more segments from this run.
      if (this.keeper.closing) await this.keeper.close("recording stopped");
    });
  }

  /** Queues closing the session (after the segments queued before). */
  closeSession(reason: string): void {
    this.#queue.push(() => this.keeper.close(reason));
  }

  /** Retention: removes segments of session {date}/{time}, in the queue (never racing an append). */
  prune(date: string, time: string, names: Set<string>): Promise<PruneResult | undefined> {
    return this.#queue.run(() => this.keeper.prune(date, time, names));
  }

  /** Resolves once everything queued so far has been written (never rejects). */
  settled(): Promise<void> {
    return this.#queue.idle();
  }

  async #store(closed: TimedSegment, closedAt: number, tracks: string): Promise<void> {
    const { clock } = this.#d;
    let segment = closed;
    try {
      if (segment.newRun && !(await keyframeFirst(segment.location))) {
        // What came before the run's first keyframe cannot be decoded (an H.265 run that
        // joined mid-GOP: rtph265depay cannot wait for a keyframe): not listed, not kept.
        await this.#remove(segment.location);
        this.#runStartPending = true;
        return;
      }
      if (this.#runStartPending) {
        segment = { ...segment, newRun: true };
        this.#runStartPending = false;
      }
      const { location, startMs, durationMs, newRun } = segment;
      const bytes = (await Deno.stat(location)).size;
      await this.live.push(location, startMs, durationMs, newRun);
      const keep = this.keeper.keeps(startMs);
      const blocked = keep ? this.#d.storageBlocked?.() : undefined;
      if (blocked) this.#d.onEvent({ type: "disk-blocked", at: clock.now(), reason: blocked });
      else if (keep) await this.keeper.add(segment, bytes, tracks);
      if (this.keeper.closing && !this.keeper.wanted) {
        await this.keeper.close("recording stopped");
      }
      this.#d.onEvent({ type: "segment-stored", at: clock.now(), endMs: startMs + durationMs });
      this.stats.record(bytes, durationMs, clock.now() - closedAt);
    } catch (err) {
      const error = (err as Error).message;
      this.#d.onEvent({ type: "storage-failed", at: clock.now(), error });
      this.#d.log.error("cannot store segment", { camera: this.#key, error });
    }
  }

  /** Removes what is not to be kept; one that cannot be removed is logged and left. */
  async #remove(path: string, options?: Deno.RemoveOptions): Promise<void> {
    await removeIfPresent(path, options).catch((err) =>
      this.#d.log.warn("cannot remove", { camera: this.#key, path, error: String(err) })
    );
  }
}

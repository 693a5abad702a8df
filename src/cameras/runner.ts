/**
 * What the camera service and the routes need of the thing that runs one camera (a
 * `CameraRecorder` in production, built by the factory the composition root injects):
 * start and stop it, turn recording on and off, read its status, and reach the few
 * per-camera jobs that must run in its queue (pruning an open session, snapshots).
 * Defined here so that cameras/ depends on this interface, not on the recorder class.
 */
import type { CameraStatus } from "../recorder/camera_status.ts";
import type { SnapshotSource } from "../recorder/snapshot.ts";
import type { Outage } from "../storage/outages.ts";
import type { PruneResult } from "../storage/prune.ts";
import type { SessionSummary } from "../storage/session.ts";
import type { Camera } from "./camera.ts";

export interface CameraRunner {
  readonly gid: number;
  readonly seq: number;
  readonly status: CameraStatus;
  /** Recording is wanted (manual or scheduled), whatever the camera's state. */
  readonly recording: boolean;
  /** The camera's outage record (count since start-up, the file's list). */
  readonly outages: { readonly count: number; list(): Promise<Outage[]> };
  start(): Promise<void>;
  /** Stops the camera; the session it closed, if any (`signalledMs`: see CameraRecorder.stop). */
  stop(signalledMs?: number): Promise<SessionSummary | undefined>;
  /** Turns recording on or off; the session that turning off closes, if any. */
  setRecording(on: boolean): SessionSummary | undefined;
  /** Retention: removes segments of one of its sessions, in the runner's own queue. */
  pruneSession(date: string, time: string, names: Set<string>): Promise<PruneResult | undefined>;
  /** The newest closed segment, for snapshots and thumbnails. */
  snapshotSource(): SnapshotSource | undefined;
  /** Ends the current run at once (the next run reads the camera's options again). */
  restartPipeline(reason: string): Promise<void>;
}

/** Builds the runner of one camera (injected by the composition root). */
export type RunnerFactory = (camera: Camera) => CameraRunner;

/**
 * The running cameras: one runner per camera (built by the injected factory), at most
 * `max` at once, and none started once the pool is closed (shut down). The pool keeps
 * the runners and their limits only; the camera service decides when to start and stop
 * them, under its per-camera lock.
 */
import type { CameraStatus } from "../recorder/camera_status.ts";
import type { SessionSummary } from "../storage/session.ts";
import { type Camera, cameraKey } from "./camera.ts";
import type { CameraRunner, RunnerFactory } from "./runner.ts";

/** The status of a camera that has no runner (not started, deleted, or past the limit). */
const NOT_RUNNING: CameraStatus = {
  state: "stopped",
  since: 0,
  reconnects: 0,
  segments: 0,
  started: false,
};

export class RecorderPool {
  #runners = new Map<string, CameraRunner>();
  #closed = false;

  constructor(readonly create: RunnerFactory, readonly max = Infinity) {}

  get(gid: number, seq: number): CameraRunner | undefined {
    return this.#runners.get(cameraKey(gid, seq));
  }

  /** The camera's live status; "stopped" when it has no runner. */
  status(gid: number, seq: number): CameraStatus {
    return this.get(gid, seq)?.status ?? { ...NOT_RUNNING };
  }

  /** Starts a runner for `camera`. False when it was not started: closed, or `max` run. */
  async start(camera: Camera): Promise<boolean> {
    if (this.#closed || this.#runners.size >= this.max) return false;
    const runner = this.create(camera);
    this.#runners.set(cameraKey(camera.gid, camera.seq), runner);
    await runner.start();
    return true;
  }

  /** Stops the camera's runner, if any, and forgets it; the session it closed. */
  async stop(gid: number, seq: number): Promise<SessionSummary | undefined> {
    const closed = await this.get(gid, seq)?.stop();
    this.#runners.delete(cameraKey(gid, seq));
    return closed;
  }

  /** Stops every runner; a start still in flight starts nothing after this. */
  async close(signalledMs = 0): Promise<void> {
    this.#closed = true;
    await Promise.all([...this.#runners.values()].map((r) => r.stop(signalledMs)));
    this.#runners.clear();
  }
}

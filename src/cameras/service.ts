/**
 * The camera service: the rules of the seed's API (identity (gid, seq), group moves,
 * edits that restart a camera, deletion into the deleted area) over the registry, with
 * calls on the same camera serialized. It runs cameras through a RecorderPool of
 * injected runners (runner.ts) and moves their folders with folders.ts.
 */
import type { EventHub } from "../events.ts";
import type { Logger } from "../log.ts";
import type { Catalog } from "../storage/catalog.ts";
import type { SessionSummary } from "../storage/session.ts";
import { contractTimestamp } from "../time.ts";
import type { CameraStatus } from "../recorder/camera_status.ts";
import { type Camera, cameraKey } from "./camera.ts";
import { listDeleted, moveCameraFolder, moveToDeleted, purgeDeleted } from "./folders.ts";
import { restoreMaskedPassword } from "./masked_password.ts";
import { KeyedMutex } from "./keyed_mutex.ts";
import { RecorderPool } from "./recorder_pool.ts";
import type { Registry } from "./registry.ts";
import type { CameraRunner, RunnerFactory } from "./runner.ts";
import type { CameraSettings } from "./settings.ts";
import type { CameraEdit, CameraInput } from "./schemas.ts";

export class NotFoundError extends Error {}
/** 409; `fields` name what conflicts when it is a limit (same shape as a 400's fields). */
export class ConflictError extends Error {
  constructor(message: string, readonly fields?: { field: string; message: string }[]) {
    super(message);
  }
}

export interface CameraView extends Camera {
  status: CameraStatus;
}

export interface ChangeResult {
  camera: Camera;
  /** The recording session this call closed, if any. */
  closed?: SessionSummary;
}

export interface ServiceDeps {
  mediaRoot: string;
  registry: Registry;
  catalog: Catalog;
  log: Logger;
  now: () => number;
  /** Builds the runner of one camera (a CameraRecorder, from the composition root). */
  createRecorder: RunnerFactory;
  /** Per-camera settings (schedule, retention, keep locks) follow moves and deletions. */
  settings?: CameraSettings;
  /** Cameras recorded at most (`--max-cameras`); more are refused (add) or not started (boot). */
  maxCameras?: number;
  /** Told of cameras added, moved (removed + added) and deleted. */
  events?: EventHub;
}

export class CameraService {
  #d: ServiceDeps;
  #pool: RecorderPool;
  #mutex = new KeyedMutex();
  #boot?: Camera[];
  /** While boot loads the cameras, changes wait for it (see holdChanges). */
  #loading?: Promise<void>;

  constructor(deps: ServiceDeps) {
    this.#d = deps;
    this.#pool = new RecorderPool(deps.createRecorder, deps.maxCameras);
  }

  list(): CameraView[] {
    return this.#d.registry.list().map((c) => this.#view(c));
  }

  get(gid: number, seq: number): CameraView | undefined {
    const c = this.#d.registry.get(gid, seq);
    return c && this.#view(c);
  }

  /** The camera's runner, while it runs. */
  recorder(gid: number, seq: number): CameraRunner | undefined {
    return this.#pool.get(gid, seq);
  }

  #view(c: Camera): CameraView {
    return { ...c, status: this.#pool.status(c.gid, c.seq) };
  }

  get #maxCameras(): number {
    return this.#d.maxCameras ?? Infinity;
  }

  /**
   * Boot is loading the registry (the server already answers): calls that change
   * cameras wait until the returned function is called, instead of acting on a
   * registry that is not loaded yet (a delete answering 404, then the camera starting).
   */
  holdChanges(): () => void {
    const { promise, resolve } = Promise.withResolvers<void>();
    this.#loading = promise;
    return () => {
      if (this.#loading === promise) this.#loading = undefined;
      resolve();
    };
  }

  /** Runs `fn` under the cameras' lock, once boot has loaded the registry. */
  async #change<T>(keys: string[], fn: () => Promise<T>): Promise<T> {
    await this.#loading;
    return await this.#mutex.run(keys, fn);
  }

  /**
   * Starts recorders for every registered camera; these are the boot cameras. Each
   * starts under its camera's lock and only if it is still registered and not started
   * (an API call may have deleted or started it meanwhile); past `maxCameras`, cameras
   * are not started (logged).
   */
  async startAll(): Promise<void> {
    const cameras = this.#d.registry.list();
    this.#boot = cameras;
    const skipped: string[] = [];
    await Promise.all(cameras.map((c) => {
      const key = cameraKey(c.gid, c.seq);
      return this.#mutex.run([key], async () => {
        const camera = this.#d.registry.get(c.gid, c.seq);
        if (!camera || this.#pool.get(c.gid, c.seq)) return;
        if (!(await this.#pool.start(camera))) skipped.push(key);
      });
    }));
    if (skipped.length) {
      this.#d.log.warn("more cameras than --max-cameras: these are not started", {
        max: this.#maxCameras,
        cameras: skipped,
      });
    }
  }

  /** 1 when every boot camera reached PLAYING or failed with a recorded reason. */
  bootEnded(): boolean {
    if (!this.#boot) return false; // boot has not started the cameras yet
    return this.#boot.every((c) => this.#pool.get(c.gid, c.seq)?.status.started ?? true);
  }

  async add(input: CameraInput): Promise<Camera> {
    return await this.#change([cameraKey(input.gid, input.seq)], async () => {
      if (this.#d.registry.get(input.gid, input.seq)) {
        throw new ConflictError(`camera gid=${input.gid} seq=${input.seq} already exists`);
      }
      // Checked and registered with no await in between: concurrent adds cannot overshoot.
      const max = this.#maxCameras;
      if (this.#d.registry.list().length >= max) {
        throw new ConflictError(`too many cameras: at most ${max} cameras (--max-cameras)`, [{
          field: "camera",
          message: `this box records at most ${max} cameras (--max-cameras): delete one first`,
        }]);
      }
      const now = contractTimestamp(this.#d.now());
      const camera: Camera = { ...input, inserted: now, updated: now };
      await this.#d.registry.put(camera);
      await this.#pool.start(camera);
      this.#d.log.info("camera added", { camera: cameraKey(camera.gid, camera.seq) });
      this.#published("camera_added", camera);
      return camera;
    });
  }

  async edit(input: CameraEdit): Promise<ChangeResult> {
    const from = cameraKey(input.b_gid, input.seq);
    const to = cameraKey(input.gid, input.seq);
    return await this.#change([from, to], async () => {
      const old = this.#d.registry.get(input.b_gid, input.seq);
      if (!old) throw new NotFoundError(`camera gid=${input.b_gid} seq=${input.seq} not found`);
      const moving = input.gid !== input.b_gid;
      if (moving && this.#d.registry.get(input.gid, input.seq)) {
        throw new ConflictError(`camera gid=${input.gid} seq=${input.seq} already exists`);
      }
      const camera: Camera = {
        gid: input.gid,
        seq: input.seq,
        name: input.name,
        iaddr: restoreMaskedPassword(input.iaddr, old.iaddr),
        protocol: input.protocol,
        isRec: input.isRec,
        inserted: old.inserted,
        updated: contractTimestamp(this.#d.now()),
      };
      const recorder = this.#pool.get(input.b_gid, input.seq);
      if (moving || camera.iaddr !== old.iaddr || !recorder) {
        const closed = await this.#pool.stop(input.b_gid, input.seq);
        if (moving) {
          await this.#moveRecordings(input.b_gid, input.gid, input.seq);
          await this.#d.settings?.move(input.b_gid, input.gid, input.seq);
        }
        await this.#d.registry.put(camera, { gid: old.gid, seq: old.seq });
        await this.#pool.start(camera);
        this.#d.log.info("camera changed", { camera: to, from, restarted: true });
        if (moving) this.#published("camera_removed", old);
        this.#published("camera_added", camera);
        return { camera, closed: closed && moving ? { ...closed, gid: input.gid } : closed };
      }
      await this.#d.registry.put(camera);
      const closed = camera.isRec !== old.isRec
        ? recorder.setRecording(camera.isRec === 1)
        : undefined;
      if (camera.name !== old.name) this.#published("camera_added", camera);
      return { camera, closed };
    });
  }

  async setRecording(gid: number, seq: number, isRec: 0 | 1): Promise<ChangeResult> {
    const key = cameraKey(gid, seq);
    return await this.#change([key], async () => {
      const old = this.#d.registry.get(gid, seq);
      if (!old) throw new NotFoundError(`camera gid=${gid} seq=${seq} not found`);
      const camera: Camera = { ...old, isRec, updated: contractTimestamp(this.#d.now()) };
      await this.#d.registry.put(camera);
      const recorder = this.#pool.get(gid, seq);
      const closed = old.isRec !== isRec ? recorder?.setRecording(isRec === 1) : undefined;
      return { camera, closed };
    });
  }

  /** Stops the camera, unregisters it and moves its recordings to the deleted area. */
  async remove(gid: number, seq: number): Promise<boolean> {
    const key = cameraKey(gid, seq);
    return await this.#change([key], async () => {
      if (!this.#d.registry.get(gid, seq)) return false;
      await this.#pool.stop(gid, seq);
      await this.#d.registry.remove(gid, seq);
      await this.#d.settings?.remove(gid, seq);
      const { mediaRoot, log } = this.#d;
      const target = await moveToDeleted(mediaRoot, gid, seq, new Date(this.#d.now()), log);
      if (target) log.info("camera deleted; recordings moved", { camera: key, to: target });
      this.#d.catalog.forget(gid, seq);
      this.#published("camera_removed", { gid, seq });
      return true;
    });
  }

  /** Publishes a camera's arrival (or new name) or departure on the event hub. */
  #published(
    type: "camera_added" | "camera_removed",
    c: { gid: number; seq: number; name?: string },
  ) {
    const at = this.#d.now();
    this.#d.events?.publish(
      type === "camera_added"
        ? { type, at, gid: c.gid, seq: c.seq, name: c.name }
        : { type, at, gid: c.gid, seq: c.seq },
    );
  }

  /** The camera's folder follows a group move, and so does the catalog. */
  async #moveRecordings(fromGid: number, toGid: number, seq: number): Promise<void> {
    if (await moveCameraFolder(this.#d.mediaRoot, fromGid, toGid, seq, this.#d.log)) {
      this.#d.catalog.move(fromGid, toGid, seq);
    }
  }

  /** Folders in the deleted area: `{gid}_{seq}_{YYYYMMDD-HHMMSS}`. */
  listDeleted(): Promise<{ id: string; gid: number; seq: number }[]> {
    return listDeleted(this.#d.mediaRoot);
  }

  /** Permanently removes one folder of the deleted area. */
  async purgeDeleted(id: string): Promise<boolean> {
    const purged = await purgeDeleted(this.#d.mediaRoot, id);
    if (purged) this.#d.log.info("deleted recordings purged", { id });
    return purged;
  }

  /** Stops every camera; see CameraRecorder.stop for `signalledMs`. */
  async shutdown(signalledMs = 0): Promise<void> {
    await this.#pool.close(signalledMs); // a start still in flight then starts nothing
  }
}

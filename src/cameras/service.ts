/**
 * The camera service: the registry, one recorder per camera, and the rules of the
 * seed's API (identity (gid, seq), group moves, deletion into the deleted area).
 * Calls on the same camera are serialized.
 */
import { join } from "node:path";
import type { Logger } from "../log.ts";
import type { Catalog } from "../storage/catalog.ts";
import { exists, listDir, moveDir } from "../storage/files.ts";
import {
  cameraDir,
  DELETED_DIR,
  DELETED_RE,
  deletedFolderName,
  liveDir,
  THUMBS_DIR,
} from "../storage/layout.ts";
import type { SessionSummary } from "../storage/session.ts";
import { mergeThumbnails } from "../storage/thumbnails.ts";
import { contractTimestamp } from "../time.ts";
import { type CameraRecorder, type CameraStatus } from "../recorder/camera_recorder.ts";
import { type Camera, cameraKey } from "./camera.ts";
import { restoreMaskedPassword } from "./masked_password.ts";
import { KeyedMutex } from "./keyed_mutex.ts";
import type { Registry } from "./registry.ts";
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
  createRecorder: (camera: Camera) => CameraRecorder;
  /** Per-camera settings (schedule, retention, keep locks) follow moves and deletions. */
  settings?: CameraSettings;
  /** Cameras recorded at most (`--max-cameras`); more are refused (add) or not started (boot). */
  maxCameras?: number;
}

export class CameraService {
  #d: ServiceDeps;
  #recorders = new Map<string, CameraRecorder>();
  #mutex = new KeyedMutex();
  #bootKeys?: string[];
  /** While boot loads the cameras, changes wait for it (see holdChanges). */
  #loading?: Promise<void>;
  #closed = false;

  constructor(deps: ServiceDeps) {
    this.#d = deps;
  }

  list(): CameraView[] {
    return this.#d.registry.list().map((c) => this.#view(c));
  }

  get(gid: number, seq: number): CameraView | undefined {
    const c = this.#d.registry.get(gid, seq);
    return c && this.#view(c);
  }

  recorder(gid: number, seq: number): CameraRecorder | undefined {
    return this.#recorders.get(cameraKey(gid, seq));
  }

  #view(c: Camera): CameraView {
    const status = this.#recorders.get(cameraKey(c.gid, c.seq))?.status ??
      { state: "stopped", since: 0, reconnects: 0, segments: 0, started: false };
    return { ...c, status };
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
    this.#bootKeys = cameras.map((c) => cameraKey(c.gid, c.seq));
    const skipped: string[] = [];
    await Promise.all(cameras.map((c) => {
      const key = cameraKey(c.gid, c.seq);
      return this.#mutex.run([key], async () => {
        const camera = this.#d.registry.get(c.gid, c.seq);
        if (!camera || this.#recorders.has(key)) return;
        if (!(await this.#startRecorder(camera))) skipped.push(key);
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
    if (!this.#bootKeys) return false; // boot has not started the cameras yet
    return this.#bootKeys.every((k) => this.#recorders.get(k)?.status.started ?? true);
  }

  /** False when it was not started: shut down, or as many recorders as `maxCameras` run. */
  async #startRecorder(camera: Camera): Promise<boolean> {
    if (this.#closed || this.#recorders.size >= this.#maxCameras) return false;
    const recorder = this.#d.createRecorder(camera);
    this.#recorders.set(cameraKey(camera.gid, camera.seq), recorder);
    await recorder.start();
    return true;
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
      await this.#startRecorder(camera);
      this.#d.log.info("camera added", { camera: cameraKey(camera.gid, camera.seq) });
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
      const recorder = this.#recorders.get(from);
      if (moving || camera.iaddr !== old.iaddr || !recorder) {
        const closed = await recorder?.stop();
        this.#recorders.delete(from);
        if (moving) {
          await this.#moveRecordings(input.b_gid, input.gid, input.seq);
          await this.#d.settings?.move(input.b_gid, input.gid, input.seq);
        }
        await this.#d.registry.put(camera, { gid: old.gid, seq: old.seq });
        await this.#startRecorder(camera);
        this.#d.log.info("camera changed", { camera: to, from, restarted: true });
        return { camera, closed: closed && moving ? { ...closed, gid: input.gid } : closed };
      }
      await this.#d.registry.put(camera);
      const closed = camera.isRec !== old.isRec
        ? recorder.setRecording(camera.isRec === 1)
        : undefined;
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
      const recorder = this.#recorders.get(key);
      const closed = old.isRec !== isRec ? recorder?.setRecording(isRec === 1) : undefined;
      return { camera, closed };
    });
  }

  /** Stops the camera, unregisters it and moves its recordings to the deleted area. */
  async remove(gid: number, seq: number): Promise<boolean> {
    const key = cameraKey(gid, seq);
    return await this.#change([key], async () => {
      if (!this.#d.registry.get(gid, seq)) return false;
      await this.#recorders.get(key)?.stop();
      this.#recorders.delete(key);
      await this.#d.registry.remove(gid, seq);
      await this.#d.settings?.remove(gid, seq);
      const dir = cameraDir(this.#d.mediaRoot, gid, seq);
      await Deno.remove(liveDir(this.#d.mediaRoot, gid, seq), { recursive: true }).catch(() => {});
      if (await exists(dir)) {
        let target = join(
          this.#d.mediaRoot,
          DELETED_DIR,
          deletedFolderName(gid, seq, new Date(this.#d.now())),
        );
        for (let i = 1; await exists(target); i++) target = target.replace(/(-\d+)?$/, `-${i}`);
        await moveDir(dir, target);
        this.#d.log.info("camera deleted; recordings moved", { camera: key, to: target });
      }
      this.#d.catalog.forget(gid, seq);
      return true;
    });
  }

  async #moveRecordings(fromGid: number, toGid: number, seq: number): Promise<void> {
    const from = cameraDir(this.#d.mediaRoot, fromGid, seq);
    const to = cameraDir(this.#d.mediaRoot, toGid, seq);
    await Deno.remove(liveDir(this.#d.mediaRoot, fromGid, seq), { recursive: true }).catch(
      () => {},
    );
    if (!(await exists(from))) return;
    if (!(await exists(to))) {
      await moveDir(from, to);
    } else {
      // Leftovers at the target (not a registered camera): merge day by day, session by session.
      for (const date of await listDir(from, "dir")) {
        for (const time of await listDir(join(from, date), "dir")) {
          if (time === THUMBS_DIR) {
            await mergeThumbnails(join(from, date), join(to, date));
            continue;
          }
          let target = join(to, date, time);
          for (let i = 1; await exists(target); i++) {
            target = join(to, date, String(Number(time) + i).padStart(6, "0"));
          }
          await moveDir(join(from, date, time), target);
        }
      }
      await Deno.remove(from, { recursive: true }).catch(() => {});
    }
    this.#d.catalog.move(fromGid, toGid, seq);
  }

  /** Folders in the deleted area: `{gid}_{seq}_{YYYYMMDD-HHMMSS}`. */
  async listDeleted(): Promise<{ id: string; gid: number; seq: number }[]> {
    const names = await listDir(join(this.#d.mediaRoot, DELETED_DIR), "dir");
    return names.flatMap((id) => {
      const m = DELETED_RE.exec(id);
      return m ? [{ id, gid: Number(m[1]), seq: Number(m[2]) }] : [];
    });
  }

  /** Permanently removes one folder of the deleted area. */
  async purgeDeleted(id: string): Promise<boolean> {
    if (!DELETED_RE.test(id)) return false;
    const dir = join(this.#d.mediaRoot, DELETED_DIR, id);
    if (!(await exists(dir))) return false;
    await Deno.remove(dir, { recursive: true });
    this.#d.log.info("deleted recordings purged", { id });
    return true;
  }

  /** Stops every camera; see CameraRecorder.stop for `signalledMs`. */
  async shutdown(signalledMs = 0): Promise<void> {
    this.#closed = true; // a start still in flight (boot, an API call) starts nothing now
    await Promise.all([...this.#recorders.values()].map((r) => r.stop(signalledMs)));
    this.#recorders.clear();
  }
}

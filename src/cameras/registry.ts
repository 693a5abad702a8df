/**
 * The camera registry, persisted as one JSON file in the data dir (written
 * atomically: a crash leaves the old or the new list, never a torn one; saves are
 * serialized; owner-only, 0600: it holds camera passwords).
 */
import { join } from "node:path";
import { SerialQueue } from "../util/serial_queue.ts";
import { writePrivateFile } from "../storage/files.ts";
import { type Camera, cameraKey } from "./camera.ts";
import { CameraInput } from "./schemas.ts";

export class Registry {
  #cameras = new Map<string, Camera>();
  #writes = new SerialQueue();
  readonly path: string;

  constructor(dataDir: string) {
    this.path = join(dataDir, "cameras.json");
  }

  /** Loads the file; returns the entries it had to skip (invalid), for logging. */
  async load(): Promise<string[]> {
    const skipped: string[] = [];
    let raw: unknown;
    try {
      raw = JSON.parse(await Deno.readTextFile(this.path));
    } catch (err) {
      if (err instanceof Deno.errors.NotFound) return skipped;
      throw new Error(`cannot read ${this.path}: ${(err as Error).message}`);
    }
    for (const entry of Array.isArray(raw) ? raw : []) {
      const parsed = CameraInput.safeParse({
        seq: entry?.seq,
        gid: entry?.gid,
        name: entry?.name,
        iaddr: entry?.iaddr,
        protocol: entry?.protocol,
        isRec: entry?.isRec,
      });
      if (!parsed.success) {
        skipped.push(`${entry?.gid}/${entry?.seq}`);
        continue;
      }
      const cam: Camera = { ...parsed.data, inserted: entry.inserted, updated: entry.updated };
      this.#cameras.set(cameraKey(cam.gid, cam.seq), cam);
    }
    return skipped;
  }

  /** Saves run one at a time, each writing the list as it is then: the newest list wins. */
  #save(): Promise<void> {
    return this.#writes.run(() =>
      writePrivateFile(this.path, JSON.stringify([...this.#cameras.values()], null, 2))
    );
  }

  list(): Camera[] {
    return [...this.#cameras.values()].sort((a, b) => a.gid - b.gid || a.seq - b.seq);
  }

  get(gid: number, seq: number): Camera | undefined {
    return this.#cameras.get(cameraKey(gid, seq));
  }

  async put(camera: Camera, replacing?: { gid: number; seq: number }): Promise<void> {
    if (replacing) this.#cameras.delete(cameraKey(replacing.gid, replacing.seq));
    this.#cameras.set(cameraKey(camera.gid, camera.seq), camera);
    await this.#save();
  }

  async remove(gid: number, seq: number): Promise<boolean> {
    const had = this.#cameras.delete(cameraKey(gid, seq));
    if (had) await this.#save();
    return had;
  }

  async replaceAll(cameras: Camera[]): Promise<void> {
    this.#cameras = new Map(cameras.map((c) => [cameraKey(c.gid, c.seq), c]));
    await this.#save();
  }
}

/**
 * The disk guard: the media filesystem's free space, and whether recording must pause
 * because the disk is really full (free space under half of `--min-free`, or without it
 * under 2% of the filesystem capped at 32 MiB). Recorders ask `blocked()` before they
 * keep a segment; the cleaner updates it after each pass. It publishes
 * `recording_paused`/`recording_resumed` when that decision changes, and `storage_low`
 * when free space falls under `--min-free` (without it: twice the pause floor).
 */
import { statfs } from "node:fs/promises";
import type { EventHub } from "../events.ts";
import type { Logger } from "../log.ts";

export interface Space {
  freeBytes: number;
  totalBytes: number;
}

/**
 * Free space of the filesystem holding `path` (needs `--allow-sys=statfs`); undefined
 * while `path` does not exist. Other errors (no permission) are thrown.
 */
export async function statfsSpace(path: string): Promise<Space | undefined> {
  try {
    const s = await statfs(path);
    return { freeBytes: s.bavail * s.bsize, totalBytes: s.blocks * s.bsize };
  } catch (err) {
    if ((err as { code?: string } | null)?.code === "ENOENT") return undefined;
    throw err;
  }
}

export interface DiskGuardDeps {
  mediaRoot: string;
  minFreeBytes: number;
  log: Logger;
  /** Reads the free space (statfs by default; tests pass their own). */
  space?: (root: string) => Promise<Space | undefined>;
  /** Told of pauses, resumes and low space (events.ts). */
  events?: Pick<EventHub, "publish">;
  /** Wall-clock time of those events (default Date.now). */
  now?: () => number;
}

const MiB = 2 ** 20;
export const mib = (n: number) => `${(n / MiB).toFixed(1)} MiB`;

export class DiskGuard {
  #d: DiskGuardDeps;
  #space?: Space;
  #blocked?: string;
  /** The last error reading the free space (logged once, not at every pass). */
  #readError?: string;
  /** Free space is under `lowBytes` (storage_low published once per fall). */
  #low = false;

  constructor(deps: DiskGuardDeps) {
    this.#d = deps;
  }

  /** Why recording must pause now ("disk full …"), or undefined when it may write. */
  blocked = (): string | undefined => this.#blocked;

  /** The free space as last read. */
  get space(): Space | undefined {
    return this.#space;
  }

  /** Below this much free space the disk counts as really full: recording pauses. */
  get floorBytes(): number {
    if (this.#d.minFreeBytes > 0) return this.#d.minFreeBytes / 2;
    return Math.min(32 * MiB, (this.#space?.totalBytes ?? Infinity) * 0.02);
  }

  /** Under this much free space the disk is low (`storage_low`): before recording pauses. */
  get lowBytes(): number {
    return this.#d.minFreeBytes > 0 ? this.#d.minFreeBytes : 2 * this.floorBytes;
  }

  /** Reads the free space now (the pause state is left as it is); undefined when unknown. */
  async read(): Promise<Space | undefined> {
    const space = await (this.#d.space ?? statfsSpace)(this.#d.mediaRoot).catch((err) => {
      const error = String(err);
      if (error !== this.#readError) {
        this.#d.log.warn("cannot read the free space: recording never pauses for it", { error });
      }
      this.#readError = error;
      return undefined;
    });
    if (space) this.#readError = undefined;
    return this.#space = space;
  }

  /** Reads the free space and pauses or resumes recording by it; logs each change. */
  async check(): Promise<Space | undefined> {
    const space = await this.read();
    const before = this.#blocked;
    this.#blocked = space && space.freeBytes < this.floorBytes
      ? `disk full (${mib(space.freeBytes)} free, recording needs ${mib(this.floorBytes)})`
      : undefined;
    if (this.#blocked && !before) this.#d.log.error("recording paused", { reason: this.#blocked });
    if (!this.#blocked && before) this.#d.log.info("recording resumes: space is back");
    this.#publish(space, before);
    return space;
  }

  #publish(space: Space | undefined, before: string | undefined): void {
    const events = this.#d.events;
    if (!events) return;
    const at = (this.#d.now ?? Date.now)();
    if (space) {
      const low = space.freeBytes < this.lowBytes;
      if (low && !this.#low) {
        events.publish({ type: "storage_low", at, freeBytes: space.freeBytes });
      }
      this.#low = low;
    }
    if (this.#blocked && !before) {
      events.publish({ type: "recording_paused", at, reason: this.#blocked });
    }
    if (!this.#blocked && before) events.publish({ type: "recording_resumed", at });
  }
}

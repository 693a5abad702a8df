/**
 * Per-camera operational settings that are not part of the seed's camera record:
 * retention age, keep locks and the recording schedule. Persisted as one JSON file
 * `{data}/camera_settings.json` (written atomically), keyed by `gid/seq`.
 */
import { join } from "node:path";
import { z } from "zod";
import { writeFileAtomic } from "../storage/files.ts";
import { cameraKey } from "./camera.ts";
import type { SourceOptions } from "../recorder/camera_status.ts";
import { type Schedule, ScheduleInput } from "../schedule/schedule.ts";

export const isoTime = z.iso.datetime({ offset: true, error: "must be an ISO 8601 date-time" });

/** A span the user marked to keep: retention never deletes a segment overlapping it. */
export const KeepInput = z.strictObject({
  start: isoTime,
  end: isoTime,
  note: z.string().max(200, "must be at most 200 characters").optional(),
}).refine((k) => Date.parse(k.end) > Date.parse(k.start), {
  message: "must be after start",
  path: ["end"],
});

export const RetentionInput = z.strictObject({
  max_age_days: z.number({ error: "must be a number or null" }).positive("must be > 0")
    .max(3650, "must be <= 3650").nullable(),
});

/** How the camera is pulled and recorded (PUT …/options); every field optional. */
export const OptionsInput = z.strictObject({
  transport: z.enum(["tcp", "udp"], { error: "must be tcp or udp" }).optional(),
  mode: z.enum(["copy", "overlay"], { error: "must be copy or overlay" }).optional(),
  time_format: z.string().min(1).max(64, "must be at most 64 characters")
    .regex(/^[\x20-\x21\x23-\x5b\x5d-\x7e]+$/, "printable ASCII without quotes or backslashes")
    .optional(),
});

export interface KeepLock {
  id: string;
  startMs: number;
  endMs: number;
  note?: string;
}

export interface CameraSettingsEntry {
  maxAgeDays?: number;
  keeps: KeepLock[];
  schedule?: Schedule;
  options?: SourceOptions;
}

export class CameraSettings {
  readonly path: string;
  #map = new Map<string, CameraSettingsEntry>();
  #writes: Promise<void> = Promise.resolve();

  constructor(dataDir: string) {
    this.path = join(dataDir, "camera_settings.json");
  }

  async load(): Promise<void> {
    try {
      const raw = JSON.parse(await Deno.readTextFile(this.path));
      for (const [k, v] of Object.entries(raw ?? {})) {
        const e = v as CameraSettingsEntry;
        if (/^\d+\/\d+$/.test(k)) this.#map.set(k, { ...e, keeps: e.keeps ?? [] });
      }
    } catch (err) {
      if (!(err instanceof Deno.errors.NotFound)) {
        throw new Error(`cannot read ${this.path}: ${(err as Error).message}`);
      }
    }
  }

  get(gid: number, seq: number): CameraSettingsEntry {
    return this.#map.get(cameraKey(gid, seq)) ?? { keeps: [] };
  }

  /** Every camera's keep locks, for the cleaner. */
  allKeeps(): { gid: number; seq: number; startMs: number; endMs: number }[] {
    return [...this.#map.entries()].flatMap(([k, e]) => {
      const [gid, seq] = k.split("/").map(Number);
      return e.keeps.map((x) => ({ gid, seq, startMs: x.startMs, endMs: x.endMs }));
    });
  }

  async update(
    gid: number,
    seq: number,
    change: (e: CameraSettingsEntry) => CameraSettingsEntry,
  ): Promise<CameraSettingsEntry> {
    const next = change(structuredClone(this.get(gid, seq)));
    this.#map.set(cameraKey(gid, seq), next);
    await this.#save();
    return next;
  }

  /** After a group move: the settings follow the camera. */
  async move(fromGid: number, toGid: number, seq: number): Promise<void> {
    const e = this.#map.get(cameraKey(fromGid, seq));
    if (!e) return;
    this.#map.delete(cameraKey(fromGid, seq));
    this.#map.set(cameraKey(toGid, seq), e);
    await this.#save();
  }

  async remove(gid: number, seq: number): Promise<void> {
    if (this.#map.delete(cameraKey(gid, seq))) await this.#save();
  }

  #save(): Promise<void> {
    const data = JSON.stringify(Object.fromEntries(this.#map), null, 2);
    this.#writes = this.#writes.catch(() => {}).then(async () => {
      await Deno.mkdir(join(this.path, ".."), { recursive: true });
      await writeFileAtomic(this.path, data);
    });
    return this.#writes;
  }
}

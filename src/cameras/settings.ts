/**
 * Per-camera operational settings that are not part of the seed's camera record:
 * retention age, keep locks and the recording schedule. Persisted as one JSON file
 * `{data}/camera_settings.json` (written atomically, 0600), keyed by `gid/seq`.
 */
import { join } from "node:path";
import { z } from "zod";
import { SerialQueue } from "../util/serial_queue.ts";
import { writePrivateFile } from "../storage/files.ts";
import { cameraKey } from "./camera.ts";
import type { SourceOptions } from "../recorder/camera_status.ts";
import type { Schedule } from "../schedule/schedule.ts";
import type { StoredMotion } from "./motion_settings.ts";

export const isoTime = z.iso.datetime({ offset: true, error: "must be an ISO 8601 date-time" });

/**
 * Limits (docs/configuration.md "Limits", docs/reliability.md): keep locks block retention and are
 * rewritten with every settings change, so they are counted and bounded; a maximum
 * age under a day is far more likely a typo than a wish to wipe a camera's history.
 */
export const MAX_KEEPS_PER_CAMERA = 100;
export const MAX_KEEP_DAYS = 366;
/** No keep lock starts before this (there is no video from before), nor ends later than MAX_KEEP_DAYS from now. */
export const KEEP_EARLIEST = "2000-01-01T00:00:00Z";
export const MIN_AGE_DAYS = 1;
export const MAX_AGE_DAYS = 3650;
const DAY_MS = 86_400_000;

/** A span the user marked to keep: retention never deletes a segment overlapping it. */
export const KeepInput = z.strictObject({
  start: isoTime,
  end: isoTime,
  note: z.string().max(200, "must be at most 200 characters").optional(),
}).refine((k) => Date.parse(k.start) >= Date.parse(KEEP_EARLIEST), {
  message: `must not be before ${KEEP_EARLIEST}`,
  path: ["start"],
}).refine((k) => Date.parse(k.end) > Date.parse(k.start), {
  message: "must be after start",
  path: ["end"],
}).refine((k) => Date.parse(k.end) - Date.parse(k.start) <= MAX_KEEP_DAYS * DAY_MS, {
  message: `must be at most ${MAX_KEEP_DAYS} days after start`,
  path: ["end"],
});

export const RetentionInput = z.strictObject({
  max_age_days: z.number({ error: "must be a number or null" })
    .min(MIN_AGE_DAYS, `must be >= ${MIN_AGE_DAYS} (one day)`)
    .max(MAX_AGE_DAYS, `must be <= ${MAX_AGE_DAYS}`).nullable(),
  /** Retention tier: days everything is kept; after that only motion (missing: unchanged). */
  continuous_days: z.number({ error: "must be a number or null" })
    .min(0, "must be >= 0").max(MAX_AGE_DAYS, `must be <= ${MAX_AGE_DAYS}`).nullable().optional(),
}).refine(
  (r) => r.continuous_days == null || r.max_age_days == null || r.continuous_days <= r.max_age_days,
  { message: "must be at most max_age_days", path: ["continuous_days"] },
);

/** How much is recorded (PUT …/options, with the source options; never restarts the camera). */
export const RecordModeInput = {
  record_mode: z.enum(["continuous", "motion"], { error: "must be continuous or motion" })
    .optional(),
  post_roll_seconds: z.number({ error: "must be a number" }).int("must be an integer")
    .min(0, "must be >= 0").max(300, "must be <= 300").optional(),
};

/** How the camera is pulled and recorded (PUT …/options); every field optional. */
export const OptionsInput = z.strictObject({
  transport: z.enum(["tcp", "udp"], { error: "must be tcp or udp" }).optional(),
  mode: z.enum(["copy", "overlay"], { error: "must be copy or overlay" }).optional(),
  time_format: z.string().min(1).max(64, "must be at most 64 characters")
    .regex(/^[\x20-\x21\x23-\x5b\x5d-\x7e]+$/, "printable ASCII without quotes or backslashes")
    .optional(),
  /**
   * The camera's sub-stream (`rtsp://` or `rtsps://`), for live wall tiles; `null` removes
   * it. Checked like an iaddr (recorder/source_url.ts); responses mask its password.
   */
  sub_iaddr: z.string({ error: "must be a string or null" }).max(2048).nullable().optional(),
  ...RecordModeInput,
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
  /** `motion`: only segments overlapping motion events (with pre- and post-roll) are kept. */
  recordMode?: "continuous" | "motion";
  postRollSeconds?: number;
  /** Retention tier: days kept whole; after that only motion until maxAgeDays. */
  continuousDays?: number;
  /** Motion detection (motion_settings.ts): only what was set. */
  motion?: StoredMotion;
}

export class CameraSettings {
  readonly path: string;
  #map = new Map<string, CameraSettingsEntry>();
  #writes = new SerialQueue();

  constructor(dataDir: string) {
    this.path = join(dataDir, "camera_settings.json");
  }

  async load(): Promise<void> {
    try {
      const raw = JSON.parse(await Deno.readTextFile(this.path));
      for (const [k, v] of Object.entries(raw ?? {})) {
        const e = v as CameraSettingsEntry;
        if (!/^\d+\/\d+$/.test(k)) continue;
        const entry: CameraSettingsEntry = { ...e, keeps: Array.isArray(e.keeps) ? e.keeps : [] };
        // Written before the limits or by hand: the maximum age is read within them.
        const days = e.maxAgeDays;
        if (typeof days === "number" && Number.isFinite(days)) {
          entry.maxAgeDays = Math.min(MAX_AGE_DAYS, Math.max(MIN_AGE_DAYS, days));
        } else delete entry.maxAgeDays;
        this.#map.set(k, entry);
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

  /** Saves run one at a time, in call order (each writes the settings as they were then). */
  #save(): Promise<void> {
    const data = JSON.stringify(Object.fromEntries(this.#map), null, 2);
    return this.#writes.run(() => writePrivateFile(this.path, data));
  }
}

/**
 * Timeline thumbnails without a permanent decode: every `--thumbnail-seconds` of
 * recording, one short `gst-launch-1.0` run decodes the first frame (a keyframe) of a
 * camera's newest closed segment into a small JPEG stored with that day's recordings,
 * `{camera}/{date}/thumbs/{HHMMSS}.jpg`, named by the segment's wall-clock start.
 * One decode at a time across all cameras (a queue); a failing decode is logged and
 * skipped. The JPEG is written under a temp name and renamed, so a reader or a crash
 * never sees half a picture.
 */
import { join, relative } from "node:path";
import { type Clock, sleep } from "../clock.ts";
import type { Logger } from "../log.ts";
import type { Catalog } from "../storage/catalog.ts";
import { removeIfPresent } from "../storage/files.ts";
import { liveDir, PLAYLIST, thumbnailName, thumbsDir } from "../storage/layout.ts";
import { parsePlaylist } from "../storage/playlist.ts";
import { localDate } from "../time.ts";
import { GST_LAUNCH } from "./pipeline.ts";
import { snapshotArgs, type SnapshotSource } from "./snapshot.ts";
import { SerialQueue } from "../util/serial_queue.ts";

/** Width of a thumbnail in pixels (the height keeps the picture's aspect). */
export const THUMB_WIDTH = 320;

/** A closed segment of the session being recorded and its wall-clock start. */
export interface ThumbFrame {
  source: SnapshotSource;
  startMs: number;
}

/** What the thumbnailer needs from a camera. */
export interface ThumbCamera {
  gid: number;
  seq: number;
  /** Recording now (state `recording`: not paused, not reconnecting). */
  recording: boolean;
  /** The newest closed segment of the session being recorded, if there is one. */
  frame(): Promise<ThumbFrame | undefined>;
}

export interface ThumbState {
  key: string;
  recording: boolean;
  /** Monotonic ms of the camera's last thumbnail attempt (or of its first sighting). */
  lastMs?: number;
}

/**
 * Cameras that need a thumbnail at monotonic time `now`: recording, and their last
 * attempt at least `intervalMs` ago. A camera never seen (no `lastMs`) is not due:
 * its first thumbnail comes one interval after it is first seen. The longest
 * waiting come first. Pure; `intervalMs` 0 means thumbnails are off.
 */
export function dueThumbnails(cams: ThumbState[], now: number, intervalMs: number): string[] {
  if (!(intervalMs > 0)) return [];
  return cams
    .filter((c) => c.recording && c.lastMs !== undefined && now - c.lastMs >= intervalMs)
    .sort((a, b) => a.lastMs! - b.lastMs! || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((c) => c.key);
}

/** How often the thumbnailer looks for due cameras: a third of the interval, 0.5–10 s. */
export function tickMs(intervalMs: number): number {
  return Math.min(10_000, Math.max(500, Math.round(intervalMs / 3)));
}

/**
 * argv decoding the first video frame of `src` into a JPEG `width` pixels wide
 * (square pixels, the display aspect kept) at `out`. Pure.
 */
export function thumbnailArgs(src: SnapshotSource, out: string, width = THUMB_WIDTH): string[] {
  const args = snapshotArgs(src, out);
  const at = args.indexOf("jpegenc");
  return [
    ...args.slice(0, at),
    "videoscale",
    "!",
    `video/x-raw,width=${Math.round(width)},pixel-aspect-ratio=1/1`,
    "!",
    ...args.slice(at),
  ];
}

/** Decodes one frame of `src` into a JPEG at `out`; throws with the reason when it cannot. */
export type Decoder = (src: SnapshotSource, out: string) => Promise<void>;

/** The real decoder: one short gst-launch run, killed after `timeoutMs`. */
export function gstDecoder(width = THUMB_WIDTH, timeoutMs = 10_000): Decoder {
  return async (src, out) => {
    const res = await new Deno.Command(GST_LAUNCH, {
      args: thumbnailArgs(src, out, width),
      stdout: "null",
      stderr: "piped",
      signal: AbortSignal.timeout(timeoutMs),
    }).output();
    if (!res.success) {
      const why = new TextDecoder().decode(res.stderr).trim().split("\n").at(-1);
      throw new Error(why || `gst-launch exited with code ${res.code}`);
    }
  };
}

/** True when `bytes` look like a whole JPEG (SOI at the start, EOI at the end). */
export function isJpeg(bytes: Uint8Array): boolean {
  const n = bytes.length;
  return n > 4 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[n - 2] === 0xff &&
    bytes[n - 1] === 0xd9;
}

/** The recorder side the real `ThumbCamera.frame` reads (see `recorderFrame`). */
export interface FrameSource {
  gid: number;
  seq: number;
  status: { recordingSession?: { date: string; time: string } };
  snapshotSource(): SnapshotSource | undefined;
}

/**
 * The newest closed live segment of a recorder, when it belongs to the session being
 * recorded; its start time is read from the live playlist (a few entries).
 */
export async function recorderFrame(
  rec: FrameSource,
  mediaRoot: string,
  catalog: Catalog,
): Promise<ThumbFrame | undefined> {
  const session = rec.status.recordingSession;
  const source = rec.snapshotSource();
  if (!session || !source) return undefined;
  const live = liveDir(mediaRoot, rec.gid, rec.seq);
  const text = await Deno.readTextFile(join(live, PLAYLIST)).catch((err) => {
    if (err instanceof Deno.errors.NotFound) return ""; // no segment listed yet
    throw err;
  });
  const uri = relative(live, source.path);
  const seg = parsePlaylist(text).segments.find((s) => s.uri === uri);
  if (!seg || !Number.isFinite(seg.startMs)) return undefined;
  const summary = catalog.sessions(rec.gid, rec.seq, session.date)
    .find((s) => s.time === session.time);
  // Only a segment recorded in the session (not pre-roll before it, not the next day's).
  if (!summary || seg.startMs < summary.startMs || localDate(seg.startMs) !== session.date) {
    return undefined;
  }
  return { source, startMs: seg.startMs };
}

export interface ThumbnailerDeps {
  mediaRoot: string;
  /** Seconds of recording between two thumbnails of a camera (0: none). */
  intervalSeconds: number;
  clock: Clock;
  log: Logger;
  cameras: () => ThumbCamera[];
  decode?: Decoder;
}

export class Thumbnailer {
  #d: ThumbnailerDeps;
  #decode: Decoder;
  /** Per camera: monotonic ms of the last attempt (or first sighting). */
  #last = new Map<string, number>();
  /** Per camera: start of the segment of the last thumbnail made. */
  #lastFrame = new Map<string, number>();
  /** Decodes, one at a time. */
  #decodes = new SerialQueue();
  #stop = new AbortController();
  #loop?: Promise<void>;
  /** Thumbnails written and decodes that failed since start. */
  readonly totals = { made: 0, failed: 0 };

  constructor(deps: ThumbnailerDeps) {
    this.#d = deps;
    this.#decode = deps.decode ?? gstDecoder();
  }

  get intervalMs(): number {
    return this.#d.intervalSeconds * 1000;
  }

  /** Starts looking for due cameras (nothing when thumbnails are off). */
  start(): void {
    if (this.intervalMs <= 0) return;
    const every = tickMs(this.intervalMs);
    this.#loop ??= (async () => {
      while (await sleep(this.#d.clock, every, this.#stop.signal)) {
        // A background loop: a throw here would be an unhandled rejection (process exit).
        await this.tick().catch((err) =>
          this.#d.log.error("thumbnail pass failed", { error: String(err) })
        );
      }
    })();
  }

  /** Stops the loop; a decode in progress finishes (it is short and time-limited). */
  async stop(): Promise<void> {
    this.#stop.abort();
    await this.#loop;
    await this.#decodes.idle();
  }

  /** One look at every camera: makes the due thumbnails, one after another. */
  async tick(): Promise<number> {
    const now = this.#d.clock.monotonic();
    const cams = new Map(this.#d.cameras().map((c) => [`${c.gid}/${c.seq}`, c]));
    for (const key of cams.keys()) if (!this.#last.has(key)) this.#last.set(key, now);
    for (const key of [...this.#last.keys()]) {
      if (cams.has(key)) continue;
      this.#last.delete(key);
      this.#lastFrame.delete(key);
    }
    const due = dueThumbnails(
      [...cams].map(([key, c]) => ({ key, recording: c.recording, lastMs: this.#last.get(key) })),
      now,
      this.intervalMs,
    );
    let made = 0;
    for (const key of due) {
      if (this.#stop.signal.aborted) break;
      // After every decode queued before it: never two decodes at once.
      if (await this.#decodes.run(() => this.#make(key, cams.get(key)!, now))) made++;
    }
    return made;
  }

  async #make(key: string, cam: ThumbCamera, now: number): Promise<boolean> {
    const frame = await cam.frame().catch((err) => {
      this.#d.log.warn("thumbnail: cannot find the newest segment", {
        camera: key,
        error: String(err),
      });
      return undefined;
    });
    // Nothing recorded yet, or no new segment since the last thumbnail: look again later.
    if (!frame || frame.startMs <= (this.#lastFrame.get(key) ?? -Infinity)) return false;
    this.#last.set(key, now);
    this.#lastFrame.set(key, frame.startMs);
    const { date, name } = thumbnailName(frame.startMs);
    const dir = thumbsDir(this.#d.mediaRoot, cam.gid, cam.seq, date);
    const tmp = join(dir, `${name}.tmp-${crypto.randomUUID().slice(0, 8)}`);
    try {
      await Deno.mkdir(dir, { recursive: true });
      await this.#decode(frame.source, tmp);
      if (!isJpeg(await Deno.readFile(tmp))) throw new Error("the decoder wrote no whole JPEG");
      await Deno.rename(tmp, join(dir, name));
      this.totals.made++;
      return true;
    } catch (err) {
      this.totals.failed++;
      this.#d.log.warn("thumbnail skipped", {
        camera: key,
        at: `${date} ${name}`,
        error: (err as Error).message,
      });
      await removeIfPresent(tmp).catch((err) =>
        this.#d.log.warn("thumbnail: cannot remove", { path: tmp, error: String(err) })
      );
      return false;
    }
  }
}

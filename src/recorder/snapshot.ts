/**
 * Snapshots without a permanent decode: on request, one short `gst-launch-1.0` run
 * decodes the first frame (a keyframe) of the camera's newest closed live segment
 * into a JPEG. The picture is at most one segment old. Results are cached per
 * segment, and concurrent requests share one run.
 */
import { join } from "node:path";
import type { Logger } from "../log.ts";
import { removeIfPresent } from "../storage/files.ts";
import { type Codec, GST_LAUNCH } from "./pipeline.ts";
import { prop } from "./pipeline/argv.ts";

export interface SnapshotSource {
  /** A closed MPEG-TS segment. */
  path: string;
  codec: Codec;
}

/** argv decoding the first video frame of `src` into a JPEG (camera's size) at `out`. Pure. */
export function snapshotArgs(src: SnapshotSource, out: string): string[] {
  const c = src.codec === "h265" ? "265" : "264";
  return [
    "-q",
    "filesrc",
    prop("location", src.path),
    "!",
    "tsdemux",
    "!",
    `h${c}parse`,
    "!",
    `avdec_h${c}`,
    "!",
    "videoconvert",
    "!",
    "jpegenc",
    "snapshot=true",
    "quality=80",
    "!",
    "filesink",
    prop("location", out),
  ];
}

export class Snapshots {
  #cache = new Map<string, { path: string; jpeg: Promise<Uint8Array | undefined> }>();

  constructor(
    readonly tmpDir: string,
    readonly timeoutMs = 10_000,
    /** Where a snapshot that could not be made is reported (default: stderr). */
    readonly log?: Logger,
  ) {}

  /** The JPEG of the camera's newest segment, or undefined when none can be made. */
  get(key: string, src: SnapshotSource | undefined): Promise<Uint8Array | undefined> {
    if (!src) return Promise.resolve(undefined);
    const hit = this.#cache.get(key);
    if (hit?.path === src.path) return hit.jpeg;
    // #make never rejects (a failure is `undefined`), so this chain cannot float a rejection.
    const jpeg = this.#make(key, src);
    this.#cache.set(key, { path: src.path, jpeg });
    void jpeg.then((j) => {
      if (!j && this.#cache.get(key)?.jpeg === jpeg) this.#cache.delete(key);
    });
    return jpeg;
  }

  async #make(key: string, src: SnapshotSource): Promise<Uint8Array | undefined> {
    const out = join(
      this.tmpDir,
      `${key.replace("/", "_")}-${crypto.randomUUID().slice(0, 8)}.jpg`,
    );
    try {
      // Inside the try: a media folder that is read-only or full is "no picture", not a crash.
      await Deno.mkdir(this.tmpDir, { recursive: true });
      const res = await new Deno.Command(GST_LAUNCH, {
        args: snapshotArgs(src, out),
        stdout: "null",
        stderr: "null",
        signal: AbortSignal.timeout(this.timeoutMs),
      }).output();
      if (!res.success) return undefined;
      const jpeg = await Deno.readFile(out);
      return jpeg.length > 0 ? jpeg : undefined;
    } catch (err) {
      // No picture (the route answers without one), never a crash; but said why.
      this.#warn("snapshot failed", { camera: key, error: String(err) });
      return undefined;
    } finally {
      await removeIfPresent(out).catch((err) =>
        this.#warn("snapshot: cannot remove", { path: out, error: String(err) })
      );
    }
  }

  #warn(msg: string, fields: Record<string, unknown>): void {
    if (this.log) this.log.warn(msg, fields);
    else console.error(msg, fields);
  }
}

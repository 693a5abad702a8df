/**
 * Motion event thumbnails: a JPEG (320 px wide) of the moment of peak motion, decoded
 * once from the recorded segment at that moment (the keyframe that starts the segment
 * nearest the peak, by the thumbnailer's one-frame decode) and kept beside the events as
 * `{media}/{gid}/{seq}/events/{id}.jpg`. Made on the first request (then served from the
 * file); decodes run one at a time, and concurrent requests for one event share one.
 */
import { dirname } from "node:path";
import type { Logger } from "../log.ts";
import type { Catalog } from "../storage/catalog.ts";
import type { EventStore } from "../storage/event_store.ts";
import { statIfPresent } from "../storage/files.ts";
import type { MotionEvent } from "../storage/motion_events.ts";
import { segmentsBetween, type SpanSegment } from "../storage/span_query.ts";
import { SerialQueue } from "../util/serial_queue.ts";
import type { Codec } from "./pipeline.ts";
import { type Decoder, gstDecoder, isJpeg } from "./thumbnailer.ts";

/**
 * The segment whose first frame best shows the event's peak: of the segments starting
 * within the event, the one starting nearest its peak; else the one holding the peak;
 * else the first. Pure.
 */
export function peakSegment(
  segments: SpanSegment[],
  e: Pick<MotionEvent, "start" | "end" | "peak">,
): SpanSegment | undefined {
  const end = e.end ?? Infinity;
  const inside = segments.filter((s) => s.startMs >= e.start && s.startMs <= end);
  if (inside.length) {
    return inside.reduce((a, b) =>
      Math.abs(b.startMs - e.peak) < Math.abs(a.startMs - e.peak) ? b : a
    );
  }
  return segments.find((s) => s.startMs <= e.peak && e.peak < s.startMs + s.durationMs) ??
    segments[0];
}

export interface EventThumbnailDeps {
  mediaRoot: string;
  store: EventStore;
  catalog: Catalog;
  /** The camera's video codec (default h264). */
  codec: (gid: number, seq: number) => Codec | undefined;
  log: Logger;
  decode?: Decoder;
  /** The archived bytes of a segment no longer on disk (`gid/seq/date/time/name`), if any. */
  archived?: (rel: string) => Promise<Uint8Array | undefined>;
}

export class EventThumbnails {
  #d: EventThumbnailDeps;
  #decode: Decoder;
  #queue = new SerialQueue();
  #making = new Map<string, Promise<string | undefined>>();

  constructor(deps: EventThumbnailDeps) {
    this.#d = deps;
    this.#decode = deps.decode ?? gstDecoder();
  }

  /** The thumbnail's path, made now if needed; undefined when there is no such event or video. */
  get(gid: number, seq: number, id: string): Promise<string | undefined> {
    const path = this.#d.store.thumbnailPath(gid, seq, id);
    let p = this.#making.get(path);
    if (!p) {
      p = this.#get(gid, seq, id, path).finally(() => this.#making.delete(path));
      this.#making.set(path, p);
    }
    return p;
  }

  async #get(gid: number, seq: number, id: string, path: string): Promise<string | undefined> {
    if (await statIfPresent(path)) return path;
    const event = await this.#d.store.find(gid, seq, id);
    if (!event) return undefined;
    const { segments } = await segmentsBetween(
      this.#d.mediaRoot,
      this.#d.catalog,
      gid,
      seq,
      event.start,
      (event.end ?? event.peak) + 1,
    );
    const seg = peakSegment(segments, event);
    if (!seg) return undefined;
    return await this.#queue.run(async () => {
      const tmp = `${path}.tmp-${crypto.randomUUID().slice(0, 8)}`;
      try {
        await Deno.mkdir(dirname(path), { recursive: true });
        const source = {
          path: `${this.#d.mediaRoot}/${seg.rel}`,
          codec: this.#d.codec(gid, seq) ?? "h264",
        };
        // A segment that left the disk once archived is decoded from a copy of its bytes.
        if (this.#d.archived && !(await statIfPresent(source.path))) {
          const bytes = await this.#d.archived(seg.rel);
          if (bytes) await Deno.writeFile(source.path = `${tmp}.ts`, bytes);
        }
        await this.#decode(source, tmp);
        if (!isJpeg(await Deno.readFile(tmp))) throw new Error("the decoder wrote no whole JPEG");
        await Deno.rename(tmp, path);
        return path;
      } catch (err) {
        this.#d.log.warn("event thumbnail not made", {
          camera: `${gid}/${seq}`,
          id,
          error: (err as Error).message,
        });
        await Deno.remove(tmp).catch(() => {/* not written */});
        return undefined;
      } finally {
        await Deno.remove(`${tmp}.ts`).catch(() => {/* none fetched */});
      }
    });
  }
}

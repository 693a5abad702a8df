/**
 * A span of recordings, exported:
 *   GET /api/export/gid/{gid}/seq/{seq}/span.m3u8?from=&to=   HLS playlist of just that span
 *   GET /api/export/gid/{gid}/seq/{seq}/span.mp4?from=&to=&name=  one MP4, remuxed (no re-encode)
 * `from`/`to` are epoch ms or ISO 8601. The playlist lets a player start anywhere in a
 * day of tens of thousands of segments without loading the whole day's list.
 * The MP4 is made by a `gst-launch-1.0` child (argv array, no shell) fed the
 * span's MPEG-TS segments on stdin, into `{media}/.exports/` (the server writes
 * nowhere else than the media root and the data dir). The file is unlinked once it
 * is open for the response, and the folder is emptied at start-up. At most
 * MAX_EXPORTS_IN_FLIGHT exports are made or sent at once; beyond: 429.
 */
import { type Context, Hono } from "hono";
import { join } from "node:path";
import { z } from "zod";
import type { Catalog } from "../storage/catalog.ts";
import { joinTimeline, renderPlaylist, targetDurationFor } from "../storage/playlist.ts";
import { readSessionPlaylist } from "../storage/session_reader.ts";
import { tsStreams } from "../storage/ts_streams.ts";
import { localDate } from "../time.ts";
import { EXPORTS_DIR } from "../storage/layout.ts";
import { fieldErrors, IdParam } from "../cameras/schemas.ts";
import { HttpError } from "./http_errors.ts";
import { exportFileName } from "./export_name.ts";

const HOUR = 3_600_000;
const MAX_PLAYLIST_MS = 24 * HOUR;
const MAX_MP4_MS = 2 * HOUR;
/**
 * MP4 exports being made or sent at once, across all clients. Each one runs a remux
 * child and holds a temporary file as large as the span (up to 2 h of video).
 */
export const MAX_EXPORTS_IN_FLIGHT = 2;

const instant = z.union([
  z.string().regex(/^\d{1,15}$/).transform(Number),
  z.string().regex(/^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})$/).transform(Date.parse),
], { error: "must be epoch ms or an ISO 8601 time" }).pipe(z.number().finite().min(0));

const Ids = z.object({ gid: IdParam, seq: IdParam });
const Span = z.strictObject({
  from: instant,
  to: instant,
  name: z.string().max(100).optional(),
}).refine((s) => s.to > s.from, { message: "must be after from", path: ["to"] });

export interface SpanSegment {
  /** Path under the media root, with `/` separators. */
  rel: string;
  startMs: number;
  durationMs: number;
  discontinuity: boolean;
}

/**
 * Every recorded segment that overlaps [fromMs, toMs), as one timeline (see joinTimeline:
 * no overlap, a discontinuity at every session join and jump), and the target duration
 * that fits the sessions they come from.
 */
export async function segmentsBetween(
  mediaRoot: string,
  catalog: Catalog,
  gid: number,
  seq: number,
  fromMs: number,
  toMs: number,
): Promise<{ segments: SpanSegment[]; targetDuration: number }> {
  const dates = new Set<string>();
  for (let t = fromMs - 24 * HOUR; t < toMs + 24 * HOUR; t += 12 * HOUR) dates.add(localDate(t));
  const sessions = [...dates].flatMap((date) => catalog.sessions(gid, seq, date))
    .filter((s) => s.startMs < toMs && (s.open || s.endMs > fromMs))
    .sort((a, b) => a.startMs - b.startMs);
  const lists: { uri: string; startMs: number; durationMs: number; discontinuity?: boolean }[][] =
    [];
  let target = 1;
  for (const s of sessions) {
    const parsed = await readSessionPlaylist(mediaRoot, s);
    if (!parsed) continue;
    target = Math.max(target, parsed.targetDuration);
    lists.push(
      parsed.segments
        .filter((seg) => seg.startMs + seg.durationMs > fromMs && seg.startMs < toMs)
        .map((seg) => ({ ...seg, uri: `${gid}/${seq}/${s.date}/${s.time}/${seg.uri}` })),
    );
  }
  const segments = joinTimeline(lists).map((seg) => ({
    rel: seg.uri,
    startMs: seg.startMs,
    durationMs: seg.durationMs,
    discontinuity: !!seg.discontinuity,
  }));
  return { segments, targetDuration: Math.max(target, targetDurationFor(segments, 1)) };
}

function parse(c: { req: { param(): Record<string, string>; query(): Record<string, string> } }) {
  const ids = Ids.safeParse(c.req.param());
  const span = Span.safeParse(c.req.query());
  const fields = [
    ...(ids.success ? [] : fieldErrors(ids.error)),
    ...(span.success ? [] : fieldErrors(span.error)),
  ];
  if (!ids.success || !span.success) throw new HttpError(400, "invalid request", fields);
  return { ...ids.data, ...span.data };
}

export function exportRoutes(mediaRoot: string, catalog: Catalog) {
  const app = new Hono();

  /** The request's span (at most `maxMs`, named `limit` in the error) and its segments. */
  const span = async (c: Context, maxMs: number, limit: string) => {
    const q = parse(c);
    if (q.to - q.from > maxMs) {
      throw new HttpError(400, "invalid request", [{ field: "to", message: `span over ${limit}` }]);
    }
    const { segments: segs, targetDuration } = await segmentsBetween(
      mediaRoot,
      catalog,
      q.gid,
      q.seq,
      q.from,
      q.to,
    );
    if (segs.length === 0) throw new HttpError(404, "no recording in this span");
    return { q, segs, targetDuration };
  };

  app.get("/gid/:gid/seq/:seq/span.m3u8", async (c) => {
    const { segs, targetDuration } = await span(c, MAX_PLAYLIST_MS, "24 h");
    const text = renderPlaylist(
      { targetDuration, type: "VOD", ended: true },
      segs.map((s) => ({ ...s, uri: `/${s.rel}` })),
    );
    return c.body(text, 200, {
      "content-type": "application/vnd.apple.mpegurl",
      "cache-control": "no-cache",
    });
  });

  let inFlight = 0;
  app.get("/gid/:gid/seq/:seq/span.mp4", async (c) => {
    const { q, segs } = await span(c, MAX_MP4_MS, "2 h");
    if (inFlight >= MAX_EXPORTS_IN_FLIGHT) {
      return c.json(
        { status: 0, error: `${MAX_EXPORTS_IN_FLIGHT} exports are in progress: try again soon` },
        429,
        { "retry-after": "10" },
      );
    }
    inFlight++;
    let handedOff = false;
    let released = false;
    const release = () => {
      if (!released) inFlight--;
      released = true;
    };
    const dir = join(mediaRoot, EXPORTS_DIR);
    const out = join(dir, `${crypto.randomUUID()}.mp4`);
    try {
      try {
        await Deno.mkdir(dir, { recursive: true });
      } catch (err) {
        return c.json({
          status: 0,
          error: `cannot write the export under the media folder: ${(err as Error).name}`,
        }, 503);
      }
      await remux(segs.map((s) => join(mediaRoot, ...s.rel.split("/"))), out);
      const file = await Deno.open(out);
      const size = (await file.stat()).size;
      await Deno.remove(out); // the open handle keeps the data until the body is sent
      const res = new Response(releasing(file.readable, release), {
        headers: {
          "content-type": "video/mp4",
          "content-length": String(size),
          "content-disposition": `attachment; filename="${
            exportFileName(q.name, q.gid, q.seq, q.from, q.to)
          }"`,
          "cache-control": "no-store",
        },
      });
      handedOff = true; // the body releases its slot when it is sent or the client leaves
      return res;
    } catch (err) {
      await Deno.remove(out).catch(() => {});
      throw err;
    } finally {
      if (!handedOff) release();
    }
  });

  return app;
}

/** `src`, calling `done` once when it ends, fails or is cancelled (the client left). */
function releasing(src: ReadableStream<Uint8Array>, done: () => void): ReadableStream<Uint8Array> {
  const reader = src.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(ctl) {
      try {
        const r = await reader.read();
        if (r.done) {
          done();
          ctl.close();
        } else ctl.enqueue(r.value);
      } catch (err) {
        done();
        ctl.error(err);
      }
    },
    async cancel(reason) {
      done();
      await reader.cancel(reason).catch(() => {});
    },
  });
}

/** Empties `{media}/.exports` (files left by a crash); called at start-up. */
export async function sweepExports(mediaRoot: string): Promise<void> {
  await Deno.remove(join(mediaRoot, EXPORTS_DIR), { recursive: true }).catch((err) => {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
  });
}

/** The first KB of a segment (where its PAT/PMT are); empty if it is gone (pruned). */
async function head(path: string): Promise<Uint8Array> {
  try {
    using file = await Deno.open(path);
    const buf = new Uint8Array(4 * 188);
    const n = await file.read(buf);
    return buf.subarray(0, n ?? 0);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return new Uint8Array();
    throw err;
  }
}

/**
 * The MP4's tracks: the span's video codec, and its AAC audio when every segment has
 * some (a span that starts before the camera's audio was found is exported silent).
 * A span whose video changes codec cannot be one MP4: 409.
 */
async function spanStreams(paths: string[]): Promise<{ video: "h264" | "h265"; audio: boolean }> {
  const all = (await Promise.all(paths.map(async (p) => tsStreams(await head(p)))))
    .filter((s) => s.length > 0);
  const videos = new Set(all.map((s) => s.find((x) => x === "h264" || x === "h265")));
  if (videos.size > 1) {
    throw new HttpError(409, "the camera changed codec within this span: export shorter spans");
  }
  const video = [...videos][0] ?? "h264";
  return { video, audio: all.length > 0 && all.every((s) => s.includes("aac")) };
}

/**
 * Concatenated MPEG-TS on stdin → tsdemux → parsers → mp4mux → `out`; no re-encoding.
 * Pure argv (paths are never part of the pipeline text except `out`, a temp file).
 */
export function remuxArgs(streams: { video: "h264" | "h265"; audio: boolean }, out: string) {
  return [
    "-q",
    "fdsrc",
    "fd=0",
    "!",
    "tsdemux",
    "name=demux",
    "demux.",
    "!",
    "queue",
    "!",
    `${streams.video}parse`,
    "!",
    // The parser passes NAL units on as they were muxed (one PES packet each, only the
    // first with a PTS: splitmuxsink cuts a GOP sooner that way); MP4 needs every frame's.
    `${streams.video}timestamper`,
    "!",
    "mp4mux",
    "name=mux",
    "!",
    "filesink",
    `location=${out}`,
    ...(streams.audio ? ["demux.", "!", "queue", "!", "aacparse", "!", "mux."] : []),
  ];
}

async function remux(paths: string[], out: string): Promise<void> {
  const child = new Deno.Command("gst-launch-1.0", {
    args: remuxArgs(await spanStreams(paths), out),
    stdin: "piped",
    stdout: "null",
    stderr: "piped",
    signal: AbortSignal.timeout(120_000),
  }).spawn();
  const stderr = new Response(child.stderr).text();
  const writer = child.stdin.getWriter();
  try {
    for (const p of paths) {
      try {
        await writer.write(await Deno.readFile(p));
      } catch (err) {
        if (err instanceof Deno.errors.NotFound) continue; // pruned meanwhile
        throw err;
      }
    }
  } finally {
    await writer.close().catch(() => {});
  }
  const status = await child.status;
  if (!status.success) {
    throw new Error(`remux failed (${status.code}): ${(await stderr).slice(0, 300)}`);
  }
}

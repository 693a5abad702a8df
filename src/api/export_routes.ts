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
import { denoSpawner, type Spawner } from "../recorder/child_process.ts";
import { remux } from "../recorder/remux.ts";
import type { Catalog } from "../storage/catalog.ts";
import { newExportFile } from "../storage/exports.ts";
import { renderPlaylist } from "../storage/playlist.ts";
import { segmentsBetween } from "../storage/span_query.ts";
import { spanTracks } from "../storage/ts_streams.ts";
import { fieldErrors, IdParam } from "../cameras/schemas.ts";
import { HttpError } from "./http_errors.ts";
import { exportFileName } from "./export_name.ts";
import type { ArchiveRange } from "./archive_media.ts";

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

/** `spawn` runs the remux child (tests may script it). */
export function exportRoutes(
  mediaRoot: string,
  catalog: Catalog,
  spawn: Spawner = denoSpawner,
  /** The archived bytes of a segment no longer on disk (`gid/seq/date/time/name`), if any. */
  archived?: (rel: string) => Promise<Uint8Array | undefined>,
  /** `--archive-presign`: archive-only segments as byte ranges of their bundles' URLs. */
  ranges?: (rels: string[]) => Promise<Map<string, ArchiveRange>>,
) {
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
    const archivedAt = ranges ? await ranges(segs.map((s) => s.rel)) : undefined;
    const text = renderPlaylist(
      { targetDuration, type: "VOD", ended: true },
      segs.map((s) => ({ ...s, uri: `/${s.rel}`, ...archivedAt?.get(s.rel) })),
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
    let out: string | undefined;
    const fetched: string[] = [];
    try {
      try {
        out = await newExportFile(mediaRoot);
      } catch (err) {
        return c.json({
          status: 0,
          error: `cannot write the export under the media folder: ${(err as Error).name}`,
        }, 503);
      }
      const paths = segs.map((s) => join(mediaRoot, ...s.rel.split("/")));
      // Segments that left the disk once archived are fetched next to the export first.
      if (archived) await fetchArchived(segs.map((s) => s.rel), paths, out, archived, fetched);
      const tracks = await spanTracks(paths);
      if (!tracks) {
        throw new HttpError(409, "the camera changed codec within this span: export shorter spans");
      }
      await remux(spawn, paths, tracks, out);
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
      // Swallows everything on purpose: `err` is what the request fails with. The file may
      // not exist (the child failed first); one that cannot be removed goes at the next
      // start-up's sweep.
      if (out !== undefined) await Deno.remove(out).catch(() => {});
      throw err;
    } finally {
      for (const f of fetched) await Deno.remove(f).catch(() => {});
      if (!handedOff) release();
    }
  });

  return app;
}

/**
 * Replaces the path of every segment that is not on disk by a temporary copy of its archived
 * bytes beside `out` (in `{media}/.exports/`, emptied at start-up), listed in `fetched`.
 */
async function fetchArchived(
  rels: string[],
  paths: string[],
  out: string,
  archived: (rel: string) => Promise<Uint8Array | undefined>,
  fetched: string[],
): Promise<void> {
  for (let i = 0; i < paths.length; i++) {
    if (await Deno.stat(paths[i]).then(() => true, () => false)) continue;
    const bytes = await archived(rels[i]).catch(() => undefined);
    if (!bytes) continue; // gone from both: skipped, as a segment pruned meanwhile
    const path = `${out}.${i}.ts`;
    fetched.push(path);
    await Deno.writeFile(path, bytes);
    paths[i] = path;
  }
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
      // The client left: whatever cancelling the file's stream says, nobody reads it.
      await reader.cancel(reason).catch(() => {});
    },
  });
}

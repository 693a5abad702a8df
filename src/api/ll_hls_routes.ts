/**
 * Low-Latency HLS of a camera's live view (recorder/live/ll_hls.ts), for players without
 * WebSocket + MSE: Safari's own player on iOS before 17.1, native and set-top players.
 *   GET /{gid}/{seq}/ll/index.m3u8[?_HLS_msn=M[&_HLS_part=P]]   the playlist; with
 *        _HLS_msn the answer waits until segment M (its part P) is listed (blocking reload):
 *        up to 3 target durations, then 503; M beyond the next segment + 2: 400
 *   GET /{gid}/{seq}/ll/init-{n}.mp4      an init segment (ftyp + moov)
 *   GET /{gid}/{seq}/ll/{msn}.{part}.m4s  a part; the part being written is waited for
 *   GET /{gid}/{seq}/ll/{msn}.m4s         a whole segment
 * The first request starts the camera's live muxer (as a WebSocket viewer does) and waits
 * for its first parts. Same access rules as the other media.
 */
import { type Context, Hono } from "hono";
import { z } from "zod";
import { type LlHlsWindow, PART_TARGET_S, SEGMENT_TARGET_S } from "../recorder/live/ll_hls.ts";
import { ID_RE } from "../storage/layout.ts";
import { HttpError, readQuery } from "./http_errors.ts";

export interface LlHlsRoutesDeps {
  window(gid: number, seq: number): LlHlsWindow | undefined;
}

/** How long the first request waits for the muxer's first parts (startup, a 4 s GOP). */
const FIRST_PART_MS = 15_000;
const START_S = 4 * PART_TARGET_S;
const BLOCK_MS = 3 * SEGMENT_TARGET_S * 1000;
const PART_WAIT_MS = 3 * PART_TARGET_S * 1000;

const count = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const BlockingQuery = z.object({
  _HLS_msn: count.optional(),
  _HLS_part: count.optional(),
}).refine((q) => q._HLS_part === undefined || q._HLS_msn !== undefined, {
  message: "_HLS_part needs _HLS_msn",
  path: ["_HLS_part"],
});

const MEDIA = /^(\d{1,15})(?:\.(\d{1,6}))?\.m4s$/;
const INIT = /^init-(\d{1,9})\.mp4$/;

export function llHlsRoutes(deps: LlHlsRoutesDeps) {
  const app = new Hono();
  /** The camera's window once it has a part; undefined when the stream did not start. */
  const windowOf = async (gid: string, seq: string): Promise<LlHlsWindow | undefined> => {
    const w = ID_RE.test(gid) && ID_RE.test(seq)
      ? deps.window(Number(gid), Number(seq))
      : undefined;
    if (!w) throw new HttpError(404, "not found");
    // A window that just started answers once it lists a whole segment and more than
    // PART-HOLD-BACK (hls.js starts from a segment; with less it polls again a target later).
    const started = () => w.hasSegment && w.seconds >= START_S;
    return await w.waitFor(started, FIRST_PART_MS) ? w : undefined;
  };
  const headers = (type: string) => ({ "content-type": type, "cache-control": "no-cache" });
  const unavailable = (c: Context, error: string) =>
    c.json({ status: 0, error }, 503, { "retry-after": "1" });

  app.get("/:gid/:seq/ll/index.m3u8", async (c) => {
    const q = readQuery(BlockingQuery, c.req.query());
    const w = await windowOf(c.req.param("gid"), c.req.param("seq"));
    if (!w) return unavailable(c, "the live stream has not started yet");
    if (q._HLS_msn !== undefined) {
      if (q._HLS_msn > w.nextMsn + 2) {
        throw new HttpError(400, `_HLS_msn ${q._HLS_msn} is too far ahead (next: ${w.nextMsn})`);
      }
      if (!await w.wait(q._HLS_msn, q._HLS_part, BLOCK_MS)) {
        return unavailable(c, "the live stream did not get there in time");
      }
    }
    return c.body(w.playlist(), 200, headers("application/vnd.apple.mpegurl"));
  });

  app.get("/:gid/:seq/ll/:name", async (c) => {
    const name = c.req.param("name");
    const init = INIT.exec(name), media = MEDIA.exec(name);
    if (!init && !media) throw new HttpError(404, "not found");
    const w = await windowOf(c.req.param("gid"), c.req.param("seq"));
    if (!w) return unavailable(c, "the live stream has not started yet");
    let body: Uint8Array | undefined;
    if (init) body = w.init(Number(init[1]));
    else {
      const msn = Number(media![1]), part = media![2] === undefined ? undefined : Number(media![2]);
      // The part a preload hint names is answered once written.
      if (msn <= w.nextMsn) await w.wait(msn, part, PART_WAIT_MS);
      body = w.media(msn, part);
    }
    if (!body) throw new HttpError(404, "not found");
    return c.body(body as Uint8Array<ArrayBuffer>, 200, headers("video/mp4"));
  });
  return app;
}

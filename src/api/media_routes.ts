/**
 * Media under the contract's URL shapes, straight from the media root:
 *   /{gid}/{seq}/hls/index.m3u8, /{gid}/{seq}/hls/{segment}       live
 *   /{gid}/{seq}/{date}/{time}/index.m3u8, …/{segment}             one recording session
 *   /{gid}/{seq}/{date}/index.m3u8[?from=<ISO or epoch ms>]        a whole day (composed;
 *                                                                   `from`: #EXT-X-START there)
 *   /{gid}/{seq}/{date}/thumbs/{HHMMSS}.jpg                        a timeline thumbnail
 * Each path part must match a strict pattern, and the resolved file must lie
 * inside the media root (no `..`, no absolute path, no symlink out).
 */
import { Hono } from "hono";
import { join } from "node:path";
import {
  DATE_RE,
  ID_RE,
  LIVE_DIR,
  LIVE_RUN_RE,
  LIVE_SEGMENT_RE,
  PLAYLIST,
  SEGMENT_RE,
  THUMB_RE,
  THUMBS_DIR,
  TIME_RE,
} from "../storage/layout.ts";
import type { Catalog } from "../storage/catalog.ts";
import { dayPlaylistFrom, DayPlaylists } from "./day_playlist.ts";
import { gzip } from "../util/gzip.ts";
import { FolderConfinement, serveFile } from "./serve_file.ts";
import { currentLivePlaylist, type LivePlaylist } from "../storage/live_playlists.ts";
import { HttpError } from "./http_errors.ts";
import type { ArchivedMedia } from "./archive_media.ts";

const NO_CACHE = "no-cache";
const IMMUTABLE = "public, max-age=31536000, immutable";

export function mediaRoutes(mediaRoot: string, catalog: Catalog, archived?: ArchivedMedia) {
  const app = new Hono();
  const days = new DayPlaylists(mediaRoot, catalog);
  const confinement = new FolderConfinement(mediaRoot);
  /** The file's real path when it is inside the media root, else undefined. */
  const confine = (path: string) => confinement.check(path);
  const notFound = () => new HttpError(404, "not found");

  const serve = async (req: Request, parts: string[], cache: string) => {
    const real = await confine(join(mediaRoot, ...parts));
    if (!real) throw notFound();
    return serveFile(req, real, cache);
  };

  /** A recording's playlist, gzipped when the client takes it (a long session's is big). */
  const servePlaylist = async (req: Request, parts: string[]) => {
    const accepts = /\bgzip\b/.test(req.headers.get("accept-encoding") ?? "");
    if (!accepts || req.headers.has("range")) return serve(req, parts, NO_CACHE);
    const real = await confine(join(mediaRoot, ...parts));
    const text = real && await Deno.readFile(real).catch((err) => {
      if (err instanceof Deno.errors.NotFound) return undefined; // cleaned meanwhile
      throw err;
    });
    if (!text) throw notFound();
    const body = await gzip(text);
    return new Response(req.method === "HEAD" ? null : body as Uint8Array<ArrayBuffer>, {
      headers: {
        "content-type": "application/vnd.apple.mpegurl",
        "cache-control": NO_CACHE,
        "content-encoding": "gzip",
        "content-length": String(body.length),
        vary: "accept-encoding",
      },
    });
  };

  const ids = (gid: string, seq: string) => {
    if (!ID_RE.test(gid) || !ID_RE.test(seq)) throw notFound();
  };

  /**
   * A live playlist from memory, as the live window last wrote it (every viewer polls it):
   * no file opened, an ETag, gzipped once per update. A range request, or a playlist this
   * process did not write (or no longer the file on disk), is served from the disk.
   */
  const livePlaylist = (c: { req: { raw: Request } }, gid: string, seq: string) => {
    ids(gid, seq);
    const req = c.req.raw;
    const parts = [gid, seq, LIVE_DIR, PLAYLIST];
    const live = req.headers.has("range")
      ? undefined
      : currentLivePlaylist(join(mediaRoot, ...parts));
    return live ? liveResponse(req, live) : serve(req, parts, NO_CACHE);
  };

  // The seed also shows the live playlist without /hls/.
  app.on(["GET", "HEAD"], ["/:gid/:seq/index.m3u8", "/:gid/:seq/hls/index.m3u8"], (c) => {
    const { gid, seq } = c.req.param();
    return livePlaylist(c, gid, seq);
  });

  app.on(["GET", "HEAD"], "/:gid/:seq/hls/:run/:file", (c) => {
    const { gid, seq, run, file } = c.req.param();
    ids(gid, seq);
    if (!LIVE_RUN_RE.test(run) || !LIVE_SEGMENT_RE.test(file)) throw notFound();
    return serve(c.req.raw, [gid, seq, LIVE_DIR, run, file], IMMUTABLE);
  });

  app.on(["GET", "HEAD"], "/:gid/:seq/:date/index.m3u8", async (c) => {
    const { gid, seq, date } = c.req.param();
    ids(gid, seq);
    if (!DATE_RE.test(date)) throw notFound();
    const fromQuery = c.req.query("from");
    const from = fromQuery === undefined ? undefined : instantMs(fromQuery);
    if (Number.isNaN(from)) {
      throw new HttpError(400, "invalid request", [{
        field: "from",
        message: "must be epoch ms or an ISO 8601 time",
      }]);
    }
    const day = await days.get(Number(gid), Number(seq), date);
    if (!day) throw notFound();
    const headers: Record<string, string> = {
      "content-type": "application/vnd.apple.mpegurl",
      "cache-control": NO_CACHE,
      vary: "accept-encoding",
    };
    const zipped = /\bgzip\b/.test(c.req.header("accept-encoding") ?? "");
    if (zipped) headers["content-encoding"] = "gzip";
    if (from !== undefined) {
      // The day as a player should start it at `from` (composed per request).
      const text = dayPlaylistFrom(day, from);
      const body = zipped ? await gzip(new TextEncoder().encode(text)) : text;
      return new Response(c.req.method === "HEAD" ? null : body as BodyInit, { headers });
    }
    headers.etag = day.etag;
    if (c.req.header("if-none-match") === day.etag) {
      delete headers["content-encoding"];
      return new Response(null, { status: 304, headers });
    }
    const body: BodyInit = zipped ? day.gzip as Uint8Array<ArrayBuffer> : day.text;
    return new Response(c.req.method === "HEAD" ? null : body, { headers });
  });

  app.on(["GET", "HEAD"], "/:gid/:seq/:date/:time/:file", async (c) => {
    const { gid, seq, date, time, file } = c.req.param();
    ids(gid, seq);
    if (!DATE_RE.test(date)) throw notFound();
    // A thumbnail is written once (temp name, then renamed) and never changes.
    if (time === THUMBS_DIR && THUMB_RE.test(file)) {
      return serve(c.req.raw, [gid, seq, date, time, file], IMMUTABLE);
    }
    if (!TIME_RE.test(time)) throw notFound();
    if (file === PLAYLIST) return servePlaylist(c.req.raw, [gid, seq, date, time, file]);
    if (!SEGMENT_RE.test(file)) throw notFound();
    const parts = [gid, seq, date, time, file];
    // Not on disk: its archived copy, if it has one (the segment left the disk once archived).
    if (archived && !(await confine(join(mediaRoot, ...parts)))) {
      const r = await archived(c.req.raw, Number(gid), Number(seq), date, time, file);
      if (r) return r;
    }
    return serve(c.req.raw, parts, IMMUTABLE);
  });

  return app;
}

const LIVE_PLAYLIST_PATH = /^\/(\d{1,9})\/(\d{1,9})(?:\/hls)?\/index\.m3u8$/;

/**
 * The live playlist routes' answer from memory, for a request taken before the app's
 * router (see http_app.ts): undefined unless it is a GET or HEAD of a live playlist that
 * the live window holds (then the routes would give the same answer).
 */
export function liveFromMemory(mediaRoot: string) {
  /** Playlist path by URL path (bounded: one per camera, twice with the seed's shape). */
  const paths = new Map<string, string>();
  return (req: Request): Response | Promise<Response> | undefined => {
    if (req.method !== "GET" && req.method !== "HEAD") return undefined;
    const url = req.url;
    const start = url.indexOf("/", url.indexOf("://") + 3);
    const query = url.indexOf("?", start);
    const urlPath = url.slice(start, query < 0 ? undefined : query);
    let path = paths.get(urlPath);
    if (path === undefined) {
      const m = LIVE_PLAYLIST_PATH.exec(urlPath);
      if (!m) return undefined;
      path = join(mediaRoot, m[1], m[2], LIVE_DIR, PLAYLIST);
      if (paths.size >= 4096) paths.clear();
      paths.set(urlPath, path);
    }
    if (req.headers.has("range")) return undefined;
    const live = currentLivePlaylist(path);
    return live && liveResponse(req, live);
  };
}

const LIVE_HEADERS: [string, string][] = [
  ["content-type", "application/vnd.apple.mpegurl"],
  ["cache-control", NO_CACHE],
  ["vary", "accept-encoding"],
];
/**
 * Response headers per playlist text (made once: a viewer polls the same text many times).
 * A GET's body is bytes in memory, whose length the runtime sends; a Content-Length set
 * here as well measurably slows each answer, so only HEAD (no body) names it.
 */
const liveHeaders = new WeakMap<
  LivePlaylist,
  { plain: [string, string][]; gzip: [string, string][]; sized: Map<string, [string, string][]> }
>();

function headersOf(live: LivePlaylist, zipped: boolean, length?: number): [string, string][] {
  let made = liveHeaders.get(live);
  if (!made) {
    made = {
      plain: [...LIVE_HEADERS, ["etag", live.etag]],
      gzip: [...LIVE_HEADERS, ["etag", live.gzipEtag], ["content-encoding", "gzip"]],
      sized: new Map(),
    };
    liveHeaders.set(live, made);
  }
  const base = zipped ? made.gzip : made.plain;
  if (length === undefined) return base;
  const key = `${zipped} ${length}`;
  let sized = made.sized.get(key);
  if (!sized) made.sized.set(key, sized = [...base, ["content-length", String(length)]]);
  return sized;
}

/** A live playlist's response: 304 when the client has it, gzip when the client takes it. */
function liveResponse(req: Request, live: LivePlaylist): Response | Promise<Response> {
  const zipped = /\bgzip\b/.test(req.headers.get("accept-encoding") ?? "");
  const known = req.headers.get("if-none-match");
  if (known && etagMatches(known, [live.etag, live.gzipEtag])) {
    const headers = headersOf(live, zipped).filter(([k]) => k !== "content-encoding");
    return new Response(null, { status: 304, headers });
  }
  const head = req.method === "HEAD";
  const respond = (body: Uint8Array<ArrayBuffer>) =>
    new Response(head ? null : body, {
      headers: headersOf(live, zipped, head ? body.length : undefined),
    });
  if (!zipped) return respond(live.bytes);
  const gz = live.gzippedNow();
  return gz ? respond(gz) : live.gzipped().then(respond);
}

/** Whether an If-None-Match value names one of the tags (weak comparison, RFC 9110 13.1.2). */
function etagMatches(header: string, tags: string[]): boolean {
  if (header.trim() === "*") return true;
  return header.split(",").some((t) => tags.includes(t.trim().replace(/^W\//, "")));
}

/** `from` of a day playlist: epoch ms or an ISO 8601 time with a zone; NaN when neither. */
export function instantMs(value: string): number {
  if (/^\d{1,15}$/.test(value)) return Number(value);
  if (/^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})$/.test(value)) return Date.parse(value);
  return NaN;
}

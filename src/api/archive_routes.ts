/**
 * Fleet review over the archive (read-only; the same access rules as media):
 *   GET /api/archive/nodes                                          nodes and their cameras
 *   GET /api/archive/nodes/{node}/gid/{gid}/seq/{seq}/days          a camera's archived days
 *   GET /api/archive/nodes/{node}/gid/{gid}/seq/{seq}/date/{date}   that day's sessions (their
 *                                                                   spans, from the manifests)
 *   GET /archive/{node}/{gid}/{seq}/{date}/index.m3u8               the day as one playlist
 *   GET /archive/{node}/{gid}/{seq}/{date}/{time}/index.m3u8        a session's manifest
 *   GET /archive/{node}/{gid}/{seq}/{date}/{time}/{startMs}.ts      a bundle (single byte ranges)
 * The last three stream the objects from the bucket, so any recorder on the same bucket plays
 * the others' archive (a central box with no cameras reviews many edge boxes). With
 * `--archive-presign`, a bundle GET answers 302 to a presigned URL of the object instead (a
 * manifest's relative URIs need this recorder, so manifests are always streamed).
 */
import { Hono } from "hono";
import type { Context } from "hono";
import { BUNDLE_RE, MANIFEST, NODE_RE, sessionPrefix } from "../archive/keys.ts";
import { listDays, listNodes } from "../archive/fleet.ts";
import { readDay, renderArchivedDay, spansOfEntries } from "../archive/fleet_day.ts";
import { type ObjectStore, StoreError } from "../archive/store.ts";
import { DATE_RE, ID_RE, isCalendarDate, TIME_RE } from "../storage/layout.ts";
import { HttpError } from "./http_errors.ts";
import { parseRange } from "./serve_file.ts";

export interface ArchiveRoutesDeps {
  store: ObjectStore;
  prefix: string;
  /** This recorder's node id. */
  node: string;
  /** Bundle GETs answer 302 to a presigned URL (when the store can make one). */
  presign?: boolean;
}

/** The parts of a path, each checked against its pattern: a 400 naming the bad one. */
function checked(c: Context, rules: Record<string, RegExp>): Record<string, string> {
  const p = c.req.param() as Record<string, string>;
  const fields = Object.entries(rules).filter(([k, re]) => !re.test(p[k] ?? "")).map(([k]) => ({
    field: k,
    message: "invalid",
  }));
  if (fields.length) throw new HttpError(400, "invalid path", fields);
  return p;
}

/** A store failure as an answer: 502 (the bucket cannot be read), never a 500. */
async function orBadGateway(c: Context, fn: () => Promise<Response>): Promise<Response> {
  try {
    return await fn();
  } catch (err) {
    if (!(err instanceof StoreError)) throw err;
    return c.json({ status: 0, error: "archive unavailable" }, 502);
  }
}

export function archiveRoutes(d: ArchiveRoutesDeps) {
  const app = new Hono();
  const cam = { node: NODE_RE, gid: ID_RE, seq: ID_RE };

  app.get(
    "/api/archive/nodes",
    (c) =>
      orBadGateway(
        c,
        async () => c.json({ node: d.node, nodes: await listNodes(d.store, d.prefix) }),
      ),
  );

  app.get("/api/archive/nodes/:node/gid/:gid/seq/:seq/days", (c) => {
    const p = checked(c, cam);
    return orBadGateway(c, async () =>
      c.json({
        node: p.node,
        gid: Number(p.gid),
        seq: Number(p.seq),
        days: await listDays(d.store, d.prefix, p.node, Number(p.gid), Number(p.seq)),
      }));
  });

  /** The day asked for: its parts checked (400 naming the bad one). */
  const dayRef = (c: Context) => {
    const p = checked(c, { ...cam, date: DATE_RE });
    if (!isCalendarDate(p.date)) {
      throw new HttpError(400, "invalid path", [{ field: "date", message: "not a date" }]);
    }
    return { node: p.node, gid: Number(p.gid), seq: Number(p.seq), date: p.date };
  };
  const iso = (ms: number) => new Date(ms).toISOString();

  app.get("/api/archive/nodes/:node/gid/:gid/seq/:seq/date/:date", (c) => {
    const ref = dayRef(c);
    const base = `/archive/${ref.node}/${ref.gid}/${ref.seq}/${ref.date}`;
    return orBadGateway(c, async () => {
      const day = await readDay(d.store, d.prefix, ref);
      const sessions = day.map((s) => {
        const spans = spansOfEntries(s.entries);
        return {
          time: s.time,
          start: spans.length ? iso(spans[0][0]) : null,
          end: spans.length ? iso(spans[spans.length - 1][1]) : null,
          spans: spans.map(([a, b]) => [iso(a), iso(b)]),
          segments: s.entries.length,
          bytes: s.entries.reduce((n, e) => n + e.bytes, 0),
          open: !s.ended,
          close_reason: null,
          storage: spans.map(([a, b]) => ({ start: iso(a), end: iso(b), where: "archive" })),
          manifest_url: `${base}/${s.time}/${MANIFEST}`,
        };
      });
      return c.json({
        ...ref,
        sessions,
        day_url: sessions.some((s) => s.segments) ? `${base}/${MANIFEST}` : null,
      });
    });
  });

  app.on(["GET", "HEAD"], "/archive/:node/:gid/:seq/:date/index.m3u8", (c) => {
    const ref = dayRef(c);
    const base = `/archive/${ref.node}/${ref.gid}/${ref.seq}/${ref.date}`;
    return orBadGateway(c, async () => {
      const day = await readDay(d.store, d.prefix, ref);
      if (!day.some((s) => s.entries.length)) throw new HttpError(404, "not found");
      const text = renderArchivedDay(day, base);
      const headers = {
        "content-type": "application/vnd.apple.mpegurl",
        "cache-control": "no-cache",
      };
      return new Response(c.req.method === "HEAD" ? null : text, { headers });
    });
  });

  app.on(["GET", "HEAD"], "/archive/:node/:gid/:seq/:date/:time/:file", (c) => {
    const p = checked(c, { ...cam, date: DATE_RE, time: TIME_RE });
    const manifest = p.file === MANIFEST;
    if (!manifest && !BUNDLE_RE.test(p.file)) throw new HttpError(404, "not found");
    const ref = {
      node: p.node,
      gid: Number(p.gid),
      seq: Number(p.seq),
      date: p.date,
      time: p.time,
    };
    const key = sessionPrefix(d.prefix, ref) + p.file;
    return orBadGateway(c, async () => {
      if (d.presign && !manifest && d.store.presign && c.req.method === "GET") {
        // Straight from the store: the client's Range header follows the redirect.
        const location = await d.store.presign(key);
        return new Response(null, {
          status: 302,
          headers: { location, "cache-control": "private, max-age=60" },
        });
      }
      const info = await d.store.head(key);
      if (!info) throw new HttpError(404, "not found");
      const headers = new Headers({
        "content-type": manifest ? "application/vnd.apple.mpegurl" : "video/mp2t",
        "accept-ranges": "bytes",
        // A manifest grows while its session records; a bundle never changes.
        "cache-control": manifest ? "no-cache" : "public, max-age=31536000, immutable",
      });
      let range: { start: number; end: number } | undefined;
      const asked = c.req.header("range");
      if (asked) {
        const r = parseRange(asked, info.size);
        if (!r) {
          headers.set("content-range", `bytes */${info.size}`);
          return new Response(null, { status: 416, headers });
        }
        range = r;
        headers.set("content-range", `bytes ${range.start}-${range.end}/${info.size}`);
      }
      const length = range ? range.end - range.start + 1 : info.size;
      headers.set("content-length", String(length));
      const status = range ? 206 : 200;
      if (c.req.method === "HEAD") return new Response(null, { status, headers });
      const res = await d.store.get(key, range);
      return new Response(res.body, { status, headers });
    });
  });

  return app;
}

/**
 * Recordings for the UI and clients: which days have recordings, and each day's sessions.
 * Each session also says where its stretches are kept (`storage`: `local`, `archive` for
 * archive-only, `both`), from `storage` when the archive is on (else all local).
 */
import { Hono } from "hono";
import type { Catalog } from "../storage/catalog.ts";
import { isCalendarDate } from "../storage/layout.ts";
import { allLocal, type StorageMap } from "../storage/storage_spans.ts";
import { parseIds } from "./camera_routes.ts";
import { HttpError } from "./http_errors.ts";
import type { Urls } from "./urls.ts";

const iso = (ms: number) => new Date(ms).toISOString();

export function recordingRoutes(catalog: Catalog, urls: Urls, storage?: StorageMap) {
  const app = new Hono();

  app.get("/gid/:gid/seq/:seq/days", (c) => {
    const { gid, seq } = parseIds(c.req.param());
    return c.json({ gid, seq, days: catalog.days(gid, seq) });
  });

  app.get("/gid/:gid/seq/:seq/date/:date", async (c) => {
    const { gid, seq } = parseIds(c.req.param());
    const date = c.req.param("date");
    if (!isCalendarDate(date)) {
      throw new HttpError(400, "invalid path", [
        { field: "date", message: "must be a real date, YYYY-MM-DD" },
      ]);
    }
    const base = urls.base(c);
    const sessions = await Promise.all(
      catalog.sessions(gid, seq, date).map(async (s) => ({
        time: s.time,
        start: iso(s.startMs),
        end: iso(s.endMs),
        spans: s.spans.map(([a, b]) => [iso(a), iso(b)]),
        segments: s.segments,
        bytes: s.bytes,
        open: s.open,
        close_reason: s.closeReason ?? null,
        record_url: urls.session(base, s),
        storage: (storage ? await storage.of(s) : allLocal(s)).map((x) => ({
          start: iso(x.startMs),
          end: iso(x.endMs),
          where: x.where,
        })),
      })),
    );
    return c.json({
      gid,
      seq,
      date,
      sessions,
      day_url: sessions.length ? `${base}/${gid}/${seq}/${date}/index.m3u8` : null,
    });
  });

  return app;
}

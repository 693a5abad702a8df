/** Recordings for the UI and clients: which days have recordings, and each day's sessions. */
import { Hono } from "hono";
import type { Catalog } from "../storage/catalog.ts";
import { isCalendarDate } from "../storage/layout.ts";
import { parseIds } from "./camera_routes.ts";
import { HttpError } from "./http_errors.ts";
import type { Urls } from "./urls.ts";

export function recordingRoutes(catalog: Catalog, urls: Urls) {
  const app = new Hono();

  app.get("/gid/:gid/seq/:seq/days", (c) => {
    const { gid, seq } = parseIds(c.req.param());
    return c.json({ gid, seq, days: catalog.days(gid, seq) });
  });

  app.get("/gid/:gid/seq/:seq/date/:date", (c) => {
    const { gid, seq } = parseIds(c.req.param());
    const date = c.req.param("date");
    if (!isCalendarDate(date)) {
      throw new HttpError(400, "invalid path", [
        { field: "date", message: "must be a real date, YYYY-MM-DD" },
      ]);
    }
    const base = urls.base(c);
    const sessions = catalog.sessions(gid, seq, date).map((s) => ({
      time: s.time,
      start: new Date(s.startMs).toISOString(),
      end: new Date(s.endMs).toISOString(),
      spans: s.spans.map(([a, b]) => [new Date(a).toISOString(), new Date(b).toISOString()]),
      segments: s.segments,
      bytes: s.bytes,
      open: s.open,
      close_reason: s.closeReason ?? null,
      record_url: urls.session(base, s),
    }));
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

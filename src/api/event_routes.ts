/**
 * Motion events as data (docs/api.md "Motion events"):
 *   GET /api/camera/seq/{seq}/gid/{gid}/events?from=&to=         one camera's events
 *   GET /api/events?from=&to=&cameras=1-1,2-4                    across cameras
 *   GET /api/camera/seq/{seq}/gid/{gid}/activity?date=YYYY-MM-DD  a day in 10 s buckets
 *   GET /api/camera/seq/{seq}/gid/{gid}/events/days?from=&to=    days with events
 *   GET /{gid}/{seq}/events/{id}.jpg                             an event's thumbnail
 * `from`/`to`: ISO 8601 or epoch ms (default: the last 24 h, at most 31 days).
 */
import { Hono } from "hono";
import { z } from "zod";
import type { CameraService } from "../cameras/service.ts";
import type { EventStore } from "../storage/event_store.ts";
import { isCalendarDate } from "../storage/layout.ts";
import { BUCKET_MS, EVENT_ID_RE, type MotionEvent } from "../storage/motion_events.ts";
import { localDate } from "../time.ts";
import { cameraIds, parseIds } from "./camera_routes.ts";
import { HttpError, readQuery } from "./http_errors.ts";
import { instantMs } from "./media_routes.ts";
import { serveFile } from "./serve_file.ts";

const DAY_MS = 86_400_000;
export const MAX_EVENT_SPAN_DAYS = 31;
export const MAX_EVENT_DAYS = 400;
const MAX_CAMERAS = 256;

const Instant = z.string().transform((v, ctx) => {
  const ms = instantMs(v);
  if (Number.isNaN(ms)) {
    ctx.addIssue({ code: "custom", message: "must be epoch ms or an ISO 8601 time" });
    return z.NEVER;
  }
  return ms;
});

const Range = {
  from: Instant.optional(),
  to: Instant.optional(),
};
const CAMERAS_RE = /^\d{1,9}-\d{1,9}(,\d{1,9}-\d{1,9}){0,255}$/;
const EventsQuery = z.strictObject(Range);
const AllEventsQuery = z.strictObject({
  ...Range,
  cameras: z.string().regex(
    CAMERAS_RE,
    `must be gid-seq pairs, comma-separated (at most ${MAX_CAMERAS})`,
  )
    .optional(),
});
const Day = z.string().refine(isCalendarDate, "must be a real date, YYYY-MM-DD");
const ActivityQuery = z.strictObject({ date: Day });
const DaysQuery = z.strictObject({ from: Day.optional(), to: Day.optional() });

/** The span asked for: default the last 24 h before `to` (default now); at most 31 days. */
function span(q: { from?: number; to?: number }, now: number): { from: number; to: number } {
  const to = q.to ?? (q.from !== undefined ? Math.min(now, q.from + DAY_MS) : now);
  const from = q.from ?? to - DAY_MS;
  if (to <= from) {
    throw new HttpError(400, "invalid query", [{ field: "to", message: "must be after from" }]);
  }
  if (to - from > MAX_EVENT_SPAN_DAYS * DAY_MS) {
    throw new HttpError(400, "invalid query", [{
      field: "to",
      message: `must be at most ${MAX_EVENT_SPAN_DAYS} days after from`,
    }]);
  }
  return { from, to };
}

const iso = (ms: number | undefined) => ms === undefined ? null : new Date(ms).toISOString();
const round = (v: number, digits: number) => Number(v.toFixed(digits));

export const eventView = (gid: number, seq: number, e: MotionEvent) => ({
  id: e.id,
  start: iso(e.start),
  end: iso(e.end),
  score: round(e.score, 3),
  box: e.box.map((v) => round(v, 4)),
  thumbnail_url: `/${gid}/${seq}/events/${e.id}.jpg`,
});

export interface EventRouteDeps {
  service: Pick<CameraService, "get" | "list">;
  store: EventStore;
  now: () => number;
  /** Makes (or finds) an event's thumbnail; its path, or undefined when there is none. */
  thumbnail: (gid: number, seq: number, id: string) => Promise<string | undefined>;
}

export function eventRoutes(d: EventRouteDeps) {
  const app = new Hono();
  const base = "/api/camera/seq/:seq/gid/:gid";

  app.get(`${base}/events`, async (c) => {
    const { gid, seq } = cameraIds(d.service, c.req.param());
    const { from, to } = span(readQuery(EventsQuery, c.req.query()), d.now());
    const events = await d.store.between(gid, seq, from, to);
    return c.json({ gid, seq, events: events.map((e) => eventView(gid, seq, e)) });
  });

  app.get("/api/events", async (c) => {
    const q = readQuery(AllEventsQuery, c.req.query());
    const { from, to } = span(q, d.now());
    const wanted = q.cameras
      ? new Set(q.cameras.split(",").map((p) => p.replace("-", "/")))
      : undefined;
    const cams = d.service.list().filter((x) => !wanted || wanted.has(`${x.gid}/${x.seq}`));
    const events = [];
    for (const cam of cams) {
      for (const e of await d.store.between(cam.gid, cam.seq, from, to)) {
        events.push({
          camera: `${cam.gid}-${cam.seq}`,
          gid: cam.gid,
          seq: cam.seq,
          ...eventView(cam.gid, cam.seq, e),
          _start: e.start,
        });
      }
    }
    events.sort((a, b) => a._start - b._start);
    return c.json({ events: events.map(({ _start: _, ...e }) => e) });
  });

  app.get(`${base}/activity`, async (c) => {
    const { gid, seq } = cameraIds(d.service, c.req.param());
    const { date } = readQuery(ActivityQuery, c.req.query());
    const a = await d.store.activity(gid, seq, date);
    return c.json({
      gid,
      seq,
      date,
      start: iso(a.start),
      bucket_seconds: BUCKET_MS / 1000,
      levels: a.levels,
    });
  });

  app.get(`${base}/events/days`, async (c) => {
    const { gid, seq } = cameraIds(d.service, c.req.param());
    const q = readQuery(DaysQuery, c.req.query());
    const to = q.to ?? localDate(d.now());
    const from = q.from ?? localDate(Date.parse(to + "T12:00:00Z") - (MAX_EVENT_DAYS - 1) * DAY_MS);
    const days = (Date.parse(to) - Date.parse(from)) / DAY_MS + 1;
    if (days < 1) {
      throw new HttpError(400, "invalid query", [{
        field: "to",
        message: "must not be before from",
      }]);
    }
    if (days > MAX_EVENT_DAYS) {
      throw new HttpError(400, "invalid query", [{
        field: "to",
        message: `must be at most ${MAX_EVENT_DAYS} days from from`,
      }]);
    }
    return c.json({ gid, seq, days: await d.store.days(gid, seq, from, to) });
  });

  app.on(["GET", "HEAD"], "/:gid/:seq/events/:file", async (c) => {
    const p = c.req.param();
    const id = /^(.+)\.jpg$/.exec(p.file)?.[1];
    if (!id || !EVENT_ID_RE.test(id)) throw new HttpError(404, "not found");
    const { gid, seq } = parseIdsOr404(p);
    if (!d.service.get(gid, seq)) throw new HttpError(404, "not found");
    const path = await d.thumbnail(gid, seq, id);
    if (!path) throw new HttpError(404, "not found");
    return serveFile(c.req.raw, path, "public, max-age=86400");
  });

  return app;
}

function parseIdsOr404(p: { gid?: string; seq?: string }) {
  try {
    return parseIds(p);
  } catch {
    throw new HttpError(404, "not found");
  }
}

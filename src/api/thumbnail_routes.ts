/**
 * Timeline thumbnails of one day (see src/recorder/thumbnailer.ts):
 *   GET /api/camera/seq/{seq}/gid/{gid}/thumbnails?date=YYYY-MM-DD
 *     → { gid, seq, date, thumbnails: [{ time: ISO 8601, url: "/{gid}/{seq}/{date}/thumbs/{HHMMSS}.jpg" }] }
 * The JPEGs are served by the media routes (same confinement and access rules).
 */
import { Hono } from "hono";
import { z } from "zod";
import type { CameraService } from "../cameras/service.ts";
import { DATE_RE, isCalendarDate, THUMBS_DIR } from "../storage/layout.ts";
import { listThumbnails } from "../storage/thumbnails.ts";
import { parseIds } from "./camera_routes.ts";
import { HttpError, readQuery } from "./http_errors.ts";

const ThumbnailQuery = z.strictObject({
  date: z.string().regex(DATE_RE, "must be YYYY-MM-DD").refine(
    isCalendarDate,
    "must be a real date",
  ),
});

export function thumbnailRoutes(service: Pick<CameraService, "get">, mediaRoot: string) {
  const app = new Hono();

  app.get("/camera/seq/:seq/gid/:gid/thumbnails", async (c) => {
    const { gid, seq } = parseIds(c.req.param());
    const q = readQuery(ThumbnailQuery, c.req.query());
    if (!service.get(gid, seq)) throw new HttpError(404, `camera gid=${gid} seq=${seq} not found`);
    const { date } = q;
    const thumbs = await listThumbnails(mediaRoot, gid, seq, date);
    return c.json({
      gid,
      seq,
      date,
      thumbnails: thumbs.map((t) => ({
        time: new Date(t.ms).toISOString(),
        url: `/${gid}/${seq}/${date}/${THUMBS_DIR}/${t.name}`,
      })),
    });
  });

  return app;
}

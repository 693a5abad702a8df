/**
 * Recording schedules: GET | PUT | DELETE /api/camera/seq/{seq}/gid/{gid}/schedule.
 * Body of PUT: { start: cron, stop: cron, timezone?: IANA zone (UTC), enabled?: bool }.
 */
import { Hono } from "hono";
import type { CameraService } from "../cameras/service.ts";
import type { CameraSettings } from "../cameras/settings.ts";
import { type Schedule, ScheduleInput } from "../schedule/schedule.ts";
import { nextEdge, scheduledOn, scheduleErrors } from "../schedule/schedule.ts";
import type { Scheduler } from "../schedule/scheduler.ts";
import { cameraIds } from "./camera_routes.ts";
import { HttpError, readBody } from "./http_errors.ts";

export function scheduleRoutes(
  service: CameraService,
  settings: CameraSettings,
  scheduler: Scheduler,
  now: () => number,
) {
  const app = new Hono();
  const path = "/api/camera/seq/:seq/gid/:gid/schedule";

  const view = (gid: number, seq: number, s?: Schedule) => {
    const edge = s?.enabled ? nextEdge(s, now()) : undefined;
    return {
      gid,
      seq,
      schedule: s ?? null,
      scheduled_on: s?.enabled ? scheduledOn(s, now()) : null,
      next_change: edge ? { at: new Date(edge.at).toISOString(), isRec: edge.on ? 1 : 0 } : null,
    };
  };

  app.get(path, (c) => {
    const { gid, seq } = cameraIds(service, c.req.param());
    return c.json(view(gid, seq, settings.get(gid, seq).schedule));
  });

  app.put(path, async (c) => {
    const { gid, seq } = cameraIds(service, c.req.param());
    const body = await readBody(c, ScheduleInput);
    const errors = scheduleErrors(body);
    if (errors.length) throw new HttpError(400, "invalid fields", errors);
    await settings.update(gid, seq, (e) => ({ ...e, schedule: body }));
    await scheduler.set(gid, seq, body);
    return c.json({ status: 1, ...view(gid, seq, body) });
  });

  app.delete(path, async (c) => {
    const { gid, seq } = cameraIds(service, c.req.param());
    const had = settings.get(gid, seq).schedule !== undefined;
    await settings.update(gid, seq, (e) => ({ ...e, schedule: undefined }));
    scheduler.clear(gid, seq);
    return c.json(had ? 1 : 0, had ? 200 : 404);
  });

  return app;
}

/**
 * Per-camera motion detection settings: GET | PUT /api/camera/seq/{seq}/gid/{gid}/motion
 * with `{enabled, sensitivity: 1–100, min_area: 0–1, masks: [[[x, y], …], …]}` (PUT: every
 * field optional). Sensitivity, minimum area and masks apply from the next analysed frame;
 * turning detection on or off restarts the camera's pipeline (a gap of about a second).
 */
import { Hono } from "hono";
import {
  applyMotionInput,
  MotionInput,
  motionSettings,
  motionView,
} from "../cameras/motion_settings.ts";
import type { CameraService } from "../cameras/service.ts";
import type { CameraSettings } from "../cameras/settings.ts";
import { cameraIds } from "./camera_routes.ts";
import { readBody } from "./http_errors.ts";

export function motionRoutes(
  service: CameraService,
  settings: CameraSettings,
  enabledByDefault: boolean,
) {
  const app = new Hono();
  const path = "/api/camera/seq/:seq/gid/:gid/motion";
  const current = (gid: number, seq: number) =>
    motionSettings(settings.get(gid, seq).motion, enabledByDefault);

  app.get(path, (c) => {
    const { gid, seq } = cameraIds(service, c.req.param());
    return c.json(motionView(current(gid, seq)));
  });

  app.put(path, async (c) => {
    const { gid, seq } = cameraIds(service, c.req.param());
    const body = await readBody(c, MotionInput);
    const before = current(gid, seq);
    await settings.update(gid, seq, (e) => ({ ...e, motion: applyMotionInput(e.motion, body) }));
    const next = current(gid, seq);
    if (next.enabled !== before.enabled) {
      const reason = `restarting: motion detection ${next.enabled ? "on" : "off"}`;
      await service.recorder(gid, seq)?.restartPipeline(reason);
    }
    return c.json({ status: 1, ...motionView(next) });
  });

  return app;
}

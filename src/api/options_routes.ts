/**
 * Per-camera source options: GET | PUT /api/camera/seq/{seq}/gid/{gid}/options with
 * `{transport?: "tcp" | "udp", mode?: "copy" | "overlay", time_format?: strftime}`.
 * A change restarts the camera's pipeline (a gap of about a second).
 * `sub_iaddr` (an `rtsp://` address, or null to remove it) is the camera's sub-stream for
 * live wall tiles (cameras/sub_stream.ts): shown with its password masked; a change never
 * restarts the recording, only a running sub-stream viewer's muxer.
 * `record_mode` ("continuous" | "motion") and `post_roll_seconds` (0–300, default 10) say how
 * much is recorded (storage/motion_retention.ts): a change never restarts the camera.
 */
import { Hono } from "hono";
import type { CameraService } from "../cameras/service.ts";
import { type CameraSettings, OptionsInput } from "../cameras/settings.ts";
import type { SourceOptions } from "../recorder/camera_status.ts";
import { DEFAULT_TIME_FORMAT } from "../recorder/pipeline/encode.ts";
import { cameraIds } from "./camera_routes.ts";
import { HttpError, readBody } from "./http_errors.ts";
import { checkSubIaddr, shownSubIaddr } from "../cameras/sub_stream.ts";
import { SourceError } from "../recorder/source_url.ts";
import { DEFAULT_POST_ROLL_SECONDS } from "../storage/motion_retention.ts";

const view = (
  gid: number,
  seq: number,
  o: SourceOptions = {},
  r: { recordMode?: string; postRollSeconds?: number } = {},
) => ({
  gid,
  seq,
  transport: o.transport ?? "tcp",
  mode: o.mode ?? "copy",
  time_format: o.timeFormat ?? DEFAULT_TIME_FORMAT,
  sub_iaddr: shownSubIaddr(o),
  record_mode: r.recordMode ?? "continuous",
  post_roll_seconds: r.postRollSeconds ?? DEFAULT_POST_ROLL_SECONDS,
});

export function optionsRoutes(
  service: CameraService,
  settings: CameraSettings,
  /** Called when a camera's sub-stream address changed. */
  onSubChanged?: (gid: number, seq: number) => void,
) {
  const app = new Hono();
  const path = "/api/camera/seq/:seq/gid/:gid/options";

  app.get(path, (c) => {
    const { gid, seq } = cameraIds(service, c.req.param());
    const e = settings.get(gid, seq);
    return c.json(view(gid, seq, e.options, e));
  });

  app.put(path, async (c) => {
    const { gid, seq } = cameraIds(service, c.req.param());
    const body = await readBody(c, OptionsInput);
    const before = settings.get(gid, seq).options ?? {};
    const next: SourceOptions = {
      transport: body.transport ?? before.transport,
      mode: body.mode ?? before.mode,
      timeFormat: body.time_format ?? before.timeFormat,
      subIaddr: subIaddr(body.sub_iaddr, before.subIaddr),
    };
    const saved = await settings.update(gid, seq, (e) => ({
      ...e,
      options: next,
      recordMode: body.record_mode ?? e.recordMode,
      postRollSeconds: body.post_roll_seconds ?? e.postRollSeconds,
    }));
    const changed = next.transport !== before.transport || next.mode !== before.mode ||
      next.timeFormat !== before.timeFormat;
    if (changed) {
      await service.recorder(gid, seq)?.restartPipeline("restarting: options changed");
    }
    if (next.subIaddr !== before.subIaddr) onSubChanged?.(gid, seq);
    return c.json({ status: 1, ...view(gid, seq, next, saved) });
  });

  return app;
}

/** The sub-stream address to store: unchanged (undefined), removed (null) or checked. */
function subIaddr(given: string | null | undefined, stored?: string): string | undefined {
  if (given === undefined) return stored;
  if (given === null || given === "") return undefined;
  try {
    return checkSubIaddr(given, stored);
  } catch (err) {
    if (!(err instanceof SourceError)) throw err;
    throw new HttpError(400, "invalid fields", [{ field: "sub_iaddr", message: err.message }]);
  }
}

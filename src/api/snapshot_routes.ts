/**
 * GET /{gid}/{seq}/snapshot.jpg: a JPEG of the camera's newest segment (one short decode,
 * shared by the requests that want the same segment). 404 for an unknown camera, 503 while
 * there is no picture (no segment yet, or it cannot be made).
 */
import { Hono } from "hono";
import type { CameraService } from "../cameras/service.ts";
import type { Snapshots } from "../recorder/snapshot.ts";
import { ID_RE } from "../storage/layout.ts";

export function snapshotRoutes(service: Pick<CameraService, "recorder">, snapshots: Snapshots) {
  const app = new Hono();
  app.get("/:gid/:seq/snapshot.jpg", async (c) => {
    const { gid, seq } = c.req.param();
    const recorder = ID_RE.test(gid) && ID_RE.test(seq)
      ? service.recorder(Number(gid), Number(seq))
      : undefined;
    if (!recorder) return c.json({ status: 0, error: "not found" }, 404);
    const jpeg = await snapshots.get(`${gid}/${seq}`, recorder.snapshotSource());
    if (!jpeg) return c.json({ status: 0, error: "no picture from this camera yet" }, 503);
    return c.body(jpeg as Uint8Array<ArrayBuffer>, 200, {
      "content-type": "image/jpeg",
      "cache-control": "no-cache",
    });
  });
  return app;
}

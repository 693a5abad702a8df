/** The seed's camera API: /api/boot/end, /api/camera, /api/camera/record/status. */
import { Hono } from "hono";
import type { Camera } from "../cameras/camera.ts";
import { CameraEdit, CameraInput, fieldErrors, IdParam, RecordStatus } from "../cameras/schemas.ts";
import { type CameraService, type CameraView } from "../cameras/service.ts";
import { MaskedPasswordError } from "../cameras/masked_password.ts";
import { parseSource } from "../recorder/source_url.ts";
import { maskSecrets, maskUrl } from "../util/redact.ts";
import type { SessionSummary } from "../storage/session.ts";
import { HttpError, readBody } from "./http_errors.ts";
import type { Urls } from "./urls.ts";

export function parseIds(params: { gid?: string; seq?: string }): { gid: number; seq: number } {
  const gid = IdParam.safeParse(params.gid);
  const seq = IdParam.safeParse(params.seq);
  if (!gid.success || !seq.success) {
    throw new HttpError(400, "invalid path", [
      ...(gid.success ? [] : fieldErrors(gid.error).map((e) => ({ ...e, field: "gid" }))),
      ...(seq.success ? [] : fieldErrors(seq.error).map((e) => ({ ...e, field: "seq" }))),
    ]);
  }
  return { gid: gid.data, seq: seq.data };
}

/** The path's ids of a registered camera: 400 for bad ids, 404 for an unknown camera. */
export function cameraIds(
  service: Pick<CameraService, "get">,
  params: { gid?: string; seq?: string },
): { gid: number; seq: number } {
  const ids = parseIds(params);
  if (!service.get(ids.gid, ids.seq)) {
    throw new HttpError(404, `camera gid=${ids.gid} seq=${ids.seq} not found`);
  }
  return ids;
}

/** A camera as GET /api/camera shows it: live state, password masked. */
export const cameraView = (urls: Urls, base: string, c: CameraView) => ({
  seq: c.seq,
  gid: c.gid,
  name: c.name,
  iaddr: maskUrl(c.iaddr),
  protocol: c.protocol,
  isRec: c.isRec,
  inserted: c.inserted,
  updated: c.updated,
  stream_url: urls.stream(base, c.gid, c.seq),
  state: c.status.state,
  since: new Date(c.status.since).toISOString(),
  last_error: c.status.lastError === undefined ? null : maskSecrets(c.status.lastError),
  reconnects: c.status.reconnects,
  segments: c.status.segments,
  last_segment_at: c.status.lastSegmentAt ? new Date(c.status.lastSegmentAt).toISOString() : null,
  codec: c.status.codec ?? null,
  audio: c.status.audio ?? null,
  bitrate: c.status.stats?.bitrate ?? 0,
  bytes_written: c.status.stats?.bytesWritten ?? 0,
  outage_since: c.status.outageSince ? new Date(c.status.outageSince).toISOString() : null,
  recording: c.status.recordingSession
    ? urls.session(base, { gid: c.gid, seq: c.seq, ...c.status.recordingSession })
    : null,
});

/** The JSON of one camera in GET /api/camera (the browser UI's type is this one). */
export type CameraViewJson = ReturnType<typeof cameraView>;

export function cameraRoutes(
  service: CameraService,
  urls: Urls,
  opts: { fileRoot?: string } = {},
) {
  const app = new Hono();
  /** `file://` sources need a file folder (`--file-root`): refused up front without one. */
  const checkSource = (iaddr: string) => {
    if (!opts.fileRoot && parseSource(iaddr).kind === "file") {
      throw new HttpError(400, "invalid fields", [
        { field: "iaddr", message: "file:// sources are disabled (no --file-root configured)" },
      ]);
    }
  };

  const contract = (base: string, camera: Camera) => ({
    status: 1,
    isRec: camera.isRec,
    inserted: camera.inserted,
    updated: camera.updated,
    stream_url: urls.stream(base, camera.gid, camera.seq),
  });
  const recordUrl = (base: string, closed?: SessionSummary) =>
    closed && closed.segments > 0 ? urls.session(base, closed) : null;
  app.get("/boot/end", (c) => c.json(service.bootEnded() ? 1 : 0));

  app.get(
    "/camera",
    (c) => c.json(service.list().map((cam) => cameraView(urls, urls.base(c), cam))),
  );

  app.get("/camera/seq/:seq/gid/:gid", (c) => {
    const { gid, seq } = parseIds(c.req.param());
    const cam = service.get(gid, seq);
    if (!cam) throw new HttpError(404, `camera gid=${gid} seq=${seq} not found`);
    return c.json(cameraView(urls, urls.base(c), cam));
  });

  app.post("/camera", async (c) => {
    const body = await readBody(c, CameraInput);
    checkSource(body.iaddr);
    const camera = await service.add(body);
    return c.json(contract(urls.base(c), camera), 201);
  });

  app.put("/camera/record/status", async (c) => {
    const body = await readBody(c, RecordStatus);
    const { camera, closed } = await service.setRecording(body.gid, body.seq, body.isRec);
    return c.json({
      ...contract(urls.base(c), camera),
      record_url: recordUrl(urls.base(c), closed),
    });
  });

  app.put("/camera", async (c) => {
    const body = await readBody(c, CameraEdit);
    checkSource(body.iaddr);
    const { camera, closed } = await service.edit(body).catch((err) => {
      if (!(err instanceof MaskedPasswordError)) throw err;
      throw new HttpError(400, "invalid fields", [{ field: "iaddr", message: err.message }]);
    });
    return c.json({
      ...contract(urls.base(c), camera),
      record_url: recordUrl(urls.base(c), closed),
    });
  });

  app.delete("/camera/seq/:seq/gid/:gid", async (c) => {
    const { gid, seq } = parseIds(c.req.param());
    const removed = await service.remove(gid, seq);
    return c.json(removed ? 1 : 0, removed ? 200 : 404);
  });

  app.get("/deleted", async (c) => c.json(await service.listDeleted()));

  app.delete("/deleted/:id", async (c) => {
    const purged = await service.purgeDeleted(c.req.param("id"));
    return c.json(purged ? 1 : 0, purged ? 200 : 404);
  });

  return app;
}

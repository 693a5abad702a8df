/** Builds the whole recorder from a resolved config: storage, cameras, HTTP app. */
import { Hono } from "hono";
import { Auth, authEnabled } from "./api/auth/guard.ts";
import { authRoutes } from "./api/auth/routes.ts";
import { cameraRoutes, cameraView } from "./api/camera_routes.ts";
import { errorBody, HttpError } from "./api/http_errors.ts";
import { exportRoutes, sweepExports } from "./api/export_routes.ts";
import { mediaRoutes } from "./api/media_routes.ts";
import { recordingRoutes } from "./api/recording_routes.ts";
import { requestGuard } from "./api/request_guard.ts";
import { cors } from "./api/cors.ts";
import { createUrls } from "./api/urls.ts";
import { webRoutes } from "./web/routes.ts";
import { loginPage } from "./web/login_page.tsx";
import { loadBootCameras } from "./cameras/boot.ts";
import { Registry } from "./cameras/registry.ts";
import { CameraService, ConflictError, NotFoundError } from "./cameras/service.ts";
import { type Clock, systemClock } from "./clock.ts";
import type { Config } from "./config/config.ts";
import type { Logger } from "./log.ts";
import { CameraRecorder } from "./recorder/camera_recorder.ts";
import { denoSpawner, type Spawner } from "./recorder/child_process.ts";
import type { RecorderDeps } from "./recorder/camera_status.ts";
import { tcpReachable } from "./recorder/reachability.ts";
import { Catalog } from "./storage/catalog.ts";
import { makePrivateDir } from "./storage/files.ts";
import { recorderFrame, Thumbnailer } from "./recorder/thumbnailer.ts";
import { thumbnailRoutes } from "./api/thumbnail_routes.ts";
import { Operations } from "./operations.ts";

export interface ServerDeps {
  log: Logger;
  clock?: Clock;
  spawn?: Spawner;
  /** Asks whether a camera's host answers (default: a TCP connect; tests pass a stub). */
  reachable?: RecorderDeps["reachable"];
}

export interface Recorder {
  app: Hono;
  service: CameraService;
  catalog: Catalog;
  /** Loads the registry and catalog, applies the controller's list, starts cameras. */
  start(): Promise<void>;
  /** Stops every camera; `signalledMs` > 0 when the children got the same SIGINT. */
  shutdown(signalledMs?: number): Promise<void>;
}

export const DEMO_CAMERA = {
  gid: 1,
  seq: 1,
  name: "Demo camera",
  iaddr: "test://ball",
  protocol: "test" as const,
  isRec: 1 as const,
};

export function createRecorder(config: Config, deps: ServerDeps): Recorder {
  const clock = deps.clock ?? systemClock;
  const log = deps.log;
  const registry = new Registry(config.dataDir);
  const catalog = new Catalog(config.mediaRoot);
  const ops: Operations = new Operations({
    config,
    catalog,
    clock,
    log,
    service: () => service,
  });
  const service = new CameraService({
    mediaRoot: config.mediaRoot,
    registry,
    catalog,
    log,
    now: () => clock.now(),
    createRecorder: (camera) =>
      new CameraRecorder(camera, {
        mediaRoot: config.mediaRoot,
        segmentSeconds: config.segmentSeconds,
        liveSegments: config.liveSegments,
        clock,
        spawn: deps.spawn ?? denoSpawner,
        reachable: deps.reachable ?? tcpReachable,
        catalog,
        log,
        storageBlocked: ops.storageBlocked,
        options: () => ops.settings.get(camera.gid, camera.seq).options,
        fileRoot: config.ops.fileRoot,
      }),
    settings: ops.settings,
    maxCameras: config.maxCameras,
  });
  const urls = createUrls(config.publicUrl);
  const thumbnailer = new Thumbnailer({
    mediaRoot: config.mediaRoot,
    intervalSeconds: config.thumbnailSeconds,
    clock,
    log: log.child({ component: "thumbnails" }),
    cameras: () =>
      service.list().flatMap((cam) => {
        const rec = service.recorder(cam.gid, cam.seq);
        return rec
          ? [{
            gid: cam.gid,
            seq: cam.seq,
            recording: rec.status.state === "recording",
            frame: () => recorderFrame(rec, config.mediaRoot, catalog),
          }]
          : [];
      }),
  });

  const app = new Hono();
  app.onError((err, c) => {
    if (err instanceof HttpError) return c.json(errorBody(err), err.status);
    if (err instanceof NotFoundError) return c.json({ status: 0, error: err.message }, 404);
    if (err instanceof ConflictError) {
      return c.json(
        { status: 0, error: err.message, ...(err.fields && { fields: err.fields }) },
        409,
      );
    }
    log.error("request failed", { path: c.req.path, error: String(err) });
    return c.json({ status: 0, error: "internal error" }, 500);
  });
  app.notFound((c) => c.json({ status: 0, error: "not found" }, 404));
  app.use("*", requestGuard({ allowedHosts: config.allowedHosts, publicUrl: config.publicUrl }));
  app.use("*", cors(config.corsOrigins));
  if (authEnabled(config.auth)) {
    const auth = new Auth(config.auth, log);
    app.use("*", auth.middleware());
    app.route("/", authRoutes(auth, loginPage, config.publicUrl));
  }
  app.route("/api", cameraRoutes(service, urls, { fileRoot: config.ops.fileRoot }));
  app.route("/api/recordings", recordingRoutes(catalog, urls));
  app.route("/api/export", exportRoutes(config.mediaRoot, catalog));
  app.route("/api", thumbnailRoutes(service, config.mediaRoot));
  app.route("/", ops.routes());
  app.route(
    "/",
    webRoutes((c) =>
      Promise.resolve(service.list().map((cam) => cameraView(urls, urls.base(c), cam)))
    ),
  );
  app.route("/", mediaRoutes(config.mediaRoot, catalog));

  return {
    app,
    service,
    catalog,
    async start() {
      // Camera changes that arrive while the registry loads wait for it (the server answers).
      const loaded = service.holdChanges();
      try {
        await Deno.mkdir(config.mediaRoot, { recursive: true });
        // The registry holds camera passwords: owner-only folder and files (fixed if not).
        await makePrivateDir(config.dataDir);
        await sweepExports(config.mediaRoot).catch((err) =>
          log.warn("cannot empty the exports folder", { error: String(err) })
        );
        const report = await catalog.rebuild();
        log.info("catalog rebuilt from disk", { ...report });
        await ops.load();
        await loadBootCameras(registry, config.controllerUrl, log, clock.now());
      } finally {
        loaded();
      }
      const noCamera = registry.list().length === 0;
      if (config.demo === "on" || (config.demo === "auto" && noCamera && !config.controllerUrl)) {
        if (!registry.get(DEMO_CAMERA.gid, DEMO_CAMERA.seq)) {
          log.info("no camera configured: adding the synthetic demo camera", {
            iaddr: DEMO_CAMERA.iaddr,
          });
          await service.add(DEMO_CAMERA);
        }
      }
      await service.startAll();
      await ops.start();
      thumbnailer.start();
    },
    shutdown: async (signalledMs = 0) => {
      await thumbnailer.stop();
      await ops.stop();
      await service.shutdown(signalledMs);
    },
  };
}

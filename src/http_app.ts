/**
 * The HTTP app: error mapping, request guards (Host, cross-site writes, CORS), access
 * control when it is on, then every route module of `api/` and the pages of `web/`.
 * Built by the composition root (server.ts) from parts it made; it makes none itself.
 */
import { Hono } from "hono";
import { Auth, authEnabled } from "./api/auth/guard.ts";
import { authRoutes, openAuthRoutes } from "./api/auth/routes.ts";
import { cameraRoutes, cameraView } from "./api/camera_routes.ts";
import { cors } from "./api/cors.ts";
import { eventRoutes } from "./api/event_routes.ts";
import { exportRoutes } from "./api/export_routes.ts";
import { errorBody, HttpError } from "./api/http_errors.ts";
import { liveFromMemory, mediaRoutes } from "./api/media_routes.ts";
import { archivedMedia, archiveRanges } from "./api/archive_media.ts";
import { archiveRoutes } from "./api/archive_routes.ts";
import type { Archiver } from "./archive/uploader.ts";
import { liveRoutes } from "./api/live_routes.ts";
import { llHlsRoutes } from "./api/ll_hls_routes.ts";
import { opsRoutes } from "./api/ops_routes.ts";
import { optionsRoutes } from "./api/options_routes.ts";
import { motionRoutes } from "./api/motion_routes.ts";
import { recordingRoutes } from "./api/recording_routes.ts";
import { StorageMap } from "./storage/storage_spans.ts";
import { hostGuard, requestGuard } from "./api/request_guard.ts";
import { scheduleRoutes } from "./api/schedule_routes.ts";
import { snapshotRoutes } from "./api/snapshot_routes.ts";
import { storageRoutes } from "./api/storage_routes.ts";
import { thumbnailRoutes } from "./api/thumbnail_routes.ts";
import { createUrls } from "./api/urls.ts";
import { type CameraService, ConflictError, NotFoundError } from "./cameras/service.ts";
import type { CameraSettings } from "./cameras/settings.ts";
import type { Clock } from "./clock.ts";
import type { Config } from "./config/config.ts";
import type { IntegrationMetrics } from "./health/metrics.ts";
import type { Logger } from "./log.ts";
import type { Snapshots } from "./recorder/snapshot.ts";
import type { LiveStreams } from "./recorder/live/streams.ts";
import type { LlHlsFeeds } from "./recorder/live/ll_hls_feeds.ts";
import type { Scheduler } from "./schedule/scheduler.ts";
import type { Catalog } from "./storage/catalog.ts";
import type { Cleaner } from "./storage/cleaner.ts";
import type { DiskGuard } from "./storage/disk_guard.ts";
import type { EventStore } from "./storage/event_store.ts";
import type { EventThumbnails } from "./recorder/event_thumbnails.ts";
import { totalBytes, usageByCamera } from "./storage/usage.ts";
import { loginPage } from "./web/login_page.tsx";
import { webRoutes } from "./web/routes.ts";

export interface HttpParts {
  config: Config;
  log: Logger;
  clock: Clock;
  service: CameraService;
  catalog: Catalog;
  settings: CameraSettings;
  disk: DiskGuard;
  cleaner: Cleaner;
  scheduler: Scheduler;
  snapshots: Snapshots;
  /** The archive uploader (src/archive/), when the archive is on. */
  archiver?: Archiver;
  /** Each camera's low-latency live stream (recorder/live/). */
  live?: LiveStreams;
  /** The same live streams as Low-Latency HLS (recorder/live/ll_hls.ts). */
  llHls?: LlHlsFeeds;
  /** MQTT and webhook counters for /metrics (none when they are off). */
  integrationMetrics?: () => IntegrationMetrics;
  eventStore: EventStore;
  eventThumbnails: EventThumbnails;
}

export function httpApp(p: HttpParts): Hono {
  const { config, log, service, catalog, settings } = p;
  const now = () => p.clock.now();
  const urls = createUrls(config.publicUrl);
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
  } else app.route("/", openAuthRoutes());
  app.route("/api", cameraRoutes(service, urls, { fileRoot: config.ops.fileRoot }));
  const storage = p.archiver && new StorageMap(config.mediaRoot);
  app.route("/api/recordings", recordingRoutes(catalog, urls, storage));
  const readArchived = p.archiver && ((rel: string) => p.archiver!.read(rel));
  const ranges = p.archiver?.fleet.presign
    ? archiveRanges(p.archiver, config.mediaRoot)
    : undefined;
  app.route(
    "/api/export",
    exportRoutes(config.mediaRoot, catalog, undefined, readArchived, ranges),
  );
  app.route("/api", thumbnailRoutes(service, config.mediaRoot));
  app.route(
    "/",
    opsRoutes({
      service,
      now,
      staleMs: config.ops.healthStaleSeconds * 1000,
      storageBlocked: p.disk.blocked,
      integrations: p.integrationMetrics,
      archive: p.archiver && (() => p.archiver!.status),
      storageMetrics: async () => ({
        usedBytes: totalBytes(await usageByCamera(catalog, config.mediaRoot)),
        freeBytes: p.disk.space?.freeBytes,
        ...p.cleaner.totals,
      }),
    }),
  );
  app.route(
    "/",
    storageRoutes({
      service,
      settings,
      catalog,
      cleaner: p.cleaner,
      disk: p.disk,
      mediaRoot: config.mediaRoot,
      budgetBytes: config.ops.diskBudgetBytes,
      minFreeBytes: config.ops.minFreeBytes,
      now,
    }),
  );
  app.route("/", scheduleRoutes(service, settings, p.scheduler, now));
  app.route("/", optionsRoutes(service, settings, (gid, seq) => p.live?.subChanged(gid, seq)));
  app.route("/", motionRoutes(service, settings, config.ops.motionDefault));
  app.route("/", snapshotRoutes(service, p.snapshots));
  app.route(
    "/",
    webRoutes(
      (c) => Promise.resolve(service.list().map((cam) => cameraView(urls, urls.base(c), cam))),
      { archive: !!p.archiver },
    ),
  );
  app.route(
    "/",
    eventRoutes({
      service,
      store: p.eventStore,
      now,
      thumbnail: (gid, seq, id) => p.eventThumbnails.get(gid, seq, id),
    }),
  );
  if (p.live) app.route("/", liveRoutes(p.live));
  if (p.llHls) app.route("/", llHlsRoutes(p.llHls));
  const archived = p.archiver && archivedMedia(p.archiver, "public, max-age=31536000, immutable");
  app.route("/", mediaRoutes(config.mediaRoot, catalog, archived));
  if (p.archiver) app.route("/", archiveRoutes(p.archiver.fleet));
  // Live playlists, which every viewer polls, straight from memory ahead of the router: the
  // same answer as their route, without the chain. Only where the chain would add nothing
  // but the Host check (no access control, no CORS).
  if (!authEnabled(config.auth) && config.corsOrigins.length === 0) {
    const served = hostGuard({ allowedHosts: config.allowedHosts, publicUrl: config.publicUrl });
    const live = liveFromMemory(config.mediaRoot);
    const route = app.fetch;
    app.fetch = (req, ...rest) => (served(req) && live(req)) || route(req, ...rest);
  }
  return app;
}

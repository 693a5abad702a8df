/**
 * The composition root: builds the whole recorder once from a resolved config, leaves
 * first (registry, catalog, settings, disk guard), then the camera service with its
 * recorder factory, then what acts on cameras (cleaner, scheduler, thumbnailer), then
 * the HTTP app (http_app.ts). Nothing else constructs these parts.
 */
import type { Hono } from "hono";
import { loadBootCameras } from "./cameras/boot.ts";
import { Registry } from "./cameras/registry.ts";
import { CameraService } from "./cameras/service.ts";
import { CameraSettings } from "./cameras/settings.ts";
import { subStreamOf } from "./cameras/sub_stream.ts";
import { type Clock, repeat, sleep, systemClock } from "./clock.ts";
import type { Config } from "./config/config.ts";
import { httpApp } from "./http_app.ts";
import { createArchive } from "./archive/archive.ts";
import { createIntegrations } from "./integrations/integrations.ts";
import type { Logger } from "./log.ts";
import { EventHub } from "./events.ts";
import type { RecorderTap } from "./recorder/tap.ts";
import { LiveStreams } from "./recorder/live/streams.ts";
import { LlHlsFeeds } from "./recorder/live/ll_hls_feeds.ts";
import { MotionTap } from "./recorder/motion/motion_tap.ts";
import { motionSettings } from "./cameras/motion_settings.ts";
import type { Camera } from "./cameras/camera.ts";
import { CameraRecorder } from "./recorder/camera_recorder.ts";
import type { RecorderDeps } from "./recorder/camera_status.ts";
import { denoSpawner, type Spawner } from "./recorder/child_process.ts";
import { tcpReachable } from "./recorder/reachability.ts";
import { Snapshots } from "./recorder/snapshot.ts";
import { recorderFrame, Thumbnailer } from "./recorder/thumbnailer.ts";
import { Scheduler } from "./schedule/scheduler.ts";
import { Catalog } from "./storage/catalog.ts";
import { Cleaner } from "./storage/cleaner.ts";
import { EventStore } from "./storage/event_store.ts";
import { holdMs } from "./storage/motion_retention.ts";
import { EventThumbnails } from "./recorder/event_thumbnails.ts";
import { DiskGuard, type Space } from "./storage/disk_guard.ts";
import { makePrivateDir } from "./storage/files.ts";
import { sweepExports } from "./storage/exports.ts";
import { MOTION_DIR, SNAPSHOTS_DIR } from "./storage/layout.ts";
import { join } from "node:path";

/** What the recorder touches outside itself; tests pass scripted ones. */
export interface NvrDeps {
  log: Logger;
  clock?: Clock;
  spawn?: Spawner;
  /** Asks whether a camera's host answers (default: a TCP connect; tests pass a stub). */
  reachable?: RecorderDeps["reachable"];
  /** Reads the media filesystem's free space (default: statfs). */
  space?: (root: string) => Promise<Space | undefined>;
}

export interface Nvr {
  app: Hono;
  service: CameraService;
  catalog: Catalog;
  /** Camera, storage and motion events (events.ts). */
  events: EventHub;
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

const DAY_MS = 86_400_000;

export function createNvr(config: Config, deps: NvrDeps): Nvr {
  const clock = deps.clock ?? systemClock;
  const log = deps.log;
  const { mediaRoot, ops } = config;

  // Leaves.
  const events = new EventHub((err) =>
    log.error("event listener failed", { error: String((err as Error)?.message ?? err) })
  );
  /** Features fed from each camera's child (recorder/tap.ts), one factory each. */
  const tapFactories: ((camera: Camera) => RecorderTap | undefined)[] = [];
  // The low-latency live stream (fMP4 over a WebSocket) from each camera's child (recorder/live/).
  const live = ops.liveView
    ? new LiveStreams({
      clock,
      log: log.child({ component: "live" }),
      sub: (gid, seq) => subStreamOf(settings.get(gid, seq).options),
    })
    : undefined;
  if (live) tapFactories.push((camera) => live.tapFor(camera.gid, camera.seq));
  // The same live stream as Low-Latency HLS, for players without WebSocket + MSE.
  const llHls = live && new LlHlsFeeds(clock, (gid, seq) => live.hub(gid, seq));
  // Motion detection on the keyframes of each camera's recorded video (recorder/motion/).
  tapFactories.push((camera) =>
    new MotionTap({
      camera: { gid: camera.gid, seq: camera.seq },
      mediaRoot,
      clock,
      publish: (e) => events.publish(e),
      settings: () =>
        motionSettings(settings.get(camera.gid, camera.seq).motion, ops.motionDefault),
      // The jitter buffer's latency, as CameraRecorder's default (RTSP sources only).
      latencyMs: /^rtsps?:\/\//i.test(camera.iaddr) ? 200 : 0,
      warn: (message, fields) =>
        log.warn(message, { camera: `${camera.gid}/${camera.seq}`, ...fields }),
    })
  );
  const registry = new Registry(config.dataDir);
  const catalog = new Catalog(mediaRoot, log.child({ component: "catalog" }));
  const settings = new CameraSettings(config.dataDir);
  /** Motion events as data (storage/event_store.ts), fed by the hub's motion events. */
  const eventStore = new EventStore(mediaRoot, {
    now: () => clock.now(),
    log: log.child({ component: "events" }),
    known: (gid, seq) => registry.get(gid, seq) !== undefined,
  });
  const disk = new DiskGuard({
    mediaRoot,
    minFreeBytes: ops.minFreeBytes,
    log: log.child({ component: "retention" }),
    space: deps.space,
    events,
    now: () => clock.now(),
  });

  // The cameras.
  const service = new CameraService({
    mediaRoot,
    registry,
    catalog,
    log,
    now: () => clock.now(),
    createRecorder: (camera) =>
      new CameraRecorder(camera, {
        mediaRoot,
        segmentSeconds: config.segmentSeconds,
        liveSegments: config.liveSegments,
        clock,
        spawn: deps.spawn ?? denoSpawner,
        reachable: deps.reachable ?? tcpReachable,
        catalog,
        log,
        storageBlocked: disk.blocked,
        options: () => settings.get(camera.gid, camera.seq).options,
        fileRoot: ops.fileRoot,
        events,
        taps: tapFactories.flatMap((make) => make(camera) ?? []),
      }),
    events,
    settings,
    maxCameras: config.maxCameras,
  });

  // What acts on the cameras.
  /** The archive tier on S3 (src/archive/), when --archive-url is set. */
  const archive = createArchive(config.archive, {
    mediaRoot,
    catalog,
    clock,
    log,
    node: config.nodeId,
  });
  const cleaner = new Cleaner({
    mediaRoot,
    catalog,
    clock,
    log: log.child({ component: "retention" }),
    budgetBytes: ops.diskBudgetBytes,
    minFreeBytes: ops.minFreeBytes,
    disk,
    keeps: () => settings.allKeeps(),
    maxAgeMs: (gid, seq) => {
      const days = settings.get(gid, seq).maxAgeDays;
      return days === undefined ? undefined : days * DAY_MS;
    },
    events: eventStore,
    motionHoldMs: holdMs(config.segmentSeconds),
    motionRule: (gid, seq) => {
      const e = settings.get(gid, seq);
      return {
        recordMode: e.recordMode,
        postRollSeconds: e.postRollSeconds,
        continuousDays: e.continuousDays,
      };
    },
    pruneOpen: (s, names) =>
      service.recorder(s.gid, s.seq)?.pruneSession(s.date, s.time, names) ??
        Promise.resolve(undefined),
    evict: archive && ((need) => archive.evictor.pass(need)),
  });
  const scheduler = new Scheduler({
    clock,
    log,
    schedules: () =>
      service.list().flatMap((c) => {
        const schedule = settings.get(c.gid, c.seq).schedule;
        return schedule ? [{ gid: c.gid, seq: c.seq, schedule }] : [];
      }),
    apply: async (gid, seq, on) => {
      const cam = service.get(gid, seq);
      if (!cam || cam.isRec === (on ? 1 : 0)) return;
      await service.setRecording(gid, seq, on ? 1 : 0);
      log.info("schedule: recording " + (on ? "on" : "off"), { camera: `${gid}/${seq}` });
    },
  });
  const thumbnailer = new Thumbnailer({
    mediaRoot,
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
            frame: () => recorderFrame(rec, mediaRoot, catalog),
          }]
          : [];
      }),
  });
  const eventThumbnails = new EventThumbnails({
    mediaRoot,
    store: eventStore,
    catalog,
    codec: (gid, seq) => service.recorder(gid, seq)?.status.codec,
    log: log.child({ component: "events" }),
    archived: archive && ((rel) => archive.archiver.read(rel)),
  });
  /** MQTT and webhooks (src/integrations/), when configured. */
  const integrations = createIntegrations({
    config: config.integrations,
    node: config.nodeId,
    events,
    service,
    clock,
    log,
  });
  const snapshotLog = log.child({ component: "snapshots" });
  const snapshots = new Snapshots(join(mediaRoot, SNAPSHOTS_DIR), undefined, snapshotLog);

  const app = httpApp({
    config,
    log,
    clock,
    service,
    catalog,
    settings,
    disk,
    cleaner,
    scheduler,
    snapshots,
    archiver: archive?.archiver,
    live,
    llHls,
    integrationMetrics: integrations && (() => integrations.metrics()),
    eventStore,
    eventThumbnails,
  });

  /** Schedules follow cameras deleted or moved elsewhere; then one cleaning pass. */
  const housekeeping = async () => {
    scheduler.sync();
    await cleaner.pass();
  };
  /** Events left open by a crash end at their last update or the camera's last segment. */
  const repairEvents = async () => {
    const lastEnd = new Map<string, number>();
    for (const s of catalog.allSessions()) {
      const k = `${s.gid}/${s.seq}`;
      lastEnd.set(k, Math.max(lastEnd.get(k) ?? 0, s.endMs));
    }
    const repaired = await eventStore.repair((gid, seq) => lastEnd.get(`${gid}/${seq}`))
      .catch((err) => {
        log.warn("cannot repair motion events", { error: String(err) });
        return 0;
      });
    if (repaired > 0) log.info("motion events left open by a crash closed", { repaired });
  };
  events.on((e) => {
    if (e.type === "motion") {
      eventStore.record(e.gid, e.seq, e.phase, e.at, e.event);
      if (e.phase === "end") thumbnailSoon(e.gid, e.seq, e.event.id);
    } else if (e.type === "camera_removed") eventStore.forget(e.gid, e.seq);
  });
  /** An ended event's thumbnail is made once its last segments are recorded (in the background). */
  const thumbnailSoon = (gid: number, seq: number, id: string) =>
    void sleep(clock, 2 * config.segmentSeconds * 1000 + 1000, stopLoops.signal)
      .then((due) => due ? eventThumbnails.get(gid, seq, id) : undefined)
      .catch((err) => log.warn("event thumbnail failed", { id, error: String(err) }));
  const reportPass = (err: unknown) =>
    log.error("retention pass failed", { error: (err as Error).message });
  const stopLoops = new AbortController();
  let loop: Promise<void> | undefined;

  return {
    app,
    service,
    catalog,
    events,
    async start() {
      // Camera changes that arrive while the registry loads wait for it (the server answers).
      const loaded = service.holdChanges();
      try {
        await Deno.mkdir(mediaRoot, { recursive: true });
        // The registry holds camera passwords: owner-only folder and files (fixed if not).
        await makePrivateDir(config.dataDir);
        await sweepExports(mediaRoot).catch((err) =>
          log.warn("cannot empty the exports folder", { error: String(err) })
        );
        // Motion frame files a crash left (e.g. of deleted cameras); each run makes its own again.
        await Deno.remove(join(mediaRoot, MOTION_DIR), { recursive: true }).catch(() => {});
        const report = await catalog.rebuild();
        log.info("catalog rebuilt from disk", { ...report });
        await repairEvents();
        await settings.load();
        await housekeeping().catch(reportPass); // before cameras start: room for them
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
      integrations?.start();
      await scheduler.start();
      const interval = ops.retentionIntervalSeconds * 1000;
      // While the disk is full, look again every few seconds to resume soon after space returns.
      const wait = () => disk.blocked() ? Math.min(interval, 2000) : interval;
      loop ??= repeat(clock, wait, housekeeping, stopLoops.signal, reportPass);
      thumbnailer.start();
      archive?.archiver.start();
    },
    shutdown: async (signalledMs = 0) => {
      await archive?.archiver.stop();
      await thumbnailer.stop();
      stopLoops.abort();
      llHls?.close();
      scheduler.stop();
      await loop;
      await service.shutdown(signalledMs);
      await integrations?.stop();
      eventStore.closeAll(clock.now());
    },
  };
}

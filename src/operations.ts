/**
 * Operations wiring: per-camera settings, the retention cleaner and its loop, the
 * recording scheduler, and their HTTP routes (health, metrics, storage, schedules).
 */
import { Hono } from "hono";
import { opsRoutes } from "./api/ops_routes.ts";
import { optionsRoutes } from "./api/options_routes.ts";
import { scheduleRoutes } from "./api/schedule_routes.ts";
import { storageRoutes } from "./api/storage_routes.ts";
import { Scheduler } from "./schedule/scheduler.ts";
import { join } from "node:path";
import { Snapshots } from "./recorder/snapshot.ts";
import { ID_RE, SNAPSHOTS_DIR } from "./storage/layout.ts";
import type { CameraService } from "./cameras/service.ts";
import { CameraSettings } from "./cameras/settings.ts";
import { type Clock, sleep } from "./clock.ts";
import type { Config } from "./config/config.ts";
import type { Logger } from "./log.ts";
import type { Catalog } from "./storage/catalog.ts";
import { Cleaner, type Space, statfsSpace } from "./storage/cleaner.ts";

export interface OperationsDeps {
  config: Config;
  catalog: Catalog;
  clock: Clock;
  log: Logger;
  /** The camera service (created after this object: recorders ask `storageBlocked`). */
  service: () => CameraService;
  space?: (root: string) => Promise<Space | undefined>;
}

const DAY_MS = 86_400_000;

export class Operations {
  readonly settings: CameraSettings;
  readonly cleaner: Cleaner;
  readonly scheduler: Scheduler;
  #d: OperationsDeps;
  #stop = new AbortController();
  #loop?: Promise<void>;

  constructor(d: OperationsDeps) {
    this.#d = d;
    const ops = d.config.ops;
    this.settings = new CameraSettings(d.config.dataDir);
    this.cleaner = new Cleaner({
      mediaRoot: d.config.mediaRoot,
      catalog: d.catalog,
      clock: d.clock,
      log: d.log.child({ component: "retention" }),
      budgetBytes: ops.diskBudgetBytes,
      minFreeBytes: ops.minFreeBytes,
      space: d.space ?? statfsSpace,
      keeps: () => this.settings.allKeeps(),
      maxAgeMs: (gid, seq) => {
        const days = this.settings.get(gid, seq).maxAgeDays;
        return days === undefined ? undefined : days * DAY_MS;
      },
      pruneOpen: (s, names) =>
        d.service().recorder(s.gid, s.seq)?.pruneSession(s.date, s.time, names) ??
          Promise.resolve(undefined),
    });
    this.scheduler = new Scheduler({
      clock: d.clock,
      log: d.log,
      schedules: () =>
        d.service().list().flatMap((c) => {
          const schedule = this.settings.get(c.gid, c.seq).schedule;
          return schedule ? [{ gid: c.gid, seq: c.seq, schedule }] : [];
        }),
      apply: this.#setRecording,
    });
  }

  #setRecording = async (gid: number, seq: number, on: boolean) => {
    const service = this.#d.service();
    const cam = service.get(gid, seq);
    if (!cam || cam.isRec === (on ? 1 : 0)) return;
    await service.setRecording(gid, seq, on ? 1 : 0);
    this.#d.log.info("schedule: recording " + (on ? "on" : "off"), { camera: `${gid}/${seq}` });
  };

  /** Why recording must pause now, if it must. */
  storageBlocked = (): string | undefined => this.cleaner.blocked();

  routes(): Hono {
    const d = this.#d;
    const app = new Hono();
    app.route(
      "/",
      opsRoutes({
        service: d.service(),
        now: () => d.clock.now(),
        staleMs: d.config.ops.healthStaleSeconds * 1000,
        storageBlocked: this.storageBlocked,
        storageMetrics: async () => ({
          usedBytes: [...(await this.cleaner.usage()).values()].reduce((a, b) => a + b, 0),
          freeBytes: this.cleaner.space?.freeBytes,
          ...this.cleaner.totals,
        }),
      }),
    );
    app.route(
      "/",
      storageRoutes({
        service: d.service(),
        settings: this.settings,
        catalog: d.catalog,
        cleaner: this.cleaner,
        budgetBytes: d.config.ops.diskBudgetBytes,
        minFreeBytes: d.config.ops.minFreeBytes,
        now: () => d.clock.now(),
      }),
    );
    app.route(
      "/",
      scheduleRoutes(d.service(), this.settings, this.scheduler, () => d.clock.now()),
    );
    app.route("/", optionsRoutes(d.service(), this.settings));
    const snapshots = new Snapshots(join(d.config.mediaRoot, SNAPSHOTS_DIR));
    app.get("/:gid/:seq/snapshot.jpg", async (c) => {
      const { gid, seq } = c.req.param();
      const recorder = ID_RE.test(gid) && ID_RE.test(seq)
        ? d.service().recorder(Number(gid), Number(seq))
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

  /** Loads settings and runs a first retention pass (before cameras start). */
  async load(): Promise<void> {
    await this.settings.load();
    await this.#pass();
  }

  /** Starts the periodic retention passes and the schedules. */
  async start(): Promise<void> {
    await this.scheduler.start();
    const interval = this.#d.config.ops.retentionIntervalSeconds * 1000;
    this.#loop ??= (async () => {
      // While the disk is full, look again every few seconds to resume soon after space returns.
      const wait = () => this.cleaner.blocked() ? Math.min(interval, 2000) : interval;
      while (await sleep(this.#d.clock, wait(), this.#stop.signal)) await this.#pass();
    })();
  }

  async stop(): Promise<void> {
    this.#stop.abort();
    this.scheduler.stop();
    await this.#loop;
  }

  async #pass(): Promise<void> {
    try {
      // In the try: this runs in a background loop, where a throw would end the process.
      this.scheduler.sync();
      await this.cleaner.pass();
    } catch (err) {
      this.#d.log.error("retention pass failed", { error: (err as Error).message });
    }
  }
}

/**
 * Storage and retention:
 *   GET    /api/storage                                    usage, free space, forecast
 *   GET|PUT /api/camera/seq/{seq}/gid/{gid}/retention      per-camera maximum age, and the
 *                                                          tier: days kept whole (then motion only)
 *   GET|POST /api/camera/seq/{seq}/gid/{gid}/keep          keep locks (spans never cleaned;
 *                                                          at most 100 per camera, 366 days each)
 *   DELETE /api/camera/seq/{seq}/gid/{gid}/keep/{id}
 */
import { Hono } from "hono";
import type { CameraService } from "../cameras/service.ts";
import {
  type CameraSettings,
  KeepInput,
  MAX_KEEP_DAYS,
  MAX_KEEPS_PER_CAMERA,
  RetentionInput,
} from "../cameras/settings.ts";
import type { Catalog } from "../storage/catalog.ts";
import type { Cleaner } from "../storage/cleaner.ts";
import type { DiskGuard } from "../storage/disk_guard.ts";
import { totalBytes, usageByCamera } from "../storage/usage.ts";
import { forecastDays } from "../storage/retention.ts";
import { cameraIds } from "./camera_routes.ts";
import { HttpError, readBody } from "./http_errors.ts";

export interface StorageDeps {
  service: CameraService;
  settings: CameraSettings;
  catalog: Catalog;
  cleaner: Cleaner;
  disk: DiskGuard;
  mediaRoot: string;
  budgetBytes: number;
  minFreeBytes: number;
  now: () => number;
}

const iso = (
  ms?: number,
) => (ms === undefined || !Number.isFinite(ms) ? null : new Date(ms).toISOString());

export function storageRoutes(d: StorageDeps) {
  const app = new Hono();

  app.get("/api/storage", async (c) => {
    const usage = await usageByCamera(d.catalog, d.mediaRoot);
    const sessions = d.catalog.allSessions().filter((s) => s.segments > 0);
    const space = await d.disk.read();
    const used = totalBytes(usage);
    const views = d.service.list();
    const bitrate = (gid: number, seq: number) => {
      const v = views.find((x) => x.gid === gid && x.seq === seq);
      return v && (v.status.state === "recording") ? v.status.stats?.bitrate ?? 0 : 0;
    };
    const bytesPerDay = views.reduce((a, v) => a + bitrate(v.gid, v.seq), 0) / 8 * 86_400;
    const capacity = d.budgetBytes > 0
      ? Math.min(d.budgetBytes, space ? used + space.freeBytes - d.minFreeBytes : Infinity)
      : space
      ? used + space.freeBytes - d.minFreeBytes
      : NaN;
    const cameras = [...new Set([...usage.keys(), ...views.map((v) => `${v.gid}/${v.seq}`)])]
      .map((k) => {
        const [gid, seq] = k.split("/").map(Number);
        const oldest = sessions.find((s) => s.gid === gid && s.seq === seq);
        return {
          gid,
          seq,
          used_bytes: usage.get(k) ?? 0,
          oldest_recording: iso(oldest?.startMs),
          bitrate: bitrate(gid, seq),
          max_age_days: d.settings.get(gid, seq).maxAgeDays ?? null,
          keeps: d.settings.get(gid, seq).keeps.length,
        };
      });
    const last = d.cleaner.last;
    return c.json({
      used_bytes: used,
      budget_bytes: d.budgetBytes || null,
      min_free_bytes: d.minFreeBytes || null,
      free_bytes: space?.freeBytes ?? null,
      total_bytes: space?.totalBytes ?? null,
      paused: d.disk.blocked() ?? null,
      oldest_recording: iso(sessions[0]?.startMs),
      bytes_per_day: Math.round(bytesPerDay),
      forecast_days: forecastDays(capacity, bytesPerDay),
      days_until_full: forecastDays(capacity - used, bytesPerDay),
      last_cleaning: last
        ? { at: iso(last.at), deleted_segments: last.deletedSegments, freed_bytes: last.freedBytes }
        : null,
      deleted_total: {
        segments: d.cleaner.totals.deletedSegments,
        bytes: d.cleaner.totals.deletedBytes,
      },
      cameras,
    });
  });

  app.get("/api/camera/seq/:seq/gid/:gid/retention", (c) => {
    const { gid, seq } = cameraIds(d.service, c.req.param());
    const e = d.settings.get(gid, seq);
    return c.json({
      gid,
      seq,
      max_age_days: e.maxAgeDays ?? null,
      continuous_days: e.continuousDays ?? null,
    });
  });

  app.put("/api/camera/seq/:seq/gid/:gid/retention", async (c) => {
    const { gid, seq } = cameraIds(d.service, c.req.param());
    const body = await readBody(c, RetentionInput);
    const kept = body.continuous_days === undefined
      ? d.settings.get(gid, seq).continuousDays
      : body.continuous_days ?? undefined;
    if (kept !== undefined && body.max_age_days !== null && kept > body.max_age_days) {
      throw new HttpError(400, "invalid fields", [
        { field: "continuous_days", message: "must be at most max_age_days" },
      ]);
    }
    const e = await d.settings.update(gid, seq, (e) => ({
      ...e,
      maxAgeDays: body.max_age_days ?? undefined,
      continuousDays: body.continuous_days === undefined
        ? e.continuousDays
        : body.continuous_days ?? undefined,
    }));
    return c.json({
      status: 1,
      gid,
      seq,
      max_age_days: e.maxAgeDays ?? null,
      continuous_days: e.continuousDays ?? null,
    });
  });

  const keepView = (k: { id: string; startMs: number; endMs: number; note?: string }) => ({
    id: k.id,
    start: iso(k.startMs),
    end: iso(k.endMs),
    note: k.note ?? null,
  });

  app.get("/api/camera/seq/:seq/gid/:gid/keep", (c) => {
    const { gid, seq } = cameraIds(d.service, c.req.param());
    return c.json({ gid, seq, keeps: d.settings.get(gid, seq).keeps.map(keepView) });
  });

  app.post("/api/camera/seq/:seq/gid/:gid/keep", async (c) => {
    const { gid, seq } = cameraIds(d.service, c.req.param());
    const body = await readBody(c, KeepInput);
    if (Date.parse(body.end) > d.now() + MAX_KEEP_DAYS * 86_400_000) {
      throw new HttpError(400, "invalid fields", [
        { field: "end", message: `must be at most ${MAX_KEEP_DAYS} days from now` },
      ]);
    }
    const keep = {
      id: crypto.randomUUID().slice(0, 8),
      startMs: Date.parse(body.start),
      endMs: Date.parse(body.end),
      ...(body.note ? { note: body.note } : {}),
    };
    await d.settings.update(gid, seq, (e) => {
      if (e.keeps.length >= MAX_KEEPS_PER_CAMERA) {
        throw new HttpError(409, `too many keep locks: at most ${MAX_KEEPS_PER_CAMERA}`, [{
          field: "keeps",
          message: `at most ${MAX_KEEPS_PER_CAMERA} keep locks per camera: delete one first`,
        }]);
      }
      return { ...e, keeps: [...e.keeps, keep] };
    });
    return c.json({ status: 1, gid, seq, ...keepView(keep) }, 201);
  });

  app.delete("/api/camera/seq/:seq/gid/:gid/keep/:id", async (c) => {
    const { gid, seq } = cameraIds(d.service, c.req.param());
    const id = c.req.param("id");
    const had = d.settings.get(gid, seq).keeps.some((k) => k.id === id);
    if (had) {
      await d.settings.update(gid, seq, (e) => ({
        ...e,
        keeps: e.keeps.filter((k) => k.id !== id),
      }));
    }
    return c.json(had ? 1 : 0, had ? 200 : 404);
  });

  return app;
}

/**
 * Operations: GET /api/health (200 or 503 with reasons), GET /metrics (Prometheus
 * text), GET /api/camera/seq/{seq}/gid/{gid}/outages (outages kept as data).
 */
import { Hono } from "hono";
import { z } from "zod";
import type { CameraService } from "../cameras/service.ts";
import { isoTime } from "../cameras/settings.ts";
import { maskSecrets } from "../util/redact.ts";
import { isAnonymous } from "./auth/guard.ts";
import { evaluateHealth } from "../health/health.ts";
import { archiveWarnings, renderArchiveMetrics } from "../health/archive_health.ts";
import type { ArchiveStatus } from "../archive/uploader.ts";
import { type IntegrationMetrics, renderMetrics, type StorageMetrics } from "../health/metrics.ts";
import { outagesBetween } from "../storage/outages.ts";
import { parseIds } from "./camera_routes.ts";
import { HttpError, readQuery } from "./http_errors.ts";

export interface OpsDeps {
  service: CameraService;
  now: () => number;
  staleMs: number;
  /** Why recording is paused for lack of space, if it is. */
  storageBlocked: () => string | undefined;
  storageMetrics: () => Promise<StorageMetrics>;
  /** MQTT and webhook counters (absent when they are off). */
  integrations?: () => IntegrationMetrics;
  /** The archive uploader's status (absent when the archive is off). */
  archive?: () => ArchiveStatus;
}

const iso = (ms?: number) => (ms === undefined ? null : new Date(ms).toISOString());

const OutageQuery = z.strictObject({ from: isoTime.optional(), to: isoTime.optional() });

export function opsRoutes(d: OpsDeps) {
  const app = new Hono();

  app.get("/api/health", (c) => {
    const cameras = d.service.list().map((cam) => ({
      gid: cam.gid,
      seq: cam.seq,
      recording: d.service.recorder(cam.gid, cam.seq)?.recording ?? false,
      state: cam.status.state,
      lastError: cam.status.lastError,
      lastSegmentAt: cam.status.lastSegmentAt,
      startedAt: cam.status.startedAt,
    }));
    const report = evaluateHealth(d.now(), cameras, { blocked: d.storageBlocked() }, d.staleMs);
    const archive = d.archive?.();
    if (archive) report.warnings.push(...archiveWarnings(archive, d.now()));
    const code = report.ok ? 200 : 503;
    // Access control on, no valid credentials: the status only (no camera ids, errors, URLs).
    if (isAnonymous(c)) return c.json({ status: report.ok ? 1 : 0 }, code);
    return c.json({
      status: report.ok ? 1 : 0,
      cameras: cameras.length,
      reasons: report.reasons.map(maskSecrets),
      warnings: report.warnings.map(maskSecrets),
    }, code);
  });

  app.get("/metrics", async (c) => {
    const cameras = d.service.list().map((cam) => ({
      gid: cam.gid,
      seq: cam.seq,
      state: cam.status.state,
      reconnects: cam.status.reconnects,
      segments: cam.status.segments,
      lastSegmentAt: cam.status.lastSegmentAt,
      outages: d.service.recorder(cam.gid, cam.seq)?.outages.count ?? 0,
      stats: cam.status.stats,
    }));
    const storage = await d.storageMetrics();
    let text = renderMetrics(cameras, storage, Deno.memoryUsage(), d.integrations?.());
    const archive = d.archive?.();
    if (archive) text += renderArchiveMetrics(archive);
    return c.text(text, 200, {
      "content-type": "text/plain; version=0.0.4; charset=utf-8",
    });
  });

  app.get("/api/camera/seq/:seq/gid/:gid/outages", async (c) => {
    const { gid, seq } = parseIds(c.req.param());
    const q = readQuery(OutageQuery, c.req.query());
    const recorder = d.service.recorder(gid, seq);
    if (!d.service.get(gid, seq) || !recorder) {
      throw new HttpError(404, `camera gid=${gid} seq=${seq} not found`);
    }
    const from = q.from ? Date.parse(q.from) : 0;
    const to = q.to ? Date.parse(q.to) : Infinity;
    const list = outagesBetween(await recorder.outages.list(), from, to);
    return c.json({
      gid,
      seq,
      outages: list.map((o) => ({ start: iso(o.startMs), end: iso(o.endMs), reason: o.reason })),
    });
  });

  return app;
}

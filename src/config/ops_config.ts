/** Settings for health, retention and cleaning (part of the config; see docs/configuration.md). */
import { resolve } from "node:path";
import { z } from "zod";

export interface OpsConfig {
  /** /api/health answers 503 when a recording camera produced no segment for this long. */
  healthStaleSeconds: number;
  /** Bytes the recordings may use in total (0: no budget). */
  diskBudgetBytes: number;
  /** Free bytes to keep on the media filesystem (0: no minimum). */
  minFreeBytes: number;
  /** Seconds between two retention passes. */
  retentionIntervalSeconds: number;
  /** Absolute folder `file://` sources are confined to (none: file sources refused). */
  fileRoot?: string;
  /** Motion detection for a camera without its own setting (`--motion on|off`). */
  motionDefault: boolean;
  /** The low-latency live stream from each camera's child (`--live-view on|off`). */
  liveView: boolean;
}

const UNITS: Record<string, number> = { "": 1, K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40 };

/** `1048576`, `500M`, `2G`, `1.5T` (binary units, optional `B`/`iB`) → bytes; undefined if bad. */
export function parseBytes(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*([KMGT]?)(?:i?B)?$/i.exec(text.trim());
  if (!m) return undefined;
  return Math.round(Number(m[1]) * UNITS[m[2].toUpperCase()]);
}

const bytes = z.string().transform((s, ctx) => {
  const n = parseBytes(s);
  if (n === undefined) {
    ctx.addIssue({ code: "custom", message: "must be bytes, e.g. 500M, 20G, 1T" });
    return z.NEVER;
  }
  return n;
});

/** The flags/env variables of these settings (merged into the config's input schema). */
export const OPS_INPUT = {
  "health-stale-seconds": z.coerce.number().int().min(5).max(86_400).default(60),
  "disk-budget": bytes.default(0),
  "min-free": bytes.default(0),
  "retention-interval-seconds": z.coerce.number().min(1).max(3600).default(30),
  "file-root": z.string().min(1).optional(),
  motion: z.enum(["on", "off"], { error: "must be on or off" }).default("on"),
  "live-view": z.enum(["on", "off"], { error: "must be on or off" }).default("on"),
};

export function resolveOps(c: {
  "health-stale-seconds": number;
  "disk-budget": number;
  "min-free": number;
  "retention-interval-seconds": number;
  "file-root"?: string;
  motion: "on" | "off";
  "live-view": "on" | "off";
}): OpsConfig {
  return {
    healthStaleSeconds: c["health-stale-seconds"],
    diskBudgetBytes: c["disk-budget"],
    minFreeBytes: c["min-free"],
    retentionIntervalSeconds: c["retention-interval-seconds"],
    fileRoot: c["file-root"] ? resolve(c["file-root"]) : undefined,
    motionDefault: c.motion === "on",
    liveView: c["live-view"] === "on",
  };
}

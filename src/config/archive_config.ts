/**
 * Settings of the archive tier on S3-compatible object storage (part of the config; see
 * docs/configuration.md, "Archive"). The credentials come from the environment only
 * (`NVR_ARCHIVE_ACCESS_KEY_ID`, `NVR_ARCHIVE_SECRET_ACCESS_KEY`) and are kept behind a
 * function, so that no serialization of the config (a log line, an answer) can carry them.
 */
import { z } from "zod";

export interface ArchiveCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface ArchiveConfig {
  bucket: string;
  /** Key prefix without slashes at either end ("" for none). */
  prefix: string;
  /** `http(s)://host[:port]` of the store (path-style addressing). */
  endpoint: string;
  region: string;
  /** The credentials (env only; never logged or returned). */
  credentials: () => ArchiveCredentials;
  /** Archived segments older than this leave the local disk (undefined: they stay). */
  localMaxAgeMs?: number;
  /** The recorder deletes archive objects of sessions older than this (undefined: never). */
  maxAgeDays?: number;
  /** Upload bandwidth cap in bits per second (undefined: none). */
  maxBitrate?: number;
  /** Seconds of consecutive segments one bundle object holds (about). */
  bundleSeconds: number;
  /** Bundle GETs answer 302 to a presigned URL instead of streaming the bytes. */
  presign: boolean;
}

const DURATION_UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `90s`, `30m`, `12h`, `7d` → ms; undefined when not one of those. */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*([smhd])$/.exec(text.trim());
  if (!m) return undefined;
  const ms = Math.round(Number(m[1]) * DURATION_UNITS[m[2]]);
  return ms > 0 ? ms : undefined;
}

const RATE_UNITS: Record<string, number> = { "": 1, k: 1e3, m: 1e6, g: 1e9 };

/** `2000000`, `500k`, `20M`, `1G` (bits per second; optional `bps`/`bit`) → bits/s. */
export function parseBitrate(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*([kmg]?)(?:bps|bit\/s|b\/s)?$/i.exec(text.trim());
  if (!m) return undefined;
  const n = Math.round(Number(m[1]) * RATE_UNITS[m[2].toLowerCase()]);
  return n > 0 ? n : undefined;
}

/** `s3://bucket[/prefix]` → bucket and prefix; a message when it is not one. */
export function parseArchiveUrl(text: string): { bucket: string; prefix: string } | string {
  const m = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(\/[A-Za-z0-9._\-/]*)?$/.exec(text.trim());
  if (!m) {
    return "must be s3://bucket[/prefix] (bucket: 3-63 of a-z 0-9 . -; prefix: A-Z a-z 0-9 . _ - /)";
  }
  const prefix = (m[2] ?? "").split("/").filter(Boolean).join("/");
  if (prefix.split("/").some((p) => p === "." || p === "..")) return "prefix must not hold . or ..";
  return { bucket: m[1], prefix };
}

const refine = <T>(parse: (s: string) => T | undefined | string, message: string) =>
  z.string().transform((s, ctx) => {
    const v = parse(s);
    if (v === undefined || typeof v === "string") {
      ctx.addIssue({ code: "custom", message: typeof v === "string" ? v : message });
      return z.NEVER;
    }
    return v as T;
  });

/** The flags/env variables of these settings (merged into the config's input schema). */
export const ARCHIVE_INPUT = {
  "archive-url": refine(parseArchiveUrl, "must be s3://bucket[/prefix]").optional(),
  "archive-endpoint": z.url({ protocol: /^https?$/ }).transform((u) => u.replace(/\/+$/, ""))
    .optional(),
  "archive-region": z.string().regex(/^[a-z0-9-]{1,32}$/, "a region name, e.g. us-east-1")
    .default("us-east-1"),
  "local-max-age": refine(parseDuration, "must be a duration: 90s, 30m, 12h, 7d").optional(),
  "archive-max-age-days": z.coerce.number().int().min(1).max(36_500).optional(),
  "archive-max-bitrate": refine(parseBitrate, "must be bits per second: 500k, 20M, 1G")
    .optional(),
  "archive-bundle-seconds": z.coerce.number().min(1).max(600).default(60),
  "archive-presign": z.enum(["on", "off"], { error: "must be on or off" }).default("off"),
};

type ArchiveInput = {
  "archive-url"?: { bucket: string; prefix: string };
  "archive-endpoint"?: string;
  "archive-region": string;
  "local-max-age"?: number;
  "archive-max-age-days"?: number;
  "archive-max-bitrate"?: number;
  "archive-bundle-seconds": number;
  "archive-presign"?: "on" | "off";
};

/**
 * The archive settings, or undefined when `--archive-url` is not set. Returns a list of
 * problems (`--flag (ENV): message`) when the combination is wrong.
 */
export function resolveArchive(
  c: ArchiveInput,
  env: Record<string, string | undefined>,
): ArchiveConfig | undefined | string[] {
  const url = c["archive-url"];
  if (!url) {
    return c["local-max-age"] === undefined ? undefined : [
      "--local-max-age (NVR_LOCAL_MAX_AGE): needs --archive-url (segments leave the disk only once archived)",
    ];
  }
  const accessKeyId = env.NVR_ARCHIVE_ACCESS_KEY_ID ?? "";
  const secretAccessKey = env.NVR_ARCHIVE_SECRET_ACCESS_KEY ?? "";
  const problems: string[] = [];
  if (!accessKeyId) problems.push("NVR_ARCHIVE_ACCESS_KEY_ID: needed with --archive-url");
  if (!secretAccessKey) problems.push("NVR_ARCHIVE_SECRET_ACCESS_KEY: needed with --archive-url");
  if (problems.length) return problems;
  const region = c["archive-region"];
  return {
    bucket: url.bucket,
    prefix: url.prefix,
    endpoint: c["archive-endpoint"] ?? `https://s3.${region}.amazonaws.com`,
    region,
    credentials: () => ({ accessKeyId, secretAccessKey }),
    localMaxAgeMs: c["local-max-age"],
    maxAgeDays: c["archive-max-age-days"],
    maxBitrate: c["archive-max-bitrate"],
    bundleSeconds: c["archive-bundle-seconds"],
    presign: c["archive-presign"] === "on",
  };
}

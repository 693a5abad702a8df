/**
 * Configuration: the input (CLI flags and environment, all strings) and the
 * resolved config the rest of the program uses (typed, absolute paths).
 */
import { parseArgs } from "node:util";
import { resolve } from "node:path";
import { z } from "zod";

/** The resolved configuration. */
export interface Config {
  host: string;
  port: number;
  /** Absolute path of the folder that holds every recording and live playlist. */
  mediaRoot: string;
  /** Absolute path of the folder for the camera registry and other state. */
  dataDir: string;
  /** Base URL for stream_url/record_url; when absent, derived from the request's Host. */
  publicUrl?: string;
  /** Controller asked for the camera list at boot (`GET {controllerUrl}/api/boot/start`). */
  controllerUrl?: string;
  /** Target segment duration in seconds (a segment can only start at a keyframe). */
  segmentSeconds: number;
  /** How many segments the live playlist lists. */
  liveSegments: number;
  /** Register a synthetic camera when no camera is configured ("auto"), always, or never. */
  demo: "auto" | "on" | "off";
  /** Log format: one JSON object per line, or readable text. */
  logFormat: "json" | "text";
}

const httpUrl = z.url({ protocol: /^https?$/ }).transform((u) => u.replace(/\/+$/, ""));

const ConfigInput = z.strictObject({
  host: z.string().min(1).default("0.0.0.0"),
  port: z.coerce.number().int().min(0).max(65535).default(8000),
  "media-root": z.string().min(1).default("./media"),
  "data-dir": z.string().min(1).default("./data"),
  "public-url": httpUrl.optional(),
  "controller-url": httpUrl.optional(),
  "segment-seconds": z.coerce.number().min(1).max(10).default(2),
  "live-segments": z.coerce.number().int().min(3).max(20).default(6),
  demo: z.enum(["auto", "on", "off"]).default("auto"),
  "log-format": z.enum(["json", "text"]).default("json"),
});

/** Names of the settings, as CLI flags (`--media-root`) and env vars (`NVR_MEDIA_ROOT`). */
export const SETTINGS = Object.keys(ConfigInput.shape) as (keyof typeof ConfigInput.shape)[];

export const envName = (flag: string) => "NVR_" + flag.toUpperCase().replaceAll("-", "_");

export class ConfigError extends Error {}

/**
 * Resolves the configuration from CLI arguments and environment (flags win).
 * Throws ConfigError with a message naming each bad field.
 */
export function loadConfig(args: string[], env: Record<string, string | undefined>): Config {
  let flags: Record<string, string | boolean | undefined>;
  try {
    flags = parseArgs({
      args,
      options: Object.fromEntries(SETTINGS.map((s) => [s, { type: "string" as const }])),
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
  const input: Record<string, unknown> = {};
  for (const name of SETTINGS) {
    const value = flags[name] ?? env[envName(name)];
    if (value !== undefined && value !== "") input[name] = value;
  }
  const parsed = ConfigInput.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => {
      const field = String(i.path[0] ?? "");
      return `--${field} (${envName(field)}): ${i.message}`;
    });
    throw new ConfigError(`invalid configuration:\n  ${problems.join("\n  ")}`);
  }
  const c = parsed.data;
  return {
    host: c.host,
    port: c.port,
    mediaRoot: resolve(c["media-root"]),
    dataDir: resolve(c["data-dir"]),
    publicUrl: c["public-url"],
    controllerUrl: c["controller-url"],
    segmentSeconds: c["segment-seconds"],
    liveSegments: c["live-segments"],
    demo: c.demo,
    logFormat: c["log-format"],
  };
}

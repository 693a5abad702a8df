/**
 * Configuration: the input (CLI flags and environment, all strings) and the
 * resolved config the rest of the program uses (typed, absolute paths).
 */
import { parseArgs } from "node:util";
import { resolve } from "node:path";
import { z } from "zod";
import { OPS_INPUT, type OpsConfig, resolveOps } from "./ops_config.ts";
import { ARCHIVE_INPUT, type ArchiveConfig, resolveArchive } from "./archive_config.ts";
import {
  INTEGRATIONS_INPUT,
  type IntegrationsConfig,
  linkBase,
  resolveIntegrations,
} from "./integrations_config.ts";

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
  /** Seconds between two timeline thumbnails of a recording camera (0: no thumbnails). */
  thumbnailSeconds: number;
  /** Cameras this box records at most (each is a gst-launch child): more are refused. */
  maxCameras: number;
  /** Register a synthetic camera when no camera is configured ("auto"), always, or never. */
  demo: "auto" | "on" | "off";
  /** Log format: one JSON object per line, or readable text. */
  logFormat: "json" | "text";
  /** The least severe level that is logged. */
  logLevel: "debug" | "info" | "warn" | "error";
  /** Health, retention and cleaning (src/config/ops_config.ts). */
  ops: OpsConfig;
  /** This recorder's name in MQTT topics and the archive bucket (default: the host name). */
  nodeId: string;
  /** The archive tier on S3 (src/config/archive_config.ts); undefined when off. */
  archive?: ArchiveConfig;
  /** MQTT and webhooks (src/config/integrations_config.ts). */
  integrations: IntegrationsConfig;
  /** Access control; off (exactly as without it) when neither a token nor a user is set. */
  auth: AuthConfig;
  /**
   * Origins (`scheme://host[:port]`) whose pages may read the API and media (CORS, with
   * credentials); `*`: any origin, without credentials; none (default): CORS off.
   */
  corsOrigins: string[];
  /**
   * Host names served besides IP literals, localhost and the public URL's host (lower case);
   * `*`: any (src/api/request_guard.ts).
   */
  allowedHosts: string[];
}

export type Role = "admin" | "viewer";

export interface AuthUser {
  name: string;
  role: Role;
  /** A plain password or `pbkdf2$<iterations>$<salt hex>$<sha256 hash hex>`. */
  password: string;
}

export interface AuthConfig {
  /** Bearer token with the admin role (for the controller and scripts). */
  apiToken?: string;
  users: AuthUser[];
  /** Lifetime of a login session. */
  sessionHours: number;
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
  "thumbnail-seconds": z.coerce.number().int().min(0).max(86_400).default(300),
  "max-cameras": z.coerce.number().int().min(1).max(1024).default(64),
  demo: z.enum(["auto", "on", "off"]).default("auto"),
  "node-id": z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, "letters, digits, . _ - (1 to 64)")
    .optional(),
  "log-format": z.enum(["json", "text"]).default("json"),
  "log-level": z.enum(["debug", "info", "warn", "error"]).default("info"),
  ...OPS_INPUT,
  ...ARCHIVE_INPUT,
  ...INTEGRATIONS_INPUT,
  "api-token": z.string().min(16, "must be at least 16 characters").max(512)
    .regex(/^[\x21-\x7e]+$/, "must be printable ASCII without spaces").optional(),
  users: z.string().transform((s, ctx) => {
    const users = parseUsers(s);
    if (typeof users === "string") {
      ctx.addIssue({ code: "custom", message: users });
      return z.NEVER;
    }
    return users;
  }).optional(),
  "session-hours": z.coerce.number().min(0.05).max(24 * 30).default(12),
  "cors-origins": z.string().transform((s, ctx) => {
    const origins = s.split(",").map((o) => o.trim().replace(/\/+$/, "")).filter(Boolean);
    const bad = origins.find((o) => o !== "*" && !isOrigin(o));
    if (bad !== undefined) {
      ctx.addIssue({
        code: "custom",
        message: `"${bad.slice(0, 80)}" is not an origin (scheme://host[:port], no path)`,
      });
      return z.NEVER;
    }
    return origins.map((o) => (o === "*" ? o : new URL(o).origin));
  }).optional(),
  "allowed-hosts": z.string().transform((s, ctx) => {
    const names = s.split(",").map((h) => h.trim().toLowerCase().replace(/\.$/, "")).filter(
      Boolean,
    );
    const bad = names.find((h) => h !== "*" && !HOST_NAME.test(h));
    if (bad !== undefined) {
      ctx.addIssue({
        code: "custom",
        message: `"${bad.slice(0, 80)}" is not a host name (names only: no scheme, port or path)`,
      });
      return z.NEVER;
    }
    return names;
  }).optional(),
});

/** A DNS name (labels of letters, digits and inner hyphens), for `--allowed-hosts`. */
const HOST_NAME =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

/** Whether `o` is exactly an http(s) origin: scheme, host and optional port, nothing else. */
function isOrigin(o: string): boolean {
  try {
    const u = new URL(o);
    return /^https?:$/.test(u.protocol) && u.origin === o.toLowerCase();
  } catch (err) {
    if (err instanceof TypeError) return false; // not a URL
    throw err;
  }
}

/** `name:role:password[,name:role:password…]`; the password may hold `:` but not `,`. */
export function parseUsers(spec: string): AuthUser[] | string {
  const users: AuthUser[] = [];
  for (const entry of spec.split(",").map((e) => e.trim()).filter(Boolean)) {
    const m = /^([A-Za-z0-9._@-]{1,64}):(admin|viewer):(.+)$/.exec(entry);
    if (!m) return `each user must be name:admin|viewer:password (name: letters, digits, ._@-)`;
    if (m[3].length < 8) return `password of ${m[1]} must be at least 8 characters`;
    if (users.some((u) => u.name === m[1])) return `user ${m[1]} is listed twice`;
    users.push({ name: m[1], role: m[2] as Role, password: m[3] });
  }
  return users;
}

/** The host name, made safe for topics and object keys ("nvr" when it cannot be read). */
function defaultNodeId(): string {
  return hostName()?.replace(/[^A-Za-z0-9._-]/g, "-").slice(0, 64) || "nvr";
}

/** This machine's host name; undefined without `--allow-sys=hostname`. */
function hostName(): string | undefined {
  try {
    return Deno.hostname();
  } catch {
    return undefined;
  }
}

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
  const archive = resolveArchive(c, env);
  if (Array.isArray(archive)) {
    throw new ConfigError(`invalid configuration:\n  ${archive.join("\n  ")}`);
  }
  return {
    host: c.host,
    port: c.port,
    mediaRoot: resolve(c["media-root"]),
    dataDir: resolve(c["data-dir"]),
    publicUrl: c["public-url"],
    controllerUrl: c["controller-url"],
    segmentSeconds: c["segment-seconds"],
    liveSegments: c["live-segments"],
    thumbnailSeconds: c["thumbnail-seconds"],
    maxCameras: c["max-cameras"],
    demo: c.demo,
    logFormat: c["log-format"],
    logLevel: c["log-level"],
    ops: resolveOps(c),
    nodeId: c["node-id"] ?? defaultNodeId(),
    archive,
    integrations: resolveIntegrations(
      c,
      linkBase(c["public-url"], c.host, c.port, hostName() ?? "localhost"),
    ),
    auth: { apiToken: c["api-token"], users: c.users ?? [], sessionHours: c["session-hours"] },
    corsOrigins: c["cors-origins"] ?? [],
    allowedHosts: c["allowed-hosts"] ?? [],
  };
}

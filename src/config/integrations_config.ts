/**
 * Settings of the integrations (src/integrations/): the MQTT broker and its topic prefix,
 * the webhook URLs and their signing secret, and the absolute base of the links that
 * events carry. Part of the config (see docs/configuration.md); secrets in here are never
 * logged: log `maskedMqttUrl`, never `mqtt.url`.
 */
import { z } from "zod";
import { maskSecrets } from "../util/redact.ts";

export interface MqttConfig {
  /** `mqtt://` or `mqtts://` URL, with `user:password@` when the broker wants one (secret). */
  url: string;
  /** The URL with its password masked (for logs). */
  maskedUrl: string;
  /** First topic level (default `nvr`); topics are `{prefix}/{node}/…`. */
  prefix: string;
}

export interface IntegrationsConfig {
  /** The MQTT broker; undefined: MQTT off. */
  mqtt?: MqttConfig;
  /** Where every event is POSTed (none: webhooks off). */
  webhookUrls: string[];
  /** The HMAC-SHA256 key of `X-NVR-Signature` (undefined: unsigned, warned at start). */
  webhookSecret?: string;
  /** Absolute base (`scheme://host[:port]`) of `snapshot_url` and `review_url`. */
  linkBase: string;
}

/** `a/b`: topic levels of letters, digits, `_` and `-` (no wildcard, no empty level). */
const PREFIX_RE = /^[A-Za-z0-9_-]{1,64}(\/[A-Za-z0-9_-]{1,64}){0,3}$/;

const mqttUrl = z.string().refine((s) => {
  try {
    const u = new URL(s);
    return (u.protocol === "mqtt:" || u.protocol === "mqtts:") && u.hostname !== "";
  } catch {
    return false;
  }
}, "must be mqtt://[user:password@]host[:port] or mqtts://…");

const webhookUrls = z.string().transform((s, ctx) => {
  const urls = s.split(",").map((u) => u.trim()).filter(Boolean);
  for (const u of urls) {
    let ok = false;
    try {
      ok = /^https?:$/.test(new URL(u).protocol);
    } catch { /* not a URL */ }
    if (!ok) {
      ctx.addIssue({
        code: "custom",
        message: `"${maskSecrets(u).slice(0, 80)}" is not an http(s) URL`,
      });
      return z.NEVER;
    }
  }
  return urls;
});

/** The flags/env variables of these settings (merged into the config's input schema). */
export const INTEGRATIONS_INPUT = {
  "mqtt-url": mqttUrl.optional(),
  "mqtt-prefix": z.string().regex(PREFIX_RE, "topic levels of letters, digits, _ and - joined by /")
    .default("nvr"),
  "webhook-url": webhookUrls.optional(),
  "webhook-secret": z.string().min(16, "must be at least 16 characters").max(512).optional(),
};

/** The base of links in events: the public URL, else `http://{host}:{port}` (a wildcard
 * listening address is replaced by `hostName`, which other machines can resolve). */
export function linkBase(
  publicUrl: string | undefined,
  host: string,
  port: number,
  hostName: string,
) {
  if (publicUrl) return publicUrl.replace(/\/+$/, "");
  const wildcard = host === "0.0.0.0" || host === "::" || host === "[::]";
  const name = wildcard ? hostName : host;
  return `http://${name.includes(":") && !name.startsWith("[") ? `[${name}]` : name}:${port}`;
}

export function resolveIntegrations(
  c: {
    "mqtt-url"?: string;
    "mqtt-prefix": string;
    "webhook-url"?: string[];
    "webhook-secret"?: string;
  },
  base: string,
): IntegrationsConfig {
  const url = c["mqtt-url"];
  return {
    mqtt: url ? { url, maskedUrl: maskSecrets(url), prefix: c["mqtt-prefix"] } : undefined,
    webhookUrls: c["webhook-url"] ?? [],
    webhookSecret: c["webhook-secret"],
    linkBase: base,
  };
}

/** Prometheus text exposition (format 0.0.4) of the recorder's state. Pure. */
import { LATENCY_BUCKETS, type SegmentStatsView } from "../recorder/camera_stats.ts";
import { CAMERA_STATES, type CameraState } from "../recorder/camera_status.ts";

export interface CameraMetrics {
  gid: number;
  seq: number;
  state: CameraState;
  reconnects: number;
  segments: number;
  lastSegmentAt?: number;
  outages: number;
  stats?: SegmentStatsView;
}

export interface StorageMetrics {
  usedBytes?: number;
  freeBytes?: number;
  deletedSegments: number;
  deletedBytes: number;
}

/** The recorder process's own memory (`Deno.memoryUsage()`), for leak hunting. */
export interface ProcessMetrics {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
}

/** MQTT and webhook counters (src/integrations/); a part that is off is absent. */
export interface IntegrationMetrics {
  mqtt?: {
    connected: boolean;
    published: number;
    dropped: number;
    queued: number;
    reconnects: number;
  };
  webhooks?: { sent: number; failed: number; retries: number; dropped: number; queued: number };
}

type Sample = [labels: Record<string, string | number>, value: number];

function family(name: string, type: string, help: string, samples: Sample[]): string {
  const lines = [`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`];
  for (const [labels, value] of samples) {
    const l = Object.entries(labels).map(([k, v]) => `${k}="${String(v).replace(/["\\\n]/g, "")}"`);
    lines.push(`${name}${l.length ? `{${l.join(",")}}` : ""} ${value}`);
  }
  return lines.join("\n") + "\n";
}

export function renderMetrics(
  cameras: CameraMetrics[],
  storage: StorageMetrics,
  process?: ProcessMetrics,
  integrations?: IntegrationMetrics,
): string {
  const id = (c: CameraMetrics) => ({ gid: c.gid, seq: c.seq });
  const per = (f: (c: CameraMetrics) => number | undefined): Sample[] =>
    cameras.flatMap((c) => {
      const v = f(c);
      return v === undefined ? [] : [[id(c), v] as Sample];
    });
  const latency: Sample[] = cameras.flatMap((c) => {
    const s = c.stats;
    if (!s) return [];
    return [
      ...LATENCY_BUCKETS.map((le, i) => [{ ...id(c), le }, s.latencyBuckets[i]] as Sample),
      [{ ...id(c), le: "+Inf" }, s.latencyCount] as Sample,
    ];
  });
  let text = family(
    "nvr_cameras",
    "gauge",
    "Cameras by state.",
    CAMERA_STATES.map((state) => [{ state }, cameras.filter((c) => c.state === state).length]),
  );
  text += family(
    "nvr_camera_up",
    "gauge",
    "1 when the camera delivers segments (streaming or recording).",
    per((c) => (c.state === "streaming" || c.state === "recording" ? 1 : 0)),
  );
  text += family(
    "nvr_camera_restarts_total",
    "counter",
    "Restarts of the camera's GStreamer pipeline.",
    per((c) => c.reconnects),
  );
  text += family("nvr_camera_outages_total", "counter", "Outages started.", per((c) => c.outages));
  text += family(
    "nvr_segments_written_total",
    "counter",
    "Segments closed by GStreamer and stored.",
    per((c) => c.segments),
  );
  text += family(
    "nvr_bytes_written_total",
    "counter",
    "Bytes of the segments stored.",
    per((c) => c.stats?.bytesWritten),
  );
  text += family(
    "nvr_camera_bitrate_bits_per_second",
    "gauge",
    "Bitrate over the last few segments.",
    per((c) => c.stats?.bitrate),
  );
  text += family(
    "nvr_last_segment_timestamp_seconds",
    "gauge",
    "End (wall clock) of the last stored segment.",
    per((c) => (c.lastSegmentAt ? c.lastSegmentAt / 1000 : undefined)),
  );
  text += family(
    "nvr_segment_latency_seconds",
    "histogram",
    "From GStreamer closing a segment to the segment being listed.",
    [],
  ).trimEnd() + "\n";
  for (const [labels, v] of latency) {
    const l = Object.entries(labels).map(([k, x]) => `${k}="${x}"`).join(",");
    text += `nvr_segment_latency_seconds_bucket{${l}} ${v}\n`;
  }
  for (const c of cameras) {
    if (!c.stats) continue;
    const l = `gid="${c.gid}",seq="${c.seq}"`;
    text += `nvr_segment_latency_seconds_sum{${l}} ${c.stats.latencySumSeconds}\n`;
    text += `nvr_segment_latency_seconds_count{${l}} ${c.stats.latencyCount}\n`;
  }
  const opt = (v?: number): Sample[] => (v === undefined ? [] : [[{}, v]]);
  text += family("nvr_storage_used_bytes", "gauge", "Bytes of recordings.", opt(storage.usedBytes));
  text += family(
    "nvr_storage_free_bytes",
    "gauge",
    "Free bytes on the media filesystem.",
    opt(storage.freeBytes),
  );
  text += family(
    "nvr_retention_deleted_segments_total",
    "counter",
    "Segments deleted by retention.",
    [[{}, storage.deletedSegments]],
  );
  text += family(
    "nvr_retention_deleted_bytes_total",
    "counter",
    "Bytes deleted by retention.",
    [[{}, storage.deletedBytes]],
  );
  text += integrationFamilies(integrations ?? {});
  if (process) {
    const gauge = (name: string, help: string, v: number) => family(name, "gauge", help, [[{}, v]]);
    text += gauge("process_resident_memory_bytes", "Resident memory of the recorder.", process.rss);
    text += gauge("nvr_heap_used_bytes", "JavaScript heap in use.", process.heapUsed);
    text += gauge("nvr_heap_total_bytes", "JavaScript heap reserved.", process.heapTotal);
    text += gauge("nvr_external_memory_bytes", "Memory held outside the heap.", process.external);
  }
  return text;
}

type Mqtt = NonNullable<IntegrationMetrics["mqtt"]>;
type Webhooks = NonNullable<IntegrationMetrics["webhooks"]>;
/** One single-sample family: name, type, help, and where its value comes from. */
type Counter<T> = [name: string, type: "gauge" | "counter", help: string, get: (v: T) => number];

const MQTT_FAMILIES: Counter<Mqtt>[] = [
  ["nvr_mqtt_connected", "gauge", "1 while connected to the broker.", (m) => +m.connected],
  ["nvr_mqtt_published_total", "counter", "Messages handed to the broker.", (m) => m.published],
  [
    "nvr_mqtt_dropped_total",
    "counter",
    "Events dropped while the broker was away (queue full).",
    (m) => m.dropped,
  ],
  ["nvr_mqtt_queued", "gauge", "Events waiting for the broker.", (m) => m.queued],
  [
    "nvr_mqtt_reconnects_total",
    "counter",
    "Connections to the broker after the first.",
    (m) => m.reconnects,
  ],
];

const WEBHOOK_FAMILIES: Counter<Webhooks>[] = [
  ["nvr_webhook_sent_total", "counter", "Webhook deliveries accepted (2xx).", (w) => w.sent],
  ["nvr_webhook_failed_total", "counter", "Webhook deliveries given up.", (w) => w.failed],
  ["nvr_webhook_retries_total", "counter", "Webhook attempts after the first.", (w) => w.retries],
  [
    "nvr_webhook_dropped_total",
    "counter",
    "Webhook deliveries dropped (queue full).",
    (w) => w.dropped,
  ],
  ["nvr_webhook_queued", "gauge", "Webhook deliveries waiting.", (w) => w.queued],
];

function counters<T>(table: Counter<T>[], v: T | undefined): string {
  if (v === undefined) return "";
  return table.map(([name, type, help, get]) => family(name, type, help, [[{}, get(v)]])).join("");
}

function integrationFamilies({ mqtt, webhooks }: IntegrationMetrics): string {
  return counters(MQTT_FAMILIES, mqtt) + counters(WEBHOOK_FAMILIES, webhooks);
}

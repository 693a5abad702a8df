/** A camera recorder's dependencies and the status it reports (GET /api/camera, health). */
import type { Clock } from "../clock.ts";
import type { Logger } from "../log.ts";
import type { Catalog } from "../storage/catalog.ts";
import type { SegmentStatsView } from "./camera_stats.ts";
import type { Spawner } from "./child_process.ts";
import type { Codec } from "./pipeline.ts";
import type { RecorderTap } from "./tap.ts";
import type { EventHub } from "../events.ts";
import type { AudioFormat } from "./pipeline/audio.ts";

/** What a recorder needs of a registered camera. */
export interface CameraInput {
  gid: number;
  seq: number;
  /** Source address; may hold credentials. */
  iaddr: string;
  isRec: 0 | 1;
}

/** How the camera is pulled and recorded (per-camera options, PUT …/options). */
export interface SourceOptions {
  transport?: "tcp" | "udp";
  mode?: "copy" | "overlay";
  timeFormat?: string;
  /** The camera's sub-stream address (live wall tiles only; never recorded). */
  subIaddr?: string;
}

/** Every state a camera can be in, once (GET /api/camera, metrics, the UI's labels). */
export const CAMERA_STATES = [
  "connecting",
  "streaming",
  "recording",
  "reconnecting",
  "failed",
  // Recording wanted but suspended: the disk is full (see `lastError`).
  "paused",
  "stopped",
] as const;

export type CameraState = typeof CAMERA_STATES[number];

export interface RecorderDeps {
  mediaRoot: string;
  segmentSeconds: number;
  liveSegments: number;
  clock: Clock;
  spawn: Spawner;
  catalog: Catalog;
  log: Logger;
  /** rtspsrc jitter buffer latency (ms); also subtracted when timing segments. */
  latencyMs?: number;
  /** Why recording must pause now (e.g. "disk full"), or undefined when it may write. */
  storageBlocked?: () => string | undefined;
  /** Per-camera transport and mode, read before every run of the pipeline. */
  options?: () => SourceOptions | undefined;
  /** The folder `file://` sources are confined to; none: file sources are refused. */
  fileRoot?: string;
  /** Features fed from this camera's child (recorder/tap.ts). */
  taps?: RecorderTap[];
  /** Where state changes and outages are published (none: nobody listens). */
  events?: EventHub;
  /** Does a network source answer (a TCP connect)? None: never asked; backoff only. */
  reachable?: (endpoint: { hostname: string; port: number }) => Promise<boolean>;
}

export interface CameraStatus {
  state: CameraState;
  since: number;
  lastError?: string;
  reconnects: number;
  segments: number;
  lastSegmentAt?: number;
  codec?: Codec;
  /** The camera's audio track as it arrives (recorded as AAC), once seen. */
  audio?: AudioFormat;
  pid?: number;
  recordingSession?: { date: string; time: string };
  /** The pipeline reached PLAYING or failed with a recorded reason at least once. */
  started: boolean;
  /** When this recorder started (health: "nothing produced for long" counts from here). */
  startedAt?: number;
  /** Start of the outage in progress, if any (see GET …/outages). */
  outageSince?: number;
  stats?: SegmentStatsView;
}

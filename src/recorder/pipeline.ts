/**
 * Builds the argv of one camera's `gst-launch-1.0` child. Pure.
 *
 * One RTSP connection per camera, stream copy (no decode, no encode): RTP is
 * depayloaded, parsed and cut into MPEG-TS segments at keyframes by splitmuxsink.
 * `-m` prints bus messages (one per segment opened/closed), `-e` turns SIGINT
 * into EOS so the last segment is finalized.
 *
 * Every property value is double-quoted: gst-launch joins argv and parses it
 * again, and inside quotes `!`, spaces and `name=` are plain text. Values that
 * could end the quotes (a quote or backslash) are refused by parseSource.
 */
import type { Source } from "../cameras/source_url.ts";

export type Codec = "h264" | "h265";

export interface PipelineSpec {
  source: Source;
  /** Codec expected from an RTSP camera (learnt at run time: see CameraRecorder). */
  codec: Codec;
  /** splitmuxsink location pattern, with one `%05d`. */
  locationPattern: string;
  segmentSeconds: number;
  /** rtspsrc jitter buffer latency. */
  latencyMs: number;
  /** In-pipeline watchdog: error out when no buffer flows for this long. */
  watchdogMs: number;
  /** RTSP transport; TCP by default (UDP is lossy through NAT and firewalls). */
  transport?: "tcp" | "udp";
  /**
   * `copy` (default): the camera's stream as is. `overlay`: decode, burn in the wall
   * time (clockoverlay) and encode H.264 with x264 settings that keep up on a small box.
   */
  mode?: "copy" | "overlay";
  /** strftime format of the burned-in time (overlay mode). */
  timeFormat?: string;
}

/** Default strftime format of the burned-in time. */
export const DEFAULT_TIME_FORMAT = "%Y-%m-%d %H:%M:%S";
/** Frame rate assumed for the overlay encoder's keyframe interval (cameras run at 25–30). */
const OVERLAY_FPS = 25;

/**
 * Overlay mode after the parser: decode, burn in the time, encode. The encoder makes a
 * keyframe at least every segment (key-int-max = segment duration in frames), and
 * splitmuxsink's keyframe requests align them with segment boundaries.
 */
function overlayArgs(spec: PipelineSpec, codec: Codec): string[] {
  return [
    "!",
    `avdec_h${codec === "h265" ? "265" : "264"}`,
    "!",
    "videoconvert",
    "!",
    "clockoverlay",
    prop("time-format", spec.timeFormat ?? DEFAULT_TIME_FORMAT),
    "shaded-background=true",
    "!",
    "x264enc",
    "tune=zerolatency",
    "speed-preset=ultrafast",
    prop("key-int-max", Math.max(1, Math.round(OVERLAY_FPS * spec.segmentSeconds))),
    "!",
    "h264parse",
  ];
}

export const GST_LAUNCH = "gst-launch-1.0";

const quote = (value: string) => {
  // deno-lint-ignore no-control-regex -- control characters are what is refused
  if (/["\\\u0000-\u001f]/.test(value)) throw new Error("value cannot be quoted safely");
  return `"${value}"`;
};
const prop = (name: string, value: string | number) =>
  `${name}=${typeof value === "number" ? value : quote(value)}`;

function sourceArgs(spec: PipelineSpec): string[] {
  const { source } = spec;
  if (source.kind === "test") {
    return [
      "videotestsrc",
      "is-live=true",
      prop("pattern", source.location),
      "!",
      "video/x-raw,width=640,height=360,framerate=15/1",
      "!",
      "clockoverlay",
      'time-format="%Y-%m-%d %H:%M:%S"',
      "!",
      "x264enc",
      "tune=zerolatency",
      "speed-preset=ultrafast",
      "bitrate=600",
      prop("key-int-max", Math.round(15 * spec.segmentSeconds)),
      "!",
      "h264parse",
    ];
  }
  const c = spec.codec === "h265" ? "265" : "264";
  if (source.kind === "file") return fileArgs(spec, c);
  const args = [
    "rtspsrc",
    "name=src",
    prop("location", source.location),
    prop("protocols", spec.transport ?? "tcp"),
    prop("latency", spec.latencyMs),
    prop("tcp-timeout", 10_000_000),
  ];
  if (source.user !== undefined) args.push(prop("user-id", source.user));
  if (source.password !== undefined) args.push(prop("user-pw", source.password));
  return [
    ...args,
    "src.",
    "!",
    `application/x-rtp,media=video,encoding-name=H${c}`,
    "!",
    `rtph${c}depay`,
    "!",
    `h${c}parse`,
    "config-interval=-1",
    ...(spec.mode === "overlay" ? overlayArgs(spec, spec.codec) : []),
  ];
}

const DEMUXERS: Record<string, string> = {
  mp4: "qtdemux",
  mov: "qtdemux",
  mkv: "matroskademux",
  ts: "tsdemux",
};

/**
 * A local file (its absolute, confined path in `source.location`), played once in
 * real time (`clocksync` paces buffers by their timestamps); at its end gst-launch
 * exits and the supervisor starts it again: the file loops.
 */
function fileArgs(spec: PipelineSpec, c: string): string[] {
  const ext = spec.source.location.split(".").pop()!.toLowerCase();
  return [
    "filesrc",
    prop("location", spec.source.location),
    "!",
    DEMUXERS[ext] ?? "parsebin",
    "name=demux",
    "demux.",
    "!",
    "queue",
    "!",
    `h${c}parse`,
    "config-interval=-1",
    "!",
    "clocksync",
    ...(spec.mode === "overlay" ? overlayArgs(spec, spec.codec) : []),
  ];
}

export function buildPipelineArgs(spec: PipelineSpec): string[] {
  return [
    "-m",
    "-e",
    ...sourceArgs(spec),
    "!",
    "watchdog",
    prop("timeout", spec.watchdogMs),
    "!",
    "queue",
    "!",
    "mux.video",
    "splitmuxsink",
    "name=mux",
    "muxer-factory=mpegtsmux",
    "send-keyframe-requests=true",
    prop("max-size-time", Math.round(spec.segmentSeconds * 1e9)),
    prop("location", spec.locationPattern),
  ];
}

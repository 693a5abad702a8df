/** Encoding chains shared by the overlay mode and sources that are not H.264/H.265. */
import { prop } from "./argv.ts";

/** Default strftime format of the burned-in time. */
export const DEFAULT_TIME_FORMAT = "%Y-%m-%d %H:%M:%S";

/**
 * Raw video → (optionally the wall time burned in) → H.264 with x264 settings that keep
 * up on a small box. The encoder makes a keyframe at least every segment (key-int-max =
 * segment duration in frames at `fps`), and splitmuxsink's keyframe requests align
 * keyframes with segment boundaries.
 */
export function encodeH264Args(
  opts: { segmentSeconds: number; fps: number; timeFormat?: string; bitrateKbps?: number },
): string[] {
  return [
    "videoconvert",
    "!",
    // 8-bit 4:2:0: what every player decodes. Left to negotiate, x264enc took the test
    // source's first format and wrote High 4:4:4 Predictive, 10 bit (yuv444p10le).
    "video/x-raw,format=I420",
    "!",
    ...(opts.timeFormat !== undefined
      ? ["clockoverlay", prop("time-format", opts.timeFormat), "shaded-background=true", "!"]
      : []),
    "x264enc",
    "tune=zerolatency",
    "speed-preset=ultrafast",
    ...(opts.bitrateKbps ? [prop("bitrate", opts.bitrateKbps)] : []),
    prop("key-int-max", Math.max(1, Math.round(opts.fps * opts.segmentSeconds))),
    "!",
    "h264parse",
  ];
}

/**
 * Builds the argv of one camera's `gst-launch-1.0` child. Pure.
 *
 * One connection per camera, stream copy by default (no decode, no encode): the
 * source's video is parsed and cut into MPEG-TS segments at keyframes by splitmuxsink,
 * with the camera's audio (as AAC) when it has some. `-m` prints bus messages (one per
 * segment opened/closed), `-v` the caps of every pad (how audio is discovered), `-e`
 * turns SIGINT into EOS so the last segment is finalized.
 *
 * Every property value is double-quoted (pipeline/argv.ts).
 */
import type { Source } from "./source_url.ts";
import { prop } from "./pipeline/argv.ts";
import { audioArgs, type AudioInput, DEMUXED_AAC } from "./pipeline/audio.ts";
import { DEFAULT_TIME_FORMAT, encodeH264Args } from "./pipeline/encode.ts";
import { type VideoChain, videoChain } from "./pipeline/sources.ts";

export type Codec = "h264" | "h265";

export interface PipelineSpec {
  source: Source;
  /** Codec expected from the camera (learnt at run time: see StreamLearner). */
  codec: Codec;
  /** The camera's audio, once seen (see StreamLearner); none: video only. */
  audio?: AudioInput;
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
  /**
   * Branches fed from a tee of the recorded video (whole frames, after the watchdog), one
   * per tap (recorder/tap.ts): motion detection, the low-latency live stream.
   */
  branches?: string[][];
}

export const GST_LAUNCH = "gst-launch-1.0";
/** Frame rate assumed for the overlay encoder's keyframe interval (cameras run at 25–30). */
const OVERLAY_FPS = 25;
/**
 * Audio frames end a little after the video of a GOP; without some slack splitmuxsink
 * counts them in and cuts one GOP early (1 s segments instead of 2).
 */
const AUDIO_SLACK_S = 0.25;

/**
 * Caps that make the parser hand on whole access units. Left to negotiate, h264parse and
 * h265parse pass single NAL units on when the depayloader does (RTSP): every NAL unit is
 * then its own buffer and its own PES packet, a multi-slice frame's later slices without
 * a PTS (corrupt frames in ffmpeg), video PES packets without timestamps (mpegtsmux then
 * wrote a segment's audio all at its start: "no PTS found at end of file"), and the SEI
 * and parameter sets before an IDR count as keyframes of their own for splitmuxsink,
 * which then cut some segments one frame before the IDR. Whole frames also cross the
 * pipeline once instead of ~4 times.
 *
 * These caps add no delay. splitmuxsink, whatever the alignment, hands a GOP to the muxer
 * once the next keyframe shows where it ends, and closes a fragment when it decides on the
 * GOP after it: a segment is closed about one GOP after its last frame. Without these caps
 * a bench once saw segments listed a GOP sooner, only because of those extra "keyframes"
 * (its source sends an SEI before each IDR): the misplaced cuts above.
 */
const VIDEO_FRAMES: Record<Codec, string> = {
  h264: "video/x-h264,alignment=au",
  h265: "video/x-h265,alignment=au",
};

function videoArgs(spec: PipelineSpec, chain: VideoChain): string[] {
  const overlay = spec.mode === "overlay";
  const timeFormat = spec.timeFormat ?? DEFAULT_TIME_FORMAT;
  if (chain.raw) {
    return [
      ...chain.args,
      "!",
      ...encodeH264Args({
        segmentSeconds: spec.segmentSeconds,
        fps: chain.raw.fps,
        bitrateKbps: chain.raw.bitrateKbps,
        timeFormat: overlay || chain.raw.clock ? timeFormat : undefined,
      }),
    ];
  }
  if (!overlay) return chain.args;
  return [
    ...chain.args,
    "!",
    `avdec_h${spec.codec === "h265" ? "265" : "264"}`,
    "!",
    ...encodeH264Args({ segmentSeconds: spec.segmentSeconds, fps: OVERLAY_FPS, timeFormat }),
  ];
}

/**
 * A demuxer's pads print no caps: a sink the audio links to (its sink pad does print
 * them) tells whether the source has audio, and what it is (see stream_caps.ts).
 */
function audioProbe(pad?: string): string[] {
  const sink = ["queue", "!", "fakesink", "name=audioprobe", "sync=false", "async=false"];
  return pad ? [pad, "!", ...sink] : ["demux.", "!", DEMUXED_AAC, "!", ...sink];
}

/**
 * With branches, the recorded video goes through a tee: straight on to the recording (no
 * queue: splitmuxsink queues its input), and to each branch (`frames. ! …`), which begins
 * with its own leaky queue (recorder/tap.ts) so that it never holds the recording back.
 */
function teeArgs(branches: string[][]): { head: string[]; tail: string[] } {
  if (branches.length === 0) return { head: [], tail: [] };
  return {
    head: ["tee", "name=frames", "!"],
    tail: branches.flatMap((b) => ["frames.", "!", ...b]),
  };
}

export function buildPipelineArgs(spec: PipelineSpec): string[] {
  const chain = videoChain(spec);
  const encoded = spec.mode === "overlay" || chain.raw !== undefined;
  // Whole frames: one buffer per access unit from the parser on, so one PES packet (with
  // its PTS) per frame, whatever the camera's slices and NAL units (see VIDEO_FRAMES).
  const frames = VIDEO_FRAMES[encoded ? "h264" : spec.codec];
  const audio = spec.audio
    ? [...audioArgs(spec.audio), "!", "queue", "!", "mux.audio_0"]
    : chain.audio === "demux"
    ? audioProbe(chain.audioPad)
    : [];
  const maxSeconds = spec.segmentSeconds + (spec.audio ? AUDIO_SLACK_S : 0);
  const tee = teeArgs(spec.branches ?? []);
  return [
    "-m",
    "-e",
    "-v",
    "--exclude=stats",
    ...videoArgs(spec, chain),
    "!",
    frames,
    "!",
    "watchdog",
    prop("timeout", spec.watchdogMs),
    // No queue here: the source side has its threads (rtspsrc's jitter buffer, the
    // demuxers' queues, the live test source) and splitmuxsink queues its input itself.
    "!",
    ...tee.head,
    "mux.video",
    ...tee.tail,
    ...audio,
    "splitmuxsink",
    "name=mux",
    "muxer-factory=mpegtsmux",
    "send-keyframe-requests=true",
    prop("max-size-time", Math.round(maxSeconds * 1e9)),
    prop("location", spec.locationPattern),
  ];
}

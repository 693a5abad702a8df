/**
 * The first part of a camera's pipeline: from the source to parsed H.264/H.265 (or to
 * raw video that the pipeline then encodes). Pure.
 *
 * Elements that can also carry audio are named so an audio branch can start from them:
 * `src` (rtspsrc) and `demux` (a demuxer); see audio.ts.
 */
import type { PipelineSpec } from "../pipeline.ts";
import { demuxedVideo, prop } from "./argv.ts";
import { hlsChain, mjpegChain, rtmpChain } from "./network_sources.ts";

export interface VideoChain {
  args: string[];
  /**
   * Where the source's audio can be taken from, if it can carry audio: `src` (rtspsrc,
   * RTP) or `demux` (an element named `demux` with elementary-stream pads). A demuxer's
   * video branch must start with a caps filter (`demuxedVideo` in argv.ts) or a named pad:
   * gst-launch links a demuxer pad to the first branch whose first element accepts it.
   */
  audio?: "src" | "demux";
  /**
   * The demuxer's audio pad by name (e.g. `demux.audio`), when it has one: the audio
   * probe then drains any audio from it. Otherwise the probe takes AAC by caps.
   */
  audioPad?: string;
  /**
   * Set when the chain ends in raw video, which the pipeline encodes to H.264 at
   * `fps` (burning in the time when `clock` is set or in overlay mode).
   */
  raw?: { fps: number; bitrateKbps?: number; clock?: boolean };
}

export function videoChain(spec: PipelineSpec): VideoChain {
  switch (spec.source.kind) {
    case "test":
      return testChain(spec);
    case "rtsp":
      return rtspChain(spec);
    case "file":
      return fileChain(spec);
    case "rtmp":
      return rtmpChain(spec);
    case "hls":
      return hlsChain(spec);
    case "mjpeg":
      return mjpegChain(spec);
  }
}

/** A synthetic camera (videotestsrc), the time burned in. */
function testChain(spec: PipelineSpec): VideoChain {
  return {
    args: [
      "videotestsrc",
      "is-live=true",
      prop("pattern", spec.source.location),
      "!",
      "video/x-raw,width=640,height=360,framerate=15/1",
    ],
    raw: { fps: 15, bitrateKbps: 600, clock: true },
  };
}

function rtspChain(spec: PipelineSpec): VideoChain {
  const { source } = spec;
  const c = spec.codec === "h265" ? "265" : "264";
  const args = [
    "rtspsrc",
    "name=src",
    prop("location", source.location),
    prop("protocols", spec.transport ?? "tcp"),
    prop("latency", spec.latencyMs),
    // Frame times from the camera's RTP timestamps only (as ffmpeg does), not slaved to
    // arrival times: under load the default skew correction bunched frames 35 ms apart
    // (non-monotonic DTS in players). Drift from the wall clock is the timer's job.
    "buffer-mode=none",
    prop("tcp-timeout", 10_000_000),
  ];
  if (source.user !== undefined) args.push(prop("user-id", source.user));
  if (source.password !== undefined) args.push(prop("user-pw", source.password));
  return {
    audio: "src",
    args: [
      ...args,
      "src.",
      "!",
      `application/x-rtp,media=video,encoding-name=H${c}`,
      "!",
      `rtph${c}depay`,
      // Nothing before the first IDR (a run joining a camera mid-GOP), nor after a loss
      // until the next one. rtph265depay (1.22) has no such property: the recorder drops
      // an H.265 run's first segment when it does not start with a keyframe.
      ...(c === "264" ? ["wait-for-keyframe=true"] : []),
      "!",
      `h${c}parse`,
      "config-interval=-1",
    ],
  };
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
function fileChain(spec: PipelineSpec): VideoChain {
  const ext = spec.source.location.split(".").pop()!.toLowerCase();
  return {
    audio: "demux",
    args: [
      "filesrc",
      prop("location", spec.source.location),
      "!",
      DEMUXERS[ext] ?? "parsebin",
      "name=demux",
      ...demuxedVideo(spec.codec),
      "!",
      "clocksync",
    ],
  };
}

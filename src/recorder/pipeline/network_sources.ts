/**
 * Camera sources pulled over RTMP and HTTP(S): the first part of the pipeline, up to
 * parsed H.264/H.265 (RTMP, HLS) or raw video (MJPEG). Pure.
 *
 * - `rtmp://` (kind `rtmp`): rtmpsrc → flvdemux. FLV carries H.264 only, so no codec is
 *   guessed. flvdemux adds its audio pad as soon as audio arrives, often before the video
 *   pad, and fails the run (`not-linked`) if that pad leads nowhere: until the pipeline
 *   records audio, the pipeline drains it into its audio probe (see pipeline.ts).
 * - `http(s)://…/….m3u8` (kind `hls`): souphttpsrc fetches the playlist, hlsdemux the
 *   fragments (MPEG-TS), tsdemux splits them. H.264 or H.265 as `spec.codec` says: a
 *   wrong guess leaves the video unlinked and the recorder tries the other codec.
 * - any other `http(s)://` path (kind `mjpeg`): a `multipart/x-mixed-replace` JPEG
 *   stream, timestamped on arrival and decoded; the pipeline encodes it to H.264. Its
 *   caps carry no frame rate (`0/1`), which x264enc accepts (timestamps drive it), so
 *   there is no videorate: `fps` below only sizes the keyframe interval, and
 *   splitmuxsink's keyframe requests put a keyframe at every segment start.
 *
 * Credentials go to `user-id`/`user-pw` (souphttpsrc answers Basic and Digest
 * challenges, and its session reuses them for HLS fragments), never into `location`.
 * `https://` checks the server's certificate (`ssl-strict=true`, system CAs): a camera
 * with a self-signed certificate is refused (the run fails; GStreamer says only
 * "Internal data stream error") rather than trusted blindly, since a man in the middle
 * would then get its password and its video. For such a camera, add its certificate
 * to the system's CAs, or use `http://` on a trusted network.
 */
import type { PipelineSpec } from "../pipeline.ts";
import { demuxedVideo, prop } from "./argv.ts";
import type { VideoChain } from "./sources.ts";

/**
 * Frame rate assumed for MJPEG (the stream does not say): an upper bound of what such
 * cameras send, so the encoder's own keyframe interval is never shorter than a segment.
 */
export const MJPEG_ASSUMED_FPS = 30;

export function rtmpChain(spec: PipelineSpec): VideoChain {
  return {
    audio: "demux",
    // flvdemux fails the run (`not-linked`) if its audio pad leads nowhere: the
    // pipeline drains it into the audio probe (any format) until audio is recorded.
    audioPad: "demux.audio",
    args: [
      "rtmpsrc",
      prop("location", spec.source.location),
      "!",
      "flvdemux",
      "name=demux",
      "demux.video",
      "!",
      "queue",
      "!",
      "h264parse",
      "config-interval=-1",
    ],
  };
}

/** souphttpsrc with the source's location, credentials and TLS policy. */
function httpSource(spec: PipelineSpec, extra: string[] = []): string[] {
  const { source } = spec;
  const args = ["souphttpsrc", prop("location", source.location), ...extra];
  if (source.location.startsWith("https:")) args.push("ssl-strict=true");
  if (source.user !== undefined) args.push(prop("user-id", source.user));
  if (source.password !== undefined) args.push(prop("user-pw", source.password));
  return args;
}

export function hlsChain(spec: PipelineSpec): VideoChain {
  return {
    audio: "demux",
    args: [
      ...httpSource(spec),
      "!",
      "hlsdemux",
      "!",
      "tsdemux",
      "name=demux",
      ...demuxedVideo(spec.codec),
    ],
  };
}

export function mjpegChain(spec: PipelineSpec): VideoChain {
  return {
    args: [
      ...httpSource(spec, ["is-live=true", "do-timestamp=true"]),
      "!",
      "multipartdemux",
      "!",
      "image/jpeg",
      "!",
      "jpegparse",
      "!",
      "jpegdec",
    ],
    raw: { fps: MJPEG_ASSUMED_FPS },
  };
}

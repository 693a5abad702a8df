/**
 * What a camera's stream holds, read from the caps lines `gst-launch-1.0 -v` prints. Pure.
 *
 * Only the pads of the source itself count: rtspsrc (named `src`, RTP caps) and the
 * audio probe behind a demuxer (a fakesink named `audioprobe`), e.g.
 * `/GstPipeline:pipeline0/GstRTSPSrc:src/GstRtpBin:manager/…: caps = application/x-rtp, media=(string)audio, …, encoding-name=(string)MPEG4-GENERIC, …`
 * or `/GstPipeline:pipeline0/GstFakeSink:audioprobe.GstPad:sink: caps = audio/mpeg, mpegversion=(int)4, …`.
 */
import type { Codec } from "./pipeline.ts";
import type { AudioFormat, AudioInput } from "./pipeline/audio.ts";

export type StreamCaps =
  | { media: "video"; codec: Codec }
  | { media: "audio"; audio: AudioInput };

const RTP_AUDIO: Record<string, AudioFormat> = {
  "MPEG4-GENERIC": "aac",
  "MP4A-LATM": "latm",
  PCMU: "pcmu",
  PCMA: "pcma",
};
const RTP_VIDEO: Record<string, Codec> = { H264: "h264", H265: "h265" };

/** The stream a caps line announces; undefined for other lines and unknown formats. */
export function parseStreamCaps(line: string): StreamCaps | undefined {
  if (!line.startsWith("/GstPipeline:")) return undefined;
  const at = line.indexOf(": caps = ");
  if (at < 0) return undefined;
  const path = line.slice(0, at), caps = line.slice(at + 9);
  if (/^\/GstPipeline:[^/]+\/GstRTSPSrc:src[/.]/.test(path)) {
    if (!caps.startsWith("application/x-rtp,")) return undefined;
    const name = /encoding-name=\(string\)([A-Za-z0-9-]+)/.exec(caps)?.[1]?.toUpperCase() ?? "";
    if (caps.includes("media=(string)video")) {
      const codec = RTP_VIDEO[name];
      return codec && { media: "video", codec };
    }
    const format = caps.includes("media=(string)audio") ? RTP_AUDIO[name] : undefined;
    return format && { media: "audio", audio: { from: "src", format } };
  }
  // A demuxer's own pads print no caps; the audio probe's sink (see pipeline.ts) does.
  if (!/^\/GstPipeline:[^/]+\/GstFakeSink:audioprobe\./.test(path)) return undefined;
  if (!/^audio\/mpeg,.*mpegversion=\(int\)[24]\b/.test(caps)) return undefined;
  return { media: "audio", audio: { from: "demux", format: "aac" } };
}

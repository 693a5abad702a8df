/**
 * A camera's audio track, kept in the recording. MPEG-TS carries AAC as it comes;
 * G.711 (which mpegtsmux cannot carry) is encoded to AAC (voaacenc, a few kbit/s of
 * work). Pure.
 *
 * Which audio a source has is learnt at run time from the caps gst-launch prints with
 * `-v` (see stream_caps.ts and StreamLearner): a branch for audio that never arrives
 * would stall the muxer, so the pipeline only has one once audio was seen.
 */

export type AudioFormat = "aac" | "latm" | "pcmu" | "pcma";

export interface AudioInput {
  /** `src`: rtspsrc, RTP payloads; `demux`: a demuxer's elementary stream. */
  from: "src" | "demux";
  format: AudioFormat;
}

const TO_AAC = ["audioconvert", "!", "audioresample", "!", "voaacenc", "!", "aacparse"];

/** The audio branch from the source element up to AAC (the pipeline adds queue and muxer). */
export function audioArgs(audio: AudioInput): string[] {
  if (audio.from === "src") {
    const rtp = (
      name: string,
    ) => ["src.", "!", `application/x-rtp,media=audio,encoding-name=${name}`];
    switch (audio.format) {
      case "aac":
        return [...rtp("MPEG4-GENERIC"), "!", "rtpmp4gdepay", "!", "aacparse"];
      case "latm":
        return [...rtp("MP4A-LATM"), "!", "rtpmp4adepay", "!", "aacparse"];
      case "pcmu":
        return [...rtp("PCMU"), "!", "rtppcmudepay", "!", "mulawdec", "!", ...TO_AAC];
      case "pcma":
        return [...rtp("PCMA"), "!", "rtppcmadepay", "!", "alawdec", "!", ...TO_AAC];
    }
  }
  // A demuxer's audio: AAC only (what RTMP, HLS and MP4 carry).
  return ["demux.", "!", DEMUXED_AAC, "!", "queue", "!", "aacparse"];
}

/** Caps of the AAC a demuxer may offer (ADTS or raw, MPEG-2 or MPEG-4 AAC). */
export const DEMUXED_AAC = "audio/mpeg,mpegversion={2,4}";

/**
 * Learns what a camera sends (video codec, audio track) from its runs, so the next run's
 * pipeline matches the stream. Pure (no clock, no I/O).
 *
 * - The codec: from the caps a run prints (RTSP: a mismatch restarts the run at once with
 *   the right parser); for demuxed sources (files, HLS), whose pads print no caps, by
 *   trying the other codec after a run that closed no segment because its video led
 *   nowhere (`not-linked`, or the watchdog when the audio probe kept the demuxer going).
 *   At most two tries in a row: then the usual restart backoff applies.
 * - Audio: a run without an audio branch that sees audio caps restarts at once with
 *   one. A run with an audio branch whose stream started but that closed no segment
 *   before the watchdog fired (the camera announced audio but sends none, which stalls
 *   the muxer) drops audio for this camera: video is never given up for audio.
 */
import type { SourceKind } from "./source_url.ts";
import { isNotLinked } from "./bus.ts";
import type { Codec } from "./pipeline.ts";
import type { AudioInput } from "./pipeline/audio.ts";
import { parseStreamCaps } from "./stream_caps.ts";

export interface RunStreams {
  codec: Codec;
  audio?: AudioInput;
}

export class StreamLearner {
  codec: Codec = "h264";
  audio?: AudioInput;
  #audioRefused = false;
  #run: RunStreams = { codec: "h264" };
  /** Why the current run should end now (something learnt), if it should. */
  #relearn?: string;
  /** The current run's source announced its streams (it connected). */
  #streamSeen = false;

  /** Codec tries in a row without a segment. */
  #tries = 0;
  /** Whether audio and codec can vary (not for encoded sources: test, MJPEG). */
  readonly learns: boolean;
  readonly #guessesCodec: boolean;
  readonly #codecFromCaps: boolean;

  constructor(kind: SourceKind | undefined) {
    this.learns = kind !== undefined && kind !== "test" && kind !== "mjpeg";
    this.#guessesCodec = kind === "rtsp" || kind === "file" || kind === "hls";
    this.#codecFromCaps = kind === "rtsp";
  }

  /** The current run is to end now to pick up what was learnt (its segments are not kept). */
  get relearning(): boolean {
    return this.#relearn !== undefined;
  }

  /** The streams the next run's pipeline is built for. */
  newRun(): RunStreams {
    this.#relearn = undefined;
    this.#streamSeen = false;
    this.#run = { codec: this.codec, audio: this.learns ? this.audio : undefined };
    return this.#run;
  }

  /**
   * One stdout line of the current run. Returns a reason when the run should be
   * restarted at once to record what was just learnt (only the first time).
   */
  onLine(line: string): string | undefined {
    if (!this.learns || this.#relearn) return undefined;
    const caps = parseStreamCaps(line);
    if (!caps) return undefined;
    this.#streamSeen = true;
    if (caps.media === "video" && caps.codec !== this.#run.codec) {
      this.codec = caps.codec;
      this.#relearn = `stream is ${caps.codec}`;
    } else if (caps.media === "audio" && !this.#run.audio && !this.#audioRefused) {
      this.audio = caps.audio;
      this.#relearn = `audio track found (${caps.audio.format})`;
    }
    return this.#relearn;
  }

  /**
   * After a run ended: a reason to start the next run at once (something was learnt),
   * or undefined when the usual restart policy applies.
   */
  afterRun(error: string | undefined, segments: number): string | undefined {
    if (!this.learns) return undefined;
    if (this.#relearn) return this.#relearn;
    if (segments > 0) {
      this.#tries = 0;
      return undefined;
    }
    const stalled = /watchdog/i.test(error ?? "");
    // RTSP names its codec in its caps: a stall there is not a codec problem.
    const wrongCodec = isNotLinked(error) || (stalled && !this.#codecFromCaps);
    if (this.#guessesCodec && wrongCodec && this.#tries < 2) {
      this.#tries++;
      this.codec = this.codec === "h264" ? "h265" : "h264";
      return `trying ${this.codec}`;
    }
    if (this.#run.audio && this.#streamSeen && stalled) {
      this.audio = undefined;
      this.#audioRefused = true;
      return "audio announced but none arrived: recording video only";
    }
    return undefined;
  }
}

/**
 * The live-only muxer child (see tap.ts): its argv, its process handle, a reader for its
 * stdout that reuses one buffer, and the watch that restarts it when it falls silent.
 */
import type { Clock } from "../../clock.ts";
import { GST_LAUNCH } from "../pipeline.ts";
import type { TapRun } from "../tap.ts";
import { prop } from "../pipeline/argv.ts";
import type { Source } from "../source_url.ts";

/**
 * A muxer that writes nothing for this long while watched is restarted (the camera sends
 * 1–60 frames a second; a recording child that stops delivering is restarted by its own
 * watchdog, which ends the muxer too). Seen once: the branch's sink gave a new reader its
 * burst and then nothing.
 */
export const LIVE_STALL_MS = 5_000;
/**
 * A new muxer's first output may take longer: gst-launch starting on a loaded box, then the
 * wait for the camera's next keyframe (GOPs of up to 4 s are common).
 */
export const LIVE_FIRST_OUTPUT_MS = 15_000;

/** A running muxer child. */
export interface Muxer {
  /** Its stdout: the fMP4 stream. */
  stdout: ReadableStream<Uint8Array>;
  /** Its stderr (the reason when it fails), read once it has exited. */
  errors(): Promise<string>;
  kill(): void;
}

/** The muxer as a real gst-launch-1.0 child (needs --allow-run=gst-launch-1.0). */
export function spawnGstMuxer(args: string[]): Muxer {
  const child = new Deno.Command(GST_LAUNCH, {
    args,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stderr = new Response(child.stderr).text().catch(() => "");
  return {
    stdout: child.stdout,
    errors: () => stderr.then((t) => t.slice(0, 500)),
    kill() {
      try {
        child.kill("SIGKILL");
      } catch { /* exited already */ }
    },
  };
}

/** Read buffer: a few frames of a 4K camera at once. */
const READ_BYTES = 256 * 1024;

/**
 * A byte stream's chunks, read into one reused buffer where the stream allows it (a child's
 * stdout is a byte stream: no allocation per read); each chunk is valid until the next.
 */
export async function* readChunks(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  let byob: ReadableStreamBYOBReader | undefined;
  try {
    byob = stream.getReader({ mode: "byob" });
  } catch {
    yield* stream; // not a byte stream (tests)
    return;
  }
  let buffer = new ArrayBuffer(READ_BYTES);
  try {
    while (true) {
      const { value, done } = await byob.read(new Uint8Array(buffer));
      if (done || !value) return;
      yield value;
      buffer = value.buffer as ArrayBuffer; // handed back: read into it again
    }
  } finally {
    byob.releaseLock();
  }
}

/** The loopback reader of the recording child's branch (see tap.ts). */
function branchReader(port: number): string[] {
  return ["-q", "tcpclientsrc", "host=127.0.0.1", `port=${port}`, "!", "gdpdepay", "!"];
}

/** Parsed video → fragmented MP4 on stdout, one moof + mdat per frame. */
const FMP4_OUT = [
  "mp4mux",
  "fragment-duration=1",
  "streamable=true",
  "!",
  "fdsink",
  "fd=1",
  "sync=false",
];

/** The main stream's muxer (pure): the branch's port → parser to avc/hvc1 → mp4mux → stdout. */
export function muxerArgs(codec: TapRun["codec"], port: number): string[] {
  const c = codec === "h265" ? "265" : "264";
  const format = codec === "h265" ? "hvc1" : "avc";
  return [
    ...branchReader(port),
    `h${c}parse`,
    "!",
    `video/x-h${c},stream-format=${format},alignment=au`,
    "!",
    ...FMP4_OUT,
  ];
}

/**
 * The H.264 transcode of an H.265 camera (pure), for browsers that cannot decode H.265: at
 * most 720 lines (the source's aspect kept), a keyframe every 30 frames, x264 at its
 * cheapest. Runs only while someone watches it, like every muxer.
 */
export function transcodeArgs(port: number): string[] {
  return [
    ...branchReader(port),
    "h265parse",
    "!",
    "avdec_h265",
    "max-threads=2",
    "!",
    "videoscale",
    "!",
    "video/x-raw,height=[1,720]",
    "!",
    "videoconvert",
    "!",
    "video/x-raw,format=I420",
    "!",
    "x264enc",
    "tune=zerolatency",
    "speed-preset=ultrafast",
    "key-int-max=30",
    "bitrate=2500",
    "!",
    "h264parse",
    "!",
    "video/x-h264,stream-format=avc,alignment=au",
    "!",
    ...FMP4_OUT,
  ];
}

/**
 * A camera's sub-stream (pure): its own RTSP connection, made only while someone watches
 * it (the recording never uses it). parsebin depayloads and parses H.264 or H.265 alike;
 * the caps filter keeps a camera's audio out (the live view is video only).
 */
export function subStreamArgs(sub: Source, transport: "tcp" | "udp" = "tcp"): string[] {
  const args = [
    "-q",
    "rtspsrc",
    prop("location", sub.location),
    prop("protocols", transport),
    "latency=0",
    prop("tcp-timeout", 10_000_000),
  ];
  if (sub.user !== undefined) args.push(prop("user-id", sub.user));
  if (sub.password !== undefined) args.push(prop("user-pw", sub.password));
  // Video only: gst-launch links rtspsrc's first pad, which may be the audio one.
  return [...args, "!", "application/x-rtp,media=video", "!", "parsebin", "!", ...FMP4_OUT];
}

/**
 * Kills a muxer whose stdout stays silent for LIVE_STALL_MS while someone watches
 * (LIVE_FIRST_OUTPUT_MS before its first output).
 */
export class StallWatch {
  stalled = false;
  #last: number;
  #fedOnce = false;
  #timer: number;

  constructor(readonly clock: Clock, readonly muxer: Muxer, readonly watched: () => boolean) {
    this.#last = clock.monotonic();
    this.#timer = clock.setTimeout(() => this.#check(), LIVE_STALL_MS);
  }

  /** Output came: returns the time (monotonic ms). */
  fed(): number {
    this.#fedOnce = true;
    return this.#last = this.clock.monotonic();
  }

  stop(): void {
    this.clock.clearTimeout(this.#timer);
  }

  #check(): void {
    if (!this.watched()) this.#last = this.clock.monotonic(); // nobody waits for it
    const limit = this.#fedOnce ? LIVE_STALL_MS : LIVE_FIRST_OUTPUT_MS;
    const silent = this.clock.monotonic() - this.#last;
    if (silent < limit) {
      this.#timer = this.clock.setTimeout(() => this.#check(), limit - silent);
      return;
    }
    this.stalled = true;
    this.muxer.kill();
  }
}

/**
 * The low-latency live stream of one camera, taken from its own child (a RecorderTap,
 * recorder/tap.ts). The recording child's branch only serialises the recorded frames
 * (stream copy) with their timestamps and flags (`gdppay`, which never posts an error) and
 * serves them on a loopback port it picks (`tcpserversink port=0`, announced by `-v` as
 * `current-port`). A second, live-only child (the muxer) reads that port and writes
 * fragmented MP4, one moof + mdat per frame, on its stdout; the tap cuts it (fmp4.ts) and
 * feeds the camera's hub (hub.ts).
 *
 * On demand: the muxer (and the server's parsing) runs only while someone watches. It
 * starts when the hub gets its first viewer and stops `idleMs` (30 s) after the last one
 * left; with nobody watching, the branch's sink has no reader and only keeps the last
 * `BURST_NS` of frames (references, no copy). A new reader gets those at once (a burst),
 * so a muxer started on demand has the latest keyframe within a few ms; burst.ts trims
 * what came before it.
 *
 * Why two children (docs/design.md, "Live view under a second"): mp4mux posts an error
 * for a frame without a PTS (seen under load), and an error ends the child it is in. In
 * the muxer it ends only the live stream, which the tap starts again; the recording never
 * notices. The branch starts with a leaky queue, so a stalled live path drops live frames,
 * never recorded ones; tcpserversink never errors for a reader that is absent, slow or gone
 * (it drops one that does not read at `buffers-max`). gdppay's stream header (the caps)
 * goes to every new reader, so a muxer started at any time gets what it needs.
 */
import type { Clock } from "../../clock.ts";
import type { Source } from "../source_url.ts";
import type { RecorderTap, TapRun } from "../tap.ts";
import type { LiveHub } from "./hub.ts";
import { type Muxer, muxerArgs, subStreamArgs, transcodeArgs } from "./muxer.ts";
import { LiveOutput, type MuxInput } from "./output.ts";

/** The branch's sink, named so its port line is told from any other. */
export const LIVE_SINK = "livesink";
/** Frames the branch may hold when the muxer falls behind (then it drops the oldest). */
const QUEUE_NS = 1_000_000_000;
/**
 * Buffers the sink queues for one reader (~1 per frame) before dropping it: a reader (the
 * muxer stalled, or a stranger that never reads) costs the recording child a few MB at most.
 */
const SINK_BUFFERS_MAX = 300;
export { LIVE_STALL_MS, muxerArgs } from "./muxer.ts";
export { LIVE_IDLE_MS, LIVE_STALLS_TO_GIVE_UP } from "./output.ts";
/**
 * What the sink keeps with no reader and sends a new one at once: a keyframe is in it
 * for a GOP up to this long (else the muxer waits for the next keyframe).
 */
export const BURST_NS = 3_000_000_000;

/** The recording child's branch (pure): leaky queue → gdppay → loopback port. */
export function liveBranch(): string[] {
  return [
    "queue",
    "leaky=downstream",
    "max-size-buffers=0",
    "max-size-bytes=0",
    `max-size-time=${QUEUE_NS}`,
    "!",
    "gdppay",
    "!",
    "tcpserversink",
    `name=${LIVE_SINK}`,
    "host=127.0.0.1",
    "port=0",
    "sync=false",
    "async=false",
    `buffers-max=${SINK_BUFFERS_MAX}`,
    "sync-method=burst",
    "burst-format=time",
    `burst-value=${BURST_NS}`,
    `time-min=${BURST_NS}`,
  ];
}

const PORT_LINE = new RegExp(
  `^/GstPipeline:pipeline\\d+/GstTCPServerSink:${LIVE_SINK}: current-port = (\\d+)$`,
);

/** The port the branch's sink listens on, from a `-v` line (pure). */
export function parsePortLine(line: string): number | undefined {
  const m = PORT_LINE.exec(line);
  const port = m ? Number(m[1]) : 0;
  return port > 0 && port < 65536 ? port : undefined;
}

/**
 * A camera's live outputs: its main stream as recorded; its sub-stream (a second, smaller
 * stream of the camera, for wall tiles); an H.264 transcode (for an H.265 camera in a
 * browser that cannot play H.265).
 */
export const LIVE_VARIANTS = ["main", "sub", "h264"] as const;
export type LiveVariant = typeof LIVE_VARIANTS[number];

/** A camera's sub-stream address, parsed (cameras/settings.ts). */
export interface SubStream {
  source: Source;
  transport?: "tcp" | "udp";
}

export interface LiveTapDeps {
  hubs: Record<LiveVariant, LiveHub>;
  clock: Clock;
  spawnMuxer: (args: string[]) => Muxer;
  warn: (message: string, fields?: Record<string, unknown>) => void;
  /** The camera's sub-stream, read at every start of its muxer (none: the main stream). */
  sub?: () => SubStream | undefined;
  /** Called once the camera stops for good. */
  onClose?: () => void;
  /** A muxer stops this long after its last viewer left (default LIVE_IDLE_MS). */
  idleMs?: number;
}

export class LiveTap implements RecorderTap {
  #codec: TapRun["codec"] = "h264";
  readonly outputs: Record<LiveVariant, LiveOutput>;

  constructor(readonly deps: LiveTapDeps) {
    const output = (variant: LiveVariant, args: (i: MuxInput) => string[]) =>
      new LiveOutput({
        ...deps,
        hub: deps.hubs[variant],
        args,
        warn: (m, f) => deps.warn(m, { stream: variant, ...f }),
      });
    this.outputs = {
      main: output("main", (i) => muxerArgs(i.codec, i.port)),
      sub: output("sub", (i) => {
        const sub = deps.sub?.();
        return sub ? subStreamArgs(sub.source, sub.transport) : muxerArgs(i.codec, i.port);
      }),
      h264: output(
        "h264",
        (i) => i.codec === "h265" ? transcodeArgs(i.port) : muxerArgs(i.codec, i.port),
      ),
    };
  }

  /** The codec of the current run's video. */
  get codec(): TapRun["codec"] {
    return this.#codec;
  }

  /** Whether the main stream's muxer runs (someone watched within the idle time). */
  get muxing(): boolean {
    return this.outputs.main.muxing;
  }

  branch(): string[] {
    return liveBranch();
  }

  runStarted(run: TapRun): void {
    this.#each((o) => o.setInput(undefined));
    this.#codec = run.codec;
  }

  onLine(line: string): void {
    if (!line.startsWith("/GstPipeline")) return;
    const port = parsePortLine(line);
    if (port === undefined) return;
    const input = { port, codec: this.#codec };
    this.#each((o) => o.setInput(input));
  }

  runEnded(): void {
    this.#each((o) => o.setInput(undefined));
  }

  close(): void {
    this.#each((o) => o.close());
    this.deps.onClose?.();
  }

  #each(fn: (o: LiveOutput) => void): void {
    for (const v of LIVE_VARIANTS) fn(this.outputs[v]);
  }
}

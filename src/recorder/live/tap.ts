/**
 * The low-latency live stream of one camera, taken from its own child (a RecorderTap,
 * recorder/tap.ts): the branch re-muxes the recorded frames (stream copy) into fragmented
 * MP4, one moof + mdat per frame, and serves it on a loopback port that the child picks
 * (`tcpserversink port=0`, announced by `-v` as `current-port`). The tap connects to it,
 * cuts the stream (fmp4.ts) and feeds the camera's hub (hub.ts).
 *
 * Why this way round (the child listens, the server connects; docs/design.md "Live view"):
 * a tcpserversink never posts an error for a client that is missing, slow or gone (it
 * drops it at `buffers-max`), while a tcpclientsink errors out the whole child when nothing
 * listens or the connection breaks. The branch starts with a leaky queue, so a stalled
 * branch drops live frames, never recorded ones. mp4mux writes its init segment once, at
 * the run's first frame: the tap connects as soon as the port is printed (the child is
 * then still setting up its source), and keeps that init for reconnections in the run.
 */
import { type Clock, sleep } from "../../clock.ts";
import type { RecorderTap, TapRun } from "../tap.ts";
import { Fmp4Splitter } from "./fmp4.ts";
import type { LiveHub } from "./hub.ts";

/** The branch's sink, named so its port line is told from any other. */
export const LIVE_SINK = "livesink";
/** Frames the branch may hold when the muxer falls behind (then it drops the oldest). */
const QUEUE_NS = 1_000_000_000;
/**
 * Buffers the sink queues for one reader (~3 per frame) before dropping it: a reader
 * (ours stalled, or a stranger that never reads) costs the child a few MB at most.
 */
const SINK_BUFFERS_MAX = 600;
const RECONNECT_MS = 500;

/** The branch's elements (pure): leaky queue → parser to avc/hvc1 → mp4mux → loopback port. */
export function liveBranch(codec: TapRun["codec"]): string[] {
  const c = codec === "h265" ? "265" : "264";
  const format = codec === "h265" ? "hvc1" : "avc";
  return [
    "queue",
    "leaky=downstream",
    "max-size-buffers=0",
    "max-size-bytes=0",
    `max-size-time=${QUEUE_NS}`,
    "!",
    `h${c}parse`,
    "!",
    `video/x-h${c},stream-format=${format},alignment=au`,
    "!",
    "mp4mux",
    "fragment-duration=1",
    "streamable=true",
    "!",
    "tcpserversink",
    `name=${LIVE_SINK}`,
    "host=127.0.0.1",
    "port=0",
    "sync=false",
    "async=false",
    `buffers-max=${SINK_BUFFERS_MAX}`,
  ];
}

const PORT_LINE = new RegExp(
  `^/GstPipeline:pipeline\\d+/GstTCPServerSink:${LIVE_SINK}: ` +
    `current-port = (\\d+)$`,
);

/** The port the branch's sink listens on, from a `-v` line (pure). */
export function parsePortLine(line: string): number | undefined {
  const m = PORT_LINE.exec(line);
  const port = m ? Number(m[1]) : 0;
  return port > 0 && port < 65536 ? port : undefined;
}

/** A byte stream from the child's port (a Deno.Conn). */
export interface LiveConnection {
  /** Reads into `buffer`: the count of bytes, or null at the end. */
  read(buffer: Uint8Array): Promise<number | null>;
  close(): void;
}

/** Read buffer: a few frames of a 4K camera at once, reused for every read. */
const READ_BYTES = 256 * 1024;

export interface LiveTapDeps {
  hub: LiveHub;
  clock: Clock;
  connect: (port: number) => Promise<LiveConnection>;
  warn: (message: string, fields?: Record<string, unknown>) => void;
  /** Called once the camera stops for good. */
  onClose?: () => void;
}

export const tcpConnect = async (port: number): Promise<LiveConnection> =>
  await Deno.connect({ hostname: "127.0.0.1", port });

export class LiveTap implements RecorderTap {
  #run = 0;
  #conn?: LiveConnection;
  #stop?: AbortController;

  constructor(readonly deps: LiveTapDeps) {}

  branch(run: TapRun): string[] {
    return liveBranch(run.codec);
  }

  runStarted(): void {
    this.#end();
    this.#run++;
  }

  onLine(line: string): void {
    if (!line.startsWith("/GstPipeline")) return;
    const port = parsePortLine(line);
    if (port === undefined) return;
    this.#stop?.abort();
    this.#stop = new AbortController();
    void this.#readLoop(port, this.#run, this.#stop.signal);
  }

  runEnded(): void {
    this.#end();
  }

  close(): void {
    this.#end();
    this.deps.hub.close();
    this.deps.onClose?.();
  }

  #end(): void {
    this.#stop?.abort();
    this.#stop = undefined;
    try {
      this.#conn?.close();
    } catch { /* closed already */ }
    this.#conn = undefined;
    this.deps.hub.end();
  }

  /** Reads the run's stream; reconnects (resynchronising at a moof) until the run ends. */
  async #readLoop(port: number, run: number, signal: AbortSignal): Promise<void> {
    const { hub, clock } = this.deps;
    let first = true;
    while (!signal.aborted && run === this.#run) {
      const splitter = new Fmp4Splitter();
      try {
        const conn = await this.deps.connect(port);
        if (signal.aborted) {
          conn.close();
          return;
        }
        this.#conn = conn;
        const buffer = new Uint8Array(READ_BYTES);
        for (let n = await conn.read(buffer); n !== null; n = await conn.read(buffer)) {
          if (signal.aborted) break;
          for (const item of splitter.push(buffer.subarray(0, n))) {
            if (item.kind === "init") hub.setInit(item.init);
            else hub.push(item.fragment);
          }
        }
      } catch (err) {
        if (!signal.aborted && first) {
          this.deps.warn("live stream: cannot read the child's port", { port, error: String(err) });
        }
      }
      if (first && !signal.aborted && !hub.init) {
        this.deps.warn("live stream: no init segment in this run (joined late)", { port });
      }
      first = false;
      if (!await sleep(clock, RECONNECT_MS, signal)) return;
    }
  }
}

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
import { type Clock, sleep } from "../../clock.ts";
import type { RecorderTap, TapRun } from "../tap.ts";
import { BurstTrim } from "./burst.ts";
import { Fmp4Splitter, type Fragment } from "./fmp4.ts";
import type { LiveHub } from "./hub.ts";
import { type Muxer, muxerArgs, readChunks, StallWatch } from "./muxer.ts";

/** The branch's sink, named so its port line is told from any other. */
export const LIVE_SINK = "livesink";
/** Frames the branch may hold when the muxer falls behind (then it drops the oldest). */
const QUEUE_NS = 1_000_000_000;
/**
 * Buffers the sink queues for one reader (~1 per frame) before dropping it: a reader (the
 * muxer stalled, or a stranger that never reads) costs the recording child a few MB at most.
 */
const SINK_BUFFERS_MAX = 300;
const RESTART_MS = 500;
export { LIVE_STALL_MS, muxerArgs } from "./muxer.ts";
/** Stalled muxers in a row after which the viewers are told (their tiles fall back to HLS). */
export const LIVE_STALLS_TO_GIVE_UP = 2;
/**
 * What the sink keeps with no reader and sends a new one at once: a keyframe is in it
 * for a GOP up to this long (else the muxer waits for the next keyframe).
 */
export const BURST_NS = 3_000_000_000;
/** The muxer stops this long after the last viewer left. */
export const LIVE_IDLE_MS = 30_000;

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

export interface LiveTapDeps {
  hub: LiveHub;
  clock: Clock;
  spawnMuxer: (args: string[]) => Muxer;
  warn: (message: string, fields?: Record<string, unknown>) => void;
  /** Called once the camera stops for good. */
  onClose?: () => void;
  /** The muxer stops this long after the last viewer left (default LIVE_IDLE_MS). */
  idleMs?: number;
}

export class LiveTap implements RecorderTap {
  #run = 0;
  #codec: TapRun["codec"] = "h264";
  /** The current run's port, once its sink announced it. */
  #port?: number;
  #viewers = 0;
  #muxer?: Muxer;
  /** Aborts the running muxer loop (undefined: no muxer wanted). */
  #stop?: AbortController;
  /** Aborts the pending idle stop. */
  #idle?: AbortController;
  #closed = false;

  constructor(readonly deps: LiveTapDeps) {
    deps.hub.onViewers((count) => this.#onViewers(count));
  }

  /** Whether the muxer loop runs (someone watched within the idle time). */
  get muxing(): boolean {
    return this.#stop !== undefined;
  }

  branch(): string[] {
    return liveBranch();
  }

  runStarted(run: TapRun): void {
    this.#end();
    this.#run++;
    this.#codec = run.codec;
  }

  onLine(line: string): void {
    if (!line.startsWith("/GstPipeline")) return;
    const port = parsePortLine(line);
    if (port === undefined) return;
    this.#stopMuxer();
    this.#port = port;
    if (this.#viewers > 0) this.#startMuxer();
  }

  runEnded(): void {
    this.#end();
  }

  close(): void {
    this.#closed = true;
    this.#end();
    this.deps.hub.close();
    this.deps.onClose?.();
  }

  #onViewers(count: number): void {
    if (this.#closed) return;
    this.#viewers = count;
    if (count > 0) {
      this.#idle?.abort();
      this.#idle = undefined;
      if (!this.#stop && this.#port !== undefined) this.#startMuxer();
    } else if (this.#stop && !this.#idle) {
      const idle = this.#idle = new AbortController();
      void sleep(this.deps.clock, this.deps.idleMs ?? LIVE_IDLE_MS, idle.signal).then((due) => {
        if (!due || this.#idle !== idle) return;
        this.#idle = undefined;
        if (this.#viewers === 0) this.#stopMuxer();
      });
    }
  }

  #startMuxer(): void {
    this.#stop = new AbortController();
    void this.#muxLoop(this.#port!, this.#run, this.#stop.signal);
  }

  #stopMuxer(): void {
    this.#idle?.abort();
    this.#idle = undefined;
    this.#stop?.abort();
    this.#stop = undefined;
    this.#muxer?.kill();
    this.#muxer = undefined;
    this.deps.hub.end();
  }

  #end(): void {
    this.#stopMuxer();
    this.#port = undefined;
  }

  /** Runs the muxer on the run's port and reads it into the hub; restarts it until stopped. */
  async #muxLoop(port: number, run: number, signal: AbortSignal): Promise<void> {
    const { hub, clock } = this.deps;
    let failures = 0;
    let stalls = 0;
    while (!signal.aborted && run === this.#run) {
      const splitter = new Fmp4Splitter();
      const burst = new BurstTrim();
      let fragments = 0;
      let muxer: Muxer | undefined;
      let watch: StallWatch | undefined;
      const push = (f: Fragment) => (fragments++, hub.push(f));
      try {
        muxer = this.deps.spawnMuxer(muxerArgs(this.#codec, port));
        this.#muxer = muxer;
        watch = new StallWatch(clock, muxer, () => this.#viewers > 0);
        for await (const chunk of readChunks(muxer.stdout)) {
          if (signal.aborted) break;
          const now = watch.fed();
          burst.read(now).forEach(push);
          for (const item of splitter.push(chunk)) {
            if (item.kind === "init") hub.setInit(item.init);
            else {
              const f = burst.fragment(item.fragment, now);
              if (f) push(f);
            }
          }
        }
      } catch (err) {
        if (!signal.aborted) this.deps.warn("live stream: muxer failed", { error: String(err) });
      }
      watch?.stop();
      muxer?.kill();
      if (signal.aborted) return;
      // The muxer ended while someone watches: the next one starts a new init and timeline.
      hub.end();
      stalls = watch?.stalled ? stalls + 1 : 0;
      if (watch?.stalled) {
        this.deps.warn("live stream: no frame for 5 s, muxer restarted", { port, fragments });
        if (stalls === LIVE_STALLS_TO_GIVE_UP) hub.dropViewers("live stream stalled");
      }
      failures = fragments > 0 ? 0 : failures + 1;
      if (!watch?.stalled && (failures === 1 || fragments > 0)) {
        const error = await muxer?.errors().catch(() => "") ?? "";
        this.deps.warn("live stream: muxer ended", { port, fragments, error: error.trim() });
      }
      // Back off while it fails at once (at most every 10 s).
      const wait = Math.min(10_000, RESTART_MS * 2 ** Math.min(failures, 5));
      if (!await sleep(clock, wait, signal)) return;
    }
  }
}

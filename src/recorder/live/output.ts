/**
 * One live output of a camera: a hub (hub.ts) and the on-demand muxer child that feeds it.
 * A camera has up to three (variants.ts): its main stream copied, its sub-stream, and an
 * H.264 transcode for browsers that cannot play H.265. All read the same run of the
 * recording child (its loopback port) except the sub-stream, which the muxer pulls itself.
 *
 * The muxer runs only while the hub has viewers: it starts with the first and stops
 * `idleMs` (30 s) after the last one left. A muxer that ends while wanted is started
 * again (backing off while it fails at once); one silent for LIVE_STALL_MS is killed and
 * started again, and after LIVE_STALLS_TO_GIVE_UP of those in a row the viewers are told.
 */
import { type Clock, sleep } from "../../clock.ts";
import type { Codec } from "../pipeline.ts";
import { BurstTrim } from "./burst.ts";
import { Fmp4Splitter, type Fragment } from "./fmp4.ts";
import type { LiveHub } from "./hub.ts";
import { type Muxer, readChunks, StallWatch } from "./muxer.ts";

/** The muxer stops this long after the last viewer left. */
export const LIVE_IDLE_MS = 30_000;
/** Stalled muxers in a row after which the viewers are told (their tiles fall back to HLS). */
export const LIVE_STALLS_TO_GIVE_UP = 2;
const RESTART_MS = 500;

/** What a muxer reads: the recording child's current run. */
export interface MuxInput {
  /** The loopback port of the run's live branch. */
  port: number;
  /** The recorded video's codec. */
  codec: Codec;
}

export interface LiveOutputDeps {
  hub: LiveHub;
  clock: Clock;
  spawnMuxer: (args: string[]) => Muxer;
  warn: (message: string, fields?: Record<string, unknown>) => void;
  /** The muxer's argv for a run (read at every start). */
  args: (input: MuxInput) => string[];
  /** The muxer stops this long after the last viewer left (default LIVE_IDLE_MS). */
  idleMs?: number;
}

export class LiveOutput {
  /** The current run, once its sink announced its port. */
  #input?: MuxInput;
  #viewers = 0;
  #muxer?: Muxer;
  /** Aborts the running muxer loop (undefined: no muxer wanted). */
  #stop?: AbortController;
  /** Aborts the pending idle stop. */
  #idle?: AbortController;
  #closed = false;

  constructor(readonly deps: LiveOutputDeps) {
    deps.hub.onViewers((count) => this.#onViewers(count));
  }

  get hub(): LiveHub {
    return this.deps.hub;
  }

  /** Whether the muxer loop runs (someone watched within the idle time). */
  get muxing(): boolean {
    return this.#stop !== undefined;
  }

  /** A run's input (its port is known), or undefined: the run ended. */
  setInput(input: MuxInput | undefined): void {
    this.#stopMuxer();
    this.#input = input;
    if (input && this.#viewers > 0) this.#startMuxer(input);
  }

  /** Starts the muxer again (its argv changed, e.g. a new sub-stream address). */
  restart(): void {
    if (!this.#stop || !this.#input) return;
    this.#stopMuxer();
    if (this.#viewers > 0) this.#startMuxer(this.#input);
  }

  close(): void {
    this.#closed = true;
    this.#stopMuxer();
    this.#input = undefined;
    this.deps.hub.close();
  }

  #onViewers(count: number): void {
    if (this.#closed) return;
    this.#viewers = count;
    if (count > 0) {
      this.#idle?.abort();
      this.#idle = undefined;
      if (!this.#stop && this.#input) this.#startMuxer(this.#input);
    } else if (this.#stop && !this.#idle) {
      const idle = this.#idle = new AbortController();
      void sleep(this.deps.clock, this.deps.idleMs ?? LIVE_IDLE_MS, idle.signal).then((due) => {
        if (!due || this.#idle !== idle) return;
        this.#idle = undefined;
        if (this.#viewers === 0) this.#stopMuxer();
      });
    }
  }

  #startMuxer(input: MuxInput): void {
    this.#stop = new AbortController();
    void this.#muxLoop(input, this.#stop.signal);
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

  /** Runs the muxer and reads it into the hub; restarts it until stopped. */
  async #muxLoop(input: MuxInput, signal: AbortSignal): Promise<void> {
    const { hub, clock } = this.deps;
    let failures = 0;
    let stalls = 0;
    while (!signal.aborted && input === this.#input) {
      const splitter = new Fmp4Splitter();
      const burst = new BurstTrim();
      let fragments = 0;
      let muxer: Muxer | undefined;
      let watch: StallWatch | undefined;
      const push = (f: Fragment) => (fragments++, hub.push(f));
      try {
        muxer = this.deps.spawnMuxer(this.deps.args(input));
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
      const port = input.port;
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

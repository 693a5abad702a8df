/**
 * Every camera's low-latency live streams: the composition root adds `tapFor` to the
 * recorder's tap factories (one LiveTap per camera recorder, with a hub per variant), and
 * the live WebSocket route asks `resolve` for the hub a viewer gets. A camera's muxers run
 * only while their hubs have viewers (and `idleMs` after).
 */
import type { Clock } from "../../clock.ts";
import type { Logger } from "../../log.ts";
import { LiveHub } from "./hub.ts";
import { LIVE_VARIANTS, LiveTap, type LiveVariant, type SubStream } from "./tap.ts";
import { type Muxer, spawnGstMuxer } from "./muxer.ts";

export interface LiveStreamsDeps {
  clock: Clock;
  log: Logger;
  /** Starts a muxer child (default: gst-launch-1.0). */
  spawnMuxer?: (args: string[]) => Muxer;
  /** A camera's sub-stream, if it has one (read at every start of its muxer). */
  sub?: (gid: number, seq: number) => SubStream | undefined;
  /** A camera's muxer stops this long after its last viewer left (default 30 s; tests). */
  idleMs?: number;
}

/** The hub a viewer of a variant gets, and which stream it carries. */
export interface ResolvedStream {
  hub: LiveHub;
  stream: LiveVariant;
}

export class LiveStreams {
  #taps = new Map<string, LiveTap>();

  constructor(readonly deps: LiveStreamsDeps) {}

  /** The live tap of a camera's recorder (a newer recorder of the same camera replaces it). */
  tapFor(gid: number, seq: number): LiveTap {
    const key = `${gid}/${seq}`;
    const hubs = Object.fromEntries(
      LIVE_VARIANTS.map((v) => [v, new LiveHub(this.deps.clock)]),
    ) as Record<LiveVariant, LiveHub>;
    this.#taps.get(key)?.close();
    const log = this.deps.log.child({ camera: key });
    const tap: LiveTap = new LiveTap({
      hubs,
      clock: this.deps.clock,
      spawnMuxer: this.deps.spawnMuxer ?? spawnGstMuxer,
      warn: (message, fields) => log.warn(message, fields),
      sub: this.deps.sub && (() => this.deps.sub!(gid, seq)),
      idleMs: this.deps.idleMs,
      onClose: () => {
        if (this.#taps.get(key) === tap) this.#taps.delete(key);
      },
    });
    this.#taps.set(key, tap);
    return tap;
  }

  /**
   * The hub for a viewer asking for `wanted`: the sub-stream when the camera has one (else
   * its main stream), the H.264 transcode when the camera records H.265 (else its main
   * stream, already H.264).
   */
  resolve(gid: number, seq: number, wanted: LiveVariant = "main"): ResolvedStream | undefined {
    const tap = this.#taps.get(`${gid}/${seq}`);
    if (!tap) return undefined;
    let stream = wanted;
    if (wanted === "sub" && !this.deps.sub?.(gid, seq)) stream = "main";
    if (wanted === "h264" && tap.codec !== "h265") stream = "main";
    return { hub: tap.outputs[stream].hub, stream };
  }

  /** The main stream's hub. */
  hub(gid: number, seq: number): LiveHub | undefined {
    return this.resolve(gid, seq)?.hub;
  }

  /** The camera's sub-stream address changed: a running sub-stream muxer starts again. */
  subChanged(gid: number, seq: number): void {
    this.#taps.get(`${gid}/${seq}`)?.outputs.sub.restart();
  }
}

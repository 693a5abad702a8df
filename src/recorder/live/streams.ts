/**
 * Every camera's low-latency live stream: the composition root adds `tapFor` to the
 * recorder's tap factories (one LiveTap and LiveHub per camera recorder), and the live
 * WebSocket route finds a camera's hub here. A camera's live-only muxer runs only while
 * its hub has viewers (and `idleMs` after).
 */
import type { Clock } from "../../clock.ts";
import type { Logger } from "../../log.ts";
import { LiveHub } from "./hub.ts";
import { LiveTap } from "./tap.ts";
import { type Muxer, spawnGstMuxer } from "./muxer.ts";

export interface LiveStreamsDeps {
  clock: Clock;
  log: Logger;
  /** Starts a muxer child (default: gst-launch-1.0). */
  spawnMuxer?: (args: string[]) => Muxer;
  /** A camera's muxer stops this long after its last viewer left (default 30 s; tests). */
  idleMs?: number;
}

export class LiveStreams {
  #hubs = new Map<string, LiveHub>();

  constructor(readonly deps: LiveStreamsDeps) {}

  /** The live tap of a camera's recorder (a newer recorder of the same camera replaces it). */
  tapFor(gid: number, seq: number): LiveTap {
    const key = `${gid}/${seq}`;
    const hub = new LiveHub(this.deps.clock);
    this.#hubs.get(key)?.close();
    this.#hubs.set(key, hub);
    const log = this.deps.log.child({ camera: key });
    return new LiveTap({
      hub,
      clock: this.deps.clock,
      spawnMuxer: this.deps.spawnMuxer ?? spawnGstMuxer,
      warn: (message, fields) => log.warn(message, fields),
      idleMs: this.deps.idleMs,
      onClose: () => {
        if (this.#hubs.get(key) === hub) this.#hubs.delete(key);
      },
    });
  }

  hub(gid: number, seq: number): LiveHub | undefined {
    return this.#hubs.get(`${gid}/${seq}`);
  }
}

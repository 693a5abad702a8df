/**
 * One LL-HLS window (ll_hls.ts) per camera that someone plays that way, fed as a viewer of
 * the camera's main live hub: the live muxer runs while LL-HLS players poll, as it does for
 * WebSocket viewers. A camera's window is let go `idleMs` after its last request (its
 * muxer then stops on its own idle time), and follows the hub when the camera's recorder
 * is replaced (the same window: players see a discontinuity, not a new playlist).
 */
import type { Clock } from "../../clock.ts";
import type { LiveHub } from "./hub.ts";
import { LlHlsWindow } from "./ll_hls.ts";

export const LL_HLS_IDLE_MS = 30_000;

interface Feed {
  window: LlHlsWindow;
  hub?: LiveHub;
  leave?: () => void;
  lastRequest: number;
}

export class LlHlsFeeds {
  #feeds = new Map<string, Feed>();
  #sweep?: number;

  constructor(
    readonly clock: Clock,
    /** The camera's main live hub, if the camera records. */
    readonly hubOf: (gid: number, seq: number) => LiveHub | undefined,
    readonly idleMs = LL_HLS_IDLE_MS,
  ) {}

  /** The camera's window, fed from now on; undefined when the camera has no live stream. */
  window(gid: number, seq: number): LlHlsWindow | undefined {
    const hub = this.hubOf(gid, seq);
    const key = `${gid}/${seq}`;
    let feed = this.#feeds.get(key);
    if (!hub) {
      if (feed) this.#drop(key, feed);
      return undefined;
    }
    if (!feed) {
      feed = { window: new LlHlsWindow(this.clock), lastRequest: 0 };
      this.#feeds.set(key, feed);
    }
    feed.lastRequest = this.clock.monotonic();
    if (feed.hub !== hub || !feed.leave) this.#subscribe(feed, hub);
    this.#sweep ??= this.clock.setTimeout(() => this.#sweepIdle(), this.idleMs);
    return feed.window;
  }

  /** Cameras with a window now (tests, metrics). */
  get size(): number {
    return this.#feeds.size;
  }

  close(): void {
    for (const [key, feed] of this.#feeds) this.#drop(key, feed);
    if (this.#sweep !== undefined) this.clock.clearTimeout(this.#sweep);
    this.#sweep = undefined;
  }

  #subscribe(feed: Feed, hub: LiveHub): void {
    feed.leave?.();
    feed.hub = hub;
    const leave = hub.subscribe({
      send: (m) => feed.window.push(m),
      queuedBytes: () => 0,
      // The stream stopped or stalled: the next request subscribes again.
      close: () => {
        if (feed.leave === leave) feed.leave = undefined;
      },
    });
    feed.leave = leave;
  }

  #drop(key: string, feed: Feed): void {
    feed.leave?.();
    this.#feeds.delete(key);
  }

  #sweepIdle(): void {
    this.#sweep = undefined;
    const now = this.clock.monotonic();
    for (const [key, feed] of this.#feeds) {
      if (now - feed.lastRequest >= this.idleMs) this.#drop(key, feed);
    }
    if (this.#feeds.size > 0) {
      this.#sweep = this.clock.setTimeout(() => this.#sweepIdle(), this.idleMs);
    }
  }
}

/**
 * One camera's low-latency live stream fanned out to its viewers. Pure (a clock is
 * injected): the tap (live/tap.ts) feeds it what the child's mp4mux writes, each viewer
 * (a WebSocket) subscribes with a `send` and a measure of what it has not yet sent.
 *
 * The hub keeps the init segment and every fragment since the last keyframe, so a new
 * viewer starts at once, from that keyframe. A viewer that cannot keep up (more than
 * `maxQueuedBytes` still unsent) skips what follows up to the next keyframe instead of
 * queueing it: memory stays bounded per viewer whatever its network, and it plays on from
 * the present. A viewer that stays that far behind for `stallMs` is closed.
 */
import type { Clock } from "../../clock.ts";
import type { Fragment, InitSegment } from "./fmp4.ts";

/** What a viewer is sent, in order. */
export type LiveMessage =
  | { kind: "init"; init: InitSegment }
  /** `wallMs`: when the server received the fragment (to show the frame's time). */
  | { kind: "fragment"; fragment: Fragment; wallMs: number };

export interface ViewerSink {
  send(message: LiveMessage): void;
  /** Bytes handed to `send` and not yet written out (WebSocket.bufferedAmount). */
  queuedBytes(): number;
  /** Called when the hub drops the viewer (stalled, or the camera is gone). */
  close(reason: string): void;
}

export interface HubLimits {
  /** A viewer with more than this unsent skips to the next keyframe. */
  maxQueuedBytes: number;
  /** A viewer behind for this long is closed. */
  stallMs: number;
  /** The cache of fragments since the last keyframe stops growing here (a GOP too long). */
  maxGopBytes: number;
}

export const DEFAULT_LIMITS: HubLimits = {
  maxQueuedBytes: 2 * 1024 * 1024,
  stallMs: 20_000,
  maxGopBytes: 16 * 1024 * 1024,
};

interface Viewer {
  sink: ViewerSink;
  /** Skipping until the next keyframe (since when, monotonic ms), or undefined. */
  behindSince?: number;
  /** The init this viewer was sent (a new run's init goes out before its fragments). */
  init?: InitSegment;
}

export interface HubStats {
  viewers: number;
  fragments: number;
  /** Fragments viewers skipped because they were behind. */
  skipped: number;
  /** Bytes held: the init and the fragments since the last keyframe. */
  cachedBytes: number;
}

type Cached = { fragment: Fragment; wallMs: number };

export class LiveHub {
  #init?: InitSegment;
  #gop: Cached[] = [];
  #gopBytes = 0;
  #viewers = new Set<Viewer>();
  #fragments = 0;
  #skipped = 0;
  #closed = false;
  #onViewers?: (count: number) => void;

  constructor(readonly clock: Clock, readonly limits: HubLimits = DEFAULT_LIMITS) {}

  /** The current run's init segment (undefined before the first, or after `end`). */
  get init(): InitSegment | undefined {
    return this.#init;
  }

  get stats(): HubStats {
    const initBytes = this.#init?.data.length ?? 0;
    return {
      viewers: this.#viewers.size,
      fragments: this.#fragments,
      skipped: this.#skipped,
      cachedBytes: initBytes + this.#gopBytes,
    };
  }

  /** `fn` hears the number of viewers whenever it changes (the tap starts its muxer on demand). */
  onViewers(fn: (count: number) => void): void {
    this.#onViewers = fn;
  }

  /** A run's init segment: viewers get it before the run's first fragment. */
  setInit(init: InitSegment): void {
    if (this.#init && sameBytes(this.#init.data, init.data)) return;
    this.#init = init;
    this.#dropGop();
    for (const v of this.#viewers) this.#sendInit(v);
  }

  push(fragment: Fragment): void {
    if (!this.#init || this.#closed) return;
    this.#fragments++;
    const item = { fragment, wallMs: this.clock.now() };
    if (fragment.key) this.#dropGop();
    if (this.#gop.length > 0 || fragment.key) {
      if (this.#gopBytes + fragment.data.length <= this.limits.maxGopBytes) {
        this.#gop.push(item);
        this.#gopBytes += fragment.data.length;
      } else this.#dropGop(); // a new viewer waits for the next keyframe
    }
    for (const v of [...this.#viewers]) this.#offer(v, item);
  }

  /** The run ended: its frames are stale; viewers stay and get the next run's init. */
  end(): void {
    this.#init = undefined;
    this.#dropGop();
  }

  subscribe(sink: ViewerSink): () => void {
    const viewer: Viewer = { sink };
    if (this.#closed) {
      sink.close("camera stopped");
      return () => {};
    }
    this.#viewers.add(viewer);
    if (this.#init) {
      this.#sendInit(viewer);
      for (const item of this.#gop) viewer.sink.send({ kind: "fragment", ...item });
    }
    this.#onViewers?.(this.#viewers.size);
    return () => this.#remove(viewer);
  }

  /** The stream is broken for now: every viewer is closed with `reason` (they may come back). */
  dropViewers(reason: string): void {
    const viewers = [...this.#viewers];
    this.#viewers.clear();
    for (const v of viewers) v.sink.close(reason);
    if (viewers.length > 0 && !this.#closed) this.#onViewers?.(0);
  }

  /** The camera is gone: every viewer is closed. */
  close(): void {
    this.#closed = true;
    this.end();
    for (const v of this.#viewers) v.sink.close("camera stopped");
    this.#viewers.clear();
  }

  #sendInit(v: Viewer): void {
    if (!this.#init || v.init === this.#init) return;
    v.init = this.#init;
    v.sink.send({ kind: "init", init: this.#init });
    // Fragments of the new run only from a keyframe.
    v.behindSince = this.#gop.length > 0 ? undefined : this.clock.monotonic();
  }

  #offer(v: Viewer, item: Cached): void {
    if (v.init !== this.#init) this.#sendInit(v);
    const now = this.clock.monotonic();
    const full = v.sink.queuedBytes() > this.limits.maxQueuedBytes;
    if (full || (v.behindSince !== undefined && !item.fragment.key)) {
      v.behindSince ??= now;
      this.#skipped++;
      if (full && now - v.behindSince >= this.limits.stallMs) {
        this.#remove(v);
        v.sink.close("viewer too slow");
      }
      return;
    }
    v.behindSince = undefined;
    v.sink.send({ kind: "fragment", ...item });
  }

  #remove(v: Viewer): void {
    if (this.#viewers.delete(v) && !this.#closed) this.#onViewers?.(this.#viewers.size);
  }

  #dropGop(): void {
    this.#gop = [];
    this.#gopBytes = 0;
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

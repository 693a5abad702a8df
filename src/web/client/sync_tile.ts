/**
 * One camera of the synchronized review, driven from outside: every tick the review
 * hands it the master instant, and the tile loads the recording around it (a window
 * of the span playlist, only where the camera recorded), seeks or nudges its playback
 * rate to stay on that instant (through each segment's PROGRAM-DATE-TIME), and says
 * "no recording" while the instant falls in one of its gaps.
 */
import { attach, play, type Player } from "./player.ts";
import { correction, type Frag, instantOf, positionOf } from "./sync_math.ts";
import type { Span } from "./timeline_math.ts";

/** Loaded around the instant: a little before (stepping back), half an hour after. */
const BEFORE_MS = 60_000, AFTER_MS = 30 * 60_000;
/** A gap's next recording is loaded this long before the clock reaches it. */
const PRELOAD_MS = 8_000;
/** A playing tile pauses this close (ms of recording at 1x) to the end of a span. */
const END_MARGIN_MS = 100;

interface FrameMeta {
  mediaTime: number;
  expectedDisplayTime: number;
}

export type TileState = "loading" | "playing" | "paused" | "gap" | "error";

export class SyncTile {
  #player?: Player;
  #win?: { from: number; to: number };
  #spans: Span[] = [];
  #state: TileState = "loading";
  /** Milliseconds between frames, measured while playing (default 25 fps). */
  frameMs = 40;
  #lastMedia = -1;
  #retryAt = 0;
  #loadedAt = 0;
  /** The presented frame's drift from the master clock (requestVideoFrameCallback). */
  #presented?: { drift: number; at: number };
  /** The master clock at a performance.now() instant, when the review has one. */
  clockAt?: (perfMs: number) => number;
  /** End of the recorded span the tile plays. */
  #spanEnd = Infinity;

  constructor(
    readonly video: HTMLVideoElement,
    private readonly gid: number,
    private readonly seq: number,
    private readonly onState: (s: TileState, detail?: string) => void,
  ) {
    const v = video as HTMLVideoElement & {
      requestVideoFrameCallback?: (cb: (now: number, m: FrameMeta) => void) => void;
    };
    const deltas: number[] = [];
    const onFrame = (_now: number, m: FrameMeta) => {
      // The media's frame duration: the smallest step between presented frames lately.
      const d = (m.mediaTime - this.#lastMedia) * 1000;
      if (d > 2 && d < 1000) {
        deltas.push(d);
        if (deltas.length > 32) deltas.shift();
        this.frameMs = Math.min(...deltas);
      }
      this.#lastMedia = m.mediaTime;
      const frags = this.#frags();
      const shown = frags && instantOf(m.mediaTime, frags);
      if (shown !== undefined && this.clockAt && !video.paused) {
        // How far the frame on screen is from the master clock when it shows (its middle).
        this.#presented = {
          drift: shown + this.frameMs / 2 - this.clockAt(m.expectedDisplayTime),
          at: performance.now(),
        };
      }
      // The frame after this one would belong to the next recording: stop here (per frame,
      // more precise than the clock's ticks).
      if (shown !== undefined && shown + this.frameMs * 1.5 >= this.#spanEnd) video.pause();
      if (this.#player) v.requestVideoFrameCallback?.(onFrame);
    };
    this.#startFrames = () => v.requestVideoFrameCallback?.(onFrame);
  }
  #startFrames: () => void;

  /** The camera's recorded spans (of the day shown and the ones around it). */
  setSpans(spans: Span[]): void {
    this.#spans = spans;
  }

  get state(): TileState {
    return this.#state;
  }

  #set(s: TileState, detail?: string) {
    if (s !== this.#state || detail) this.onState(s, detail);
    this.#state = s;
  }

  #load(ms: number) {
    this.#player?.destroy();
    const from = Math.floor(ms - BEFORE_MS), to = Math.ceil(ms + AFTER_MS);
    const url = `/api/export/gid/${this.gid}/seq/${this.seq}/span.m3u8?from=${from}&to=${to}`;
    this.#win = { from, to };
    this.#loadedAt = performance.now();
    this.#player = attach(this.video, url, {
      live: false,
      startAt: ms,
      onFatal: (d) => {
        this.#retryAt = performance.now() + 5_000;
        this.#set("error", d);
      },
    });
    this.#set("loading");
    this.#startFrames();
  }

  #frags(): Frag[] | undefined {
    const f = this.#player?.fragments?.();
    return f && f.length ? f : undefined;
  }

  /** The instant of the frame on screen, through its segment's PROGRAM-DATE-TIME. */
  frameTime(): number | undefined {
    const frags = this.#frags();
    if (frags) return instantOf(this.video.currentTime, frags);
    return this.#player?.frameTime();
  }

  /** The drift of the frames presented lately (ms, + ahead), while playing. */
  drift(): number | undefined {
    const p = this.#presented;
    return p && this.#state === "playing" && performance.now() - p.at < 300 ? p.drift : undefined;
  }

  /** True when the tile shows the wanted instant and can play on (or has nothing to show). */
  ready(want: number): boolean {
    if (this.#state === "gap" || this.#state === "error") return true;
    const t = this.frameTime();
    return t !== undefined && !this.video.seeking && this.video.readyState >= 3 &&
      Math.abs(t - want) < 250;
  }

  /**
   * Starts playing from where the tile stands, at `rate`, without following the clock
   * (after a seek: the clock starts from the frames the tiles actually show).
   */
  start(rate: number): void {
    if (this.#state === "gap" || this.#state === "error") return;
    this.video.playbackRate = rate;
    if (this.video.paused) play(this.video);
  }

  /** True once the tile plays (its frames advance), or has nothing to play. */
  started(): boolean {
    if (this.#state === "gap" || this.#state === "error") return true;
    return !this.video.paused && !this.video.seeking && this.video.readyState >= 3;
  }

  /** Follows the master clock: instant `want`, speed `rate`, playing or paused. */
  sync(want: number, rate: number, playing: boolean): void {
    const v = this.video;
    const span = this.#spans.find((s) => want >= s.start && want < s.end);
    if (!span) {
      if (!v.paused) v.pause();
      this.#set("gap");
      // Rejoining soon: have the next recording loaded when the clock reaches it.
      const next = this.#spans.find((s) => s.start > want);
      if (next && next.start - want < PRELOAD_MS * Math.max(1, rate) && !this.#covers(next.start)) {
        this.#load(next.start);
      }
      return;
    }
    if (this.#state === "error" && performance.now() > this.#retryAt) this.#win = undefined;
    this.#spanEnd = span.end;
    if (!this.#covers(want)) return this.#load(want);
    // The media timeline runs on from the span's last frame into the next recording:
    // stop just before the end instead of showing the next one early.
    if (
      playing && span.end - want < END_MARGIN_MS * Math.max(1, rate) && this.#state !== "loading"
    ) {
      if (!v.paused) v.pause();
      return;
    }
    if (this.#state === "error") return;
    const frags = this.#frags();
    const pos = frags ? positionOf(want, frags) : this.#player?.positionOf(want);
    if (pos === undefined) {
      // Not in the list yet (still loading), or the playlist ends before the span does.
      const stale = performance.now() - this.#loadedAt > 3_000;
      if (frags && stale && want >= frags[frags.length - 1].pdt) return this.#load(want);
      return this.#set("loading");
    }
    if (v.seeking) return this.#set("loading");
    const frame = this.frameTime();
    if (frame === undefined || v.readyState < 2) {
      if (Math.abs(v.currentTime - pos) > 0.5) v.currentTime = pos;
      return this.#set("loading");
    }
    // Playing, the drift of the frames actually presented (display delay included) is the
    // one to correct, when fresh; otherwise the media clock's.
    const p = this.#presented;
    const seen = p && performance.now() - p.at < 150 && Math.abs(frame - want) < 300
      ? want + p.drift
      : frame;
    const c = correction(seen, want, pos, rate, playing, v.playbackRate);
    if (c.kind === "seek") {
      v.currentTime = pos;
      this.#presented = undefined;
    } else if (c.kind === "rate") v.playbackRate = c.rate;
    if (playing && v.paused) play(v);
    if (!playing && !v.paused) v.pause();
    this.#set(playing ? "playing" : "paused");
  }

  #covers(ms: number): boolean {
    return !!this.#win && ms >= this.#win.from && ms < this.#win.to - 5_000;
  }

  destroy(): void {
    this.#player?.destroy();
    this.#player = undefined;
  }
}

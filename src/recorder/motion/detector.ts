/**
 * Motion in one small grey frame (e.g. 160x90 GRAY8), against a background that adapts.
 * Pure: frames and their times in, a verdict per frame out (tracker.ts turns verdicts
 * into events).
 *
 * - **Background**: a per-pixel running average. Quiet pixels follow the picture within
 *   seconds (`BACKGROUND_TAU_MS`); changed pixels only slowly (`FOREGROUND_TAU_MS`).
 * - **Motion is change that goes on**: a changed region counts only while enough of its
 *   pixels also changed between analysed frames, in this one or the previous one
 *   (`ACTIVE_FRAMES`; regions.ts). What changed and then stays as it is — an object put
 *   down, a car parked or gone, a door left open, the place of an object that was there when
 *   the background was learnt — is motion for two analysed frames at most, never an event
 *   that lasts while nothing moves.
 * - **Absorption**: a pixel that differs from the background but has shown the same value for
 *   `ABSORB_MS` and `ABSORB_FRAMES` analysed frames becomes background at once, so a thing
 *   that stopped does not linger as a changed area (later motion near it gets a true box).
 *   Objects passing over it meanwhile only pause the count; a value that stays away from it
 *   (`ABSORB_FRAMES` frames and half of `ABSORB_MS`) starts a new count, or ends it when the
 *   pixel is background again.
 * - **Light drift** (dusk, clouds, auto exposure): the median difference between frame
 *   and background is the global shift; a pixel is compared after taking it off.
 * - **Noise**: each pixel learns its usual deviation; it counts as changed when it strays
 *   by more than `noiseFactor` times that and by at least `minDiff` grey levels (both
 *   from the sensitivity, settings.ts).
 * - **Pixels that change all the time** (a ticking burned-in clock, a flag, leaves): each
 *   pixel keeps the rate at which it changes from one analysed frame to the next; above
 *   `FLICKER_ON` it is ignored until the rate falls below `FLICKER_OFF`.
 * - **Sudden global change** (IR switch, lights on): when more than `GLOBAL_FRACTION` of
 *   the analysed pixels change at once, the background is learnt again from this frame
 *   and the frame says `global` (no motion).
 * - **Masks** and **minimum area** come with every frame (settings apply live).
 */
import { rasterizeMasks } from "./mask.ts";
import { findRegions } from "./regions.ts";
import { type MotionSettings, thresholds } from "./settings.ts";

export const BACKGROUND_TAU_MS = 8_000;
export const FOREGROUND_TAU_MS = 60_000;
export const NOISE_TAU_MS = 20_000;
export const FLICKER_RATE = 0.2;
export const FLICKER_ON = 0.4;
export const FLICKER_OFF = 0.15;
export const GLOBAL_FRACTION = 0.5;
/** A pixel's change between analysed frames counts as motion for this many frames. */
export const ACTIVE_FRAMES = 2;
/** A changed pixel that stays the same this long (and ABSORB_FRAMES frames) is background. */
export const ABSORB_MS = 10_000;
export const ABSORB_FRAMES = 3;
/** Frames that only teach the background before anything can count as motion. */
export const WARMUP_FRAMES = 4;

export interface FrameVerdict {
  timeMs: number;
  /** Changed fraction of the whole picture (noise and masked pixels left out), 0–1. */
  area: number;
  box: [number, number, number, number];
  /** A sudden change of most of the picture: the background was learnt again. */
  global: boolean;
  /** Still learning the background (first frames, or after a global change). */
  learning: boolean;
}

export class MotionDetector {
  readonly size: number;
  #bg: Float32Array;
  #noise: Float32Array;
  #flicker: Float32Array;
  #ignored: Uint8Array;
  #prev: Uint8Array;
  #changed: Uint8Array;
  /** Changed between the previous analysed frame and this one. */
  #step: Uint8Array;
  /** Analysed frames since the pixel last changed between frames (capped at 255). */
  #stepAge: Uint8Array;
  /** Changed in one of the last ACTIVE_FRAMES analysed frames (regions.ts `active`). */
  #active: Uint8Array;
  /** How long (ms, frames) the pixel has differed from the background showing `#stillValue`. */
  #stillValue: Float32Array;
  #stillMs: Float32Array;
  #stillFrames: Uint8Array;
  /** How long (ms, frames) it has shown something else since (an object passing over it). */
  #awayMs: Float32Array;
  #awayFrames: Uint8Array;
  #lastMs?: number;
  #warm = 0;
  #maskKey = "";
  #mask: Uint8Array;
  #hist = new Int32Array(511);

  constructor(readonly width: number, readonly height: number) {
    this.size = width * height;
    this.#bg = new Float32Array(this.size);
    this.#noise = new Float32Array(this.size).fill(2);
    this.#flicker = new Float32Array(this.size);
    this.#ignored = new Uint8Array(this.size);
    this.#prev = new Uint8Array(this.size);
    this.#changed = new Uint8Array(this.size);
    this.#step = new Uint8Array(this.size);
    this.#stepAge = new Uint8Array(this.size).fill(255);
    this.#active = new Uint8Array(this.size);
    this.#stillValue = new Float32Array(this.size);
    this.#stillMs = new Float32Array(this.size);
    this.#stillFrames = new Uint8Array(this.size);
    this.#awayMs = new Float32Array(this.size);
    this.#awayFrames = new Uint8Array(this.size);
    this.#mask = new Uint8Array(this.size);
  }

  /** Pixels currently ignored because they change all the time (for tests and diagnostics). */
  get ignoredPixels(): number {
    return this.#ignored.reduce((s, v) => s + v, 0);
  }

  /** Analyses `frame` (width×height grey bytes) taken at `timeMs`. */
  analyse(frame: Uint8Array, timeMs: number, settings: MotionSettings): FrameVerdict {
    if (frame.length !== this.size) throw new Error(`frame of ${frame.length} bytes`);
    const mask = this.#maskFor(settings);
    const dt = this.#lastMs === undefined
      ? 0
      : Math.min(60_000, Math.max(1, timeMs - this.#lastMs));
    this.#lastMs = timeMs;
    const quiet = { timeMs, area: 0, box: [0, 0, 0, 0] as FrameVerdict["box"], global: false };
    if (this.#warm === 0) {
      this.#relearn(frame);
      this.#warm = 1;
      return { ...quiet, learning: true };
    }
    const shift = this.#medianShift(frame, mask);
    const { minDiff, noiseFactor } = thresholds(settings.sensitivity);
    let analysed = 0, changedRaw = 0;
    for (let i = 0; i < this.size; i++) {
      const threshold = Math.max(minDiff, noiseFactor * this.#noise[i]);
      const step = Math.abs(frame[i] - this.#prev[i]) > threshold ? 1 : 0;
      this.#step[i] = step;
      this.#stepAge[i] = step ? 0 : Math.min(255, this.#stepAge[i] + 1);
      this.#active[i] = this.#stepAge[i] < ACTIVE_FRAMES && !this.#ignored[i] ? 1 : 0;
      this.#changed[i] = 0;
      if (mask[i]) continue;
      analysed++;
      const d = Math.abs(frame[i] - this.#bg[i] - shift);
      if (d > threshold) {
        changedRaw++;
        if (!this.#ignored[i]) this.#changed[i] = 1;
      }
    }
    if (analysed > 0 && changedRaw > GLOBAL_FRACTION * analysed) {
      this.#relearn(frame);
      this.#warm = 1;
      return { ...quiet, global: true, learning: true };
    }
    this.#learn(frame, dt, shift, minDiff, noiseFactor);
    if (this.#warm < WARMUP_FRAMES) {
      this.#warm++;
      return { ...quiet, learning: true };
    }
    const regions = findRegions(this.#changed, this.width, this.height, this.#active);
    return { ...quiet, area: regions.area, box: regions.box, learning: false };
  }

  /** Forget the background: the next frame is learnt as it is. */
  reset(): void {
    this.#warm = 0;
  }

  #relearn(frame: Uint8Array): void {
    for (let i = 0; i < this.size; i++) this.#bg[i] = frame[i];
    this.#prev.set(frame);
    this.#stepAge.fill(255);
    this.#stillFrames.fill(0);
  }

  #learn(frame: Uint8Array, dt: number, shift: number, minDiff: number, k: number): void {
    // While warming up, the background is the average of the first frames and the noise is
    // the picture's average deviation (a few samples per pixel would be far off).
    const warming = this.#warm < WARMUP_FRAMES;
    const aBg = warming ? 1 / (this.#warm + 1) : 1 - Math.exp(-dt / BACKGROUND_TAU_MS);
    const aFg = warming ? aBg : 1 - Math.exp(-dt / FOREGROUND_TAU_MS);
    const aNoise = 1 - Math.exp(-dt / NOISE_TAU_MS);
    if (warming) this.#noise.fill(this.#averageDeviation(frame, shift));
    for (let i = 0; i < this.size; i++) {
      const v = frame[i];
      const d = v - this.#bg[i];
      const changed = this.#changed[i] === 1;
      const step = this.#step[i];
      const threshold = Math.max(minDiff, k * this.#noise[i]);
      if (!warming && this.#stopped(i, v - shift, changed, dt, threshold)) {
        this.#bg[i] = v - shift; // it stopped: background now
        this.#stillFrames[i] = 0;
      } else this.#bg[i] += (changed ? aFg : aBg) * d;
      if (!changed && !warming) {
        const n = this.#noise[i] + aNoise * (Math.abs(d - shift) - this.#noise[i]);
        this.#noise[i] = Math.min(40, Math.max(1, n));
      }
      // Flicker: how often the pixel changes between two analysed frames.
      const rate = this.#flicker[i] + FLICKER_RATE * (step - this.#flicker[i]);
      this.#flicker[i] = rate;
      if (rate > FLICKER_ON) this.#ignored[i] = 1;
      else if (rate < FLICKER_OFF) this.#ignored[i] = 0;
    }
    this.#prev.set(frame);
  }

  /**
   * Whether the changed pixel `i` has shown the same value `v` (light shift taken off) long
   * enough (see Absorption).
   */
  #stopped(i: number, v: number, changed: boolean, dt: number, threshold: number): boolean {
    if (!changed && this.#stillFrames[i] === 0) return false;
    if (changed && this.#stillFrames[i] > 0 && Math.abs(v - this.#stillValue[i]) <= threshold) {
      this.#stillFrames[i] = Math.min(255, this.#stillFrames[i] + 1);
      this.#stillMs[i] += dt;
      this.#awayFrames[i] = 0;
      this.#awayMs[i] = 0;
      return this.#stillMs[i] >= ABSORB_MS && this.#stillFrames[i] >= ABSORB_FRAMES;
    }
    this.#awayFrames[i] = Math.min(255, this.#awayFrames[i] + 1);
    this.#awayMs[i] += dt;
    const gone = this.#awayFrames[i] >= ABSORB_FRAMES && this.#awayMs[i] >= ABSORB_MS / 2;
    // Like the background for a while (an object like the one learnt passed over it): paused.
    if (!changed) {
      if (gone) this.#stillFrames[i] = 0;
    } else if (this.#stillFrames[i] === 0 || gone) {
      this.#stillValue[i] = v; // a new change that may stay: count from its value
      this.#stillFrames[i] = 1;
      this.#stillMs[i] = 0;
      this.#awayFrames[i] = 0;
      this.#awayMs[i] = 0;
    }
    return false;
  }

  #averageDeviation(frame: Uint8Array, shift: number): number {
    let sum = 0;
    for (let i = 0; i < this.size; i++) sum += Math.abs(frame[i] - this.#bg[i] - shift);
    return Math.min(40, Math.max(1, sum / this.size));
  }

  /** The median of frame − background over the analysed pixels (the global light shift). */
  #medianShift(frame: Uint8Array, mask: Uint8Array): number {
    const h = this.#hist;
    h.fill(0);
    let n = 0;
    for (let i = 0; i < this.size; i++) {
      if (mask[i]) continue;
      h[Math.round(frame[i] - this.#bg[i]) + 255]++;
      n++;
    }
    let seen = 0;
    for (let v = 0; v < h.length; v++) {
      seen += h[v];
      if (seen * 2 >= n) return v - 255;
    }
    return 0;
  }

  #maskFor(settings: MotionSettings): Uint8Array {
    const key = JSON.stringify(settings.masks);
    if (key !== this.#maskKey) {
      this.#mask = rasterizeMasks(settings.masks, this.width, this.height);
      this.#maskKey = key;
    }
    return this.#mask;
  }
}

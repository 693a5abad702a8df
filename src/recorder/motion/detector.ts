/**
 * Motion in one small grey frame (e.g. 160x90 GRAY8), against a background that adapts.
 * Pure: frames and their times in, a verdict per frame out (tracker.ts turns verdicts
 * into events).
 *
 * - **Background**: a per-pixel running average. Quiet pixels follow the picture within
 *   seconds (`BACKGROUND_TAU_MS`); changed pixels only slowly (`FOREGROUND_TAU_MS`), so an
 *   object that stops is absorbed after a minute or two, never an event for ever.
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
      this.#changed[i] = 0;
      if (mask[i]) continue;
      analysed++;
      const d = Math.abs(frame[i] - this.#bg[i] - shift);
      if (d > Math.max(minDiff, noiseFactor * this.#noise[i])) {
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
    const regions = findRegions(this.#changed, this.width, this.height);
    return { ...quiet, area: regions.area, box: regions.box, learning: false };
  }

  /** Forget the background: the next frame is learnt as it is. */
  reset(): void {
    this.#warm = 0;
  }

  #relearn(frame: Uint8Array): void {
    for (let i = 0; i < this.size; i++) this.#bg[i] = frame[i];
    this.#prev.set(frame);
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
      this.#bg[i] += (changed ? aFg : aBg) * d;
      if (!changed && !warming) {
        const n = this.#noise[i] + aNoise * (Math.abs(d - shift) - this.#noise[i]);
        this.#noise[i] = Math.min(40, Math.max(1, n));
      }
      // Flicker: how often the pixel changes between two analysed frames.
      const step = Math.abs(v - this.#prev[i]) > Math.max(minDiff, k * this.#noise[i]) ? 1 : 0;
      const rate = this.#flicker[i] + FLICKER_RATE * (step - this.#flicker[i]);
      this.#flicker[i] = rate;
      if (rate > FLICKER_ON) this.#ignored[i] = 1;
      else if (rate < FLICKER_OFF) this.#ignored[i] = 0;
    }
    this.#prev.set(frame);
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

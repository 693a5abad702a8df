/**
 * Synthetic 160x90 grey frames for the motion detector's tests: a static textured scene
 * with sensor noise, and what real cameras add to it (an object, a ticking burned-in
 * clock, light drift, a global change). Deterministic (seeded).
 */
import type { FrameVerdict } from "../../../src/recorder/motion/detector.ts";
import { MotionDetector } from "../../../src/recorder/motion/detector.ts";
import {
  defaultMotionSettings,
  type MotionSettings,
} from "../../../src/recorder/motion/settings.ts";
import { type MotionChange, MotionTracker } from "../../../src/recorder/motion/tracker.ts";

export const W = 160, H = 90;

export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export interface SceneAt {
  /** Object [x, y, w, h] in pixels, with its grey level. */
  box?: [number, number, number, number];
  boxLevel?: number;
  /** Instead of a level: the object is this much brighter than the scene behind it (faint). */
  boxDelta?: number;
  /** A second object [x, y, w, h] (grey level 230), drawn over the first. */
  box2?: [number, number, number, number];
  /** Brightness added everywhere (drift), and scaled by x (uneven drift). */
  light?: number;
  /** A burned-in clock at (4, 4), 24x12, showing `clock` (a different pattern every value). */
  clock?: number;
  /** The scene is a different one (IR switch, lights on): its texture changes. */
  switched?: boolean;
}

export class Scene {
  #texture = new Uint8Array(W * H);
  #night = new Uint8Array(W * H);
  #noise: () => number;

  constructor(seed = 1, readonly noise = 6) {
    const r = rng(seed);
    for (let i = 0; i < W * H; i++) {
      const x = i % W, y = Math.floor(i / W);
      this.#texture[i] = 60 + Math.round(60 * (x / W) + 30 * Math.sin(y / 7) + 20 * r());
      this.#night[i] = 200 - Math.round(this.#texture[i] * 0.8);
    }
    this.#noise = rng(seed + 99);
  }

  frame(at: SceneAt = {}): Uint8Array {
    const out = new Uint8Array(W * H);
    const base = at.switched ? this.#night : this.#texture;
    for (let i = 0; i < W * H; i++) {
      const x = i % W;
      const light = (at.light ?? 0) * (0.6 + 0.8 * (x / W));
      const n = (this.#noise() - 0.5) * 2 * this.noise;
      out[i] = clamp(base[i] + light + n);
    }
    if (at.box) {
      const [bx, by, bw, bh] = at.box;
      for (let y = by; y < by + bh; y++) {
        for (let x = bx; x < bx + bw; x++) {
          const level = at.boxDelta !== undefined
            ? out[y * W + x] + at.boxDelta
            : at.boxLevel ?? 230;
          out[y * W + x] = clamp(level + (this.#noise() - 0.5) * 4);
        }
      }
    }
    if (at.box2) {
      const [bx, by, bw, bh] = at.box2;
      for (let y = by; y < by + bh; y++) {
        for (let x = bx; x < bx + bw; x++) out[y * W + x] = clamp(230 + (this.#noise() - 0.5) * 4);
      }
    }
    if (at.clock !== undefined) {
      const digits = rng(at.clock + 7);
      for (let y = 4; y < 16; y++) {
        for (let x = 4; x < 28; x++) out[y * W + x] = digits() < 0.5 ? 20 : 240;
      }
    }
    return out;
  }
}

const clamp = (v: number) => Math.max(0, Math.min(255, Math.round(v)));

export interface Run {
  changes: MotionChange[];
  verdicts: FrameVerdict[];
  detector: MotionDetector;
  /** The event still open after the last frame (ended by `stop()`), if any. */
  endedByStop?: MotionChange["event"];
}

/**
 * Feeds `frames` frames (one per `stepMs`, from t0) through a detector and a tracker;
 * `at(i)` says what frame i shows, `settings(i)` the settings in force.
 */
export function play(
  frames: number,
  scene: Scene,
  at: (i: number) => SceneAt,
  opts: { stepMs?: number; settings?: (i: number) => MotionSettings; t0?: number } = {},
): Run {
  const detector = new MotionDetector(W, H);
  const tracker = new MotionTracker();
  const changes: MotionChange[] = [];
  const verdicts: FrameVerdict[] = [];
  const step = opts.stepMs ?? 1000;
  const t0 = opts.t0 ?? Date.UTC(2026, 11, 1, 14, 0, 0);
  for (let i = 0; i < frames; i++) {
    const settings = opts.settings?.(i) ?? defaultMotionSettings();
    const v = detector.analyse(scene.frame(at(i)), t0 + i * step, settings);
    verdicts.push(v);
    changes.push(...tracker.frame(v, settings.minArea));
  }
  const open = tracker.stop();
  changes.push(...open);
  return { changes, verdicts, detector, endedByStop: open[0]?.event };
}

export const T0 = Date.UTC(2026, 11, 1, 14, 0, 0);

/**
 * From per-frame verdicts (detector.ts) to motion events, with hysteresis. Pure.
 *
 * - **Start**: motion (area ≥ `minArea`) in `START_FRAMES` analysed frames in a row, or
 *   one strong frame (area ≥ `STRONG_FACTOR` × `minArea`). The event starts at the first
 *   of those frames.
 * - **Update**: when the peak score grows, at most once per `UPDATE_MS` of frame time.
 *   `score`, `box` and `peak` all describe the frame with the most motion (the thumbnail's).
 * - **End**: after `quietMs` without motion; the end is the first quiet frame. A global
 *   change (detector.ts) ends an event at once, and so does `stop()` (the run ended) and
 *   `MAX_EVENT_MS` (a background learnt again will tell if motion goes on): never a stuck event.
 *
 * Frames come one per GOP with keyframes only: an event is known one GOP after its onset
 * at best (≤ 1 s with a 1 s GOP), `START_FRAMES` GOPs for a faint one.
 */
import type { MotionEventData } from "../../events.ts";
import type { FrameVerdict } from "./detector.ts";

export const START_FRAMES = 2;
export const STRONG_FACTOR = 3;
export const UPDATE_MS = 1000;
export const QUIET_MS = 5000;
export const MAX_EVENT_MS = 10 * 60_000;

export type MotionPhase = "start" | "update" | "end";
export interface MotionChange {
  phase: MotionPhase;
  event: MotionEventData;
}

/** `20261201-140502-123` (UTC) from epoch ms: unique per camera, the same after a restart. */
export function motionEventId(startMs: number): string {
  const iso = new Date(startMs).toISOString(); // 2026-12-01T14:05:02.123Z
  return `${iso.slice(0, 10).replaceAll("-", "")}-${iso.slice(11, 19).replaceAll(":", "")}-${
    iso.slice(20, 23)
  }`;
}

interface Active {
  data: MotionEventData;
  lastMotionMs: number;
  quietSinceMs?: number;
  lastUpdateMs: number;
  unpublishedPeak: boolean;
}

export class MotionTracker {
  #pending?: { since: number; frames: number; best: FrameVerdict };
  #active?: Active;
  #lastFrameMs?: number;
  /** An event ran for MAX_EVENT_MS: the detector should learn the background again. */
  relearn = false;

  constructor(readonly quietMs = QUIET_MS) {}

  get active(): MotionEventData | undefined {
    return this.#active && { ...this.#active.data };
  }

  /** The next frame's verdict with the minimum area in force; what changed. */
  frame(v: FrameVerdict, minArea: number): MotionChange[] {
    this.#lastFrameMs = v.timeMs;
    const motion = !v.global && !v.learning && v.area > 0 && v.area >= minArea;
    const a = this.#active;
    if (v.global) {
      this.#pending = undefined;
      return a ? [this.#end(v.timeMs)] : [];
    }
    if (!a) return motion ? this.#maybeStart(v, minArea) : this.#idle();
    if (v.timeMs - a.data.start >= MAX_EVENT_MS) {
      this.relearn = true;
      return [this.#end(v.timeMs)];
    }
    if (!motion) {
      a.quietSinceMs ??= v.timeMs;
      return v.timeMs - a.lastMotionMs >= this.quietMs ? [this.#end(a.quietSinceMs)] : [];
    }
    a.lastMotionMs = v.timeMs;
    a.quietSinceMs = undefined;
    if (v.area > a.data.score) {
      a.data = { ...a.data, score: round(v.area), box: roundBox(v.box), peak: v.timeMs };
      a.unpublishedPeak = true;
    }
    if (a.unpublishedPeak && v.timeMs - a.lastUpdateMs >= UPDATE_MS) {
      a.unpublishedPeak = false;
      a.lastUpdateMs = v.timeMs;
      return [{ phase: "update", event: { ...a.data } }];
    }
    return [];
  }

  /** The frames stopped (the run ended, the camera stops): an open event ends now. */
  stop(atMs = this.#lastFrameMs): MotionChange[] {
    this.#pending = undefined;
    const a = this.#active;
    if (!a) return [];
    return [this.#end(Math.max(a.data.start, atMs ?? a.lastMotionMs))];
  }

  #idle(): MotionChange[] {
    this.#pending = undefined;
    return [];
  }

  #maybeStart(v: FrameVerdict, minArea: number): MotionChange[] {
    const p = this.#pending ?? { since: v.timeMs, frames: 0, best: v };
    p.frames++;
    if (v.area > p.best.area) p.best = v;
    this.#pending = p;
    if (p.frames < START_FRAMES && v.area < STRONG_FACTOR * minArea) return [];
    this.#pending = undefined;
    const data: MotionEventData = {
      id: motionEventId(p.since),
      start: p.since,
      score: round(p.best.area),
      box: roundBox(p.best.box),
      peak: p.best.timeMs,
    };
    this.#active = {
      data,
      lastMotionMs: v.timeMs,
      lastUpdateMs: v.timeMs,
      unpublishedPeak: false,
    };
    return [{ phase: "start", event: { ...data } }];
  }

  #end(atMs: number): MotionChange {
    const data = { ...this.#active!.data, end: atMs };
    this.#active = undefined;
    return { phase: "end", event: data };
  }
}

const round = (v: number) => Math.round(v * 10_000) / 10_000;
const roundBox = (
  b: FrameVerdict["box"],
): MotionEventData["box"] => [round(b[0]), round(b[1]), round(b[2]), round(b[3])];

/**
 * A camera's motion settings (GET/PUT …/motion) as the detector reads them, their
 * defaults, and what the sensitivity means in pixel terms. Pure.
 */

/** A polygon of normalized (0–1) points: `[[x, y], …]`. */
export type Polygon = [number, number][];

export interface MotionSettings {
  enabled: boolean;
  /** 1 (only strong, large changes) … 100 (the faintest change counts); default 50. */
  sensitivity: number;
  /** Smallest changed fraction of the picture that is motion (0–1); default 0.01. */
  minArea: number;
  /** Parts of the picture never analysed. */
  masks: Polygon[];
}

export const DEFAULT_SENSITIVITY = 50;
export const DEFAULT_MIN_AREA = 0.01;

export function defaultMotionSettings(enabled = true): MotionSettings {
  return { enabled, sensitivity: DEFAULT_SENSITIVITY, minArea: DEFAULT_MIN_AREA, masks: [] };
}

/**
 * How far a pixel must stray from the background to count as changed: at least
 * `minDiff` grey levels, and at least `noiseFactor` times that pixel's own learnt noise.
 * Sensitivity 50 → 24 levels / 4.25x noise; 100 → 8 / 2.5x; 1 → 40 / 5.97x.
 */
export function thresholds(sensitivity: number): { minDiff: number; noiseFactor: number } {
  const s = Math.min(100, Math.max(1, sensitivity));
  return { minDiff: 8 + (100 - s) * 0.32, noiseFactor: 2.5 + (100 - s) * 0.035 };
}

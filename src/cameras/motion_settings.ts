/**
 * A camera's motion settings (GET/PUT /api/camera/seq/{seq}/gid/{gid}/motion): the PUT
 * body's schema, how they are stored in camera_settings.json (only what was set; the rest
 * follows the defaults) and the detector's view of them with the defaults filled in.
 */
import { z } from "zod";
import {
  DEFAULT_MIN_AREA,
  DEFAULT_SENSITIVITY,
  type MotionSettings,
  type Polygon,
} from "../recorder/motion/settings.ts";

export const MAX_MASKS = 16;
export const MAX_MASK_POINTS = 32;

const unit = z.number({ error: "must be a number from 0 to 1" }).min(0, "must be >= 0")
  .max(1, "must be <= 1");

/** PUT body: every field optional (missing = unchanged). */
export const MotionInput = z.strictObject({
  enabled: z.boolean({ error: "must be true or false" }).optional(),
  sensitivity: z.number({ error: "must be a number from 1 to 100" }).int("must be an integer")
    .min(1, "must be >= 1").max(100, "must be <= 100").optional(),
  min_area: unit.optional(),
  masks: z.array(
    z.array(z.tuple([unit, unit], { error: "a point is [x, y], each 0–1" }))
      .min(3, "a polygon has at least 3 points")
      .max(MAX_MASK_POINTS, `a polygon has at most ${MAX_MASK_POINTS} points`),
    { error: "must be a list of polygons" },
  ).max(MAX_MASKS, `at most ${MAX_MASKS} polygons`).optional(),
});
export type MotionInputBody = z.infer<typeof MotionInput>;

/** What camera_settings.json holds for a camera (`motion`): only what was set. */
export interface StoredMotion {
  enabled?: boolean;
  sensitivity?: number;
  minArea?: number;
  masks?: Polygon[];
}

/** The settings in force: stored values, else the defaults (`enabledByDefault`: `--motion`). */
export function motionSettings(
  stored: StoredMotion | undefined,
  enabledByDefault: boolean,
): MotionSettings {
  // Written by hand or by an older version: values outside the API's rules are ignored.
  if (stored && !MotionInput.safeParse(motionView({ ...DEFAULTS, ...stored })).success) {
    stored = { enabled: typeof stored.enabled === "boolean" ? stored.enabled : undefined };
  }
  return {
    enabled: stored?.enabled ?? enabledByDefault,
    sensitivity: stored?.sensitivity ?? DEFAULT_SENSITIVITY,
    minArea: stored?.minArea ?? DEFAULT_MIN_AREA,
    masks: stored?.masks ?? [],
  };
}

const DEFAULTS = {
  enabled: true,
  sensitivity: DEFAULT_SENSITIVITY,
  minArea: DEFAULT_MIN_AREA,
  masks: [],
};

/** A PUT body applied to what is stored. */
export function applyMotionInput(
  stored: StoredMotion | undefined,
  body: MotionInputBody,
): StoredMotion {
  return {
    ...stored,
    ...(body.enabled !== undefined ? { enabled: body.enabled } : {}),
    ...(body.sensitivity !== undefined ? { sensitivity: body.sensitivity } : {}),
    ...(body.min_area !== undefined ? { minArea: body.min_area } : {}),
    ...(body.masks !== undefined ? { masks: body.masks } : {}),
  };
}

/** The API's view (snake_case). */
export function motionView(s: MotionSettings) {
  return { enabled: s.enabled, sensitivity: s.sensitivity, min_area: s.minArea, masks: s.masks };
}

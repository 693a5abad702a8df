/**
 * The motion editor's pure parts: a click on the picture as a normalized point (0–1, the
 * API's mask coordinates), polygons as SVG points, the minimum area as a percentage, the
 * form's checks before a PUT and the API's field names as the form labels them.
 */

export type Point = [number, number];
export type Polygon = Point[];

/** Limits of PUT …/motion (src/cameras/motion_settings.ts). */
export const MAX_MASKS = 16;
export const MAX_MASK_POINTS = 32;

const clamp01 = (n: number) => Math.min(1, Math.max(0, n));
/** Four decimals: a tenth of a pixel on a 4K picture, and short JSON. */
const round4 = (n: number) => Math.round(n * 10_000) / 10_000;

/** A pointer position inside `box` (a bounding rectangle) as a point in 0–1. */
export function normalizedPoint(
  x: number,
  y: number,
  box: { left: number; top: number; width: number; height: number },
): Point {
  if (!(box.width > 0) || !(box.height > 0)) return [0, 0];
  return [round4(clamp01((x - box.left) / box.width)), round4(clamp01((y - box.top) / box.height))];
}

/** A point moved by (dx, dy) in 0–1 units, kept in the picture (the keyboard's cursor). */
export function movePoint([x, y]: Point, dx: number, dy: number): Point {
  return [round4(clamp01(x + dx)), round4(clamp01(y + dy))];
}

/** SVG `points` for a polygon drawn in a `0 0 100 100` view box. */
export function svgPoints(poly: Polygon): string {
  return poly.map(([x, y]) => `${round4(x * 100)},${round4(y * 100)}`).join(" ");
}

/** A polygon can be closed (a mask) from 3 points on. */
export const canClose = (draft: Polygon) => draft.length >= 3;

/** The stored fraction (0–1) as the form's percentage text ("1" for 0.01). */
export function areaToPercent(minArea: number): string {
  return String(round4(minArea * 100));
}

/** The form's percentage as the API's fraction, or undefined when it is not 0–100. */
export function percentToArea(text: string): number | undefined {
  const t = text.trim().replace(",", ".");
  if (!/^\d+(\.\d+)?$|^\.\d+$/.test(t)) return undefined;
  const n = Number(t);
  return n >= 0 && n <= 100 ? round4(n / 100) : undefined;
}

export interface MotionForm {
  enabled: boolean;
  sensitivity: number;
  minAreaPercent: string;
  masks: Polygon[];
  /** The polygon being drawn (not closed yet). */
  draft: Polygon;
}

/** The PUT body, or the form's errors by field (`min_area`, `masks`). */
export function motionBody(
  f: MotionForm,
): { body: Record<string, unknown> } | { errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const minArea = percentToArea(f.minAreaPercent);
  if (minArea === undefined) errors.min_area = "Minimum area must be a number from 0 to 100 %.";
  if (f.draft.length > 0) {
    errors.masks = canClose(f.draft)
      ? "Close the polygon being drawn (or delete it) before saving."
      : "The polygon being drawn needs at least 3 points: add points or undo them.";
  }
  if (f.masks.length > MAX_MASKS) errors.masks = `At most ${MAX_MASKS} masks.`;
  if (Object.keys(errors).length) return { errors };
  return {
    body: {
      enabled: f.enabled,
      sensitivity: f.sensitivity,
      min_area: minArea,
      masks: f.masks,
    },
  };
}

const LABELS: Record<string, string> = {
  enabled: "Enabled",
  sensitivity: "Sensitivity",
  min_area: "Minimum area",
  masks: "Masks",
};

/**
 * The API's `fields` as the form's errors: keyed by top field, the message starting with
 * its label ("masks.1.0" → masks: "Masks (mask 2): …").
 */
export function motionFieldErrors(
  fields: { field: string; message: string }[] | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { field, message } of fields ?? []) {
    const [top, mask] = field.split(".");
    const key = top in LABELS ? top : "form";
    const where = key === "masks" && mask !== undefined ? ` (mask ${Number(mask) + 1})` : "";
    out[key] ??= `${LABELS[top] ?? top}${where}: ${message}`;
  }
  return out;
}

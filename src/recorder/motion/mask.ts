/**
 * Mask polygons (normalized 0–1) drawn onto the analysed picture: one byte per pixel,
 * 1 where the pixel is masked (never analysed). A pixel is masked when its centre lies
 * inside any polygon (even-odd rule). Pure.
 */
import type { Polygon } from "./settings.ts";

export function rasterizeMasks(polygons: Polygon[], width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height);
  for (const poly of polygons) {
    if (poly.length < 3) continue;
    for (let y = 0; y < height; y++) {
      const py = (y + 0.5) / height;
      for (let x = 0; x < width; x++) {
        if (out[y * width + x]) continue;
        if (inside(poly, (x + 0.5) / width, py)) out[y * width + x] = 1;
      }
    }
  }
  return out;
}

/** Even-odd ray casting. */
export function inside(poly: Polygon, px: number, py: number): boolean {
  let hit = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const [xi, yi] = poly[i];
    const [xj, yj] = poly[j];
    if ((yi > py) !== (yj > py) && px < ((xj - xi) * (py - yi)) / (yj - yi) + xi) hit = !hit;
  }
  return hit;
}

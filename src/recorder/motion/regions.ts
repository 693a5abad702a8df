/**
 * From the changed pixels of one frame to motion: isolated changed pixels (sensor noise,
 * the one-pixel strokes of a small burned-in clock) are dropped, the rest grouped into
 * 4-connected regions; tiny regions are dropped, and the box is the union of the regions
 * that matter (at least a tenth of the largest). Pure.
 */

export interface Regions {
  /** Changed pixels kept, as a fraction of the whole picture. */
  area: number;
  /** Normalized [x, y, w, h] around the kept regions ([0, 0, 0, 0] when none). */
  box: [number, number, number, number];
}

/** Regions smaller than this many pixels are noise. */
export const MIN_REGION_PIXELS = 4;

export function findRegions(changed: Uint8Array, width: number, height: number): Regions {
  const n = width * height;
  // A changed pixel counts when at least two of its four neighbours changed too.
  const kept = new Uint8Array(n);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (!changed[i]) continue;
      const around = (x > 0 ? changed[i - 1] : 0) + (x < width - 1 ? changed[i + 1] : 0) +
        (y > 0 ? changed[i - width] : 0) + (y < height - 1 ? changed[i + width] : 0);
      if (around >= 2) kept[i] = 1;
    }
  }
  const label = new Int32Array(n);
  const stack = new Int32Array(n);
  const found: { size: number; x0: number; y0: number; x1: number; y1: number }[] = [];
  for (let start = 0; start < n; start++) {
    if (!kept[start] || label[start]) continue;
    const r = { size: 0, x0: width, y0: height, x1: -1, y1: -1 };
    let top = 0;
    stack[top++] = start;
    label[start] = found.length + 1;
    while (top > 0) {
      const i = stack[--top];
      const x = i % width, y = (i - x) / width;
      r.size++;
      if (x < r.x0) r.x0 = x;
      if (x > r.x1) r.x1 = x;
      if (y < r.y0) r.y0 = y;
      if (y > r.y1) r.y1 = y;
      const next = [x > 0 ? i - 1 : -1, x < width - 1 ? i + 1 : -1, y > 0 ? i - width : -1];
      next.push(y < height - 1 ? i + width : -1);
      for (const j of next) {
        if (j >= 0 && kept[j] && !label[j]) {
          label[j] = label[start];
          stack[top++] = j;
        }
      }
    }
    found.push(r);
  }
  const largest = Math.max(0, ...found.map((r) => r.size));
  const matter = found.filter((r) => r.size >= Math.max(MIN_REGION_PIXELS, largest * 0.1));
  if (matter.length === 0) return { area: 0, box: [0, 0, 0, 0] };
  const x0 = Math.min(...matter.map((r) => r.x0)), y0 = Math.min(...matter.map((r) => r.y0));
  const x1 = Math.max(...matter.map((r) => r.x1)), y1 = Math.max(...matter.map((r) => r.y1));
  const size = matter.reduce((s, r) => s + r.size, 0);
  return {
    area: size / n,
    box: [x0 / width, y0 / height, (x1 - x0 + 1) / width, (y1 - y0 + 1) / height],
  };
}

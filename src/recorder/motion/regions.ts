/**
 * From the changed pixels of one frame to motion: isolated changed pixels (sensor noise,
 * the one-pixel strokes of a small burned-in clock) are dropped, the rest grouped into
 * 4-connected regions; tiny regions are dropped, and so are regions that stopped changing
 * (with an `active` mask: fewer than `ACTIVE_SHARE` of their pixels, or `MIN_REGION_PIXELS`,
 * changed between the last analysed frames: a parked car, a door left open, the place an
 * object left). The box is the union of the regions that matter (at least a tenth of the
 * largest). Pure.
 */

export interface Regions {
  /** Changed pixels kept, as a fraction of the whole picture. */
  area: number;
  /** Normalized [x, y, w, h] around the kept regions ([0, 0, 0, 0] when none). */
  box: [number, number, number, number];
}

/** Regions smaller than this many pixels are noise. */
export const MIN_REGION_PIXELS = 4;
/** A region moves when at least this share of its pixels changed between recent frames. */
export const ACTIVE_SHARE = 0.03;

/** Work buffers, reused between calls of the same size (one frame at a time, synchronous). */
let work: { n: number; kept: Uint8Array; label: Int32Array; stack: Int32Array } | undefined;

/**
 * `changed`: pixels that differ from the background; `active` (optional): pixels that
 * changed between the last analysed frames (a region without enough of them is still).
 */
export function findRegions(
  changed: Uint8Array,
  width: number,
  height: number,
  active?: Uint8Array,
): Regions {
  const n = width * height;
  if (work?.n !== n) {
    work = { n, kept: new Uint8Array(n), label: new Int32Array(n), stack: new Int32Array(n) };
  }
  const { kept, label, stack } = work;
  kept.fill(0);
  label.fill(0);
  // A changed pixel counts when at least two of its four neighbours changed too.
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (!changed[i]) continue;
      const around = (x > 0 ? changed[i - 1] : 0) + (x < width - 1 ? changed[i + 1] : 0) +
        (y > 0 ? changed[i - width] : 0) + (y < height - 1 ? changed[i + width] : 0);
      if (around >= 2) kept[i] = 1;
    }
  }
  type Found = { size: number; active: number; x0: number; y0: number; x1: number; y1: number };
  const found: Found[] = [];
  for (let start = 0; start < n; start++) {
    if (!kept[start] || label[start]) continue;
    const id = found.length + 1;
    const r = { size: 0, active: 0, x0: width, y0: height, x1: -1, y1: -1 };
    let top = 0;
    stack[top++] = start;
    label[start] = id;
    while (top > 0) {
      const i = stack[--top];
      const x = i % width, y = (i - x) / width;
      r.size++;
      if (active?.[i]) r.active++;
      if (x < r.x0) r.x0 = x;
      if (x > r.x1) r.x1 = x;
      if (y < r.y0) r.y0 = y;
      if (y > r.y1) r.y1 = y;
      if (x > 0 && kept[i - 1] && !label[i - 1]) (label[i - 1] = id, stack[top++] = i - 1);
      if (x < width - 1 && kept[i + 1] && !label[i + 1]) (label[i + 1] = id, stack[top++] = i + 1);
      if (y > 0 && kept[i - width] && !label[i - width]) {
        label[i - width] = id;
        stack[top++] = i - width;
      }
      if (y < height - 1 && kept[i + width] && !label[i + width]) {
        label[i + width] = id;
        stack[top++] = i + width;
      }
    }
    const moving = !active ||
      r.active >= Math.max(MIN_REGION_PIXELS, Math.ceil(ACTIVE_SHARE * r.size));
    if (moving) found.push(r);
  }
  let largest = 0;
  for (const r of found) largest = Math.max(largest, r.size);
  const floor = Math.max(MIN_REGION_PIXELS, largest * 0.1);
  let size = 0, x0 = width, y0 = height, x1 = -1, y1 = -1;
  for (const r of found) {
    if (r.size < floor) continue;
    size += r.size;
    x0 = Math.min(x0, r.x0), y0 = Math.min(y0, r.y0);
    x1 = Math.max(x1, r.x1), y1 = Math.max(y1, r.y1);
  }
  if (size === 0) return { area: 0, box: [0, 0, 0, 0] };
  return {
    area: size / n,
    box: [x0 / width, y0 / height, (x1 - x0 + 1) / width, (y1 - y0 + 1) / height],
  };
}

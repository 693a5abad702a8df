/** Number and Markdown-table formatting shared by the parts of RESULTS.md. */
import type { CostRow } from "../cost.ts";
import { verdict } from "../tracker.ts";

export const realtime = (c: CostRow) =>
  verdict(c.timeliness.segments / c.n, c.timeliness.maxLateS, c.timeliness.targetS, c.windowS);

/** `x` with `d` decimals, or "–" when it is missing or not finite. */
export const f = (x: number | undefined, d = 1) =>
  x === undefined || !Number.isFinite(x) ? "–" : x.toFixed(d);
/** Bytes as MB with one decimal. */
export const mb = (b: number) => f(b / 1e6, 1);
/** `a / b` as "1.23×", or "–" when it cannot be computed. */
export const ratio = (a: number, b: number) =>
  Number.isFinite(a / b) && b > 0 ? `${f(a / b, 2)}×` : "–";
/** `x` against `base` in words: "2.50× less" or "1.20× more". */
export const times = (x: number, base: number) =>
  x < base ? `${ratio(base, x)} less` : `${ratio(x, base)} more`;
export const row = (cells: (string | number)[]) => `| ${cells.join(" | ")} |`;

export const NAMES = {
  nvr: "NVR (this project)",
  overlay: "NVR overlay mode",
  ffmpeg: "ffmpeg -c copy -f hls",
  seed: "seed pipeline",
};

/**
 * 7. What motion detection costs: the recorder with detection on (the default) and off
 * (`--motion=off`), side by side in one run, for N cameras on the same 1080p25 source
 * (2 s GOP: one keyframe decoded per camera every 2 s). Each N is measured off, on, off,
 * on, … (`rounds` pairs, alternating, so load that drifts over the run falls on both
 * sides) with bench/cost.ts's meter: the whole process tree, and the gst children alone,
 * after `settleS` of settling (the server's JIT warm-up and the detector's first frames cost
 * a few hundred ms of CPU once: steady state is what a camera costs all day). Other sessions'
 * load makes single rounds noisy: the report takes the median of the rounds.
 */
import { type CostRow, measureCost } from "./cost.ts";
import type { Source } from "./source.ts";

export interface MotionRow {
  n: number;
  /** Detection on: one cost row per round. */
  on: CostRow[];
  /** Detection off (`--motion=off`). */
  off: CostRow[];
}

export async function measureMotion(
  ns: number[],
  rounds: number,
  windowS: number,
  settleS: number,
  source: Source,
  scratch: string,
  log: (m: string) => void,
): Promise<MotionRow[]> {
  const rows: MotionRow[] = [];
  for (const n of ns) {
    const row: MotionRow = { n, on: [], off: [] };
    for (let i = 0; i < rounds; i++) {
      row.off.push(await measureCost("nomotion", n, windowS, source, scratch, log, settleS));
      row.on.push(await measureCost("nvr", n, windowS, source, scratch, log, settleS));
    }
    rows.push(row);
    const added = medianAdded(row, (c) => c.corePerCam);
    log(`motion N=${n}: adds ${(added * 100).toFixed(2)}% of a core per camera`);
  }
  return rows;
}

const ok = (rows: CostRow[]) => rows.filter((c) => !c.error && Number.isFinite(c.corePerCam));
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b), m = s.length >> 1;
  return s.length === 0 ? NaN : s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Median of `pick` over the successful rounds. */
export function medianOf(rows: CostRow[], pick: (c: CostRow) => number | undefined): number {
  return median(ok(rows).map(pick).filter((x): x is number => x !== undefined));
}

/** What detection adds per camera (median on − median off), as a share of one core. */
export function medianAdded(row: MotionRow, pick: (c: CostRow) => number | undefined): number {
  return medianOf(row.on, pick) - medianOf(row.off, pick);
}

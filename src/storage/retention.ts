/**
 * Retention decisions as pure functions: how many bytes to free, and which
 * segments to delete (oldest first, expired first), never a protected one.
 */

export interface SegmentFile {
  gid: number;
  seq: number;
  /** Session folder (date + time). */
  date: string;
  time: string;
  name: string;
  startMs: number;
  durationMs: number;
  bytes: number;
  /** The newest segment of a session still being recorded: never deleted. */
  newestOfOpen?: boolean;
}

export interface KeepSpan {
  gid: number;
  seq: number;
  startMs: number;
  endMs: number;
}

export interface SpaceInput {
  usedBytes: number;
  /** Free bytes on the media filesystem; undefined when unknown. */
  freeBytes?: number;
  budgetBytes: number;
  minFreeBytes: number;
  /**
   * Extra fraction of the budget (and of the minimum free space) freed in one pass,
   * so cleaning runs in batches instead of one segment per pass.
   */
  slack?: number;
}

/** Bytes to delete now so that the budget and the minimum free space hold (0: none). */
export function bytesToFree(s: SpaceInput): number {
  const slack = s.slack ?? 0.02;
  let need = 0;
  if (s.budgetBytes > 0 && s.usedBytes > s.budgetBytes) {
    need = s.usedBytes - s.budgetBytes * (1 - slack);
  }
  if (s.minFreeBytes > 0 && s.freeBytes !== undefined && s.freeBytes < s.minFreeBytes) {
    need = Math.max(need, s.minFreeBytes * (1 + slack) - s.freeBytes);
  }
  return Math.ceil(need);
}

export function isKept(seg: SegmentFile, keeps: KeepSpan[]): boolean {
  const end = seg.startMs + seg.durationMs;
  return keeps.some((k) =>
    k.gid === seg.gid && k.seq === seg.seq && seg.startMs < k.endMs && end > k.startMs
  );
}

export interface PlanInput {
  now: number;
  /** Bytes to free (bytesToFree). */
  needBytes: number;
  /** Per-camera maximum age in ms, undefined for none. */
  maxAgeMs: (gid: number, seq: number) => number | undefined;
  keeps: KeepSpan[];
}

export interface Plan {
  delete: SegmentFile[];
  freedBytes: number;
  /** Bytes still to free that no deletable segment could give (all kept or open). */
  shortfallBytes: number;
  expired: number;
}

/**
 * Chooses the segments to delete: every expired segment (ended before now − max
 * age), then the oldest others until `needBytes` are freed. Keep locks and the
 * newest segment of an open session are never chosen.
 */
export function planDeletions(segments: SegmentFile[], p: PlanInput): Plan {
  const deletable = segments.filter((s) => !s.newestOfOpen && !isKept(s, p.keeps))
    .sort((a, b) => a.startMs - b.startMs || a.gid - b.gid || a.seq - b.seq);
  const chosen = new Set<SegmentFile>();
  let freed = 0;
  let expired = 0;
  for (const s of deletable) {
    const age = p.maxAgeMs(s.gid, s.seq);
    if (age !== undefined && s.startMs + s.durationMs <= p.now - age) {
      chosen.add(s);
      freed += s.bytes;
      expired++;
    }
  }
  for (const s of deletable) {
    if (freed >= p.needBytes) break;
    if (chosen.has(s)) continue;
    chosen.add(s);
    freed += s.bytes;
  }
  const list = [...chosen].sort((a, b) => a.startMs - b.startMs);
  return {
    delete: list,
    freedBytes: freed,
    shortfallBytes: Math.max(0, p.needBytes - freed),
    expired,
  };
}

/** Days of recording that fit in `capacityBytes` at `bytesPerDay` (null when not recording). */
export function forecastDays(capacityBytes: number, bytesPerDay: number): number | null {
  if (!(bytesPerDay > 0) || !(capacityBytes > 0)) return null;
  return Number((capacityBytes / bytesPerDay).toPrecision(2));
}

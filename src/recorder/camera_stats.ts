/** Per-camera counters for health and metrics: bytes, bitrate, segment latency. */

/** Upper bounds (seconds) of the segment latency histogram buckets. */
export const LATENCY_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export interface SegmentStatsView {
  bytesWritten: number;
  /** Bits per second over the last few segments; 0 before the first segment. */
  bitrate: number;
  /** Cumulative counts per bucket of LATENCY_BUCKETS (Prometheus histogram). */
  latencyBuckets: number[];
  latencyCount: number;
  latencySumSeconds: number;
}

export class SegmentStats {
  #bytes = 0;
  #recent: { bytes: number; durationMs: number }[] = [];
  #buckets = LATENCY_BUCKETS.map(() => 0);
  #count = 0;
  #sum = 0;

  constructor(readonly window = 10) {}

  /**
   * One closed segment: its size, duration, and the latency from GStreamer closing it
   * to the segment being listed (live playlist, and session when recording).
   */
  record(bytes: number, durationMs: number, latencyMs: number): void {
    this.#bytes += bytes;
    this.#recent.push({ bytes, durationMs });
    if (this.#recent.length > this.window) this.#recent.shift();
    const s = Math.max(0, latencyMs) / 1000;
    LATENCY_BUCKETS.forEach((le, i) => {
      if (s <= le) this.#buckets[i]++;
    });
    this.#count++;
    this.#sum += s;
  }

  get view(): SegmentStatsView {
    const bytes = this.#recent.reduce((a, r) => a + r.bytes, 0);
    const ms = this.#recent.reduce((a, r) => a + r.durationMs, 0);
    return {
      bytesWritten: this.#bytes,
      bitrate: ms > 0 ? Math.round((bytes * 8 * 1000) / ms) : 0,
      latencyBuckets: [...this.#buckets],
      latencyCount: this.#count,
      latencySumSeconds: this.#sum,
    };
  }
}

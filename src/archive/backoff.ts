/**
 * Retry delays of the uploader after a failure: doubling from 1 s to 30 s. The cap is what
 * a store that comes back after a long outage waits at most before the backlog drains (each
 * failing retry is one cheap request: a PUT or a HEAD of the bucket). Pure.
 */

export const RETRY_MIN_MS = 1000;
export const RETRY_MAX_MS = 30_000;

/** The wait after `failures` failures in a row (0: none). */
export function retryDelayMs(failures: number, min = RETRY_MIN_MS, max = RETRY_MAX_MS): number {
  if (failures <= 0) return 0;
  return Math.min(max, min * 2 ** Math.min(failures - 1, 30));
}

/** The wait so that `bytes` sent in `elapsedMs` stay under `bitsPerSecond` (0: none). */
export function throttleDelayMs(bytes: number, elapsedMs: number, bitsPerSecond?: number): number {
  if (!bitsPerSecond) return 0;
  return Math.max(0, (bytes * 8 * 1000) / bitsPerSecond - elapsedMs);
}

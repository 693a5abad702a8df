/** Capped exponential backoff for restarting a failed child. Pure. */
export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  multiplier: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 1000, maxMs: 30_000, multiplier: 2 };

/** Delay before restart number `attempt` (0 = first restart after a failure). */
export function backoffDelay(attempt: number, o: BackoffOptions = DEFAULT_BACKOFF): number {
  return Math.min(o.maxMs, o.initialMs * o.multiplier ** Math.max(0, attempt));
}

/**
 * Capped exponential backoff with jitter for restarting a failed child. Pure.
 * The default (1 s doubling to 5 minutes, ±20%): a brief outage is retried within
 * about a second, a dead camera settles at one try every 4 to 6 minutes, and cameras
 * that went down together (a switch, a power cut) do not retry in lockstep.
 */
export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  multiplier: number;
  /** Each delay is moved by up to ± this fraction, at random (0: exact). */
  jitter?: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = {
  initialMs: 1000,
  maxMs: 300_000,
  multiplier: 2,
  jitter: 0.2,
};

/**
 * Delay before restart number `attempt` (0 = first restart after a failure).
 * `random` returns a number in [0, 1) (Math.random by default; fixed in tests).
 */
export function backoffDelay(
  attempt: number,
  o: BackoffOptions = DEFAULT_BACKOFF,
  random: () => number = Math.random,
): number {
  const base = Math.min(o.maxMs, o.initialMs * o.multiplier ** Math.max(0, attempt));
  const jitter = o.jitter ?? 0;
  return jitter > 0 ? Math.round(base * (1 + jitter * (2 * random() - 1))) : base;
}

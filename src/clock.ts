/** Time as a dependency, so supervision and scheduling can be tested with a fake clock. */
export interface Clock {
  /** Wall-clock time (epoch ms): what recordings are labelled with. It can step. */
  now(): number;
  /** Monotonic ms for measuring intervals (watchdogs, run durations): never steps. */
  monotonic(): number;
  setTimeout(fn: () => void, ms: number): number;
  clearTimeout(id: number): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms) as unknown as number,
  clearTimeout: (id) => clearTimeout(id),
};

/** Resolves after `ms` on the given clock; `signal` cancels early (resolves false). */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const id = clock.setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clock.clearTimeout(id);
      resolve(false);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Runs `fn` after each wait of `intervalMs()` (read anew every time) until `signal` aborts.
 * A throw from `fn` goes to `onError` and the loop goes on: it runs in the background, where
 * a rejection would end the process.
 */
export async function repeat(
  clock: Clock,
  intervalMs: () => number,
  fn: () => Promise<void>,
  signal: AbortSignal,
  onError: (err: unknown) => void,
): Promise<void> {
  while (await sleep(clock, intervalMs(), signal)) {
    try {
      await fn();
    } catch (err) {
      onError(err);
    }
  }
}

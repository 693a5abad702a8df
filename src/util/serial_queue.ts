/**
 * Runs async tasks one after another, in the order they were queued.
 *
 * One error policy: a task's error goes to exactly one place and the queue goes on.
 * `run` hands it to the caller (who awaits the result); `push` has no caller to hand it
 * to, so it goes to the queue's `onError`. No error is ever left as an unhandled
 * rejection (one ends the process), and a failed task never stops the ones after it.
 */
export class SerialQueue {
  #tail: Promise<unknown> = Promise.resolve();
  #onError: (err: unknown) => void;

  /** `onError`: where a pushed task's error is reported (default: stderr). */
  constructor(onError?: (err: unknown) => void) {
    this.#onError = onError ?? ((err) => console.error(`serial queue: a task failed: ${err}`));
  }

  /**
   * Runs `task` once every task queued before it has settled. A task that fails
   * rejects its own promise only: the tasks after it still run.
   */
  run<T>(task: () => Promise<T> | T): Promise<T> {
    const result = this.#tail.then(() => task());
    this.#tail = result.then(() => {}, () => {/* the caller of run() gets the error */});
    return result;
  }

  /** Queues `task` without waiting for it; its error goes to `onError`. */
  push(task: () => Promise<unknown> | unknown): void {
    this.#tail = this.#tail.then(() => task()).then(() => {}, (err) => {
      try {
        this.#onError(err);
      } catch { /* a reporter that throws must not stop the queue */ }
    });
  }

  /** Resolves once every task queued so far has settled (never rejects). */
  idle(): Promise<void> {
    return this.#tail.then(() => {});
  }
}

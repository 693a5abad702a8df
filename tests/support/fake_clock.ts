/** A clock whose time moves only when a test says so. */
import type { Clock } from "../../src/clock.ts";

export class FakeClock implements Clock {
  /** Monotonic time; the wall clock is this plus every step(). */
  #mono: number;
  #stepped = 0;
  #timers = new Map<number, { at: number; fn: () => void }>();
  #next = 1;

  constructor(start = 1_700_000_000_000) {
    this.#mono = start;
  }

  now(): number {
    return this.#mono + this.#stepped;
  }

  /** Moves with advance() only: a step() of the wall clock does not change it. */
  monotonic(): number {
    return this.#mono;
  }

  /** Steps the wall clock (NTP-style, back or forward); timers are not affected. */
  step(ms: number): void {
    this.#stepped += ms;
  }

  setTimeout(fn: () => void, ms: number): number {
    const id = this.#next++;
    this.#timers.set(id, { at: this.#mono + Math.max(0, ms), fn });
    return id;
  }

  clearTimeout(id: number): void {
    this.#timers.delete(id);
  }

  get pending(): number {
    return this.#timers.size;
  }

  /** Moves time forward, firing due timers in order (and letting promises settle). */
  async advance(ms: number): Promise<void> {
    const end = this.#mono + ms;
    while (true) {
      await flush();
      const due = [...this.#timers.entries()].filter(([, t]) =>
        t.at <= end
      ).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) {
        break;
      }
      this.#timers.delete(due[0]);
      this.#mono = Math.max(this.#mono, due[1].at);
      due[1].fn();
    }
    this.#mono = end;
    await flush();
  }
}

export async function flush(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
  await new Promise((r) => setTimeout(r, 0));
}

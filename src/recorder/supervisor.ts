/**
 * Keeps one child process running: spawns it, restarts it whenever it exits
 * (exit code 0 included: GStreamer exits 0 when the camera closes the stream),
 * waits a capped exponential backoff with jitter between failures (1 s doubling
 * to about 5 minutes; back to quick after a run that delivered; cut short when a
 * source that was unreachable answers again, see `reachable`), kills a child that
 * stalls (the watchdog), and stops it with SIGINT, then SIGKILL after a grace.
 */
import { type Clock, sleep } from "../clock.ts";
import { backoffDelay, type BackoffOptions, DEFAULT_BACKOFF } from "./backoff.ts";
import type { ChildExit, ChildHandle, Spawner } from "./child_process.ts";

export interface RunResult extends ChildExit {
  /** How long the run lasted. */
  durationMs: number;
  /** The watchdog killed it. */
  stalled: boolean;
  /** A line handler marked the run as healthy (e.g. it produced a segment). */
  healthy: boolean;
}

export interface SupervisorOptions {
  spawn: Spawner;
  command: string;
  /** Rebuilt before every run. */
  args: () => string[];
  clock: Clock;
  /** Kill the child when `kick()` was not called for this long. */
  stallMs: number;
  /** Time between SIGINT and SIGKILL when stopping. */
  stopGraceMs: number;
  backoff?: BackoffOptions;
  /** Random numbers in [0, 1) for the backoff's jitter (default Math.random). */
  random?: () => number;
  onStart?: (child: ChildHandle) => void;
  onLine?: (stream: "stdout" | "stderr", line: string) => void;
  /**
   * Asked every `probeMs` while a failed run's backoff is waited out: when the source did
   * not answer at the first ask and answers at a later one (it came back), the wait ends
   * and the next run starts. A source that answers all along (it fails for another
   * reason) waits its whole backoff.
   */
  reachable?: () => Promise<boolean>;
  /** Time between two `reachable` asks (default 5 s). */
  probeMs?: number;
  /** Returns the delay before the next run; by default capped backoff on failures. */
  onExit?: (result: RunResult, defaultDelayMs: number) => number | void;
  /**
   * A callback above threw, or the loop failed: reported here (default: stderr). The
   * loop goes on; an error must never float out as an unhandled rejection, which ends
   * the process and every camera with it.
   */
  onError?: (what: string, err: unknown) => void;
}

export class Supervisor {
  #o: SupervisorOptions;
  #child?: ChildHandle;
  #stop = new AbortController();
  #loop?: Promise<void>;
  #lastKick = 0;
  #healthy = false;
  #stalled = false;
  #failures = 0;
  #watchdog?: number;
  #report: (what: string, err: unknown) => void;

  constructor(options: SupervisorOptions) {
    const report = options.onError ??
      ((what: string, err: unknown) => console.error(`supervisor: ${what} failed: ${err}`));
    const guard = <A extends unknown[], R>(what: string, fn?: (...a: A) => R) =>
      fn &&
      ((...a: A): R | undefined => {
        try {
          return fn(...a);
        } catch (err) {
          report(what, err);
          return undefined;
        }
      });
    this.#report = report;
    this.#o = {
      ...options,
      onStart: guard("onStart", options.onStart),
      onLine: guard("onLine", options.onLine),
      onExit: guard("onExit", options.onExit),
    };
  }

  get running(): boolean {
    return this.#child !== undefined;
  }

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  start(): void {
    this.#loop ??= this.#run().catch((err) => this.#report("restart loop", err));
  }

  /** Resets the watchdog; `healthy` marks the current run as a success. */
  kick(healthy = true): void {
    this.#lastKick = this.#o.clock.monotonic();
    if (healthy) this.#healthy = true;
  }

  /**
   * Stops the child (SIGINT, then SIGKILL after the grace) and the restart loop.
   * `signalledMs`: the child already got a SIGINT (Ctrl-C reaches the whole process
   * group); wait this long for it to finish on its own, as a second SIGINT would make
   * gst-launch abort without finalizing the last segment.
   */
  async stop(signalledMs = 0): Promise<void> {
    this.#stop.abort();
    const child = this.#child;
    let exited = false;
    if (child && signalledMs > 0) {
      let timer: number | undefined;
      const waited = new Promise<boolean>((r) =>
        timer = this.#o.clock.setTimeout(() => r(false), signalledMs)
      );
      exited = await Promise.race([child.status.then(() => true), waited]);
      this.#o.clock.clearTimeout(timer!);
    }
    if (child && !exited) await this.#terminate(child);
    await this.#loop;
  }

  /**
   * Ends the current run (the loop restarts it): the camera's options changed, or its
   * stream turned out to be other than the pipeline was built for.
   * `discard`: the run's output is not kept, so it is killed at once instead of being
   * asked to finish its segment (EOS can take long while a source is still starting).
   */
  async restartNow(discard = false): Promise<void> {
    const child = this.#child;
    if (child) await this.#terminate(child, discard ? "SIGKILL" : "SIGINT");
  }

  async #terminate(child: ChildHandle, signal: "SIGINT" | "SIGKILL" = "SIGINT"): Promise<void> {
    child.kill(signal);
    const { clock, stopGraceMs } = this.#o;
    let timer: number | undefined;
    const killed = new Promise<void>((resolve) => {
      timer = clock.setTimeout(() => {
        child.kill("SIGKILL");
        resolve();
      }, stopGraceMs);
    });
    await Promise.race([child.status, killed]);
    clock.clearTimeout(timer!);
    await child.status;
  }

  #armWatchdog(child: ChildHandle): void {
    const { clock, stallMs } = this.#o;
    const check = () => {
      if (this.#child !== child) return;
      if (clock.monotonic() - this.#lastKick >= stallMs) {
        this.#stalled = true;
        this.#terminate(child).catch((err) => this.#report("watchdog", err));
        return;
      }
      this.#watchdog = clock.setTimeout(
        check,
        Math.max(50, this.#lastKick + stallMs - clock.monotonic()),
      );
    };
    this.#watchdog = clock.setTimeout(check, stallMs);
  }

  async #run(): Promise<void> {
    const o = this.#o;
    while (!this.#stop.signal.aborted) {
      const startedAt = o.clock.monotonic();
      this.#lastKick = startedAt;
      this.#healthy = false;
      this.#stalled = false;
      let child: ChildHandle;
      try {
        child = o.spawn(o.command, o.args());
      } catch (err) {
        const result: RunResult = {
          code: -1,
          signal: null,
          durationMs: 0,
          stalled: false,
          healthy: false,
        };
        o.onLine?.("stderr", `ERROR: from element spawn: ${(err as Error).message}`);
        await this.#pause(result);
        continue;
      }
      this.#child = child;
      o.onStart?.(child);
      this.#armWatchdog(child);
      for await (const { stream, line } of child.lines) o.onLine?.(stream, line);
      const exit = await child.status;
      o.clock.clearTimeout(this.#watchdog!);
      this.#child = undefined;
      const result: RunResult = {
        ...exit,
        durationMs: o.clock.monotonic() - startedAt,
        stalled: this.#stalled,
        healthy: this.#healthy,
      };
      if (this.#stop.signal.aborted) {
        o.onExit?.(result, 0);
        break;
      }
      await this.#pause(result);
    }
  }

  /**
   * Waits before the next run: 500 ms after a run that stayed up (it delivered, see
   * kick), which also resets the backoff; else the backoff of the failures in a row.
   */
  async #pause(result: RunResult): Promise<void> {
    if (result.healthy) this.#failures = 0;
    const delay = backoffDelay(
      this.#failures,
      this.#o.backoff ?? DEFAULT_BACKOFF,
      this.#o.random,
    );
    if (!result.healthy) this.#failures++;
    const chosen = this.#o.onExit?.(result, result.healthy ? 500 : delay) ??
      (result.healthy ? 500 : delay);
    const probeMs = this.#o.probeMs ?? 5000;
    if (result.healthy || !this.#o.reachable || chosen <= probeMs) {
      await sleep(this.#o.clock, chosen, this.#stop.signal);
      return;
    }
    await this.#waitOrReturn(chosen, probeMs, this.#o.reachable);
  }

  /** Sleeps `ms`, but wakes early when an unreachable source starts answering. */
  async #waitOrReturn(ms: number, probeMs: number, reachable: () => Promise<boolean>) {
    const { clock } = this.#o;
    const end = clock.monotonic() + ms;
    const ask = () =>
      reachable().catch((err) => {
        this.#report("reachable", err);
        return false;
      });
    const answeredAtFirst = await ask();
    while (!this.#stop.signal.aborted) {
      const left = end - clock.monotonic();
      if (left <= 0) return;
      if (!(await sleep(clock, Math.min(probeMs, left), this.#stop.signal))) return;
      if (!answeredAtFirst && end - clock.monotonic() > 0 && await ask()) return;
    }
  }
}

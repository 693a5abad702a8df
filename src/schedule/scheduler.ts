/**
 * Applies recording schedules. Precedence with manual isRec: the schedule acts only
 * at its edges (and when it is set or the server starts: its current state is
 * applied then); a manual change (PUT /api/camera/record/status or PUT /api/camera)
 * holds until the schedule's next edge.
 */
import type { Clock } from "../clock.ts";
import type { Logger } from "../log.ts";
import { nextEdge, type Schedule, scheduledOn } from "./schedule.ts";

/** Re-plans at least this often (the wall clock may have been stepped). */
const MAX_WAIT_MS = 3_600_000;

export interface SchedulerDeps {
  clock: Clock;
  log: Logger;
  schedules: () => { gid: number; seq: number; schedule: Schedule }[];
  apply: (gid: number, seq: number, on: boolean) => Promise<unknown>;
}

/**
 * One camera's chain of timers. It stays registered while an edge is being applied
 * (between two timers), so that sync() does not start a second chain then; a chain
 * that is no longer the registered one stops at its next step.
 */
interface Chain {
  timer?: number;
}

export class Scheduler {
  #d: SchedulerDeps;
  #chains = new Map<string, Chain>();
  #stopped = false;

  constructor(deps: SchedulerDeps) {
    this.#d = deps;
  }

  /** Applies every enabled schedule's current state and plans the next edges. */
  async start(): Promise<void> {
    for (const { gid, seq, schedule } of this.#d.schedules()) {
      await this.set(gid, seq, schedule);
    }
  }

  /** (Re)plans one camera; applies the schedule's current state now. */
  async set(gid: number, seq: number, schedule?: Schedule): Promise<void> {
    this.clear(gid, seq);
    if (!schedule?.enabled || this.#stopped) return;
    const chain: Chain = {};
    this.#chains.set(`${gid}/${seq}`, chain);
    await this.#apply(gid, seq, scheduledOn(schedule, this.#d.clock.now()));
    this.#plan(gid, seq, schedule, chain);
  }

  /**
   * Follows settings changed elsewhere (a camera deleted or moved to another group):
   * plans schedules that have no timer (without applying their current state: the
   * next edge decides) and drops timers of cameras that no longer have one.
   */
  sync(): void {
    if (this.#stopped) return;
    const wanted = new Map(
      this.#d.schedules().filter((x) => x.schedule.enabled).map((x) => [`${x.gid}/${x.seq}`, x]),
    );
    for (const k of [...this.#chains.keys()]) {
      if (!wanted.has(k)) this.clear(...(k.split("/").map(Number) as [number, number]));
    }
    for (const [k, x] of wanted) {
      if (this.#chains.has(k)) continue;
      const chain: Chain = {};
      this.#chains.set(k, chain);
      this.#plan(x.gid, x.seq, x.schedule, chain);
    }
  }

  /** Ends the camera's chain: its timer is cancelled, an edge being applied plans nothing. */
  clear(gid: number, seq: number): void {
    const k = `${gid}/${seq}`;
    const chain = this.#chains.get(k);
    if (chain?.timer !== undefined) this.#d.clock.clearTimeout(chain.timer);
    this.#chains.delete(k);
  }

  stop(): void {
    this.#stopped = true;
    for (const k of [...this.#chains.keys()]) {
      this.clear(...(k.split("/").map(Number) as [number, number]));
    }
  }

  /** Plans the chain's next edge, unless the chain was cleared or replaced meanwhile. */
  #plan(gid: number, seq: number, schedule: Schedule, chain: Chain): void {
    const k = `${gid}/${seq}`;
    if (this.#stopped || this.#chains.get(k) !== chain) return;
    const now = this.#d.clock.now();
    const edge = nextEdge(schedule, now);
    if (!edge) {
      this.#chains.delete(k);
      return;
    }
    const wait = Math.min(MAX_WAIT_MS, Math.max(0, edge.at - now));
    chain.timer = this.#d.clock.setTimeout(async () => {
      chain.timer = undefined;
      if (this.#d.clock.now() >= edge.at) await this.#apply(gid, seq, edge.on);
      try {
        this.#plan(gid, seq, schedule, chain);
      } catch (err) {
        // A timer callback: a throw here would be an unhandled rejection (process exit).
        this.#d.log.error("schedule: cannot plan the next edge", {
          camera: k,
          error: (err as Error).message,
        });
      }
    }, wait);
  }

  async #apply(gid: number, seq: number, on: boolean): Promise<void> {
    try {
      await this.#d.apply(gid, seq, on);
    } catch (err) {
      this.#d.log.warn("schedule: cannot apply", {
        camera: `${gid}/${seq}`,
        error: (err as Error).message,
      });
    }
  }
}

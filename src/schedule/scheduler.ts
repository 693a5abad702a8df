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

export class Scheduler {
  #d: SchedulerDeps;
  #timers = new Map<string, number>();
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
    await this.#apply(gid, seq, scheduledOn(schedule, this.#d.clock.now()));
    this.#plan(gid, seq, schedule);
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
    for (const k of [...this.#timers.keys()]) {
      if (!wanted.has(k)) this.clear(...(k.split("/").map(Number) as [number, number]));
    }
    for (const [k, x] of wanted) if (!this.#timers.has(k)) this.#plan(x.gid, x.seq, x.schedule);
  }

  clear(gid: number, seq: number): void {
    const k = `${gid}/${seq}`;
    const t = this.#timers.get(k);
    if (t !== undefined) this.#d.clock.clearTimeout(t);
    this.#timers.delete(k);
  }

  stop(): void {
    this.#stopped = true;
    for (const t of this.#timers.values()) this.#d.clock.clearTimeout(t);
    this.#timers.clear();
  }

  #plan(gid: number, seq: number, schedule: Schedule): void {
    const now = this.#d.clock.now();
    const edge = nextEdge(schedule, now);
    if (!edge || this.#stopped) return;
    const wait = Math.min(MAX_WAIT_MS, Math.max(0, edge.at - now));
    const timer = this.#d.clock.setTimeout(async () => {
      this.#timers.delete(`${gid}/${seq}`);
      if (this.#d.clock.now() >= edge.at) await this.#apply(gid, seq, edge.on);
      this.#plan(gid, seq, schedule);
    }, wait);
    this.#timers.set(`${gid}/${seq}`, timer);
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

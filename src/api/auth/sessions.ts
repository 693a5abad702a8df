/** Login sessions kept in memory (a restart signs everyone out); bounded and expiring. */
import type { Role } from "../../config/config.ts";
import { randomId } from "./secrets.ts";

export interface Session {
  id: string;
  user: string;
  role: Role;
  /** Sent back in the `X-CSRF-Token` header on every state-changing request. */
  csrf: string;
  expires: number;
}

/** Sessions one user may hold (browsers, devices); a new sign-in ends that user's oldest. */
export const SESSIONS_PER_USER = 10;
/** Sessions in all; reached only with many users, then the users with the most lose their oldest. */
export const MAX_SESSIONS = 1000;

export class Sessions {
  #byId = new Map<string, Session>();
  readonly perUser: number;
  readonly max: number;

  constructor(
    readonly ttlMs: number,
    readonly now: () => number = Date.now,
    limits: { perUser?: number; max?: number } = {},
  ) {
    this.perUser = limits.perUser ?? SESSIONS_PER_USER;
    this.max = limits.max ?? MAX_SESSIONS;
  }

  get size(): number {
    return this.#byId.size;
  }

  create(user: string, role: Role): Session {
    this.#sweep();
    // Map order is creation order: the first found is the oldest.
    const mine = [...this.#byId.values()].filter((s) => s.user === user);
    for (const s of mine.slice(0, Math.max(0, mine.length - this.perUser + 1))) {
      this.#byId.delete(s.id);
    }
    while (this.#byId.size >= this.max) this.#evictFromLargest();
    const s = { id: randomId(), user, role, csrf: randomId(), expires: this.now() + this.ttlMs };
    this.#byId.set(s.id, s);
    return s;
  }

  /** Ends the oldest session of the user who holds the most (never a lone session first). */
  #evictFromLargest() {
    const counts = new Map<string, number>();
    for (const s of this.#byId.values()) counts.set(s.user, (counts.get(s.user) ?? 0) + 1);
    const top = Math.max(...counts.values());
    for (const s of this.#byId.values()) {
      if (counts.get(s.user) === top) return void this.#byId.delete(s.id);
    }
  }

  get(id: string | undefined): Session | undefined {
    if (!id) return undefined;
    const s = this.#byId.get(id);
    if (!s) return undefined;
    if (s.expires <= this.now()) {
      this.#byId.delete(id);
      return undefined;
    }
    return s;
  }

  delete(id: string | undefined) {
    if (id) this.#byId.delete(id);
  }

  #sweep() {
    const now = this.now();
    for (const [id, s] of this.#byId) if (s.expires <= now) this.#byId.delete(id);
  }
}

/**
 * Counts failed credential checks per key (a user name, a client address); after `max`
 * failures the key is locked until `lockMs` after its last failure. At most `capacity` keys
 * are remembered: when full, expired entries go first, then the oldest that are not locked;
 * a lock is never dropped before it expires (a key that finds the map full of locks is not
 * tracked: the other key of the same attempt still is).
 */
export class LoginThrottle {
  /** Ordered by last failure (re-inserted on each), so the oldest come first. */
  #fails = new Map<string, { count: number; until: number }>();
  constructor(
    readonly max = 5,
    readonly lockMs = 30_000,
    readonly now = Date.now,
    readonly capacity = 10_000,
  ) {}

  get size(): number {
    return this.#fails.size;
  }

  locked(key: string): boolean {
    return this.retryAfterMs(key) > 0;
  }

  /** Milliseconds until the key's lock ends; 0 when not locked. */
  retryAfterMs(key: string): number {
    const f = this.#fails.get(key);
    return f && f.count >= this.max ? Math.max(0, f.until - this.now()) : 0;
  }

  failed(key: string) {
    const now = this.now();
    const f = this.#fails.get(key);
    const count = !f || f.until <= now ? 1 : f.count + 1;
    this.#fails.delete(key);
    if (this.#fails.size >= this.capacity && !this.#makeRoom(now)) return;
    this.#fails.set(key, { count, until: now + this.lockMs });
  }

  succeeded(key: string) {
    this.#fails.delete(key);
  }

  #makeRoom(now: number): boolean {
    for (const [key, f] of this.#fails) {
      if (f.until <= now || f.count < this.max) {
        this.#fails.delete(key);
        return true;
      }
    }
    return false;
  }
}

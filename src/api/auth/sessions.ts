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

const MAX_SESSIONS = 1000;

export class Sessions {
  #byId = new Map<string, Session>();

  constructor(readonly ttlMs: number, readonly now: () => number = Date.now) {}

  create(user: string, role: Role): Session {
    this.#sweep();
    if (this.#byId.size >= MAX_SESSIONS) {
      // Oldest first (Map keeps insertion order).
      this.#byId.delete(this.#byId.keys().next().value!);
    }
    const s = { id: randomId(), user, role, csrf: randomId(), expires: this.now() + this.ttlMs };
    this.#byId.set(s.id, s);
    return s;
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

/** Counts failed logins per user name; locks the name for a while after too many. */
export class LoginThrottle {
  #fails = new Map<string, { count: number; until: number }>();
  constructor(readonly max = 5, readonly lockMs = 30_000, readonly now = Date.now) {}

  locked(name: string): boolean {
    const f = this.#fails.get(name);
    return !!f && f.count >= this.max && f.until > this.now();
  }

  failed(name: string) {
    const f = this.#fails.get(name);
    const expired = !f || f.until <= this.now();
    const count = expired ? 1 : f.count + 1;
    if (this.#fails.size > 10_000) this.#fails.clear();
    this.#fails.set(name, { count, until: this.now() + this.lockMs });
  }

  succeeded(name: string) {
    this.#fails.delete(name);
  }
}

/**
 * Access control as one Hono middleware (installed only when a token or a user is
 * configured). Who is asking, in order: `Authorization: Bearer <api token>` (admin),
 * `Authorization: Basic` (GET/HEAD only: native players such as VLC), or the
 * `nvr_session` cookie set by a login (browsers; hls.js and <video> send it with
 * every playlist and segment request). Viewers may read everything (pages, API GETs,
 * media, exports); changes need the admin role. A cookie session must also send
 * its CSRF token in `X-CSRF-Token` on every state-changing request.
 *
 * Every credential check (Basic, the sign-in form and JSON, the API token) counts failures
 * per user name and per client address and answers `429` while either is locked. Passwords
 * are hashed off the event loop (WebCrypto PBKDF2, at most two at once); a name that is not
 * configured costs the same hash as one that is, and verified credentials are remembered for
 * a minute so native players do not pay a hash per segment.
 */
import type { Context, MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import type { AuthConfig, Role } from "../../config/config.ts";
import type { Logger } from "../../log.ts";
import {
  fingerprint,
  type Hasher,
  PBKDF2,
  pbkdf2,
  randomId,
  safeEqual,
  verifyPassword,
} from "./secrets.ts";
import { LoginThrottle, type Session, Sessions } from "./sessions.ts";

declare module "hono" {
  interface ContextVariableMap {
    /** Set on public routes (health) when the request carries no valid credentials. */
    anonymous: boolean;
  }
}

/** True when access control is on and this request to a public route has no valid credentials. */
export const isAnonymous = (c: Context): boolean => c.get("anonymous") === true;

/**
 * The client as the per-client throttle counts it: its IPv4 address, or the /64 network of an
 * IPv6 address (one host usually holds a whole /64 and can pick any address in it); "local"
 * in process.
 */
export const clientOf = (c: Context): string => {
  const address = (c.env as { remoteAddr?: { hostname?: string } } | undefined)?.remoteAddr
    ?.hostname;
  if (!address) return "local";
  return address.includes(":") ? ipv6Network(address) : address;
};

/** `2001:db8:1:2::5` → `2001:db8:1:2::/64` (IPv4-mapped addresses stay as they are). */
export function ipv6Network(address: string): string {
  const bare = address.replace(/^\[|\]$/g, "").replace(/%.*$/, "").toLowerCase();
  if (/^::ffff:\d+\.\d+\.\d+\.\d+$/.test(bare)) return bare.slice(7);
  const [head, tail] = bare.split("::");
  const left = head ? head.split(":") : [];
  const right = tail !== undefined && tail !== "" ? tail.split(":") : [];
  const groups = tail === undefined
    ? left
    : [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right];
  return groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, "")).join(":") + "::/64";
}

/** Wrong passwords per user name before it is locked, and per client address. */
export const USER_FAILURES = 5;
export const CLIENT_FAILURES = 20;
/** How long a lock lasts after the last failure. */
export const LOCK_MS = 30_000;
const VERIFIED_MS = 60_000;
const VERIFIED_MAX = 1000;
const HASHES_AT_ONCE = 2;

/** A check's outcome: who, wrong credentials, or locked (too many failures). */
export type Verdict = Principal | "bad" | "locked";

export interface AuthOptions {
  hasher?: Hasher;
  now?: () => number;
}

/** At most `n` tasks at once (the PBKDF2 work must not take every core from the recorder). */
class Slots {
  #free: number;
  #queue: (() => void)[] = [];
  constructor(n: number) {
    this.#free = n;
  }
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#free > 0) this.#free--;
    else await new Promise<void>((r) => this.#queue.push(r));
    try {
      return await fn();
    } finally {
      const next = this.#queue.shift();
      if (next) next();
      else this.#free++;
    }
  }
}

export const SESSION_COOKIE = "nvr_session";
export const CSRF_COOKIE = "nvr_csrf";
export const CSRF_HEADER = "x-csrf-token";

export interface Principal {
  user: string;
  role: Role;
  via: "token" | "basic" | "session";
  session?: Session;
}

export const authEnabled = (c: AuthConfig) => !!c.apiToken || c.users.length > 0;

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);
/** Reachable without credentials: the sign-in endpoints, health, the (public) UI bundle. */
const PUBLIC = [/^\/login$/, /^\/api\/auth\/(login|logout)$/, /^\/api\/health$/, /^\/assets\//];
const PAGES = /^\/(recordings|review|cameras)?$/;

const fail = (c: Context, status: 401 | 403, error: string, challenge?: string) => {
  if (challenge) c.header("WWW-Authenticate", challenge);
  c.header("cache-control", "no-store");
  return c.json({ status: 0, error }, status);
};

export class Auth {
  readonly sessions: Sessions;
  /** Failures per user name and per client address (every credential path). */
  readonly users: LoginThrottle;
  readonly clients: LoginThrottle;
  #verified = new Map<string, { p: Principal; until: number }>();
  #hasher: Hasher;
  #now: () => number;
  #slots = new Slots(HASHES_AT_ONCE);
  /** The hash spent on names without a hashed password (the configured users' cost). */
  #dummy?: { salt: Uint8Array; iterations: number };

  constructor(readonly config: AuthConfig, readonly log: Logger, opts: AuthOptions = {}) {
    this.#now = opts.now ?? Date.now;
    this.#hasher = opts.hasher ?? pbkdf2;
    this.sessions = new Sessions(config.sessionHours * 3_600_000, this.#now);
    this.users = new LoginThrottle(USER_FAILURES, LOCK_MS, this.#now);
    this.clients = new LoginThrottle(CLIENT_FAILURES, LOCK_MS, this.#now);
    const iterations = Math.max(
      0,
      ...config.users.map((u) => Number(PBKDF2.exec(u.password)?.[1] ?? 0)),
    );
    if (iterations > 0) {
      this.#dummy = { salt: new TextEncoder().encode(randomId().slice(0, 16)), iterations };
    }
  }

  /** Seconds until neither the name nor the client is locked. */
  retryAfter(name: string | undefined, client: string): number {
    const ms = Math.max(
      name ? this.users.retryAfterMs(name) : 0,
      this.clients.retryAfterMs(client),
    );
    return Math.max(1, Math.ceil((ms || LOCK_MS) / 1000));
  }

  /**
   * Checks a user name and password from `client`: "locked" while the name or the client
   * is locked, "bad" when wrong (counted for both), the principal when right.
   */
  async verify(name: string, password: string, client = "local"): Promise<Verdict> {
    if (this.users.locked(name) || this.clients.locked(client)) return "locked";
    const now = this.#now();
    const key = fingerprint(`${name}\u0000${password}`);
    const hit = this.#verified.get(key);
    if (hit && hit.until > now) return hit.p;
    const p = await this.#check(name, password, client);
    if (p === "locked") return p;
    if (!p) {
      this.users.failed(name);
      this.clients.failed(client);
      return "bad";
    }
    this.users.succeeded(name);
    this.#verified.delete(key);
    for (const [k, v] of this.#verified) {
      if (this.#verified.size < VERIFIED_MAX && v.until > now) break;
      this.#verified.delete(k); // oldest first (insertion order)
    }
    this.#verified.set(key, { p, until: now + VERIFIED_MS });
    return p;
  }

  /**
   * One PBKDF2 whatever the name: the user's own, or a dummy one of the same cost. The lock
   * is checked again once a hash slot is free: guesses sent all at once wait here, and are
   * refused without a hash once the failures before them locked the name or the client.
   */
  #check(
    name: string,
    password: string,
    client: string,
  ): Promise<Principal | "locked" | undefined> {
    const user = this.config.users.find((u) => safeEqual(u.name, name));
    return this.#slots.run(async () => {
      if (this.users.locked(name) || this.clients.locked(client)) return "locked";
      let ok: boolean;
      if (user && PBKDF2.test(user.password)) {
        ok = await verifyPassword(password, user.password, this.#hasher);
      } else {
        if (this.#dummy) await this.#hasher(password, this.#dummy.salt, this.#dummy.iterations);
        ok = !!user && safeEqual(password, user.password);
      }
      return user && ok ? { user: user.name, role: user.role, via: "basic" as const } : undefined;
    });
  }

  /** Who sent the request; "bad" when credentials were sent but are wrong, "locked" when throttled. */
  async identify(c: Context): Promise<Verdict | undefined> {
    const header = c.req.header("authorization");
    const client = clientOf(c);
    if (header) {
      const [scheme, value = ""] = header.trim().split(/\s+/, 2);
      if (/^bearer$/i.test(scheme)) {
        if (this.clients.locked(client)) return "locked";
        const token = this.config.apiToken;
        if (token && safeEqual(value, token)) {
          return { user: "api-token", role: "admin", via: "token" };
        }
        this.clients.failed(client);
        return "bad";
      }
      if (/^basic$/i.test(scheme)) return await this.#basic(value, client);
      return "bad";
    }
    const session = this.sessions.get(getCookie(c, SESSION_COOKIE));
    return session
      ? { user: session.user, role: session.role, via: "session", session }
      : undefined;
  }

  async #basic(value: string, client: string): Promise<Verdict> {
    let decoded: string;
    try {
      decoded = new TextDecoder("utf-8", { fatal: true }).decode(
        Uint8Array.from(atob(value), (ch) => ch.charCodeAt(0)),
      );
    } catch (err) {
      // Not base64 (atob: a DOMException) or not UTF-8 (the decoder: a TypeError).
      if (err instanceof DOMException || err instanceof TypeError) return "bad";
      throw err;
    }
    const colon = decoded.indexOf(":");
    if (colon < 1) return "bad";
    const p = await this.verify(
      decoded.slice(0, colon).slice(0, 64),
      decoded.slice(colon + 1),
      client,
    );
    return typeof p === "string" ? p : { ...p, via: "basic" };
  }

  /** 429 with Retry-After, for a locked name or client. */
  tooMany(c: Context, name?: string) {
    const s = this.retryAfter(name, clientOf(c));
    c.header("Retry-After", String(s));
    c.header("cache-control", "no-store");
    return c.json({ status: 0, error: `too many failed attempts: try again in ${s} s` }, 429);
  }

  /** True when the request carries the session's CSRF token (header or form field). */
  csrfOk(session: Session, sent: string | undefined): boolean {
    return typeof sent === "string" && safeEqual(sent, session.csrf);
  }

  middleware(): MiddlewareHandler {
    return async (c, next) => {
      const path = c.req.path;
      if (PUBLIC.some((re) => re.test(path))) {
        if (path === "/api/health") {
          const who = await this.identify(c);
          if (!who || typeof who === "string") c.set("anonymous", true);
        }
        return await next();
      }
      const who = await this.identify(c);
      const api = path.startsWith("/api/");
      if (who === "locked") return this.tooMany(c);
      if (who === "bad") {
        this.log.warn("rejected credentials", { path: path.slice(0, 200) });
        return fail(c, 401, "invalid credentials", api ? 'Bearer realm="nvr"' : undefined);
      }
      if (!who) {
        if (c.req.method === "GET" && PAGES.test(path)) {
          const next = path + (new URL(c.req.url).search || "");
          return c.redirect(`/login?next=${encodeURIComponent(next)}`, 303);
        }
        // Media: a Basic challenge lets native players (VLC, ffplay) send credentials.
        const challenge = api ? 'Bearer realm="nvr"' : 'Basic realm="nvr", charset="UTF-8"';
        return fail(c, 401, "authentication required", challenge);
      }
      if (SAFE.has(c.req.method)) return await next();
      if (who.via === "basic") {
        return fail(c, 403, "Basic credentials are for viewing only: sign in or use the API token");
      }
      if (who.session && !this.csrfOk(who.session, c.req.header(CSRF_HEADER))) {
        return fail(
          c,
          403,
          "missing or wrong CSRF token (send the nvr_csrf cookie's value in X-CSRF-Token)",
        );
      }
      if (who.role !== "admin") return fail(c, 403, "this needs the admin role");
      return await next();
    };
  }
}

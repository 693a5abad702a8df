/**
 * Access control as one Hono middleware (installed only when a token or a user is
 * configured). Who is asking, in order: `Authorization: Bearer <api token>` (admin),
 * `Authorization: Basic` (GET/HEAD only: native players such as VLC), or the
 * `nvr_session` cookie set by a login (browsers; hls.js and <video> send it with
 * every playlist and segment request). Viewers may read everything (pages, API GETs,
 * media, exports); changes need the admin role. A cookie session must also send
 * its CSRF token in `X-CSRF-Token` on every state-changing request.
 */
import type { Context, MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import type { AuthConfig, Role } from "../../config/config.ts";
import type { Logger } from "../../log.ts";
import { fingerprint, safeEqual, verifyPassword } from "./secrets.ts";
import { type Session, Sessions } from "./sessions.ts";

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
const PAGES = /^\/(recordings|cameras)?$/;

const fail = (c: Context, status: 401 | 403, error: string, challenge?: string) => {
  if (challenge) c.header("WWW-Authenticate", challenge);
  c.header("cache-control", "no-store");
  return c.json({ status: 0, error }, status);
};

export class Auth {
  readonly sessions: Sessions;
  #basicCache = new Map<string, { p: Principal; until: number }>();

  constructor(readonly config: AuthConfig, readonly log: Logger) {
    this.sessions = new Sessions(config.sessionHours * 3_600_000);
  }

  /** Checks a user name and password; undefined when wrong (same work for unknown names). */
  checkPassword(name: string, password: string): Principal | undefined {
    const user = this.config.users.find((u) => safeEqual(u.name, name));
    const ok = verifyPassword(password, user?.password ?? "\u0000no user");
    return user && ok ? { user: user.name, role: user.role, via: "basic" } : undefined;
  }

  /** Who sent the request; "bad" when credentials were sent but are wrong. */
  identify(c: Context): Principal | "bad" | undefined {
    const header = c.req.header("authorization");
    if (header) {
      const [scheme, value = ""] = header.trim().split(/\s+/, 2);
      if (/^bearer$/i.test(scheme)) {
        const token = this.config.apiToken;
        return token && safeEqual(value, token)
          ? { user: "api-token", role: "admin", via: "token" }
          : "bad";
      }
      if (/^basic$/i.test(scheme)) return this.#basic(value);
      return "bad";
    }
    const session = this.sessions.get(getCookie(c, SESSION_COOKIE));
    return session
      ? { user: session.user, role: session.role, via: "session", session }
      : undefined;
  }

  #basic(value: string): Principal | "bad" {
    const now = Date.now();
    const key = fingerprint(value);
    const hit = this.#basicCache.get(key);
    if (hit && hit.until > now) return hit.p;
    let decoded: string;
    try {
      decoded = new TextDecoder("utf-8", { fatal: true }).decode(
        Uint8Array.from(atob(value), (ch) => ch.charCodeAt(0)),
      );
    } catch {
      return "bad";
    }
    const colon = decoded.indexOf(":");
    if (colon < 1) return "bad";
    const p = this.checkPassword(decoded.slice(0, colon), decoded.slice(colon + 1));
    if (!p) return "bad";
    // Native players fetch a segment every few seconds: don't run PBKDF2 each time.
    if (this.#basicCache.size > 1000) this.#basicCache.clear();
    this.#basicCache.set(key, { p, until: now + 60_000 });
    return p;
  }

  /** True when the request carries the session's CSRF token (header or form field). */
  csrfOk(session: Session, sent: string | undefined): boolean {
    return typeof sent === "string" && safeEqual(sent, session.csrf);
  }

  middleware(): MiddlewareHandler {
    return async (c, next) => {
      const path = c.req.path;
      if (PUBLIC.some((re) => re.test(path))) return await next();
      const who = this.identify(c);
      const api = path.startsWith("/api/");
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

/**
 * Sign-in endpoints (only when access control is on):
 *   GET  /login                  the sign-in page
 *   POST /login                  form post (user, password, next) → cookies + 303 to next
 *   POST /api/auth/login         JSON {user, password} → cookies + {status, user, role, csrf}
 *   POST /api/auth/logout        ends the cookie session (needs its CSRF token)
 *   GET  /api/auth/me            who the request is authenticated as (also with access
 *                                control off: everyone may do everything, `{auth: false}`)
 */
import { Hono } from "hono";
import type { Context } from "hono";
import { deleteCookie, setCookie } from "hono/cookie";
import { z } from "zod";
import { HttpError, readBody } from "../http_errors.ts";
import { type Auth, clientOf, CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE } from "./guard.ts";
import type { Session } from "./sessions.ts";

const Login = z.strictObject({
  user: z.string({ error: "must be a string" }).min(1, "must not be empty").max(64),
  password: z.string({ error: "must be a string" }).min(1, "must not be empty").max(1024),
});

/** Only local paths (`/x`), never `//host` or `/\host`, so a link cannot send users away. */
export const safeNext = (next: unknown) =>
  typeof next === "string" && /^\/(?![/\\])[\x21-\x7e]*$/.test(next) && next.length < 2000
    ? next
    : "/";

/** A login must come from this site: an Origin, when sent, must match our host. */
function sameOrigin(c: Context, publicUrl?: string): boolean {
  const origin = c.req.header("origin");
  if (!origin) return true;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch (err) {
    if (err instanceof TypeError) return false; // not a URL
    throw err;
  }
  const ours = [c.req.header("x-forwarded-host"), c.req.header("host")];
  if (publicUrl) ours.push(new URL(publicUrl).host);
  return ours.some((h) => h !== undefined && h.split(",")[0].trim() === host);
}

const secure = (c: Context, publicUrl?: string) =>
  publicUrl?.startsWith("https:") || c.req.header("x-forwarded-proto") === "https" ||
  c.req.url.startsWith("https:");

function setSessionCookies(c: Context, s: Session, ttlMs: number, publicUrl?: string) {
  const common = {
    path: "/",
    sameSite: "Lax" as const,
    secure: secure(c, publicUrl),
    maxAge: Math.floor(ttlMs / 1000),
  };
  setCookie(c, SESSION_COOKIE, s.id, { ...common, httpOnly: true });
  // Readable by the page's script, which echoes it in X-CSRF-Token (double submit).
  setCookie(c, CSRF_COOKIE, s.csrf, common);
}

/** Renders the sign-in page (the web layer's; passed in so the API does not import pages). */
export type LoginPage = (input: { next: string; error?: string; user?: string }) => Promise<string>;

export function authRoutes(auth: Auth, loginPage: LoginPage, publicUrl?: string) {
  const app = new Hono();

  /** Checks credentials (throttled per name and client); logs failures without the password. */
  const attempt = async (c: Context, user: string, password: string): Promise<Session | number> => {
    if (!sameOrigin(c, publicUrl)) return 403;
    const p = await auth.verify(user, password, clientOf(c));
    if (p === "locked") {
      c.header("Retry-After", String(auth.retryAfter(user, clientOf(c))));
      return 429;
    }
    if (p === "bad") {
      auth.log.warn("login failed", { user: user.slice(0, 64) });
      return 401;
    }
    auth.log.info("login", { user: p.user, role: p.role });
    const s = auth.sessions.create(p.user, p.role);
    setSessionCookies(c, s, auth.sessions.ttlMs, publicUrl);
    return s;
  };
  const ERRORS: Record<number, string> = {
    401: "wrong user or password",
    403: "cross-site sign-in refused",
    429: "too many failed attempts: wait 30 s and try again",
  };

  const page = async (
    c: Context,
    status: 200 | 401 | 403 | 429,
    next: string,
    error?: string,
    user?: string,
  ) => {
    return c.html(await loginPage({ next, error, user }), status, { "cache-control": "no-store" });
  };

  app.get("/login", (c) => page(c, 200, safeNext(c.req.query("next"))));

  app.post("/login", async (c) => {
    const len = Number(c.req.header("content-length") ?? "0");
    if (len > 8192) throw new HttpError(413, "body is larger than 8192 bytes");
    // A body that cannot be read (the client went away mid-request) is an empty form: the
    // sign-in fails like a wrong password, and there is nobody left to answer.
    const form = new URLSearchParams(await c.req.text().catch(() => ""));
    const next = safeNext(form.get("next"));
    const user = (form.get("user") ?? "").slice(0, 64);
    const r = await attempt(c, user, (form.get("password") ?? "").slice(0, 1024));
    if (typeof r === "number") return page(c, r as 401 | 403 | 429, next, ERRORS[r], user);
    return c.redirect(next, 303);
  });

  app.post("/api/auth/login", async (c) => {
    const body = await readBody(c, Login);
    const r = await attempt(c, body.user, body.password);
    if (typeof r === "number") return c.json({ status: 0, error: ERRORS[r] }, r as 401);
    return c.json({ status: 1, user: r.user, role: r.role, csrf: r.csrf });
  });

  app.post("/api/auth/logout", async (c) => {
    const who = await auth.identify(c);
    if (typeof who === "string" || !who?.session) {
      return c.json({ status: 0, error: "not signed in" }, 401);
    }
    if (!auth.csrfOk(who.session, c.req.header(CSRF_HEADER))) {
      return c.json({ status: 0, error: "missing or wrong CSRF token" }, 403);
    }
    auth.sessions.delete(who.session.id);
    deleteCookie(c, SESSION_COOKIE, { path: "/" });
    deleteCookie(c, CSRF_COOKIE, { path: "/" });
    return c.json({ status: 1 });
  });

  app.get("/api/auth/me", async (c) => {
    const who = await auth.identify(c);
    if (who === "locked") return auth.tooMany(c);
    if (who === "bad" || !who) return c.json({ status: 0, error: "authentication required" }, 401);
    return c.json({ status: 1, auth: true, user: who.user, role: who.role, via: who.via });
  });

  return app;
}

/** With access control off: `/api/auth/me` says so, and that every caller may change things. */
export function openAuthRoutes() {
  const app = new Hono();
  app.get("/api/auth/me", (c) => c.json({ status: 1, auth: false, role: "admin" }));
  return app;
}

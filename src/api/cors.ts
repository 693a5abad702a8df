/**
 * CORS for the API and media (`--cors-origins`): lets a player or dashboard served from
 * another origin (Home Assistant, a VLC web UI…) load playlists and segments and call
 * the API. Off by default: without origins this middleware does nothing.
 *
 * - A listed origin is echoed back with `Access-Control-Allow-Credentials: true` (cookies
 *   and Authorization work from it); `*` allows any origin without credentials.
 * - Preflights (`OPTIONS` with `Access-Control-Request-Method`) of an allowed origin are
 *   answered 204 before any other check (they carry no credentials), for every route.
 * - Other origins get no CORS header: the browser keeps the response from their page.
 * - Reads only: writes from another origin are 403 (request_guard.ts), whatever this says.
 */
import type { MiddlewareHandler } from "hono";

/** Reads only: writes from another origin are refused anyway (request_guard.ts). */
const METHODS = "GET, HEAD, OPTIONS";
const REQUEST_HEADERS = "authorization, content-type, range, if-none-match";
/** Response headers a player reads (range requests, revalidation). */
const EXPOSED = "content-length, content-range, accept-ranges, etag, content-disposition";
const MAX_AGE_S = 600;

export function cors(origins: string[]): MiddlewareHandler {
  const any = origins.includes("*");
  const listed = new Set(origins.filter((o) => o !== "*"));
  return async (c, next) => {
    if (origins.length === 0) return await next();
    const origin = c.req.header("origin");
    const credentials = origin !== undefined && listed.has(origin);
    const allowed = credentials || (origin !== undefined && any);
    const headers: Record<string, string> = {};
    if (allowed) {
      headers["access-control-allow-origin"] = credentials ? origin : "*";
      if (credentials) headers["access-control-allow-credentials"] = "true";
    }
    const preflight = c.req.method === "OPTIONS" &&
      c.req.header("access-control-request-method") !== undefined;
    if (preflight) {
      if (allowed) {
        headers["access-control-allow-methods"] = METHODS;
        headers["access-control-allow-headers"] = c.req.header("access-control-request-headers") ??
          REQUEST_HEADERS;
        headers["access-control-max-age"] = String(MAX_AGE_S);
      }
      return new Response(null, { status: 204, headers: { ...headers, vary: "origin" } });
    }
    await next();
    for (const [k, v] of Object.entries(headers)) c.res.headers.set(k, v);
    if (allowed) c.res.headers.set("access-control-expose-headers", EXPOSED);
    if (credentials || !any) c.res.headers.append("vary", "origin");
  };
}

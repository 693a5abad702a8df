/**
 * Requests the recorder answers at all, with access control on or off (installed first):
 *
 * - **Host**: an IP literal, `localhost` (or `*.localhost`), a name only the local network
 *   can resolve (one label like `nvr`, or under `.local`, `.home.arpa`, `.internal`), a name
 *   in `--allowed-hosts`, or the `--public-url`'s host; anything else is `403`. A web page
 *   whose public name an attacker re-points at the box (DNS rebinding) would otherwise be
 *   same-origin with the API; nobody on the internet can own a local-only name.
 *   `--allowed-hosts=*` turns the check off.
 * - **Writes** (`POST`, `PUT`, `PATCH`, `DELETE`) must come from this origin: a cross-site
 *   `Sec-Fetch-Site`, an `Origin` of `null`, or an `Origin` whose host is neither the
 *   request's `Host` (or `X-Forwarded-Host`) nor the public URL's is `403`. Scripts and
 *   controllers send no `Origin` and are not affected. A WebSocket upgrade (`GET` with
 *   `Upgrade: websocket`, the live stream) is checked the same way.
 * - **API writes with a body** must say `Content-Type: application/json` (`415` otherwise):
 *   a page can send `text/plain`, form or multipart bodies cross-site without asking
 *   (a "simple" request), but not JSON.
 */
import type { Context, MiddlewareHandler } from "hono";

export interface RequestGuardOptions {
  /** Host names served besides IP literals and localhost (lower case); `*`: any. */
  allowedHosts: string[];
  /** `--public-url`: its host is allowed, and so are writes from its origin. */
  publicUrl?: string;
}

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);
const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)$/;
/**
 * Names no one outside the local network can register: one label (`nvr`, resolved by the
 * LAN's DNS or search domain), mDNS (`.local`), and the names reserved for home and
 * private networks (RFC 8375 `.home.arpa`, ICANN's `.internal`).
 */
const LOCAL_ONLY = /^(?:[a-z0-9-]+|.+\.(?:local|home\.arpa|internal|localhost))$/;

/** `Host` (or `X-Forwarded-Host`) value → its host name in lower case, without port or final dot. */
function hostname(value: string): string | undefined {
  try {
    return new URL(`http://${value.split(",")[0].trim()}`).hostname.toLowerCase().replace(
      /\.$/,
      "",
    );
  } catch (err) {
    if (err instanceof TypeError) return undefined; // not a host
    throw err;
  }
}

const refuse = (c: Context, status: 403 | 415, error: string) => {
  c.header("cache-control", "no-store");
  return c.json({ status: 0, error }, status);
};

/**
 * True when the request carries a body: a declared length other than 0, a chunked body, or
 * (no length declared: HTTP/2, or a Request built in process) a declared type.
 */
function hasBody(c: Context): boolean {
  const length = c.req.header("content-length");
  if (length !== undefined) return length.trim() !== "0";
  return c.req.header("transfer-encoding") !== undefined ||
    c.req.header("content-type") !== undefined;
}

/**
 * The Host check alone: true when the request's `Host` (and `X-Forwarded-Host`, if any) is
 * served. For an answer made before the middleware chain (see http_app.ts).
 */
export function hostGuard(opts: RequestGuardOptions): (req: Request) => boolean {
  const any = opts.allowedHosts.includes("*");
  const publicHost = opts.publicUrl ? new URL(opts.publicUrl).host.toLowerCase() : undefined;
  const names = new Set(opts.allowedHosts.map((h) => h.toLowerCase().replace(/\.$/, "")));
  if (publicHost) names.add(hostname(publicHost)!);

  const check = (value: string): boolean => {
    const name = hostname(value);
    if (name === undefined) return false;
    return any || names.has(name) || IPV4.test(name) || name.startsWith("[") ||
      LOCAL_ONLY.test(name);
  };
  // A client sends the same Host on every request: the verdict per value is remembered
  // (parsing it is most of the check), for a bounded number of values.
  const seen = new Map<string, boolean>();
  const hostAllowed = (value: string): boolean => {
    let ok = seen.get(value);
    if (ok === undefined) {
      ok = check(value);
      if (seen.size >= 256) seen.clear();
      seen.set(value, ok);
    }
    return ok;
  };
  return (req) => {
    const host = req.headers.get("host") ?? new URL(req.url).host;
    const forwarded = req.headers.get("x-forwarded-host");
    return hostAllowed(host) && (forwarded === null || hostAllowed(forwarded));
  };
}

export function requestGuard(opts: RequestGuardOptions): MiddlewareHandler {
  const publicHost = opts.publicUrl ? new URL(opts.publicUrl).host.toLowerCase() : undefined;
  const hostServed = hostGuard(opts);

  return async (c, next) => {
    const host = c.req.header("host") ?? new URL(c.req.url).host;
    const forwarded = c.req.header("x-forwarded-host");
    if (!hostServed(c.req.raw)) {
      return refuse(
        c,
        403,
        "this host name is not served: use the box's address, or add the name to --allowed-hosts",
      );
    }
    // A WebSocket upgrade (the live stream) is checked like a write: browsers send any page's
    // cookies with it and no CORS protects its answer.
    const upgrade = c.req.header("upgrade")?.toLowerCase() === "websocket";
    if (SAFE.has(c.req.method) && !upgrade) return await next();

    const origin = c.req.header("origin");
    if (c.req.header("sec-fetch-site") === "cross-site" || origin === "null") {
      return refuse(c, 403, "cross-site request refused");
    }
    if (origin !== undefined) {
      let from: string | undefined;
      try {
        from = new URL(origin).host.toLowerCase();
      } catch (err) {
        if (!(err instanceof TypeError)) throw err; // else: not a URL, refused below
      }
      const ours = [host, forwarded?.split(",")[0].trim(), publicHost]
        .filter((h): h is string => !!h).map((h) => h.toLowerCase());
      if (!from || !ours.includes(from)) return refuse(c, 403, "cross-origin request refused");
    }
    if (c.req.path.startsWith("/api/") && hasBody(c)) {
      const type = (c.req.header("content-type") ?? "").split(";")[0].trim().toLowerCase();
      if (type !== "application/json") {
        return refuse(c, 415, "Content-Type must be application/json");
      }
    }
    return await next();
  };
}

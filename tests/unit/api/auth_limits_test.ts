/**
 * Regressions (issue 10): limits on credential checks, in process (`app.request()`).
 * - Defect 4: Basic was not throttled at all, and 10,400 junk user names cleared the whole
 *   throttle map (unlocking a locked user). Every credential path now counts failures per user
 *   name and per client, in a bounded map that never drops a lock before it expires.
 * - Defect 5: PBKDF2 ran synchronously on the event loop (every failed login blocked the
 *   server ~145 ms) and unknown user names were answered without hashing (enumeration by
 *   timing). Hashing is asynchronous, verified credentials are cached, unknown names cost the
 *   same hash.
 * - Defect 6: one user's repeated sign-ins evicted every other user's session (one global cap).
 */
import { Hono } from "hono";
import { Auth, ipv6Network } from "../../../src/api/auth/guard.ts";
import { authRoutes } from "../../../src/api/auth/routes.ts";
import { loginPage } from "../../../src/web/login_page.tsx";
import { type Hasher, hashPassword, pbkdf2 } from "../../../src/api/auth/secrets.ts";
import { LoginThrottle, Sessions } from "../../../src/api/auth/sessions.ts";
import type { AuthConfig } from "../../../src/config/config.ts";
import { createLogger } from "../../../src/log.ts";
import { assert, assertEquals } from "../../support/assert.ts";

const ADMIN_PW = "admin-pass-42";
const VIEWER_PW = "viewer-pass-7";
const ITER = 50_000;
const config = (): AuthConfig => ({
  users: [
    { name: "boss", role: "admin", password: hashPassword(ADMIN_PW, ITER) },
    { name: "guard", role: "viewer", password: VIEWER_PW },
  ],
  sessionHours: 1,
});

/** The access-control middleware and sign-in routes around a media route and health. */
function app(auth: Auth) {
  const a = new Hono();
  a.use("*", auth.middleware());
  a.route("/", authRoutes(auth, loginPage));
  a.get("/api/health", (c) => c.json({ status: 1 }));
  a.get("/1/1/hls/index.m3u8", (c) => c.text("#EXTM3U"));
  return a;
}
const basic = (user: string, pw: string) => ({ authorization: "Basic " + btoa(`${user}:${pw}`) });
const from = (ip: string) => ({ remoteAddr: { hostname: ip, port: 1, transport: "tcp" } });
const log = createLogger("json", {}, () => {});

Deno.test("Basic auth is throttled per user name, like the sign-in form, and shares its lock", async () => {
  const a = app(new Auth(config(), log));
  const media = (user: string, pw: string, ip = "10.0.0.1") =>
    a.request("/1/1/hls/index.m3u8", { headers: basic(user, pw) }, from(ip));
  for (let i = 0; i < 5; i++) assertEquals((await media("guard", "wrong")).status, 401);
  let r = await media("guard", VIEWER_PW, "10.0.0.2");
  assertEquals(r.status, 429, "the right password is refused while the name is locked");
  assert(Number(r.headers.get("retry-after")) > 0, "Retry-After");
  // The JSON sign-in sees the same lock, and a lock from the sign-in stops Basic too.
  r = await a.request("/api/auth/login", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ user: "guard", password: VIEWER_PW }),
  }, from("10.0.0.3"));
  assertEquals(r.status, 429);
  for (let i = 0; i < 5; i++) {
    await a.request("/api/auth/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ user: "boss", password: "nope" }),
    }, from("10.0.0.4"));
  }
  assertEquals((await media("boss", ADMIN_PW, "10.0.0.5")).status, 429);
});

Deno.test("many guesses at once get no more hashes than the lock allows", async () => {
  let calls = 0;
  const counting: Hasher = (pw, salt, iter) => {
    calls++;
    return pbkdf2(pw, salt, iter);
  };
  const a = app(new Auth(config(), log, { hasher: counting }));
  const statuses = await Promise.all(
    Array.from({ length: 50 }, async (_, i) => {
      const r = await a.request(
        "/1/1/hls/index.m3u8",
        { headers: basic("boss", `w${i}`) },
        from(`10.3.0.${i}`),
      );
      return r.status;
    }),
  );
  const wrong = statuses.filter((s) => s === 401).length;
  // Five failures lock the name; at most two hashes were already running then.
  assert(wrong <= 5 + 2 && calls <= 5 + 2, `${wrong} answered 401, ${calls} hashes`);
  assertEquals(statuses.filter((s) => s === 429).length, 50 - wrong);
});

Deno.test("failures are also counted per client, across user names and the API token", async () => {
  const a = app(new Auth({ ...config(), apiToken: "tok-0123456789abcdef" }, log));
  for (let i = 0; i < 20; i++) {
    const r = await a.request(
      "/1/1/hls/index.m3u8",
      { headers: basic(`name${i}`, "x") },
      from("10.9.9.9"),
    );
    assertEquals(r.status, 401, `attempt ${i}`);
  }
  const locked = await a.request(
    "/1/1/hls/index.m3u8",
    { headers: { authorization: "Bearer tok-0123456789abcdef" } },
    from("10.9.9.9"),
  );
  assertEquals(locked.status, 429, "that client is locked out, whatever it sends");
  const other = await a.request(
    "/1/1/hls/index.m3u8",
    { headers: basic("guard", VIEWER_PW) },
    from("10.1.1.1"),
  );
  assertEquals(other.status, 200, "other clients are not");
});

Deno.test("an IPv6 client is counted by its /64 network (it can pick any address in it)", async () => {
  assertEquals(ipv6Network("2001:db8:1:2::5"), "2001:db8:1:2::/64");
  assertEquals(ipv6Network("2001:0db8:0001:0002:aaaa:bbbb:cccc:dddd"), "2001:db8:1:2::/64");
  assertEquals(ipv6Network("2001:db8::1"), "2001:db8:0:0::/64");
  assertEquals(ipv6Network("::1"), "0:0:0:0::/64");
  assertEquals(ipv6Network("::ffff:10.0.0.1"), "10.0.0.1");
  const a = app(new Auth(config(), log));
  for (let i = 0; i < 20; i++) {
    await a.request(
      "/1/1/hls/index.m3u8",
      { headers: basic(`n${i}`, "x") },
      from(`2001:db8:1:2::${i}`),
    );
  }
  const r = await a.request(
    "/1/1/hls/index.m3u8",
    { headers: basic("guard", VIEWER_PW) },
    from("2001:db8:1:2:ffff::1"),
  );
  assertEquals(r.status, 429);
});

Deno.test("junk names never unlock a locked name; the throttle's memory is bounded", () => {
  let now = 1_000_000;
  const t = new LoginThrottle(5, 30_000, () => now, 1000);
  for (let i = 0; i < 5; i++) t.failed("boss");
  assert(t.locked("boss"));
  for (let i = 0; i < 10_400; i++) {
    t.failed(`junk${i}`);
    now += 1;
  }
  assert(t.locked("boss"), "still locked after 10,400 junk names");
  assert(t.size <= 1000, `bounded: ${t.size}`);
  now += 30_001;
  assert(!t.locked("boss"), "the lock ends on time");
  // A map full of locks keeps them all and stays bounded.
  const full = new LoginThrottle(1, 30_000, () => now, 100);
  for (let i = 0; i < 300; i++) full.failed(`u${i}`);
  assert(full.size <= 100 && full.locked("u0"), "locks are kept, new names are not tracked");
});

Deno.test("hashing is asynchronous: health answers while wrong passwords are being hashed", async () => {
  // Hashes that finish only when the test says so: health must answer while they are pending.
  const pending: (() => void)[] = [];
  const gated: Hasher = (password, salt, iterations) =>
    new Promise<void>((r) => pending.push(r)).then(() => pbkdf2(password, salt, iterations));
  const a = app(new Auth(config(), log, { hasher: gated }));
  const wrong = Array.from(
    { length: 12 },
    (_, i) =>
      a.request("/1/1/hls/index.m3u8", { headers: basic("boss", `w${i}`) }, from(`10.0.1.${i}`)),
  );
  await new Promise((r) => setTimeout(r, 0));
  assert(pending.length > 0, "a hash is under way");
  const health = await a.request("/api/health");
  assertEquals(health.status, 200, "answered while every wrong password is still unhashed");
  let answered = false;
  const all = Promise.all(wrong).finally(() => answered = true);
  while (!answered) {
    pending.splice(0).forEach((release) => release());
    await new Promise((r) => setTimeout(r, 1));
  }
  const statuses = (await all).map((r) => r.status);
  assert(statuses.every((s) => s === 401 || s === 429), String(statuses));
});

Deno.test("the default PBKDF2 does not block the event loop (WebCrypto, off the JS thread)", async () => {
  let done = false;
  const hashing = pbkdf2("a password", new Uint8Array(16), 2_000_000).then(() => done = true);
  // A synchronous hash would have finished before this timer could run.
  await new Promise((r) => setTimeout(r, 0));
  assertEquals(done, false, "the timer ran while the hash was still being computed");
  await hashing;
});

Deno.test("the same hash work for unknown names, known names and plain passwords; right ones are cached", async () => {
  let calls = 0;
  const counting: Hasher = (pw, salt, iter) => {
    calls++;
    return pbkdf2(pw, salt, iter);
  };
  const auth = new Auth(config(), log, { hasher: counting });
  const hashes = async (name: string, pw: string, ip: string) => {
    const before = calls;
    const r = await auth.verify(name, pw, ip);
    return [calls - before, typeof r === "string" ? r : r.user];
  };
  assertEquals(await hashes("nobody", "x", "a"), [1, "bad"]);
  assertEquals(await hashes("boss", "x", "b"), [1, "bad"]);
  assertEquals(await hashes("guard", "x", "c"), [1, "bad"], "plain password: a dummy hash too");
  assertEquals(await hashes("boss", ADMIN_PW, "d"), [1, "boss"]);
  assertEquals(await hashes("boss", ADMIN_PW, "d"), [0, "boss"], "verified credentials are cached");
  assertEquals(await hashes("guard", VIEWER_PW, "e"), [1, "guard"]);
});

Deno.test("sessions are capped per user: a viewer's sign-ins never evict the admin's", () => {
  let now = 0;
  const s = new Sessions(3_600_000, () => now);
  const admin = s.create("boss", "admin");
  let first;
  let last;
  for (let i = 0; i < 1000; i++) {
    last = s.create("guard", "viewer");
    first ??= last;
    now++;
  }
  assertEquals(s.get(admin.id)?.user, "boss", "the admin stays signed in");
  assertEquals(s.get(last!.id)?.user, "guard");
  assertEquals(s.get(first!.id), undefined, "the viewer's oldest sessions went");
  assert(s.size <= 1 + 10, `per-user cap: ${s.size}`);

  // The global bound takes from the users with the most sessions, never from a lone one.
  const g = new Sessions(3_600_000, () => now, { perUser: 10, max: 50 });
  const lone = g.create("lone", "viewer");
  for (let u = 0; u < 20; u++) for (let i = 0; i < 10; i++) g.create(`user${u}`, "viewer");
  assert(g.size <= 50, `global bound: ${g.size}`);
  assertEquals(g.get(lone.id)?.user, "lone");
});

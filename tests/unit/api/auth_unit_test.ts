/** Access-control pieces: user settings, password forms, constant-time checks, redirects. */
import { loadConfig } from "../../../src/config/config.ts";
import { hashPassword, safeEqual, verifyPassword } from "../../../src/api/auth/secrets.ts";
import { LoginThrottle, Sessions } from "../../../src/api/auth/sessions.ts";
import { safeNext } from "../../../src/api/auth/routes.ts";
import { assert, assertEquals, assertThrows } from "../../support/assert.ts";

Deno.test("auth settings: off by default, users and token validated", () => {
  const off = loadConfig([], {});
  assertEquals(off.auth, { apiToken: undefined, users: [], sessionHours: 12 });
  const on = loadConfig(["--users=a:admin:pw:with:colons, b:viewer:12345678"], {
    NVR_API_TOKEN: "0123456789abcdef",
  });
  assertEquals(on.auth.users.map((u) => [u.name, u.role, u.password]), [
    ["a", "admin", "pw:with:colons"],
    ["b", "viewer", "12345678"],
  ]);
  assertThrows(() => loadConfig(["--api-token=short"], {}), /api-token.*16/);
  assertThrows(() => loadConfig(["--users=a:root:12345678"], {}), /users/);
  assertThrows(() => loadConfig(["--users=a:admin:short"], {}), /at least 8/);
  assertThrows(() => loadConfig(["--users=a:admin:12345678,a:viewer:12345678"], {}), /twice/);
});

Deno.test("passwords: plain or PBKDF2, compared in constant time", async () => {
  const stored = hashPassword("correct horse", 1000);
  assert(/^pbkdf2\$1000\$[0-9a-f]{32}\$[0-9a-f]{64}$/.test(stored), stored);
  assert(await verifyPassword("correct horse", stored));
  assert(!await verifyPassword("correct hors", stored));
  assert(await verifyPassword("plain-pass", "plain-pass"));
  assert(!await verifyPassword("plain-pas", "plain-pass"));
  assert(safeEqual("", "") && !safeEqual("a", "ab") && !safeEqual("ab", "a"));
});

Deno.test("sessions expire; logins lock after repeated failures", () => {
  let now = 1000;
  const s = new Sessions(60_000, () => now);
  const a = s.create("u", "viewer");
  assertEquals(s.get(a.id)?.user, "u");
  assert(a.id !== a.csrf && a.id.length >= 40);
  now += 60_001;
  assertEquals(s.get(a.id), undefined);
  const t = new LoginThrottle(3, 1000, () => now);
  for (let i = 0; i < 3; i++) t.failed("u");
  assert(t.locked("u"));
  now += 1001;
  assert(!t.locked("u"));
});

Deno.test("sign-in redirects stay on this site", () => {
  assertEquals(safeNext("/recordings?date=2026-01-01"), "/recordings?date=2026-01-01");
  for (
    const bad of [
      "//evil.example",
      "/\\evil.example",
      "https://evil.example",
      "javascript:x",
      "",
      null,
      "/a b",
      "/\nx",
    ]
  ) {
    assertEquals(safeNext(bad), "/", String(bad));
  }
});

/**
 * Access control against the real recorder process: API token, viewer/admin users,
 * cookie sessions with CSRF, Basic for native players, media protected, no secret in logs.
 * A browser then signs in and plays the live wall through the cookie (hls.js).
 */
import { assert, assertEquals } from "../support/assert.ts";
import { Nvr, waitFor } from "../support/harness.ts";
import { launch, openPage } from "../ui/browser.ts";

const TOKEN = "tok-0123456789abcdef-secret";
const ADMIN_PW = "admin-pass-42";
const VIEWER_PW = "viewer:pass 7"; // a colon and a space in a password are fine

function cookieJar(res: Response): string {
  return res.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
}

async function call(
  nvr: Nvr,
  method: string,
  path: string,
  headers: HeadersInit = {},
  body?: unknown,
) {
  const res = await fetch(nvr.base + path, {
    method,
    headers: body === undefined ? headers : { "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    redirect: "manual",
  });
  const text = await res.text();
  let json: unknown = undefined;
  try {
    json = JSON.parse(text);
  } catch { /* html or empty */ }
  // deno-lint-ignore no-explicit-any -- tests read whatever JSON comes back
  return { status: res.status, json: json as any, text, res };
}

const cam = (seq: number) => ({
  seq,
  gid: 1,
  name: `cam ${seq}`,
  iaddr: "test://ball",
  protocol: "test",
  isRec: 0,
});

async function login(nvr: Nvr, user: string, password: string) {
  const r = await call(nvr, "POST", "/api/auth/login", {}, { user, password });
  assertEquals(r.status, 200, `login ${user}: ${r.text}`);
  return {
    jar: cookieJar(r.res),
    csrf: r.json.csrf as string,
    cookies: r.res.headers.getSetCookie(),
  };
}

Deno.test({
  name: "access control: token, roles, cookie sessions with CSRF, protected media",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const nvr = await new Nvr({
      authorization: `Bearer ${TOKEN}`,
      extraArgs: [
        `--api-token=${TOKEN}`,
        `--users=boss:admin:${ADMIN_PW},guard:viewer:${VIEWER_PW}`,
      ],
    }).start();
    const bearer = { authorization: `Bearer ${TOKEN}` };
    try {
      await t.step("nothing without credentials, except sign-in and health", async () => {
        let r = await call(nvr, "GET", "/api/camera");
        assertEquals([r.status, r.json.status, r.json.error], [401, 0, "authentication required"]);
        assertEquals(r.res.headers.get("www-authenticate"), 'Bearer realm="nvr"');
        r = await call(nvr, "GET", "/1/1/hls/index.m3u8");
        assertEquals(r.status, 401);
        assert(
          r.res.headers.get("www-authenticate")!.startsWith("Basic"),
          "media: Basic challenge",
        );
        for (
          const p of [
            "/api/export/gid/1/seq/1/span.mp4?from=0&to=1000",
            "/1/1/2026-01-01/index.m3u8",
            "/api/deleted",
          ]
        ) {
          assertEquals((await call(nvr, "GET", p)).status, 401, p);
        }
        r = await call(nvr, "GET", "/recordings?date=2026-01-01");
        assertEquals(r.status, 303);
        assertEquals(
          r.res.headers.get("location"),
          "/login?next=%2Frecordings%3Fdate%3D2026-01-01",
        );
        assertEquals((await call(nvr, "GET", "/api/health")).status, 200);
        r = await call(nvr, "GET", "/login?next=/cameras");
        assertEquals(r.status, 200);
        assert(
          r.text.includes('name="password"') && r.text.includes('value="/cameras"'),
          "login page",
        );
        assertEquals((await call(nvr, "POST", "/api/camera", {}, cam(1))).status, 401);
      });

      await t.step(
        "the API token is admin (the controller's way in); a wrong one is 401",
        async () => {
          let r = await call(
            nvr,
            "POST",
            "/api/camera",
            { authorization: `Bearer ${TOKEN}x` },
            cam(1),
          );
          assertEquals([r.status, r.json.error], [401, "invalid credentials"]);
          r = await call(nvr, "POST", "/api/camera", { authorization: "Bearer " }, cam(1));
          assertEquals(r.status, 401);
          r = await call(nvr, "POST", "/api/camera", bearer, cam(1));
          assertEquals(r.status, 201);
        },
      );

      await t.step("a viewer watches and reviews but cannot change cameras", async () => {
        const v = await login(nvr, "guard", VIEWER_PW);
        const session = v.cookies.find((c) => c.startsWith("nvr_session="))!;
        assert(/HttpOnly/i.test(session) && /SameSite=Lax/i.test(session), session);
        assertEquals(
          (await call(nvr, "GET", "/api/auth/me", { cookie: v.jar })).json.role,
          "viewer",
        );
        assertEquals((await call(nvr, "GET", "/api/camera", { cookie: v.jar })).status, 200);
        assertEquals((await call(nvr, "GET", "/", { cookie: v.jar })).status, 200);
        const live = await waitFor(async () => {
          const r = await call(nvr, "GET", "/1/1/hls/index.m3u8", { cookie: v.jar });
          return r.status === 200 && r.text.includes(".ts") ? r.text : undefined;
        }, "live playlist for the viewer");
        const seg = live.split("\n").find((l) => l.endsWith(".ts"))!;
        const s = await call(nvr, "GET", `/1/1/hls/${seg}`, { cookie: v.jar });
        assertEquals(s.status, 200, "segment with the session cookie");
        const headers = {
          cookie: v.jar,
          "x-csrf-token": v.csrf,
          "content-type": "application/json",
        };
        let r = await call(nvr, "POST", "/api/camera", headers, cam(2));
        assertEquals([r.status, r.json.error], [403, "this needs the admin role"]);
        r = await call(nvr, "PUT", "/api/camera/record/status", headers, {
          gid: 1,
          seq: 1,
          isRec: 1,
        });
        assertEquals(r.status, 403);
        r = await call(nvr, "DELETE", "/api/camera/seq/1/gid/1", headers);
        assertEquals(r.status, 403);
      });

      await t.step("cookie sessions need the CSRF token on every change", async () => {
        const a = await login(nvr, "boss", ADMIN_PW);
        let r = await call(nvr, "POST", "/api/camera", { cookie: a.jar }, cam(3));
        assertEquals(r.status, 403);
        assert(/CSRF/.test(r.json.error), r.json.error);
        r = await call(
          nvr,
          "POST",
          "/api/camera",
          { cookie: a.jar, "x-csrf-token": "x" + a.csrf },
          cam(3),
        );
        assertEquals(r.status, 403);
        r = await call(
          nvr,
          "POST",
          "/api/camera",
          { cookie: a.jar, "x-csrf-token": a.csrf },
          cam(3),
        );
        assertEquals(r.status, 201);
        r = await call(nvr, "POST", "/api/auth/logout", { cookie: a.jar, "x-csrf-token": a.csrf });
        assertEquals(r.status, 200);
        r = await call(nvr, "GET", "/api/camera", { cookie: a.jar });
        assertEquals(r.status, 401, "session ended by logout");
      });

      await t.step("Basic credentials for native players: read only", async () => {
        const basic = { authorization: "Basic " + btoa(`guard:${VIEWER_PW}`) };
        assertEquals((await call(nvr, "GET", "/1/1/hls/index.m3u8", basic)).status, 200);
        const wrong = { authorization: "Basic " + btoa("guard:nope-nope") };
        assertEquals((await call(nvr, "GET", "/1/1/hls/index.m3u8", wrong)).status, 401);
        const admin = { authorization: "Basic " + btoa(`boss:${ADMIN_PW}`) };
        assertEquals((await call(nvr, "DELETE", "/api/camera/seq/3/gid/1", admin)).status, 403);
        assertEquals((await call(nvr, "GET", "/", { authorization: "Basic !!!" })).status, 401);
      });

      await t.step("form sign-in: same origin only, local redirects only, lockout", async () => {
        const form = (user: string, pw: string, next: string, origin?: string) =>
          fetch(`${nvr.base}/login`, {
            method: "POST",
            redirect: "manual",
            headers: {
              "content-type": "application/x-www-form-urlencoded",
              ...(origin ? { origin } : {}),
            },
            body: new URLSearchParams({ user, password: pw, next }).toString(),
          });
        let r = await form("boss", ADMIN_PW, "/cameras", "https://evil.example");
        assertEquals(r.status, 403);
        await r.body?.cancel();
        r = await form("boss", ADMIN_PW, "//evil.example/x", nvr.base);
        assertEquals([r.status, r.headers.get("location")], [303, "/"]);
        await r.body?.cancel();
        r = await form("boss", ADMIN_PW, "/cameras");
        assertEquals([r.status, r.headers.get("location")], [303, "/cameras"]);
        await r.body?.cancel();
        r = await form("guard", "wrong-password", "/");
        assertEquals(r.status, 401);
        assert((await r.text()).includes("wrong user or password"));
        for (let i = 0; i < 5; i++) {
          await (await form("guard", "wrong-password", "/")).body?.cancel();
        }
        r = await form("guard", VIEWER_PW, "/");
        assertEquals(r.status, 429, "locked after repeated failures");
        await r.body?.cancel();
      });

      await t.step("a browser signs in and plays the live wall through the cookie", async () => {
        const browser = await launch();
        try {
          const page = await openPage(browser, `${nvr.base}/`);
          await page.waitForURL(/\/login\?next=%2F$/);
          await page.fill("#login-user", "boss");
          await page.fill("#login-password", ADMIN_PW);
          await page.click("button[type=submit]");
          await page.waitForURL(`${nvr.base}/`);
          await page.waitForFunction(
            () => {
              const v = document.querySelector("video");
              return !!v && v.currentTime > 0.5;
            },
            undefined,
            { timeout: 30_000 },
          );
          const status = await page.evaluate(async () => {
            const r = await fetch("/api/camera/record/status", {
              method: "PUT",
              headers: { "content-type": "application/json" },
              body: JSON.stringify({ gid: 1, seq: 1, isRec: 1 }),
            });
            return r.status;
          });
          assertEquals(status, 200, "the page's fetch sends the CSRF token");
          // The header names the user; Sign out ends the session and goes to the login page.
          await page.waitForSelector("[data-account]:not([hidden])");
          assertEquals(await page.textContent("[data-account] .who"), "boss · admin");
          await page.click("[data-account] button");
          await page.waitForURL(/\/login$/);
          const after = await page.evaluate(async () => (await fetch("/api/auth/me")).status);
          assertEquals(after, 401, "signed out");
        } finally {
          await browser.close();
        }
      });

      await t.step(
        "Basic is throttled like sign-in: the right password waits out the lock",
        async () => {
          // Regression (issue 10, defect 4): 60 wrong Basic passwords in 0.19 s, then the right
          // one worked. Five wrong ones now lock the name for every credential path.
          const media = (pw: string) =>
            call(nvr, "GET", "/1/1/hls/index.m3u8", {
              authorization: "Basic " + btoa(`boss:${pw}`),
            });
          for (let i = 0; i < 5; i++) assertEquals((await media(`nope-nope-${i}`)).status, 401);
          let r = await media(ADMIN_PW);
          assertEquals(r.status, 429, "locked: the right password is refused too");
          assert(Number(r.res.headers.get("retry-after")) > 0, "Retry-After");
          r = await call(nvr, "POST", "/api/auth/login", {}, { user: "boss", password: ADMIN_PW });
          assertEquals(r.status, 429, "the sign-in sees the same lock");
          // Health stays public, status only without credentials.
          r = await call(nvr, "GET", "/api/health");
          assertEquals([r.status, r.text], [200, '{"status":1}']);
        },
      );

      await t.step("no password or token in any log line", () => {
        const logs = nvr.logs.join("\n");
        for (const secret of [TOKEN, ADMIN_PW, VIEWER_PW, "wrong-password", "nope-nope"]) {
          assert(!logs.includes(secret), `log leaks ${secret}`);
        }
        assert(logs.includes('"msg":"login failed"'), "failed logins are logged");
      });
    } finally {
      await nvr.stop();
    }
  },
});

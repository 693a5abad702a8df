/**
 * Regression (issue 10, defect 9): with access control off, any web page could change the
 * recorder: a cross-site `fetch(…, {mode: "no-cors", body: JSON as text/plain})` added a
 * camera, and any Host header was accepted (DNS rebinding). Now, auth on or off: API writes
 * with a body must be `application/json`, cross-origin writes are refused, and only
 * configured, IP-literal or localhost Host names are served. In process (`app.request()`).
 */
import { Hono } from "hono";
import { requestGuard } from "../../src/api/request_guard.ts";
import { loadConfig } from "../../src/config/config.ts";
import { createLogger } from "../../src/log.ts";
import { createNvr } from "../../src/server.ts";
import { ScriptedGst } from "../support/scripted_gst.ts";
import { assert, assertEquals, assertThrows } from "../support/assert.ts";

const CAMERA = JSON.stringify({
  seq: 1,
  gid: 1,
  name: "x",
  iaddr: "test://ball",
  protocol: "test",
  isRec: 0,
});

Deno.test({
  name: "the attack from another web page: no camera added, wrong Host refused",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const tmp = Deno.makeTempDirSync({ prefix: "nvr-guard-" });
    const config = loadConfig([`--media-root=${tmp}/m`, `--data-dir=${tmp}/d`, "--demo=off"], {});
    const nvr = createNvr(config, {
      log: createLogger("json", {}, () => {}),
      spawn: (_cmd, args) => new ScriptedGst(args),
    });
    const base = "http://127.0.0.1:8000";
    try {
      // What a no-cors fetch from https://evil.example sends.
      let r = await nvr.app.request(`${base}/api/camera`, {
        method: "POST",
        headers: {
          host: "127.0.0.1:8000",
          origin: "https://evil.example",
          "sec-fetch-site": "cross-site",
          "content-type": "text/plain;charset=UTF-8",
        },
        body: CAMERA,
      });
      assertEquals(r.status, 403, await r.clone().text());
      // Same without Origin / Sec-Fetch-Site (an old browser or a form): not JSON, refused.
      r = await nvr.app.request(`${base}/api/camera`, {
        method: "POST",
        headers: { host: "127.0.0.1:8000", "content-type": "text/plain;charset=UTF-8" },
        body: CAMERA,
      });
      assertEquals(r.status, 415, await r.clone().text());
      assertEquals((await r.json()).status, 0);
      assertEquals(nvr.service.list().length, 0, "no camera added");
      // DNS rebinding: the attacker's name pointing at the box.
      r = await nvr.app.request("http://rebind.evil.example:8000/api/camera", {
        headers: { host: "rebind.evil.example:8000" },
      });
      assertEquals(r.status, 403, "unknown Host");
      // The UI and scripts: same origin, JSON.
      r = await nvr.app.request(`${base}/api/camera`, {
        method: "POST",
        headers: {
          host: "127.0.0.1:8000",
          origin: base,
          "sec-fetch-site": "same-origin",
          "content-type": "application/json",
        },
        body: CAMERA,
      });
      assertEquals(r.status, 201, await r.clone().text());
    } finally {
      await nvr.shutdown();
      Deno.removeSync(tmp, { recursive: true });
    }
  },
});

function guarded(allowedHosts: string[] = [], publicUrl?: string) {
  const app = new Hono();
  app.use("*", requestGuard({ allowedHosts, publicUrl }));
  app.get("/api/camera", (c) => c.json([]));
  app.post("/api/camera", (c) => c.json({ status: 1 }, 201));
  app.delete("/api/camera/seq/1/gid/1", (c) => c.json(1));
  app.post("/login", (c) => c.text("ok"));
  return app;
}

const status = async (p: Promise<Response> | Response) => {
  const r = await p;
  await r.body?.cancel();
  return r.status;
};

Deno.test("Host names: IP literals, localhost, local-only names, configured names and the public URL's", async () => {
  const app = guarded(["nvr.lan", "Cams.Example.COM"], "https://nvr.example.org");
  const get = (host?: string) =>
    status(app.request("http://x/api/camera", { headers: host ? { host } : {} }));
  for (
    const ok of [
      "127.0.0.1:8000",
      "10.1.2.3",
      "[::1]:8000",
      "[fe80::1]",
      "localhost",
      "LOCALHOST:8000",
      "app.localhost:8000",
      "nvr.lan:8000",
      "cams.example.com",
      "nvr.example.org",
      "nvr.lan.",
      // Names only the local network resolves: no attacker can point them at the box.
      "nvr:8000",
      "nvr-2",
      "nvr.local",
      "cam-box.home.arpa",
      "nvr.internal:8000",
    ]
  ) {
    assertEquals(await get(ok), 200, ok);
  }
  for (
    const bad of [
      "evil.example",
      "nvr.lan.evil.example",
      "127.0.0.1.evil.example",
      "x.nvr.lan",
      "local.evil.example",
      "internal.evil.example",
      "evil.example.local.evil.example",
    ]
  ) {
    assertEquals(await get(bad), 403, bad);
  }
  // In process (no Host header): the URL's host.
  assertEquals(await status(app.request("/api/camera")), 200);
  assertEquals(
    await status(guarded(["*"]).request("http://a/", { headers: { host: "any.example" } })),
    404,
  );
});

Deno.test("writes: JSON only, same origin only; reads and body-less writes unchanged", async () => {
  const app = guarded([], "https://nvr.example.org");
  const host = "127.0.0.1:8000";
  const post = (headers: Record<string, string>, body: string | undefined = "{}") =>
    status(app.request("http://127.0.0.1:8000/api/camera", {
      method: "POST",
      headers: { host, ...headers },
      body,
    }));
  assertEquals(await post({ "content-type": "application/json" }), 201);
  assertEquals(await post({ "content-type": "Application/JSON; charset=utf-8" }), 201);
  assertEquals(await post({ "content-type": "text/plain" }), 415);
  assertEquals(await post({ "content-type": "application/x-www-form-urlencoded" }), 415);
  assertEquals(await post({ "content-type": "multipart/form-data; boundary=x" }), 415);
  assertEquals(await post({ "content-type": "application/jsonx" }), 415);
  assertEquals(await post({}), 415, "a body without a type");
  const json = { "content-type": "application/json" };
  assertEquals(await post({ ...json, origin: "http://127.0.0.1:8000" }), 201);
  assertEquals(await post({ ...json, origin: "https://nvr.example.org" }), 201, "public URL");
  assertEquals(await post({ ...json, origin: "http://127.0.0.1:9999" }), 403, "other port");
  assertEquals(await post({ ...json, origin: "https://evil.example" }), 403);
  assertEquals(await post({ ...json, origin: "null" }), 403);
  assertEquals(await post({ ...json, "sec-fetch-site": "cross-site" }), 403);
  assertEquals(await post({ ...json, "sec-fetch-site": "same-site" }), 201);
  // Reads are not affected by Origin; writes without a body need no type.
  assertEquals(
    await status(app.request("http://127.0.0.1:8000/api/camera", {
      headers: { host, origin: "https://evil.example" },
    })),
    200,
  );
  assertEquals(
    await status(app.request("http://127.0.0.1:8000/api/camera/seq/1/gid/1", {
      method: "DELETE",
      headers: { host },
    })),
    200,
  );
  assertEquals(
    await status(app.request("http://127.0.0.1:8000/api/camera/seq/1/gid/1", {
      method: "DELETE",
      headers: { host, origin: "https://evil.example" },
    })),
    403,
  );
  // The sign-in form is a form (not /api), but must be same-origin too.
  const form = { "content-type": "application/x-www-form-urlencoded", host };
  assertEquals(
    await status(
      app.request("http://127.0.0.1:8000/login", { method: "POST", headers: form, body: "a=b" }),
    ),
    200,
  );
  assertEquals(
    await status(app.request("http://127.0.0.1:8000/login", {
      method: "POST",
      headers: { ...form, origin: "https://evil.example" },
      body: "a=b",
    })),
    403,
  );
});

Deno.test("--allowed-hosts / NVR_ALLOWED_HOSTS: names, comma-separated, validated", () => {
  assertEquals(loadConfig([], {}).allowedHosts, []);
  assertEquals(
    loadConfig(["--allowed-hosts=nvr.lan, Cams.Example.com"], {}).allowedHosts,
    ["nvr.lan", "cams.example.com"],
  );
  assertEquals(loadConfig([], { NVR_ALLOWED_HOSTS: "*" }).allowedHosts, ["*"]);
  for (const bad of ["http://nvr.lan", "nvr.lan:8000", "a b", "nvr/x", "-x.lan"]) {
    assertThrows(() => loadConfig([`--allowed-hosts=${bad}`], {}), /allowed-hosts/);
  }
  assert(true);
});

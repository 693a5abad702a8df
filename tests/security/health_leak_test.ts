/**
 * Regression (issue 10, defect 7): with access control on, an unauthenticated
 * `GET /api/health` showed camera ids, errors and source URLs with their query strings
 * (`?apikey=…`). Without valid credentials it now answers the status only; with them, the
 * full body with secrets masked (also when access control is off). In process.
 */
import { Hono } from "hono";
import { Auth } from "../../src/api/auth/guard.ts";
import { opsRoutes } from "../../src/api/ops_routes.ts";
import type { CameraService } from "../../src/cameras/service.ts";
import { createLogger } from "../../src/log.ts";
import { assert, assertEquals } from "../support/assert.ts";

const TOKEN = "tok-0123456789abcdef-secret";
const SECRET = "K3Y-abcdef";
const ERROR =
  `Could not open resource (rtsp://admin:pw@Tail@10.0.0.7:554/live?apikey=${SECRET}&ch=1)`;

/** One camera asked to record that fails with an error naming its source. */
function app(withAuth: boolean, recording = true) {
  const now = 1_700_000_000_000;
  const service = {
    list: () => [{
      gid: 42,
      seq: 7,
      status: { state: "failed", lastError: ERROR, startedAt: now - 600_000 },
    }],
    recorder: () => ({ recording }),
  } as unknown as CameraService;
  const a = new Hono();
  if (withAuth) {
    const auth = new Auth({
      apiToken: TOKEN,
      users: [{ name: "guard", role: "viewer", password: "viewer-pass-7" }],
      sessionHours: 1,
    }, createLogger("json", {}, () => {}));
    a.use("*", auth.middleware());
  }
  a.route(
    "/",
    opsRoutes({
      service,
      now: () => now,
      staleMs: 60_000,
      storageBlocked: () => undefined,
      storageMetrics: () => Promise.resolve({ usedBytes: 0, deletedSegments: 0, deletedBytes: 0 }),
    }),
  );
  return a;
}

const get = async (a: Hono, headers: HeadersInit = {}) => {
  const r = await a.request("/api/health", { headers });
  return { status: r.status, text: await r.text() };
};

Deno.test("health without credentials answers the status only", async () => {
  const a = app(true);
  const tries: Record<string, string>[] = [
    {},
    { authorization: `Bearer ${TOKEN}x` },
    { authorization: "Basic " + btoa("guard:wrong") },
    { cookie: "nvr_session=forged" },
  ];
  for (const headers of tries) {
    const r = await get(a, headers);
    assertEquals([r.status, r.text], [503, '{"status":0}'], JSON.stringify(headers));
  }
  const ok = await get(app(true, false));
  assertEquals([ok.status, ok.text], [200, '{"status":1}']);
});

Deno.test("health with credentials (or access control off): full body, secrets masked", async () => {
  for (
    const [a, headers] of [
      [app(true), { authorization: `Bearer ${TOKEN}` }],
      [app(true), { authorization: "Basic " + btoa("guard:viewer-pass-7") }],
      [app(false), {}],
    ] as [Hono, HeadersInit][]
  ) {
    const r = await get(a, headers);
    assertEquals(r.status, 503);
    const body = JSON.parse(r.text);
    assertEquals(body.cameras, 1);
    assert(body.reasons[0].includes("camera 42/7"), r.text);
    assert(r.text.includes("apikey=***") && r.text.includes("admin:***@10.0.0.7"), r.text);
    for (const secret of [SECRET, "Tail", "pw@"]) assert(!r.text.includes(secret), r.text);
  }
});

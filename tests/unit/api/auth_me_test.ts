/**
 * `GET /api/auth/me` with access control off: 200 and "everyone may change things" (the UI
 * shows admin controls), not a 404 that every page would log as a console error.
 */
import { assertEquals } from "../../support/assert.ts";
import { InProcessNvr } from "../../support/in_process.ts";

Deno.test("GET /api/auth/me without access control: 200, auth false, role admin", async () => {
  const nvr = await new InProcessNvr().start();
  try {
    const r = await nvr.api("GET", "/api/auth/me");
    assertEquals(r.status, 200);
    assertEquals(r.json, { status: 1, auth: false, role: "admin" });
  } finally {
    await nvr.stop();
  }
});

/**
 * Regression (issue 10, defect 2): `PUT /api/camera` with `rtsp://admin:***@attacker:port/…`
 * restored the stored password and sent it to the new host. A masked password is restored only
 * when scheme, user, host and port are unchanged; otherwise the edit is refused (400 on iaddr).
 */
import { MaskedPasswordError, restoreMaskedPassword } from "../../src/cameras/masked_password.ts";
import { parseSource } from "../../src/recorder/source_url.ts";
import { loadConfig } from "../../src/config/config.ts";
import { createLogger } from "../../src/log.ts";
import { createNvr } from "../../src/server.ts";
import { ScriptedGst } from "../support/scripted_gst.ts";
import { assert, assertEquals, assertThrows } from "../support/assert.ts";

const STORED = "rtsp://admin:s3cr!t@10.0.0.1:554/video1";

Deno.test("a masked password is restored only for the same scheme, user, host and port", () => {
  // Same camera, another path: the stored password is kept.
  assertEquals(
    restoreMaskedPassword("rtsp://admin:***@10.0.0.1:554/video2", STORED),
    "rtsp://admin:s3cr!t@10.0.0.1:554/video2",
  );
  // A new password is taken as given.
  assertEquals(
    restoreMaskedPassword("rtsp://admin:n3w@attacker:9/v", STORED),
    "rtsp://admin:n3w@attacker:9/v",
  );
  for (
    const moved of [
      "rtsp://admin:***@attacker:9999/video1", // host and port
      "rtsp://admin:***@attacker:554/video1", // host
      "rtsp://admin:***@10.0.0.1:8554/video1", // port
      "rtsp://admin:***@10.0.0.1/video1", // port (default vs given)
      "rtsps://admin:***@10.0.0.1:554/video1", // scheme
      "http://admin:***@10.0.0.1:554/video1", // scheme
      "rtsp://other:***@10.0.0.1:554/video1", // user
    ]
  ) {
    assertThrows(() => restoreMaskedPassword(moved, STORED), /password/);
  }
  // An @ after the mask moves the host: the password is then `***@10.0.0.1:554`, taken as given.
  const moved = "rtsp://admin:***@10.0.0.1:554@attacker/video1";
  assertEquals(restoreMaskedPassword(moved, STORED), moved);
  // Nothing stored to restore: `***` is not taken as a password.
  assertThrows(
    () => restoreMaskedPassword("rtsp://admin:***@10.0.0.1:554/v", "rtsp://10.0.0.1:554/v"),
    /password/,
  );
  // The password with an @ in it is restored whole.
  const at = "rtsp://admin:s3cr@Tail@10.0.0.1/v";
  assertEquals(
    parseSource(restoreMaskedPassword("rtsp://admin:***@10.0.0.1/w", at)).password,
    "s3cr@Tail",
  );
  assert(new MaskedPasswordError("x") instanceof Error);
});

Deno.test({
  name: "PUT /api/camera with the masked password and a new host: 400, nothing sent there",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const tmp = Deno.makeTempDirSync({ prefix: "nvr-masked-" });
    const config = loadConfig([
      `--media-root=${tmp}/media`,
      `--data-dir=${tmp}/data`,
      "--demo=off",
    ], {});
    const spawned: string[][] = [];
    const nvr = createNvr(config, {
      log: createLogger("json", {}, () => {}),
      spawn: (_cmd, args) => {
        spawned.push(args);
        return new ScriptedGst(args);
      },
    });
    const json = { "content-type": "application/json" };
    const send = (method: string, body: unknown) =>
      nvr.app.request("/api/camera", { method, headers: json, body: JSON.stringify(body) });
    try {
      const cam = { seq: 1, gid: 1, name: "door", protocol: "rtsp", isRec: 0 };
      let r = await send("POST", { ...cam, iaddr: STORED });
      assertEquals(r.status, 201, await r.clone().text());
      const shown = (await (await nvr.app.request("/api/camera")).json())[0].iaddr;
      assertEquals(shown, "rtsp://admin:***@10.0.0.1:554/video1");
      const before = spawned.length;
      r = await send("PUT", { ...cam, b_gid: 1, iaddr: "rtsp://admin:***@attacker:9999/video1" });
      const body = await r.json();
      assertEquals(r.status, 400, JSON.stringify(body));
      assertEquals(body.fields?.[0]?.field, "iaddr");
      assert(/password/.test(body.fields[0].message), body.fields[0].message);
      assertEquals(spawned.length, before, "no pipeline started for the new host");
      assert(!spawned.flat().some((a) => a.includes("attacker")), "attacker never in an argv");
      assertEquals(nvr.service.get(1, 1)?.iaddr, STORED, "stored camera unchanged");
      // The same host with another path keeps the password.
      r = await send("PUT", { ...cam, b_gid: 1, iaddr: "rtsp://admin:***@10.0.0.1:554/video2" });
      assertEquals(r.status, 200, await r.clone().text());
      assertEquals(nvr.service.get(1, 1)?.iaddr, "rtsp://admin:s3cr!t@10.0.0.1:554/video2");
    } finally {
      await nvr.shutdown();
      Deno.removeSync(tmp, { recursive: true });
    }
  },
});

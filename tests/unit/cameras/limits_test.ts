/**
 * Limits (docs/reliability.md, "Limits"): cameras per box, keep locks per camera and
 * their span, the minimum retention age, and restart backoff of failing cameras. In-process
 * with scripted gst-launch children and a fake clock.
 */
import { CameraSettings } from "../../../src/cameras/settings.ts";
import { ConfigError, loadConfig } from "../../../src/config/config.ts";
import { assert, assertEquals } from "../../support/assert.ts";
import { InProcessNvr } from "../../support/in_process.ts";
import type { ScriptedGst } from "../../support/scripted_gst.ts";

const DAY = 86_400_000;
const cameraBody = (seq: number, gid = 1) => ({
  seq,
  gid,
  name: `cam ${gid}/${seq}`,
  iaddr: `rtsp://127.0.0.1:9/cam${seq}`,
  protocol: "rtsp",
  isRec: 1,
});
const NOW = Date.parse("2026-06-15T12:00:00Z");

Deno.test("--max-cameras / NVR_MAX_CAMERAS: default 64, 1 to 1024, bad values named", () => {
  assertEquals(loadConfig([], {}).maxCameras, 64);
  assertEquals(loadConfig(["--max-cameras=8"], {}).maxCameras, 8);
  assertEquals(loadConfig([], { NVR_MAX_CAMERAS: "200" }).maxCameras, 200);
  for (const bad of ["0", "-1", "2.5", "1025", "many"]) {
    let message = "";
    try {
      loadConfig([`--max-cameras=${bad}`], {});
    } catch (err) {
      assert(err instanceof ConfigError);
      message = err.message;
    }
    assert(message.includes("--max-cameras (NVR_MAX_CAMERAS)"), `${bad}: ${message}`);
  }
});

Deno.test("cameras per box: the camera over --max-cameras is refused with 409, a group move is not", async () => {
  const t = new InProcessNvr({ args: ["--max-cameras=3"], start: NOW });
  try {
    await t.start();
    for (const seq of [1, 2, 3]) {
      assertEquals((await t.api("POST", "/api/camera", cameraBody(seq))).status, 201);
    }
    const over = await t.api("POST", "/api/camera", cameraBody(4));
    assertEquals(over.status, 409);
    assertEquals(over.json.status, 0);
    assert(/at most 3 cameras/.test(over.json.error), over.json.error);
    assertEquals(over.json.fields?.[0]?.field, "camera");
    assertEquals(t.recorder.service.list().length, 3);
    assertEquals(t.children.length, 3, "no child for the refused camera");
    // Concurrent adds cannot overshoot the limit either.
    await t.api("DELETE", "/api/camera/seq/3/gid/1");
    const both = await Promise.all([4, 5].map((s) => t.api("POST", "/api/camera", cameraBody(s))));
    assertEquals(both.map((r) => r.status).sort(), [201, 409]);
    const move = await t.api("PUT", "/api/camera", { ...cameraBody(1, 2), b_gid: 1 });
    assertEquals(move.status, 200, "moving a camera to another group does not add one");
  } finally {
    await t.stop();
  }
});

Deno.test("cameras per box: at boot, cameras over the limit are not started and are logged", async () => {
  const t = new InProcessNvr({ args: ["--max-cameras=2"], start: NOW });
  try {
    await Deno.mkdir(t.dataDir, { recursive: true });
    await Deno.writeTextFile(
      `${t.dataDir}/cameras.json`,
      JSON.stringify([1, 2, 3].map((s) => ({ ...cameraBody(s), inserted: "", updated: "" }))),
    );
    await t.start();
    assertEquals(t.children.length, 2);
    assertEquals(t.recorder.service.recorder(1, 3), undefined);
    assert(t.logs.some((l) => l.includes("--max-cameras") && l.includes("1/3")), "logged");
  } finally {
    await t.stop();
  }
});

Deno.test("keep locks: at most 100 per camera (409), a sane span (400 naming the field)", async () => {
  const t = new InProcessNvr({ start: NOW });
  try {
    await t.start();
    await t.api("POST", "/api/camera", cameraBody(1));
    const keep = (start: string | number, end: string | number) =>
      t.api("POST", "/api/camera/seq/1/gid/1/keep", {
        start: typeof start === "number" ? new Date(start).toISOString() : start,
        end: typeof end === "number" ? new Date(end).toISOString() : end,
      });
    const refused = [
      ["0000-01-01T00:00:00Z", "9999-12-31T00:00:00Z", "start"],
      ["1999-12-31T23:59:59Z", "2000-01-02T00:00:00Z", "start"],
      [NOW - 400 * DAY, NOW, "end"], // longer than 366 days
      [NOW + 366 * DAY, NOW + 367 * DAY, "end"], // too far in the future
    ] as const;
    for (const [start, end, field] of refused) {
      const r = await keep(start, end);
      assertEquals([r.status, r.json.status, r.json.fields?.[0]?.field], [400, 0, field]);
    }
    assertEquals((await keep(NOW - 366 * DAY, NOW)).status, 201, "a year is fine");
    assertEquals((await keep(NOW, NOW + 30 * DAY)).status, 201, "the coming month is fine");
    for (let i = 2; i < 100; i++) {
      assertEquals((await keep(NOW - (i + 1) * 60_000, NOW - i * 60_000)).status, 201);
    }
    const full = await t.api("POST", "/api/camera/seq/1/gid/1/keep", {
      start: new Date(NOW - DAY).toISOString(),
      end: new Date(NOW).toISOString(),
    });
    assertEquals([full.status, full.json.status, full.json.fields?.[0]?.field], [409, 0, "keeps"]);
    assert(/100/.test(full.json.error), full.json.error);
    const list = await t.api("GET", "/api/camera/seq/1/gid/1/keep");
    assertEquals(list.json.keeps.length, 100);
    await t.api("DELETE", `/api/camera/seq/1/gid/1/keep/${list.json.keeps[0].id}`);
    assertEquals((await keep(NOW - DAY, NOW)).status, 201, "room again after a delete");
  } finally {
    await t.stop();
  }
});

Deno.test("retention: max_age_days is at least 1 (a typo cannot wipe a camera's history)", async () => {
  const t = new InProcessNvr({ start: NOW });
  try {
    await t.start();
    await t.api("POST", "/api/camera", cameraBody(1));
    const put = (v: unknown) =>
      t.api("PUT", "/api/camera/seq/1/gid/1/retention", { max_age_days: v });
    for (const bad of [1e-9, 0.5, 0, -1, 3651]) {
      const r = await put(bad);
      assertEquals([r.status, r.json.fields?.[0]?.field], [400, "max_age_days"], String(bad));
    }
    assertEquals((await put(1)).status, 200);
    assertEquals((await put(1.5)).json.max_age_days, 1.5);
    assertEquals((await put(null)).json.max_age_days, null);
  } finally {
    await t.stop();
  }
  // A settings file written before the limit (or by hand) is read with the minimum applied.
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(
    `${dir}/camera_settings.json`,
    JSON.stringify({ "1/1": { maxAgeDays: 1e-9, keeps: [] }, "1/2": { maxAgeDays: "x" } }),
  );
  const settings = new CameraSettings(dir);
  await settings.load();
  assertEquals([settings.get(1, 1).maxAgeDays, settings.get(1, 2).maxAgeDays], [1, undefined]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("failing cameras back off to minutes: spawns stay rare, API calls stay fast", async () => {
  const cameras = 32;
  const fail = (c: ScriptedGst) =>
    queueMicrotask(() =>
      c.fail([
        "ERROR: from element /GstPipeline:pipeline0/GstRTSPSrc:src: Could not open resource for reading and writing.",
      ])
    );
  const t = new InProcessNvr({ args: ["--max-cameras=64"], start: NOW, onSpawn: fail });
  try {
    await t.start();
    for (let s = 1; s <= cameras; s++) {
      assertEquals((await t.api("POST", "/api/camera", cameraBody(s))).status, 201);
    }
    // Half an hour of a dead port: 1 s doubling to the 5-minute cap (±20%).
    for (let i = 0; i < 30; i++) await t.clock.advance(60_000);
    const firstHalfHour = t.children.length;
    for (let i = 0; i < 30; i++) await t.clock.advance(60_000);
    const secondHalfHour = t.children.length - firstHalfHour;
    // Per camera: ~10 tries to reach the cap (~8.5 min), then one every 4 to 6 minutes.
    assert(firstHalfHour <= cameras * 16, `first 30 min: ${firstHalfHour} children`);
    assert(secondHalfHour <= cameras * 8, `second 30 min: ${secondHalfHour} children`);
    assert(secondHalfHour >= cameras * 5, `still retried: ${secondHalfHour} children`);
    // The API among them is answered (its speed is the bench's business, not a test's).
    const added = await t.api("POST", "/api/camera", cameraBody(cameras + 1));
    const list = await t.api("GET", "/api/camera");
    assertEquals([added.status, list.json.length], [201, cameras + 1]);
    assert(list.json.every((c: { state: string }) => c.state !== "stopped"));
  } finally {
    await t.stop();
  }
});

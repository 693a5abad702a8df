/** The camera registry and settings on disk: saves in call order, private file modes. */
import { join } from "node:path";
import type { Camera } from "../../../src/cameras/camera.ts";
import { Registry } from "../../../src/cameras/registry.ts";
import { CameraSettings } from "../../../src/cameras/settings.ts";
import { assert, assertEquals } from "../../support/assert.ts";
import { InProcessNvr } from "../../support/in_process.ts";

const camera = (seq: number): Camera => ({
  gid: 1,
  seq,
  name: `cam ${seq}`,
  iaddr: `rtsp://admin:pw@cam${seq}/x`,
  protocol: "rtsp",
  isRec: 1,
  inserted: "",
  updated: "",
});

/**
 * Makes the first write of a temporary file next to `target` slow (as on a busy disk),
 * so that an unserialized second save would land before the first one.
 */
async function withSlowFirstWrite(target: string, fn: () => Promise<void>): Promise<void> {
  const original = Deno.writeTextFile;
  let calls = 0;
  Deno.writeTextFile = (async (path: string | URL, data: unknown, options?: unknown) => {
    if (String(path).startsWith(`${target}.tmp`) && calls++ === 0) {
      await new Promise((r) => setTimeout(r, 200));
    }
    return await (original as (...a: unknown[]) => Promise<void>)(path, data, options);
  }) as typeof Deno.writeTextFile;
  try {
    await fn();
  } finally {
    Deno.writeTextFile = original;
  }
}

Deno.test("registry: concurrent saves leave the newest camera list on disk", async () => {
  const dir = await Deno.makeTempDir();
  const registry = new Registry(dir);
  await withSlowFirstWrite(registry.path, async () => {
    const first = registry.put(camera(1));
    await new Promise((r) => setTimeout(r, 50)); // the first save is writing
    await Promise.all([first, registry.put(camera(2))]);
  });
  const again = new Registry(dir);
  await again.load();
  assertEquals(again.list().map((c) => c.seq), [1, 2]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("settings: concurrent saves leave the newest settings on disk", async () => {
  const dir = await Deno.makeTempDir();
  const settings = new CameraSettings(dir);
  await withSlowFirstWrite(settings.path, async () => {
    const first = settings.update(1, 1, (e) => ({ ...e, maxAgeDays: 7 }));
    await new Promise((r) => setTimeout(r, 50)); // the first save is writing
    await Promise.all([first, settings.update(1, 2, (e) => ({ ...e, maxAgeDays: 9 }))]);
  });
  const again = new CameraSettings(dir);
  await again.load();
  assertEquals([again.get(1, 1).maxAgeDays, again.get(1, 2).maxAgeDays], [7, 9]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("registry: a failed save does not stop later ones", async () => {
  const dir = await Deno.makeTempDir();
  const registry = new Registry(join(dir, "data"));
  await Deno.writeTextFile(join(dir, "data"), "a file where the folder should be");
  let failed = false;
  await registry.put(camera(1)).catch(() => failed = true);
  assertEquals(failed, true);
  await Deno.remove(join(dir, "data"));
  await registry.put(camera(2));
  const again = new Registry(join(dir, "data"));
  await again.load();
  assertEquals(again.list().map((c) => c.seq), [1, 2]);
  await Deno.remove(dir, { recursive: true });
});

const mode = (path: string) => Deno.statSync(path).mode! & 0o777;

Deno.test({
  name: "data dir: registry and settings are written 0600 in a 0700 folder",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const root = await Deno.makeTempDir();
    const dir = join(root, "data");
    const registry = new Registry(dir);
    const settings = new CameraSettings(dir);
    await registry.put(camera(1));
    await settings.update(1, 1, (e) => ({ ...e, maxAgeDays: 7 }));
    assertEquals(mode(dir).toString(8), "700");
    assertEquals(mode(registry.path).toString(8), "600", "cameras.json holds passwords");
    assertEquals(mode(settings.path).toString(8), "600");
    await Deno.remove(root, { recursive: true });
  },
});

Deno.test({
  name: "data dir: start-up makes an existing world-readable data dir and its files private",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const t = new InProcessNvr();
    try {
      await Deno.mkdir(join(t.dataDir, "old"), { recursive: true });
      const files = ["cameras.json", "camera_settings.json", "users.json", join("old", "x.json")];
      await Deno.writeTextFile(
        join(t.dataDir, "cameras.json"),
        JSON.stringify([{ ...camera(1), iaddr: "rtsp://admin:pw@127.0.0.1:9/x" }]),
      );
      for (const f of files.slice(1)) await Deno.writeTextFile(join(t.dataDir, f), "{}");
      for (const f of files) await Deno.chmod(join(t.dataDir, f), 0o644);
      await Deno.chmod(join(t.dataDir, "old"), 0o755);
      await Deno.chmod(t.dataDir, 0o755);
      await t.start();
      assertEquals(mode(t.dataDir).toString(8), "700");
      assertEquals(mode(join(t.dataDir, "old")).toString(8), "700");
      for (const f of files) assertEquals(mode(join(t.dataDir, f)).toString(8), "600", f);
      await t.api("PUT", "/api/camera/record/status", { seq: 1, gid: 1, isRec: 0 });
      assertEquals(mode(join(t.dataDir, "cameras.json")).toString(8), "600", "after a rewrite");
    } finally {
      await t.stop();
    }
  },
});

Deno.test("registry: list sorted by (gid, seq); put replacing moves a camera; remove says whether it had one", async () => {
  const dir = await Deno.makeTempDir();
  const registry = new Registry(dir);
  await registry.put({ ...camera(2), gid: 3 });
  await registry.put(camera(5));
  await registry.put(camera(1));
  assertEquals(registry.list().map((c) => [c.gid, c.seq]), [[1, 1], [1, 5], [3, 2]]);
  assertEquals(registry.get(1, 5)?.name, "cam 5");
  assertEquals(registry.get(9, 9), undefined);
  await registry.put({ ...camera(5), gid: 2, name: "moved" }, { gid: 1, seq: 5 });
  assertEquals(registry.get(1, 5), undefined, "the old key is gone");
  assertEquals(registry.get(2, 5)?.name, "moved");
  assertEquals(await registry.remove(9, 9), false);
  assertEquals(await registry.remove(1, 1), true);
  const again = new Registry(dir);
  assertEquals(await again.load(), []);
  assertEquals(again.list().map((c) => [c.gid, c.seq, c.name]), [[2, 5, "moved"], [3, 2, "cam 2"]]);
  await again.replaceAll([camera(7)]);
  const third = new Registry(dir);
  await third.load();
  assertEquals(third.list().map((c) => c.seq), [7]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("registry: load skips invalid entries (named for the log), a missing file is empty, a torn one an error", async () => {
  const dir = await Deno.makeTempDir();
  const registry = new Registry(dir);
  assertEquals(await registry.load(), [], "no file yet: no cameras, nothing skipped");
  assertEquals(registry.list(), []);
  await Deno.writeTextFile(
    registry.path,
    JSON.stringify([
      { ...camera(1), inserted: "2026-01-01 00:00:00", extra: "dropped" },
      { ...camera(2), iaddr: "ftp://x" },
      { ...camera(3), seq: "3" },
      null,
    ]),
  );
  const skipped = await registry.load();
  assertEquals(skipped, ["1/2", "1/3", "undefined/undefined"]);
  assertEquals(registry.list().length, 1);
  const one = registry.get(1, 1)!;
  assertEquals(one.inserted, "2026-01-01 00:00:00");
  assertEquals(Object.hasOwn(one, "extra"), false, "unknown fields are not kept");
  await Deno.writeTextFile(registry.path, '{"not": "a list"}');
  assertEquals(await new Registry(dir).load(), [], "not a list: nothing loaded");
  await Deno.writeTextFile(registry.path, '[{"seq": 1,');
  let error = "";
  await new Registry(dir).load().catch((e) => error = e.message);
  assert(error.startsWith(`cannot read ${registry.path}`), error);
  await Deno.remove(dir, { recursive: true });
});

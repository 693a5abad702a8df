/**
 * Boot races: the server answers while it boots, so a camera can be deleted (or the
 * server stopped) while its recorder is starting. No child may be left running.
 */
import { join } from "node:path";
import { liveDir } from "../../src/storage/layout.ts";
import { assert, assertEquals } from "../support/assert.ts";
import { flush } from "../support/fake_clock.ts";
import { setup } from "../support/scripted_gst.ts";
import { cameraBody, scriptedNvr } from "../support/scripted_nvr.ts";

async function withRegisteredCameras(seqs: number[]) {
  const t = scriptedNvr();
  await Deno.mkdir(t.dataDir, { recursive: true });
  await Deno.writeTextFile(
    join(t.dataDir, "cameras.json"),
    JSON.stringify(seqs.map((s) => ({ ...cameraBody(s), inserted: "", updated: "" }))),
  );
  return t;
}

/** Waits (real time, bounded) until `cond` holds. */
async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 2000 && !cond(); i++) await new Promise((r) => setTimeout(r, 1));
  assert(cond(), `timed out waiting for ${what}`);
}

Deno.test("boot: a camera deleted before the registry is loaded is deleted, no child starts", async () => {
  const t = await withRegisteredCameras([1, 2]);
  try {
    const booting = t.nvr.start();
    const del = await t.api("DELETE", "/api/camera/seq/1/gid/1");
    await booting;
    await flush();
    assertEquals(del.status, 200, "the delete waited for the registry instead of a 404");
    assertEquals(t.nvr.service.list().map((c) => c.seq), [2]);
    assertEquals(t.nvr.service.recorder(1, 1), undefined);
    assertEquals(t.running().length, 1, "only camera 2's child runs");
  } finally {
    await t.cleanup();
  }
});

Deno.test("boot: a camera deleted while startAll is starting it leaves no child running", async () => {
  const t = await withRegisteredCameras([1, 2]);
  try {
    const booting = t.nvr.start();
    // startAll has created camera 1's recorder; its start (outage log, live folder) is in flight.
    await until(() => t.nvr.service.recorder(1, 1) !== undefined, "camera 1's recorder");
    const del = await t.api("DELETE", "/api/camera/seq/1/gid/1");
    await booting;
    await flush();
    assertEquals(del.status, 200);
    assertEquals(t.nvr.service.recorder(1, 1), undefined);
    assertEquals(
      t.running().map((c) => c.pattern.startsWith(liveDir(t.mediaRoot, 1, 2))),
      [true],
      "one child left, camera 2's",
    );
  } finally {
    await t.cleanup();
  }
});

Deno.test("boot: a recorder stopped while it starts never spawns its child", async () => {
  const { rec, children, root } = setup(Date.parse("2026-06-15T12:00:00Z"));
  const starting = rec.start(); // reading the outage log
  await rec.stop();
  await starting;
  await flush();
  assertEquals(children.length, 0, "no child spawned after stop");
  await Deno.remove(root, { recursive: true });
});

Deno.test("boot: shutdown while cameras start leaves no child running", async () => {
  const t = await withRegisteredCameras([1, 2, 3]);
  try {
    const booting = t.nvr.start();
    await until(() => t.nvr.service.recorder(1, 1) !== undefined, "a recorder");
    await t.nvr.shutdown();
    await booting;
    await flush();
    assertEquals(t.running().length, 0);
  } finally {
    await t.cleanup();
  }
});

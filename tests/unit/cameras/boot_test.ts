/**
 * Boot races: the server answers while it boots, so a camera can be deleted (or the
 * server stopped) while its recorder is starting. No child may be left running.
 */
import { join } from "node:path";
import { liveDir } from "../../../src/storage/layout.ts";
import { assert, assertEquals } from "../../support/assert.ts";
import { flush } from "../../support/fake_clock.ts";
import { InProcessNvr } from "../../support/in_process.ts";
import { type ScriptedGst, setup } from "../../support/scripted_gst.ts";

const camera = (seq: number) => ({
  seq,
  gid: 1,
  name: `cam ${seq}`,
  iaddr: `rtsp://127.0.0.1:9/cam${seq}`,
  protocol: "rtsp",
  isRec: 1,
  inserted: "",
  updated: "",
});

/** An in-process recorder (not started) whose registry on disk holds these cameras. */
async function withRegisteredCameras(seqs: number[]) {
  const exited = new Set<ScriptedGst>();
  const nvr = new InProcessNvr({ onSpawn: (c) => void c.status.then(() => exited.add(c)) });
  await Deno.mkdir(nvr.dataDir, { recursive: true });
  await Deno.writeTextFile(join(nvr.dataDir, "cameras.json"), JSON.stringify(seqs.map(camera)));
  /** Children that have not exited. */
  const running = () => nvr.children.filter((c) => !exited.has(c));
  return { nvr, service: nvr.recorder.service, running };
}

/** Waits (real time, bounded) until `cond` holds. */
async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 2000 && !cond(); i++) await new Promise((r) => setTimeout(r, 1));
  assert(cond(), `timed out waiting for ${what}`);
}

Deno.test("boot: a camera deleted before the registry is loaded is deleted, no child starts", async () => {
  const { nvr, service, running } = await withRegisteredCameras([1, 2]);
  try {
    const booting = nvr.recorder.start();
    const del = await nvr.api("DELETE", "/api/camera/seq/1/gid/1");
    await booting;
    await flush();
    assertEquals(del.status, 200, "the delete waited for the registry instead of a 404");
    assertEquals(service.list().map((c) => c.seq), [2]);
    assertEquals(service.recorder(1, 1), undefined);
    assertEquals(running().length, 1, "only camera 2's child runs");
  } finally {
    await nvr.stop();
  }
});

Deno.test("boot: a camera deleted while startAll is starting it leaves no child running", async () => {
  const { nvr, service, running } = await withRegisteredCameras([1, 2]);
  try {
    const booting = nvr.recorder.start();
    // startAll has created camera 1's recorder; its start (outage log, live folder) is in flight.
    await until(() => service.recorder(1, 1) !== undefined, "camera 1's recorder");
    const del = await nvr.api("DELETE", "/api/camera/seq/1/gid/1");
    await booting;
    await flush();
    assertEquals(del.status, 200);
    assertEquals(service.recorder(1, 1), undefined);
    assertEquals(
      running().map((c) => c.pattern.startsWith(liveDir(nvr.mediaRoot, 1, 2))),
      [true],
      "one child left, camera 2's",
    );
  } finally {
    await nvr.stop();
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
  const { nvr, service, running } = await withRegisteredCameras([1, 2, 3]);
  try {
    const booting = nvr.recorder.start();
    await until(() => service.recorder(1, 1) !== undefined, "a recorder");
    await nvr.recorder.shutdown();
    await booting;
    await flush();
    assertEquals(running().length, 0);
  } finally {
    await nvr.stop();
  }
});

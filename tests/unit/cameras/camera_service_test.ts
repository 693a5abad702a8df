/**
 * The camera service's rules through the real app in-process (InProcessNvr: scripted
 * gst-launch children, a fake clock): one child per added camera, a duplicate refused
 * without touching the first, a group move that takes the recordings along and restarts
 * the child under the new folder, recording toggles that keep the child, and deletion
 * into deleted/ (child stopped, folder moved, purge removes it).
 */
import { exists } from "../../../src/storage/files.ts";
import { join } from "node:path";
import { assert, assertEquals } from "../../support/assert.ts";
import { InProcessNvr } from "../../support/in_process.ts";
import { flush } from "../../support/fake_clock.ts";
import { waitFor } from "../../support/harness.ts";
import type { ScriptedGst } from "../../support/scripted_gst.ts";

const cam = (over: Record<string, unknown> = {}) => ({
  seq: 1,
  gid: 2,
  name: "door",
  iaddr: "rtsp://127.0.0.1:9/x",
  protocol: "rtsp",
  isRec: 1,
  ...over,
});

/** Lets the app and its recorders act on what just happened (no time passes). */
async function settle(nvr: InProcessNvr) {
  await nvr.clock.advance(0);
  await flush();
}

/** The child writes and closes one 2 s segment (2 s of fake time pass). */
async function segment(nvr: InProcessNvr, gst: ScriptedGst) {
  await nvr.clock.advance(2000);
  gst.close(2000);
  await settle(nvr);
}

/** Waits (real time: the recorder writes real files) for the camera's first recorded day. */
function recordedDay(nvr: InProcessNvr, gid: number, seq: number): Promise<string> {
  return waitFor(
    async () => (await nvr.api("GET", `/api/recordings/gid/${gid}/seq/${seq}/days`)).json.days[0],
    `a recorded day of ${gid}/${seq}`,
    5000,
    20,
  );
}

/** Adds camera (2, 1) recording, lets its child write one segment; its child and recorded day. */
async function addAndRecord(nvr: InProcessNvr): Promise<{ gst: ScriptedGst; date: string }> {
  await nvr.api("POST", "/api/camera", cam());
  await settle(nvr);
  const gst = nvr.children[0];
  gst.open();
  await segment(nvr, gst);
  return { gst, date: await recordedDay(nvr, 2, 1) };
}

Deno.test("camera service: add starts one child; a duplicate is refused and leaves it alone", async () => {
  const nvr = await new InProcessNvr().start();
  try {
    assertEquals((await nvr.api("POST", "/api/camera", cam())).status, 201);
    await settle(nvr);
    assertEquals(nvr.children.length, 1, "one child for the camera");
    const first = nvr.children[0];
    assert(first.pattern.startsWith(join(nvr.mediaRoot, "2", "1", "hls")), first.pattern);

    const dup = await nvr.api("POST", "/api/camera", cam({ name: "other" }));
    assertEquals([dup.status, dup.json.status], [409, 0]);
    await settle(nvr);
    assertEquals(nvr.children.length, 1, "no second child");
    assertEquals(first.signals, [], "the first camera's child is untouched");
    assertEquals((await nvr.api("GET", "/api/camera/seq/1/gid/2")).json.name, "door");
    assertEquals((await nvr.api("GET", "/api/camera")).json.length, 1);
  } finally {
    await nvr.stop();
  }
});

Deno.test("camera service: recording on/off keeps the child; a session closes after the segment holding the stop", async () => {
  const nvr = await new InProcessNvr().start();
  try {
    await nvr.api("POST", "/api/camera", cam({ isRec: 0 }));
    await settle(nvr);
    const gst = nvr.children[0];
    gst.open();
    await segment(nvr, gst); // live only
    let r = await nvr.api("PUT", "/api/camera/record/status", { seq: 1, gid: 2, isRec: 1 });
    assertEquals([r.status, r.json.isRec, r.json.record_url], [200, 1, null]);
    await segment(nvr, gst); // recorded
    await recordedDay(nvr, 2, 1);
    r = await nvr.api("PUT", "/api/camera/record/status", { seq: 1, gid: 2, isRec: 0 });
    assertEquals([r.status, r.json.isRec], [200, 0]);
    assert(
      /\/2\/1\/\d{4}-\d{2}-\d{2}\/\d{6}\/index\.m3u8$/.test(r.json.record_url),
      r.json.record_url,
    );
    await segment(nvr, gst); // holds the stop: recorded, then the session closes
    assertEquals(nvr.children.length, 1, "the same child throughout");
    assertEquals(gst.signals, []);
    const c = (await nvr.api("GET", "/api/camera/seq/1/gid/2")).json;
    assertEquals([c.isRec, c.reconnects], [0, 0]);
    const days = (await nvr.api("GET", "/api/recordings/gid/2/seq/1/days")).json.days;
    assertEquals(days.length, 1);
    const day = await waitFor(
      async () => {
        const d = (await nvr.api("GET", `/api/recordings/gid/2/seq/1/date/${days[0]}`)).json;
        return d.sessions[0]?.open === false ? d : undefined;
      },
      "the session to close after the segment holding the stop",
      5000,
      20,
    );
    assertEquals(day.sessions.length, 1);
  } finally {
    await nvr.stop();
  }
});

Deno.test("camera service: a group move takes the recordings along and restarts the child there", async () => {
  const nvr = await new InProcessNvr().start();
  try {
    const { gst, date } = await addAndRecord(nvr);

    // The target is taken: 409, nothing moves.
    await nvr.api("POST", "/api/camera", cam({ gid: 3, isRec: 0 }));
    await settle(nvr);
    const taken = await nvr.api("PUT", "/api/camera", { ...cam(), b_gid: 2, gid: 3 });
    assertEquals(taken.status, 409);
    assert(await exists(join(nvr.mediaRoot, "2", "1", date)), "recordings stay on a refused move");
    assertEquals(await nvr.api("DELETE", "/api/camera/seq/1/gid/3"), { status: 200, json: 1 });
    assertEquals((await nvr.api("PUT", "/api/camera", { ...cam(), b_gid: 8 })).status, 404);

    const spawned = nvr.children.length;
    const moved = await nvr.api("PUT", "/api/camera", {
      ...cam({ name: "moved" }),
      b_gid: 2,
      gid: 3,
    });
    assertEquals(moved.status, 200);
    assertEquals(moved.json.stream_url, `${nvr.base}/3/1/hls/index.m3u8`);
    await settle(nvr);
    assertEquals(gst.signals[0], "SIGINT", "the old child is stopped");
    const next = nvr.children.at(-1)!;
    assertEquals(nvr.children.length, spawned + 1, "one new child");
    assert(next.pattern.startsWith(join(nvr.mediaRoot, "3", "1", "hls")), next.pattern);

    assertEquals((await nvr.api("GET", "/api/camera/seq/1/gid/2")).status, 404);
    assertEquals((await nvr.api("GET", "/api/camera/seq/1/gid/3")).json.name, "moved");
    assert(!await exists(join(nvr.mediaRoot, "2", "1", date)), "nothing left under the old group");
    assert(await exists(join(nvr.mediaRoot, "3", "1", date)), "the day moved with the camera");
    assertEquals((await nvr.api("GET", "/api/recordings/gid/2/seq/1/days")).json.days, []);
    assertEquals((await nvr.api("GET", "/api/recordings/gid/3/seq/1/days")).json.days, [date]);
    const day = (await nvr.api("GET", `/api/recordings/gid/3/seq/1/date/${date}`)).json;
    assertEquals(day.sessions.length, 1);
    const playlist = await nvr.fetch(new URL(day.sessions[0].record_url).pathname);
    assertEquals(playlist.status, 200, "the moved session is served under its new group");
    assert((await playlist.text()).includes("#EXTINF"));
    assertEquals((await nvr.api("POST", "/api/camera", cam())).status, 201, "(2, 1) is free");
  } finally {
    await nvr.stop();
  }
});

Deno.test("camera service: delete stops the child and moves the recordings into deleted/; purge removes them", async () => {
  const nvr = await new InProcessNvr().start();
  try {
    const { gst, date } = await addAndRecord(nvr);

    assertEquals(await nvr.api("DELETE", "/api/camera/seq/1/gid/2"), { status: 200, json: 1 });
    await settle(nvr);
    assertEquals(gst.signals[0], "SIGINT", "the child is stopped");
    assertEquals(nvr.children.length, 1, "and not restarted");
    assertEquals(await nvr.api("DELETE", "/api/camera/seq/1/gid/2"), { status: 404, json: 0 });
    assertEquals((await nvr.api("GET", "/api/camera")).json, []);
    assertEquals((await nvr.api("GET", "/api/recordings/gid/2/seq/1/days")).json.days, []);

    const deleted = (await nvr.api("GET", "/api/deleted")).json;
    assertEquals(deleted.length, 1);
    assertEquals([deleted[0].gid, deleted[0].seq], [2, 1]);
    const area = join(nvr.mediaRoot, "deleted", deleted[0].id);
    assert(await exists(join(area, date)), "the day folder is in the deleted area");
    assert(!await exists(join(nvr.mediaRoot, "2", "1", date)), "and gone from the camera's folder");

    assertEquals((await nvr.api("DELETE", "/api/deleted/..%2F..")).status, 404);
    assertEquals((await nvr.api("DELETE", "/api/deleted/nope")).status, 404);
    assertEquals(await nvr.api("DELETE", `/api/deleted/${deleted[0].id}`), {
      status: 200,
      json: 1,
    });
    assert(!await exists(area), "purged");
    assertEquals((await nvr.api("GET", "/api/deleted")).json, []);
    assertEquals((await nvr.api("POST", "/api/camera", cam())).status, 201, "(2, 1) can come back");
  } finally {
    await nvr.stop();
  }
});

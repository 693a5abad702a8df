/** Health, metrics and outages with a real RTSP server that goes away and comes back. */
import { assert, assertEquals } from "../support/assert.ts";
import { RtspServer, waitFor } from "../support/harness.ts";
import { startRecording } from "../support/recording_camera.ts";

const camera = { seq: 1, gid: 1, name: "door", protocol: "rtsp", isRec: 1 };

Deno.test("health: an outage is recorded with its reason, 503 while silent, kept across restarts", async () => {
  const rc = await startRecording({
    rtsp: { gop: 25 },
    nvr: { extraArgs: ["--health-stale-seconds=5"] },
    segments: 2,
  });
  const { nvr } = rc;
  let rtsp = rc.rtsp;
  const port = rtsp.port;
  try {
    const health = await nvr.api("GET", "/api/health");
    assertEquals([health.status, health.json.reasons], [200, []]);
    const metrics = await (await fetch(`${nvr.base}/metrics`)).text();
    assert(metrics.includes('nvr_cameras{state="recording"} 1'), "camera counted as recording");
    assert(/nvr_bytes_written_total\{gid="1",seq="1"\} [1-9]/.test(metrics), "bytes written");
    assert(/nvr_segment_latency_seconds_count\{gid="1",seq="1"\} [1-9]/.test(metrics));
    const heap = Number(/^nvr_heap_used_bytes (\d+)$/m.exec(metrics)?.[1]);
    assert(heap > 1e6 && heap < 2e9, `heap in use reported: ${heap}`);

    await rtsp.stop(); // the camera goes away
    const down = await waitFor(
      async () => {
        const r = await nvr.api("GET", "/api/health");
        return r.status === 503 ? r.json : undefined;
      },
      "health to report the silent recording camera",
      30_000,
    );
    assert(down.reasons[0].includes("camera 1/1"), JSON.stringify(down));
    // Health goes stale after 5 s without a segment; the outage starts when the recorder sees
    // the child fail (at once on a closed connection, at the in-pipeline watchdog, seconds later, when the
    // close is not seen): either may come first on a loaded box.
    const open = await waitFor(
      async () => {
        const o = (await nvr.api("GET", "/api/camera/seq/1/gid/1/outages")).json.outages;
        return o.length > 0 ? o : undefined;
      },
      "the outage to be listed",
      20_000,
    );
    assertEquals(open.length, 1);
    assertEquals(open[0].end, null);
    assert(open[0].reason.length > 0, "a reason from the bus or the exit");

    rtsp = await new RtspServer({ gop: 25, port }).start(); // back
    await waitFor(
      async () => (await nvr.api("GET", "/api/health")).status === 200,
      "recovery",
      40_000,
    );
    const closed = (await nvr.api("GET", "/api/camera/seq/1/gid/1/outages")).json.outages;
    assert(closed[0].end !== null && closed[0].end >= closed[0].start, JSON.stringify(closed));

    await nvr.stop();
    await nvr.start(); // outages are data on disk: still listed, plus the restart itself
    const after = (await nvr.api("GET", "/api/camera/seq/1/gid/1/outages")).json.outages;
    assertEquals(after[0], closed[0]);
    assertEquals(after[1].reason, "recorder stopped");
    const bad = await nvr.api("GET", "/api/camera/seq/1/gid/1/outages?from=yesterday");
    assertEquals([bad.status, bad.json.fields[0].field], [400, "from"]);
    assertEquals((await nvr.api("GET", "/api/camera/seq/9/gid/1/outages")).status, 404);

    const file = await nvr.api("POST", "/api/camera", {
      ...camera,
      seq: 2,
      iaddr: "file:///clips/door.mp4",
    });
    assertEquals([file.status, file.json.fields[0].field], [400, "iaddr"], "no --file-root");

    // Schedules and retention settings live on their own endpoints, validated.
    const sched = "/api/camera/seq/1/gid/1/schedule";
    const badZone = await nvr.api("PUT", sched, {
      start: "0 8 * * *",
      stop: "0 18 * * *",
      timezone: "Mars/X",
    });
    assertEquals([badZone.status, badZone.json.fields[0].field], [400, "timezone"]);
    const badCron = await nvr.api("PUT", sched, { start: "0 8 * *", stop: "0 18 * * *" });
    assertEquals([badCron.status, badCron.json.fields[0].field], [400, "start"]);
    const set = await nvr.api("PUT", sched, {
      start: "0 0 1 1 *",
      stop: "0 0 2 1 *",
      timezone: "Europe/Berlin",
    });
    assertEquals(set.status, 200);
    assert(set.json.next_change.at, "next edge reported");
    assertEquals(
      (await nvr.api("GET", "/api/camera/seq/1/gid/1")).json.isRec,
      set.json.scheduled_on ? 1 : 0,
    );
    assertEquals((await nvr.api("GET", sched)).json.schedule.timezone, "Europe/Berlin");
    assertEquals((await nvr.api("DELETE", sched)).json, 1);
    const age = await nvr.api("PUT", "/api/camera/seq/1/gid/1/retention", { max_age_days: -1 });
    assertEquals([age.status, age.json.fields[0].field], [400, "max_age_days"]);
  } finally {
    await rc.stop();
    await rtsp.stop();
  }
});

/** Outages as data, health verdicts and Prometheus text: pure parts and the recorder's hooks. */
import { evaluateHealth } from "../../../src/health/health.ts";
import { renderMetrics } from "../../../src/health/metrics.ts";
import {
  foldOutages,
  outageChange,
  OutageLog,
  parseOutageLines,
} from "../../../src/storage/outages.ts";
import { assert, assertEquals } from "../../support/assert.ts";
import { settle, setup } from "../../support/scripted_gst.ts";

Deno.test("outage lines fold into outages; a torn last line is skipped", () => {
  const lines = parseOutageLines(
    [
      '{"type":"start","at":100,"reason":"src: Not found"}',
      '{"type":"start","at":150,"reason":"second start is ignored"}',
      '{"type":"end","at":300}',
      '{"type":"end","at":400}',
      '{"type":"start","at":500,"reason":"recorder stopped"}',
      '{"type":"end","at":',
    ].join("\n"),
  );
  assertEquals(foldOutages(lines), [
    { startMs: 100, reason: "src: Not found", endMs: 300 },
    { startMs: 500, reason: "recorder stopped" },
  ]);
  assertEquals(outageChange(false, "reconnecting"), "start");
  assertEquals(outageChange(false, "connecting"), undefined);
  assertEquals(outageChange(true, "connecting"), undefined);
  assertEquals(outageChange(true, "recording"), "end");
  assertEquals(outageChange(false, "streaming"), undefined);
});

Deno.test("an outage left open survives a restart of the log (persisted)", async () => {
  const root = await Deno.makeTempDir();
  const a = new OutageLog(root, 1, 2);
  await a.load();
  a.onState("failed", 1000, "src: Could not connect");
  a.onState("recording", 5000, "");
  a.onState("stopped", 9000, "recorder stopped");
  await a.flushed();
  const b = new OutageLog(root, 1, 2);
  await b.load();
  assertEquals(b.open?.startMs, 9000, "the open outage is still open after a restart");
  assertEquals(b.onState("streaming", 12_000, ""), "end");
  await b.flushed();
  assertEquals(await b.list(), [
    { startMs: 1000, reason: "src: Could not connect", endMs: 5000 },
    { startMs: 9000, reason: "recorder stopped", endMs: 12_000 },
  ]);
});

Deno.test("health: 503 only for silent recording cameras or blocked storage", () => {
  const now = 1_000_000;
  const cam = { gid: 1, seq: 1, recording: true, state: "recording", startedAt: now - 600_000 };
  assertEquals(evaluateHealth(now, [{ ...cam, lastSegmentAt: now - 3000 }], {}, 60_000).ok, true);
  const silent = evaluateHealth(
    now,
    [{ ...cam, state: "reconnecting", lastSegmentAt: now - 120_000, lastError: "src: EOF" }],
    {},
    60_000,
  );
  assertEquals(silent.ok, false);
  assert(silent.reasons[0].includes("camera 1/1") && silent.reasons[0].includes("120 s"));
  assert(silent.reasons[0].includes("src: EOF"), "the GStreamer reason is given");
  // Just started: not stale yet, even without any segment.
  assertEquals(evaluateHealth(now, [{ ...cam, startedAt: now - 5000 }], {}, 60_000).ok, true);
  // A camera that only streams is a warning, not a failure.
  const streaming = evaluateHealth(
    now,
    [{ ...cam, recording: false, state: "failed", lastSegmentAt: undefined }],
    {},
    60_000,
  );
  assertEquals([streaming.ok, streaming.warnings.length], [true, 1]);
  const full = evaluateHealth(now, [], { blocked: "disk full" }, 60_000);
  assertEquals([full.ok, full.reasons], [false, ["storage: disk full"]]);
});

Deno.test("metrics: Prometheus text with states, counters and a latency histogram", () => {
  const text = renderMetrics([
    {
      gid: 1,
      seq: 2,
      state: "recording",
      reconnects: 3,
      segments: 10,
      lastSegmentAt: 2_000_000,
      outages: 1,
      stats: {
        bytesWritten: 12345,
        bitrate: 2_000_000,
        latencyBuckets: [0, 1, 2, 2, 2, 2, 2, 2],
        latencyCount: 2,
        latencySumSeconds: 0.06,
      },
    },
    { gid: 1, seq: 3, state: "failed", reconnects: 7, segments: 0, outages: 1 },
  ], { usedBytes: 99, freeBytes: 1000, deletedSegments: 4, deletedBytes: 400 });
  for (
    const line of [
      'nvr_cameras{state="recording"} 1',
      'nvr_cameras{state="failed"} 1',
      'nvr_cameras{state="paused"} 0',
      'nvr_camera_restarts_total{gid="1",seq="3"} 7',
      'nvr_bytes_written_total{gid="1",seq="2"} 12345',
      'nvr_segment_latency_seconds_bucket{gid="1",seq="2",le="0.05"} 1',
      'nvr_segment_latency_seconds_bucket{gid="1",seq="2",le="+Inf"} 2',
      'nvr_segment_latency_seconds_count{gid="1",seq="2"} 2',
      "nvr_storage_free_bytes 1000",
      "nvr_retention_deleted_bytes_total 400",
      "# TYPE nvr_segment_latency_seconds histogram",
    ]
  ) assert(text.split("\n").includes(line), `missing: ${line}`);
  for (const line of text.split("\n").filter((l) => l && !l.startsWith("#"))) {
    assert(/^[a-z_]+(\{[^}]*\})? [0-9.e+-]+$/.test(line), `not exposition format: ${line}`);
  }
});

Deno.test("recorder: a failure opens an outage with the bus reason, the next segment ends it", async () => {
  const { root, clock, children, rec } = setup(Date.UTC(2026, 0, 1), "rtsp://cam/x", 1);
  await rec.start();
  await clock.advance(0);
  children[0].open();
  await clock.advance(2000);
  children[0].close(2000);
  await settle(rec);
  assertEquals(rec.status.stats?.bytesWritten, 1880);
  assertEquals(rec.status.stats?.bitrate, 1880 * 8 / 2);
  assertEquals(rec.status.stats?.latencyCount, 1);
  children[0].fail([
    "ERROR: from element /GstPipeline:pipeline0/GstRTSPSrc:src: Could not read from resource.",
  ]);
  await clock.advance(10);
  assertEquals(rec.status.outageSince, Date.UTC(2026, 0, 1) + 2000);
  await clock.advance(1000);
  children[1].open();
  await settle(rec);
  assertEquals(rec.status.outageSince, undefined);
  const endAt = clock.now();
  await rec.stop();
  const outages = await rec.outages.list();
  assertEquals(outages.length, 2);
  assertEquals(outages[0].reason, "src: Could not read from resource.");
  assertEquals(outages[0].endMs, endAt, "ends when the new run opens a segment");
  assertEquals(outages[1].reason, "recorder stopped");
  assert(Deno.statSync(`${root}/1/2/outages.jsonl`).isFile);
});

Deno.test("recorder: storage blocked pauses recording with a reason and resumes by itself", async () => {
  let blocked: string | undefined;
  const start = new Date(2026, 4, 10, 12, 0, 0).getTime();
  const { clock, children, rec, catalog } = setup(start, "rtsp://cam/x", 1, {
    storageBlocked: () => blocked,
  });
  await rec.start();
  await clock.advance(0);
  const gst = children[0];
  gst.open();
  await clock.advance(2000);
  gst.close(2000);
  await settle(rec);
  assertEquals(rec.status.state, "recording");
  blocked = "disk full (12 MB free, minimum 100 MB)";
  await clock.advance(2000);
  gst.close(2000);
  await settle(rec);
  assertEquals(rec.status.state, "paused");
  assert(rec.status.lastError?.includes("disk full"));
  assert(rec.status.outageSince !== undefined, "a pause is an outage of recording");
  blocked = undefined;
  await clock.advance(2000);
  gst.close(2000);
  await settle(rec);
  assertEquals(rec.status.state, "recording");
  await rec.stop();
  const s = catalog.sessions(1, 2, "2026-05-10")[0];
  assertEquals(s.segments, 2, "the segments before and after the pause");
  assertEquals(s.spans.length, 2, "the paused segment is a gap");
});

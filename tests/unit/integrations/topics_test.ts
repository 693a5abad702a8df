/** MQTT topic names and payloads (src/integrations/topics.ts, discovery.ts): pure. */
import { discoveryConfigs, discoveryRemovals } from "../../../src/integrations/discovery.ts";
import {
  eventPayload,
  linksFor,
  parseRecordingSet,
  statePayload,
  topicsFor,
} from "../../../src/integrations/topics.ts";
import type { NvrEvent } from "../../../src/events.ts";
import { assert, assertEquals, assertMatch } from "../../support/assert.ts";

const t = topicsFor("nvr", "box1");
const links = linksFor("http://nvr.example:8000");
const AT = Date.UTC(2026, 11, 1, 14, 5, 2);

Deno.test("topics: every topic under {prefix}/{node}, cameras as {gid}-{seq}", () => {
  assertEquals(t.availability, "nvr/box1/availability");
  assertEquals(t.events, "nvr/box1/events");
  assertEquals(t.state(2, 7), "nvr/box1/camera/2-7/state");
  assertEquals(t.motion(2, 7), "nvr/box1/camera/2-7/motion");
  assertEquals(t.snapshotUrl(2, 7), "nvr/box1/camera/2-7/snapshot_url");
  assertEquals(t.recordingSet(2, 7), "nvr/box1/camera/2-7/recording/set");
  assertEquals(t.recordingSetFilter, "nvr/box1/camera/+/recording/set");
  assertEquals(topicsFor("home/nvr", "n").availability, "home/nvr/n/availability");
});

Deno.test("recording/set: ON/OFF (any case, spaces) on a camera's topic; anything else ignored", () => {
  assertEquals(parseRecordingSet(t, t.recordingSet(2, 7), "OFF"), { gid: 2, seq: 7, on: false });
  assertEquals(parseRecordingSet(t, t.recordingSet(1, 1), " on\n"), { gid: 1, seq: 1, on: true });
  assertEquals(parseRecordingSet(t, t.recordingSet(1, 1), "1"), undefined);
  assertEquals(parseRecordingSet(t, t.recordingSet(1, 1), ""), undefined);
  assertEquals(parseRecordingSet(t, "nvr/box1/camera/x-1/recording/set", "ON"), undefined);
  assertEquals(parseRecordingSet(t, "nvr/other/camera/1-1/recording/set", "ON"), undefined);
  assertEquals(parseRecordingSet(t, "nvr/box1/camera/1-1/2-2/recording/set", "ON"), undefined);
});

Deno.test("state payload: ISO times, nulls, a password in the error masked", () => {
  const json = JSON.parse(statePayload({
    state: "failed",
    isRec: 1,
    lastSegmentAt: AT,
    lastError: "could not open rtsp://admin:hunter22@cam.example/h264",
  }));
  assertEquals(json, {
    state: "failed",
    isRec: 1,
    last_segment_at: "2026-12-01T14:05:02.000Z",
    last_error: "could not open rtsp://admin:***@cam.example/h264",
  });
  assertEquals(JSON.parse(statePayload({ state: "connecting", isRec: 0 })), {
    state: "connecting",
    isRec: 0,
    last_segment_at: null,
    last_error: null,
  });
});

const motion = (phase: "start" | "update" | "end", end?: number): NvrEvent => ({
  type: "motion",
  at: end ?? AT,
  gid: 2,
  seq: 7,
  phase,
  event: { id: "20261201-140502-000", start: AT, end, score: 0.25, box: [0.1, 0.2, 0.3, 0.4] },
});

Deno.test("motion start and end: one message each, absolute snapshot and review links", () => {
  const start = eventPayload(motion("start"), "box1", links)!;
  assertEquals(start.type, "motion");
  assertEquals(start.phase, "start");
  assertEquals(start.camera, "2-7");
  assertEquals(start.node, "box1");
  assertEquals(start.start, "2026-12-01T14:05:02.000Z");
  assertEquals(start.end, null);
  assertEquals(start.score, 0.25);
  assertEquals(start.snapshot_url, `http://nvr.example:8000/2/7/snapshot.jpg?t=${AT}`);
  assertEquals(start.thumbnail_url, "http://nvr.example:8000/2/7/events/20261201-140502-000.jpg");
  const review = new URL(start.review_url as string);
  assertEquals(review.origin + review.pathname, "http://nvr.example:8000/recordings");
  assertEquals(review.searchParams.get("cam"), "2-7");
  assertEquals(review.searchParams.get("t"), "2026-12-01T14:05:02.000Z");
  assertMatch(review.searchParams.get("date") ?? "", /^2026-12-0[12]$/); // local date
  const end = eventPayload(motion("end", AT + 9000), "box1", links)!;
  assertEquals(end.phase, "end");
  assertEquals(end.end, "2026-12-01T14:05:11.000Z");
  assertEquals(eventPayload(motion("update"), "box1", links), undefined);
});

Deno.test("camera and storage events: messages without secrets; state and list changes have none", () => {
  const off = eventPayload(
    { type: "camera_offline", at: AT, gid: 1, seq: 3, reason: "rtsp://u:pw123456@h/ refused" },
    "box1",
    links,
  )!;
  assertEquals(off.type, "camera_offline");
  assertEquals(off.camera, "1-3");
  assertEquals(off.reason, "rtsp://u:***@h/ refused");
  assert(!JSON.stringify(off).includes("pw123456"));
  assertEquals(
    eventPayload({ type: "camera_online", at: AT, gid: 1, seq: 3 }, "n", links)?.type,
    "camera_online",
  );
  assertEquals(
    eventPayload({ type: "recording_paused", at: AT, reason: "disk full" }, "n", links),
    { type: "recording_paused", node: "n", at: "2026-12-01T14:05:02.000Z", reason: "disk full" },
  );
  assertEquals(
    eventPayload({ type: "recording_resumed", at: AT }, "n", links),
    { type: "recording_resumed", node: "n", at: "2026-12-01T14:05:02.000Z" },
  );
  assertEquals(
    eventPayload({ type: "storage_low", at: AT, freeBytes: 1234 }, "n", links)?.free_bytes,
    1234,
  );
  const none: NvrEvent[] = [
    { type: "camera_state", at: AT, gid: 1, seq: 1, state: "recording", isRec: 1 },
    { type: "camera_added", at: AT, gid: 1, seq: 1, name: "x" },
    { type: "camera_removed", at: AT, gid: 1, seq: 1 },
  ];
  for (const e of none) assertEquals(eventPayload(e, "n", links), undefined);
});

Deno.test("discovery: four entities of one device, stable unique ids, topics of the camera", () => {
  const msgs = discoveryConfigs(t, "box.1", { gid: 2, seq: 7, name: "Porch" });
  assertEquals(msgs.map((m) => m.topic), [
    "homeassistant/binary_sensor/box_1_2_7_motion/config",
    "homeassistant/switch/box_1_2_7_recording/config",
    "homeassistant/binary_sensor/box_1_2_7_connectivity/config",
    "homeassistant/image/box_1_2_7_snapshot/config",
  ]);
  const [motion, recording, connectivity, image] = msgs.map((m) => JSON.parse(m.payload));
  for (const c of [motion, recording, connectivity, image]) {
    assertEquals(c.device.identifiers, ["nvr_box_1_2_7"]);
    assertEquals(c.device.name, "Porch");
    assertEquals(c.availability_topic, "nvr/box1/availability");
    assertEquals(c.payload_not_available, "offline");
  }
  assertEquals(
    [motion, recording, connectivity, image].map((c) => c.unique_id),
    ["box_1_2_7_motion", "box_1_2_7_recording", "box_1_2_7_connectivity", "box_1_2_7_snapshot"],
  );
  assertEquals(motion.device_class, "motion");
  assertEquals(motion.state_topic, "nvr/box1/camera/2-7/motion");
  assertEquals(recording.command_topic, "nvr/box1/camera/2-7/recording/set");
  assertEquals(recording.state_topic, "nvr/box1/camera/2-7/state");
  assertMatch(recording.value_template, /value_json\.isRec == 1/);
  assertEquals(connectivity.device_class, "connectivity");
  assertEquals(image.url_topic, "nvr/box1/camera/2-7/snapshot_url");
  assertEquals(image.content_type, undefined, "HA refuses content_type beside url_topic");
  // The same camera gives the same configs (ids do not depend on time or order).
  assertEquals(discoveryConfigs(t, "box.1", { gid: 2, seq: 7, name: "Porch" }), msgs);
  // Removal: an empty retained config on every one of those topics.
  const gone = discoveryRemovals("box.1", 2, 7);
  assertEquals(gone.map((m) => m.topic), msgs.map((m) => m.topic));
  assert(gone.every((m) => m.payload === ""));
});

Deno.test("discovery: a camera without a name is named by its ids", () => {
  const [m] = discoveryConfigs(t, "n", { gid: 3, seq: 4 });
  assertEquals(JSON.parse(m.payload).device.name, "Camera 3-4");
});

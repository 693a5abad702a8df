/** The camera state machine (recorder/camera_state.ts), without processes: every transition. */
import {
  type CameraEvent,
  type CameraMachine,
  initialCamera,
  transition,
} from "../../../src/recorder/camera_state.ts";
import { CAMERA_STATES, type CameraState } from "../../../src/recorder/camera_status.ts";
import { assert, assertEquals } from "../../support/assert.ts";

const T0 = 1_000;
const AT = 5_000;
const STATES: readonly CameraState[] = CAMERA_STATES;

const camera = (state: CameraState, more: Partial<CameraMachine> = {}): CameraMachine => ({
  ...initialCamera(T0, false),
  state,
  ...more,
});

const down = (state: "paused" | "reconnecting" | "failed", error: string): CameraEvent => ({
  type: "run-ended",
  at: AT,
  outcome: { kind: "down", state, error },
  delayMs: 2000,
  code: 1,
});

/** The state each event leads to from `from` (not stopped), wanted or not. */
function expectedState(from: CameraState, event: CameraEvent, wanted: boolean): CameraState {
  switch (event.type) {
    case "source-invalid":
      return "failed";
    case "run-started":
      return "connecting";
    case "segment-opened":
      return !wanted ? "streaming" : event.blocked ? "paused" : "recording";
    case "disk-blocked":
      return "paused";
    case "storage-failed":
      return /no space left|ENOSPC|quota/i.test(event.error) ? "paused" : "failed";
    case "run-ended":
      return event.outcome.kind === "down" ? event.outcome.state : from;
    case "recording":
      if (event.on && from === "streaming") return event.blocked ? "paused" : "recording";
      if (!event.on && (from === "recording" || from === "paused")) return "streaming";
      return from;
    case "stopped":
      return "stopped";
    default:
      return from;
  }
}

const EVENTS: CameraEvent[] = [
  { type: "source-invalid", at: AT, error: "bad url" },
  { type: "run-started", at: AT },
  { type: "playing", at: AT },
  { type: "segment-opened", at: AT },
  { type: "segment-opened", at: AT, blocked: "disk full" },
  { type: "segment-stored", at: AT, endMs: 4_000 },
  { type: "disk-blocked", at: AT, reason: "disk full" },
  { type: "storage-failed", at: AT, error: "No space left on device (os error 28)" },
  { type: "storage-failed", at: AT, error: "Permission denied (os error 13)" },
  down("reconnecting", "no data from camera (watchdog)"),
  down("failed", "Could not open resource for reading"),
  down("paused", "recording paused: disk full; gst-launch exited (code 1)"),
  { type: "run-ended", at: AT, outcome: { kind: "loop" }, delayMs: 500, code: 0 },
  { type: "run-ended", at: AT, outcome: { kind: "learnt", detail: "h265" }, delayMs: 1, code: 1 },
  { type: "run-ended", at: AT, outcome: { kind: "stopped" }, delayMs: 0, code: 0 },
  { type: "recording", at: AT, on: true, closing: false, writing: true },
  { type: "recording", at: AT, on: true, blocked: "disk full", closing: false, writing: true },
  { type: "recording", at: AT, on: false, closing: true, writing: true },
  { type: "stopped", at: AT },
];

Deno.test("camera state: every event from every live state, recording wanted or not", () => {
  for (const from of STATES.filter((s) => s !== "stopped")) {
    for (const wanted of [false, true]) {
      for (const event of EVENTS) {
        const before = camera(from, { wanted, lastError: "before" });
        const { camera: after, effects } = transition(before, event);
        const what = `${from} (wanted ${wanted}) + ${JSON.stringify(event)}`;
        const to = expectedState(from, event, wanted);
        assertEquals(after.state, to, what);
        const changes = effects.filter((e) => e.type === "state-changed");
        if (to === from) {
          assertEquals(changes, [], what);
          assertEquals(after.since, T0, what);
        } else {
          assertEquals(changes.length, 1, what);
          assertEquals([changes[0].state, changes[0].at], [to, AT], what);
          assertEquals(after.since, AT, what);
        }
        assertEquals(before.state, from, `${what}: the input is not changed`);
      }
    }
  }
});

Deno.test("camera state: stopped is final; later events change nothing and ask for nothing", () => {
  const stopped = camera("stopped", { since: T0, lastError: "recorder stopped", wanted: true });
  for (const event of EVENTS) {
    const { camera: after, effects } = transition(stopped, event);
    assertEquals(after, stopped, JSON.stringify(event));
    assertEquals(effects, [], JSON.stringify(event));
  }
});

Deno.test("camera state: the reason an outage is recorded with", () => {
  const reason = (c: CameraMachine, e: CameraEvent) => {
    const change = transition(c, e).effects.find((x) => x.type === "state-changed");
    return change?.type === "state-changed" ? change.reason : undefined;
  };
  // An error given with the event is the reason, and becomes the last error.
  const failed = transition(camera("connecting"), down("failed", "401 Unauthorized"));
  assertEquals(failed.camera.lastError, "401 Unauthorized");
  assertEquals(
    reason(camera("connecting"), down("failed", "401 Unauthorized")),
    "401 Unauthorized",
  );
  // Without one: the last error, else the state's name; stopping says so.
  assertEquals(
    reason(camera("failed", { lastError: "401" }), { type: "run-started", at: AT }),
    "401",
  );
  assertEquals(reason(camera("failed"), { type: "run-started", at: AT }), "connecting");
  assertEquals(reason(camera("recording"), { type: "stopped", at: AT }), "recorder stopped");
  assertEquals(
    reason(camera("recording", { wanted: true }), {
      type: "disk-blocked",
      at: AT,
      reason: "disk full",
    }),
    "recording paused: disk full",
  );
  assertEquals(
    reason(camera("recording"), { type: "storage-failed", at: AT, error: "Permission denied" }),
    "storage: Permission denied",
  );
  assertEquals(
    reason(camera("recording"), { type: "storage-failed", at: AT, error: "ENOSPC" }),
    "recording paused: disk full",
  );
  // A segment opened while the disk is blocked pauses with why; not wanted: just streams.
  const blocked: CameraEvent = { type: "segment-opened", at: AT, blocked: "disk full" };
  assertEquals(
    reason(camera("connecting", { wanted: true }), blocked),
    "recording paused: disk full",
  );
  assertEquals(transition(camera("connecting"), blocked).camera.lastError, undefined);
});

Deno.test("camera state: a run's end says when the next one starts, and what to log", () => {
  const end = (c: CameraMachine, e: CameraEvent) => transition(c, e);
  const stopped = end(camera("recording"), {
    type: "run-ended",
    at: AT,
    outcome: { kind: "stopped" },
    delayMs: 0,
    code: 0,
  });
  assertEquals(stopped.effects, [{ type: "restart", delayMs: undefined }]);
  const loop = end(camera("streaming"), {
    type: "run-ended",
    at: AT,
    outcome: { kind: "loop" },
    delayMs: 500,
    code: 0,
  });
  assertEquals(loop.effects, [{ type: "restart", delayMs: 0 }]);
  assertEquals(loop.camera.reconnects, 0);
  const learnt = end(camera("connecting"), {
    type: "run-ended",
    at: AT,
    outcome: { kind: "learnt", detail: "codec h265" },
    delayMs: 1000,
    code: 1,
  });
  assertEquals(learnt.effects, [
    {
      type: "log",
      level: "info",
      message: "camera stream learnt",
      fields: { detail: "codec h265" },
    },
    { type: "restart", delayMs: 100 },
  ]);
  assertEquals([learnt.camera.state, learnt.camera.reconnects, learnt.camera.started], [
    "connecting",
    0,
    false,
  ]);
  const failed = end(camera("connecting", { reconnects: 2 }), down("failed", "refused"));
  assertEquals(failed.effects, [
    { type: "state-changed", state: "failed", at: AT, reason: "refused" },
    {
      type: "log",
      level: "warn",
      message: "camera pipeline ended",
      fields: { error: "refused", code: 1, restartInMs: 2000 },
    },
    { type: "restart", delayMs: 2000 },
  ]);
  assertEquals([failed.camera.reconnects, failed.camera.started], [3, true]);
  // Down again in the same state: counted and logged, no second outage line.
  const again = end(failed.camera, down("failed", "refused"));
  assertEquals(again.camera.reconnects, 4);
  assertEquals(again.effects.filter((e) => e.type === "state-changed"), []);
});

Deno.test("camera state: started, segments and recording wanted", () => {
  let c = initialCamera(T0, false);
  assertEquals(c, {
    state: "connecting",
    since: T0,
    reconnects: 0,
    segments: 0,
    started: false,
    wanted: false,
  });
  c = transition(c, { type: "playing", at: AT }).camera;
  assertEquals([c.state, c.started], ["connecting", true]);
  const opened = transition(initialCamera(T0, false), { type: "segment-opened", at: AT });
  assertEquals([opened.camera.state, opened.camera.started], ["streaming", true]);
  c = transition(opened.camera, { type: "segment-stored", at: AT, endMs: 7_000 }).camera;
  c = transition(c, { type: "segment-stored", at: AT, endMs: 9_000 }).camera;
  assertEquals([c.segments, c.lastSegmentAt, c.state], [2, 9_000, "streaming"]);
  const invalid = transition(initialCamera(T0, true), {
    type: "source-invalid",
    at: AT,
    error: "bad",
  });
  assertEquals([invalid.camera.state, invalid.camera.started, invalid.camera.lastError], [
    "failed",
    true,
    "bad",
  ]);
  // Wanted is remembered in any state: the next opened segment applies it.
  const on = transition(camera("connecting"), {
    type: "recording",
    at: AT,
    on: true,
    closing: false,
    writing: false,
  });
  assertEquals([on.camera.state, on.camera.wanted, on.effects], ["connecting", true, []]);
  assertEquals(transition(on.camera, { type: "segment-opened", at: AT }).camera.state, "recording");
});

Deno.test("camera state: turning recording off closes the session now only when no segment will", () => {
  const off = (closing: boolean, writing: boolean) =>
    transition(camera("recording", { wanted: true }), {
      type: "recording",
      at: AT,
      on: false,
      closing,
      writing,
    }).effects.filter((e) => e.type === "close-session");
  assertEquals(off(true, false), [{ type: "close-session" }]);
  assertEquals(off(true, true), [], "the segment being written closes it");
  assertEquals(off(false, false), [], "no session to close");
  const on = transition(camera("reconnecting"), {
    type: "recording",
    at: AT,
    on: true,
    closing: true,
    writing: false,
  });
  assert(!on.effects.some((e) => e.type === "close-session"), "turning on closes nothing");
});

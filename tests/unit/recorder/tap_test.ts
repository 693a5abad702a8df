import { type RecorderTap, Taps } from "../../../src/recorder/tap.ts";
import { EventHub, type NvrEvent } from "../../../src/events.ts";
import { stateEvents } from "../../../src/recorder/state_events.ts";
import { assertEquals } from "../../support/assert.ts";

Deno.test("taps hear runs and lines; one that throws is reported and the others still hear", async () => {
  const heard: string[] = [];
  const reported: string[] = [];
  const bad: RecorderTap = {
    branch: () => undefined,
    onLine: () => {
      throw new Error("boom");
    },
  };
  const good: RecorderTap = {
    branch: () => undefined,
    runStarted: (run) => heard.push(`start ${run.runDir}`),
    onLine: (l) => heard.push(l),
    runEnded: () => heard.push("end"),
    close: () => {
      heard.push("close");
    },
  };
  const taps = new Taps([bad, good], (what, err) => reported.push(`${what}: ${err}`));
  taps.runStarted({ codec: "h264", runDir: "/r" });
  taps.line("Got message");
  taps.runEnded();
  await taps.close();
  assertEquals(heard, ["start /r", "Got message", "end", "close"]);
  assertEquals(reported, ["onLine: Error: boom"]);
});

Deno.test("the event hub hands events to listeners until they unsubscribe; errors stay inside", () => {
  const errors: unknown[] = [];
  const hub = new EventHub((e) => errors.push(e));
  const seen: NvrEvent[] = [];
  hub.on(() => {
    throw new Error("listener bug");
  });
  const off = hub.on((e) => seen.push(e));
  hub.publish({ type: "recording_resumed", at: 1 });
  off();
  hub.publish({ type: "recording_resumed", at: 2 });
  assertEquals(seen.map((e) => e.at), [1]);
  assertEquals(errors.length, 2);
});

Deno.test("a state change makes a camera_state event, and offline/online with an outage", () => {
  const cam = { gid: 1, seq: 2 };
  const c = { state: "reconnecting" as const, lastError: "src: timeout", lastSegmentAt: 5 };
  const events = stateEvents(cam, c, { at: 9, outage: "start", isRec: true });
  assertEquals(events.map((e) => e.type), ["camera_state", "camera_offline"]);
  assertEquals(events[0], {
    type: "camera_state",
    at: 9,
    gid: 1,
    seq: 2,
    state: "reconnecting",
    isRec: 1,
    lastSegmentAt: 5,
    lastError: "src: timeout",
  });
  const back = stateEvents(cam, { state: "recording" }, { at: 10, outage: "end", isRec: false });
  assertEquals(back.map((e) => e.type), ["camera_state", "camera_online"]);
});

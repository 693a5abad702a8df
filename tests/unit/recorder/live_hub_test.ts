/** The live hub's fan-out: instant start from the last keyframe, slow viewers skip, runs. */
import { assert, assertEquals } from "../../support/assert.ts";
import { FakeClock } from "../../support/fake_clock.ts";
import type { Fragment, InitSegment } from "../../../src/recorder/live/fmp4.ts";
import { LiveHub, type LiveMessage } from "../../../src/recorder/live/hub.ts";

const init = (n = 1): InitSegment => ({
  data: new Uint8Array([n, 0, 0]),
  codec: "avc1.42c01e",
  timescale: 90000,
});
const frag = (t: number, key = t % 10 === 0, size = 100): Fragment => ({
  data: new Uint8Array(size).fill(t % 256),
  key,
  decodeTime: t,
});

class Viewer {
  got: LiveMessage[] = [];
  queued = 0;
  closed?: string;
  send = (m: LiveMessage) => this.got.push(m);
  queuedBytes = () => this.queued;
  close = (reason: string) => (this.closed = reason);
  times = (): (number | string)[] =>
    this.got.map((m) => m.kind === "fragment" ? m.fragment.decodeTime : "init");
}

Deno.test("hub: a new viewer gets the init and the frames since the last keyframe at once", () => {
  const hub = new LiveHub(new FakeClock());
  hub.setInit(init());
  for (let t = 0; t < 14; t++) hub.push(frag(t));
  const v = new Viewer();
  hub.subscribe(v);
  assertEquals(v.times(), ["init", 10, 11, 12, 13]);
  hub.push(frag(14));
  assertEquals(v.times().at(-1), 14);
  assertEquals(hub.stats.cachedBytes, 3 + 5 * 100);
});

Deno.test("hub: a slow viewer skips to the next keyframe; memory stays bounded", () => {
  const clock = new FakeClock();
  const hub = new LiveHub(clock, { maxQueuedBytes: 1000, stallMs: 20_000, maxGopBytes: 1e6 });
  hub.setInit(init());
  const slow = new Viewer(), fast = new Viewer();
  hub.subscribe(slow);
  hub.subscribe(fast);
  for (let t = 0; t < 5; t++) hub.push(frag(t));
  slow.queued = 5000; // its socket is backed up
  for (let t = 5; t < 13; t++) hub.push(frag(t));
  slow.queued = 0; // drained
  for (let t = 13; t < 25; t++) hub.push(frag(t));
  assertEquals(slow.times(), ["init", 0, 1, 2, 3, 4, 20, 21, 22, 23, 24]);
  assertEquals(fast.times().length, 26);
  assertEquals(hub.stats.skipped, 8 + 7);
  // The cache holds one GOP, whatever the viewers do.
  assertEquals(hub.stats.cachedBytes, 3 + 5 * 100);
});

Deno.test("hub: a viewer stuck behind for stallMs is closed", async () => {
  const clock = new FakeClock();
  const hub = new LiveHub(clock, { maxQueuedBytes: 1000, stallMs: 20_000, maxGopBytes: 1e6 });
  hub.setInit(init());
  const v = new Viewer();
  hub.subscribe(v);
  v.queued = 1e6;
  for (let t = 0; t < 30; t++) {
    hub.push(frag(t));
    await clock.advance(1000);
  }
  assertEquals(v.closed, "viewer too slow");
  assertEquals(hub.stats.viewers, 0);
});

Deno.test("hub: a new run's init goes out before its frames, from its first keyframe", () => {
  const hub = new LiveHub(new FakeClock());
  hub.setInit(init(1));
  const v = new Viewer();
  hub.subscribe(v);
  hub.push(frag(0));
  hub.end(); // the child exited: no frame is kept
  hub.push(frag(1)); // none without an init
  assertEquals(hub.stats.cachedBytes, 0);
  hub.setInit(init(2));
  hub.push(frag(5, false)); // a delta frame before the run's first keyframe
  hub.push(frag(6, true));
  assertEquals(v.times(), ["init", 0, "init", 6]);
  const second = v.got[2];
  assert(second.kind === "init");
  assertEquals(second.init.data[0], 2);
  // The same init again (a reconnection in the run) is not sent twice.
  hub.setInit(init(2));
  assertEquals(v.times().filter((x) => x === "init").length, 2);
});

Deno.test("hub: a GOP over maxGopBytes is not cached; close() closes every viewer", () => {
  const hub = new LiveHub(new FakeClock(), { maxQueuedBytes: 1e6, stallMs: 1, maxGopBytes: 350 });
  hub.setInit(init());
  for (let t = 0; t < 5; t++) hub.push(frag(t));
  const late = new Viewer();
  hub.subscribe(late);
  assertEquals(late.times(), ["init"]); // waits for the next keyframe
  hub.push(frag(5));
  assertEquals(late.times(), ["init"]);
  hub.push(frag(10));
  assertEquals(late.times(), ["init", 10]);
  hub.close();
  assertEquals(late.closed, "camera stopped");
  const after = new Viewer();
  hub.subscribe(after);
  assertEquals(after.closed, "camera stopped");
});

Deno.test("live hub: tells the tap how many viewers it has", () => {
  const hub = new LiveHub(new FakeClock());
  const counts: number[] = [];
  hub.onViewers((n) => counts.push(n));
  const sink = { send() {}, queuedBytes: () => 0, close() {} };
  const a = hub.subscribe(sink);
  const b = hub.subscribe(sink);
  a();
  a(); // twice: counted once
  b();
  assertEquals(counts, [1, 2, 1, 0]);
});

/** The live tap: its branch, the port line, and the stream it reads into the hub. */
import { assert, assertEquals } from "../../support/assert.ts";
import { FakeClock, flush } from "../../support/fake_clock.ts";
import { LiveHub, type LiveMessage } from "../../../src/recorder/live/hub.ts";
import {
  BURST_NS,
  liveBranch,
  LiveTap,
  muxerArgs,
  parsePortLine,
} from "../../../src/recorder/live/tap.ts";
import { concat, Fmp4Splitter } from "../../../src/recorder/live/fmp4.ts";
import { BurstTrim } from "../../../src/recorder/live/burst.ts";

Deno.test("live tap: the branch only serialises frames (no muxer in the recording child)", () => {
  const b = liveBranch();
  assertEquals(b.slice(0, 2), ["queue", "leaky=downstream"]);
  assert(b.includes("gdppay") && !b.includes("mp4mux"));
  assert(b.includes("host=127.0.0.1") && b.includes("port=0"));
  const m = muxerArgs("h264", 4321);
  assert(m.includes("port=4321") && m.includes("gdpdepay") && m.includes("fragment-duration=1"));
  assert(m.includes("video/x-h264,stream-format=avc,alignment=au") && m.includes("fd=1"));
  assert(muxerArgs("h265", 1).includes("video/x-h265,stream-format=hvc1,alignment=au"));
});

Deno.test("live tap: the port comes from the sink's -v line only", () => {
  assertEquals(
    parsePortLine("/GstPipeline:pipeline0/GstTCPServerSink:livesink: current-port = 37343"),
    37343,
  );
  assertEquals(
    parsePortLine("/GstPipeline:pipeline0/GstTCPServerSink:other: current-port = 1"),
    undefined,
  );
  assertEquals(
    parsePortLine("/GstPipeline:pipeline0/GstTCPServerSink:livesink: current-port = 0"),
    undefined,
  );
  assertEquals(
    parsePortLine('Got message #23 from element "livesink" (property-notify): current-port = 4'),
    undefined,
  );
});

/** A scripted muxer child: the test writes its stdout and ends it. */
interface ScriptedMuxer {
  args: string[];
  write(bytes: Uint8Array): void;
  exit(): void;
  killed: boolean;
}

function scriptedSpawner() {
  const muxers: ScriptedMuxer[] = [];
  const spawnMuxer = (args: string[]) => {
    let ctl!: ReadableStreamDefaultController<Uint8Array>;
    let open = true;
    const m: ScriptedMuxer = {
      args,
      killed: false,
      write: (b) => open && ctl.enqueue(b),
      exit: () => {
        if (open) (open = false, ctl.close());
      },
    };
    muxers.push(m);
    return {
      stdout: new ReadableStream<Uint8Array>({ start: (c) => void (ctl = c) }),
      errors: () => Promise.resolve("boom"),
      kill() {
        m.killed = true;
        m.exit();
      },
    };
  };
  return { muxers, spawnMuxer, running: () => muxers.filter((m) => !m.killed) };
}

async function fixture() {
  const bytes = await Deno.readFile(new URL("./fixtures/live_h264.mp4", import.meta.url));
  const items = [...new Fmp4Splitter().push(bytes)];
  const init = items.find((i) => i.kind === "init")!;
  const frames = items.flatMap((i) => i.kind === "fragment" ? [i.fragment] : []);
  return { init: init.kind === "init" ? init.init.data : new Uint8Array(), frames };
}

function viewer(hub: LiveHub) {
  const got: LiveMessage[] = [];
  const leave = hub.subscribe({ send: (m) => got.push(m), queuedBytes: () => 0, close() {} });
  const times = () => got.map((m) => m.kind === "init" ? "init" : m.fragment.decodeTime);
  return { got, leave, times };
}

const PORT_LINE = "/GstPipeline:pipeline0/GstTCPServerSink:livesink: current-port = 40000";

function setup(idleMs = 30_000) {
  const clock = new FakeClock();
  const hubs = { main: new LiveHub(clock), sub: new LiveHub(clock), h264: new LiveHub(clock) };
  const hub = hubs.main;
  const s = scriptedSpawner();
  const warnings: string[] = [];
  const tap = new LiveTap({
    hubs,
    clock,
    warn: (m) => warnings.push(m),
    spawnMuxer: s.spawnMuxer,
    idleMs,
  });
  tap.runStarted({ codec: "h264", runDir: "/x" });
  return { clock, hub, hubs, tap, warnings, ...s };
}

Deno.test("live tap: the branch's sink keeps the last seconds and bursts them to a new reader", () => {
  const b = liveBranch();
  assert(b.includes("sync-method=burst") && b.includes("burst-format=time"));
  assert(b.includes(`burst-value=${BURST_NS}`) && b.includes(`time-min=${BURST_NS}`));
});

Deno.test("live tap: no muxer until a viewer comes; the burst is trimmed to its last keyframe", async () => {
  const { clock, hub, tap, muxers } = setup();
  tap.onLine(PORT_LINE);
  await clock.advance(60_000);
  assertEquals(muxers.length, 0); // nobody watches: no live-only child
  assertEquals(tap.muxing, false);
  const v = viewer(hub);
  await flush();
  assertEquals(muxers.length, 1);
  assert(muxers[0].args.includes("port=40000"));
  const { init, frames } = await fixture();
  // The sink's burst: the init and frames 0..27 at once (keyframes among them).
  muxers[0].write(concat([init, ...frames.slice(0, 28).map((f) => f.data)]));
  await flush();
  assertEquals(hub.init?.codec, "avc1.42c00d");
  assertEquals(v.times(), ["init"]); // held while the burst comes
  await clock.advance(40); // the camera's pace: the burst is over
  muxers[0].write(frames[28].data);
  await flush();
  muxers[0].write(frames[29].data);
  await flush();
  // From the newest keyframe of the burst (the 26th), then live.
  assertEquals(v.times(), ["init", 2500, 2600, 2700, 2800, 2900]);
  // A later viewer gets the cached init and GOP from the same muxer.
  const w = viewer(hub);
  assertEquals(w.times(), ["init", 2500, 2600, 2700, 2800, 2900]);
  assertEquals(muxers.length, 1);
  tap.runEnded();
  assertEquals(hub.init, undefined);
  assert(muxers[0].killed);
  tap.close();
});

Deno.test("live tap: one muxer for many viewers, stopped after the idle time, started again", async () => {
  const { clock, hub, tap, muxers, running } = setup(30_000);
  const a = viewer(hub);
  await flush();
  assertEquals(muxers.length, 0); // no port yet
  tap.onLine(PORT_LINE);
  await flush();
  assertEquals(muxers.length, 1);
  const b = viewer(hub);
  const c = viewer(hub);
  await flush();
  assertEquals(muxers.length, 1);
  a.leave();
  b.leave();
  c.leave();
  await clock.advance(29_000);
  assertEquals(running().length, 1); // still within the idle time
  const d = viewer(hub); // back before it stopped: the same muxer
  const { init, frames } = await fixture();
  muxers[0].write(init);
  for (let i = 0; i < 150; i++) {
    muxers[0].write(frames[i % frames.length].data);
    await clock.advance(400);
  }
  assertEquals(muxers.length, 1);
  assertEquals(running().length, 1);
  d.leave();
  await clock.advance(30_000);
  assertEquals(running().length, 0);
  assertEquals(tap.muxing, false);
  assertEquals(hub.init, undefined);
  await clock.advance(60_000);
  assertEquals(muxers.length, 1); // stays stopped with nobody watching
  viewer(hub);
  await flush();
  assertEquals(muxers.length, 2);
  assertEquals(running().length, 1);
  tap.close();
  assertEquals(running().length, 0);
});

Deno.test("live tap: a muxer that dies while watched is started again; a new run's port too", async () => {
  const { clock, hub, tap, muxers, running, warnings } = setup();
  tap.onLine(PORT_LINE);
  const v = viewer(hub);
  await flush();
  const { init, frames } = await fixture();
  muxers[0].write(concat([init, frames[0].data]));
  await flush();
  muxers[0].exit(); // mp4mux posted an error
  await clock.advance(1_000);
  assertEquals(muxers.length, 2);
  assert(warnings.includes("live stream: muxer ended"));
  // The camera's child restarts: a new port, the muxer follows it.
  tap.runEnded();
  assertEquals(running().length, 0);
  tap.runStarted({ codec: "h265", runDir: "/y" });
  await clock.advance(5_000);
  assertEquals(muxers.length, 2); // no port yet
  tap.onLine(PORT_LINE.replace("40000", "40001"));
  await flush();
  assertEquals(muxers.length, 3);
  assert(muxers[2].args.includes("port=40001") && muxers[2].args.includes("h265parse"));
  v.leave();
  await clock.advance(30_000);
  assertEquals(running().length, 0);
  tap.close();
});

Deno.test("live tap: a muxer silent for 5 s is restarted; viewers are told after two in a row", async () => {
  const { clock, hub, tap, muxers, running, warnings } = setup();
  tap.onLine(PORT_LINE);
  const closed: string[] = [];
  hub.subscribe({ send() {}, queuedBytes: () => 0, close: (r) => closed.push(r) });
  await flush();
  const { init, frames } = await fixture();
  // The burst, then nothing (the branch's sink stopped sending).
  muxers[0].write(concat([init, ...frames.slice(0, 5).map((f) => f.data)]));
  await clock.advance(4_000);
  assertEquals(running().length, 1); // silent, but not yet for 5 s
  await clock.advance(1_100);
  assert(muxers[0].killed);
  assert(warnings.includes("live stream: no frame for 5 s, muxer restarted"));
  await clock.advance(1_000);
  assertEquals(muxers.length, 2);
  // The second one keeps writing: it is left alone.
  for (let i = 0; i < 20; i++) {
    muxers[1].write(i === 0 ? concat([init, frames[0].data]) : frames[i % frames.length].data);
    await clock.advance(400);
  }
  assertEquals(running().length, 1);
  assertEquals(closed, []);
  // Two silent muxers in a row: the viewers are closed (their tiles fall back to HLS).
  await clock.advance(5_100);
  assertEquals(closed, ["live stream stalled"]);
  tap.close();
});

Deno.test("live tap: a new muxer has 15 s for its first output (startup, a long GOP)", async () => {
  const { clock, hub, tap, muxers } = setup();
  tap.onLine(PORT_LINE);
  hub.subscribe({ send() {}, queuedBytes: () => 0, close() {} });
  await flush();
  await clock.advance(14_000);
  assertEquals([muxers.length, muxers[0].killed], [1, false]);
  await clock.advance(1_100);
  assert(muxers[0].killed);
  tap.close();
});

Deno.test("live burst trim: holds from the latest keyframe until the pace slows, at most 1 s", () => {
  const f = (key: boolean, decodeTime: number) => ({ data: new Uint8Array(1), key, decodeTime });
  const t = new BurstTrim(12, 1_000);
  assertEquals(t.read(0), []);
  for (const [i, key] of [false, true, false, true, false].entries()) {
    assertEquals(t.fragment(f(key, i), 0), undefined);
  }
  assertEquals(t.read(5), []); // still coming fast
  assertEquals(t.read(30).map((x) => x.decodeTime), [3, 4]); // from the newest keyframe
  assertEquals(t.holding, false);
  assertEquals(t.fragment(f(false, 5), 30)?.decodeTime, 5); // then passed on
  // A stream that never slows is let through after maxHoldMs.
  const u = new BurstTrim(12, 1_000);
  u.read(0);
  u.fragment(f(true, 0), 0);
  for (let at = 5; at < 1_000; at += 5) assertEquals(u.read(at), []);
  assertEquals(u.read(1_000).length, 1);
});

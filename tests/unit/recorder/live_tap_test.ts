/** The live tap: its branch, the port line, and the stream it reads into the hub. */
import { assert, assertEquals } from "../../support/assert.ts";
import { FakeClock } from "../../support/fake_clock.ts";
import { LiveHub, type LiveMessage } from "../../../src/recorder/live/hub.ts";
import { liveBranch, LiveTap, muxerArgs, parsePortLine } from "../../../src/recorder/live/tap.ts";

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

Deno.test("live tap: reads the child's stream into the hub, which viewers then get", async () => {
  const bytes = await Deno.readFile(new URL("./fixtures/live_h264.mp4", import.meta.url));
  const clock = new FakeClock();
  const hub = new LiveHub(clock);
  const spawned: string[][] = [];
  const warnings: string[] = [];
  const tap = new LiveTap({
    hub,
    clock,
    warn: (m) => warnings.push(m),
    spawnMuxer: (args) => {
      spawned.push(args);
      return {
        stdout: new ReadableStream({
          start(c) {
            for (let i = 0; i < bytes.length; i += 3000) c.enqueue(bytes.slice(i, i + 3000));
          },
        }),
        errors: () => Promise.resolve(""),
        kill() {},
      };
    },
  });
  tap.runStarted({ codec: "h264", runDir: "/x" });
  tap.onLine("/GstPipeline:pipeline0/GstTCPServerSink:livesink: current-port = 40000");
  await new Promise((r) => setTimeout(r, 50));
  assert(spawned[0].includes("port=40000"));
  assertEquals(hub.init?.codec, "avc1.42c00d");
  const got: LiveMessage[] = [];
  hub.subscribe({ send: (m) => got.push(m), queuedBytes: () => 0, close() {} });
  // The init, then the frames since the last keyframe (the 26th of 30).
  assertEquals(got.map((m) => m.kind === "init" ? "init" : m.fragment.decodeTime), [
    "init",
    2500,
    2600,
    2700,
    2800,
    2900,
  ]);
  tap.runEnded();
  assertEquals(hub.init, undefined);
  tap.close();
  assertEquals(spawned.length, 1);
});

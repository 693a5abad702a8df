/** The live tap: its branch, the port line, and the stream it reads into the hub. */
import { assert, assertEquals } from "../../support/assert.ts";
import { FakeClock } from "../../support/fake_clock.ts";
import { LiveHub, type LiveMessage } from "../../../src/recorder/live/hub.ts";
import { liveBranch, LiveTap, parsePortLine } from "../../../src/recorder/live/tap.ts";

Deno.test("live tap: the branch starts with a leaky queue and ends in a loopback server", () => {
  const b = liveBranch("h264");
  assertEquals(b.slice(0, 2), ["queue", "leaky=downstream"]);
  assert(b.includes("video/x-h264,stream-format=avc,alignment=au"));
  assert(b.includes("fragment-duration=1") && b.includes("host=127.0.0.1") && b.includes("port=0"));
  assert(liveBranch("h265").includes("video/x-h265,stream-format=hvc1,alignment=au"));
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
  const ports: number[] = [];
  const warnings: string[] = [];
  const tap = new LiveTap({
    hub,
    clock,
    warn: (m) => warnings.push(m),
    connect: (port) => {
      ports.push(port);
      let at = 0;
      return Promise.resolve({
        read(buffer: Uint8Array) {
          if (at >= bytes.length) return Promise.resolve(null);
          const n = Math.min(3000, buffer.length, bytes.length - at);
          buffer.set(bytes.subarray(at, at + n));
          at += n;
          return Promise.resolve(n);
        },
        close() {},
      });
    },
  });
  tap.runStarted();
  tap.onLine("/GstPipeline:pipeline0/GstTCPServerSink:livesink: current-port = 40000");
  await new Promise((r) => setTimeout(r, 50));
  assertEquals(ports, [40000]);
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
  assertEquals(warnings, []);
});

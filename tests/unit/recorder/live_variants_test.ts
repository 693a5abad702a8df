/** A camera's live variants: main copy, sub-stream, H.264 transcode; which hub a viewer gets. */
import { assert, assertEquals } from "../../support/assert.ts";
import { FakeClock, flush } from "../../support/fake_clock.ts";
import { createLogger } from "../../../src/log.ts";
import { LiveStreams } from "../../../src/recorder/live/streams.ts";
import type { SubStream } from "../../../src/recorder/live/tap.ts";
import { subStreamArgs, transcodeArgs } from "../../../src/recorder/live/muxer.ts";
import { parseSource } from "../../../src/recorder/source_url.ts";

const PORT_LINE = "/GstPipeline:pipeline0/GstTCPServerSink:livesink: current-port = 40000";

function setup(sub?: SubStream) {
  const clock = new FakeClock();
  const spawned: string[][] = [];
  let current = sub;
  const streams = new LiveStreams({
    clock,
    log: createLogger("json", {}, () => {}),
    sub: () => current,
    spawnMuxer: (args) => {
      spawned.push(args);
      return {
        stdout: new ReadableStream<Uint8Array>(),
        errors: () => Promise.resolve(""),
        kill() {},
      };
    },
  });
  const tap = streams.tapFor(1, 1);
  const watch = (stream: "main" | "sub" | "h264") =>
    streams.resolve(1, 1, stream)!.hub.subscribe({
      send() {},
      queuedBytes: () => 0,
      close() {},
    });
  return { clock, streams, tap, spawned, watch, setSub: (s?: SubStream) => (current = s) };
}

Deno.test("live variants: an H.264 camera without a sub-stream serves its main stream to all", () => {
  const { streams, tap } = setup();
  tap.runStarted({ codec: "h264", runDir: "/x" });
  const main = streams.resolve(1, 1, "main")!;
  assertEquals(streams.resolve(1, 1, "sub"), { hub: main.hub, stream: "main" });
  assertEquals(streams.resolve(1, 1, "h264"), { hub: main.hub, stream: "main" });
  assertEquals(streams.resolve(2, 1, "main"), undefined);
  tap.close();
});

Deno.test("live variants: an H.265 camera's h264 viewers get an on-demand transcode", async () => {
  const { streams, tap, spawned, watch } = setup();
  tap.runStarted({ codec: "h265", runDir: "/x" });
  tap.onLine(PORT_LINE);
  assertEquals(streams.resolve(1, 1, "h264")!.stream, "h264");
  await flush();
  assertEquals(spawned.length, 0); // nobody watches: no child
  watch("h264");
  await flush();
  assertEquals(spawned, [transcodeArgs(40000)]);
  assert(spawned[0].includes("avdec_h265") && spawned[0].includes("x264enc"));
  watch("main"); // the copy runs beside it, on the same port
  await flush();
  assertEquals(spawned.length, 2);
  assert(spawned[1].includes("h265parse") && !spawned[1].includes("x264enc"));
  tap.close();
});

Deno.test("live variants: the sub-stream is pulled on demand, and again when its address changes", async () => {
  const sub = { source: parseSource("rtsp://u:p%20w@10.0.0.5:554/sub"), transport: "tcp" as const };
  const { streams, tap, spawned, watch, setSub } = setup(sub);
  tap.runStarted({ codec: "h264", runDir: "/x" });
  tap.onLine(PORT_LINE);
  assertEquals(streams.resolve(1, 1, "sub")!.stream, "sub");
  watch("sub");
  await flush();
  assertEquals(spawned, [subStreamArgs(sub.source, "tcp")]);
  assert(spawned[0].includes('location="rtsp://10.0.0.5:554/sub"'));
  assert(spawned[0].includes('user-id="u"') && spawned[0].includes('user-pw="p w"'));
  // The address is removed while watched: the sub viewers now get the main stream's frames.
  setSub(undefined);
  streams.subChanged(1, 1);
  await flush();
  assertEquals(spawned.length, 2);
  assert(spawned[1].includes("tcpclientsrc") && spawned[1].includes("port=40000"));
  assertEquals(streams.resolve(1, 1, "sub")!.stream, "main");
  tap.close();
});

Deno.test("live variants: a sub-stream address full of pipeline syntax stays one quoted property", () => {
  const hostile = "rtsp://h:554/x!y;z$(id)/location=/tmp/p?a=!&b=filesink";
  const args = subStreamArgs(parseSource(hostile));
  assertEquals(args.filter((a) => a.startsWith("location=")), [`location="${hostile}"`]);
  // rtspsrc ! video RTP only ! parsebin ! mp4mux ! fdsink
  assertEquals(args.filter((a) => a === "!").length, 4);
  assert(args.includes("application/x-rtp,media=video"));
  assertEquals(args.slice(-7, -6), ["mp4mux"]);
});

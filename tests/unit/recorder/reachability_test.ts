/**
 * A camera that was off is recorded again within seconds of coming back, although its restart
 * backoff has grown to minutes: the supervisor asks a cheap TCP probe while it waits.
 */
import { sourceEndpoint, tcpReachable } from "../../../src/recorder/reachability.ts";
import { parseSource } from "../../../src/recorder/source_url.ts";
import type { ChildExit, ChildHandle } from "../../../src/recorder/child_process.ts";
import { Supervisor } from "../../../src/recorder/supervisor.ts";
import { assert, assertEquals } from "../../support/assert.ts";
import { FakeClock } from "../../support/fake_clock.ts";

/** A child that fails at once (connection refused). */
function failingChild(): ChildHandle {
  const status = Promise.resolve<ChildExit>({ code: 1, signal: null });
  return { pid: 1, status, lines: (async function* () {})(), kill: () => {} };
}

function setup(answers: (askedAt: number) => boolean) {
  const clock = new FakeClock();
  const starts: number[] = [];
  const asks: number[] = [];
  const sup = new Supervisor({
    spawn: () => {
      starts.push(clock.monotonic());
      return failingChild();
    },
    command: "gst-launch-1.0",
    args: () => [],
    clock,
    stallMs: 1e9,
    stopGraceMs: 10,
    random: () => 0.5, // no jitter: 1, 2, 4, 8, 16, 32, 64 s…
    reachable: () => {
      asks.push(clock.monotonic());
      return Promise.resolve(answers(clock.monotonic()));
    },
  });
  return { clock, starts, asks, sup };
}

Deno.test("a camera that comes back is retried within one probe interval, not after its backoff", async () => {
  const t0 = new FakeClock().monotonic();
  let backAt = Infinity;
  const { clock, starts, sup } = setup((now) => now >= backAt);
  sup.start();
  await clock.advance(200_000); // down for minutes: the backoff has grown past a minute
  const n = starts.length;
  const lastGap = starts[n - 1] - starts[n - 2];
  assert(lastGap >= 60_000, `backoff grew to ${lastGap} ms`);
  backAt = clock.monotonic() + 1000; // the camera answers again one second from now
  await clock.advance(7000);
  assertEquals(starts.length, n + 1, "started again within the 5 s probe interval");
  assert(starts[n] - backAt <= 5000, `${starts[n] - backAt} ms after it came back`);
  assert(starts[0] === t0);
  await sup.stop();
});

Deno.test("a source that answers but fails (wrong path or password) waits its whole backoff", async () => {
  const { clock, starts, asks, sup } = setup(() => true);
  sup.start();
  await clock.advance(130_000);
  // 0, 1, 3, 7, 15, 31, 63, 127 s: exactly the backoff, never cut short.
  assertEquals(starts.map((s) => (s - starts[0]) / 1000), [0, 1, 3, 7, 15, 31, 63, 127]);
  assert(asks.length > 0, "it was asked (and answered yes at once)");
  await sup.stop();
});

Deno.test("probe target: host and port of network sources, none for test and file sources", () => {
  const ep = (iaddr: string) => sourceEndpoint(parseSource(iaddr));
  assertEquals(ep("rtsp://u:p@cam.lan/live"), { hostname: "cam.lan", port: 554 });
  assertEquals(ep("rtsp://127.0.0.1:8554/h264"), { hostname: "127.0.0.1", port: 8554 });
  assertEquals(ep("rtmp://127.0.0.1/live/key"), { hostname: "127.0.0.1", port: 1935 });
  assertEquals(ep("https://cam.lan/hls/index.m3u8"), { hostname: "cam.lan", port: 443 });
  assertEquals(ep("http://[::1]:8080/video.mjpg"), { hostname: "::1", port: 8080 });
  assertEquals(ep("test://ball"), undefined);
  assertEquals(ep("file:///clips/door.mp4"), undefined);
});

Deno.test("tcpReachable: a listening port answers, a closed one does not", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  const accepted = (async () => {
    for await (const conn of listener) conn.close();
  })();
  assertEquals(await tcpReachable({ hostname: "127.0.0.1", port }), true);
  listener.close();
  await accepted.catch(() => {});
  assertEquals(await tcpReachable({ hostname: "127.0.0.1", port }, 1000), false);
});

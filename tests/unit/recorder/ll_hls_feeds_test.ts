import { assert, assertEquals } from "../../support/assert.ts";
import { FakeClock } from "../../support/fake_clock.ts";
import { LiveHub } from "../../../src/recorder/live/hub.ts";
import { LL_HLS_IDLE_MS, LlHlsFeeds } from "../../../src/recorder/live/ll_hls_feeds.ts";

const init = (tag: number) => ({ data: new Uint8Array([tag]), timescale: 90_000 });
const key = (i: number) => ({ data: new Uint8Array([i]), key: true, decodeTime: i * 90_000 });

Deno.test("LL-HLS feeds: a window is a viewer of the camera's hub while polled, let go when idle", async () => {
  const clock = new FakeClock();
  const hubs = new Map([["1/1", new LiveHub(clock)]]);
  const feeds = new LlHlsFeeds(clock, (gid, seq) => hubs.get(`${gid}/${seq}`));
  assertEquals(feeds.window(9, 9), undefined); // no such camera
  const hub = hubs.get("1/1")!;
  const w = feeds.window(1, 1)!;
  assertEquals(hub.stats.viewers, 1); // the muxer starts as for a WebSocket viewer
  hub.setInit(init(1));
  hub.push(key(0));
  hub.push(key(1));
  assert(w.has(0)); // the window got the hub's frames
  assertEquals(feeds.window(1, 1), w); // the same window, one subscription
  assertEquals(hub.stats.viewers, 1);
  await clock.advance(LL_HLS_IDLE_MS / 2);
  feeds.window(1, 1); // polled again
  await clock.advance(LL_HLS_IDLE_MS / 2 + 1);
  assertEquals([feeds.size, hub.stats.viewers], [1, 1]);
  await clock.advance(LL_HLS_IDLE_MS);
  assertEquals([feeds.size, hub.stats.viewers], [0, 0]);
  feeds.close();
});

Deno.test("LL-HLS feeds: a replaced recorder's hub is followed by the same window", () => {
  const clock = new FakeClock();
  const hubs = new Map([["1/1", new LiveHub(clock)]]);
  const feeds = new LlHlsFeeds(clock, (gid, seq) => hubs.get(`${gid}/${seq}`));
  const w = feeds.window(1, 1)!;
  const old = hubs.get("1/1")!;
  old.setInit(init(1));
  old.push(key(0));
  old.push(key(1));
  old.close(); // the camera restarted: a new recorder, a new hub
  const next = new LiveHub(clock);
  hubs.set("1/1", next);
  assertEquals(feeds.window(1, 1), w);
  assertEquals(next.stats.viewers, 1);
  next.setInit(init(2));
  next.push(key(0));
  next.push(key(1));
  assert(w.playlist().includes("#EXT-X-DISCONTINUITY\n"), w.playlist());
  hubs.delete("1/1"); // the camera is gone
  assertEquals([feeds.window(1, 1), feeds.size], [undefined, 0]);
  feeds.close();
});

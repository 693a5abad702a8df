/** The live tile's pure decisions. */
import { assertEquals, assertMatch } from "../../support/assert.ts";
import {
  catchUpRate,
  downReason,
  liveSocketUrl,
  llHlsUrl,
} from "../../../src/web/client/live_math.ts";

Deno.test("the live socket sits beside the camera's live playlist, ws or wss as the page", () => {
  assertEquals(
    liveSocketUrl("http://nvr:8000/1/2/hls/index.m3u8", "http://nvr:8000/"),
    "ws://nvr:8000/1/2/live.ws",
  );
  assertEquals(
    liveSocketUrl("https://cams.example/nvr/3/4/index.m3u8", "https://cams.example/"),
    "wss://cams.example/nvr/3/4/live.ws",
  );
  assertEquals(
    liveSocketUrl("/5/6/hls/index.m3u8", "https://box.local/"),
    "wss://box.local/5/6/live.ws",
  );
});

Deno.test("the Low-Latency HLS playlist sits beside the camera's live playlist", () => {
  assertEquals(
    llHlsUrl("http://nvr:8000/1/2/hls/index.m3u8", "http://nvr:8000/"),
    "http://nvr:8000/1/2/ll/index.m3u8",
  );
  assertEquals(
    llHlsUrl("/nvr/3/4/index.m3u8?token=x", "https://cams.example/"),
    "https://cams.example/nvr/3/4/ll/index.m3u8",
  );
});

Deno.test("catch-up speed: normal near the live edge, faster when behind", () => {
  assertEquals(catchUpRate(0.1), 1);
  assertEquals(catchUpRate(0.4), 1.05);
  assertEquals(catchUpRate(1.0), 1.1);
});

Deno.test("a down tile says the server is retrying and when the last frame was, not the raw error", () => {
  const at = "2026-03-14T14:07:22.000Z";
  assertMatch(
    downReason({ state: "reconnecting", last_segment_at: at }),
    /^Offline, retrying, last frame \d\d:\d\d:\d\d$/,
  );
  assertEquals(downReason({ state: "failed", last_segment_at: null }), "Offline, retrying");
  assertEquals(downReason({ state: "connecting", last_segment_at: null }), "Connecting…");
  assertEquals(downReason({ state: "stopped", last_segment_at: null }), "Stopped");
  assertEquals(downReason({ state: "paused", last_segment_at: at }), "Paused (disk full)");
});

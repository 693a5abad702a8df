/**
 * The live view as Low-Latency HLS in a real player: hls.js in low-latency mode, in headless
 * Chromium, plays a camera's `/ll/index.m3u8` (the test RTSP server's /blink scene) from the
 * real recorder, loads parts (not only whole segments), and the camera-to-screen latency on
 * presented frames is printed. Only sanity bounds here; the figures are the bench's. And a
 * live tile in a page without Media Source Extensions (as Safari on iOS before 17.1) plays
 * LL-HLS with the browser's own HLS player (this Chromium has one), not a socket.
 */
import { assert, assertEquals, assertMatch } from "../support/assert.ts";
import { waitFor } from "../support/harness.ts";
import { startRecording } from "../support/recording_camera.ts";
import { launch, openPage } from "./browser.ts";
import {
  playLlHls,
  quantile,
  readBlinkMeter,
  startBlinkMeter,
  videoState,
  waitForFrame,
} from "./blink_meter.ts";

/** Flashes 4 s apart: a latency up to 4 s is measured, not aliased. */
const PERIOD_S = 4;
const MEASURE_MS = 16_000;

Deno.test({
  name: "LL-HLS: hls.js in low-latency mode plays the live view's parts; its latency",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const rc = await startRecording({
      rtsp: { fps: 25, blinkPeriod: PERIOD_S },
      cameras: [{ mount: "blink", isRec: 0, name: "Blink" }],
    });
    const browser = await launch();
    try {
      // A page of the recorder's origin (its 404 JSON), with hls.js and a video in it.
      const page = await openPage(browser, rc.nvr.base + "/ll-test");
      // Nobody watched the camera yet: the first request starts its live muxer.
      const t0 = await playLlHls(page, "/1/1/ll/index.m3u8");
      await waitForFrame(page, "#v", "first frame from LL-HLS");
      const firstFrameMs = Date.now() - t0;
      await startBlinkMeter(page, "#v", PERIOD_S);
      await page.waitForTimeout(MEASURE_MS);
      const { latencies, frames, lastFrameAt, maxGapMs } = await readBlinkMeter(page);
      const hls = await page.evaluate(() => {
        // deno-lint-ignore no-explicit-any
        const h = (globalThis as any).hls;
        const d = h.latestLevelDetails ?? h.levels[0]?.details;
        return { parts: d?.partList?.length ?? 0, canBlock: d?.canBlockReload, latency: h.latency };
      });
      const p50 = quantile(latencies, 0.5), p95 = quantile(latencies, 0.95);
      console.log(
        `LL-HLS (hls.js low-latency mode): first frame ${firstFrameMs} ms; latency p50 ${
          p50?.toFixed(3)
        } s, p95 ` +
          `${
            p95?.toFixed(3)
          } s over ${latencies.length} flashes, ${frames} frames presented (longest gap ${
            maxGapMs.toFixed(0)
          } ms); ` +
          `hls.js: ${hls.parts} parts listed, its own latency estimate ${
            hls.latency?.toFixed(2)
          } s`,
      );
      assert(hls.parts > 0 && hls.canBlock, `a low-latency playlist: ${JSON.stringify(hls)}`);
      // If frames stop, what the player and the server said (a failure names its cause).
      const state = async () =>
        JSON.stringify(await videoState(page, "#v")) + "\n" +
        rc.nvr.logs.filter((l) => /live|muxer|camera/.test(l)).slice(-12).join("\n");
      assert(
        frames > (MEASURE_MS / 1000) * 10,
        `frames presented: ${frames}, the last at ${lastFrameAt.toFixed(0)} ms; ${await state()}`,
      );
      assert(latencies.length >= 3, `flashes seen: ${latencies.length}`);
      // Sanity only: the recorded live HLS is ~4 s behind.
      assert(p50 < 3, `latency p50 ${p50} s`);
    } finally {
      await browser.close();
      await rc.stop();
    }
  },
});

Deno.test({
  name: "live tile without Media Source Extensions: the browser's own player plays LL-HLS",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const rc = await startRecording({ cameras: [{ mount: "h264", isRec: 0, name: "Cam" }] });
    const browser = await launch();
    try {
      const page = await browser.newPage({ viewport: { width: 800, height: 600 } });
      // A browser without MSE (Safari on iOS before 17.1): no MediaSource of any kind.
      await page.addInitScript(() => {
        // deno-lint-ignore no-explicit-any
        const g = globalThis as any;
        delete g.MediaSource;
        delete g.ManagedMediaSource;
        delete g.WebKitMediaSource;
      });
      const asked: string[] = [];
      page.on("request", (r) => asked.push(new URL(r.url()).pathname));
      await page.goto(rc.nvr.base + "/", { waitUntil: "domcontentloaded" });
      const tile = `.tile[data-cam="1-1"]`;
      // This Chromium has a native HLS player (as Safari does): the tile plays LL-HLS with it.
      await waitFor(
        () =>
          page.evaluate((s) => {
            const v = document.querySelector<HTMLVideoElement>(`${s} video`);
            return (v?.readyState ?? 0) >= 2 && v!.currentTime > 0;
          }, tile),
        "the tile plays",
        30_000,
        100,
      ).catch(async (err) => {
        // What the tile and its video said, and what was asked of the server.
        const state = await page.evaluate((s) => {
          const el = document.querySelector(s), v = el?.querySelector("video");
          return {
            transport: el?.getAttribute("data-transport"),
            note: el?.textContent,
            readyState: v?.readyState,
            networkState: v?.networkState,
            error: v?.error?.message,
            currentTime: v?.currentTime,
          };
        }, tile);
        throw new Error(`${err.message}: ${JSON.stringify(state)}; asked ${asked.slice(-12)}`);
      });
      assertEquals(await page.locator(tile).getAttribute("data-transport"), "ll-hls");
      assertEquals(await page.locator(`${tile} .tile-note`).count(), 0);
      assertMatch(
        (await page.locator(`${tile} .tile-transport`).textContent())!,
        /low-latency HLS/,
      );
      assert(asked.includes("/1/1/ll/index.m3u8"), `requests: ${asked.join(" ")}`);
      assert(asked.some((p) => /^\/1\/1\/ll\/\d+(\.\d+)?\.m4s$/.test(p)), "media from /ll/");
      assert(!asked.some((p) => p.endsWith("/live.ws")), "no socket without MSE");
      assert(!asked.includes("/1/1/hls/index.m3u8"), "not the recorded live HLS");
    } finally {
      await browser.close();
      await rc.stop();
    }
  },
});

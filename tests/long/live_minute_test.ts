/**
 * Issue 15's "no stall in 60 s": a live wall tile in headless Chromium plays the real
 * recorder's low-latency stream (fMP4 over a WebSocket into MSE) of the test RTSP server's
 * /blink scene for a minute, beside the rest of the suite (a loaded box). Every presented
 * frame is counted (tests/ui/blink_meter.ts): the longest time between two of them must stay
 * under what a viewer calls a stall, the tile keeps the low-latency transport throughout,
 * and the camera-to-screen latency is printed. Figures are the bench's (bench/RESULTS.md).
 * Then the live-only muxer child is killed (as when mp4mux fails on a frame without a
 * timestamp): the tile, and hls.js playing the same camera's LL-HLS beside it, play on
 * after the server starts a new muxer (a new init; for LL-HLS a discontinuity), without
 * leaving their transport.
 *
 * Files under tests/long/ run beside the rest of the suite (tests/run.sh), so this one costs
 * the suite no time when it runs whole.
 */
import { assert, assertEquals } from "../support/assert.ts";
import { gstProcessesMentioning, waitFor } from "../support/harness.ts";
import { startRecording } from "../support/recording_camera.ts";
import { launch, openPage } from "../ui/browser.ts";
import {
  playLlHls,
  quantile,
  readBlinkMeter,
  startBlinkMeter,
  waitForFrame,
} from "../ui/blink_meter.ts";

const PERIOD_S = 2; // the RTSP server's default --blink-period
const WATCH_MS = 60_000;
/** A picture standing still this long is a stall (the tile itself reconnects after 4 s). */
const STALL_MS = 2_000;

Deno.test({
  name: "live tile: a minute of the low-latency stream without a stall",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const rc = await startRecording({
      rtsp: { fps: 25 },
      cameras: [{ mount: "blink", isRec: 0, name: "Blink" }],
    });
    const browser = await launch();
    try {
      const page = await openPage(browser, rc.nvr.base + "/");
      const tile = `.tile[data-cam="1-1"]`;
      await waitForFrame(page, `${tile} video`, "first live frame");
      await startBlinkMeter(page, `${tile} video`, PERIOD_S);
      const transports = new Set<string | null>();
      for (let t = 0; t < WATCH_MS; t += 1000) {
        await page.waitForTimeout(1000);
        transports.add(await page.locator(tile).getAttribute("data-transport"));
      }
      const { latencies, frames, maxGapMs } = await readBlinkMeter(page);
      const p50 = quantile(latencies, 0.5), p95 = quantile(latencies, 0.95);
      console.log(
        `live for ${WATCH_MS / 1000} s: ${frames} frames presented, longest gap ` +
          `${maxGapMs.toFixed(0)} ms; latency p50 ${p50?.toFixed(3)} s, p95 ${
            p95?.toFixed(3)
          } s over ${latencies.length} flashes (${latencies.map((l) => l.toFixed(2)).join(" ")})`,
      );
      const log = () => rc.nvr.logs.filter((l) => /live|muxer/.test(l)).slice(-12).join("\n");
      assertEquals([...transports], ["live"], "the low-latency transport throughout");
      assert(maxGapMs < STALL_MS, `a stall: ${maxGapMs.toFixed(0)} ms without a frame\n${log()}`);
      assert(frames > (WATCH_MS / 1000) * 10, `frames presented: ${frames}`);
      assert(latencies.length >= 20, `flashes seen: ${latencies.length}`);

      // The muxer dies: both players go on with the next one's stream.
      const ll = await openPage(browser, rc.nvr.base + "/ll-test");
      await playLlHls(ll, "/1/1/ll/index.m3u8");
      await startBlinkMeter(ll, "#v", PERIOD_S);
      const pages = [page, ll];
      const frameCounts = () =>
        Promise.all(pages.map(async (p) => (await readBlinkMeter(p)).frames));
      await waitFor(async () => (await frameCounts())[1] > 25, "LL-HLS playing", 30_000, 200);
      const muxers = await gstProcessesMentioning("tcpclientsrc", rc.nvr.pid);
      assertEquals(muxers.length, 1, "one muxer for the two players");
      const before = await frameCounts();
      Deno.kill(muxers[0], "SIGKILL");
      const killedAt = Date.now();
      await waitFor(
        async () => (await frameCounts()).every((n, i) => n > before[i] + 50),
        "both players playing again after the muxer died",
        20_000,
        200,
      ).catch(async (err) => {
        const counts = await frameCounts();
        throw new Error(`${err.message}: frames ${before} → ${counts}\n${log()}`);
      });
      console.log(
        `muxer killed: both players played 50 more frames within ${Date.now() - killedAt} ms`,
      );
      assertEquals(await page.locator(tile).getAttribute("data-transport"), "live");
      const replaced = await gstProcessesMentioning("tcpclientsrc", rc.nvr.pid);
      assertEquals(replaced.length, 1, "a new muxer");
      assert(replaced[0] !== muxers[0]);
    } finally {
      await browser.close();
      await rc.stop();
    }
  },
});

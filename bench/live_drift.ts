/**
 * Live view drift: one live tile in headless Chromium watched for a long time (default 30
 * minutes), its camera-to-screen latency measured on presented frames of the test RTSP
 * server's /blink scene (tests/ui/blink_meter.ts) and printed per minute (p50, p95, worst),
 * with what the player had buffered ahead of the playhead. The player's goal (issue: "keeps
 * its buffer under ~1 s for hours, catching up when it falls behind") holds when the
 * per-minute figures stay flat instead of growing.
 *
 *   deno run -A bench/live_drift.ts [--minutes=30]
 */
import { parseArgs } from "node:util";
import { Nvr, RtspServer } from "../tests/support/harness.ts";
import { launch, openPage } from "../tests/ui/browser.ts";
import {
  quantile,
  readBlinkMeter,
  startBlinkMeter,
  waitForFrame,
} from "../tests/ui/blink_meter.ts";

const { values } = parseArgs({ args: Deno.args, options: { minutes: { type: "string" } } });
const minutes = Number(values.minutes ?? 30);
const PERIOD_S = 2;

const rtsp = new RtspServer({ fps: 25 });
await rtsp.start();
const nvr = await new Nvr({ segmentSeconds: 1 }).start();
const browser = await launch();
try {
  const add = await nvr.api("POST", "/api/camera", {
    gid: 1,
    seq: 1,
    name: "Blink",
    iaddr: rtsp.url("blink"),
    protocol: "rtsp",
    isRec: 0,
  });
  if (add.status !== 201) throw new Error(`adding the camera: ${JSON.stringify(add.json)}`);
  const page = await openPage(browser, nvr.base + "/");
  const tile = `.tile[data-cam="1-1"]`;
  await waitForFrame(page, `${tile} video`, "first live frame");
  await startBlinkMeter(page, `${tile} video`, PERIOD_S);
  console.log(`minute  flashes  p50 s  p95 s  worst s  ahead s  transport  frames`);
  let seen = 0, frames = 0;
  for (let m = 1; m <= minutes; m++) {
    await new Promise((r) => setTimeout(r, 60_000));
    const r = await readBlinkMeter(page);
    const window = r.latencies.slice(seen);
    seen = r.latencies.length;
    const ahead = await page.evaluate((s) => {
      const v = document.querySelector<HTMLVideoElement>(`${s} video`)!;
      const b = v.buffered;
      return b.length ? b.end(b.length - 1) - v.currentTime : 0;
    }, tile);
    const transport = await page.locator(tile).getAttribute("data-transport");
    const row = [
      String(m).padStart(6),
      String(window.length).padStart(8),
      quantile(window, 0.5)?.toFixed(3).padStart(6),
      quantile(window, 0.95)?.toFixed(3).padStart(6),
      Math.max(...window).toFixed(3).padStart(8),
      ahead.toFixed(2).padStart(8),
      (transport ?? "").padStart(10),
      String(r.frames - frames).padStart(7),
    ];
    frames = r.frames;
    console.log(row.join(" "));
  }
} finally {
  await browser.close();
  await nvr.stop();
  await rtsp.stop();
}

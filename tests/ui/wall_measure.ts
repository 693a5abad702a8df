/**
 * Measures a live wall of N cameras (default 9 and 16) in headless Chromium:
 * how many tiles play, their latency, and request counts. Not part of the suite:
 *   deno run -A tests/ui/wall_measure.ts 9 16
 */
import { Nvr, RtspServer, waitFor } from "../support/harness.ts";
import { launch, openPage, screenshot } from "./browser.ts";

const sizes = Deno.args.length ? Deno.args.map(Number) : [9, 16];
const rtsp = await new RtspServer({ fps: 15, gop: 15 }).start();
const browser = await launch();
try {
  for (const n of sizes) {
    const nvr = await new Nvr({ segmentSeconds: 1, liveSegments: 6 }).start();
    try {
      for (let i = 1; i <= n; i++) {
        await nvr.api("POST", "/api/camera", {
          seq: i,
          gid: 1,
          name: `Cam ${i}`,
          iaddr: rtsp.url("h264"),
          protocol: "rtsp",
          isRec: 0,
        });
      }
      const page = await openPage(browser, nvr.base + "/", { width: 1440, height: 900 });
      let requests = 0;
      page.on("request", () => requests++);
      const playing = () =>
        page.evaluate(() =>
          [...document.querySelectorAll("video")].filter((v) => v.currentTime > 1).length
        );
      const t0 = Date.now();
      const visible = await page.evaluate(() =>
        [...document.querySelectorAll(".tile")].filter((t) => {
          const r = t.getBoundingClientRect();
          return r.bottom > 0 && r.top < innerHeight;
        }).length
      );
      await waitFor(
        async () => (await playing()) >= visible,
        `${visible} tiles playing`,
        60_000,
        500,
      )
        .catch((e) => console.log(String(e)));
      const firstAll = Date.now() - t0;
      requests = 0;
      await page.waitForTimeout(10_000);
      const lat = await page.evaluate(() =>
        [...document.querySelectorAll(".latency")].map((e) => Number(e.getAttribute("data-s")))
          .filter((x) => x > 0)
      );
      lat.sort((a, b) => a - b);
      console.log(JSON.stringify({
        cameras: n,
        visibleTiles: visible,
        playing: await playing(),
        msUntilVisiblePlay: firstAll,
        latencyMedian: lat[Math.floor(lat.length / 2)],
        latencyMax: lat[lat.length - 1],
        requestsPerSecond: requests / 10,
      }));
      await screenshot(page, `wall-${n}-1440`);
      await page.close();
    } finally {
      await nvr.stop();
    }
  }
} finally {
  await browser.close();
  await rtsp.stop();
}

/**
 * Headless Chromium (Debian's, driven by playwright-core) playing the recorder's HLS with
 * hls.js. The player page is served on the recorder's own origin through request
 * interception, so hls.js loads playlists and segments same-origin.
 *   6. playback start: request of a whole day's playlist -> first frame presented, and
 *      the bytes downloaded before it (Resource Timing);
 *   5b. live: how far behind the wall clock hls.js plays (PROGRAM-DATE-TIME based).
 */
import { Buffer } from "node:buffer";
import { join } from "node:path";
import { type Browser, chromium } from "playwright-core";
import { CHROMIUM_FLAGS as FLAGS } from "../tools/chromium.ts";
import { REPO } from "./source.ts";

const PAGE = `<!doctype html><html><body>
<video id="v" muted playsinline width="640" height="360"></video>
<script src="/__bench/hls.min.js"></script></body></html>`;

export function findChromium(): string {
  const fromEnv = Deno.env.get("CHROMIUM");
  if (fromEnv) return fromEnv;
  for (const dir of (Deno.env.get("PATH") ?? "").split(":")) {
    for (const name of ["chromium", "chromium-browser", "google-chrome"]) {
      try {
        Deno.statSync(join(dir, name));
        return join(dir, name);
      } catch { /* next */ }
    }
  }
  throw new Error("no chromium on PATH (set CHROMIUM)");
}

export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: findChromium(), args: FLAGS, timeout: 60_000 });
}

async function openPlayer(browser: Browser, base: string) {
  const hlsJs = await Deno.readFile(join(REPO, "node_modules/hls.js/dist/hls.min.js"));
  const context = await browser.newContext();
  await context.route(`${base}/__bench/**`, (route) => {
    const url = new URL(route.request().url());
    if (url.pathname.endsWith(".js")) {
      return route.fulfill({ body: Buffer.from(hlsJs), contentType: "text/javascript" });
    }
    return route.fulfill({ body: PAGE, contentType: "text/html" });
  });
  const page = await context.newPage();
  await page.goto(`${base}/__bench/player.html`);
  return { context, page };
}

export interface StartResult {
  firstFrameMs: number;
  playlistMs: number;
  bytesBefore: number;
  requestsBefore: number;
  playlistBytes: number;
  error?: string;
}

export async function playbackStart(
  browser: Browser,
  base: string,
  path: string,
): Promise<StartResult> {
  const { context, page } = await openPlayer(browser, base);
  try {
    return await page.evaluate(async (url: string) => {
      // deno-lint-ignore no-explicit-any
      const Hls = (globalThis as any).Hls;
      const v = document.getElementById("v") as HTMLVideoElement;
      const hls = new Hls({ startPosition: 0 });
      const t0 = performance.now();
      const frame = new Promise<void>((res) => v.requestVideoFrameCallback(() => res()));
      const failed = new Promise<string>((res) =>
        hls.on(Hls.Events.ERROR, (_: unknown, d: { fatal: boolean; details: string }) => {
          if (d.fatal) res(d.details);
        })
      );
      hls.loadSource(url);
      hls.attachMedia(v);
      v.play().catch(() => {});
      const outcome = await Promise.race([
        frame.then(() => undefined),
        failed,
        new Promise<string>((res) => setTimeout(() => res("timeout"), 60_000)),
      ]);
      const t1 = performance.now();
      const entries = (performance.getEntriesByType("resource") as PerformanceResourceTiming[])
        .filter((e) => !e.name.includes("/__bench/") && e.startTime >= t0 && e.responseEnd <= t1);
      const playlist = entries.find((e) => e.name.endsWith(".m3u8"));
      hls.destroy();
      return {
        firstFrameMs: t1 - t0,
        playlistMs: playlist ? playlist.responseEnd - playlist.startTime : NaN,
        playlistBytes: playlist?.encodedBodySize ?? NaN,
        bytesBefore: entries.reduce((a, e) => a + e.encodedBodySize, 0),
        requestsBefore: entries.length,
        error: outcome,
      };
    }, base + path);
  } finally {
    await context.close();
  }
}

export interface LiveBrowserResult {
  /** Wall clock minus hls.playingDate (PROGRAM-DATE-TIME of the frame shown), s. */
  behindP50S: number;
  behindMaxS: number;
  /** hls.js's own estimate of the distance to the live edge, s. */
  hlsLatencyS: number;
  startMs: number;
  error?: string;
}

export async function livePlayback(
  browser: Browser,
  base: string,
  path: string,
  seconds: number,
): Promise<LiveBrowserResult> {
  const { context, page } = await openPlayer(browser, base);
  try {
    return await page.evaluate(async ([url, secs]: [string, number]) => {
      // deno-lint-ignore no-explicit-any
      const Hls = (globalThis as any).Hls;
      const v = document.getElementById("v") as HTMLVideoElement;
      const hls = new Hls();
      const t0 = performance.now();
      const frame = new Promise<void>((res) => v.requestVideoFrameCallback(() => res()));
      hls.loadSource(url);
      hls.attachMedia(v);
      v.play().catch(() => {});
      const ok = await Promise.race([
        frame.then(() => true),
        new Promise<boolean>((res) => setTimeout(() => res(false), 45_000)),
      ]);
      const startMs = performance.now() - t0;
      if (!ok) {
        hls.destroy();
        return { behindP50S: NaN, behindMaxS: NaN, hlsLatencyS: NaN, startMs, error: "timeout" };
      }
      const behind: number[] = [];
      for (let i = 0; i < secs; i++) {
        await new Promise((r) => setTimeout(r, 1000));
        const d = hls.playingDate as Date | null;
        if (d) behind.push((Date.now() - d.getTime()) / 1000);
      }
      const sorted = [...behind].sort((a, b) => a - b);
      const result = {
        behindP50S: sorted[Math.floor(sorted.length / 2)] ?? NaN,
        behindMaxS: sorted[sorted.length - 1] ?? NaN,
        hlsLatencyS: hls.latency as number,
        startMs,
      };
      hls.destroy();
      return result;
    }, [base + path, seconds] as [string, number]);
  } finally {
    await context.close();
  }
}

/**
 * Camera-to-screen latency in the page, with the test RTSP server's /blink scene (white
 * from each multiple of `periodS` wall-clock seconds, dark otherwise): on every frame the
 * video presents (requestVideoFrameCallback) a tiny canvas reads its brightness; a dark →
 * white edge presented at wall time T shows the frame made at floor(T / period) * period,
 * so the latency is their difference (valid while it stays under the period). Shared by the
 * UI test (tests/ui/live_latency_test.ts) and the bench (bench/live_view.ts).
 */
import type { Page } from "playwright-core";
import { waitFor } from "../support/harness.ts";

/** Starts measuring the video under `selector`; results accumulate in the page. */
export async function startBlinkMeter(page: Page, selector: string, periodS: number) {
  await page.evaluate(({ selector, periodS }) => {
    const video = document.querySelector<HTMLVideoElement>(selector)!;
    const canvas = document.createElement("canvas");
    canvas.width = canvas.height = 4;
    const g = canvas.getContext("2d", { willReadFrequently: true })!;
    const out = {
      latencies: [] as number[],
      frames: 0,
      white: false,
      lastFrameAt: 0,
      maxGapMs: 0,
    };
    (globalThis as unknown as { blink: typeof out }).blink = out;
    const period = periodS * 1000;
    let handle = 0;
    const onFrame = (_now: number, meta: { presentationTime: number }) => {
      // Asked again first: a frame that cannot be read must not end the measuring.
      handle = video.requestVideoFrameCallback(onFrame);
      const now = performance.now();
      if (out.frames++ > 0) out.maxGapMs = Math.max(out.maxGapMs, now - out.lastFrameAt);
      out.lastFrameAt = now;
      g.drawImage(video, 0, 0, 4, 4);
      const px = g.getImageData(0, 0, 4, 4).data;
      let sum = 0;
      for (let i = 0; i < px.length; i += 4) sum += px[i];
      const white = sum / 16 > 128;
      if (white && !out.white) {
        const shown = performance.timeOrigin + meta.presentationTime;
        out.latencies.push((shown - Math.floor(shown / period) * period) / 1000);
      }
      out.white = white;
    };
    handle = video.requestVideoFrameCallback(onFrame);
    // Asked again after a second without a frame, in case the browser dropped the request
    // (a callback only fires for a frame presented: this cannot count frames not shown).
    setInterval(() => {
      if (performance.now() - out.lastFrameAt < 1000) return;
      video.cancelVideoFrameCallback(handle);
      handle = video.requestVideoFrameCallback(onFrame);
    }, 1000);
  }, { selector, periodS });
}

export interface BlinkResult {
  latencies: number[];
  frames: number;
  /** The page's clock (performance.now(), ms) at the last presented frame. */
  lastFrameAt: number;
  /** The longest time between two presented frames (ms): a stall shows here. */
  maxGapMs: number;
}

export async function readBlinkMeter(page: Page): Promise<BlinkResult> {
  return await page.evaluate(() => {
    const b = (globalThis as unknown as { blink: BlinkResult }).blink;
    return { ...b, latencies: [...b.latencies] };
  });
}

/** The q-quantile (0..1) of some numbers (nearest rank). */
export function quantile(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}

/**
 * Plays a camera's Low-Latency HLS (`path`, e.g. `/1/1/ll/index.m3u8`) in hls.js's
 * low-latency mode, in a `<video id="v">` added to `page` (a page of the recorder's origin);
 * the player is `globalThis.hls`. Returns when it was made (Date.now(), after hls.js loaded
 * into the page). Shared by the UI test and the bench.
 */
export async function playLlHls(page: Page, path: string): Promise<number> {
  const hlsJs = new URL("../../node_modules/hls.js/dist/hls.min.js", import.meta.url).pathname;
  await page.addScriptTag({ path: hlsJs });
  const madeAt = Date.now();
  await page.evaluate((path) => {
    const video = document.createElement("video");
    Object.assign(video, { id: "v", muted: true, autoplay: true, playsInline: true });
    video.width = 320;
    document.body.append(video);
    // deno-lint-ignore no-explicit-any
    const g = globalThis as any;
    // Catching up (up to 1.2x) when it fell behind the target latency, as a live view should.
    g.hls = new g.Hls({ lowLatencyMode: true, backBufferLength: 4, maxLiveSyncPlaybackRate: 1.2 });
    // What went wrong, for a test's failure message: hls.js's errors, newest last.
    g.hlsErrors = [];
    g.hls.on(
      g.Hls.Events.ERROR,
      (_: unknown, d: { type: string; details: string; fatal: boolean }) =>
        g.hlsErrors.push(
          `${performance.now().toFixed(0)} ${d.type}/${d.details}${d.fatal ? " fatal" : ""}`,
        ),
    );
    g.hls.loadSource(path);
    g.hls.attachMedia(video);
    video.play().catch(() => {});
  }, path);
  return madeAt;
}

/**
 * Waits until the video under `selector` has a frame to show (readyState ≥ 2), looking every
 * 50 ms (first-frame times are measured with it).
 */
export async function waitForFrame(
  page: Page,
  selector: string,
  what: string,
  timeoutMs = 30_000,
): Promise<void> {
  await waitFor(
    () =>
      page.evaluate(
        (s) => (document.querySelector<HTMLVideoElement>(s)?.readyState ?? 0) >= 2,
        selector,
      ),
    what,
    timeoutMs,
    50,
  );
}

/**
 * The state of the video under `selector` and, when hls.js plays it (playLlHls), hls.js's
 * last errors: what a test prints when frames stop.
 */
export function videoState(page: Page, selector: string): Promise<Record<string, unknown>> {
  return page.evaluate((s) => {
    const v = document.querySelector<HTMLVideoElement>(s);
    const b = v?.buffered;
    const errors = (globalThis as { hlsErrors?: string[] }).hlsErrors?.slice(-10);
    return {
      now: performance.now().toFixed(0),
      paused: v?.paused,
      readyState: v?.readyState,
      currentTime: v?.currentTime,
      buffered: b && Array.from({ length: b.length }, (_, i) => [b.start(i), b.end(i)]),
      ...(errors ? { errors } : {}),
    };
  }, selector);
}

/**
 * 8. The low-latency live view (fMP4 over a WebSocket, recorder/live/): the server's CPU
 * and memory with 0, 1, 10 and 20 viewers of one 1080p25 camera (viewers in their own
 * process), its memory with a viewer that never reads, and camera-to-screen latency in
 * headless Chromium for the low-latency transport, for HLS (the tile's fallback) and for the
 * same live stream as Low-Latency HLS in hls.js's low-latency mode, in the same run, measured
 * on presented frames with the test RTSP server's /blink scene (tests/ui/blink_meter.ts).
 */
import { join } from "node:path";
import { launch } from "./browser.ts";
import { freePort, sleep, spawn, type Spawned, waitLine } from "./procs.ts";
import { childrenNamed } from "./procstat.ts";
import { LIVE_IDLE_MS } from "../src/recorder/live/tap.ts";
import { startNvr, waitSegments } from "./recorders.ts";
import { ensureClip, REPO, SOURCE, startSource } from "./source.ts";
import type { Page } from "playwright-core";
import {
  playLlHls,
  quantile,
  readBlinkMeter,
  startBlinkMeter,
  waitForFrame,
} from "../tests/ui/blink_meter.ts";

export interface LiveViewRow {
  viewers: number;
  /** The server process alone (% of one core), and its gst-launch children (recording, muxer). */
  serverCpuPct: number;
  childCpuPct: number;
  serverRssMb: number;
  /** What each viewer received (kB/s). */
  perViewerKBps: number;
  note?: string;
}

export interface LatencyRow {
  transport: string;
  flashes: number;
  p50S: number;
  p95S: number;
  firstFrameMs: number;
  error?: string;
}

export interface LiveViewResult {
  source: string;
  rows: LiveViewRow[];
  /** Server RSS with one viewer that never reads: at its start, peak, end; was it closed. */
  slow?: { startMb: number; peakMb: number; endMb: number; seconds: number };
  latency: LatencyRow[];
}

/** The latency camera (/blink): small, so its encoder does not load the box. */
const BLINK_SIZE = "640x360", FPS = 25;
/** HLS's camera: flashes further apart than its latency (~6 s with 2 s segments): no aliasing. */
const PERIOD_S = 10;
/** The low-latency rows' camera: more flashes a minute (a p95 of 15, not 6). */
const FAST_PERIOD_S = 4;
const WINDOW_S = 10;

function stat(pid: number): { ticks: number; rssMb: number } {
  const text = Deno.readTextFileSync(`/proc/${pid}/stat`);
  const f = text.slice(text.lastIndexOf(")") + 2).split(" ");
  return { ticks: Number(f[11]) + Number(f[12]), rssMb: (Number(f[21]) * 4) / 1024 };
}

function ticks(pid: number): number {
  try {
    return stat(pid).ticks;
  } catch {
    return NaN; // gone (a child restarted during the window)
  }
}

async function cpuOver(pids: number[], seconds: number): Promise<number[]> {
  const a = pids.map(ticks);
  const t0 = performance.now();
  await sleep(seconds * 1000);
  const wall = (performance.now() - t0) / 1000;
  return pids.map((p, i) => (ticks(p) - a[i]) / wall); // ticks/s = % of a core
}

async function viewers(url: string, n: number, slow = false): Promise<Spawned> {
  const p = spawn(
    Deno.execPath(),
    [
      "run",
      "--allow-net",
      join(REPO, "bench/live_viewers.ts"),
      url,
      String(n),
      ...(slow ? ["slow"] : []),
    ],
    { stdout: true },
  );
  await waitLine(p, /^bytes /, 10_000);
  return p;
}

const lastBytes = (p: Spawned) =>
  Number(/^bytes (\d+)/.exec(p.lines.findLast((l) => l.startsWith("bytes ")) ?? "")?.[1] ?? 0);

/**
 * One latency row: a browser page set up by `play`, which returns the video's selector and its
 * first frame's delay (ms); then the blink meter for `seconds`. An error becomes the row's note.
 */
async function latencyRow(
  transport: string,
  seconds: number,
  periodS: number,
  play: (page: Page) => Promise<{ video: string; firstFrameMs: number }>,
): Promise<LatencyRow> {
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const { video, firstFrameMs } = await play(page);
    await startBlinkMeter(page, video, periodS);
    await page.waitForTimeout(seconds * 1000);
    const { latencies } = await readBlinkMeter(page);
    return {
      transport,
      flashes: latencies.length,
      p50S: quantile(latencies, 0.5),
      p95S: quantile(latencies, 0.95),
      firstFrameMs,
    };
  } catch (err) {
    return { transport, flashes: 0, p50S: NaN, p95S: NaN, firstFrameMs: NaN, error: String(err) };
  } finally {
    await browser.close();
  }
}

/**
 * The live tile of a blink camera (`seq` 2: HLS's, 3: the low-latency one): the low-latency
 * transport, or HLS (no WebSocket in the page).
 */
function latency(base: string, hls: boolean, seconds: number): Promise<LatencyRow> {
  const transport = hls ? "HLS (hls.js)" : "low latency (fMP4/WebSocket/MSE)";
  const seq = hls ? 2 : 3;
  return latencyRow(transport, seconds, hls ? PERIOD_S : FAST_PERIOD_S, async (page) => {
    // Without WebSocket the tile falls back to HLS at once (live_player.ts).
    if (hls) {
      await page.addInitScript(() => delete (globalThis as { WebSocket?: unknown }).WebSocket);
    }
    // Only the latency camera on the page (its large view): headless Chromium decodes in
    // software, and the 1080p tile of camera 1 would load the box.
    await page.goto(`${base}/#cam=1-${seq}`, { waitUntil: "domcontentloaded" });
    const tile = `.tile[data-cam="1-${seq}"]`;
    await page.locator(tile).waitFor({ timeout: 30_000 });
    const t0 = Date.now(); // the goal counts from the tile's appearance
    await waitForFrame(page, `${tile} video`, "first frame");
    const firstFrameMs = Date.now() - t0;
    const used = await page.locator(tile).getAttribute("data-transport");
    if (used !== (hls ? "hls" : "live")) throw new Error(`tile plays ${used}`);
    return { video: `${tile} video`, firstFrameMs };
  });
}

/**
 * LL-HLS (`/1/3/ll/index.m3u8`) in hls.js's low-latency mode on a page of the recorder's
 * origin; first frame from the player's creation.
 */
function llHlsLatency(base: string, seconds: number): Promise<LatencyRow> {
  return latencyRow("LL-HLS (hls.js low-latency mode)", seconds, FAST_PERIOD_S, async (page) => {
    await page.goto(`${base}/ll-bench`, { waitUntil: "domcontentloaded" });
    const t0 = await playLlHls(page, "/1/3/ll/index.m3u8");
    await waitForFrame(page, "#v", "first frame");
    return { video: "#v", firstFrameMs: Date.now() - t0 };
  });
}

export async function measureLiveView(
  dir: string,
  log: (m: string) => void,
  quick = false,
): Promise<LiveViewResult> {
  // Two blink cameras (one test RTSP server each): HLS's and the low-latency rows'.
  const blink = (periodS: number) => {
    const port = freePort();
    const proc = spawn("/usr/bin/python3", [
      join(REPO, "tests/support/rtsp_server.py"),
      String(port),
      `--size=${BLINK_SIZE}`,
      `--fps=${FPS}`,
      `--gop=${FPS}`,
      "--bitrate=800",
      `--blink-period=${periodS}`,
    ], { stdout: true });
    return { port, proc };
  };
  const rtsps = [blink(PERIOD_S), blink(FAST_PERIOD_S)];
  const { width, height, fps, kbps, gopFrames } = SOURCE;
  const result: LiveViewResult = {
    source: `camera 1: the bench clip, ${width}x${height} ${fps} fps H.264 ${kbps} kbit/s, ` +
      `GOP ${gopFrames / fps} s; cameras 2 and 3 (latency): the test RTSP server's /blink, ` +
      `${BLINK_SIZE} ${FPS} fps, 1 s GOP, flashes ${PERIOD_S} s and ${FAST_PERIOD_S} s apart`,
    rows: [],
    latency: [],
  };
  const source = await startSource(await ensureClip());
  try {
    for (const r of rtsps) await waitLine(r.proc, /^READY/, 20_000);
    // The same camera without the live branch (--live-view=off): what the branch costs.
    const off = await startNvr(join(dir, "off"), 1, source.url, {
      isRec: 0,
      motion: false,
      extra: ["--live-view=off"],
    });
    try {
      await waitSegments(off, 2, 60_000);
      await sleep(2000);
      const kids = await childrenNamed(off.proc.pid, "gst-launch-1.0");
      const [server, ...gst] = await cpuOver([off.proc.pid, ...kids], WINDOW_S);
      const row: LiveViewRow = {
        viewers: 0,
        serverCpuPct: server,
        childCpuPct: gst.reduce((a, b) => a + b, 0),
        serverRssMb: stat(off.proc.pid).rssMb,
        perViewerKBps: 0,
        note: "--live-view=off (no live branch)",
      };
      result.rows.push(row);
      log(`live view: ${JSON.stringify(row)}`);
    } finally {
      await off.stop();
    }
    const nvr = await startNvr(join(dir, "on"), 1, source.url, {
      isRec: 0,
      motion: false,
      extra: ["--live-view=on"],
    });
    try {
      await waitSegments(nvr, 2, 60_000);
      const ws = nvr.base.replace(/^http/, "ws") + "/1/1/live.ws";
      for (const n of quick ? [0, 1, 20] : [0, 1, 10, 20]) {
        const v = n > 0 ? await viewers(ws, n) : undefined;
        await sleep(2000);
        // After the viewers came: the live muxer child runs only while someone watches.
        const kids = await childrenNamed(nvr.proc.pid, "gst-launch-1.0");
        const b0 = v ? lastBytes(v) : 0;
        const [server, ...gst] = await cpuOver([nvr.proc.pid, ...kids], WINDOW_S);
        const b1 = v ? lastBytes(v) : 0;
        const row: LiveViewRow = {
          viewers: n,
          serverCpuPct: server,
          childCpuPct: gst.reduce((a, b) => a + b, 0),
          serverRssMb: stat(nvr.proc.pid).rssMb,
          perViewerKBps: n > 0 ? (b1 - b0) / n / WINDOW_S / 1000 : 0,
          note: `gst-launch children: ${kids.length}`,
        };
        const cam = await (await fetch(`${nvr.base}/api/camera/seq/1/gid/1`)).json();
        if (cam.reconnects > 0) {
          row.note += `; camera restarts so far: ${cam.reconnects} (${
            cam.last_error ?? "no error"
          })`;
          const lines = nvr.proc.lines.filter((l) => /"level":"(warn|error)"/.test(l));
          await Deno.writeTextFile(join(dir, "..", "live-view-warnings.log"), lines.join("\n"));
        }
        result.rows.push(row);
        log(`live view: ${JSON.stringify(row)}`);
        await v?.stop("SIGTERM", 2000);
      }
      // A viewer that never reads, next to one that does.
      const slow = await viewers(ws, 1, true);
      const startMb = stat(nvr.proc.pid).rssMb;
      let peakMb = startMb;
      const seconds = quick ? 15 : 40;
      for (let i = 0; i < seconds; i++) {
        await sleep(1000);
        peakMb = Math.max(peakMb, stat(nvr.proc.pid).rssMb);
      }
      result.slow = { startMb, peakMb, endMb: stat(nvr.proc.pid).rssMb, seconds };
      log(`live view, slow viewer: ${JSON.stringify(result.slow)}`);
      await slow.stop("SIGTERM", 2000);
      // Nobody watches any more: the muxer child stops after the idle time.
      await sleep(LIVE_IDLE_MS + 2000);
      {
        const kids = await childrenNamed(nvr.proc.pid, "gst-launch-1.0");
        const [server, ...gst] = await cpuOver([nvr.proc.pid, ...kids], WINDOW_S);
        const row: LiveViewRow = {
          viewers: 0,
          serverCpuPct: server,
          childCpuPct: gst.reduce((a, b) => a + b, 0),
          serverRssMb: stat(nvr.proc.pid).rssMb,
          perViewerKBps: 0,
          note: `${LIVE_IDLE_MS / 1000 + 2} s after the last viewer left; ` +
            `gst-launch children: ${kids.length}`,
        };
        result.rows.push(row);
        log(`live view: ${JSON.stringify(row)}`);
      }
      // The latency cameras (2: flashes 10 s apart, 3: 4 s), live view only, beside the first.
      for (const [i, { port }] of rtsps.entries()) {
        const res = await fetch(`${nvr.base}/api/camera`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            gid: 1,
            seq: 2 + i,
            name: `blink ${i + 1}`,
            iaddr: `rtsp://127.0.0.1:${port}/blink`,
            protocol: "rtsp",
            isRec: 0,
          }),
        });
        await res.body?.cancel();
        if (res.status !== 201) throw new Error(`POST /api/camera: ${res.status}`);
      }
      await sleep(5000);
      for (const hls of [false, true, undefined]) {
        const seconds = quick ? 30 : 60;
        const row = hls === undefined
          ? await llHlsLatency(nvr.base, seconds)
          : await latency(nvr.base, hls, seconds);
        result.latency.push(row);
        log(`live view latency: ${JSON.stringify(row)}`);
      }
    } finally {
      await nvr.stop();
    }
  } finally {
    for (const r of rtsps) await r.proc.stop("SIGTERM", 3000);
    await source.stop();
  }
  return result;
}

/**
 * `deno run -A bench/live_view.ts [--quick]`: this part alone. Its section of the report is
 * made from the last full run's results plus this one (bench/out/results.json) and put into
 * bench/RESULTS.md in place of its previous one (before "Micro-benchmarks" the first time);
 * the rest of RESULTS.md is left as it is.
 */
if (import.meta.main) {
  const { OUT, BENCH_DIR } = await import("./source.ts");
  const { writeReport } = await import("./report.ts");
  const { killAll } = await import("./procs.ts");
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    Deno.addSignalListener(sig, () => {
      killAll();
      Deno.exit(130);
    });
  }
  const file = join(OUT, "results.json");
  const results = JSON.parse(await Deno.readTextFile(file));
  const scratch = await Deno.makeTempDir({ dir: OUT, prefix: "run-live-" });
  const t0 = Date.now();
  const log = (m: string) =>
    console.log(`[${((Date.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${m}`);
  try {
    results.liveView = await measureLiveView(scratch, log, Deno.args.includes("--quick"));
    results.liveViewAt = new Date().toISOString();
    await Deno.writeTextFile(file, JSON.stringify(results, null, 2));
    await writeReport(results, scratch);
    const section = (text: string) => {
      const start = text.indexOf("## 8. Live view");
      if (start < 0) return undefined;
      const end = text.indexOf("\n## ", start + 3);
      return { start, end: end < 0 ? text.length : end + 1 };
    };
    const made = await Deno.readTextFile(join(scratch, "RESULTS.md"));
    const mine = section(made)!;
    const target = join(BENCH_DIR, "RESULTS.md");
    const text = await Deno.readTextFile(target);
    const old = section(text);
    // The figures are replaced; the section's hand-written notes stay.
    const NOTES = "<!-- notes: hand-written";
    const fresh = made.slice(mine.start, mine.end);
    const oldText = old ? text.slice(old.start, old.end) : "";
    const body = (fresh.includes(NOTES) ? fresh.slice(0, fresh.indexOf(NOTES)) : fresh).trimEnd() +
      "\n\n" +
      (oldText.includes(NOTES) ? oldText.slice(oldText.indexOf(NOTES)).trimEnd() + "\n\n" : "");
    const at = text.indexOf("## Micro-benchmarks");
    const next = old
      ? text.slice(0, old.start) + body + text.slice(old.end)
      : text.slice(0, at) + body + text.slice(at);
    await Deno.writeTextFile(target, next);
    console.log(body);
  } finally {
    killAll();
    await Deno.remove(scratch, { recursive: true }).catch(() => {});
  }
}

/**
 * `deno task bench [--quick]`: measures the recorder against the seed's pipeline and
 * ffmpeg on the same local RTSP source, and writes bench/RESULTS.md.
 * Every child process is killed on exit, errors and Ctrl-C included.
 */
import { join } from "node:path";
import { measureApi } from "./api.ts";
import { launch, livePlayback, playbackStart } from "./browser.ts";
import { measureCost } from "./cost.ts";
import { measureMotion } from "./motion.ts";
import { measureMqtt } from "./mqtt_rate.ts";
import { measureLiveView } from "./live_view.ts";
import { httpBytes, httpText, measureEdge } from "./live_latency.ts";
import { describeMachine } from "./machine.ts";
import { parseOptions } from "./options.ts";
import { killAll, sleep } from "./procs.ts";
import { machineBusy } from "./procstat.ts";
import { startNvr, waitSegments } from "./recorders.ts";
import { type Results, writeReport } from "./report.ts";
import { measureScale } from "./scale.ts";
import { BENCH_DIR, ensureClip, OUT, SOURCE, startSource } from "./source.ts";
import { generate, makeSegment } from "./synthetic.ts";
import { WriteAmpRun } from "./write_amp.ts";
import { findChromium } from "./browser.ts";

const opts = parseOptions(Deno.args);
if (opts.reportOnly) {
  const saved: Results = JSON.parse(await Deno.readTextFile(join(OUT, "results.json")));
  await writeReport(saved, opts.reportDir ?? BENCH_DIR);
  Deno.exit(0);
}
const want = (part: string) => !opts.only || opts.only.has(part);
const t0 = Date.now();
const log = (m: string) =>
  console.log(`[${((Date.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${m}`);

const onSignal = () => {
  killAll();
  Deno.exit(130);
};
Deno.addSignalListener("SIGINT", onSignal);
Deno.addSignalListener("SIGTERM", onSignal);

await Deno.mkdir(OUT, { recursive: true });
const scratch = await Deno.makeTempDir({ dir: OUT, prefix: "run-" });
const results: Results = {
  startedAt: new Date().toISOString(),
  command: `deno task bench${opts.quick ? " --quick" : ""}`,
  options: { ...opts, only: opts.only ? [...opts.only] : undefined },
  machine: await describeMachine(findChromium()),
  source: SOURCE,
  cost: [],
  writeAmp: [],
  api: [],
  scale: [],
  playback: [],
  errors: [],
};
const attempt = async (what: string, fn: () => Promise<void>) => {
  try {
    await fn();
  } catch (err) {
    const msg = `${what}: ${(err as Error).stack ?? err}`;
    results.errors.push(msg);
    log(`ERROR ${msg}`);
  }
};

const busy0 = await machineBusy();
let wa: WriteAmpRun | undefined;
try {
  log(`options: ${JSON.stringify(results.options)}`);
  // Before the camera source starts: nothing else of the bench runs meanwhile.
  if (want("mqtt")) {
    await attempt("mqtt event rate", async () => {
      results.mqtt = await measureMqtt(opts.mqtt, log);
    });
  }
  const clip = await ensureClip();
  const source = await startSource(clip);
  log(`RTSP source ${source.url}`);

  if (want("writeamp") || want("latency")) {
    await attempt("write amplification start", async () => {
      wa = new WriteAmpRun(join(scratch, "writeamp"), source.url);
      await wa.start();
      log("write-amplification recorders running (NVR and ffmpeg, one camera each)");
    });
  }

  if (want("latency") && wa) {
    await attempt("live latency", async () => {
      const [nvr, ffmpeg] = await Promise.all([
        measureEdge(`${wa!.nvr.base}/1/1/hls/index.m3u8`, opts.latencyS, httpText, httpBytes),
        measureEdge(wa!.ffmpeg.playlists[0], opts.latencyS, Deno.readTextFile, Deno.readFile),
      ]);
      results.latency = { nvr, ffmpeg };
      log(`live edge: nvr ${nvr.edgeP50S.toFixed(2)} s, ffmpeg ${ffmpeg.edgeP50S.toFixed(2)} s`);
      const browser = await launch();
      try {
        results.latency.browser = await livePlayback(
          browser,
          wa!.nvr.base,
          "/1/1/hls/index.m3u8",
          opts.browserLiveS,
        );
        log(`browser live: ${JSON.stringify(results.latency.browser)}`);
      } finally {
        await browser.close();
      }
    });
  }

  if (want("cost")) {
    const plan = [
      ...opts.ns.map((n) => ["nvr", n] as const),
      ...opts.ns.map((n) => ["ffmpeg", n] as const),
      ...opts.overlayNs.map((n) => ["overlay", n] as const),
      ...opts.seedNs.map((n) => ["seed", n] as const),
    ];
    for (const [kind, n] of plan) {
      await attempt(`cost ${kind} ${n}`, async () => {
        results.cost.push(await measureCost(kind, n, opts.windowS, source, scratch, log));
      });
    }
  }

  if (want("motion")) {
    await attempt("motion on vs off", async () => {
      const { motionNs, motionRounds, windowS, motionSettleS } = opts;
      results.motion = await measureMotion(
        motionNs,
        motionRounds,
        windowS,
        motionSettleS,
        source,
        scratch,
        log,
      );
    });
  }

  if (want("liveview")) {
    await attempt("live view", async () => {
      results.liveView = await measureLiveView(join(scratch, "live-view"), log, opts.quick);
    });
  }

  if (want("api")) {
    await attempt("api", async () => {
      const dir = join(scratch, "api-nvr");
      const nvr = await startNvr(dir, 4, source.url);
      try {
        await waitSegments(nvr, 2, 45_000);
        const segment = await firstRecordedSegment(join(dir, "media"));
        results.api = await measureApi(
          nvr.base,
          [
            { name: "camera-list", path: "/api/camera" },
            { name: "live-playlist", path: "/1/1/hls/index.m3u8" },
            // Against a bare file server streaming the same file from disk.
            { name: "segment", path: segment, file: join(dir, "media", segment) },
          ],
          opts.apiS,
          opts.apiConnections,
          scratch,
          log,
        );
      } finally {
        await nvr.stop();
      }
    });
  }

  if (want("scale")) {
    await attempt("scale", async () => {
      const segment = await makeSegment(clip, join(scratch, "segment.ts"), SOURCE.fps);
      const segmentBytes = (await Deno.stat(segment)).size;
      const spec = {
        cameras: opts.scaleCameras,
        sessionsPerDay: opts.sessionsPerDay,
        segmentMs: 2000,
        segmentBytes,
      };
      let t = performance.now();
      const day = await generate(
        join(scratch, "day"),
        { ...spec, days: 1, playable: false },
        segment,
      );
      const year = await generate(
        join(scratch, "year"),
        { ...spec, days: opts.scaleDays, playable: true },
        segment,
      );
      log(
        `synthetic history: ${year.sessions} sessions in ${(performance.now() - t).toFixed(0)} ms`,
      );
      const base = await measureScale("1 day", day.root, day.lastDate, undefined, 200);
      results.scale.push(base.run);
      const big = await measureScale("1 year", year.root, year.lastDate, year.shortSeq, 200, true);
      results.scale.push(big.run);
      log(`scale: ${JSON.stringify(results.scale)}`);
      try {
        const browser = await launch();
        try {
          for (
            const [label, path] of [
              ["1 minute (baseline)", `/1/${year.shortSeq}/${year.lastDate}/index.m3u8`],
              ["full day (24 h)", `/1/1/${year.lastDate}/index.m3u8`],
            ]
          ) {
            t = performance.now();
            const r = await playbackStart(browser, big.nvr.base, path);
            results.playback.push({ label, ...r });
            log(`playback ${label}: ${JSON.stringify(r)}`);
          }
        } finally {
          await browser.close();
        }
      } finally {
        await big.nvr.proc.stop("SIGTERM");
      }
      await Deno.remove(join(scratch, "year"), { recursive: true }).catch(() => {});
    });
  }

  if (wa) {
    await attempt("write amplification", async () => {
      const elapsed = (Date.now() - t0) / 1000;
      const remaining = opts.writeAmpMinS - elapsed;
      if (remaining > 0) {
        log(`waiting ${remaining.toFixed(0)} s more for the write-amplification recording`);
        for (let i = 0; i < remaining; i += 30) {
          await sleep(Math.min(30, remaining - i) * 1000);
          await wa!.snapshot();
        }
      }
      results.writeAmp = await wa!.finish();
      log(`write amplification: ${JSON.stringify(results.writeAmp)}`);
    });
    await wa.stop();
  }
  await source.stop();
} finally {
  killAll();
}

const busy1 = await machineBusy();
results.finishedAt = new Date().toISOString();
results.machineBusyCores = (busy1.busy - busy0.busy) / 100 / ((Date.now() - t0) / 1000);
results.loadAfter = (await Deno.readTextFile("/proc/loadavg")).split(" ").slice(0, 3).join(" ");
const reportDir = opts.reportDir ?? BENCH_DIR;
await Deno.writeTextFile(join(OUT, "results.json"), JSON.stringify(results, null, 2));
await writeReport(results, reportDir);
log(`wrote ${join(reportDir, "RESULTS.md")} (raw figures in bench/out/results.json)`);
await Deno.remove(scratch, { recursive: true }).catch(() => {});
Deno.exit(results.errors.length ? 1 : 0);

/** URL path of the first segment of the first recording session found. */
async function firstRecordedSegment(media: string): Promise<string> {
  const cam = join(media, "1", "1");
  for await (const d of Deno.readDir(cam)) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(d.name)) continue;
    for await (const s of Deno.readDir(join(cam, d.name))) {
      for await (const f of Deno.readDir(join(cam, d.name, s.name))) {
        if (f.name.endsWith(".ts")) return `/1/1/${d.name}/${s.name}/${f.name}`;
      }
    }
  }
  throw new Error("no recorded segment");
}

/**
 * `deno task soak [--minutes=30] [--cameras=8] [--players=16] [--clients=4] [--sample=30]
 *   [--outage-seconds=60]` (0: none)
 * A bounded soak (not part of CI): N cameras record from a local RTSP server while
 * players pull live HLS and clients hammer the API. Samples over time the recorder's
 * memory (RSS), open file descriptors, GStreamer children and segment timeliness; halfway,
 * the RTSP server disappears for `--outage-seconds` (the long outage CI does not run), then
 * stops cleanly and checks no child is left and the recordings decode. Writes
 * tests/artifacts/soak-<time>.json and prints a summary. Lives with the reliability
 * tests but is not one of them: the suite runs `*_test.ts` files only.
 */
import { parseArgs } from "node:util";
import { join } from "node:path";
import {
  decodeFrames,
  gstProcessesMentioning,
  Nvr,
  RtspServer,
  waitFor,
} from "../support/harness.ts";
import { apiClient, newStats, player } from "./load.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    minutes: { type: "string", default: "30" },
    cameras: { type: "string", default: "8" },
    players: { type: "string", default: "16" },
    clients: { type: "string", default: "4" },
    sample: { type: "string", default: "30" },
    "outage-seconds": { type: "string", default: "60" },
  },
});
const MINUTES = Number(values.minutes), CAMS = Number(values.cameras);
const PLAYERS = Number(values.players), CLIENTS = Number(values.clients);
const SAMPLE_MS = Number(values.sample) * 1000;
const SEGMENT_S = 2;
const OUTAGE_S = Number(values["outage-seconds"]);

interface Sample {
  t: number;
  rssMb: number;
  /** JavaScript heap in use, from /metrics: a leak in our code grows this, not just RSS. */
  heapMb: number;
  /** Heap V8 has reserved (it keeps more after busy stretches: RSS follows this). */
  heapTotalMb: number;
  /** Resident memory that is anonymous (heap, allocator) vs mapped files (the binary). */
  rssAnonMb: number;
  rssFileMb: number;
  fds: number;
  children: number;
  /** Oldest last_segment_at over all cameras, in seconds (timeliness). */
  worstSegmentAgeS: number;
  segments: number;
  reconnects: number;
  api: number;
  playerSegments: number;
}

const t0 = Date.now();
const log = (m: string) =>
  console.log(`[${((Date.now() - t0) / 1000).toFixed(0).padStart(5)} s] ${m}`);
const statusMb = (pid: number, field: string) =>
  Number(
    new RegExp(`${field}:\\s+(\\d+)`).exec(Deno.readTextFileSync(`/proc/${pid}/status`))![1],
  ) / 1024;
const rssMb = (pid: number) => statusMb(pid, "VmRSS");
const mb = (bytes: number) => Math.round(bytes / 1e5) / 10;
const fdCount = (pid: number) => [...Deno.readDirSync(`/proc/${pid}/fd`)].length;

let rtsp = await new RtspServer({ gop: 50, fps: 25 }).start();
const nvr = await new Nvr({ segmentSeconds: SEGMENT_S, liveSegments: 6 }).start();
let running = true;
const stop = async () => {
  running = false;
  await nvr.stop("SIGTERM").catch(() => {});
  await rtsp.stop().catch(() => {});
};
Deno.addSignalListener("SIGINT", () => stop().then(() => Deno.exit(130)));

const stats = newStats();
const samples: Sample[] = [];
try {
  const cams = Array.from({ length: CAMS }, (_, i) => ({ gid: 1, seq: i + 1 }));
  for (const c of cams) {
    const r = await nvr.api("POST", "/api/camera", {
      ...c,
      name: `soak ${c.seq}`,
      iaddr: rtsp.url("h264"),
      protocol: "rtsp",
      isRec: 1,
    });
    if (r.status !== 201) throw new Error(`add camera: ${JSON.stringify(r.json)}`);
  }
  await waitFor(
    async () => {
      const list = (await nvr.api("GET", "/api/camera")).json as { segments: number }[];
      return list.every((c) => c.segments >= 2);
    },
    "every camera to record",
    60_000,
  );
  log(`${CAMS} cameras recording; ${PLAYERS} players, ${CLIENTS} API clients for ${MINUTES} min`);

  const load = [
    ...Array.from(
      { length: PLAYERS },
      (_, i) => player(`${nvr.base}/1/${cams[i % CAMS].seq}/hls/index.m3u8`, stats, () => running),
    ),
    ...Array.from({ length: CLIENTS }, () => apiClient(nvr.base, cams, stats, () => running)),
  ];
  const pid = nvr.pid!;
  const end = Date.now() + MINUTES * 60_000;
  let outage = OUTAGE_S > 0 ? Date.now() + MINUTES * 30_000 : Infinity;
  while (Date.now() < end) {
    if (Date.now() >= outage) {
      outage = Infinity;
      log(`source outage: ${OUTAGE_S} s`);
      const port = rtsp.port;
      await rtsp.stop();
      await new Promise((r) => setTimeout(r, OUTAGE_S * 1000));
      rtsp = await new RtspServer({ port, gop: 50, fps: 25 }).start();
      log("source back");
    }
    const list = (await nvr.api("GET", "/api/camera")).json as {
      segments: number;
      reconnects: number;
      last_segment_at: string | null;
    }[];
    const metrics = await (await fetch(`${nvr.base}/metrics`)).text();
    const gauge = (name: string) =>
      Number(new RegExp(`^${name} (\\d+)$`, "m").exec(metrics)?.[1] ?? NaN);
    const now = Date.now();
    const s: Sample = {
      t: Math.round((now - t0) / 1000),
      rssMb: Math.round(rssMb(pid) * 10) / 10,
      heapMb: mb(gauge("nvr_heap_used_bytes")),
      heapTotalMb: mb(gauge("nvr_heap_total_bytes")),
      rssAnonMb: Math.round(statusMb(pid, "RssAnon") * 10) / 10,
      rssFileMb: Math.round(statusMb(pid, "RssFile") * 10) / 10,
      fds: fdCount(pid),
      children: (await gstProcessesMentioning(nvr.mediaRoot)).length,
      worstSegmentAgeS: Math.max(
        ...list.map((c) => c.last_segment_at ? (now - Date.parse(c.last_segment_at)) / 1000 : 1e9),
      ),
      segments: list.reduce((a, c) => a + c.segments, 0),
      reconnects: list.reduce((a, c) => a + c.reconnects, 0),
      api: stats.api,
      playerSegments: stats.segments,
    };
    samples.push(s);
    log(
      `rss ${s.rssMb} MB (anon ${s.rssAnonMb}, file ${s.rssFileMb}), heap ${s.heapMb}/${s.heapTotalMb} MB, fds ${s.fds}, children ${s.children}, worst segment age ${
        s.worstSegmentAgeS.toFixed(1)
      } s, segments ${s.segments}, reconnects ${s.reconnects}, api ${s.api}, player segs ${s.playerSegments}`,
    );
    await new Promise((r) => setTimeout(r, Math.min(SAMPLE_MS, Math.max(0, end - Date.now()))));
  }
  running = false;
  await Promise.all(load);

  const mediaRoot = nvr.mediaRoot;
  const status = await nvr.stop("SIGTERM");
  const orphans = await waitFor(
    async () => (await gstProcessesMentioning(mediaRoot)).length === 0 || undefined,
    "children to exit",
    15_000,
  ).then(() => 0).catch(async () => (await gstProcessesMentioning(mediaRoot)).length);
  // Every recorded session of camera 1 decodes from its folder (server stopped).
  const day = join(mediaRoot, "1", "1");
  let decoded = 0, sessions = 0;
  for (const d of Deno.readDirSync(day)) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(d.name)) continue;
    for (const s of Deno.readDirSync(join(day, d.name))) {
      if (!/^\d{6}$/.test(s.name)) continue; // thumbs/
      sessions++;
      decoded += await decodeFrames(join(day, d.name, s.name, "index.m3u8")).catch(() => 0);
    }
  }
  // Memory trend after a warm-up quarter: least-squares slope (one GC-sized jump at the
  // end of a short run would dominate a first-vs-last difference).
  const steady = samples.slice(Math.floor(samples.length / 4));
  const slope = (ys: number[], xs: number[]) => {
    const n = ys.length, mx = xs.reduce((a, b) => a + b, 0) / n;
    const my = ys.reduce((a, b) => a + b, 0) / n;
    const num = xs.reduce((a, x, i) => a + (x - mx) * (ys[i] - my), 0);
    const den = xs.reduce((a, x) => a + (x - mx) ** 2, 0);
    return den > 0 ? num / den : 0;
  };
  const perHour = (ys: number[]) =>
    ys.length > 2 ? Math.round(slope(ys, steady.map((s) => s.t)) * 3600 * 10) / 10 : null;
  const report = {
    minutes: MINUTES,
    outageSeconds: OUTAGE_S,
    cameras: CAMS,
    players: PLAYERS,
    clients: CLIENTS,
    exit: status?.code,
    orphanChildren: orphans,
    rssMb: {
      first: samples[0].rssMb,
      min: Math.min(...steady.map((s) => s.rssMb)),
      max: Math.max(...steady.map((s) => s.rssMb)),
      last: samples.at(-1)!.rssMb,
    },
    rssSlopeMbPerHour: perHour(steady.map((s) => s.rssMb)),
    heapMb: {
      first: samples[0].heapMb,
      min: Math.min(...steady.map((s) => s.heapMb)),
      max: Math.max(...steady.map((s) => s.heapMb)),
      last: samples.at(-1)!.heapMb,
    },
    heapSlopeMbPerHour: perHour(steady.map((s) => s.heapMb)),
    heapTotalMb: { first: samples[0].heapTotalMb, last: samples.at(-1)!.heapTotalMb },
    rssAnonMb: { first: samples[0].rssAnonMb, last: samples.at(-1)!.rssAnonMb },
    fdRange: [Math.min(...samples.map((s) => s.fds)), Math.max(...samples.map((s) => s.fds))],
    childRange: [
      Math.min(...samples.map((s) => s.children)),
      Math.max(...samples.map((s) => s.children)),
    ],
    worstSegmentAgeS: Math.max(...samples.map((s) => s.worstSegmentAgeS)),
    camera1Sessions: sessions,
    camera1DecodedFrames: decoded,
    load: stats,
    samples,
  };
  const out = new URL("../artifacts/", import.meta.url).pathname;
  Deno.mkdirSync(out, { recursive: true });
  const file = join(out, `soak-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
  Deno.writeTextFileSync(file, JSON.stringify(report, null, 2));
  const { samples: _s, ...summary } = report;
  console.log(JSON.stringify(summary, null, 2));
  log(`report: ${file}`);
} finally {
  await stop();
}

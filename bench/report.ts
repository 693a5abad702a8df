/** Writes RESULTS.md and cost.svg from one run's results. */
import { join } from "node:path";
import { lineChart } from "./chart.ts";
import type { CostRow } from "./cost.ts";
import type { Results } from "./results.ts";
import { verdict } from "./tracker.ts";

const realtime = (c: CostRow) =>
  verdict(c.timeliness.segments / c.n, c.timeliness.maxLateS, c.timeliness.targetS, c.windowS);

const f = (x: number | undefined, d = 1) =>
  x === undefined || !Number.isFinite(x) ? "–" : x.toFixed(d);
const mb = (b: number) => f(b / 1e6, 1);
const ratio = (a: number, b: number) => (Number.isFinite(a / b) && b > 0 ? `${f(a / b, 2)}×` : "–");
const row = (cells: (string | number)[]) => `| ${cells.join(" | ")} |`;
const NAMES = { nvr: "NVR (this project)", ffmpeg: "ffmpeg -c copy -f hls", seed: "seed pipeline" };

function largestRealtime(rows: CostRow[], kind: string): string {
  const ok = rows.filter((r) => r.kind === kind && realtime(r) === "yes").map((r) => r.n);
  const tested = rows.filter((r) => r.kind === kind).map((r) => r.n);
  if (!tested.length) return "not run";
  const best = ok.length ? Math.max(...ok) : 0;
  return best === Math.max(...tested) ? `≥ ${best} (largest tested)` : String(best);
}

export function headline(r: Results): string[] {
  const nvr1 = r.cost.find((c) => c.kind === "nvr" && c.n === 1);
  const seed1 = r.cost.find((c) => c.kind === "seed" && c.n === 1);
  const ff1 = r.cost.find((c) => c.kind === "ffmpeg" && c.n === 1);
  const wa = r.writeAmp.find((w) => w.kind === "nvr");
  const waF = r.writeAmp.find((w) => w.kind === "ffmpeg");
  const seg = r.api.find((a) => a.name === "segment");
  const list = r.api.find((a) => a.name === "camera-list");
  const year = r.scale.find((s) => s.label === "1 year");
  const day = r.playback.find((p) => p.label.startsWith("full day"));
  const short = r.playback.find((p) => p.label.startsWith("1 minute"));
  const lines = [
    row(["Figure (1080p25, 4 Mbit/s camera)", "NVR", "Baseline", "Ratio"]),
    row(["---", "---:", "---:", "---:"]),
  ];
  if (nvr1 && seed1) {
    lines.push(row([
      "CPU per camera (% of one core), vs seed pipeline",
      f(nvr1.corePerCam * 100, 2),
      f(seed1.corePerCam * 100, 1),
      ratio(seed1.corePerCam, nvr1.corePerCam) + " less",
    ]));
    lines.push(row([
      "Peak RSS, 1 camera (MB), vs seed pipeline",
      f(nvr1.peakRssMb, 0),
      f(seed1.peakRssMb, 0),
      ratio(seed1.peakRssMb, nvr1.peakRssMb) + " less",
    ]));
  }
  if (nvr1 && ff1) {
    lines.push(row([
      "CPU per camera (% of one core), vs ffmpeg copy",
      f(nvr1.corePerCam * 100, 2),
      f(ff1.corePerCam * 100, 2),
      ratio(nvr1.corePerCam, ff1.corePerCam),
    ]));
  }
  const nvrMax = Math.max(0, ...r.cost.filter((c) => c.kind === "nvr").map((c) => c.n));
  const nvrN = r.cost.find((c) => c.kind === "nvr" && c.n === nvrMax);
  const ffN = r.cost.find((c) => c.kind === "ffmpeg" && c.n === nvrMax);
  if (nvrN && ffN) {
    lines.push(row([
      `CPU per camera at N=${nvrMax} (% of one core), vs ffmpeg copy`,
      f(nvrN.corePerCam * 100, 2),
      f(ffN.corePerCam * 100, 2),
      ratio(nvrN.corePerCam, ffN.corePerCam),
    ]));
  }
  if (wa && waF) {
    lines.push(row([
      "Write amplification, 24 h extrapolated, vs ffmpeg hls",
      f(wa.dayAmplification, 4),
      f(waF.dayAmplification, 3),
      ratio(waF.dayAmplification, wa.dayAmplification) + " less",
    ]));
  }
  if (seg) {
    lines.push(row([
      `Segment GET (~${mb(seg.bytes)} MB), req/s, vs bare Deno.serve`,
      f(seg.nvr.rps, 0),
      f(seg.baseline.rps, 0),
      ratio(seg.nvr.rps, seg.baseline.rps),
    ]));
  }
  if (list) {
    lines.push(row([
      "GET /api/camera p99 (ms), vs bare Deno.serve",
      f(list.nvr.p99Ms, 2),
      f(list.baseline.p99Ms, 2),
      ratio(list.nvr.p99Ms, list.baseline.p99Ms),
    ]));
  }
  if (year) {
    const d = r.scale.find((s) => s.label === "1 day");
    lines.push(row([
      `Start-up catalog rebuild, 16 cams × 1 year (${year.sessions} sessions), ms, vs 1 day`,
      f(year.rebuildMs, 0),
      f(d?.rebuildMs, 0),
      ratio(year.rebuildMs, d?.rebuildMs ?? NaN),
    ]));
  }
  if (r.latency) {
    lines.push(row([
      "Live edge latency (s), vs ffmpeg hls",
      f(r.latency.nvr.edgeP50S, 2),
      f(r.latency.ffmpeg.edgeP50S, 2),
      Math.max(Math.abs(r.latency.nvr.edgeP50S), Math.abs(r.latency.ffmpeg.edgeP50S)) < 0.15
        ? "both ≈ 0 (±0.1 s)"
        : ratio(r.latency.nvr.edgeP50S, r.latency.ffmpeg.edgeP50S),
    ]));
  }
  if (day && short) {
    lines.push(row([
      "Playback start of a full day (ms), vs a 1-minute recording",
      f(day.firstFrameMs, 0),
      f(short.firstFrameMs, 0),
      ratio(day.firstFrameMs, short.firstFrameMs),
    ]));
  }
  return lines;
}

export async function writeReport(r: Results, dir: string): Promise<void> {
  const m = r.machine;
  const wallMin = r.finishedAt ? (Date.parse(r.finishedAt) - Date.parse(r.startedAt)) / 60000 : NaN;
  const out: string[] = [
    "# Benchmark results",
    "",
    `Generated by \`${r.command}\` (code in \`bench/\`) on ${r.startedAt.slice(0, 16)}Z, ` +
    `took ${f(wallMin, 1)} min.${
      r.options.quick ? " **Quick mode**: short windows, small N." : ""
    }`,
    "",
    "Reproduce: `deno task bench` (full, ~11 min) or `deno task bench --quick` (~4 min); " +
    "`--help` lists the knobs. Needs gst-launch-1.0 (+ python3-gi, gir1.2-gst-rtsp-server-1.0), " +
    "ffmpeg, wrk (`apt-get install wrk`) and chromium.",
    "",
    "## Machine",
    "",
    row(["CPU", `${m.cores} × ${m.model}`]),
    row(["---", "---"]),
    row(["Memory", `${f(m.memGb, 1)} GiB`]),
    row(["OS / kernel", `${m.os} / ${m.kernel}`]),
    row(["Deno", m.deno]),
    row(["GStreamer", m.gstreamer]),
    row(["ffmpeg", m.ffmpeg]),
    row(["Chromium", m.chromium]),
    row(["wrk", m.wrk]),
    row(["Load average before / after", `${m.loadBefore} / ${r.loadAfter ?? "?"}`]),
    row([
      "Machine CPU busy during the run",
      `${f(r.machineBusyCores, 2)} of ${m.cores} cores on average (everything, benchmark included)`,
    ]),
    "",
    ...sharedNote(r),
    `Source: one pre-encoded ${r.source.width}×${r.source.height} ${r.source.fps} fps H.264 clip ` +
    `(~${r.source.kbps / 1000} Mbit/s, ${r.source.gopFrames / r.source.fps} s GOP, no B-frames), ` +
    "looped in real time by `bench/source.py` (GStreamer RTSP server, shared media: encoded " +
    "once, no encoding while measuring). Each keyframe carries an SEI with the wall-clock time " +
    "it left the source. Its CPU is measured separately and not counted.",
    "",
    "## Headline",
    "",
    ...headline(r),
    "",
  ];

  // 1. Cost
  out.push(
    "## 1. Recording cost per camera",
    "",
    `CPU = utime+stime from /proc of the recorder's whole process tree (NVR: the Deno server ` +
      `and all its gst-launch children) over a ${r.options.windowS} s window after every camera ` +
      "produced a segment; peak RSS = peak of the tree's summed RSS (sampled each second). " +
      "Real-time = no segment listed more than one target duration later than the media before " +
      "it implies (3+ segments per camera seen; fewer: undetermined, or no when a camera " +
      "closed at most one segment in two target durations). Ratio = recorder / NVR at the same N.",
    "",
    row([
      "Recorder",
      "N",
      "% core / cam",
      "CPU s / cam-hour",
      "Peak RSS (MB)",
      "RSS / cam (MB)",
      "Worst lateness (s)",
      "Real-time",
      "CPU ratio vs NVR",
      "Source / other load (cores)",
    ]),
    row(["---", "---:", "---:", "---:", "---:", "---:", "---:", "---", "---:", "---:"]),
  );
  for (const c of r.cost) {
    const nvr = r.cost.find((x) => x.kind === "nvr" && x.n === c.n);
    out.push(row([
      NAMES[c.kind],
      c.n,
      f(c.corePerCam * 100, 2),
      f(c.cpuSPerCamHour, 0),
      f(c.peakRssMb, 0),
      f(c.rssPerCamMb, 1),
      `${f(c.timeliness.maxLateS, 2)} (target ${c.timeliness.targetS})`,
      c.error ? `error: ${c.error.slice(0, 60)}` : realtime(c) === "no" ? "**no**" : realtime(c),
      nvr ? ratio(c.corePerCam, nvr.corePerCam) : "–",
      `${f(c.sourceCores, 2)} / ${f(c.otherCores, 2)}`,
    ]));
  }
  out.push(
    "",
    "Largest N that stayed real-time: " +
      (["nvr", "ffmpeg", "seed"] as const).map((k) => `${NAMES[k]} ${largestRealtime(r.cost, k)}`)
        .join("; ") +
      ".",
    "",
    "![CPU vs cameras](cost.svg)",
    "",
  );
  if (r.cost.length) {
    const colors = { nvr: "#1f77b4", ffmpeg: "#2ca02c", seed: "#d62728" };
    await Deno.writeTextFile(
      join(dir, "cost.svg"),
      lineChart(
        "Recorder CPU vs number of 1080p25 cameras",
        "cameras (N)",
        "CPU, % of one core (log)",
        (["nvr", "ffmpeg", "seed"] as const).map((k) => ({
          name: k,
          color: colors[k],
          points: r.cost.filter((c) => c.kind === k && !c.error).map((c) => ({
            x: c.n,
            y: c.corePerCam * c.n * 100,
          })),
        })),
      ),
    );
  }

  // 2. Write amplification
  out.push("## 2. Write amplification", "");
  if (r.writeAmp.length) {
    const secs = r.writeAmp[0].seconds;
    out.push(
      `One recording camera per recorder for ${f(secs / 60, 1)} min` +
        (secs < 600 ? " (**shorter than the 10 minutes asked for: quick mode**)" : "") +
        ", running in the background during the other measurements. Written = " +
        "`write_bytes − cancelled_write_bytes` of the process tree (/proc/<pid>/io: pages " +
        "dirtied, i.e. what reaches the disk); wchar = bytes passed to write() (includes " +
        "log/bus lines on pipes). Kept = recorded segments on disk. 24 h: the NVR's " +
        "per-segment writes are O(1) (append to the session playlist, fixed live window), so " +
        "linear; ffmpeg's playlist is rewritten whole after every segment, so its playlist " +
        "bytes grow with the square of the segment count (modelled from its entry size).",
      "",
      row([
        "Recorder",
        "Segments",
        "Kept (MB)",
        "Written (MB)",
        "wchar (MB)",
        "Index now (KB)",
        "Amplification",
        "2nd half",
        "24 h written (GB)",
        "24 h amplification",
      ]),
      row(["---", "---:", "---:", "---:", "---:", "---:", "---:", "---:", "---:", "---:"]),
      ...r.writeAmp.map((w) =>
        row([
          NAMES[w.kind],
          w.segments,
          mb(w.keptBytes),
          mb(w.diskBytes),
          mb(w.wcharBytes),
          f(w.indexBytes / 1e3, 1),
          f(w.amplification, 4),
          f(w.amplificationLate, 4),
          f(w.dayWrittenBytes / 1e9, 2),
          f(w.dayAmplification, 4),
        ])
      ),
      "",
    );
  } else out.push("Not run.", "");

  // 3. API
  out.push("## 3. API under load", "");
  if (r.api.length) {
    out.push(
      `wrk, 2 threads, ${r.options.apiConnections} connections, ${r.options.apiS} s per ` +
        "target, loopback, against a recorder with 4 recording cameras; baseline = a bare " +
        "`Deno.serve` (bench/static_server.ts) returning the same bodies from memory. wrk " +
        "and the server share the machine's cores.",
      "",
      row([
        "Target",
        "Body (KB)",
        "NVR req/s",
        "p50 (ms)",
        "p99 (ms)",
        "Baseline req/s",
        "p50",
        "p99",
        "req/s ratio",
        "Errors",
      ]),
      row(["---", "---:", "---:", "---:", "---:", "---:", "---:", "---:", "---:", "---:"]),
      ...r.api.map((a) =>
        row([
          a.name,
          f(a.bytes / 1e3, 1),
          f(a.nvr.rps, 0),
          f(a.nvr.p50Ms, 2),
          f(a.nvr.p99Ms, 2),
          f(a.baseline.rps, 0),
          f(a.baseline.p50Ms, 2),
          f(a.baseline.p99Ms, 2),
          ratio(a.nvr.rps, a.baseline.rps),
          a.nvr.errors,
        ])
      ),
      "",
    );
  } else out.push("Not run.", "");

  // 4. Scale
  out.push("## 4. Index at scale", "");
  if (r.scale.length) {
    const year = r.scale.find((s) => s.label === "1 year");
    out.push(
      `Synthetic history in the recorder's layout: ${r.options.scaleCameras} cameras × ` +
        `${r.options.scaleDays} days × ${r.options.sessionsPerDay} sessions/day, each with its ` +
        "session.json; one day of camera 1 is complete (playlists + 43,200 hard-linked 2 s " +
        "segments). Baseline: the same cameras with one day. Start-up = spawn → log line " +
        "`catalog rebuilt from disk`; rebuild = `listening` → that line. Warm page cache. " +
        "Queries: sequential GETs, 200 each (day playlist: 10).",
      "",
      row([
        "History",
        "Sessions",
        "Start-up (ms)",
        "Rebuild (ms)",
        "RSS (MB)",
        "days p50/p99 (ms)",
        "date p50/p99 (ms)",
        "Day playlist p50 (ms)",
        "Day playlist (MB)",
      ]),
      row(["---", "---:", "---:", "---:", "---:", "---:", "---:", "---:", "---:"]),
      ...r.scale.map((s) =>
        row([
          s.label,
          s.sessions,
          f(s.readyMs, 0),
          f(s.rebuildMs, 0),
          f(s.rssMb, 0),
          `${f(s.days.p50Ms, 2)} / ${f(s.days.p99Ms, 2)}`,
          `${f(s.date.p50Ms, 2)} / ${f(s.date.p99Ms, 2)}`,
          s.dayPlaylist ? f(s.dayPlaylist.p50Ms, 0) : "–",
          s.dayPlaylist ? mb(s.dayPlaylist.bytes) : "–",
        ])
      ),
      "",
    );
    if (year?.shortPlaylist) {
      out.push(
        `One-minute day playlist for comparison: ${f(year.shortPlaylist.p50Ms, 1)} ms, ` +
          `${f(year.shortPlaylist.bytes / 1e3, 1)} KB.`,
        "",
      );
    }
  } else out.push("Not run.", "");

  // 5. Latency
  out.push("## 5. Live latency", "");
  if (r.latency) {
    const { nvr, ffmpeg, browser } = r.latency;
    out.push(
      "Edge latency = time a segment is first listed in the live playlist (polled every " +
        "50 ms; NVR over HTTP, ffmpeg on disk) minus the source time of its last frame (SEI " +
        "stamp of its first frame + its duration). PDT error = the playlist's " +
        "PROGRAM-DATE-TIME minus the source stamp.",
      "",
      row(["Recorder", "Segments", "Edge p50 (s)", "Edge max (s)", "Segment (s)", "PDT error (s)"]),
      row(["---", "---:", "---:", "---:", "---:", "---:"]),
      row([
        NAMES.nvr,
        nvr.samples,
        f(nvr.edgeP50S, 2),
        f(nvr.edgeMaxS, 2),
        f(nvr.segmentS, 2),
        f(nvr.pdtErrorP50S, 3),
      ]),
      row([
        NAMES.ffmpeg,
        ffmpeg.samples,
        f(ffmpeg.edgeP50S, 2),
        f(ffmpeg.edgeMaxS, 2),
        f(ffmpeg.segmentS, 2),
        "no PDT",
      ]),
      "",
    );
    if (browser) {
      // playingDate = true time + PDT error, so the true lag is the measured one + the error.
      const trueBehind = browser.behindP50S + (nvr.pdtErrorP50S ?? 0);
      out.push(
        `Headless Chromium + hls.js (default live settings) on the NVR's live playlist: first ` +
          `frame after ${f(browser.startMs, 0)} ms; plays ${f(browser.behindP50S, 2)} s ` +
          `(max ${f(browser.behindMaxS, 2)} s) behind the wall clock by PROGRAM-DATE-TIME, ` +
          `i.e. ~${f(trueBehind, 2)} s behind the source once the PDT error is removed; ` +
          `hls.js's own latency estimate: ${f(browser.hlsLatencyS, 2)} s.` +
          (browser.error ? ` Error: ${browser.error}.` : ""),
        "",
      );
    }
  } else out.push("Not run.", "");

  // 6. Playback start
  out.push("## 6. Playback start", "");
  if (r.playback.length) {
    out.push(
      "Headless Chromium + hls.js, fresh browser context each: `loadSource(day playlist)` → " +
        "first frame presented (`requestVideoFrameCallback`); bytes = Resource Timing body " +
        "sizes of everything fetched before that frame.",
      "",
      row([
        "Recording",
        "First frame (ms)",
        "Playlist fetch (ms)",
        "Playlist (KB)",
        "Downloaded before 1st frame (MB)",
        "Requests",
        "Note",
      ]),
      row(["---", "---:", "---:", "---:", "---:", "---:", "---"]),
      ...r.playback.map((p) =>
        row([
          p.label,
          f(p.firstFrameMs, 0),
          f(p.playlistMs, 0),
          f(p.playlistBytes / 1e3, 1),
          mb(p.bytesBefore),
          p.requestsBefore,
          p.error ?? "",
        ])
      ),
      "",
    );
  } else out.push("Not run.", "");

  if (r.errors.length) {
    out.push("## Errors", "", ...r.errors.map((e) => "- " + e.split("\n")[0]), "");
  }
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(join(dir, "RESULTS.md"), out.join("\n"));
}

/** Says whether other work ran on the machine during the cost windows. */
function sharedNote(r: Results): string[] {
  const other = r.cost.map((c) => c.otherCores).filter(Number.isFinite);
  if (!other.length) return [];
  const mean = other.reduce((a, b) => a + b, 0) / other.length;
  if (mean < 0.1) return ["The machine was otherwise idle during the CPU windows.", ""];
  return [
    `**The machine was shared**: besides the benchmark, other work (integration tests) used ` +
    `${f(mean, 2)} cores on average (up to ${f(Math.max(...other), 2)}) during the CPU windows ` +
    "(column *other load* below). CPU figures are per process tree and stay valid; timing " +
    "figures (API, playback, latency) may be pessimistic.",
    "",
  ];
}

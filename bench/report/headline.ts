/** The headline table: each figure of the NVR next to a baseline from the same run. */
import type { Results } from "../results.ts";
import { modeRows } from "./cost.ts";
import { f, mb, ratio, row, times } from "./format.ts";

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
  lines.push(...overlayRows(r));
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
      `Segment GET (~${mb(seg.bytes)} MB), req/s, vs bare Deno.serve file server`,
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

/** Overlay mode's media process (gst-launch child) against copy mode's and the seed's. */
function overlayRows(r: Results): string[] {
  const { overlay, copy, seed } = modeRows(r);
  if (!overlay?.worker) return [];
  const o = overlay.worker;
  const lines: string[] = [];
  if (copy?.worker) {
    lines.push(row([
      "Overlay mode: CPU per camera (% of one core, gst child), vs copy mode",
      f(o.corePerCam * 100, 1),
      f(copy.worker.corePerCam * 100, 2),
      ratio(o.corePerCam, copy.worker.corePerCam),
    ]));
  }
  if (seed?.worker) {
    lines.push(
      row([
        "Overlay mode: CPU per camera (% of one core, gst child), vs seed pipeline",
        f(o.corePerCam * 100, 1),
        f(seed.worker.corePerCam * 100, 1),
        times(o.corePerCam, seed.worker.corePerCam),
      ]),
      row([
        "Overlay mode: mean RSS per camera (MB, gst child), vs seed pipeline",
        f(o.rssMeanMbPerCam, 0),
        f(seed.worker.rssMeanMbPerCam, 0),
        times(o.rssMeanMbPerCam, seed.worker.rssMeanMbPerCam),
      ]),
    );
  }
  return lines;
}

/**
 * 1. Recording cost per camera: CPU seconds per camera-hour and peak RSS of the whole
 * recorder (process tree), for N cameras, for each recorder; and, over the same window,
 * CPU and mean RSS of the per-camera media processes alone (see Recorder.workers).
 */
import { join } from "node:path";
import { machineBusy, TreeMeter } from "./procstat.ts";
import { type RecorderKind, startRecorder, waitNewSegments, waitSegments } from "./recorders.ts";
import { sleep } from "./procs.ts";
import { SegmentTracker, type Timeliness } from "./tracker.ts";
import type { Source } from "./source.ts";

export interface CostRow {
  kind: RecorderKind;
  n: number;
  windowS: number;
  cpuSeconds: number;
  /** CPU seconds per camera per hour of recording. */
  cpuSPerCamHour: number;
  /** Share of one core per camera. */
  corePerCam: number;
  peakRssMb: number;
  rssPerCamMb: number;
  timeliness: Timeliness;
  /**
   * The per-camera media processes alone (NVR: its gst-launch children, without the Deno
   * server; seed, ffmpeg: their processes) over the same window; absent in older results.
   */
  worker?: WorkerCost;
  /** CPU of the RTSP source over the same window (excluded from the figures), cores. */
  sourceCores: number;
  /** CPU of everything else on the machine over the window, cores. */
  otherCores: number;
  error?: string;
}

export interface WorkerCost {
  /** Share of one core per camera. */
  corePerCam: number;
  /** Mean over the window (sampled each second) of the summed RSS, per camera. */
  rssMeanMbPerCam: number;
  /** Processes seen at the end of the window (one per camera expected). */
  processes: number;
}

export async function measureCost(
  kind: RecorderKind,
  n: number,
  windowS: number,
  source: Source,
  scratch: string,
  log: (m: string) => void,
  /** Seconds to wait after the warm-up before measuring (steady state: JIT, first frames). */
  settleS = 0,
): Promise<CostRow> {
  const dir = await Deno.makeTempDir({ dir: scratch, prefix: `cost-${kind}-${n}-` });
  const rec = await startRecorder(kind, dir, n, source.url);
  const row: CostRow = {
    kind,
    n,
    windowS,
    cpuSeconds: NaN,
    cpuSPerCamHour: NaN,
    corePerCam: NaN,
    peakRssMb: NaN,
    rssPerCamMb: NaN,
    timeliness: { segments: 0, maxLateS: NaN, targetS: NaN, realtime: false, minRate: 0 },
    sourceCores: NaN,
    otherCores: NaN,
  };
  try {
    // Warm-up: every camera has closed a segment (the seed's segments are ~10 s long).
    await waitSegments(rec, 1, kind === "seed" ? 60_000 : 45_000);
    // Overlay mode: the cameras started in copy mode and were switched; wait for the
    // encoding children to reach a steady state (two segments of their own).
    if (kind === "overlay") await waitNewSegments(rec, 2, 45_000);
    if (settleS > 0) await sleep(settleS * 1000);
    const meter = new TreeMeter(rec.roots);
    const workers = new TreeMeter(rec.workers);
    const src = new TreeMeter(() => [source.proc.pid]);
    const tracker = new SegmentTracker(rec.playlists);
    const m0 = await machineBusy();
    await Promise.all([meter.start(), workers.start(), src.start()]);
    tracker.start();
    await sleep(windowS * 1000);
    const [r, w, s] = await Promise.all([meter.stop(), workers.stop(), src.stop()]);
    const workerCount = (await rec.workers()).length;
    const m1 = await machineBusy();
    row.timeliness = tracker.stop();
    row.cpuSeconds = r.cpuSeconds;
    row.cpuSPerCamHour = r.cpuSeconds / r.wallSeconds * 3600 / n;
    row.corePerCam = r.cpuSeconds / r.wallSeconds / n;
    row.peakRssMb = r.peakRssMb;
    row.rssPerCamMb = r.peakRssMb / n;
    row.worker = {
      corePerCam: w.cpuSeconds / w.wallSeconds / n,
      rssMeanMbPerCam: w.meanRssMb / n,
      processes: workerCount,
    };
    row.sourceCores = s.cpuSeconds / s.wallSeconds;
    const machineCores = (m1.busy - m0.busy) / 100 / r.wallSeconds;
    row.otherCores = Math.max(0, machineCores - r.cpuSeconds / r.wallSeconds - row.sourceCores);
    log(
      `cost ${kind} N=${n}: ${(row.corePerCam * 100).toFixed(2)}% core/cam, ` +
        `${row.peakRssMb.toFixed(0)} MB peak; media processes ${
          (row.worker.corePerCam * 100).toFixed(2)
        }% core/cam, ${row.worker.rssMeanMbPerCam.toFixed(0)} MB mean/cam; ` +
        `late ${row.timeliness.maxLateS.toFixed(2)} s, ` +
        `realtime=${row.timeliness.realtime}, source ${row.sourceCores.toFixed(2)} cores, ` +
        `other ${row.otherCores.toFixed(2)} cores`,
    );
  } catch (err) {
    row.error = (err as Error).message;
    log(`cost ${kind} N=${n}: ${row.error}`);
  } finally {
    await rec.stop();
    await Deno.remove(join(dir), { recursive: true }).catch(() => {});
  }
  return row;
}

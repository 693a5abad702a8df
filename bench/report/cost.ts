/** Section 1 of RESULTS.md, recording cost per camera, with overlay vs copy mode and the chart. */
import { lineChart } from "../chart.ts";
import type { CostRow } from "../cost.ts";
import type { Results } from "../results.ts";
import { f, NAMES, ratio, realtime, row, times } from "./format.ts";

type Kind = CostRow["kind"];
const COLORS: Record<Kind, string> = {
  nvr: "#1f77b4",
  ffmpeg: "#2ca02c",
  seed: "#d62728",
  overlay: "#9467bd",
};

function largestRealtime(rows: CostRow[], kind: string): string {
  const ok = rows.filter((r) => r.kind === kind && realtime(r) === "yes").map((r) => r.n);
  const tested = rows.filter((r) => r.kind === kind).map((r) => r.n);
  if (!tested.length) return "not run";
  const best = ok.length ? Math.max(...ok) : 0;
  return best === Math.max(...tested) ? `≥ ${best} (largest tested)` : String(best);
}

/** The recorders in table order; overlay mode only when it was measured. */
function kinds(r: Results): Kind[] {
  const all: Kind[] = ["nvr", "ffmpeg", "seed"];
  return r.cost.some((c) => c.kind === "overlay") ? [...all.slice(0, 2), "overlay", "seed"] : all;
}

/** The cost rows at N=1 that carry figures for the per-camera media processes. */
export function modeRows(r: Results) {
  const at = (kind: Kind) =>
    r.cost.find((c) => c.kind === kind && c.n === 1 && c.worker && !c.error);
  return { overlay: at("overlay"), copy: at("nvr"), seed: at("seed"), ffmpeg: at("ffmpeg") };
}

/** The section's Markdown lines, and the SVG chart (none when nothing was measured). */
export function costSection(r: Results): { lines: string[]; chart?: string } {
  const out = [
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
  ];
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
      kinds(r).map((k) => `${NAMES[k]} ${largestRealtime(r.cost, k)}`).join("; ") + ".",
    "",
    "![CPU vs cameras](cost.svg)",
    "",
    ...overlaySection(r),
  );
  if (!r.cost.length) return { lines: out };
  const chart = lineChart(
    "Recorder CPU vs number of 1080p25 cameras",
    "cameras (N)",
    "CPU, % of one core (log)",
    kinds(r).map((k) => ({
      name: k,
      color: COLORS[k],
      points: r.cost.filter((c) => c.kind === k && !c.error).map((c) => ({
        x: c.n,
        y: c.corePerCam * c.n * 100,
      })),
    })),
  );
  return { lines: out, chart };
}

/** Overlay mode vs copy mode and the baselines, per camera, media processes only. */
function overlaySection(r: Results): string[] {
  const { overlay, copy, seed, ffmpeg } = modeRows(r);
  if (!overlay?.worker) return [];
  const o = overlay.worker;
  const rows: [CostRow | undefined, string][] = [
    [overlay, "gst-launch child: depay, avdec_h264, clockoverlay, x264enc ultrafast, splitmuxsink"],
    [copy, "gst-launch child: depay, h264parse, splitmuxsink (no decode)"],
    [seed, "gst-launch: decodebin, clockoverlay, x264enc (defaults), hlssink"],
    [ffmpeg, "ffmpeg (stream copy)"],
  ];
  return [
    "### Overlay mode vs copy mode (1080p, one camera)",
    "",
    "A camera in `overlay` mode (`PUT /api/camera/seq/{seq}/gid/{gid}/options` with " +
    '`{"mode":"overlay"}`) is decoded, gets the wall time burned in and is encoded again ' +
    "with x264 (tune=zerolatency, speed-preset=ultrafast); in `copy` mode (the default) its " +
    "stream is cut into segments as is. Measured in the same run and window as the table " +
    "above (N=1, same source), counting **only the per-camera media process**: the NVR's " +
    "gst-launch child (not the Deno server, which does the same work in both modes), the " +
    "seed's gst-launch, ffmpeg. CPU = utime+stime over the window ÷ its length; RSS = mean " +
    "of the per-second samples. The overlay run starts the camera in copy mode, switches it " +
    "and waits for two segments from the encoding child before the window. Ratios: overlay " +
    "mode ÷ the row's figure.",
    "",
    row([
      "Recorder (1 camera)",
      "Process measured",
      "CPU (% of one core)",
      "Mean RSS (MB)",
      "Overlay CPU ÷ this",
      "Overlay RSS ÷ this",
      "Real-time",
    ]),
    row(["---", "---", "---:", "---:", "---:", "---:", "---"]),
    ...rows.filter(([c]) => c?.worker).map(([c, what]) =>
      row([
        c!.kind === "nvr" ? "NVR copy mode (default)" : NAMES[c!.kind],
        what,
        f(c!.worker!.corePerCam * 100, 2),
        f(c!.worker!.rssMeanMbPerCam, 1),
        ratio(o.corePerCam, c!.worker!.corePerCam),
        ratio(o.rssMeanMbPerCam, c!.worker!.rssMeanMbPerCam),
        realtime(c!) === "no" ? "**no**" : realtime(c!),
      ])
    ),
    "",
    "Per camera, overlay mode's child uses " +
    [
      copy?.worker && `${ratio(o.corePerCam, copy.worker.corePerCam)} the CPU of copy mode's`,
      seed?.worker && `${times(o.corePerCam, seed.worker.corePerCam)} CPU than the seed's pipeline`,
      ffmpeg?.worker && `${ratio(o.corePerCam, ffmpeg.worker.corePerCam)} the CPU of ffmpeg copy`,
    ].filter(Boolean).join(", ") + ".",
    "",
  ];
}

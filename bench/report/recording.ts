/** Sections 2 and 5 of RESULTS.md: what recording writes to disk, and how live the live view is. */
import type { Results } from "../results.ts";
import { f, mb, NAMES, row } from "./format.ts";

/** 2. Write amplification: bytes written to disk per byte of media kept. */
export function writeAmpSection(r: Results): string[] {
  const out = ["## 2. Write amplification", ""];
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
  return out;
}

/** 5. Live latency: live-edge delay of the playlists and of a browser playing them. */
export function latencySection(r: Results): string[] {
  const out = ["## 5. Live latency", ""];
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
  return out;
}

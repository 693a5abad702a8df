/**
 * Parsing what `gst-launch-1.0 -m` prints: bus messages on stdout, errors on stderr.
 * Pure functions, tested against lines captured from GStreamer 1.22.
 */

export type BusEvent =
  | { type: "fragment-opened"; location: string; runningTimeNs: number }
  | { type: "fragment-closed"; location: string; runningTimeNs: number }
  | { type: "playing" }
  | { type: "eos" };

const FRAGMENT =
  /^Got message #\d+ from element "[^"]*" \(element\): splitmuxsink-fragment-(opened|closed), location=\(string\)("(?:[^"\\]|\\.)*"|[^,]*), running-time=\(guint64\)(\d+)/;

/** Undoes GStreamer's structure-string escaping of a (possibly quoted) string value. */
export function unescapeGstString(value: string): string {
  if (!value.startsWith('"')) return value;
  return value.slice(1, -1).replace(/\\(.)/g, "$1");
}

export function parseBusLine(line: string): BusEvent | undefined {
  if (line.startsWith("Got message")) {
    const m = FRAGMENT.exec(line);
    if (m) {
      return {
        type: m[1] === "opened" ? "fragment-opened" : "fragment-closed",
        location: unescapeGstString(m[2]),
        runningTimeNs: Number(m[3]),
      };
    }
    if (
      line.includes('from element "pipeline0" (state-changed)') &&
      line.includes("new-state=(GstState)GST_STATE_PLAYING")
    ) return { type: "playing" };
    return undefined;
  }
  if (line.startsWith("Got EOS from element")) return { type: "eos" };
  return undefined;
}

/**
 * Summarises the first GStreamer error in some stderr lines (the cause: later ones are
 * its consequences, e.g. "Internal data stream error" after "Unauthorized"), e.g.
 * `ERROR: from element /GstPipeline:pipeline0/GstRTSPSrc:src: Not found` followed by
 * `Additional debug info:`, a source location and a detail line → `src: Not found (Not Found (404))`.
 */
export function summarizeError(lines: string[]): string | undefined {
  for (let i = 0; i < lines.length; i++) {
    const m = /^ERROR: from element (\S+): (.*)$/.exec(lines[i]);
    if (!m) continue;
    const element = m[1].split(":").pop() ?? m[1];
    let detail: string | undefined;
    if (lines[i + 1] === "Additional debug info:" && lines[i + 3] !== undefined) {
      detail = lines[i + 3].trim();
      if (detail.startsWith("ERROR:")) detail = undefined;
    }
    return `${element}: ${m[2].trim()}${detail ? ` (${detail})` : ""}`;
  }
  return undefined;
}

/** True when the error says the stream had no matching branch (wrong codec guessed). */
export function isNotLinked(summary: string | undefined): boolean {
  return summary !== undefined && summary.includes("not-linked");
}

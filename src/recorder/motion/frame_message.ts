/**
 * Parses the element message multifilesink posts for each analysed frame it wrote
 * (`post-messages=true`, printed by `gst-launch-1.0 -m`). Pure.
 *
 * `Got message #140 from element "motion" (element): GstMultiFileSink,
 * filename=(string)/m/.motion/1_1/00000.gray, index=(int)0, timestamp=(guint64)…,
 * stream-time=(guint64)…, running-time=(guint64)29002097, duration=…`
 */
import { unescapeGstString } from "../bus.ts";

export interface FrameMessage {
  filename: string;
  runningTimeNs: number;
}

const FRAME =
  /^Got message #\d+ from element "([^"]*)" \(element\): GstMultiFileSink, filename=\(string\)("(?:[^"\\]|\\.)*"|[^,]*), .*?running-time=\(guint64\)(\d+)/;

/** The frame that sink `element` wrote, or undefined for any other line. */
export function parseFrameMessage(line: string, element: string): FrameMessage | undefined {
  if (!line.startsWith("Got message") || !line.includes("GstMultiFileSink")) return undefined;
  const m = FRAME.exec(line);
  if (!m || m[1] !== element) return undefined;
  return { filename: unescapeGstString(m[2]), runningTimeNs: Number(m[3]) };
}

/**
 * Small helpers for gst-launch argv. Every property value is double-quoted: gst-launch
 * joins argv and parses it again, and inside quotes `!`, spaces and `name=` are plain
 * text. Values that could end the quotes (a quote, a backslash, a control character)
 * are refused here (and earlier, by parseSource).
 */
import type { Codec } from "../pipeline.ts";

export const quote = (value: string): string => {
  // deno-lint-ignore no-control-regex -- control characters are what is refused
  if (/["\\\u0000-\u001f]/.test(value)) throw new Error("value cannot be quoted safely");
  return `"${value}"`;
};

/** `name="value"` (strings quoted) or `name=42`. */
export const prop = (name: string, value: string | number): string =>
  `${name}=${typeof value === "number" ? value : quote(value)}`;

/**
 * The video branch behind a demuxer named `demux`, up to the parser. It starts with a caps
 * filter: gst-launch links a demuxer pad to the first branch whose first element accepts
 * it, and a bare queue would accept the audio pad too.
 */
export function demuxedVideo(codec: Codec): string[] {
  const c = codec === "h265" ? "265" : "264";
  return ["demux.", "!", `video/x-h${c}`, "!", "queue", "!", `h${c}parse`, "config-interval=-1"];
}

/**
 * Whether an MPEG-TS segment starts with a keyframe (H.264 IDR, H.265 IRAP picture): its
 * first video PES packet carries the random access indicator, which mpegtsmux sets on
 * keyframes only. `startsWithKeyframe` is pure (give it the first few KB of a segment);
 * `keyframeFirst` reads them from a file.
 *
 * rtph265depay (GStreamer 1.22) has no `wait-for-keyframe`, so an H.265 run that joins a
 * camera mid-GOP starts with frames that cannot be decoded; the recorder drops such a
 * first segment (see SegmentSink). H.264 runs drop them in the depayloader.
 */

const PACKET = 188;

/**
 * True/false for the first video PES packet found in `bytes`; undefined when there is
 * none (not MPEG-TS, or too few bytes).
 */
export function startsWithKeyframe(bytes: Uint8Array): boolean | undefined {
  for (let at = 0; at + PACKET <= bytes.length; at += PACKET) {
    if (bytes[at] !== 0x47 || (bytes[at + 1] & 0x40) === 0) continue; // no unit start
    const control = (bytes[at + 3] >> 4) & 0x3;
    if (control === 2) continue; // adaptation field only
    const hasAdaptation = control === 3 && bytes[at + 4] > 0;
    const payload = at + 4 + (control === 3 ? 1 + bytes[at + 4] : 0);
    if (payload + 4 > at + PACKET) continue;
    // A PES start code, stream id 0xE0–0xEF: video.
    const pes = bytes[payload] === 0 && bytes[payload + 1] === 0 && bytes[payload + 2] === 1;
    if (!pes || (bytes[payload + 3] & 0xf0) !== 0xe0) continue;
    return hasAdaptation && (bytes[at + 5] & 0x40) !== 0;
  }
  return undefined;
}

/** Whether the segment file at `path` starts with a keyframe; true when that cannot be told. */
export async function keyframeFirst(path: string): Promise<boolean> {
  const file = await Deno.open(path);
  try {
    const head = new Uint8Array(64 * 1024);
    const n = (await file.read(head)) ?? 0;
    return startsWithKeyframe(head.subarray(0, n)) ?? true;
  } finally {
    file.close();
  }
}

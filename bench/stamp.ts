/**
 * Reads the source's wall-clock stamp (see source.py: an SEI carried by each keyframe)
 * from an MPEG-TS segment: the time its first frame left the RTSP source.
 */

const UUID = new Uint8Array([
  0xb3,
  0xe7,
  0xc1,
  0xd5,
  0xa9,
  0xf2,
  0x4e,
  0x6b,
  0x8c,
  0x1d,
  0x2e,
  0x3f,
  0x4a,
  0x5b,
  0x6c,
  0x7d,
]);

/** The payloads of the busiest PID, concatenated (TS packet headers removed). */
function elementaryStream(ts: Uint8Array): Uint8Array {
  const counts = new Map<number, number>();
  for (let i = 0; i + 188 <= ts.length; i += 188) {
    const pid = ((ts[i + 1] & 0x1f) << 8) | ts[i + 2];
    counts.set(pid, (counts.get(pid) ?? 0) + 1);
  }
  const pid = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  const out = new Uint8Array(ts.length);
  let n = 0;
  for (let i = 0; i + 188 <= ts.length; i += 188) {
    if (ts[i] !== 0x47 || (((ts[i + 1] & 0x1f) << 8) | ts[i + 2]) !== pid) continue;
    const afc = (ts[i + 3] >> 4) & 3;
    if (!(afc & 1)) continue;
    const start = i + 4 + (afc & 2 ? 1 + ts[i + 4] : 0);
    out.set(ts.subarray(start, i + 188), n);
    n += i + 188 - start;
  }
  return out.subarray(0, n);
}

/** Source stamp (epoch ms) of the first keyframe in a segment, or undefined. */
export function firstStamp(ts: Uint8Array): number | undefined {
  const es = elementaryStream(ts);
  outer: for (let i = 0; i + UUID.length + 13 <= es.length; i++) {
    for (let k = 0; k < UUID.length; k++) if (es[i + k] !== UUID[k]) continue outer;
    const digits = new TextDecoder().decode(es.subarray(i + 16, i + 29));
    return /^\d{13}$/.test(digits) ? Number(digits) : undefined;
  }
  return undefined;
}

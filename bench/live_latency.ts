/**
 * 5a. Live edge latency: when a segment becomes available to a player (listed in the
 * live playlist) versus when its last frame left the RTSP source (SEI stamp of its
 * first frame + its duration); and how far the playlist's PROGRAM-DATE-TIME is off
 * the source's clock.
 */
import { firstStamp } from "./stamp.ts";
import { sleep } from "./procs.ts";

export interface LatencyStats {
  samples: number;
  /** Seconds from the end of a segment at the source to its listing, median and max. */
  edgeP50S: number;
  edgeMaxS: number;
  /** PROGRAM-DATE-TIME minus true source time of the first frame, median (s). */
  pdtErrorP50S?: number;
  segmentS: number;
}

export const median = (xs: number[]) => quantile(xs, 0.5);
export function quantile(xs: number[], q: number): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

interface Entry {
  uri: string;
  dur: number;
  pdt?: number;
}

function entries(text: string): Entry[] {
  const out: Entry[] = [];
  let dur = NaN, pdt: number | undefined;
  for (const line of text.split("\n")) {
    if (line.startsWith("#EXT-X-PROGRAM-DATE-TIME:")) pdt = Date.parse(line.slice(25));
    else if (line.startsWith("#EXTINF:")) dur = parseFloat(line.slice(8));
    else if (line && !line.startsWith("#")) {
      out.push({ uri: line.trim(), dur, pdt });
      pdt = undefined;
    }
  }
  return out;
}

/**
 * Polls a playlist (URL or file) every 50 ms for `seconds`; for every segment that
 * appears, reads it and compares with the source stamp.
 */
export async function measureEdge(
  playlist: string,
  seconds: number,
  read: (p: string) => Promise<string>,
  readBytes: (p: string) => Promise<Uint8Array>,
): Promise<LatencyStats> {
  const known = new Set((entries(await read(playlist).catch(() => ""))).map((e) => e.uri));
  const edge: number[] = [], pdtErr: number[] = [], durs: number[] = [];
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    const text = await read(playlist).catch(() => "");
    const now = Date.now();
    for (const e of entries(text)) {
      if (known.has(e.uri)) continue;
      known.add(e.uri);
      const ref = playlist.startsWith("http")
        ? new URL(e.uri, playlist).href
        : playlist.replace(/[^/]+$/, e.uri);
      const stamp = firstStamp(await readBytes(ref).catch(() => new Uint8Array()));
      if (stamp === undefined) continue;
      edge.push((now - stamp) / 1000 - e.dur);
      durs.push(e.dur);
      if (e.pdt !== undefined) pdtErr.push((e.pdt - stamp) / 1000);
    }
    await sleep(50);
  }
  return {
    samples: edge.length,
    edgeP50S: median(edge),
    edgeMaxS: edge.length ? Math.max(...edge) : NaN,
    pdtErrorP50S: pdtErr.length ? median(pdtErr) : undefined,
    segmentS: median(durs),
  };
}

export const httpText = async (u: string) => {
  const r = await fetch(u);
  if (!r.ok) {
    await r.body?.cancel();
    throw new Error(`${u}: ${r.status}`);
  }
  return await r.text();
};
export const httpBytes = async (u: string) => new Uint8Array(await (await fetch(u)).arrayBuffer());

/**
 * Which elementary streams an MPEG-TS segment carries, read from its first program map
 * table (PAT → PMT): `tsStreams` is pure (give it the first few KB of a segment);
 * `spanTracks` reads the heads of a span's segments to say what one MP4 of them holds.
 */

export type TsStream = "h264" | "h265" | "aac" | "other";

const PACKET = 188;
const STREAM_TYPES: Record<number, TsStream> = { 0x1b: "h264", 0x24: "h265", 0x0f: "aac" };

/** The payload of a packet that starts a PSI section (pointer field skipped), or undefined. */
function sectionOf(bytes: Uint8Array, at: number, pid: number): Uint8Array | undefined {
  if (bytes[at] !== 0x47) return undefined;
  const packetPid = ((bytes[at + 1] & 0x1f) << 8) | bytes[at + 2];
  const unitStart = (bytes[at + 1] & 0x40) !== 0;
  if (packetPid !== pid || !unitStart) return undefined;
  let p = at + 4;
  const adaptation = (bytes[at + 3] >> 4) & 0x3;
  if (adaptation === 2) return undefined; // no payload
  if (adaptation === 3) p += 1 + bytes[p];
  p += 1 + bytes[p]; // pointer field
  return p < at + PACKET ? bytes.subarray(p, at + PACKET) : undefined;
}

function findSection(bytes: Uint8Array, pid: number): Uint8Array | undefined {
  for (let at = 0; at + PACKET <= bytes.length; at += PACKET) {
    const s = sectionOf(bytes, at, pid);
    if (s) return s;
  }
  return undefined;
}

/**
 * The streams of the first program, in PMT order; empty when `bytes` is not MPEG-TS or
 * holds no PAT/PMT (single-packet sections only, which is what muxers write).
 */
export function tsStreams(bytes: Uint8Array): TsStream[] {
  const pat = findSection(bytes, 0);
  if (!pat || pat[0] !== 0x00 || pat.length < 12) return [];
  // First program entry after the 8-byte header: program_number (2) + PID (2).
  let pmtPid = -1;
  const patLength = ((pat[1] & 0x0f) << 8) | pat[2];
  for (let p = 8; p + 4 <= Math.min(pat.length, 3 + patLength - 4); p += 4) {
    const program = (pat[p] << 8) | pat[p + 1];
    if (program !== 0) {
      pmtPid = ((pat[p + 2] & 0x1f) << 8) | pat[p + 3];
      break;
    }
  }
  if (pmtPid < 0) return [];
  const pmt = findSection(bytes, pmtPid);
  if (!pmt || pmt[0] !== 0x02 || pmt.length < 12) return [];
  const end = Math.min(pmt.length, 3 + (((pmt[1] & 0x0f) << 8) | pmt[2]) - 4);
  const infoLength = ((pmt[10] & 0x0f) << 8) | pmt[11];
  const streams: TsStream[] = [];
  for (let p = 12 + infoLength; p + 5 <= end;) {
    streams.push(STREAM_TYPES[pmt[p]] ?? "other");
    p += 5 + (((pmt[p + 3] & 0x0f) << 8) | pmt[p + 4]);
  }
  return streams;
}

/** The tracks of an MP4 made of a span's segments. */
export interface SpanTracks {
  video: "h264" | "h265";
  /** AAC audio, when every segment has some. */
  audio: boolean;
}

/** The first packets of a segment (where its PAT/PMT are); empty if it is gone (pruned). */
async function readHead(path: string): Promise<Uint8Array> {
  try {
    using file = await Deno.open(path);
    const buf = new Uint8Array(4 * PACKET);
    const n = await file.read(buf);
    return buf.subarray(0, n ?? 0);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return new Uint8Array();
    throw err;
  }
}

/**
 * What one MP4 of these segments holds: their video codec (H.264 when none says), and
 * their AAC audio when every segment has some (a span that starts before the camera's
 * audio was found is exported silent). Undefined when the video changes codec within
 * the span (it cannot be one MP4). Segments that are gone or unreadable as MPEG-TS are
 * left out.
 */
export async function spanTracks(paths: string[]): Promise<SpanTracks | undefined> {
  const all = (await Promise.all(paths.map(async (p) => tsStreams(await readHead(p)))))
    .filter((s) => s.length > 0);
  const videos = new Set(all.map((s) => s.find((x) => x === "h264" || x === "h265")));
  if (videos.size > 1) return undefined;
  const video = [...videos][0] ?? "h264";
  return { video, audio: all.length > 0 && all.every((s) => s.includes("aac")) };
}

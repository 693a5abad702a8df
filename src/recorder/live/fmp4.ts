/**
 * Fragmented MP4 as mp4mux writes it live (`fragment-duration=1 streamable=true`): an init
 * segment (ftyp + moov) and then one moof + mdat pair per frame. Pure.
 *
 * `Fmp4Splitter` cuts a byte stream (read from a socket in arbitrary chunks) into the init
 * segment and whole fragments, learns whether a fragment starts with a keyframe (the trun's
 * or tfhd's sample flags), its decode time (tfdt) and the codec string browsers take for
 * `MediaSource.isTypeSupported` (from the avcC / hvcC of the sample entry). A stream joined
 * mid-box (a reconnect) is resynchronised at the next moof.
 */

/** The init segment (ftyp + moov) and what it says. */
export interface InitSegment {
  data: Uint8Array;
  /** RFC 6381 codec string, e.g. `avc1.42c01e` or `hvc1.1.6.L93.b0`; undefined if unknown. */
  codec?: string;
  /** The video track's timescale (mdhd). */
  timescale: number;
}

/** One moof + mdat. */
export interface Fragment {
  data: Uint8Array;
  /** Its first sample is a sync sample (a keyframe). */
  key: boolean;
  /** Decode time of its first sample in the track's timescale (tfdt). */
  decodeTime: number;
}

export type Fmp4Item = { kind: "init"; init: InitSegment } | {
  kind: "fragment";
  fragment: Fragment;
};

/** A box bigger than this is taken for garbage (a 4K keyframe is a few MB). */
export const MAX_BOX_BYTES = 32 * 1024 * 1024;
const TOP_LEVEL = new Set(["ftyp", "moov", "moof", "mdat", "styp", "sidx", "free", "skip"]);
/** tfhd/trun sample flags: sample_is_non_sync_sample. */
const NON_SYNC = 0x10000;

interface Box {
  type: string;
  /** Offset of the box's payload (after its header). */
  start: number;
  end: number;
}

const fourcc = (b: Uint8Array, at: number) =>
  String.fromCharCode(b[at], b[at + 1], b[at + 2], b[at + 3]);

const view = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);

/** The boxes in `b` between `from` and `to` (a truncated last box is left out). */
export function boxes(b: Uint8Array, from = 0, to = b.length): Box[] {
  const out: Box[] = [];
  const v = view(b);
  let at = from;
  while (at + 8 <= to) {
    let size = v.getUint32(at);
    let header = 8;
    if (size === 1) {
      if (at + 16 > to) break;
      size = Number(v.getBigUint64(at + 8));
      header = 16;
    } else if (size === 0) size = to - at;
    if (size < header || at + size > to) break;
    out.push({ type: fourcc(b, at + 4), start: at + header, end: at + size });
    at += size;
  }
  return out;
}

const child = (b: Uint8Array, parent: Box, type: string, skip = 0) =>
  boxes(b, parent.start + skip, parent.end).find((x) => x.type === type);

/** Follows a path of box types from a parent (undefined where one is missing). */
function path(b: Uint8Array, parent: Box, types: string[]): Box | undefined {
  let at: Box | undefined = parent;
  for (const t of types) at = at && child(b, at, t);
  return at;
}

const hex2 = (n: number) => n.toString(16).padStart(2, "0");

/** `avc1.PPCCLL` from an avcC payload. */
function avcCodec(b: Uint8Array, avcC: Box, entry: string): string | undefined {
  if (avcC.end - avcC.start < 4) return undefined;
  const p = avcC.start;
  return `${entry}.${hex2(b[p + 1])}${hex2(b[p + 2])}${hex2(b[p + 3])}`;
}

/** `hvc1.<profile>.<compat>.<tier><level>.<constraints>` from an hvcC payload (ISO 14496-15 E.3). */
function hevcCodec(b: Uint8Array, hvcC: Box, entry: string): string | undefined {
  if (hvcC.end - hvcC.start < 13) return undefined;
  const p = hvcC.start;
  const space = ["", "A", "B", "C"][b[p + 1] >> 6];
  const tier = (b[p + 1] >> 5) & 1 ? "H" : "L";
  const profile = b[p + 1] & 0x1f;
  let compat = view(b).getUint32(p + 2);
  let reversed = 0;
  for (let i = 0; i < 32; i++, compat >>>= 1) reversed = (reversed << 1) | (compat & 1);
  const constraints = Array.from(b.subarray(p + 6, p + 12));
  while (constraints.length > 0 && constraints[constraints.length - 1] === 0) constraints.pop();
  const level = b[p + 12];
  return [
    entry,
    `${space}${profile}`,
    (reversed >>> 0).toString(16),
    `${tier}${level}`,
    ...constraints.map((c) => c.toString(16)),
  ].join(".");
}

/** VisualSampleEntry fields before its child boxes (ISO 14496-12 12.1.3). */
const VISUAL_ENTRY_BYTES = 78;

/** The codec string and timescale of the first video track of a moov. */
export function describeMoov(b: Uint8Array, moov: Box): { codec?: string; timescale: number } {
  const trak = child(b, moov, "trak");
  const mdia = trak && child(b, trak, "mdia");
  const mdhd = mdia && child(b, mdia, "mdhd");
  let timescale = 90_000;
  if (mdhd && mdhd.end - mdhd.start >= 24) {
    const v = view(b);
    timescale = v.getUint32(mdhd.start + (b[mdhd.start] === 1 ? 20 : 12));
  }
  const stsd = mdia && path(b, mdia, ["minf", "stbl", "stsd"]);
  // stsd: version/flags (4) and entry count (4) before the entries.
  const entry = stsd && boxes(b, stsd.start + 8, stsd.end)[0];
  if (!entry) return { timescale };
  const config = boxes(b, entry.start + VISUAL_ENTRY_BYTES, entry.end);
  const avcC = config.find((x) => x.type === "avcC");
  const hvcC = config.find((x) => x.type === "hvcC");
  const codec = avcC
    ? avcCodec(b, avcC, entry.type)
    : hvcC
    ? hevcCodec(b, hvcC, entry.type)
    : undefined;
  return { codec, timescale };
}

/** Whether a moof's first sample is a keyframe, and its decode time. */
export function describeMoof(b: Uint8Array, moof: Box): { key: boolean; decodeTime: number } {
  const v = view(b);
  const traf = child(b, moof, "traf");
  if (!traf) return { key: false, decodeTime: 0 };
  const tfhd = child(b, traf, "tfhd");
  const trun = child(b, traf, "trun");
  const tfdt = child(b, traf, "tfdt");
  let decodeTime = 0;
  if (tfdt) {
    decodeTime = b[tfdt.start] === 1
      ? Number(v.getBigUint64(tfdt.start + 4))
      : v.getUint32(tfdt.start + 4);
  }
  let flags: number | undefined;
  if (tfhd) {
    const tf = v.getUint32(tfhd.start) & 0xffffff;
    // track_ID, then the optional fields in order: base offset (8), description index,
    // default duration, default size, default flags (4 each).
    let at = tfhd.start + 8;
    if (tf & 0x1) at += 8;
    for (const bit of [0x2, 0x8, 0x10]) if (tf & bit) at += 4;
    if (tf & 0x20) flags = v.getUint32(at);
  }
  if (trun) {
    const tr = v.getUint32(trun.start) & 0xffffff;
    // sample count, then data offset and first-sample flags when present.
    let at = trun.start + 8;
    if (tr & 0x1) at += 4;
    if (tr & 0x4) flags = v.getUint32(at);
    else if (tr & 0x400) {
      // The first sample's record: duration and size (when present) before its flags.
      for (const bit of [0x100, 0x200]) if (tr & bit) at += 4;
      flags = v.getUint32(at);
    }
  }
  return { key: flags !== undefined && (flags & NON_SYNC) === 0, decodeTime };
}

/**
 * Cuts a live fMP4 byte stream into its init segment and fragments. Feed it chunks as they
 * come (it copies what it keeps, so the caller may reuse its read buffer); it keeps at most
 * one unfinished box pair, in one buffer that grows to the largest pair and is reused. A
 * fragment (moof + mdat) is cut out with one copy. Garbage (or a join in mid-box) is skipped
 * up to the next `moof`.
 */
export class Fmp4Splitter {
  #buf = new Uint8Array(64 * 1024);
  #start = 0;
  #end = 0;
  #ftyp?: Uint8Array;
  /** Bytes skipped while resynchronising. */
  skipped = 0;

  push(chunk: Uint8Array): Fmp4Item[] {
    this.#append(chunk);
    const out: Fmp4Item[] = [];
    while (this.#end - this.#start >= 8) {
      const b = this.#buf, at = this.#start;
      const size = view(b).getUint32(at);
      const type = fourcc(b, at + 4);
      if (!TOP_LEVEL.has(type) || size < 8 || size > MAX_BOX_BYTES) {
        this.#resync();
        continue;
      }
      if (type === "moof") {
        // The moof and the mdat after it, as one fragment.
        if (this.#end - at < size + 8) break;
        const mdatSize = view(b).getUint32(at + size);
        if (fourcc(b, at + size + 4) !== "mdat" || mdatSize < 8 || mdatSize > MAX_BOX_BYTES) {
          this.#start += size; // a moof without its mdat: dropped
          continue;
        }
        if (this.#end - at < size + mdatSize) break;
        const data = b.slice(at, at + size + mdatSize);
        this.#start += size + mdatSize;
        const { key, decodeTime } = describeMoof(data, { type, start: 8, end: size });
        out.push({ kind: "fragment", fragment: { data, key, decodeTime } });
        continue;
      }
      if (this.#end - at < size) break;
      const box = b.slice(at, at + size);
      this.#start += size;
      if (type === "ftyp") this.#ftyp = box;
      else if (type === "moov") {
        const data = this.#ftyp ? concat([this.#ftyp, box]) : box;
        this.#ftyp = undefined;
        out.push({
          kind: "init",
          init: { data, ...describeMoov(box, { type, start: 8, end: size }) },
        });
      } // anything else at the top level (free, a lone mdat) is skipped
    }
    if (this.#start === this.#end) this.#start = this.#end = 0;
    return out;
  }

  #append(chunk: Uint8Array): void {
    const held = this.#end - this.#start;
    if (this.#end + chunk.length > this.#buf.length) {
      const target = this.#buf.length >= held + chunk.length
        ? this.#buf
        : new Uint8Array(Math.max(this.#buf.length * 2, held + chunk.length));
      if (target === this.#buf) target.copyWithin(0, this.#start, this.#end);
      else target.set(this.#buf.subarray(this.#start, this.#end));
      this.#buf = target;
      this.#start = 0;
      this.#end = held;
    }
    this.#buf.set(chunk, this.#end);
    this.#end += chunk.length;
  }

  /** Drops bytes up to the next `moof` (keeping a possible partial match at the end). */
  #resync(): void {
    const b = this.#buf;
    for (let i = this.#start + 1; i + 8 <= this.#end; i++) {
      if (b[i + 4] === 0x6d && fourcc(b, i + 4) === "moof") {
        this.skipped += i - this.#start;
        this.#start = i;
        return;
      }
    }
    const keep = Math.min(this.#end - this.#start, 7);
    this.skipped += this.#end - this.#start - keep;
    this.#start = this.#end - keep;
  }
}

export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * Low-Latency HLS (RFC 8216bis, "LL-HLS") from a camera's live fMP4 fragments, for players
 * that take HLS but no WebSocket + MSE (Safari on iOS before 17.1, native and set-top players).
 * Pure: the window is fed the hub's messages (hub.ts) and renders playlists; a clock is
 * injected.
 *
 * - A **part** is the fragments (one frame each) of up to `PART_TARGET_S` (a frame interval
 *   more would pass it: 7 frames at 25 fps, 4 at 15, 9 at 30); a keyframe always
 *   starts a new part (INDEPENDENT=YES). A **segment** ends at a keyframe, or once it reached
 *   `SEGMENT_TARGET_S` (a long GOP): its bytes are its parts' bytes.
 * - Media sequence numbers never go back while the window lives; a new run of the camera's
 *   child (a new init segment) starts a discontinuity with the new init (`init-{n}.mp4`).
 * - The window keeps 3 target durations of closed segments; parts are listed for the newest
 *   `PART_SEGMENTS` segments, the one being written included (within the spec's "3 target
 *   durations" from the end, as strict parsers check it).
 * - Blocking reload: `wait(msn, part)` resolves when segment `msn` (its part `part`) exists.
 */
import type { Clock } from "../../clock.ts";
import { concat, type InitSegment } from "./fmp4.ts";
import type { LiveMessage } from "./hub.ts";

export const PART_TARGET_S = 0.3;
export const SEGMENT_TARGET_S = 4;
const KEEP_S = 3 * SEGMENT_TARGET_S;
const PART_SEGMENTS = 3;

interface Part {
  /** Its fragments (moof + mdat each). */
  chunks: Uint8Array[];
  /** Decode time of its first and last frames (track timescale). */
  start: number;
  last: number;
  /** Seconds; known once the part is closed. */
  duration?: number;
  independent: boolean;
}

interface Segment {
  msn: number;
  parts: Part[];
  /** The init it plays with (its number). */
  init: number;
  /** A new run starts here. */
  discontinuity: boolean;
  /** Its discontinuity sequence number. */
  dseq: number;
  /** Wall time of its first frame: as the server received it for a run's first segment. */
  wallMs: number;
  closed: boolean;
}

export class LlHlsWindow {
  #segments: Segment[] = [];
  #inits = new Map<number, InitSegment>();
  #initNo = 0;
  #nextMsn = 0;
  /** Discontinuities so far (the newest segment's discontinuity sequence number). */
  #discontinuities = 0;
  #newRun = false;
  #waiters = new Set<() => void>();

  constructor(readonly clock: Clock) {}

  /** Takes one message of the hub. */
  push(m: LiveMessage): void {
    if (m.kind === "init") {
      this.#closeOpen(undefined);
      this.#initNo++;
      this.#inits.set(this.#initNo, m.init);
      this.#newRun = this.#segments.length > 0;
      return;
    }
    const init = this.#inits.get(this.#initNo);
    if (!init) return;
    const f = m.fragment;
    const open = this.#open();
    if (!open && !f.key) return; // a new window starts at a keyframe
    const seconds = (t: number) => t / init.timescale;
    const part = open?.parts.at(-1);
    if (open && part && !f.key) {
      const segmentS = seconds(f.decodeTime - open.parts[0].start);
      const partS = seconds(f.decodeTime - part.start);
      // With this frame the part lasts until the next one, about one more frame interval.
      const frameS = seconds(f.decodeTime - part.last);
      if (segmentS < SEGMENT_TARGET_S && partS + frameS <= PART_TARGET_S + 1e-6) {
        part.chunks.push(f.data);
        part.last = f.decodeTime;
        return this.#wake();
      }
      if (segmentS < SEGMENT_TARGET_S) {
        part.duration = partS;
        open.parts.push(newPart(f.data, f.decodeTime, false));
        return this.#wake();
      }
    }
    if (open) this.#closeOpen(f.decodeTime);
    if (this.#newRun) this.#discontinuities++;
    // Times chain within a run (a time maps to one segment); a run starts at its arrival.
    const prev = this.#newRun ? undefined : this.#segments.at(-1);
    const wallMs = prev ? prev.wallMs + 1000 * durationOf(prev) : m.wallMs;
    this.#segments.push({
      msn: this.#nextMsn++,
      parts: [newPart(f.data, f.decodeTime, f.key)],
      init: this.#initNo,
      discontinuity: this.#newRun,
      dseq: this.#discontinuities,
      wallMs,
      closed: false,
    });
    this.#newRun = false;
    // The playlist keeps at least 3 target durations (RFC 8216 6.2.2), not much more.
    let closed = this.#segments.reduce((t, s) => t + (s.closed ? durationOf(s) : 0), 0);
    while (closed - durationOf(this.#segments[0]) >= KEEP_S) {
      closed -= durationOf(this.#segments.shift()!);
    }
    for (const n of this.#inits.keys()) if (!this.#usesInit(n)) this.#inits.delete(n);
    this.#wake();
  }

  init(n: number): Uint8Array | undefined {
    return this.#inits.get(n)?.data;
  }

  /** Segment `msn`'s bytes once closed; its part `part`'s bytes once that part is closed. */
  media(msn: number, part?: number): Uint8Array | undefined {
    const s = this.#segments.find((s) => s.msn === msn);
    if (!s) return undefined;
    if (part === undefined) return s.closed ? concat(s.parts.flatMap((p) => p.chunks)) : undefined;
    const p = s.parts[part];
    return p && p.duration !== undefined ? concat(p.chunks) : undefined;
  }

  /** True once segment `msn` (its part `part`) is in the playlist, or something later is. */
  has(msn: number, part?: number): boolean {
    const last = this.#segments.at(-1);
    if (!last) return false;
    if (msn < last.msn) return true;
    if (msn > last.msn) return false;
    if (part === undefined) return last.closed;
    return part < last.parts.length - 1 || (part < last.parts.length && last.closed);
  }

  /** The next segment number a player may ask for (beyond it by more than 2: a bad request). */
  get nextMsn(): number {
    return this.#nextMsn;
  }

  /** A whole segment is listed. */
  get hasSegment(): boolean {
    return this.#segments.some((s) => s.closed);
  }

  /** Seconds of media in closed parts. */
  get seconds(): number {
    return this.#segments.reduce((t, s) => t + durationOf(s), 0);
  }

  /** Resolves true once `has(msn, part)`, false after `ms`. */
  wait(msn: number, part: number | undefined, ms: number): Promise<boolean> {
    return this.waitFor(() => this.has(msn, part), ms);
  }

  /** Resolves true once `ok()` holds (checked as media comes), false after `ms`. */
  waitFor(ok: () => boolean, ms: number): Promise<boolean> {
    if (ok()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const check = () => {
        if (!ok()) return;
        this.#waiters.delete(check);
        this.clock.clearTimeout(timer);
        resolve(true);
      };
      const timer = this.clock.setTimeout(() => {
        this.#waiters.delete(check);
        resolve(false);
      }, ms);
      this.#waiters.add(check);
    });
  }

  /** The media playlist; URIs relative to it. */
  playlist(): string {
    const lines = [
      "#EXTM3U",
      "#EXT-X-VERSION:6",
      `#EXT-X-TARGETDURATION:${SEGMENT_TARGET_S}`,
      `#EXT-X-PART-INF:PART-TARGET=${PART_TARGET_S.toFixed(3)}`,
      `#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=${
        (3 * PART_TARGET_S).toFixed(3)
      },HOLD-BACK=${(3 * SEGMENT_TARGET_S).toFixed(3)}`,
      `#EXT-X-MEDIA-SEQUENCE:${this.#segments[0]?.msn ?? this.#nextMsn}`,
      `#EXT-X-DISCONTINUITY-SEQUENCE:${this.#segments[0]?.dseq ?? this.#discontinuities}`,
    ];
    const withParts = this.#segments.length - PART_SEGMENTS;
    let map: number | undefined;
    this.#segments.forEach((s, i) => {
      if (s.discontinuity && i > 0) lines.push("#EXT-X-DISCONTINUITY");
      if (s.init !== map) lines.push(`#EXT-X-MAP:URI="init-${(map = s.init)}.mp4"`);
      lines.push(`#EXT-X-PROGRAM-DATE-TIME:${new Date(s.wallMs).toISOString()}`);
      if (i >= withParts) {
        s.parts.forEach((p, n) => {
          if (p.duration === undefined) return;
          lines.push(
            `#EXT-X-PART:DURATION=${p.duration.toFixed(3)},URI="${s.msn}.${n}.m4s"` +
              (p.independent ? ",INDEPENDENT=YES" : ""),
          );
        });
      }
      if (s.closed) {
        lines.push(`#EXTINF:${durationOf(s).toFixed(3)},`, `${s.msn}.m4s`);
      } else {
        lines.push(`#EXT-X-PRELOAD-HINT:TYPE=PART,URI="${s.msn}.${s.parts.length - 1}.m4s"`);
      }
    });
    return lines.join("\n") + "\n";
  }

  #open(): Segment | undefined {
    const last = this.#segments.at(-1);
    return last && !last.closed ? last : undefined;
  }

  /** Ends the open segment at decode time `end` (undefined: its frames stop, drop the rest). */
  #closeOpen(end: number | undefined): void {
    const open = this.#open();
    if (!open) return;
    const timescale = this.#inits.get(open.init)?.timescale ?? 90_000;
    const last = open.parts.at(-1)!;
    if (end === undefined) {
      // The run ended mid-part: its last part has no known end; a frame's worth is assumed.
      end = last.start + timescale / 25;
    }
    last.duration = (end - last.start) / timescale;
    open.closed = true;
  }

  #usesInit(n: number): boolean {
    return n === this.#initNo || this.#segments.some((s) => s.init === n);
  }

  #wake(): void {
    for (const w of [...this.#waiters]) w();
  }
}

/** A segment's seconds (its closed parts'). */
function durationOf(s: Segment): number {
  return s.parts.reduce((t, p) => t + (p.duration ?? 0), 0);
}

function newPart(data: Uint8Array, decodeTime: number, independent: boolean): Part {
  return { chunks: [data], start: decodeTime, last: decodeTime, independent };
}

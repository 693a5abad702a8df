/**
 * An independent check of HLS media playlists: parsed by hls-parser in strict mode (not
 * this program's parser), then the RFC 8216 rules the recorder promises:
 * - every EXTINF rounded to the nearest integer is at most EXT-X-TARGETDURATION;
 * - every segment has a PROGRAM-DATE-TIME; a time maps to one segment (no overlap);
 *   wherever the times jump (gap or overlap) by more than `gapMs`, a DISCONTINUITY;
 * - across refreshes of one playlist (LiveTracker): the target duration never changes,
 *   the media sequence never goes back, a segment keeps its sequence number and URI,
 *   the discontinuity sequence matches the discontinuities that left.
 */
import HLS from "hls-parser";

HLS.setOptions({ strictMode: true, silent: true });

export interface Checked {
  targetDuration: number;
  mediaSequence: number;
  discontinuitySequence: number;
  ended: boolean;
  type?: string;
  start?: number;
  segments: { uri: string; startMs: number; durationMs: number; discontinuity: boolean }[];
}

/** Parses strictly and checks one playlist's own rules; problems are pushed to `problems`. */
export function checkPlaylist(
  text: string,
  what: string,
  problems: string[],
  gapMs = 500,
): Checked | undefined {
  let parsed;
  try {
    parsed = HLS.parse(text);
  } catch (err) {
    problems.push(`${what}: strict parser: ${(err as Error).message}`);
    return undefined;
  }
  if (parsed.isMasterPlaylist) {
    problems.push(`${what}: a master playlist`);
    return undefined;
  }
  const p = parsed as InstanceType<typeof HLS.types.MediaPlaylist>;
  const out: Checked = {
    targetDuration: p.targetDuration,
    mediaSequence: p.mediaSequenceBase ?? 0,
    discontinuitySequence: p.discontinuitySequenceBase ?? 0,
    ended: p.endlist,
    type: p.playlistType,
    start: p.start?.offset,
    segments: [],
  };
  let prevEnd: number | undefined;
  for (const [i, s] of p.segments.entries()) {
    const startMs = s.programDateTime?.getTime();
    const durationMs = Math.round(s.duration * 1000);
    if (startMs === undefined) {
      problems.push(`${what}: segment ${i} (${s.uri}) has no PROGRAM-DATE-TIME`);
      continue;
    }
    if (Math.round(s.duration) > p.targetDuration) {
      problems.push(`${what}: EXTINF ${s.duration} rounds above target ${p.targetDuration}`);
    }
    if (prevEnd !== undefined) {
      if (startMs < prevEnd - 1) {
        problems.push(
          `${what}: segment ${i} (${s.uri}) starts ${
            prevEnd - startMs
          } ms before the previous ends`,
        );
      }
      if (Math.abs(startMs - prevEnd) > gapMs && !s.discontinuity) {
        problems.push(
          `${what}: segment ${i} (${s.uri}): times jump ${startMs - prevEnd} ms, no DISCONTINUITY`,
        );
      }
    }
    prevEnd = startMs + durationMs;
    out.segments.push({ uri: s.uri, startMs, durationMs, discontinuity: !!s.discontinuity });
  }
  if (out.segments.length > 1) {
    const listed = out.segments.reduce((sum, s) => sum + s.durationMs, 0);
    const covered = prevEnd! - out.segments[0].startMs;
    if (listed > covered + out.segments.length) {
      problems.push(`${what}: lists ${listed} ms of media for ${covered} ms of wall time`);
    }
  }
  return out;
}

/** Follows one live playlist across refreshes. */
export class LiveTracker {
  target?: number;
  #bySeq = new Map<number, string>();
  #last?: Checked;
  /**
   * Each update (a refresh that listed new segments): how many, and how long after the
   * newest one ended (wall clock) it was listed.
   */
  readonly updates: { at: number; added: number; delayMs: number }[] = [];
  /** URIs that left the playlist, with when (performance.now()). */
  readonly left: { uri: string; at: number }[] = [];

  constructor(readonly what: string, readonly problems: string[]) {}

  refresh(text: string, at = performance.now()): Checked | undefined {
    const c = checkPlaylist(text, this.what, this.problems);
    if (!c) return undefined;
    const { what, problems } = this;
    this.target ??= c.targetDuration;
    if (c.targetDuration !== this.target) {
      problems.push(`${what}: TARGETDURATION changed ${this.target} → ${c.targetDuration}`);
    }
    if (c.ended || c.type) problems.push(`${what}: a live playlist with ENDLIST or a type`);
    const prev = this.#last;
    if (prev) {
      if (c.mediaSequence < prev.mediaSequence) {
        problems.push(
          `${what}: media sequence went back ${prev.mediaSequence} → ${c.mediaSequence}`,
        );
      }
      const leftCount = Math.min(prev.segments.length, c.mediaSequence - prev.mediaSequence);
      const gone = prev.segments.slice(0, Math.max(0, leftCount));
      const expectedDseq = prev.discontinuitySequence +
        gone.filter((s) => s.discontinuity).length;
      if (leftCount <= prev.segments.length && c.discontinuitySequence !== expectedDseq) {
        problems.push(
          `${what}: discontinuity sequence ${c.discontinuitySequence}, expected ${expectedDseq}`,
        );
      }
      for (const s of gone) this.left.push({ uri: s.uri, at });
      const prevLast = prev.mediaSequence + prev.segments.length;
      const added = c.mediaSequence + c.segments.length - prevLast;
      const last = c.segments.at(-1);
      if (added > 0 && last) {
        this.updates.push({ at, added, delayMs: Date.now() - (last.startMs + last.durationMs) });
      }
    }
    c.segments.forEach((s, i) => {
      const seq = c.mediaSequence + i;
      const known = this.#bySeq.get(seq);
      if (known !== undefined && known !== s.uri) {
        problems.push(`${what}: sequence ${seq} was ${known}, now ${s.uri}`);
      }
      this.#bySeq.set(seq, s.uri);
    });
    this.#last = c;
    return c;
  }
}

/** Decodes a playlist (or file) with ffmpeg, errors only: what it printed (none: clean). */
export async function ffmpegErrors(url: string, timeoutMs = 60_000): Promise<string> {
  const out = await new Deno.Command("ffmpeg", {
    args: ["-nostdin", "-v", "error", "-i", url, "-f", "null", "-"],
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(timeoutMs),
  }).output();
  const text = new TextDecoder().decode(out.stderr).trim();
  return out.success ? text : `exit ${out.code}: ${text}`;
}

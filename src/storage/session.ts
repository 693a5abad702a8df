/**
 * One recording session: a folder {camera}/{YYYY-MM-DD}/{HHMMSS}/ whose playlist
 * grows by appending (O(1) per segment) and gets #EXT-X-ENDLIST when it closes.
 *
 * A segment enters the folder only after GStreamer closed it, as a hard link of the
 * live segment, so the folder never holds a partial segment. Its name carries its
 * start time and duration, so the playlist and summary can be rebuilt from names.
 */
import { join } from "node:path";
import { localDate, localTimeCompact } from "../time.ts";
import { linkOrCopy, writeFileAtomic } from "./files.ts";
import { PLAYLIST, segmentFileName, SESSION_SUMMARY, sessionDir } from "./layout.ts";
import { ENDLIST, renderHeader, renderSegment, sessionTarget } from "./playlist.ts";
import { addToSpans, jumps, type Span } from "./timeline.ts";

/** What the catalog knows of a session; session.json holds it for closed ones. */
export interface SessionSummary {
  gid: number;
  seq: number;
  date: string;
  time: string;
  startMs: number;
  endMs: number;
  segments: number;
  bytes: number;
  /** Continuous recorded spans [startMs, endMs]; a gap separates two spans. */
  spans: Span[];
  open: boolean;
  closeReason?: string;
}

export class RecordingSession {
  readonly summary: SessionSummary;
  readonly dir: string;
  /** EXT-X-TARGETDURATION, fixed when the session opens: no entry is ever longer. */
  readonly target: number;
  #lastEnd = 0;

  private constructor(dir: string, summary: SessionSummary, target: number) {
    this.dir = dir;
    this.summary = summary;
    this.target = target;
  }

  /**
   * Creates the session folder and its playlist header; named after `startMs`. Its target
   * duration is sessionTarget(segmentSeconds), or `minTarget` when that is more.
   */
  static async open(
    root: string,
    gid: number,
    seq: number,
    startMs: number,
    segmentSeconds: number,
    minTarget = 0,
  ): Promise<RecordingSession> {
    const date = localDate(startMs);
    let time = localTimeCompact(startMs);
    let dir = sessionDir(root, gid, seq, date, time);
    // Two sessions started within the same second (or a clock step back): next free second.
    for (let i = 1; await Deno.stat(dir).then(() => true, () => false); i++) {
      time = localTimeCompact(startMs + i * 1000);
      dir = sessionDir(root, gid, seq, date, time);
    }
    await Deno.mkdir(dir, { recursive: true });
    const target = Math.max(sessionTarget(segmentSeconds), minTarget);
    await Deno.writeTextFile(
      join(dir, PLAYLIST),
      renderHeader({ targetDuration: target, type: "EVENT" }),
    );
    return new RecordingSession(dir, {
      gid,
      seq,
      date,
      time,
      startMs,
      endMs: startMs,
      segments: 0,
      bytes: 0,
      spans: [],
      open: true,
    }, target);
  }

  /** Links a closed live segment into the folder and appends it to the playlist. */
  async append(
    livePath: string,
    startMs: number,
    durationMs: number,
    newRun: boolean,
    /** The segment's size when the caller already knows it (saves a stat). */
    bytes?: number,
  ) {
    const name = segmentFileName({ startMs, durationMs });
    await linkOrCopy(livePath, join(this.dir, name));
    const s = this.summary;
    const gap = s.segments > 0 && (newRun || jumps(this.#lastEnd, startMs));
    await Deno.writeTextFile(
      join(this.dir, PLAYLIST),
      renderSegment({ uri: name, startMs, durationMs, discontinuity: gap }),
      { append: true },
    );
    const endMs = startMs + durationMs;
    addToSpans(s.spans, { startMs, durationMs }, gap);
    if (s.segments === 0) s.startMs = startMs;
    s.segments++;
    s.endMs = endMs;
    s.bytes += bytes ?? (await Deno.stat(join(this.dir, name))).size;
    this.#lastEnd = endMs;
  }

  /**
   * Ends the playlist (one append: its header, target duration included, never changes)
   * and writes the summary.
   */
  async close(reason: string): Promise<SessionSummary> {
    const s = this.summary;
    await Deno.writeTextFile(join(this.dir, PLAYLIST), ENDLIST, { append: true });
    s.open = false;
    s.closeReason = reason;
    await writeSummary(this.dir, s);
    return s;
  }
}

/** Writes session.json; the camera and folder names are not stored (the path says them). */
export function writeSummary(dir: string, s: SessionSummary): Promise<void> {
  const { gid: _gid, seq: _seq, date: _date, time: _time, ...rest } = s;
  return writeFileAtomic(join(dir, SESSION_SUMMARY), JSON.stringify(rest));
}

/**
 * The recording side of one camera: which closed segments are kept, the session they
 * go into, and when that session closes.
 *
 * Recording on/off takes effect at a segment boundary. Turning recording on keeps
 * the segment being written (a few seconds of pre-roll); turning it off keeps the
 * segment that holds the moment it was turned off, then closes the session. A
 * session that reaches local midnight closes; the next segment opens a new one. So
 * does a change of tracks (codec, audio): players cannot switch them inside one playlist.
 */
import type { Logger } from "../log.ts";
import type { Catalog } from "../storage/catalog.ts";
import { type PruneResult, pruneSession } from "../storage/prune.ts";
import { join } from "node:path";
import { PLAYLIST } from "../storage/layout.ts";
import { parsePlaylist, roundedSeconds } from "../storage/playlist.ts";
import { RecordingSession, type SessionSummary } from "../storage/session.ts";
import { localDate } from "../time.ts";
import type { TimedSegment } from "./segment_timer.ts";

export interface KeeperDeps {
  mediaRoot: string;
  gid: number;
  seq: number;
  segmentSeconds: number;
  catalog: Catalog;
  log: Logger;
}

export class RecordingKeeper {
  #d: KeeperDeps;
  #session?: RecordingSession;
  /** Recording was turned off at this time; the session closes after the segment holding it. */
  #closeAt?: number;
  /** The tracks of the open session's segments, e.g. `h264+aac`. */
  #tracks?: string;
  wanted: boolean;

  constructor(deps: KeeperDeps, wanted: boolean) {
    this.#d = deps;
    this.wanted = wanted;
  }

  /** The session being recorded (not one that is closing). */
  get current(): SessionSummary | undefined {
    return this.#closeAt === undefined ? this.#session?.summary : undefined;
  }

  /** A session waits for its last segment (recording was turned off). */
  get closing(): boolean {
    return this.#closeAt !== undefined && this.#session !== undefined;
  }

  /** Turns recording on or off; returns the session that turning off will close. */
  set(on: boolean, now: number): SessionSummary | undefined {
    this.wanted = on;
    if (on) {
      this.#closeAt = undefined;
      return undefined;
    }
    if (!this.#session) return undefined;
    this.#closeAt = now;
    return this.#session.summary;
  }

  /** Whether a closed segment starting at `startMs` belongs to a recording. */
  keeps(startMs: number): boolean {
    return this.wanted || (this.#closeAt !== undefined && startMs <= this.#closeAt);
  }

  /**
   * Links the segment into the current session (opening one, or the next day's).
   * `tracks` names what the segment holds (e.g. `h264+aac`).
   */
  async add(segment: TimedSegment, bytes: number, tracks: string): Promise<void> {
    const { startMs, durationMs, location, newRun } = segment;
    const open = this.#session?.summary;
    if (open && localDate(startMs) !== open.date) await this.close("midnight", false);
    else if (open && this.#tracks !== tracks) {
      await this.close(`tracks changed (${this.#tracks} → ${tracks})`, false);
    } // The wall clock stepped back (NTP): times would overlap inside one session, so the
    // session ends and the segment starts a new one. (SegmentTimer never places a segment
    // before the previous one's end otherwise: lateness under load cannot get here.)
    else if (open && open.segments > 0 && startMs < open.endMs) {
      await this.close("clock stepped back", false);
    } // A GOP longer than the playlist's fixed target: a new session with a target it fits.
    else if (open && this.#session && roundedSeconds(durationMs) > this.#session.target) {
      await this.close("segment longer than the target duration", false);
    }
    if (!this.#session) {
      const d = this.#d;
      this.#session = await RecordingSession.open(
        d.mediaRoot,
        d.gid,
        d.seq,
        startMs,
        d.segmentSeconds,
        roundedSeconds(durationMs),
      );
      this.#tracks = tracks;
      d.catalog.put(this.#session.summary);
      d.log.info("recording session opened", {
        camera: `${d.gid}/${d.seq}`,
        dir: this.#session.dir,
      });
    }
    await this.#session.append(location, startMs, durationMs, newRun, bytes);
  }

  /** Closes the session, if any; `clearCloseAt` false keeps a pending stop for the next one. */
  async close(reason: string, clearCloseAt = true): Promise<SessionSummary | undefined> {
    const session = this.#session;
    if (clearCloseAt) this.#closeAt = undefined;
    if (!session) return undefined;
    this.#session = undefined;
    const camera = `${this.#d.gid}/${this.#d.seq}`;
    try {
      const summary = await session.close(reason);
      this.#d.catalog.put(summary);
      this.#d.log.info("recording session closed", { camera, dir: session.dir, reason });
      return summary;
    } catch (err) {
      this.#d.log.error("cannot close session", { camera, error: (err as Error).message });
      return session.summary;
    }
  }

  /**
   * Retention: removes segments from the open session {date}/{time}, if it is that one.
   * A live playlist may only lose entries from its start (RFC 8216 6.2.1): when `names`
   * are not the session's first segments (motion-only keeping drops the quiet middle),
   * the session is closed first ("split for retention"; the next segment opens a new one)
   * and pruned as a closed one.
   */
  async prune(date: string, time: string, names: Set<string>): Promise<PruneResult | undefined> {
    const s = this.#session;
    if (!s || s.summary.date !== date || s.summary.time !== time) return undefined;
    const listed = parsePlaylist(await Deno.readTextFile(join(s.dir, PLAYLIST))).segments;
    const firstKept = listed.findIndex((x) => !names.has(x.uri));
    const prefix = firstKept < 0 || listed.slice(firstKept).every((x) => !names.has(x.uri));
    if (prefix) return await pruneSession(s.dir, s.summary, names);
    const closed = await this.close("split for retention", false);
    return closed ? await pruneSession(s.dir, closed, names) : undefined;
  }
}

/**
 * The live playlist of one camera: the last few segments GStreamer closed, as a
 * rolling HLS playlist at {camera}/hls/index.m3u8. Each gst-launch run writes into
 * its own folder {camera}/hls/{run}/, so a run's files never collide with another's,
 * and removing a folder makes a leftover child of a crashed server fail at its next
 * segment. Writing is O(window) per segment.
 *
 * RFC 8216 rules it keeps:
 * - EXT-X-TARGETDURATION is fixed by the first segment the window lists: the configured
 *   segment length rounded up, or that segment's duration (rounded) when the camera's GOP
 *   is longer. It never changes; a later segment longer than it (rounded) is not listed
 *   (a DISCONTINUITY marks the hole; the recording keeps it).
 * - A DISCONTINUITY precedes a new run and any jump of the times beyond GAP_MS.
 * - A segment that leaves the window stays on disk for its own duration plus the
 *   playlist's (6.2.2), so a player that loaded the previous playlist can still fetch it;
 *   then it is deleted (a recorded segment lives on as a hard link in its session).
 */
import { join, relative } from "node:path";
import { PLAYLIST } from "./layout.ts";
import { type PlaylistSegment, renderPlaylist, roundedSeconds } from "./playlist.ts";
import { jumps } from "./timeline.ts";
import type { Logger } from "../log.ts";
import { removeIfPresent, writeFileAtomic } from "./files.ts";
import { forgetLivePlaylists, publishLivePlaylist } from "./live_playlists.ts";

export class LiveWindow {
  #segments: PlaylistSegment[] = [];
  #mediaSequence = 0;
  #discontinuitySequence = 0;
  #currentRun = "";
  #target?: number;
  /** End (wall ms) of the last segment pushed, listed or not. */
  #lastEnd?: number;
  /** A segment was left out since the last listed one: the next one is a discontinuity. */
  #skipped = false;
  /** Segments that left the window, and when (monotonic ms) they may be deleted. */
  #retired: { uri: string; until: number }[] = [];

  constructor(
    readonly dir: string,
    readonly size: number,
    readonly segmentSeconds: number,
    /** Monotonic ms (when a segment that left the window may go). */
    readonly now: () => number = () => performance.now(),
    /** Where a file that cannot be deleted is reported (default: stderr). */
    readonly log?: Logger,
  ) {}

  /** The playlist's EXT-X-TARGETDURATION (fixed once the first segment is listed). */
  get targetDuration(): number | undefined {
    return this.#target;
  }

  /** Removes everything under the live folder (stale after a restart of the server). */
  async reset(): Promise<void> {
    forgetLivePlaylists(this.dir);
    await this.#remove(this.dir, { recursive: true });
    await Deno.mkdir(this.dir, { recursive: true });
    this.#segments = [];
    this.#retired = [];
  }

  /**
   * The camera stopped (deleted, moved, shut down): its playlist is no longer answered from
   * memory, and the file that entry held open is closed. The files on disk stay.
   */
  close(): void {
    forgetLivePlaylists(this.dir);
  }

  /** Creates (synchronously: called while building argv) the folder of a new run. */
  runDir(run: string): string {
    this.#currentRun = run;
    const dir = join(this.dir, run);
    Deno.mkdirSync(dir, { recursive: true });
    return dir;
  }

  get segments(): readonly PlaylistSegment[] {
    return this.#segments;
  }

  async push(path: string, startMs: number, durationMs: number, discontinuity: boolean) {
    const uri = relative(this.dir, path);
    const jump = this.#lastEnd !== undefined && jumps(this.#lastEnd, startMs);
    this.#lastEnd = startMs + durationMs;
    this.#target ??= Math.max(Math.ceil(this.segmentSeconds), roundedSeconds(durationMs));
    const now = this.now();
    if (roundedSeconds(durationMs) > this.#target) {
      // Longer than the target this playlist announced: not listed (the hole is marked).
      this.#skipped = true;
      this.#retired.push({ uri, until: now + durationMs + this.#durationMs() });
    } else {
      this.#segments.push({
        uri,
        startMs,
        durationMs,
        discontinuity: (discontinuity || jump || this.#skipped) && this.#segments.length > 0,
      });
      this.#skipped = false;
      while (this.#segments.length > this.size) {
        const old = this.#segments.shift()!;
        this.#mediaSequence++;
        if (old.discontinuity) this.#discontinuitySequence++;
        // Fetchable for its own duration plus the playlist's after it leaves (RFC 8216 6.2.2).
        this.#retired.push({ uri: old.uri, until: now + old.durationMs + this.#durationMs() });
      }
      await this.#write();
    }
    await this.#deleteRetired(now);
  }

  /** The playlist's duration (ms). */
  #durationMs(): number {
    return this.#segments.reduce((sum, s) => sum + s.durationMs, 0);
  }

  async #deleteRetired(now: number): Promise<void> {
    const due = this.#retired.filter((r) => r.until <= now);
    if (due.length === 0) return;
    this.#retired = this.#retired.filter((r) => r.until > now);
    const runs = new Set<string>();
    for (const old of due) {
      await this.#remove(join(this.dir, old.uri));
      runs.add(old.uri.split("/")[0]);
    }
    for (const run of runs) {
      const held = (s: { uri: string }) => s.uri.startsWith(run + "/");
      if (run !== this.#currentRun && !this.#segments.some(held) && !this.#retired.some(held)) {
        // The run's last segment is gone: drop its folder (and any unlisted file).
        await this.#remove(join(this.dir, run), { recursive: true });
      }
    }
  }

  /** Deletes what left the window; one that cannot be deleted is reported, not fatal. */
  async #remove(path: string, options?: Deno.RemoveOptions): Promise<void> {
    await removeIfPresent(path, options).catch((err) => {
      const fields = { path, error: String(err) };
      if (this.log) this.log.warn("live window: cannot delete", fields);
      else console.error("live window: cannot delete", fields);
    });
  }

  /** Writes the playlist, and hands its text to the media routes (served from memory). */
  async #write(): Promise<void> {
    const text = renderPlaylist({
      targetDuration: this.#target!,
      mediaSequence: this.#mediaSequence,
      discontinuitySequence: this.#discontinuitySequence,
    }, this.#segments);
    const path = join(this.dir, PLAYLIST);
    await writeFileAtomic(path, text);
    // Gone already (the folder removed meanwhile): the disk answers, as it would anyway.
    const written = await Deno.open(path).catch(() => undefined);
    if (written) publishLivePlaylist(path, text, written);
  }
}

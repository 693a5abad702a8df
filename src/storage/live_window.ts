/**
 * The live playlist of one camera: the last few segments GStreamer closed, as a
 * rolling HLS playlist at {camera}/hls/index.m3u8. Each gst-launch run writes into
 * its own folder {camera}/hls/{run}/, so a run's files never collide with another's,
 * and removing a folder makes a leftover child of a crashed server fail at its next
 * segment. Segments that leave the window are deleted (a recorded segment lives on
 * as a hard link in its session folder). Writing is O(window) per segment.
 */
import { join, relative } from "node:path";
import { PLAYLIST } from "./layout.ts";
import { type PlaylistSegment, renderPlaylist, targetDurationFor } from "./playlist.ts";
import { writeFileAtomic } from "./files.ts";

export class LiveWindow {
  #segments: PlaylistSegment[] = [];
  #mediaSequence = 0;
  #discontinuitySequence = 0;
  #currentRun = "";

  constructor(
    readonly dir: string,
    readonly size: number,
    readonly segmentSeconds: number,
  ) {}

  /** Removes everything under the live folder (stale after a restart of the server). */
  async reset(): Promise<void> {
    await Deno.remove(this.dir, { recursive: true }).catch(() => {});
    await Deno.mkdir(this.dir, { recursive: true });
    this.#segments = [];
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
    this.#segments.push({
      uri: relative(this.dir, path),
      startMs,
      durationMs,
      discontinuity: discontinuity && this.#segments.length > 0,
    });
    const removed: PlaylistSegment[] = [];
    while (this.#segments.length > this.size) {
      const old = this.#segments.shift()!;
      removed.push(old);
      this.#mediaSequence++;
      if (old.discontinuity) this.#discontinuitySequence++;
    }
    await this.#write();
    for (const old of removed) {
      await Deno.remove(join(this.dir, old.uri)).catch(() => {});
      const run = old.uri.split("/")[0];
      if (run !== this.#currentRun && !this.#segments.some((s) => s.uri.startsWith(run + "/"))) {
        // The run's last listed segment is gone: drop its folder (and any unlisted file).
        await Deno.remove(join(this.dir, run), { recursive: true }).catch(() => {});
      }
    }
  }

  #write(): Promise<void> {
    const text = renderPlaylist({
      targetDuration: targetDurationFor(this.#segments, Math.ceil(this.segmentSeconds)),
      mediaSequence: this.#mediaSequence,
      discontinuitySequence: this.#discontinuitySequence,
    }, this.#segments);
    return writeFileAtomic(join(this.dir, PLAYLIST), text);
  }
}

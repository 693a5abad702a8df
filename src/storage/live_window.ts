/**
 * The live playlist of one camera: the last few segments GStreamer closed, as a
 * rolling HLS playlist at {camera}/hls/index.m3u8. Segments that leave the window
 * are deleted from the live folder (a recorded segment lives on as a hard link in
 * its session folder). Writing is O(window) per segment, independent of uptime.
 */
import { basename, join } from "node:path";
import { LIVE_SEGMENT_RE, PLAYLIST } from "./layout.ts";
import { type PlaylistSegment, renderPlaylist, targetDurationFor } from "./playlist.ts";
import { listDir, writeFileAtomic } from "./files.ts";

export class LiveWindow {
  #segments: PlaylistSegment[] = [];
  #mediaSequence = 0;
  #discontinuitySequence = 0;

  constructor(
    readonly dir: string,
    readonly size: number,
    readonly segmentSeconds: number,
  ) {}

  /** Removes every live segment and playlist (stale after a restart of the server). */
  async reset(): Promise<void> {
    await Deno.mkdir(this.dir, { recursive: true });
    for (const name of await listDir(this.dir, "file")) {
      await Deno.remove(join(this.dir, name)).catch(() => {});
    }
    this.#segments = [];
  }

  get segments(): readonly PlaylistSegment[] {
    return this.#segments;
  }

  async push(path: string, startMs: number, durationMs: number, discontinuity: boolean) {
    this.#segments.push({
      uri: basename(path),
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
    for (const old of removed) await Deno.remove(join(this.dir, old.uri)).catch(() => {});
  }

  /** Deletes live segment files that are in no playlist (left by earlier runs). */
  async sweep(keep: (name: string) => boolean = () => false): Promise<void> {
    const listed = new Set(this.#segments.map((s) => s.uri));
    for (const name of await listDir(this.dir, "file")) {
      if (LIVE_SEGMENT_RE.test(name) && !listed.has(name) && !keep(name)) {
        await Deno.remove(join(this.dir, name)).catch(() => {});
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

/**
 * What is left to archive of one session, kept current at the cost of what its playlist
 * gained: the playlist is read whole once (and again when it was rewritten: a new inode, as
 * retention's atomic rewrite makes), then only its appended tail, up to the last complete
 * entry. Only the pending segments are held (not a day's whole list), each with its size once
 * known. The archive index is read at the same moments: this process is its only writer.
 */
import { join } from "node:path";
import { readArchiveState } from "../storage/archive_index.ts";
import { statIfPresent } from "../storage/files.ts";
import { PLAYLIST } from "../storage/layout.ts";
import { parsePlaylist, type PlaylistSegment } from "../storage/playlist.ts";

export interface PendingSegment {
  seg: PlaylistSegment;
  /** Its size on disk, once read. */
  bytes?: number;
}

/**
 * The end (in bytes) of the last complete entry of `text`: just after the newline of its last
 * URI line. Entries are appended whole, but a reader can catch one half written.
 */
export function completeEnd(text: string): number {
  let end = 0, pos = 0;
  for (const line of text.split("\n").slice(0, -1)) {
    pos += line.length + 1;
    const t = line.trim();
    if (t !== "" && !t.startsWith("#")) end = pos;
  }
  return end;
}

export class SessionQueue {
  pending: PendingSegment[] = [];
  /** Bundles indexed for this session. */
  bundles = 0;
  /** The index says its manifest is final. */
  ended = false;
  #ino?: number | null;
  #offset = 0;

  constructor(readonly dir: string) {}

  /** Catches up with the playlist; false when the session is gone. */
  async refresh(): Promise<boolean> {
    const path = join(this.dir, PLAYLIST);
    const info = await statIfPresent(path);
    if (!info) return false;
    if (this.#ino === undefined || info.ino !== this.#ino || info.size < this.#offset) {
      await this.#reload(path, info.ino);
    } else if (info.size > this.#offset) {
      await this.#readTail(path, info.size);
    }
    return true;
  }

  async #reload(path: string, ino: number | null) {
    const text = await Deno.readTextFile(path);
    const { bundles, ended } = await readArchiveState(this.dir);
    const archived = new Set(bundles.flatMap((b) => b.segments.map((s) => s.name)));
    const end = completeEnd(text);
    const listed = parsePlaylist(text.slice(0, end)).segments;
    const known = new Map(this.pending.map((p) => [p.seg.uri, p.bytes]));
    this.pending = listed.filter((s) => !archived.has(s.uri)).map((seg) => ({
      seg,
      bytes: known.get(seg.uri),
    }));
    this.bundles = bundles.length;
    this.ended = ended;
    this.#ino = ino;
    // The playlist is ASCII (names, numbers, ISO times): characters are bytes.
    this.#offset = end;
  }

  async #readTail(path: string, size: number) {
    using f = await Deno.open(path);
    await f.seek(this.#offset, Deno.SeekMode.Start);
    const buf = new Uint8Array(size - this.#offset);
    let got = 0;
    while (got < buf.length) {
      const n = await f.read(buf.subarray(got));
      if (n === null) break;
      got += n;
    }
    const text = new TextDecoder().decode(buf.subarray(0, got));
    const end = completeEnd(text);
    if (end === 0) return;
    for (const seg of parsePlaylist(text.slice(0, end)).segments) this.pending.push({ seg });
    this.#offset += end;
  }

  /** Reads the sizes not known yet; a segment gone from disk (retention) leaves the queue. */
  async measure(): Promise<void> {
    const kept: PendingSegment[] = [];
    for (const p of this.pending) {
      if (p.bytes === undefined) p.bytes = (await statIfPresent(join(this.dir, p.seg.uri)))?.size;
      if (p.bytes !== undefined) kept.push(p);
    }
    this.pending = kept;
  }

  /** These segments are archived (or gone): they leave the queue. */
  remove(names: Set<string>): void {
    this.pending = this.pending.filter((p) => !names.has(p.seg.uri));
  }
}

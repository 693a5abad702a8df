/**
 * One playlist for a whole day: every session's segments in order, a discontinuity
 * between sessions; VOD (ended) unless a session is still recording. A day can hold
 * tens of thousands of segments, so the text is kept (plain and gzipped) per day and
 * rebuilt only when the day's sessions change.
 */
import { gzip } from "../web/assets.ts";
import type { Catalog } from "../storage/catalog.ts";
import { type PlaylistSegment, renderPlaylist, targetDurationFor } from "../storage/playlist.ts";
import { readSessionSegments } from "../storage/session_reader.ts";
import type { SessionSummary } from "../storage/session.ts";

export interface DayPlaylist {
  text: string;
  gzip: Uint8Array;
  etag: string;
}

export async function renderDayPlaylist(
  mediaRoot: string,
  sessions: SessionSummary[],
): Promise<string> {
  const segments: PlaylistSegment[] = [];
  for (const s of sessions) {
    const listed = await readSessionSegments(mediaRoot, s);
    listed?.forEach((seg, i) =>
      segments.push({
        ...seg,
        uri: `${s.time}/${seg.uri}`,
        discontinuity: seg.discontinuity || (i === 0 && segments.length > 0),
      })
    );
  }
  const open = sessions.some((s) => s.open);
  return renderPlaylist({
    targetDuration: targetDurationFor(segments, 1),
    type: open ? "EVENT" : "VOD",
    ended: !open,
  }, segments);
}

export class DayPlaylists {
  #cache = new Map<string, DayPlaylist & { signature: string }>();

  constructor(readonly mediaRoot: string, readonly catalog: Catalog, readonly max = 16) {}

  async get(gid: number, seq: number, date: string): Promise<DayPlaylist | undefined> {
    const sessions = this.catalog.sessions(gid, seq, date);
    if (sessions.length === 0) return undefined;
    const key = `${gid}/${seq}/${date}`;
    const signature = sessions.map((s) => `${s.time}:${s.startMs}:${s.segments}:${s.open ? 1 : 0}`)
      .join(",");
    const hit = this.#cache.get(key);
    if (hit?.signature === signature) return hit;
    const text = await renderDayPlaylist(this.mediaRoot, sessions);
    const bytes = new TextEncoder().encode(text);
    const hash = new Uint8Array(await crypto.subtle.digest("SHA-1", bytes));
    const etag = `"${[...hash.slice(0, 10)].map((b) => b.toString(16).padStart(2, "0")).join("")}"`;
    const entry = { signature, text, gzip: await gzip(bytes), etag };
    this.#cache.delete(key);
    this.#cache.set(key, entry);
    if (this.#cache.size > this.max) this.#cache.delete(this.#cache.keys().next().value!);
    return entry;
  }
}

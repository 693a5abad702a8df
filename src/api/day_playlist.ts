/**
 * One playlist for a whole day: every session's segments in order (joined into one
 * timeline: see joinTimeline), a discontinuity between sessions; VOD (ended) unless a
 * session is still recording (EVENT). A day can hold tens of thousands of segments, so
 * the text is kept (plain and gzipped) per day and rebuilt only when the day's sessions
 * change. `?from=` adds #EXT-X-START at a time of the day, so review starts there (an
 * EVENT playlist otherwise starts at its live edge).
 */
import { gzip } from "../util/gzip.ts";
import type { Catalog } from "../storage/catalog.ts";
import {
  type PlaylistOptions,
  type PlaylistSegment,
  renderHeader,
  renderSegment,
} from "../storage/playlist.ts";
import type { SessionSummary } from "../storage/session.ts";
import { joinSessions } from "../storage/span_query.ts";

export interface DayPlaylist {
  text: string;
  gzip: Uint8Array;
  etag: string;
  options: PlaylistOptions;
  /** The playlist without its header (to add #EXT-X-START to). */
  body: string;
  /** Start and duration of each listed segment. */
  times: { startMs: number; durationMs: number }[];
}

export async function dayPlaylistParts(
  mediaRoot: string,
  sessions: SessionSummary[],
): Promise<{ options: PlaylistOptions; segments: PlaylistSegment[] }> {
  // The day's target duration is the largest of its sessions' (sessions only add up).
  const { segments, targetDuration } = await joinSessions(
    mediaRoot,
    sessions,
    (s, name) => `${s.time}/${name}`,
  );
  const open = sessions.some((s) => s.open);
  return {
    options: {
      targetDuration,
      type: open ? "EVENT" : "VOD",
      ended: !open,
    },
    segments,
  };
}

export async function renderDayPlaylist(
  mediaRoot: string,
  sessions: SessionSummary[],
): Promise<string> {
  const { options, segments } = await dayPlaylistParts(mediaRoot, sessions);
  return renderHeader(options) + renderBody(options, segments);
}

function renderBody(o: PlaylistOptions, segments: PlaylistSegment[]): string {
  return segments.map(renderSegment).join("") + (o.ended ? "#EXT-X-ENDLIST\n" : "");
}

/**
 * The #EXT-X-START offset (s) of the time `atMs`: within the segment that holds it, or the
 * start of the next one after a gap. An open (EVENT) playlist keeps it three target
 * durations from its end (RFC 8216 4.3.5.2).
 */
export function startOffsetAt(
  times: { startMs: number; durationMs: number }[],
  atMs: number,
  o: PlaylistOptions,
): number {
  let offset = 0;
  for (const t of times) {
    if (atMs < t.startMs + t.durationMs) {
      offset += Math.max(0, atMs - t.startMs);
      break;
    }
    offset += t.durationMs;
  }
  let seconds = offset / 1000;
  if (!o.ended) {
    const total = times.reduce((sum, t) => sum + t.durationMs, 0) / 1000;
    seconds = Math.min(seconds, total - 3 * o.targetDuration);
  }
  return Math.max(0, seconds);
}

/** The day playlist starting at `atMs` (#EXT-X-START). */
export function dayPlaylistFrom(day: DayPlaylist, atMs: number): string {
  const startOffset = startOffsetAt(day.times, atMs, day.options);
  return renderHeader({ ...day.options, startOffset }) + day.body;
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
    const { options, segments } = await dayPlaylistParts(this.mediaRoot, sessions);
    const body = renderBody(options, segments);
    const text = renderHeader(options) + body;
    const bytes = new TextEncoder().encode(text);
    const hash = new Uint8Array(await crypto.subtle.digest("SHA-1", bytes));
    const etag = `"${[...hash.slice(0, 10)].map((b) => b.toString(16).padStart(2, "0")).join("")}"`;
    const times = segments.map((s) => ({ startMs: s.startMs, durationMs: s.durationMs }));
    const entry = { signature, text, gzip: await gzip(bytes), etag, options, body, times };
    this.#cache.delete(key);
    this.#cache.set(key, entry);
    if (this.#cache.size > this.max) this.#cache.delete(this.#cache.keys().next().value!);
    return entry;
  }
}

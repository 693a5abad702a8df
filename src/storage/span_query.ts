/**
 * What is on disk for a camera over a time: the segments of its recorded sessions, read
 * back from their playlists and joined into one timeline (joinTimeline: a time listed
 * once, a discontinuity at every session join and jump), with the target duration that
 * fits every session they come from. Serves the day playlist (a day's sessions) and the
 * export (the segments between two instants, across days).
 */
import type { Catalog } from "./catalog.ts";
import { type PlaylistSegment, targetDurationFor } from "./playlist.ts";
import type { SessionSummary } from "./session.ts";
import { readSessionPlaylist } from "./session_reader.ts";
import { localDate } from "../time.ts";
import { joinTimeline } from "./timeline.ts";

const HOUR = 3_600_000;

/**
 * The segments of `sessions` (in order of their start) as one timeline; a session whose
 * playlist cannot be read (cleaned meanwhile) is skipped. `uri` names each segment (from
 * its session and its name in the session's folder); `within` keeps only the segments
 * that overlap [fromMs, toMs).
 */
export async function joinSessions(
  mediaRoot: string,
  sessions: SessionSummary[],
  uri: (session: SessionSummary, name: string) => string,
  within?: { fromMs: number; toMs: number },
): Promise<{ segments: PlaylistSegment[]; targetDuration: number }> {
  const lists: PlaylistSegment[][] = [];
  // Each session's target duration is fixed; the joined one is the largest.
  let target = 1;
  for (const s of sessions) {
    const parsed = await readSessionPlaylist(mediaRoot, s);
    if (!parsed) continue;
    target = Math.max(target, parsed.targetDuration);
    const segs = within
      ? parsed.segments.filter((seg) =>
        seg.startMs + seg.durationMs > within.fromMs && seg.startMs < within.toMs
      )
      : parsed.segments;
    lists.push(segs.map((seg) => ({ ...seg, uri: uri(s, seg.uri) })));
  }
  const segments = joinTimeline(lists);
  return { segments, targetDuration: Math.max(target, targetDurationFor(segments, 1)) };
}

export interface SpanSegment {
  /** Path under the media root, with `/` separators. */
  rel: string;
  startMs: number;
  durationMs: number;
  discontinuity: boolean;
}

/**
 * The sessions of a camera that overlap [fromMs, toMs) (an open one overlaps until now),
 * in order of their start. Looked up by local day, a day either side (a session started
 * before midnight reaches into the next day).
 */
export function sessionsBetween(
  catalog: Catalog,
  gid: number,
  seq: number,
  fromMs: number,
  toMs: number,
): SessionSummary[] {
  const dates = new Set<string>();
  for (let t = fromMs - 24 * HOUR; t < toMs + 24 * HOUR; t += 12 * HOUR) dates.add(localDate(t));
  return [...dates].flatMap((date) => catalog.sessions(gid, seq, date))
    .filter((s) => s.startMs < toMs && (s.open || s.endMs > fromMs))
    .sort((a, b) => a.startMs - b.startMs);
}

/**
 * Every recorded segment of a camera that overlaps [fromMs, toMs), as one timeline, and
 * the target duration that fits the sessions they come from.
 */
export async function segmentsBetween(
  mediaRoot: string,
  catalog: Catalog,
  gid: number,
  seq: number,
  fromMs: number,
  toMs: number,
): Promise<{ segments: SpanSegment[]; targetDuration: number }> {
  const { segments, targetDuration } = await joinSessions(
    mediaRoot,
    sessionsBetween(catalog, gid, seq, fromMs, toMs),
    (s, name) => `${gid}/${seq}/${s.date}/${s.time}/${name}`,
    { fromMs, toMs },
  );
  return {
    segments: segments.map((seg) => ({
      rel: seg.uri,
      startMs: seg.startMs,
      durationMs: seg.durationMs,
      discontinuity: !!seg.discontinuity,
    })),
    targetDuration,
  };
}

/**
 * Which segments of a session go into the next bundle objects. Pure: the upload queue is a
 * function of the session's playlist and its archive index (what is listed and not indexed),
 * never a separate queue that a crash could lose or replay.
 */
import type { PlaylistSegment } from "../storage/playlist.ts";

export interface PlanInput {
  /** The session's segments in playlist order. */
  listed: PlaylistSegment[];
  /** Names already archived (the session's archive index). */
  archived: Set<string>;
  /** The session is closed: its last segments go out even if they make a short bundle. */
  closed: boolean;
  now: number;
  /** About how much media one bundle holds (ms). */
  bundleMs: number;
  /** Sizes of segments when known: a bundle also ends once it reaches `maxBytes`. */
  bytes?: (s: PlaylistSegment) => number | undefined;
  maxBytes?: number;
}

/** A bundle is held in memory while it is sent: at most this (a 60 s bundle at 8 Mbit/s: 60 MB). */
export const MAX_BUNDLE_BYTES = 64 * 2 ** 20;

/** The segments still to archive (listed, not indexed), in order. */
export const pendingSegments = (listed: PlaylistSegment[], archived: Set<string>) =>
  listed.filter((s) => !archived.has(s.uri));

/**
 * Bundles of consecutive pending segments, each about `bundleMs` of media (less when it would
 * pass `maxBytes`: a bundle is held in memory while it is sent). The remainder
 * waits for more segments while the session records, unless the session is closed or its
 * newest pending segment ended a whole bundle length ago (the camera went quiet).
 */
export function planBundles(p: PlanInput): PlaylistSegment[][] {
  const pending = pendingSegments(p.listed, p.archived);
  const out: PlaylistSegment[][] = [];
  const maxBytes = p.maxBytes ?? MAX_BUNDLE_BYTES;
  let cur: PlaylistSegment[] = [];
  let ms = 0, size = 0;
  for (const s of pending) {
    const n = p.bytes?.(s) ?? 0;
    if (cur.length > 0 && size + n > maxBytes) {
      out.push(cur);
      cur = [];
      ms = 0;
      size = 0;
    }
    cur.push(s);
    ms += s.durationMs;
    size += n;
    if (ms >= p.bundleMs) {
      out.push(cur);
      cur = [];
      ms = 0;
      size = 0;
    }
  }
  if (cur.length) {
    const last = cur[cur.length - 1];
    if (p.closed || p.now - (last.startMs + last.durationMs) >= p.bundleMs) out.push(cur);
  }
  return out;
}

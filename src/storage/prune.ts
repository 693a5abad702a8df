/**
 * Removes some segments from one session folder and keeps the folder consistent:
 * its playlist is rewritten once (atomically) without them, and its summary
 * (start, end, segments, bytes, spans) is recomputed. A session left empty is removed.
 */
import { join } from "node:path";
import { removeIfPresent, statIfPresent, writeFileAtomic } from "./files.ts";
import { PLAYLIST, SESSION_SUMMARY } from "./layout.ts";
import {
  parsePlaylist,
  type PlaylistSegment,
  renderPlaylist,
  targetDurationFor,
} from "./playlist.ts";
import { type SessionSummary, writeSummary } from "./session.ts";
import { markTimeline } from "./timeline.ts";

export interface PruneResult {
  deleted: number;
  freedBytes: number;
  /** The session has no segment left: its folder is gone. */
  empty: boolean;
}

/**
 * Deletes `names` from the session in `dir` and updates `summary` in place.
 * For an open session (still appended to by its recorder: call this from the
 * recorder's queue) the playlist stays open and its media sequence advances.
 */
export async function pruneSession(
  dir: string,
  summary: SessionSummary,
  names: Set<string>,
): Promise<PruneResult> {
  const parsed = parsePlaylist(await Deno.readTextFile(join(dir, PLAYLIST)));
  let keep: PlaylistSegment[] = [];
  let removed = 0;
  const gone: string[] = [];
  let freed = 0;
  for (const s of parsed.segments) {
    if (!names.has(s.uri)) {
      keep.push(s);
      continue;
    }
    const path = join(dir, s.uri);
    freed += (await statIfPresent(path))?.size ?? 0;
    gone.push(path);
    removed++;
  }
  // Requested files the playlist does not list (left by a crash during an earlier
  // cleaning) are deleted as well; the playlist needs no change for them.
  const listed = new Set(parsed.segments.map((s) => s.uri));
  let orphans = 0;
  for (const name of names) {
    if (listed.has(name)) continue;
    const size = (await statIfPresent(join(dir, name)))?.size ?? -1;
    if (size < 0) continue;
    await removeIfPresent(join(dir, name));
    orphans += size;
  }
  if (removed === 0) return { deleted: 0, freedBytes: orphans, empty: false };
  if (keep.length === 0 && !summary.open) {
    for (const f of [PLAYLIST, SESSION_SUMMARY]) await removeIfPresent(join(dir, f));
    await removeIfPresent(dir, { recursive: true });
    Object.assign(summary, { segments: 0, bytes: 0, spans: [] });
    return { deleted: removed, freedBytes: freed + orphans, empty: true };
  }
  // A hole left by the deletion is a discontinuity, like any other gap.
  const timeline = markTimeline(keep);
  keep = timeline.segments;
  const text = renderPlaylist(
    summary.open
      ? {
        targetDuration: parsed.targetDuration || targetDurationFor(keep, 1),
        mediaSequence: parsed.mediaSequence + removed,
      }
      : {
        // A playlist's target duration never changes (RFC 8216 6.2.1).
        targetDuration: parsed.targetDuration || targetDurationFor(keep, 1),
        type: "VOD",
        ended: true,
      },
    keep,
  );
  await writeFileAtomic(join(dir, PLAYLIST), text);
  summary.segments = keep.length;
  summary.bytes = Math.max(0, summary.bytes - freed);
  summary.spans = timeline.spans;
  if (keep.length > 0) summary.startMs = keep[0].startMs;
  if (!summary.open) await writeSummary(dir, summary);
  // Files go after the playlist and summary stopped naming them (a crash in between
  // leaves unlisted files, which the next repair or pass handles, never dangling entries).
  for (const path of gone) await removeIfPresent(path);
  return { deleted: removed, freedBytes: freed + orphans, empty: keep.length === 0 };
}

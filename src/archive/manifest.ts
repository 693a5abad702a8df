/**
 * A session's manifest in the bucket: an HLS playlist (version 4) whose entries are byte
 * ranges of the bundle objects beside it (`#EXT-X-BYTERANGE`), each with its wall-clock
 * `#EXT-X-PROGRAM-DATE-TIME`, and a `#EXT-X-DISCONTINUITY` wherever the timeline jumps. Any
 * HLS player given a (presigned) URL of it plays the archived session. Pure.
 */
import type { ArchivedBundle } from "../storage/archive_index.ts";
import { parseSegmentFileName } from "../storage/layout.ts";
import { targetDurationFor } from "../storage/playlist.ts";
import { markTimeline } from "../storage/timeline.ts";
import { isoWithOffset } from "../time.ts";

export interface ManifestEntry {
  /** The bundle's file name (relative to the manifest). */
  uri: string;
  offset: number;
  bytes: number;
  startMs: number;
  durationMs: number;
  discontinuity?: boolean;
}

/** The entries of a session's bundles, in time order, each segment once. */
export function manifestEntries(bundles: ArchivedBundle[]): ManifestEntry[] {
  const byName = new Map<string, ManifestEntry>();
  for (const b of bundles) {
    const uri = b.key.slice(b.key.lastIndexOf("/") + 1);
    for (const s of b.segments) {
      const t = parseSegmentFileName(s.name);
      if (!t) continue;
      byName.set(s.name, { uri, offset: s.offset, bytes: s.bytes, ...t });
    }
  }
  return [...byName.values()].sort((a, b) => a.startMs - b.startMs);
}

/** The manifest text; `ended` when the session is closed and wholly archived. */
export function renderManifest(bundles: ArchivedBundle[], ended: boolean): string {
  const { segments } = markTimeline(manifestEntries(bundles));
  let text = `#EXTM3U\n#EXT-X-VERSION:4\n#EXT-X-TARGETDURATION:${
    targetDurationFor(segments, 1)
  }\n#EXT-X-PLAYLIST-TYPE:${ended ? "VOD" : "EVENT"}\n#EXT-X-MEDIA-SEQUENCE:0\n`;
  for (const s of segments) {
    if (s.discontinuity) text += "#EXT-X-DISCONTINUITY\n";
    text += `#EXT-X-PROGRAM-DATE-TIME:${isoWithOffset(s.startMs)}\n` +
      `#EXTINF:${(s.durationMs / 1000).toFixed(3)},\n` +
      `#EXT-X-BYTERANGE:${s.bytes}@${s.offset}\n${s.uri}\n`;
  }
  return text + (ended ? "#EXT-X-ENDLIST\n" : "");
}

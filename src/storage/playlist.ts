/** HLS playlist text: rendering (live, session, day) and parsing. Pure functions. */
import { isoWithOffset } from "../time.ts";

export interface PlaylistSegment {
  uri: string;
  startMs: number;
  durationMs: number;
  /** A gap or a new encoder run precedes this segment. */
  discontinuity?: boolean;
  /** The segment is these bytes of `uri` (`#EXT-X-BYTERANGE`, protocol version 4). */
  byteRange?: { length: number; offset: number };
}

/** The duration HLS counts for a segment: EXTINF rounded to the nearest second (RFC 8216 4.3.3.1). */
export const roundedSeconds = (durationMs: number) => Math.round(durationMs / 1000);

/**
 * The fixed target duration of a recording session's playlist: twice the segment length,
 * at least 6 s. A segment can be longer than the configured length (it ends at a keyframe),
 * so this leaves room for GOPs up to twice as long; a longer one starts a new session
 * (see RecordingKeeper), never a longer entry in a playlist that said less.
 */
export function sessionTarget(segmentSeconds: number): number {
  return Math.max(6, Math.ceil(segmentSeconds * 2));
}

export interface PlaylistOptions {
  targetDuration: number;
  /** #EXT-X-START:TIME-OFFSET (seconds; negative: from the end), where players begin. */
  startOffset?: number;
  mediaSequence?: number;
  discontinuitySequence?: number;
  /** "EVENT" for a growing recording, "VOD" for a finished one, none for live. */
  type?: "EVENT" | "VOD";
  ended?: boolean;
}

/**
 * The smallest valid EXT-X-TARGETDURATION for these segments (never below `floor`):
 * every EXTINF rounded to the nearest integer is at most it (RFC 8216 4.3.3.1).
 */
export function targetDurationFor(segments: { durationMs: number }[], floor: number): number {
  let max = Math.ceil(floor);
  for (const s of segments) max = Math.max(max, roundedSeconds(s.durationMs));
  return max;
}

export function renderHeader(o: PlaylistOptions): string {
  let text = `#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:${o.targetDuration}\n`;
  if (o.type) text += `#EXT-X-PLAYLIST-TYPE:${o.type}\n`;
  if (o.startOffset !== undefined) {
    text += `#EXT-X-START:TIME-OFFSET=${o.startOffset.toFixed(3)},PRECISE=YES\n`;
  }
  text += `#EXT-X-MEDIA-SEQUENCE:${o.mediaSequence ?? 0}\n`;
  if (o.discontinuitySequence) {
    text += `#EXT-X-DISCONTINUITY-SEQUENCE:${o.discontinuitySequence}\n`;
  }
  return text;
}

/** The lines of one segment entry; appended as-is to a growing playlist. */
export function renderSegment(s: PlaylistSegment): string {
  const range = s.byteRange ? `#EXT-X-BYTERANGE:${s.byteRange.length}@${s.byteRange.offset}\n` : "";
  return (s.discontinuity ? "#EXT-X-DISCONTINUITY\n" : "") +
    `#EXT-X-PROGRAM-DATE-TIME:${isoWithOffset(s.startMs)}\n` +
    `#EXTINF:${(s.durationMs / 1000).toFixed(3)},\n${range}${s.uri}\n`;
}

export const ENDLIST = "#EXT-X-ENDLIST\n";

export function renderPlaylist(o: PlaylistOptions, segments: PlaylistSegment[]): string {
  const header = renderHeader(o);
  // Byte ranges need protocol version 4 (RFC 8216 7).
  const versioned = segments.some((s) => s.byteRange)
    ? header.replace("#EXT-X-VERSION:3\n", "#EXT-X-VERSION:4\n")
    : header;
  return versioned + segments.map(renderSegment).join("") + (o.ended ? ENDLIST : "");
}

export interface ParsedPlaylist {
  targetDuration: number;
  mediaSequence: number;
  ended: boolean;
  segments: PlaylistSegment[];
}

/** Parses the playlists this program writes (tolerant of unknown tags). */
export function parsePlaylist(text: string): ParsedPlaylist {
  const segments: PlaylistSegment[] = [];
  let targetDuration = 0;
  let mediaSequence = 0;
  let ended = false;
  let pending: Partial<PlaylistSegment> = {};
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "") continue;
    if (line.startsWith("#EXT-X-TARGETDURATION:")) targetDuration = Number(line.slice(22));
    else if (line.startsWith("#EXT-X-MEDIA-SEQUENCE:")) mediaSequence = Number(line.slice(22));
    else if (line === "#EXT-X-ENDLIST") ended = true;
    else if (line === "#EXT-X-DISCONTINUITY") pending.discontinuity = true;
    else if (line.startsWith("#EXT-X-PROGRAM-DATE-TIME:")) {
      pending.startMs = Date.parse(line.slice(25));
    } else if (line.startsWith("#EXTINF:")) {
      pending.durationMs = Math.round(parseFloat(line.slice(8)) * 1000);
    } else if (!line.startsWith("#")) {
      if (pending.durationMs !== undefined) {
        segments.push({
          uri: line,
          startMs: pending.startMs ?? NaN,
          durationMs: pending.durationMs,
          discontinuity: pending.discontinuity || undefined,
        });
      }
      pending = {};
    }
  }
  return { targetDuration, mediaSequence, ended, segments };
}

/**
 * The on-disk layout under the media root. Every name here round-trips:
 * a path can be built from its parts and parsed back into them.
 *
 *   {root}/{gid}/{seq}/hls/index.m3u8                live playlist (rolling window)
 *   {root}/{gid}/{seq}/hls/{run}/{n}.ts              live segments, one folder per gst-launch run
 *   {root}/{gid}/{seq}/{YYYY-MM-DD}/{HHMMSS}/        one recording session
 *       index.m3u8                                   its playlist (append-only, ENDLIST when closed)
 *       {startEpochMs}_{durationMs}.ts               its segments (hard links of live segments)
 *       session.json                                 summary, written when the session closes
 *   {root}/{gid}/{seq}/{YYYY-MM-DD}/thumbs/{HHMMSS}.jpg   timeline thumbnail, named by the local
 *                                                    start time of the segment it shows
 *   {root}/{gid}/{seq}/outages.jsonl                 outages (append-only JSON lines)
 *   {root}/{gid}/{seq}/events/{YYYY-MM-DD}.jsonl     motion events starting that day (event_store.ts)
 *   {root}/{gid}/{seq}/events/{id}.jpg               an event's thumbnail
 *   {root}/deleted/{gid}_{seq}_{YYYYMMDD-HHMMSS}[-N]/  recordings of deleted cameras (-N: same second)
 *   {root}/.snapshots/                               temporary JPEGs while a snapshot is made
 *   {root}/.exports/                                 MP4 exports being made (emptied at start-up)
 *   {root}/.motion/{gid}_{seq}/                      the motion detector's last few small frames
 *
 * See docs/storage.md for the invariants.
 */
import { join } from "node:path";
import { localDate, localStampCompact, localTimeCompact } from "../time.ts";

export const LIVE_DIR = "hls";
export const DELETED_DIR = "deleted";
export const SNAPSHOTS_DIR = ".snapshots";
export const EXPORTS_DIR = ".exports";
export const MOTION_DIR = ".motion";
export const PLAYLIST = "index.m3u8";
export const SESSION_SUMMARY = "session.json";
/** Folder of a day's thumbnails, beside its session folders (never a session: not TIME_RE). */
export const THUMBS_DIR = "thumbs";

export const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** A `YYYY-MM-DD` that names a real day of the calendar (not 2026-13-01 or 2026-02-30). */
export function isCalendarDate(s: string): boolean {
  if (!DATE_RE.test(s)) return false;
  const [y, m, d] = s.split("-").map(Number);
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}
export const TIME_RE = /^\d{6}$/;
export const SEGMENT_RE = /^(\d{13})_(\d{1,7})\.ts$/;
export const LIVE_RUN_RE = /^[a-z0-9]{1,16}$/;
export const LIVE_SEGMENT_RE = /^\d{5,9}\.ts$/;
export const ID_RE = /^\d{1,9}$/;
export const THUMB_RE = /^(\d{2})(\d{2})(\d{2})\.jpg$/;

export const cameraDir = (root: string, gid: number, seq: number) =>
  join(root, String(gid), String(seq));

export const liveDir = (root: string, gid: number, seq: number) =>
  join(cameraDir(root, gid, seq), LIVE_DIR);

export const sessionDir = (root: string, gid: number, seq: number, date: string, time: string) =>
  join(cameraDir(root, gid, seq), date, time);

export const dayDir = (root: string, gid: number, seq: number, date: string) =>
  join(cameraDir(root, gid, seq), date);

export const thumbsDir = (root: string, gid: number, seq: number, date: string) =>
  join(dayDir(root, gid, seq, date), THUMBS_DIR);

/** A recorded segment, named by its wall-clock start and duration. */
export interface SegmentName {
  startMs: number;
  durationMs: number;
}

export function segmentFileName(s: SegmentName): string {
  return `${String(Math.round(s.startMs)).padStart(13, "0")}_${
    Math.max(1, Math.round(s.durationMs))
  }.ts`;
}

export function parseSegmentFileName(name: string): SegmentName | undefined {
  const m = SEGMENT_RE.exec(name);
  return m ? { startMs: Number(m[1]), durationMs: Number(m[2]) } : undefined;
}

/** A thumbnail: the local day folder and the file name of a frame taken at `ms`. */
export function thumbnailName(ms: number): { date: string; name: string } {
  return { date: localDate(ms), name: `${localTimeCompact(ms)}.jpg` };
}

/**
 * The instant (epoch ms, whole second, local time) a thumbnail of day `date` is named
 * by; undefined for any other name (temp files included). In the hour repeated when
 * daylight saving ends, the name is ambiguous: the first occurrence is returned.
 */
export function parseThumbnailName(date: string, name: string): number | undefined {
  const m = THUMB_RE.exec(name);
  const d = DATE_RE.test(date) ? date.split("-").map(Number) : undefined;
  if (!m || !d) return undefined;
  const [h, mi, s] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (h > 23 || mi > 59 || s > 59) return undefined;
  const ms = new Date(d[0], d[1] - 1, d[2], h, mi, s).getTime();
  // A date or time that does not exist (2026-02-30, a time skipped by DST) is refused.
  return thumbnailName(ms).date === date && thumbnailName(ms).name === name ? ms : undefined;
}

export function deletedFolderName(gid: number, seq: number, at: Date): string {
  return `${gid}_${seq}_${localStampCompact(at.getTime())}`;
}

export const DELETED_RE = /^(\d{1,9})_(\d{1,9})_(\d{8}-\d{6})(?:-\d+)?$/;

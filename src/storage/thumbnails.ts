/**
 * Timeline thumbnails on disk: `{camera}/{YYYY-MM-DD}/thumbs/{HHMMSS}.jpg`, one small
 * JPEG every few minutes of recording, stored with the day they illustrate. Listing,
 * and the retention side: a day that loses its last session loses its thumbnails
 * (and its folder), and a day whose start was cleaned loses the thumbnails older
 * than its oldest remaining segment (never one inside a keep lock).
 */
import { join } from "node:path";
import { exists, isNotEmpty, listDir, removeIfPresent } from "./files.ts";
import { dayDir, parseThumbnailName, THUMBS_DIR, thumbsDir, TIME_RE } from "./layout.ts";

export interface Thumbnail {
  /** File name, `HHMMSS.jpg`. */
  name: string;
  /** Local wall-clock time of the frame (whole second). */
  ms: number;
}

/** A day's thumbnails, oldest first (temp files and other names are ignored). */
export async function listThumbnails(
  root: string,
  gid: number,
  seq: number,
  date: string,
): Promise<Thumbnail[]> {
  const out: Thumbnail[] = [];
  for (const name of await listDir(thumbsDir(root, gid, seq, date), "file")) {
    const ms = parseThumbnailName(date, name);
    if (ms !== undefined) out.push({ name, ms });
  }
  return out.sort((a, b) => a.ms - b.ms);
}

/**
 * Thumbnails to delete once a day's recordings start at `oldestMs`: every one whose
 * second lies wholly before it (a thumbnail is named by its segment's start, truncated
 * to the second), except those inside a keep span. Pure.
 */
export function thumbnailsBefore(
  thumbs: Thumbnail[],
  oldestMs: number,
  keeps: { startMs: number; endMs: number }[],
): Thumbnail[] {
  const limit = Math.floor(oldestMs / 1000) * 1000;
  return thumbs.filter((t) =>
    t.ms < limit && !keeps.some((k) => t.ms + 1000 > k.startMs && t.ms < k.endMs)
  );
}

/** Deletes the day's thumbnails older than its oldest remaining segment; returns how many. */
export async function trimThumbnails(
  root: string,
  gid: number,
  seq: number,
  date: string,
  oldestMs: number,
  keeps: { startMs: number; endMs: number }[],
): Promise<number> {
  const dir = thumbsDir(root, gid, seq, date);
  let n = 0;
  for (const t of thumbnailsBefore(await listThumbnails(root, gid, seq, date), oldestMs, keeps)) {
    await Deno.remove(join(dir, t.name)).then(() => n++, () => {});
  }
  return n;
}

/**
 * Removes a day folder that holds no session folder any more: its thumbnails go
 * with it. A day that still has a session (or anything else) is left as it is.
 * Returns true when the folder is gone.
 */
export async function removeDayWithoutSessions(
  root: string,
  gid: number,
  seq: number,
  date: string,
): Promise<boolean> {
  const dir = dayDir(root, gid, seq, date);
  if (!(await exists(dir))) return true;
  const folders = await listDir(dir, "dir");
  if (folders.some((n) => TIME_RE.test(n))) return false;
  if (folders.includes(THUMBS_DIR)) {
    await removeIfPresent(join(dir, THUMBS_DIR), { recursive: true });
  }
  // Not recursive: a session folder created meanwhile, or a foreign file, keeps the day.
  try {
    await Deno.remove(dir);
    return true;
  } catch (err) {
    if (err instanceof Deno.errors.NotFound || isNotEmpty(err)) return false;
    throw err;
  }
}

/** Moves a day's thumbnails into another day folder (a group move merging folders). */
export async function mergeThumbnails(fromDay: string, toDay: string): Promise<void> {
  const from = join(fromDay, THUMBS_DIR), to = join(toDay, THUMBS_DIR);
  await Deno.mkdir(to, { recursive: true });
  for (const name of await listDir(from, "file")) {
    if (!(await exists(join(to, name)))) await Deno.rename(join(from, name), join(to, name));
  }
  await removeIfPresent(from, { recursive: true });
}

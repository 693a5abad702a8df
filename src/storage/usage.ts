/**
 * What the recordings use on disk: per camera, the catalog's session sizes plus the live
 * segments not linked into a session (the one being written included); and the segment
 * files of one session with their sizes, for the cleaner.
 */
import { join } from "node:path";
import type { Catalog } from "./catalog.ts";
import { listDir, statIfPresent } from "./files.ts";
import { liveDir, parseSegmentFileName, SEGMENT_RE, sessionDir } from "./layout.ts";
import type { SegmentFile } from "./retention.ts";
import type { SessionSummary } from "./session.ts";

/** Bytes per camera key `gid/seq`. */
export async function usageByCamera(
  catalog: Catalog,
  mediaRoot: string,
): Promise<Map<string, number>> {
  const used = new Map<string, number>();
  const add = (k: string, n: number) => used.set(k, (used.get(k) ?? 0) + n);
  for (const s of catalog.allSessions()) add(`${s.gid}/${s.seq}`, s.bytes);
  for (const k of [...used.keys()]) {
    const [gid, seq] = k.split("/").map(Number);
    add(k, await liveOnlyBytes(liveDir(mediaRoot, gid, seq)));
  }
  return used;
}

/** The sum of a usage map. */
export const totalBytes = (usage: Map<string, number>): number =>
  [...usage.values()].reduce((a, b) => a + b, 0);

/** The segment files of one session, with sizes; the newest of an open one is marked. */
export async function sessionFiles(root: string, s: SessionSummary): Promise<SegmentFile[]> {
  const dir = sessionDir(root, s.gid, s.seq, s.date, s.time);
  const files: SegmentFile[] = [];
  for (const name of await listDir(dir, "file")) {
    if (!SEGMENT_RE.test(name)) continue;
    const size = (await statIfPresent(join(dir, name)))?.size ?? -1;
    if (size < 0) continue;
    const { startMs, durationMs } = parseSegmentFileName(name)!;
    files.push({
      gid: s.gid,
      seq: s.seq,
      date: s.date,
      time: s.time,
      name,
      startMs,
      durationMs,
      bytes: size,
    });
  }
  if (s.open && files.length) files[files.length - 1].newestOfOpen = true;
  return files;
}

/** Bytes of live segments (including the one being written) not yet linked into a session. */
async function liveOnlyBytes(dir: string): Promise<number> {
  let n = 0;
  for (const run of await listDir(dir, "dir")) {
    for (const f of await listDir(join(dir, run), "file")) {
      const i = await statIfPresent(join(dir, run, f)); // the window may delete it meanwhile
      if (i && (i.nlink ?? 1) <= 1) n += i.size;
    }
  }
  return n;
}

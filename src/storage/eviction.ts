/**
 * Local eviction of archived segments: the local copy of a segment whose bytes are in the
 * archive (its session's archive index lists it with the same size, written only after the
 * store verified the object) leaves the disk once it ended more than `--local-max-age` ago,
 * and before anything else when retention needs space. Only the file goes: the session's
 * playlist and summary keep listing the segment (its bytes now count as archived, not local),
 * so day, session and span playlists stay the same and the media route serves it from the
 * archive. A segment that is not archived is never removed for this reason.
 */
import { join } from "node:path";
import type { Logger } from "../log.ts";
import { archivedLocations, readArchiveIndex } from "./archive_index.ts";
import type { Catalog } from "./catalog.ts";
import { removeIfPresent, statIfPresent } from "./files.ts";
import { PLAYLIST, sessionDir } from "./layout.ts";
import { parsePlaylist } from "./playlist.ts";
import { pruneSession } from "./prune.ts";
import { removeDayWithoutSessions } from "./thumbnails.ts";
import type { SegmentFile } from "./retention.ts";
import { type SessionSummary, writeSummary } from "./session.ts";
import { sessionFiles } from "./usage.ts";

/** The local files whose archived copy has the same size (the newest of an open session never). */
export function archivedCopies(
  files: SegmentFile[],
  archived: Map<string, { bytes: number }>,
): SegmentFile[] {
  return files.filter((f) => !f.newestOfOpen && archived.get(f.name)?.bytes === f.bytes);
}

/**
 * Which archived copies go: every one that ended at or before `cutoffMs` (none without it),
 * then the oldest others until `needBytes` are freed. Pure.
 */
export function chooseEvictions(
  candidates: SegmentFile[],
  cutoffMs: number | undefined,
  needBytes: number,
): SegmentFile[] {
  const sorted = [...candidates].sort((a, b) => a.startMs - b.startMs);
  const chosen = new Set<SegmentFile>();
  let freed = 0;
  for (const f of sorted) {
    if (cutoffMs !== undefined && f.startMs + f.durationMs <= cutoffMs) {
      chosen.add(f);
      freed += f.bytes;
    }
  }
  for (const f of sorted) {
    if (freed >= needBytes) break;
    if (chosen.has(f)) continue;
    chosen.add(f);
    freed += f.bytes;
  }
  return [...chosen];
}

export interface EvictorDeps {
  mediaRoot: string;
  catalog: Catalog;
  now: () => number;
  log: Logger;
  /** `--local-max-age` (undefined: archived copies stay until space is needed). */
  localMaxAgeMs?: number;
  /** `--archive-max-age-days` in ms: archive-only entries of sessions older than this go. */
  archiveMaxAgeMs?: number;
}

export class Evictor {
  #d: EvictorDeps;
  /** Closed sessions with no local segment file left (not looked at again). */
  #gone = new Set<string>();
  /** Closed sessions whose archive-only entries expired and were dropped. */
  #expired = new Set<string>();
  totals = { evictedSegments: 0, evictedBytes: 0 };

  constructor(deps: EvictorDeps) {
    this.#d = deps;
  }

  /** One pass: evicts what is due and, oldest first, up to `needBytes` more. */
  async pass(needBytes = 0): Promise<{ deleted: number; freedBytes: number }> {
    const d = this.#d;
    const cutoff = d.localMaxAgeMs === undefined ? undefined : d.now() - d.localMaxAgeMs;
    const candidates: SegmentFile[] = [];
    let found = 0;
    for (const s of d.catalog.allSessions()) {
      const k = `${s.gid}/${s.seq}/${s.date}/${s.time}`;
      if (this.#gone.has(k)) continue;
      const due = cutoff !== undefined && s.startMs <= cutoff;
      if (!due && found >= needBytes) continue;
      const files = await sessionFiles(d.mediaRoot, s);
      if (files.length === 0 && !s.open) this.#gone.add(k);
      if (files.length === 0) continue;
      const dir = sessionDir(d.mediaRoot, s.gid, s.seq, s.date, s.time);
      const copies = archivedCopies(files, archivedLocations(await readArchiveIndex(dir)));
      for (const f of copies) found += f.bytes;
      candidates.push(...copies);
    }
    const chosen = chooseEvictions(candidates, cutoff, needBytes);
    let deleted = 0, freedBytes = 0;
    for (
      const segs of Map.groupBy(chosen, (f) => `${f.gid}/${f.seq}/${f.date}/${f.time}`).values()
    ) {
      const f0 = segs[0];
      const summary = d.catalog.sessions(f0.gid, f0.seq, f0.date).find((x) => x.time === f0.time);
      if (!summary) continue;
      try {
        const r = await this.#evict(summary, segs);
        deleted += r.deleted;
        freedBytes += r.freedBytes;
      } catch (err) {
        d.log.error("archive: cannot evict local copies", {
          session: `${f0.gid}/${f0.seq}/${f0.date}/${f0.time}`,
          error: (err as Error).message,
        });
      }
    }
    if (deleted > 0) {
      d.log.info("archive: archived segments left the local disk", { deleted, freedBytes });
    }
    if (d.archiveMaxAgeMs !== undefined) await this.#dropExpired(d.now() - d.archiveMaxAgeMs);
    this.totals.evictedSegments += deleted;
    this.totals.evictedBytes += freedBytes;
    return { deleted, freedBytes };
  }

  /**
   * Sessions that ended before `cutoffMs` lose their archive-only entries (their objects are
   * deleted from the bucket at that age): the playlist is pruned as retention does, and a
   * session (and a day) left empty disappears. Local copies are retention's (max_age_days).
   */
  async #dropExpired(cutoffMs: number): Promise<void> {
    const d = this.#d;
    for (const s of d.catalog.allSessions()) {
      const k = `${s.gid}/${s.seq}/${s.date}/${s.time}`;
      if (s.open || s.endMs > cutoffMs || this.#expired.has(k)) continue;
      this.#expired.add(k);
      const dir = sessionDir(d.mediaRoot, s.gid, s.seq, s.date, s.time);
      try {
        const archived = archivedLocations(await readArchiveIndex(dir));
        const listed = parsePlaylist(await Deno.readTextFile(join(dir, PLAYLIST))).segments;
        const names = new Set<string>();
        for (const x of listed) {
          if (archived.has(x.uri) && !(await statIfPresent(join(dir, x.uri)))) names.add(x.uri);
        }
        if (names.size === 0) continue;
        const r = await pruneSession(dir, s, names);
        if (r.empty) d.catalog.drop(s.gid, s.seq, s.date, s.time);
        if (!d.catalog.hasDay(s.gid, s.seq, s.date)) {
          await removeDayWithoutSessions(d.mediaRoot, s.gid, s.seq, s.date);
        }
      } catch (err) {
        d.log.error("archive: cannot drop expired archive entries", {
          session: k,
          error: (err as Error).message,
        });
      }
    }
  }

  /**
   * Removes the files, then writes the closed session's summary with its local bytes (a
   * crash in between leaves it counting bytes that are gone until the session is next
   * pruned; never a listed segment without a copy somewhere).
   */
  async #evict(s: SessionSummary, segs: SegmentFile[]) {
    const dir = sessionDir(this.#d.mediaRoot, s.gid, s.seq, s.date, s.time);
    let freedBytes = 0;
    for (const f of segs) {
      await removeIfPresent(join(dir, f.name));
      freedBytes += f.bytes;
    }
    s.bytes = Math.max(0, s.bytes - freedBytes);
    if (!s.open) await writeSummary(dir, s);
    return { deleted: segs.length, freedBytes };
  }
}

/**
 * Retention and cleaning: every pass measures what the recordings use and what the
 * media filesystem has free, deletes what `planDeletions` chooses (oldest first,
 * expired first, never kept or being written), keeps playlists, summaries, the
 * catalog and the days' thumbnails consistent, and pauses recording while the disk
 * is really full.
 */
import { statfs } from "node:fs/promises";
import { join } from "node:path";
import type { Clock } from "../clock.ts";
import type { Logger } from "../log.ts";
import type { Catalog } from "./catalog.ts";
import { listDir } from "./files.ts";
import { liveDir, parseSegmentFileName, SEGMENT_RE, sessionDir } from "./layout.ts";
import { type PruneResult, pruneSession } from "./prune.ts";
import {
  bytesToFree,
  isKept,
  type KeepSpan,
  planDeletions,
  type SegmentFile,
} from "./retention.ts";
import type { SessionSummary } from "./session.ts";
import { removeDayWithoutSessions, trimThumbnails } from "./thumbnails.ts";

export interface Space {
  freeBytes: number;
  totalBytes: number;
}

/** Free space of the filesystem holding `path` (needs `--allow-sys=statfs`). */
export async function statfsSpace(path: string): Promise<Space | undefined> {
  try {
    const s = await statfs(path);
    return { freeBytes: s.bavail * s.bsize, totalBytes: s.blocks * s.bsize };
  } catch {
    return undefined;
  }
}

export interface CleanerDeps {
  mediaRoot: string;
  catalog: Catalog;
  clock: Clock;
  log: Logger;
  budgetBytes: number;
  minFreeBytes: number;
  space: (root: string) => Promise<Space | undefined>;
  keeps: () => KeepSpan[];
  maxAgeMs: (gid: number, seq: number) => number | undefined;
  /** Prunes an open session through its recorder; undefined when it is not open there. */
  pruneOpen: (s: SessionSummary, names: Set<string>) => Promise<PruneResult | undefined>;
}

export interface PassReport {
  at: number;
  usedBytes: number;
  freeBytes?: number;
  deletedSegments: number;
  freedBytes: number;
  shortfallBytes: number;
}

const MiB = 2 ** 20;
const mib = (n: number) => `${(n / MiB).toFixed(1)} MiB`;

export class Cleaner {
  #d: CleanerDeps;
  #blocked?: string;
  #last?: PassReport;
  #space?: Space;
  totals = { deletedSegments: 0, deletedBytes: 0 };

  constructor(deps: CleanerDeps) {
    this.#d = deps;
  }

  /** Below this much free space the disk counts as really full: recording pauses. */
  get floorBytes(): number {
    if (this.#d.minFreeBytes > 0) return this.#d.minFreeBytes / 2;
    return Math.min(32 * MiB, (this.#space?.totalBytes ?? Infinity) * 0.02);
  }

  blocked(): string | undefined {
    return this.#blocked;
  }

  get last(): PassReport | undefined {
    return this.#last;
  }

  get space(): Space | undefined {
    return this.#space;
  }

  /** Reads the free space now (it is otherwise as of the last pass). */
  async refreshSpace(): Promise<Space | undefined> {
    return this.#space = await this.#d.space(this.#d.mediaRoot);
  }

  /** Bytes per camera key `gid/seq`: sessions plus live segments not linked into one. */
  async usage(): Promise<Map<string, number>> {
    const used = new Map<string, number>();
    const add = (k: string, n: number) => used.set(k, (used.get(k) ?? 0) + n);
    const cams = new Set<string>();
    for (const s of this.#d.catalog.allSessions()) {
      add(`${s.gid}/${s.seq}`, s.bytes);
      cams.add(`${s.gid}/${s.seq}`);
    }
    for (const k of cams) {
      const [gid, seq] = k.split("/").map(Number);
      add(k, await liveOnlyBytes(liveDir(this.#d.mediaRoot, gid, seq)));
    }
    return used;
  }

  /** One retention pass. */
  async pass(): Promise<PassReport> {
    const d = this.#d;
    const now = d.clock.now();
    const usedBytes = [...(await this.usage()).values()].reduce((a, b) => a + b, 0);
    this.#space = await d.space(d.mediaRoot);
    const need = bytesToFree({
      usedBytes,
      freeBytes: this.#space?.freeBytes,
      budgetBytes: d.budgetBytes,
      minFreeBytes: d.minFreeBytes,
    });
    const candidates = await this.#candidates(now, need);
    const plan = planDeletions(candidates, {
      now,
      needBytes: need,
      maxAgeMs: d.maxAgeMs,
      keeps: d.keeps(),
    });
    let deleted = 0, freed = 0;
    const touchedDays = new Set<string>();
    const bySession = Map.groupBy(plan.delete, (s) => `${s.gid}/${s.seq}/${s.date}/${s.time}`);
    for (const segs of bySession.values()) {
      const s0 = segs[0];
      const summary = d.catalog.sessions(s0.gid, s0.seq, s0.date).find((x) => x.time === s0.time);
      if (!summary) continue;
      const names = new Set(segs.map((s) => s.name));
      try {
        const r = summary.open ? await d.pruneOpen(summary, names) : await pruneSession(
          sessionDir(d.mediaRoot, s0.gid, s0.seq, s0.date, s0.time),
          summary,
          names,
        );
        if (!r) continue;
        touchedDays.add(`${s0.gid}/${s0.seq}/${s0.date}`);
        deleted += r.deleted;
        freed += r.freedBytes;
        if (r.empty) d.catalog.drop(s0.gid, s0.seq, s0.date, s0.time);
      } catch (err) {
        d.log.error("retention: cannot clean session", {
          session: `${s0.gid}/${s0.seq}/${s0.date}/${s0.time}`,
          error: (err as Error).message,
        });
      }
    }
    let thumbnails = 0;
    for (const day of touchedDays) thumbnails += await this.#tidyDay(day);
    if (deleted > 0) {
      this.#space = await d.space(d.mediaRoot);
      d.log.info("retention: segments deleted", {
        deleted,
        freedBytes: freed,
        expired: plan.expired,
        thumbnails,
      });
    }
    if (plan.shortfallBytes > 0) {
      d.log.warn("retention: cannot free enough (kept or being written)", {
        shortfallBytes: plan.shortfallBytes,
      });
    }
    this.totals.deletedSegments += deleted;
    this.totals.deletedBytes += freed;
    this.#setBlocked(this.#space);
    this.#last = {
      at: now,
      usedBytes: usedBytes - freed,
      freeBytes: this.#space?.freeBytes,
      deletedSegments: deleted,
      freedBytes: freed,
      shortfallBytes: plan.shortfallBytes,
    };
    return this.#last;
  }

  /**
   * After segments of day `gid/seq/date` went: a day without sessions loses its folder
   * (thumbnails included); otherwise the thumbnails older than its oldest remaining
   * segment go, except those inside a keep lock. Returns the thumbnails deleted.
   */
  async #tidyDay(day: string): Promise<number> {
    const d = this.#d;
    const [g, s, date] = day.split("/");
    const gid = Number(g), seq = Number(s);
    try {
      if (!d.catalog.hasDay(gid, seq, date)) {
        await removeDayWithoutSessions(d.mediaRoot, gid, seq, date);
        return 0;
      }
      const starts = d.catalog.sessions(gid, seq, date).map((x) => x.startMs);
      if (starts.length === 0) return 0;
      const keeps = d.keeps().filter((k) => k.gid === gid && k.seq === seq);
      return await trimThumbnails(d.mediaRoot, gid, seq, date, Math.min(...starts), keeps);
    } catch (err) {
      d.log.error("retention: cannot clean thumbnails", {
        day,
        error: (err as Error).message,
      });
      return 0;
    }
  }

  #setBlocked(space?: Space): void {
    const before = this.#blocked;
    this.#blocked = space && space.freeBytes < this.floorBytes
      ? `disk full (${mib(space.freeBytes)} free, recording needs ${mib(this.floorBytes)})`
      : undefined;
    if (this.#blocked && !before) this.#d.log.error("recording paused", { reason: this.#blocked });
    if (!this.#blocked && before) this.#d.log.info("recording resumes: space is back");
  }

  /** Segments of the sessions that may be cleaned now: expired ones and the oldest. */
  async #candidates(now: number, need: number): Promise<SegmentFile[]> {
    const d = this.#d;
    const out: SegmentFile[] = [];
    const keeps = d.keeps();
    let bytes = 0; // deletable bytes found so far (kept and open-newest segments do not count)
    for (const s of d.catalog.allSessions()) {
      const age = d.maxAgeMs(s.gid, s.seq);
      const expired = age !== undefined && s.startMs <= now - age;
      if (!expired && bytes >= need) continue;
      const files = await sessionFiles(d.mediaRoot, s);
      for (const f of files) if (!f.newestOfOpen && !isKept(f, keeps)) bytes += f.bytes;
      out.push(...files);
    }
    return out;
  }
}

/** The segment files of one session, with sizes; the newest of an open one is marked. */
export async function sessionFiles(root: string, s: SessionSummary): Promise<SegmentFile[]> {
  const dir = sessionDir(root, s.gid, s.seq, s.date, s.time);
  const files: SegmentFile[] = [];
  for (const name of await listDir(dir, "file")) {
    if (!SEGMENT_RE.test(name)) continue;
    const size = await Deno.stat(join(dir, name)).then((i) => i.size, () => -1);
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
      const i = await Deno.stat(join(dir, run, f)).catch(() => undefined);
      if (i && (i.nlink ?? 1) <= 1) n += i.size;
    }
  }
  return n;
}

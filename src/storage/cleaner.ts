/**
 * The cleaning pass: measures what the recordings use and what the media filesystem has
 * free, deletes what `planDeletions` chooses (expired first, then oldest, never kept or
 * being written), keeps playlists, summaries, the catalog and the days' thumbnails
 * consistent, then lets the disk guard pause or resume recording.
 */
import type { Clock } from "../clock.ts";
import type { Logger } from "../log.ts";
import type { Catalog } from "./catalog.ts";
import type { DiskGuard } from "./disk_guard.ts";
import { sessionDir } from "./layout.ts";
import {
  DEFAULT_POST_ROLL_SECONDS,
  motionOnlyBefore,
  type MotionRule,
  unneededSegments,
} from "./motion_retention.ts";
import { readSessionPlaylist } from "./session_reader.ts";
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
import { sessionFiles, totalBytes, usageByCamera } from "./usage.ts";

export interface CleanerDeps {
  mediaRoot: string;
  catalog: Catalog;
  clock: Clock;
  log: Logger;
  budgetBytes: number;
  minFreeBytes: number;
  disk: DiskGuard;
  keeps: () => KeepSpan[];
  maxAgeMs: (gid: number, seq: number) => number | undefined;
  /** Prunes an open session through its recorder; undefined when it is not open there. */
  pruneOpen: (s: SessionSummary, names: Set<string>) => Promise<PruneResult | undefined>;
  /**
   * Removes archived local copies (storage/eviction.ts): those past `--local-max-age`, and,
   * before any un-archived segment is deleted for space, up to the bytes given.
   */
  evict?: (needBytes: number) => Promise<{ freedBytes: number }>;
  /** Motion events: drops a camera's events that ended before `cutoffMs` (event_store.ts). */
  events?: {
    trimBefore(gid: number, seq: number, cutoffMs: number): Promise<number>;
    between(gid: number, seq: number, fromMs: number, toMs: number): Promise<MotionSpan[]>;
  };
  /** A camera's motion-only rules (record mode, retention tier); undefined keeps everything. */
  motionRule?: (gid: number, seq: number) => MotionRule | undefined;
  /** How long after its end a segment may still become a pre-roll (motion_retention.ts). */
  motionHoldMs?: number;
}

type MotionSpan = { start: number; end?: number };

export interface PassReport {
  at: number;
  usedBytes: number;
  freeBytes?: number;
  deletedSegments: number;
  freedBytes: number;
  shortfallBytes: number;
}

export class Cleaner {
  #d: CleanerDeps;
  #last?: PassReport;
  /** Sessions motion-only keeping has judged: the boundary it judged them at. */
  #motionJudged = new Map<string, number>();
  totals = { deletedSegments: 0, deletedBytes: 0 };

  constructor(deps: CleanerDeps) {
    this.#d = deps;
  }

  get last(): PassReport | undefined {
    return this.#last;
  }

  /** One retention pass. */
  async pass(): Promise<PassReport> {
    const d = this.#d;
    const now = d.clock.now();
    await this.#motionPass(now);
    let usedBytes = totalBytes(await usageByCamera(d.catalog, d.mediaRoot));
    const space = await d.disk.read();
    let need = bytesToFree({
      usedBytes,
      freeBytes: space?.freeBytes,
      budgetBytes: d.budgetBytes,
      minFreeBytes: d.minFreeBytes,
    });
    if (d.evict) {
      // Archived copies leave first: an un-archived segment is deleted only for what is left.
      const { freedBytes } = await d.evict(need);
      usedBytes -= freedBytes;
      need = Math.max(0, need - freedBytes);
    }
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
    const events = await this.#trimEvents(plan.delete, touchedDays);
    if (deleted > 0) {
      d.log.info("retention: segments deleted", {
        deleted,
        freedBytes: freed,
        expired: plan.expired,
        thumbnails,
        events,
      });
    }
    if (plan.shortfallBytes > 0) {
      d.log.warn("retention: cannot free enough (kept or being written)", {
        shortfallBytes: plan.shortfallBytes,
      });
    }
    this.totals.deletedSegments += deleted;
    this.totals.deletedBytes += freed;
    const after = await d.disk.check();
    this.#last = {
      at: now,
      usedBytes: usedBytes - freed,
      freeBytes: after?.freeBytes,
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

  /**
   * Events whose recordings are gone: for each camera cleaned, those that ended before its
   * oldest remaining session (or, with none left, before the end of what was deleted).
   */
  async #trimEvents(deleted: SegmentFile[], touchedDays: Set<string>): Promise<number> {
    const d = this.#d;
    if (!d.events || deleted.length === 0) return 0;
    const cams = new Set([...touchedDays].map((day) => day.split("/").slice(0, 2).join("/")));
    const oldest = new Map<string, number>();
    for (const s of d.catalog.allSessions()) {
      const k = `${s.gid}/${s.seq}`;
      if (s.segments > 0 && !oldest.has(k)) oldest.set(k, s.startMs);
    }
    let dropped = 0;
    for (const k of cams) {
      const [gid, seq] = k.split("/").map(Number);
      const gone = deleted.filter((s) => s.gid === gid && s.seq === seq);
      const cutoff = oldest.get(k) ?? Math.max(...gone.map((s) => s.startMs + s.durationMs));
      try {
        dropped += await d.events.trimBefore(gid, seq, cutoff);
      } catch (err) {
        d.log.error("retention: cannot drop motion events", {
          camera: k,
          error: (err as Error).message,
        });
      }
    }
    return dropped;
  }

  /**
   * Motion-only keeping (record mode `motion`, retention tier): in each session of a camera
   * with such a rule that began before its boundary, the segments no event needs are
   * deleted, like retention's (never a kept or the newest one of an open session). A
   * closed session wholly before the boundary is judged once per process; one across it
   * again when the boundary moved 5 minutes on or past its end; the open one every pass.
   */
  async #motionPass(now: number): Promise<void> {
    const d = this.#d;
    if (!d.motionRule || !d.events) return;
    const keeps = d.keeps();
    let deleted = 0, freed = 0;
    const touchedDays = new Set<string>();
    const sessions = d.catalog.allSessions();
    // Sessions gone since (retention, a camera deleted or moved) are forgotten.
    const live = new Set(sessions.map((s) => `${s.gid}/${s.seq}/${s.date}/${s.time}`));
    for (const key of this.#motionJudged.keys()) if (!live.has(key)) this.#motionJudged.delete(key);
    for (const s of sessions) {
      const rule = d.motionRule(s.gid, s.seq);
      const before = motionOnlyBefore(now, rule, d.motionHoldMs);
      const key = `${s.gid}/${s.seq}/${s.date}/${s.time}`;
      if (before === undefined || s.startMs >= before || s.segments === 0) continue;
      const judged = this.#motionJudged.get(key);
      // Judged again once the boundary moved 5 minutes on or past the session's end.
      if (
        !s.open && judged !== undefined &&
        (judged >= s.endMs || before - judged < Math.min(300_000, s.endMs - judged))
      ) continue;
      try {
        const parsed = await readSessionPlaylist(d.mediaRoot, s);
        if (!parsed) continue;
        const segs = parsed.segments.map((x) => ({ ...x, name: x.uri }));
        const postRollMs = (rule?.postRollSeconds ?? DEFAULT_POST_ROLL_SECONDS) * 1000;
        const events = await d.events.between(
          s.gid,
          s.seq,
          s.startMs - postRollMs - 60_000,
          (s.open ? now : s.endMs) + 60_000,
        );
        const drop = unneededSegments(segs, events, postRollMs, before);
        if (s.open && segs.length) drop.delete(segs[segs.length - 1].uri);
        for (const x of segs) {
          const file = { ...s, name: x.uri, startMs: x.startMs, durationMs: x.durationMs };
          if (drop.has(x.uri) && isKept({ ...file, bytes: 0 }, keeps)) {
            drop.delete(x.uri);
          }
        }
        if (!s.open) this.#motionJudged.set(key, before);
        if (drop.size === 0) continue;
        const r = s.open
          ? await d.pruneOpen(s, drop)
          : await pruneSession(sessionDir(d.mediaRoot, s.gid, s.seq, s.date, s.time), s, drop);
        if (!r) continue;
        touchedDays.add(`${s.gid}/${s.seq}/${s.date}`);
        deleted += r.deleted;
        freed += r.freedBytes;
        if (r.empty) {
          d.catalog.drop(s.gid, s.seq, s.date, s.time);
          this.#motionJudged.delete(key);
        }
      } catch (err) {
        d.log.error("retention: cannot keep only motion", {
          session: key,
          error: (err as Error).message,
        });
      }
    }
    for (const day of touchedDays) await this.#tidyDay(day);
    if (deleted > 0) {
      d.log.info("retention: segments without motion deleted", { deleted, freedBytes: freed });
    }
    this.totals.deletedSegments += deleted;
    this.totals.deletedBytes += freed;
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

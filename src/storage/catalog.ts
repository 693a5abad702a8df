/**
 * The catalog: which days and sessions each camera has on disk. Built at start-up
 * by walking the media root (reading one small session.json per closed session),
 * repairing sessions left open by a crash, and kept current by the recorders.
 */
import { join } from "node:path";
import type { Logger } from "../log.ts";
import { isNotEmpty, listDir, removeIfPresent } from "./files.ts";
import {
  cameraDir,
  DATE_RE,
  ID_RE,
  parseSegmentFileName,
  PLAYLIST,
  SEGMENT_RE,
  SESSION_SUMMARY,
  TIME_RE,
} from "./layout.ts";
import { parsePlaylist, renderPlaylist, targetDurationFor } from "./playlist.ts";
import { markTimeline } from "./timeline.ts";
import { writeFileAtomic } from "./files.ts";
import { removeDayWithoutSessions } from "./thumbnails.ts";
import { archivedLocations, readArchiveIndex } from "./archive_index.ts";
import { type SessionSummary, writeSummary } from "./session.ts";

const key = (gid: number, seq: number) => `${gid}/${seq}`;

export interface RebuildReport {
  cameras: number;
  sessions: number;
  repaired: number;
  droppedFiles: number;
}

export class Catalog {
  #cams = new Map<string, Map<string, SessionSummary[]>>();

  /** `log`: where a leftover that cannot be removed is reported (default: stderr). */
  constructor(readonly root: string, readonly log?: Logger) {}

  /** Reports a leftover (an empty folder, a broken file) that could not be tidied. */
  #leftover = (what: string, path: string, err: unknown): void => {
    const fields = { path, error: String(err) };
    if (this.log) this.log.warn(`catalog: ${what}`, fields);
    else console.error(`catalog: ${what}`, fields);
  };

  /** Walks the media root; repairs sessions that have no summary (open at a crash). */
  async rebuild(): Promise<RebuildReport> {
    this.#cams.clear();
    const report: RebuildReport = { cameras: 0, sessions: 0, repaired: 0, droppedFiles: 0 };
    for (const g of (await listDir(this.root, "dir")).filter((n) => ID_RE.test(n))) {
      for (const s of (await listDir(join(this.root, g), "dir")).filter((n) => ID_RE.test(n))) {
        const gid = Number(g), seq = Number(s);
        report.cameras++;
        await this.#loadCamera(gid, seq, report);
      }
    }
    return report;
  }

  async #loadCamera(gid: number, seq: number, report: RebuildReport): Promise<void> {
    const dir = cameraDir(this.root, gid, seq);
    for (const date of (await listDir(dir, "dir")).filter((n) => DATE_RE.test(n))) {
      let found = 0;
      // Session folders only: a day's `thumbs/` folder is not one (TIME_RE).
      for (const time of (await listDir(join(dir, date), "dir")).filter((n) => TIME_RE.test(n))) {
        const folder = join(dir, date, time);
        let summary = await readSummary(folder, gid, seq, date, time);
        if (!summary) {
          const repaired = await repairSession(folder, gid, seq, date, time, this.#leftover);
          report.droppedFiles += repaired.dropped;
          summary = repaired.summary;
          if (summary) report.repaired++;
        }
        if (summary) {
          this.put(summary);
          report.sessions++;
          found++;
        }
      }
      // A day left without sessions (retention cut short by a crash) loses its thumbnails.
      // (Best effort: a read-only media folder still boots.)
      if (found === 0) {
        await removeDayWithoutSessions(this.root, gid, seq, date).catch((err) =>
          this.#leftover("cannot remove a day without sessions", join(dir, date), err)
        );
      }
    }
  }

  /** Adds or replaces a session (matched by date and folder time). */
  put(summary: SessionSummary): void {
    const k = key(summary.gid, summary.seq);
    let days = this.#cams.get(k);
    if (!days) this.#cams.set(k, days = new Map());
    const list = days.get(summary.date) ?? [];
    const i = list.findIndex((x) => x.time === summary.time);
    if (i >= 0) list[i] = summary;
    else list.push(summary);
    list.sort((a, b) => a.startMs - b.startMs);
    days.set(summary.date, list);
  }

  /** Days with at least one recorded segment, oldest first. */
  days(gid: number, seq: number): string[] {
    const days = this.#cams.get(key(gid, seq));
    if (!days) return [];
    return [...days.entries()].filter(([, l]) => l.some((x) => x.segments > 0)).map(([d]) => d)
      .sort();
  }

  sessions(gid: number, seq: number, date: string): SessionSummary[] {
    return (this.#cams.get(key(gid, seq))?.get(date) ?? []).filter((x) => x.segments > 0);
  }

  /** Whether the catalog still holds any session (open and empty ones included) on `date`. */
  hasDay(gid: number, seq: number, date: string): boolean {
    return this.#cams.get(key(gid, seq))?.has(date) ?? false;
  }

  /** Every session of every camera (including open and empty ones), oldest first. */
  allSessions(): SessionSummary[] {
    const all: SessionSummary[] = [];
    for (const days of this.#cams.values()) for (const l of days.values()) all.push(...l);
    return all.sort((a, b) => a.startMs - b.startMs);
  }

  /** Drops one session (retention removed its folder); a day left empty disappears. */
  drop(gid: number, seq: number, date: string, time: string): void {
    const days = this.#cams.get(key(gid, seq));
    const list = days?.get(date)?.filter((x) => x.time !== time);
    if (!days || !list) return;
    if (list.length) days.set(date, list);
    else days.delete(date);
  }

  /** Forgets a camera's recordings (after its folder moved away). */
  forget(gid: number, seq: number): void {
    this.#cams.delete(key(gid, seq));
  }

  /** Re-keys a camera's recordings after its folder moved to another group. */
  move(fromGid: number, toGid: number, seq: number): void {
    const days = this.#cams.get(key(fromGid, seq));
    this.#cams.delete(key(fromGid, seq));
    if (!days) return;
    for (const list of days.values()) for (const s of list) s.gid = toGid;
    const existing = this.#cams.get(key(toGid, seq));
    this.#cams.set(key(toGid, seq), days);
    for (const list of existing?.values() ?? []) for (const s of list) this.put(s);
  }
}

async function readSummary(
  folder: string,
  gid: number,
  seq: number,
  date: string,
  time: string,
): Promise<SessionSummary | undefined> {
  try {
    const raw = JSON.parse(await Deno.readTextFile(join(folder, SESSION_SUMMARY)));
    if (typeof raw.startMs !== "number" || !Array.isArray(raw.spans)) return undefined;
    return { ...raw, gid, seq, date, time, open: false };
  } catch (err) {
    // None (the session was open at a crash) or torn: repaired from the segment names.
    if (err instanceof Deno.errors.NotFound || err instanceof SyntaxError) return undefined;
    throw err;
  }
}

/** A segment file is usable when it is non-empty MPEG-TS (starts with sync byte 0x47). */
async function isUsableSegment(path: string): Promise<boolean> {
  try {
    using f = await Deno.open(path);
    const head = new Uint8Array(1);
    return (await f.read(head)) === 1 && head[0] === 0x47;
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return false;
    throw err;
  }
}

/**
 * Rebuilds a session's playlist and summary from its segment file names.
 * Unusable files are renamed `*.broken` (kept, never listed); an empty session folder
 * is removed.
 */
export async function repairSession(
  folder: string,
  gid: number,
  seq: number,
  date: string,
  time: string,
  /** Told about a tidy-up (renaming, removing) that failed; the repair goes on. */
  leftover: (what: string, path: string, err: unknown) => void = (what, path, err) =>
    console.error(`catalog: ${what}`, { path, error: String(err) }),
): Promise<{ summary?: SessionSummary; dropped: number }> {
  let dropped = 0;
  const segments: { uri: string; startMs: number; durationMs: number }[] = [];
  let bytes = 0;
  for (const name of await listDir(folder, "file")) {
    if (!SEGMENT_RE.test(name)) continue;
    const path = join(folder, name);
    if (!(await isUsableSegment(path))) {
      await Deno.rename(path, `${path}.broken`).catch((err) => {
        if (!(err instanceof Deno.errors.NotFound)) leftover("cannot set aside", path, err);
      });
      dropped++;
      continue;
    }
    bytes += (await Deno.stat(path)).size;
    segments.push({ uri: name, ...parseSegmentFileName(name)! });
  }
  // Segments that left the disk once archived stay listed (storage/eviction.ts).
  const local = new Set(segments.map((s) => s.uri));
  for (const name of archivedLocations(await readArchiveIndex(folder)).keys()) {
    if (!local.has(name) && SEGMENT_RE.test(name)) {
      segments.push({ uri: name, ...parseSegmentFileName(name)! });
    }
  }
  if (segments.length === 0) {
    for (const f of [PLAYLIST, SESSION_SUMMARY]) {
      await removeIfPresent(join(folder, f)).catch((err) =>
        leftover("cannot remove", join(folder, f), err)
      );
    }
    // Not recursive: a folder that holds `.broken` files keeps them.
    await Deno.remove(folder).catch((err) => {
      if (err instanceof Deno.errors.NotFound || isNotEmpty(err)) return;
      leftover("cannot remove an empty session", folder, err);
    });
    return { dropped };
  }
  segments.sort((a, b) => a.startMs - b.startMs);
  const { segments: listed, spans } = markTimeline(segments);
  // The target duration the session's playlist had (it never changes), if it still fits.
  const had = await Deno.readTextFile(join(folder, PLAYLIST)).then(
    (t) => parsePlaylist(t).targetDuration,
    () => 0,
  );
  await writeFileAtomic(
    join(folder, PLAYLIST),
    renderPlaylist(
      { targetDuration: Math.max(had, targetDurationFor(listed, 1)), type: "VOD", ended: true },
      listed,
    ),
  );
  const last = segments[segments.length - 1];
  const summary: SessionSummary = {
    gid,
    seq,
    date,
    time,
    startMs: segments[0].startMs,
    endMs: last.startMs + last.durationMs,
    segments: segments.length,
    bytes,
    spans,
    open: false,
    closeReason: "recovered",
  };
  await writeSummary(folder, summary);
  return { summary, dropped };
}

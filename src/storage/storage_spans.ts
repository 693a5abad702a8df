/**
 * Where a session's recording is kept, for the timeline: its continuous stretches split by
 * storage, `local` (only on this recorder's disk), `archive` (evicted: only in the bucket)
 * or `both`. Derived from disk alone: the session's playlist (every listed segment), its
 * folder listing (the local files) and its archive index (the archived ones). A session
 * without an index is all local and costs one `stat`; one with an index is read again only
 * when its index or its folder changed (see StorageMap).
 */
import { join } from "node:path";
import { ARCHIVE_INDEX, readArchiveIndex } from "./archive_index.ts";
import { listDir, statIfPresent } from "./files.ts";
import { PLAYLIST, SEGMENT_RE, sessionDir } from "./layout.ts";
import { parsePlaylist } from "./playlist.ts";
import type { SessionSummary } from "./session.ts";
import { jumps } from "./timeline.ts";

export type Where = "local" | "archive" | "both";

export interface StorageSpan {
  startMs: number;
  endMs: number;
  where: Where;
}

/** Where one segment is: a segment in neither place (being pruned) counts as local. */
export function whereOf(name: string, local: Set<string>, archived: Set<string>): Where {
  const a = archived.has(name);
  return a && local.has(name) ? "both" : a ? "archive" : "local";
}

/**
 * The stretches of `segments` (in time order) with one storage each: a new stretch where the
 * storage changes or the times jump (timeline.ts's rule). Pure.
 */
export function storageSpans(
  segments: { name: string; startMs: number; durationMs: number }[],
  local: Set<string>,
  archived: Set<string>,
): StorageSpan[] {
  const out: StorageSpan[] = [];
  for (const s of segments) {
    const where = whereOf(s.name, local, archived);
    const end = s.startMs + s.durationMs;
    const last = out.at(-1);
    if (last && last.where === where && !jumps(last.endMs, s.startMs)) last.endMs = end;
    else out.push({ startMs: s.startMs, endMs: end, where });
  }
  return out;
}

/** The session's recorded spans, all local (a session the archive has not touched). */
export const allLocal = (s: SessionSummary): StorageSpan[] =>
  s.spans.map(([startMs, endMs]) => ({ startMs, endMs, where: "local" }));

/**
 * `spans` (computed a moment ago) with what the session recorded since: the parts of its
 * recorded spans after their end, as local (a segment is on the disk first). Pure.
 */
export function withTail(spans: StorageSpan[], recorded: [number, number][]): StorageSpan[] {
  const out = spans.map((x) => ({ ...x }));
  const covered = out.at(-1)?.endMs ?? -Infinity;
  for (const [a, b] of recorded) {
    if (b <= covered) continue;
    const start = Math.max(a, covered);
    const last = out.at(-1);
    if (last && last.where === "local" && !jumps(last.endMs, start)) last.endMs = b;
    else out.push({ startMs: start, endMs: b, where: "local" });
  }
  return out;
}

const MAX_CACHED = 512;
/** How long an open session's stretches are reused (extended by what it recorded since). */
export const OPEN_REUSE_MS = 30_000;

interface Cached {
  sig: string;
  indexSize: number;
  at: number;
  spans: StorageSpan[];
}

/**
 * The storage spans of sessions, cached per folder: a closed session's while its index and
 * folder (mtime: a file evicted, a playlist rewritten) stay the same; an open one's also for
 * up to OPEN_REUSE_MS while only its folder changed (new segments, local), so a day being
 * recorded with tens of thousands of segments is not listed and parsed on every poll.
 */
export class StorageMap {
  #cache = new Map<string, Cached>();

  constructor(readonly mediaRoot: string, readonly now: () => number = Date.now) {}

  async of(s: SessionSummary): Promise<StorageSpan[]> {
    const dir = sessionDir(this.mediaRoot, s.gid, s.seq, s.date, s.time);
    const index = await statIfPresent(join(dir, ARCHIVE_INDEX));
    if (!index) return allLocal(s);
    const mtime = (await statIfPresent(dir))?.mtime?.getTime() ?? 0;
    const sig = `${index.size}:${mtime}:${s.segments}:${s.endMs}:${s.open}`;
    const hit = this.#cache.get(dir);
    if (hit?.sig === sig) return hit.spans;
    if (hit && s.open && hit.indexSize === index.size && this.now() - hit.at < OPEN_REUSE_MS) {
      return withTail(hit.spans, s.spans);
    }
    let text: string;
    try {
      text = await Deno.readTextFile(join(dir, PLAYLIST));
    } catch (err) {
      if (err instanceof Deno.errors.NotFound) return allLocal(s);
      throw err;
    }
    const files = (await listDir(dir, "file")).filter((n) => SEGMENT_RE.test(n));
    const archived = new Set(
      (await readArchiveIndex(dir)).flatMap((b) => b.segments.map((x) => x.name)),
    );
    const segments = parsePlaylist(text).segments.map((x) => ({ ...x, name: x.uri }));
    const spans = storageSpans(segments, new Set(files), archived);
    this.#cache.delete(dir);
    if (this.#cache.size >= MAX_CACHED) this.#cache.delete(this.#cache.keys().next().value!);
    this.#cache.set(dir, { sig, indexSize: index.size, at: this.now(), spans });
    return spans;
  }
}

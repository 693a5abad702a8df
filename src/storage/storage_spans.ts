/**
 * Where a session's recording is kept, for the timeline: its continuous stretches split by
 * storage, `local` (only on this recorder's disk), `archive` (evicted: only in the bucket)
 * or `both`. Derived from disk alone: the session's playlist (every listed segment), its
 * folder listing (the local files) and its archive index (the archived ones). A session
 * without an index is all local and costs one `stat`; one with an index is read again only
 * when its index or its files changed.
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

const MAX_CACHED = 512;

/** The storage spans of sessions, cached per folder while its index and listing stay the same. */
export class StorageMap {
  #cache = new Map<string, { sig: string; spans: StorageSpan[] }>();

  constructor(readonly mediaRoot: string) {}

  async of(s: SessionSummary): Promise<StorageSpan[]> {
    const dir = sessionDir(this.mediaRoot, s.gid, s.seq, s.date, s.time);
    const index = await statIfPresent(join(dir, ARCHIVE_INDEX));
    if (!index) return allLocal(s);
    const files = (await listDir(dir, "file")).filter((n) => SEGMENT_RE.test(n));
    const sig = `${index.size}:${files.length}:${files.at(-1) ?? ""}:${s.segments}:${s.endMs}`;
    const hit = this.#cache.get(dir);
    if (hit?.sig === sig) return hit.spans;
    let text: string;
    try {
      text = await Deno.readTextFile(join(dir, PLAYLIST));
    } catch (err) {
      if (err instanceof Deno.errors.NotFound) return allLocal(s);
      throw err;
    }
    const archived = new Set(
      (await readArchiveIndex(dir)).flatMap((b) => b.segments.map((x) => x.name)),
    );
    const segments = parsePlaylist(text).segments.map((x) => ({ ...x, name: x.uri }));
    const spans = storageSpans(segments, new Set(files), archived);
    if (this.#cache.size >= MAX_CACHED) this.#cache.delete(this.#cache.keys().next().value!);
    this.#cache.set(dir, { sig, spans });
    return spans;
  }
}

/**
 * A session's archive index, `{session}/archived.jsonl`: one JSON line per bundle object
 * that was uploaded AND verified (a HEAD gave its size and checksum), appended only then.
 * It is the only record of what is archived: the upload queue is derived from it and the
 * session's playlist (what is listed but not indexed), so a crash before the append uploads
 * that bundle again under the same key (overwritten, indexed once), and a torn last line is
 * ignored. A segment whose local file is gone but that is indexed here is archive-only: it
 * stays listed in the playlists and is served from the archive (src/archive/).
 */
import { join } from "node:path";

export const ARCHIVE_INDEX = "archived.jsonl";

/** One segment inside a bundle object: its byte range there. */
export interface ArchivedSegment {
  name: string;
  offset: number;
  bytes: number;
}

export interface ArchivedBundle {
  /** The object's key in the bucket. */
  key: string;
  /** Its size in bytes (checked by a HEAD). */
  size: number;
  /** Its MD5 (hex), the ETag the store gave for it. */
  md5: string;
  segments: ArchivedSegment[];
}

/** Where one archived segment lies. */
export interface ArchivedLocation {
  key: string;
  offset: number;
  bytes: number;
}

function isBundle(v: unknown): v is ArchivedBundle {
  const b = v as ArchivedBundle;
  return typeof b?.key === "string" && Number.isInteger(b.size) && Array.isArray(b.segments) &&
    b.segments.every((s) =>
      typeof s?.name === "string" && Number.isInteger(s.offset) && Number.isInteger(s.bytes)
    );
}

/** Parses the index text: whole, valid lines only (a torn or foreign line is skipped). */
export function parseArchiveIndex(text: string): ArchivedBundle[] {
  const out: ArchivedBundle[] = [];
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    try {
      const v = JSON.parse(line);
      if (isBundle(v)) out.push(v);
    } catch {
      // a line torn by a crash: its bundle is uploaded again
    }
  }
  return out;
}

/** Whether the index says the manifest in the bucket is final (`{"ended":true}`). */
export const indexEnded = (text: string) => /^\{"ended":true\}$/m.test(text);

/** The session's bundles (none when it has no index) and whether its manifest is final. */
export async function readArchiveState(
  sessionDir: string,
): Promise<{ bundles: ArchivedBundle[]; ended: boolean }> {
  try {
    const text = await Deno.readTextFile(join(sessionDir, ARCHIVE_INDEX));
    return { bundles: parseArchiveIndex(text), ended: indexEnded(text) };
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return { bundles: [], ended: false };
    throw err;
  }
}

/** The session's bundles (none when it has no index). */
export async function readArchiveIndex(sessionDir: string): Promise<ArchivedBundle[]> {
  return (await readArchiveState(sessionDir)).bundles;
}

/** Segment name → where it lies in the archive (a later bundle wins). */
export function archivedLocations(bundles: ArchivedBundle[]): Map<string, ArchivedLocation> {
  const map = new Map<string, ArchivedLocation>();
  for (const b of bundles) {
    for (const s of b.segments) map.set(s.name, { key: b.key, offset: s.offset, bytes: s.bytes });
  }
  return map;
}

/**
 * Appends one verified bundle, or the mark that the manifest is final (and syncs it). A torn
 * last line left by a crash is ended first, so it cannot swallow this one.
 */
export async function appendArchiveIndex(
  sessionDir: string,
  bundle: ArchivedBundle | { ended: true },
) {
  const path = join(sessionDir, ARCHIVE_INDEX);
  using f = await Deno.open(path, { create: true, append: true, read: true });
  const size = (await f.stat()).size;
  let lead = "";
  if (size > 0) {
    const last = new Uint8Array(1);
    await f.seek(size - 1, Deno.SeekMode.Start);
    await f.read(last);
    if (last[0] !== 0x0a) lead = "\n";
  }
  const bytes = new TextEncoder().encode(lead + JSON.stringify(bundle) + "\n");
  let written = 0;
  while (written < bytes.length) written += await f.write(bytes.subarray(written));
  await f.sync();
}

/**
 * The live playlists this process wrote, kept in memory by path so a GET is answered
 * without touching the disk (a live playlist is fetched by every viewer every few
 * seconds). Each entry is what the live window last wrote: its text, an ETag, and its
 * gzip (made once per update, on the first request that takes it).
 *
 * The file on disk stays the truth: an entry holds the file it was written to open, and is
 * only valid while that file still has a name (link count above 0: an fstat of the open
 * file, no path to resolve). A playlist removed or replaced by anyone (the next write, a
 * camera deleted or moved, a restart's reset) is no longer served from memory: the request
 * goes to the disk, where a missing file is still a 404. The fstat costs as much as the
 * rest of the answer, so it is made at most every CHECK_MS per playlist: a removal by
 * something other than the live window is seen within that time (like a request that
 * opened the file just before it went).
 */
import { gzip } from "../util/gzip.ts";

export interface LivePlaylist {
  readonly text: string;
  readonly bytes: Uint8Array<ArrayBuffer>;
  /** Strong ETag of the text. */
  readonly etag: string;
  /** ETag of the gzipped text. */
  readonly gzipEtag: string;
  /** The text gzipped; made once, on first use. */
  gzipped(): Promise<Uint8Array<ArrayBuffer>>;
  /** The text gzipped if it was made already. */
  gzippedNow(): Uint8Array<ArrayBuffer> | undefined;
}

/** How long a check that the file is still there holds (ms). */
export const CHECK_MS = 10;

const playlists = new Map<string, LivePlaylist & { file: Deno.FsFile; checkedAt: number }>();
const encoder = new TextEncoder();

/** FNV-1a (32 bit) of the bytes, as 8 hex digits. */
function fnv1a(bytes: Uint8Array): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i];
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, "0");
}

/** Records what was just written at `path`, and `file`: that file, open (the entry owns it). */
export function publishLivePlaylist(path: string, text: string, file: Deno.FsFile): void {
  forget(path);
  const bytes = encoder.encode(text);
  let zipping: Promise<Uint8Array<ArrayBuffer>> | undefined;
  let zipped: Uint8Array<ArrayBuffer> | undefined;
  const tag = `${fnv1a(bytes)}-${bytes.length.toString(16)}`;
  playlists.set(path, {
    text,
    bytes,
    etag: `"${tag}"`,
    gzipEtag: `"${tag}-gz"`,
    file,
    checkedAt: performance.now(),
    gzipped: () =>
      zipping ??= (gzip(bytes) as Promise<Uint8Array<ArrayBuffer>>).then((z) => zipped = z),
    gzippedNow: () => zipped,
  });
}

function forget(path: string): void {
  const entry = playlists.get(path);
  if (!entry) return;
  playlists.delete(path);
  try {
    entry.file.close();
  } catch { /* closed already */ }
}

/** Forgets every entry at or under `dir` (its files are being removed). */
export function forgetLivePlaylists(dir: string): void {
  for (const path of [...playlists.keys()]) {
    if (path === dir || path.startsWith(dir + "/")) forget(path);
  }
}

/**
 * The entry for `path` while the file written with it still has a name (checked at most
 * every CHECK_MS), else undefined: the caller serves the disk as usual.
 */
export function currentLivePlaylist(path: string): LivePlaylist | undefined {
  const entry = playlists.get(path);
  if (!entry) return undefined;
  const now = performance.now();
  if (now - entry.checkedAt < CHECK_MS) return entry;
  try {
    if (entry.file.statSync().nlink !== 0) {
      entry.checkedAt = now;
      return entry;
    }
  } catch { /* cannot tell: the disk answers */ }
  forget(path);
  return undefined;
}

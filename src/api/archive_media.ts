/**
 * Archive-only segments over HTTP: a segment listed in a session whose local file left the
 * disk once archived (storage/eviction.ts) is streamed from its bundle object with a range
 * GET, under the same URL, access rules and headers as a local segment (single byte ranges
 * and HEAD included). The store unreachable: `502`, never a 500. With `--archive-presign`,
 * span playlists list them as byte ranges of their bundles instead (`archiveRanges`).
 */
import { join } from "node:path";
import type { Archiver } from "../archive/uploader.ts";
import { StoreError } from "../archive/store.ts";
import { listDir } from "../storage/files.ts";
import { parseRange } from "./serve_file.ts";

export type ArchivedMedia = (
  req: Request,
  gid: number,
  seq: number,
  date: string,
  time: string,
  name: string,
) => Promise<Response | undefined>;

/** The archived copy of a segment as a response; undefined when it is not archived. */
export function archivedMedia(archiver: Archiver, cacheControl: string): ArchivedMedia {
  return async (req, gid, seq, date, time, name) => {
    const loc = await archiver.locate(gid, seq, date, time, name);
    if (!loc) return undefined;
    const headers = new Headers({
      "content-type": "video/mp2t",
      "accept-ranges": "bytes",
      "cache-control": cacheControl,
    });
    let start = 0, end = loc.bytes - 1, status = 200;
    const rangeHeader = req.headers.get("range");
    if (rangeHeader) {
      const range = parseRange(rangeHeader, loc.bytes);
      if (!range) {
        headers.set("content-range", `bytes */${loc.bytes}`);
        return new Response(null, { status: 416, headers });
      }
      ({ start, end } = range);
      status = 206;
      headers.set("content-range", `bytes ${start}-${end}/${loc.bytes}`);
    }
    headers.set("content-length", String(end - start + 1));
    if (req.method === "HEAD") return new Response(null, { status, headers });
    try {
      const res = await archiver.store.get(loc.key, {
        start: loc.offset + start,
        end: loc.offset + end,
      });
      return new Response(res.body, { status, headers });
    } catch (err) {
      if (!(err instanceof StoreError)) throw err;
      return Response.json({ status: 0, error: "archive unavailable" }, { status: 502 });
    }
  };
}

/** A segment's place inside its bundle, as a playlist entry: the bundle's URL and the range. */
export interface ArchiveRange {
  uri: string;
  byteRange: { length: number; offset: number };
}

/**
 * With `--archive-presign`: the archive-only segments among `rels` (`gid/seq/date/time/name`,
 * not on the local disk, in the archive index) as byte ranges of their bundles under the
 * fleet route `/archive/{node}/…/{startMs}.ts`, which answers 302 to a presigned URL, so a
 * player gets their bytes from the store, not through the recorder. One listing per session
 * folder; the index is cached by the archiver.
 */
export function archiveRanges(archiver: Archiver, mediaRoot: string) {
  const { prefix } = archiver.fleet;
  return async (rels: string[]): Promise<Map<string, ArchiveRange>> => {
    const out = new Map<string, ArchiveRange>();
    const local = new Map<string, Set<string>>();
    for (const rel of rels) {
      const cut = rel.lastIndexOf("/");
      const dir = rel.slice(0, cut), name = rel.slice(cut + 1);
      let names = local.get(dir);
      if (!names) local.set(dir, names = new Set(await listDir(join(mediaRoot, dir), "file")));
      if (names.has(name)) continue;
      const [gid, seq, date, time] = dir.split("/");
      const loc = await archiver.locate(Number(gid), Number(seq), date, time, name);
      if (!loc || (prefix && !loc.key.startsWith(`${prefix}/`))) continue;
      const key = prefix ? loc.key.slice(prefix.length + 1) : loc.key;
      out.set(rel, {
        uri: `/archive/${key}`,
        byteRange: { length: loc.bytes, offset: loc.offset },
      });
    }
    return out;
  };
}

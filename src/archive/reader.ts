/**
 * Reading the archive back for a local session: where an archived segment lies (its bundle
 * and byte range, from the session's archive index, cached per folder while the index keeps
 * its size) and its bytes (one ranged GET). Used to serve archive-only segments and to export
 * them.
 */
import { join } from "node:path";
import {
  ARCHIVE_INDEX,
  type ArchivedLocation,
  archivedLocations,
  readArchiveIndex,
} from "../storage/archive_index.ts";
import { statIfPresent } from "../storage/files.ts";
import { sessionDir } from "../storage/layout.ts";
import type { ObjectStore } from "./store.ts";

export class ArchiveReader {
  /** Locations of archived segments by session folder, with the index size they come from. */
  #located = new Map<string, { size: number; map: Map<string, ArchivedLocation> }>();

  constructor(readonly mediaRoot: string, readonly store: ObjectStore) {}

  /**
   * The archived bytes of a segment given as `gid/seq/date/time/name` (the media folder's
   * relative path); undefined when it is not archived. Throws when the store fails.
   */
  async read(rel: string): Promise<Uint8Array | undefined> {
    const [gid, seq, date, time, name] = rel.split("/");
    const loc = await this.locate(Number(gid), Number(seq), date, time, name ?? "");
    if (!loc) return undefined;
    const res = await this.store.get(loc.key, {
      start: loc.offset,
      end: loc.offset + loc.bytes - 1,
    });
    const bytes = new Uint8Array(await res.arrayBuffer());
    if (bytes.length !== loc.bytes) throw new Error(`archive: ${loc.key}: short read`);
    return bytes;
  }

  /** Where an archived segment of a local session lies (undefined: not archived). */
  async locate(
    gid: number,
    seq: number,
    date: string,
    time: string,
    name: string,
  ): Promise<ArchivedLocation | undefined> {
    const dir = sessionDir(this.mediaRoot, gid, seq, date, time);
    const st = await statIfPresent(join(dir, ARCHIVE_INDEX));
    if (!st) return undefined;
    let hit = this.#located.get(dir);
    if (!hit || hit.size !== st.size) {
      hit = { size: st.size, map: archivedLocations(await readArchiveIndex(dir)) };
      if (this.#located.size >= 256) this.#located.delete(this.#located.keys().next().value!);
      this.#located.set(dir, hit);
    }
    return hit.map.get(name);
  }
}

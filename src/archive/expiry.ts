/**
 * `--archive-max-age-days` in the bucket: the objects of this recorder's days older than that
 * are deleted, walking the layout folder by folder (`{prefix}/{node}/{gid}/{seq}/{date}/`, one
 * listing per level) so only expired days are listed whole. Other nodes' keys are never
 * touched. (The local side, archive-only entries of those days, goes in storage/eviction.ts.)
 */
import { DATE_RE } from "../storage/layout.ts";
import { nodePrefix } from "./keys.ts";
import type { ObjectStore } from "./store.ts";

/** The last folder name of a listing prefix (`a/b/c/` → `c`). */
const lastName = (p: string) => p.split("/").filter(Boolean).at(-1) ?? "";

/** Deletes the objects of days before `cutoffDate` (YYYY-MM-DD); returns how many. */
export async function expireArchive(
  store: ObjectStore,
  prefix: string,
  node: string,
  cutoffDate: string,
): Promise<number> {
  let deleted = 0;
  for (const gid of (await store.list(nodePrefix(prefix, node), "/")).prefixes) {
    for (const seq of (await store.list(gid, "/")).prefixes) {
      for (const day of (await store.list(seq, "/")).prefixes) {
        const date = lastName(day);
        if (!DATE_RE.test(date) || date >= cutoffDate) continue;
        for (const { key } of (await store.list(day)).keys) {
          await store.delete(key);
          deleted++;
        }
      }
    }
  }
  return deleted;
}

/**
 * Fleet review: what every recorder sharing the bucket has archived, read from the key layout
 * alone (one listing per folder level, never a whole listing): the nodes and their cameras, a
 * camera's days, a day's sessions. Read-only: nothing here writes to the bucket.
 */
import { DATE_RE, ID_RE, TIME_RE } from "../storage/layout.ts";
import { NODE_RE, nodePrefix } from "./keys.ts";
import type { ObjectStore } from "./store.ts";

const lastName = (p: string) => p.split("/").filter(Boolean).at(-1) ?? "";
const names = async (store: ObjectStore, prefix: string, re: RegExp) =>
  (await store.list(prefix, "/")).prefixes.map(lastName).filter((n) => re.test(n)).sort();

/** At most this many nodes are listed with their cameras. */
export const MAX_NODES = 200;

export interface NodeListing {
  node: string;
  cameras: { gid: number; seq: number }[];
}

/** The nodes under the prefix and the cameras each has archived. */
export async function listNodes(store: ObjectStore, prefix: string): Promise<NodeListing[]> {
  const root = prefix ? `${prefix}/` : "";
  const nodes = (await names(store, root, NODE_RE)).slice(0, MAX_NODES);
  const out: NodeListing[] = [];
  for (const node of nodes) {
    const cameras: NodeListing["cameras"] = [];
    for (const gid of await names(store, nodePrefix(prefix, node), ID_RE)) {
      for (const seq of await names(store, `${nodePrefix(prefix, node)}${gid}/`, ID_RE)) {
        cameras.push({ gid: Number(gid), seq: Number(seq) });
      }
    }
    out.push({ node, cameras });
  }
  return out;
}

/** The days a node's camera has in the archive, oldest first. */
export const listDays = (
  store: ObjectStore,
  prefix: string,
  node: string,
  gid: number,
  seq: number,
) => names(store, `${nodePrefix(prefix, node)}${gid}/${seq}/`, DATE_RE);

/** The sessions (folder times) of one archived day. */
export const listSessions = (
  store: ObjectStore,
  prefix: string,
  node: string,
  gid: number,
  seq: number,
  date: string,
) => names(store, `${nodePrefix(prefix, node)}${gid}/${seq}/${date}/`, TIME_RE);
